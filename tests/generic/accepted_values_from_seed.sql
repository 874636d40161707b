{#-
    Every non-NULL value of the column is one of the seed's values in its column of the same
    name (reference data: seeds/). The values are read as an expectation reads them
    (macro seed_values), so the test needs no join and runs before the seed is loaded on Spark.
-#}
{% test accepted_values_from_seed(model, column_name, seed) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} not in ({{ seed_values(seed, column_name) }})

{% endtest %}
