{#- Every row of the model makes `expression` TRUE (an invariant of the model's grain). -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
