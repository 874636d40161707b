{#-
    A Java regular expression matching the file names (not paths) that the glob `file_pattern`
    matches, as Spark's `pathGlobFilter` does: `*` and `?` within a name, `[...]` classes,
    `{a,b}` alternatives; every other character stands for itself.
-#}
{% macro landing_name_regex(file_pattern) %}
    {%- set regex = namespace(text='^', in_braces=false, in_class=false) -%}
    {%- for char in file_pattern -%}
        {%- if regex.in_class -%}
            {%- set regex.text = regex.text ~ char -%}
            {%- set regex.in_class = char != ']' -%}
        {%- elif char == '*' -%}
            {%- set regex.text = regex.text ~ '[^/]*' -%}
        {%- elif char == '?' -%}
            {%- set regex.text = regex.text ~ '[^/]' -%}
        {%- elif char == '[' -%}
            {%- set regex.text = regex.text ~ char -%}
            {%- set regex.in_class = true -%}
        {%- elif char == '{' -%}
            {%- set regex.text = regex.text ~ '(' -%}
            {%- set regex.in_braces = true -%}
        {%- elif char == '}' and regex.in_braces -%}
            {%- set regex.text = regex.text ~ ')' -%}
            {%- set regex.in_braces = false -%}
        {%- elif char == ',' and regex.in_braces -%}
            {%- set regex.text = regex.text ~ '|' -%}
        {%- elif char.isalnum() -%}
            {%- set regex.text = regex.text ~ char -%}
        {%- else -%}
            {%- set regex.text = regex.text ~ '\\' ~ char -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(regex.text ~ '$') }}
{% endmacro %}
