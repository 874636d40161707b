{#-
    A select of the rows of upstream `name` that changed in this run's feed, as they are now:
    per `unique_key`, its newest change row, unless that is a delete. `columns` are the
    upstream's columns to keep.
-#}
{% macro latest_changed_rows(feed, name, unique_key, columns) %}
    select {{ columns | join(', ') }}
    from (
        -- a window in a subquery: Delta resolves table_changes' columns after QUALIFY would run
        select
            *,
            row_number() over (partition by {{ unique_key }} order by _commit_version desc) as change_rank
        from {{ table_changes_of(feed, name) }}
        where _change_type != 'update_preimage'
    ) as changed_rows
    where change_rank = 1 and _change_type != 'delete'
{%- endmacro %}
