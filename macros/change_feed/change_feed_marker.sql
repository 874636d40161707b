{#-
    A SQL comment carrying the upstream versions this run reads, in the compiled code;
    record_change_feed_offsets (a post-hook) stores them once the model's write has committed.
    A run with nothing new carries `-- change_feed: nothing new` instead: it records nothing,
    and on Spark its MERGE is not run at all (the adapter's spark_delta__get_merge_sql).
-#}
{% macro change_feed_marker(feed) %}
    {%- set versions = change_feed_versions(feed) -%}
    {%- if feed['mode'] == 'none' %}
-- change_feed: nothing new
    {%- elif versions %}
-- change_feed_offsets: {{ tojson(versions) }}
    {%- endif -%}
{% endmacro %}
