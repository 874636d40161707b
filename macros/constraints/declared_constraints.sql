{#-
    The Delta CHECK constraints a model's declarations imply, each {name, expression}, sorted
    by name: one per `not_null` data test on a column (`dbt_not_null_<column>`), one per
    `expression_is_true` test (`dbt_expression_<md5 of the expression>`), and one per `drop`
    or `fail` expectation (`dbt_<expectation>`), whose condition every row the model keeps
    satisfies. `warn` expectations keep failing rows, so they imply none. Delta rejects
    a row whose condition is NULL, as DLT's expectations do.
-#}
{% macro declared_constraints(model_name) %}
    {%- set found = [] -%}
    {%- if execute and graph.nodes is defined -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'test'
            and (node.test_metadata or {}).get('name') in ('not_null', 'expression_is_true')
            and node.attached_node == 'model.' ~ project_name ~ '.' ~ model_name -%}
            {%- set kwargs = node.test_metadata.kwargs -%}
            {%- if node.test_metadata.name == 'not_null' -%}
                {%- do found.append({
                    'name': 'dbt_not_null_' ~ kwargs.column_name,
                    'expression': kwargs.column_name ~ ' is not null',
                }) -%}
            {%- else -%}
                {%- do found.append({
                    'name': 'dbt_expression_' ~ local_md5(kwargs.expression)[:8],
                    'expression': kwargs.expression,
                }) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for expectation in model_expectations(model_name, ['drop', 'fail']) -%}
            {%- do found.append({'name': 'dbt_' ~ expectation.name, 'expression': expectation.condition}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found | sort(attribute='name')) }}
{% endmacro %}
