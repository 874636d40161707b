{#-
    True when `relation` exists as a Delta table whose commit log dbt can read with
    `describe history`; false for a view, a relation that is not built yet (a unit-test
    fixture), or Databricks' native streaming tables and materialized views.
-#}
{% macro delta_history_readable(relation) %}
    {%- if not execute or not relation.schema -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
    {{ return(found is not none and found.type in ('table', none)) }}
{% endmacro %}
