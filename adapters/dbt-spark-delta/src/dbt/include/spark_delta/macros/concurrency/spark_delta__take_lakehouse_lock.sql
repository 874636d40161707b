{#-
    The lock of a run on a Spark server: one row of `<schema>.lakehouse_lock`, taken through
    the server and renewed while the run lasts (the adapter's acquire_lakehouse_lock). Its
    lease, `var('lakehouse_lock_lease_seconds')` (300), is how long a run killed with
    `kill -9` keeps blocking the next one. The embedded engine's lock is its lock file, taken
    when the engine starts.
-#}
{% macro spark_delta__take_lakehouse_lock() %}
    {%- if execute -%}
        {%- set lock = adapter.acquire_lakehouse_lock(
            target.schema, invocation_id, var('lakehouse_lock_lease_seconds', 300)) -%}
        {{ log("lakehouse lock: held by this run (" ~ lock ~ ")", info=false) }}
    {%- endif -%}
{% endmacro %}
