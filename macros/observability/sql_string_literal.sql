{#- `value` as a SQL string literal (backslashes and quotes escaped), or `null`. -#}
{% macro sql_string_literal(value) %}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
{% endmacro %}
