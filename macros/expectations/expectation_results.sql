{#-
    SQL: an array with one struct per expectation (expectation_name, expectation_condition,
    expectation_action, rows_checked, rows_failed), built from the columns of a row holding
    expectation_failure_counts() plus `total_records` and `surviving_records`.
-#}
{% macro expectation_results(expectations) %}
    array(
        {%- for expectation in expectations %}
        named_struct(
            'expectation_name', '{{ expectation.name }}',
            'expectation_condition', '{{ expectation.condition | replace("'", "\\'") }}',
            'expectation_action', '{{ expectation.action }}',
            'rows_checked', {{ 'total_records' if expectation.action == 'drop' else 'surviving_records' }},
            'rows_failed', failed__{{ expectation.name }}
        ){{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
