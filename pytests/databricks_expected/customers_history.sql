create or replace table `main`.`medallion`.`customers_history`
    using delta
      as
      select *,
        md5(coalesce(cast(customer_id as string ), '')
         || '|' || coalesce(cast(
    current_timestamp()
 as string ), '')
        ) as dbt_scd_id,
    current_timestamp()
 as dbt_updated_at,
    current_timestamp()
 as dbt_valid_from,
  coalesce(nullif(
    current_timestamp()
,
    current_timestamp()
), cast('9999-12-31 00:00:00' as timestamp))
  as dbt_valid_to
, false as dbt_is_deleted
    from (
        select * from `main`.`medallion`.`silver_customers`
    ) sbq
