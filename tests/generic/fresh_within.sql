{#-
    Freshness: the newest `column_name` (a timestamp) is at most `hours` old. Returns one row
    when no row is that recent (then `newest_at` is NULL), or when the model has no rows at all.
    Only the rows of the last `hours` are read: the bound is a constant, so Delta skips every
    file whose statistics say it is older, and a table whose newest rows are recent reads those
    files alone, however long its history.
-#}
{% test fresh_within(model, column_name, hours) %}

with recent_rows as (

    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} >= current_timestamp() - make_interval(0, 0, 0, 0, {{ hours }}, 0, 0)

),

newest as (

    select max({{ column_name }}) as newest_at
    from recent_rows

)

select
    newest_at,
    {{ hours }} as hours_allowed
from newest
where newest_at is null

{% endtest %}
