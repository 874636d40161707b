{#- The column names a source declares in its YAML: the landing data contract. -#}
{% macro source_column_names(source_relation) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(landing_source_node(source_relation).columns.keys() | list) }}
{% endmacro %}
