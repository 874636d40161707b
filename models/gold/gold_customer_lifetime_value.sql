{{ config(materialized='materialized_view', unique_key=['customer_id', 'customer_name', 'customer_segment']) }}

with enriched_orders as (

    select * from {{ ref('silver_orders_enriched') }}

),

completed_orders as (

    select * from enriched_orders
    where status = 'completed'

),

final as (

    select
        customer_id,
        customer_name,
        customer_segment,
        count(*) as total_orders,
        sum(amount) as lifetime_value,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        avg(amount) as avg_order_value
    from completed_orders
    group by customer_id, customer_name, customer_segment

)

select * from final
