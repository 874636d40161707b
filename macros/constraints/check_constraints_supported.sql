{#-
    True when a model materialized as `materialized` is a Delta table that can carry CHECK
    constraints. On Spark every materialization of the project writes one (views excepted).
-#}
{% macro check_constraints_supported(materialized) %}
    {{ return(adapter.dispatch('check_constraints_supported')(materialized)) }}
{% endmacro %}

{% macro default__check_constraints_supported(materialized) %}
    {{ return(materialized in ('table', 'incremental', 'streaming_table', 'materialized_view')) }}
{% endmacro %}

{#- Databricks' native streaming tables and materialized views check DLT expectations instead. -#}
{% macro databricks__check_constraints_supported(materialized) %}
    {{ return(materialized in ('table', 'incremental')) }}
{% endmacro %}
