{#-
    SQL select-list items, one per expectation: `failed__<name>`, the count of rows failing it
    with DLT's order of judgement (drop rules on every row; fail and warn rules on the rows that
    survive the drop rules). Reads the columns of silver_orders_checked-like relations.
-#}
{% macro expectation_failure_counts(expectations) %}
    {%- for expectation in expectations %}
        {%- if expectation.action == 'drop' %}
    count_if(array_contains(failed_drop_expectations, '{{ expectation.name }}'))
        {%- else %}
    count_if(
        size(failed_drop_expectations) = 0
        and array_contains(failed_row_expectations, '{{ expectation.name }}')
    )
        {%- endif %} as failed__{{ expectation.name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
