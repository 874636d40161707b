{#-
    A SQL comment carrying the upstream versions this run reads, in the compiled code;
    record_change_feed_offsets (a post-hook) stores them once the model's write has committed.
    A run with nothing new carries `-- change_feed: nothing new` instead: it records nothing,
    and on Spark its MERGE is not run at all (spark__get_merge_sql).
-#}
{% macro change_feed_marker(feed) %}
    {%- if feed['mode'] != 'none' and feed['upstreams'] -%}
        {%- set versions = {} -%}
        {%- for name, upstream in feed['upstreams'].items() -%}
            {%- if upstream['current'] is not none -%}
                {%- do versions.update({name: upstream['current']}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if versions %}
-- change_feed_offsets: {{ tojson(versions) }}
        {%- endif -%}
    {%- elif feed['mode'] == 'none' %}
-- change_feed: nothing new
    {%- endif -%}
{% endmacro %}
