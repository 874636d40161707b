{#-
    The SQL condition of one `expectation` declaration (its test's arguments): `condition` as
    written, or, for a declaration with `column` and `values_seed`, `<column> in (<the
    seed's values of the column of the same name>)`. Exactly one of the two forms.
-#}
{% macro expectation_condition(arguments) %}
    {%- set has_condition = arguments.get('condition') is not none -%}
    {%- set has_seed = arguments.get('values_seed') is not none -%}
    {%- if has_condition == has_seed or (has_seed and arguments.get('column') is none) -%}
        {{ exceptions.raise_compiler_error(
            "Expectation " ~ arguments.get('expectation_name') ~ ": declare either `condition`"
            ~ " or `column` with `values_seed`") }}
    {%- endif -%}
    {%- if has_condition -%}
        {{ return(arguments.condition) }}
    {%- endif -%}
    {{ return(arguments.column ~ ' in ('
        ~ seed_values(arguments.values_seed, arguments.column) ~ ')') }}
{% endmacro %}
