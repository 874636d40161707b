{#-
    A DLT-style expectation, declared once in a model's YAML: `expectation_name`, a SQL
    `condition` a row must make TRUE (NULL fails), or instead a `column` whose value must be
    one of a seed's (`values_seed`: reference data lives in seeds/), and the `action` on a
    failing row:
      drop  the model filters the row out and quarantine keeps it   (this test: warn)
      fail  the model stops before it writes anything               (this test: error)
      warn  the row is kept and counted                             (this test: warn)
    The model, its quarantine and data_quality_metrics read the same declaration
    (macro model_expectations); this test checks the built table holds no failing row.
-#}
{% test expectation(model, expectation_name, action, condition=none, column=none, values_seed=none) %}

{{ config(
    severity=('error' if action == 'fail' else 'warn'),
    tags=['expectation', 'expectation_' ~ action],
) }}

select *
from {{ model }}
where not coalesce({{ expectation_condition({
    'expectation_name': expectation_name,
    'condition': condition,
    'column': column,
    'values_seed': values_seed,
}) }}, false)

{% endtest %}
