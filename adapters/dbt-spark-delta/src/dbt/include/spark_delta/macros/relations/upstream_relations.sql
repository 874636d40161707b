{#-
    The relations a model selects from: {'tables': models and snapshots, 'landing_sources':
    sources, read whole} (a materialized view's and a snapshot's upstreams).
-#}
{% macro spark_delta__upstream_relations(model_node) %}
    {%- set landing_sources = [] -%}
    {%- set relations = [] -%}
    {%- for node_id in model_node.depends_on.nodes -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node is not none and node.resource_type in ('model', 'snapshot') -%}
            {%- do relations.append(api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias, type='table'
            )) -%}
        {%- elif node_id in graph.sources -%}
            {%- set source_node = graph.sources[node_id] -%}
            {%- do landing_sources.append(source(source_node.source_name, source_node.name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'tables': relations, 'landing_sources': landing_sources}) }}
{% endmacro %}
