{#-
    On Databricks: dbt-databricks' own MERGE, not run at all when the model's change feed had
    nothing new (change_feed_nothing_new): even a MERGE that changes nothing commits a version,
    which every consumer of the table would then read. On Spark the adapter's MERGE does the
    same (spark_delta__get_merge_sql in adapters/dbt-spark-delta).
-#}
{% macro databricks__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) %}
    {%- if change_feed_nothing_new() -%}
    select 'nothing new upstream' as merged
    {%- else -%}
    {{ dbt.databricks__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) }}
    {%- endif -%}
{% endmacro %}
