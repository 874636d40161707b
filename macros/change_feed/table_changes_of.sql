{#-
    The change rows (Delta Change Data Feed) of upstream `name` that `feed` reads in this
    run: versions consumed + 1 to current, with `_change_type`, `_commit_version` and
    `_commit_timestamp`.
-#}
{% macro table_changes_of(feed, name) %}
    {%- set upstream = feed['upstreams'][name] -%}
    table_changes('{{ upstream["relation"] }}', {{ upstream['consumed'] + 1 }}, {{ upstream['current'] }})
{%- endmacro %}
