{#-
    Freshness: the newest `column_name` (a timestamp) is at most `hours` old. Returns one row
    when no row is that recent (then `newest_at` is NULL), or when the model has no rows at all.
    For a Delta table whose rows get `column_name` when they are written (bronze's ingestion
    time), a commit that added rows less than `hours` - 1 ago proves it from the commit log,
    and the test reads no data file. Otherwise only the rows of the last `hours` are read: the
    bound is a constant, so Delta skips every file whose statistics say it is older.
-#}
{% test fresh_within(model, column_name, hours) %}

{%- set datetime = modules.datetime %}
{%- set written_at = newest_rows_committed_at(model) if execute and hours | float > 1 else none %}
{%- set now = datetime.datetime.now(modules.pytz.utc).replace(tzinfo=none) %}
{%- if written_at is not none and written_at >= now - datetime.timedelta(hours=hours | float - 1) %}

-- fresh: rows were committed at {{ written_at }} (UTC), within {{ hours }} hours
select
    cast(null as timestamp) as newest_at,
    {{ hours }} as hours_allowed
where false

{%- else %}

with recent_rows as (

    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} >= current_timestamp() - make_interval(0, 0, 0, 0, 0, 0, {{ hours | float * 3600 }})

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

{%- endif %}

{% endtest %}
