{{ config(
    unique_key='customer_id',
    matched_condition=any_column_changed(['customer_name', 'email', 'customer_segment', 'region']),
    not_matched_by_source_action='delete',
    tblproperties={'delta.enableChangeDataFeed': 'true'},
    post_hook='{{ record_change_feed_offsets() }}',
) }}

{#- without a commit of bronze_customers since the last run, nothing is merged (on Spark) #}
{%- set feed = change_feed([ref('bronze_customers')]) %}
{{ change_feed_marker(feed) }}

with bronze_customers as (

    select * from {{ ref('bronze_customers') }}

),

typed_customers as (

    select
        try_cast(customer_id as bigint) as customer_id,
        cast(customer_name as string) as customer_name,
        cast(email as string) as email,
        cast(customer_segment as string) as customer_segment,
        cast(region as string) as region,
        source_file,
        source_file_modified_at
    from bronze_customers

),

latest_customers as (

    -- one row per customer: the newest file's (ties: the greater path)
    select *
    from typed_customers
    where customer_id is not null
    qualify
        row_number() over (
            partition by customer_id
            order by source_file_modified_at desc, source_file desc
        ) = 1

),

final as (

    select
        customer_id,
        customer_name,
        email,
        customer_segment,
        region
    from latest_customers

)

select * from final
