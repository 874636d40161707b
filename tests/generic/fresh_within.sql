{#-
    Freshness: the newest `column_name` (a timestamp) is at most `hours` old. Returns one row
    (the newest value and its age) when it is older, or when the model has no rows at all.
-#}
{% test fresh_within(model, column_name, hours) %}

with newest as (

    select max({{ column_name }}) as newest_at
    from {{ model }}

)

select
    newest_at,
    timestampdiff(minute, newest_at, current_timestamp()) as age_minutes
from newest
where
    newest_at is null
    or newest_at < current_timestamp() - make_interval(0, 0, 0, 0, {{ hours }}, 0, 0)

{% endtest %}
