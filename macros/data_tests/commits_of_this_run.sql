{#-
    The Delta commits of `relation` made since this dbt invocation started (run_started_at),
    oldest first, from its commit log only (no data file is read); none when it is not a
    Delta table with a history (a view, a unit-test fixture, Databricks' native streaming
    tables and materialized views). Looks at the newest `limit` commits; more than that in
    one run returns none, and the caller checks the whole table.
-#}
{% macro commits_of_this_run(relation, limit=20) %}
    {%- if not delta_history_readable(relation) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set started = utc_datetime(run_started_at) -%}
    {%- set commits = delta_history(relation, limit) | selectattr('committed_at', 'ge', started) | list -%}
    {{ return(none if commits | length >= limit else commits | reverse | list) }}
{% endmacro %}
