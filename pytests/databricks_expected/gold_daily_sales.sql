create or replace materialized view `main`.`medallion`.`gold_daily_sales`
  (
      `date` date COMMENT '`to_date(order_date)` (UTC); NULL for orders without a valid timestamp.',
      `region` string COMMENT 'Customer region; NULL for unknown customers or customers without one.',
      `order_count` bigint COMMENT 'Completed orders that day in that region.',
      `total_sales` decimal(20,2) COMMENT 'Sum of their amounts.',
      `avg_order_value` decimal(14,6) COMMENT 'Average amount of those orders.',
      `unique_customers` bigint COMMENT 'Distinct non-NULL customer ids among those orders.'
  )
    COMMENT 'Completed orders per day (`to_date(order_date)`, UTC) and customer region: order count, total
and average amount, distinct customers. NULL dates and NULL regions are groups like any other.
`materialized_view`: a Databricks materialized view; on Spark a Delta table recomputed each run.'
  as
    with enriched_orders as (
    select * from `main`.`medallion`.`silver_orders_enriched`
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
