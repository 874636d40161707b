{#-
    A MERGE condition: true when the source row differs from the target row in any of
    `compare_columns` (compared NULL-safely, so NULL to a value is a change).
-#}
{% macro any_column_changed(compare_columns) %}
    {%- set differs = [] -%}
    {%- for column_name in compare_columns -%}
        {%- do differs.append('not (DBT_INTERNAL_SOURCE.' ~ column_name ~ ' <=> DBT_INTERNAL_DEST.' ~ column_name ~ ')') -%}
    {%- endfor -%}
    ({{ differs | join(' or ') }})
{%- endmacro %}
