{#-
    dbt's `get_columns_in_relation` macro returns Column objects, as the adapter method does.
    dbt-spark's returns the raw rows of `describe extended` instead, so dbt-core's macros that
    read a column's `.name` get nothing: a snapshot with `hard_deletes: new_record` then writes
    its deletion records with NULL in every source column. Here the macro returns the adapter's
    parsed columns (nothing in dbt-spark calls the macro itself; its Python side reads
    `get_columns_in_relation_raw`).
-#}
{% macro spark_delta__get_columns_in_relation(relation) -%}
    {{ return(adapter.get_columns_in_relation(relation)) }}
{%- endmacro %}
