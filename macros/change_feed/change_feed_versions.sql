{#-
    {upstream name: version} that `feed` reads in this run: the versions to record once the
    model's write has committed (none for an upstream without a version).
-#}
{% macro change_feed_versions(feed) %}
    {%- set versions = {} -%}
    {%- for name, upstream in feed['upstreams'].items() if upstream['current'] is not none -%}
        {%- do versions.update({name: upstream['current']}) -%}
    {%- endfor -%}
    {{ return(versions) }}
{% endmacro %}
