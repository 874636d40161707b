{#-
    ` version as of N`: upstream `name` read at the version whose changes `feed` reads (N is
    its current version), so a model sees one consistent state of it. Needed too where a
    statement also reads the upstream's change feed: Spark's analyzer resolves
    `table_changes(t)` and a plain `t` in one statement to the same cached relation, and the
    change columns are lost; a time-travel read is resolved apart.
-#}
{% macro change_feed_snapshot(feed, name) %}
    {%- set upstream = feed['upstreams'].get(name) -%}
    {%- if upstream is not none and upstream['current'] is not none %} version as of {{ upstream['current'] }}{% endif -%}
{%- endmacro %}
