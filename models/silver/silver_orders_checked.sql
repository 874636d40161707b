{{ config(materialized='view') }}

{#- Expectations are declared once, on silver_orders (see _silver__models.yml); valid_status
    reads the allowed values from a seed, which must be loaded before the checks compile. -#}
-- depends_on: {{ ref('order_statuses') }}
{%- set drop_rules = model_expectations('silver_orders', ['drop']) %}
{%- set row_rules = model_expectations('silver_orders', ['fail', 'warn']) %}

with bronze_orders as (

    select * from {{ ref('bronze_orders') }}

),

typed_orders as (

    select
        try_cast(order_id as bigint) as order_id,
        try_cast(customer_id as bigint) as customer_id,
        try_cast(amount as decimal(10, 2)) as amount,
        status,
        try_to_timestamp(order_date) as order_date,
        order_id as raw_order_id,
        customer_id as raw_customer_id,
        amount as raw_amount,
        status as raw_status,
        order_date as raw_order_date,
        _rescued_data,
        _corrupt_record,
        is_malformed,
        source_file,
        source_line_number,
        source_file_modified_at,
        ingestion_timestamp
    from bronze_orders

),

final as (

    select
        *,
        {{ failed_expectations(drop_rules) }} as failed_drop_expectations,
        {{ failed_expectations(row_rules) }} as failed_row_expectations
    from typed_orders

)

select * from final
