{#-
    dbt-spark sets a model's `tblproperties` only when it creates the table; dbt-databricks also
    applies them to an existing table. This does the same on Spark before an incremental MERGE
    writes: one metadata query (`show tblproperties`), then one `alter table ... set
    tblproperties` with the declared properties the table lacks or holds with another value
    (a property added to a model, e.g. deletion vectors, reaches tables built before it).
    Properties the model does not declare are left as they are.
-#}
{% macro spark_delta__apply_tblproperties(relation) %}
    {%- set declared = config.get('tblproperties') or {} -%}
    {%- if not declared or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set existing = {} -%}
    {%- for row in run_query('show tblproperties ' ~ relation).rows -%}
        {%- do existing.update({row[0]: row[1] | string}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for key, value in declared.items() if existing.get(key) != (value | string) -%}
        {%- do missing.append("'" ~ key ~ "' = '" ~ value ~ "'") -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- do run_query('alter table ' ~ relation ~ ' set tblproperties (' ~ missing | join(', ') ~ ')') -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
