{#- The relations of the models and snapshots a materialized view selects from. -#}
{% macro materialized_view_upstreams(model_node) %}
    {%- set relations = [] -%}
    {%- for node_id in model_node.depends_on.nodes -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node is not none and node.resource_type in ('model', 'snapshot') -%}
            {%- do relations.append(api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias, type='table'
            )) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(relations) }}
{% endmacro %}
