{{ config(materialized='table') }}

with silver_orders as (

    select * from {{ ref('silver_orders') }}

),

silver_customers as (

    select * from {{ ref('silver_customers') }}

),

final as (

    select
        silver_orders.order_id,
        silver_orders.customer_id,
        silver_orders.amount,
        silver_orders.status,
        silver_orders.order_date,
        silver_customers.customer_name,
        silver_customers.customer_segment,
        silver_customers.region,
        silver_orders.source_file,
        silver_orders.source_file_modified_at
    from silver_orders
    left join silver_customers
        on silver_orders.customer_id = silver_customers.customer_id

)

select * from final
