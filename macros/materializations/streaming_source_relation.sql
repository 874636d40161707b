{#- The one landing source a streaming table reads (via source() in its SQL). -#}
{% macro streaming_source_relation(model_node) %}
    {%- set source_ids = [] -%}
    {%- for node_id in model_node.depends_on.nodes
        if node_id.startswith('source.') and node_id not in source_ids -%}
        {%- do source_ids.append(node_id) -%}
    {%- endfor -%}
    {%- if source_ids | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "A streaming_table reads exactly one source; " ~ model_node.name ~ " reads "
            ~ source_ids | length) }}
    {%- endif -%}
    {%- set node = graph.sources[source_ids[0]] -%}
    {{ return(api.Relation.create(schema=node.schema, identifier=node.identifier)) }}
{% endmacro %}
