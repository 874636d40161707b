merge
into
    `main`.`medallion`.`silver_orders` as DBT_INTERNAL_DEST
using
    `silver_orders__dbt_tmp` as DBT_INTERNAL_SOURCE
on
          DBT_INTERNAL_SOURCE.`order_id` <=> DBT_INTERNAL_DEST.`order_id`
when matched
    and ((DBT_INTERNAL_SOURCE.source_file_modified_at > DBT_INTERNAL_DEST.source_file_modified_at
    or (DBT_INTERNAL_SOURCE.source_file_modified_at = DBT_INTERNAL_DEST.source_file_modified_at
        and DBT_INTERNAL_SOURCE.source_file > DBT_INTERNAL_DEST.source_file))
and (not (DBT_INTERNAL_SOURCE.customer_id <=> DBT_INTERNAL_DEST.customer_id) or not (DBT_INTERNAL_SOURCE.amount <=> DBT_INTERNAL_DEST.amount) or not (DBT_INTERNAL_SOURCE.status <=> DBT_INTERNAL_DEST.status) or not (DBT_INTERNAL_SOURCE.order_date <=> DBT_INTERNAL_DEST.order_date)))
    then update set
        *
when not matched
    then insert
        *
