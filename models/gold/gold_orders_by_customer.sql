{{ config(liquid_clustered_by=['customer_id', 'order_date']) }}

with enriched_orders as (

    select * from {{ ref('silver_orders_enriched') }}

),

final as (

    select
        customer_id,
        order_date,
        order_id,
        amount,
        status,
        customer_name,
        customer_segment,
        region
    from enriched_orders

)

select * from final
