create or replace table `main`.`medallion`.`gold_orders_by_customer`
    using delta
      CLUSTER BY (customer_id, order_date)
    tblproperties ('delta.enableChangeDataFeed' = 'true' , 'delta.enableDeletionVectors' = 'true'
    )
      as
      with enriched_orders as (
        select * from `main`.`medallion`.`silver_orders_enriched`
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
