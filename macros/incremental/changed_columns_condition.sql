{#-
    SQL comparing source and target rows of a MERGE on `compare_columns` (NULL-safe): true when
    any differs; with negate=false, true when all are equal.
-#}
{% macro changed_columns_condition(compare_columns, negate=true) %}
    {%- set equal = [] -%}
    {%- for column_name in compare_columns -%}
        {%- do equal.append('DBT_INTERNAL_SOURCE.' ~ column_name ~ ' <=> DBT_INTERNAL_DEST.' ~ column_name) -%}
    {%- endfor -%}
    {{ 'not ' if negate }}({{ equal | join(' and ') }})
{%- endmacro %}
