{#- No two rows share the same values in all of `combination_of_columns` (a compound primary key). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with keyed_rows as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}

)

select * from keyed_rows
where row_count > 1

{% endtest %}
