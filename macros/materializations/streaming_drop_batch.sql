{#- Drop a streaming table's batch views (its file list and its lines) from the session. -#}
{% macro streaming_drop_batch(batch_view) %}
    {% do run_query("drop view if exists " ~ batch_view ~ "__files") %}
    {% do run_query("drop view if exists " ~ batch_view) %}
{% endmacro %}
