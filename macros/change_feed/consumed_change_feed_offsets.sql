{#-
    {upstream name: last consumed Delta version} of the calling model; empty when it has none
    (the offsets table does not exist yet, or this model never recorded).
-#}
{% macro consumed_change_feed_offsets() %}
    {%- set offsets = change_feed_offsets_relation() -%}
    {%- if adapter.get_relation(offsets.database, offsets.schema, offsets.identifier) is none -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set rows = run_query(
        "select upstream_name, upstream_version from " ~ offsets
        ~ " where model_name = '" ~ this.identifier ~ "'"
    ).rows -%}
    {%- set consumed = {} -%}
    {%- for row in rows -%}
        {%- do consumed.update({row[0]: row[1] | int}) -%}
    {%- endfor -%}
    {{ return(consumed) }}
{% endmacro %}
