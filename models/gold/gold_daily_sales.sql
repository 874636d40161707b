{{ config(materialized='materialized_view', unique_key=['date', 'region']) }}

with enriched_orders as (

    select * from {{ ref('silver_orders_enriched') }}

),

completed_orders as (

    select * from enriched_orders
    where status = 'completed'

),

final as (

    select
        -- `date` is the DLT original's column name
        to_date(order_date) as date,  -- noqa: RF04
        region,
        count(*) as order_count,
        sum(amount) as total_sales,
        avg(amount) as avg_order_value,
        count(distinct customer_id) as unique_customers
    from completed_orders
    group by to_date(order_date), region

)

select * from final
