{#-
    The Delta CHECK constraint that a data test states, as {name, expression}, from the test's
    `test_metadata` ({name, kwargs}): `not_null` on column c is `dbt_not_null_c` holding
    `c is not null`; `expression_is_true` is `dbt_expression_<first 8 hex digits of the
    expression's md5>` holding the expression. None for any other test. The one naming rule
    behind both the constraints a model declares (declared_constraints) and the tests that a
    table's constraints make redundant (test_enforced_by_constraint).
-#}
{% macro constraint_stated_by_test(test_metadata) %}
    {%- set test_name = (test_metadata or {}).get('name') -%}
    {%- set kwargs = (test_metadata or {}).get('kwargs') or {} -%}
    {%- if test_name == 'not_null' and kwargs.get('column_name') -%}
        {{ return({
            'name': 'dbt_not_null_' ~ kwargs['column_name'],
            'expression': kwargs['column_name'] ~ ' is not null',
        }) }}
    {%- elif test_name == 'expression_is_true' and kwargs.get('expression') -%}
        {{ return({
            'name': 'dbt_expression_' ~ local_md5(kwargs['expression'])[:8],
            'expression': kwargs['expression'],
        }) }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}
