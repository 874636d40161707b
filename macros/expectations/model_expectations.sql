{#-
    The expectations declared for a model: its `expectation` data tests in the model's YAML,
    each {name, condition, action}, sorted by name. The single declaration that the model's
    filter, quarantine, fail check, metrics and data tests all derive from.
    dbt unit tests compile a model against a manifest without the graph: there the list is
    empty, so unit tests pin the logic around the expectations, not the declarations.
-#}
{% macro model_expectations(model_name, actions=['drop', 'fail', 'warn']) %}
    {%- set found = [] -%}
    {%- if execute and graph.nodes is defined -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'test'
            and (node.test_metadata or {}).get('name') == 'expectation'
            and node.attached_node == 'model.' ~ project_name ~ '.' ~ model_name -%}
            {%- set kwargs = node.test_metadata.kwargs -%}
            {%- if kwargs.action not in ['drop', 'fail', 'warn'] -%}
                {{ exceptions.raise_compiler_error(
                    "Expectation " ~ kwargs.expectation_name ~ " on " ~ model_name
                    ~ ": action must be drop, fail or warn, got " ~ kwargs.action) }}
            {%- endif -%}
            {%- if kwargs.action in actions -%}
                {%- do found.append({
                    'name': kwargs.expectation_name,
                    'condition': expectation_condition(kwargs),
                    'action': kwargs.action,
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found | sort(attribute='name')) }}
{% endmacro %}
