{#-
    The Delta CHECK constraints a model's declarations imply, each {name, expression}, sorted
    by name: the one each `not_null` or `expression_is_true` data test on the model states
    (constraint_stated_by_test), and one per `drop` or `fail` expectation
    (`dbt_<expectation>`), whose condition every row the model keeps satisfies. `warn`
    expectations keep failing rows, so they imply none. Delta rejects a row whose condition is
    NULL, as DLT's expectations do.
-#}
{% macro declared_constraints(model_name) %}
    {%- set found = [] -%}
    {%- if execute and graph.nodes is defined -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'test'
            and node.attached_node == 'model.' ~ project_name ~ '.' ~ model_name -%}
            {%- set constraint = constraint_stated_by_test(node.test_metadata) -%}
            {%- if constraint is not none -%}
                {%- do found.append(constraint) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for expectation in model_expectations(model_name, ['drop', 'fail']) -%}
            {%- do found.append({'name': 'dbt_' ~ expectation.name, 'expression': expectation.condition}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found | sort(attribute='name')) }}
{% endmacro %}
