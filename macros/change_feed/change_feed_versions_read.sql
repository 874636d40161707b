{#-
    {upstream name: Delta version} that the calling model's compiled code read from its change
    feed in this run (see change_feed_marker); empty when it had nothing new to read.
-#}
{% macro change_feed_versions_read() %}
    {%- set found = modules.re.search('-- change_feed_offsets: (\\{.*\\})', model.compiled_code or '') -%}
    {{ return(fromjson(found.group(1)) if found else {}) }}
{% endmacro %}
