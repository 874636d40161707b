-- Point-in-time enrichment: each order with the customer's version in force when the order was
-- placed (which region was this customer in when they placed this order?), from the SCD type 2
-- history customers_history. Versions are half-open: [dbt_valid_from, dbt_valid_to).
--
-- History starts with the first build that ran the snapshot, and its times are snapshot times:
-- an order placed before the customer's first recorded version has no version to join, so it
-- gets history_status 'before_history' and NULL attributes (silver_orders_enriched carries the
-- current ones). An order placed after the customer left the extract joins the deleted record:
-- 'customer_left', NULL attributes. An order whose customer never appeared: 'unknown_customer'.

with silver_orders as (

    select * from {{ ref('silver_orders') }}

),

customers_history as (

    select * from {{ ref('customers_history') }}

),

first_versions as (

    select
        customer_id,
        min(dbt_valid_from) as history_starts_at
    from customers_history
    group by customer_id

),

orders_with_version as (

    select
        silver_orders.order_id,
        silver_orders.customer_id,
        silver_orders.order_date,
        silver_orders.amount,
        silver_orders.status,
        customers_history.dbt_scd_id,
        -- 'True' / 'False' from dbt-spark's snapshot, a boolean from dbt-databricks'
        lower(cast(customers_history.dbt_is_deleted as string)) = 'true' as customer_left,
        customers_history.customer_name,
        customers_history.customer_segment,
        customers_history.region,
        first_versions.history_starts_at
    from silver_orders
    left join customers_history
        on
            silver_orders.customer_id = customers_history.customer_id
            and silver_orders.order_date >= customers_history.dbt_valid_from
            and silver_orders.order_date < customers_history.dbt_valid_to
    left join first_versions
        on silver_orders.customer_id = first_versions.customer_id

),

final as (

    select
        order_id,
        customer_id,
        order_date,
        amount,
        status,
        case when not customer_left then customer_name end as customer_name,
        case when not customer_left then customer_segment end as customer_segment,
        case when not customer_left then region end as region,
        case
            when history_starts_at is null then 'unknown_customer'
            when customer_left then 'customer_left'
            when dbt_scd_id is not null then 'in_history'
            else 'before_history'
        end as history_status
    from orders_with_version

)

select * from final
