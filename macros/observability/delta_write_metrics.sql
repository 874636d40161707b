{#-
    What the Delta commits a node made between `started_at` and `completed_at` (naive UTC
    datetimes, dbt's node timing) wrote, from the table's history (`operationMetrics`):
    {inserted, updated, deleted} row counts summed over those commits, or none when the engine
    keeps no history for the relation. A model whose compiled code says its change feed had
    nothing new (change_feed_marker) committed nothing: no history is read for it.
-#}
{% macro delta_write_metrics(node, started_at, completed_at) %}
    {{ return(adapter.dispatch('delta_write_metrics')(node, started_at, completed_at)) }}
{% endmacro %}

{% macro default__delta_write_metrics(node, started_at, completed_at) %}
    {%- if node.config.materialized in ('view', 'ephemeral') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if '-- change_feed: nothing new' in (node.compiled_code or '') -%}
        {{ return({'inserted': 0, 'updated': 0, 'deleted': 0}) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
    {%- if relation is none or relation.is_view -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set slack = modules.datetime.timedelta(seconds=1) -%}
    {%- set written = {'inserted': 0, 'updated': 0, 'deleted': 0} -%}
    {%- for commit in run_query("describe history " ~ relation ~ " limit 20").rows -%}
        {%- set committed_at = utc_datetime(commit['timestamp']) -%}
        {%- if started_at - slack <= committed_at <= completed_at + slack and commit['operationMetrics'] -%}
            {%- set operation = fromjson(commit['operationMetrics']) -%}
            {%- do written.update({
                'inserted': written.inserted + (operation.get('numTargetRowsInserted') or operation.get('numOutputRows') or 0) | int,
                'updated': written.updated + (operation.get('numTargetRowsUpdated') or operation.get('numUpdatedRows') or 0) | int,
                'deleted': written.deleted + (operation.get('numTargetRowsDeleted') or operation.get('numDeletedRows') or 0) | int,
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(written) }}
{% endmacro %}

{#- Databricks keeps no Delta history readable this way for streaming tables and materialized views. -#}
{% macro databricks__delta_write_metrics(node, started_at, completed_at) %}
    {%- if node.config.materialized in ('streaming_table', 'materialized_view') -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(default__delta_write_metrics(node, started_at, completed_at)) }}
{% endmacro %}
