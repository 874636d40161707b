{#-
    True when the calling model's compiled code says its change feed had nothing new
    (change_feed_marker): no upstream has a commit since its last run.
-#}
{% macro change_feed_nothing_new() %}
    {{ return('-- change_feed: nothing new' in (model.compiled_code or '')) }}
{% endmacro %}
