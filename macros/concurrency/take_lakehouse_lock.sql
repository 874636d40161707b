{#-
    on-run-start: take the lakehouse's lock for this run, so that a second run on the same
    lakehouse fails at once naming the first (another run holds this lakehouse since …, pid …).
    The Spark adapter implements it; on Databricks the job's `max_concurrent_runs: 1` holds
    runs apart, and nothing is taken here.
-#}
{% macro take_lakehouse_lock() %}
    {{ return(adapter.dispatch('take_lakehouse_lock')()) }}
{% endmacro %}

{% macro default__take_lakehouse_lock() %}
{% endmacro %}
