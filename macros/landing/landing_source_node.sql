{#- The source node (from the graph) behind a relation returned by source(). -#}
{% macro landing_source_node(source_relation) %}
    {%- for node in graph.sources.values() -%}
        {%- if node.schema | lower == source_relation.schema | lower
            and node.identifier | lower == source_relation.identifier | lower -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("No source is defined for " ~ source_relation) }}
{% endmacro %}
