{{ config(
    unique_key=['source_file', 'source_line_number'],
    skip_matched_step=true,
    tblproperties={'delta.enableChangeDataFeed': 'true'},
    post_hook='{{ record_change_feed_offsets() }}',
) }}

{%- set feed = change_feed([ref('bronze_orders')]) %}
{{ change_feed_marker(feed) }}

with checked_orders as (

    select * from {{ ref('silver_orders_checked') }}
    {{ incremental_window(feed=feed) }}

),

final as (

    select
        raw_order_id as order_id,
        raw_customer_id as customer_id,
        raw_amount as amount,
        raw_status as status,
        raw_order_date as order_date,
        _rescued_data,
        _corrupt_record,
        is_malformed,
        failed_drop_expectations as failed_expectations,
        source_file,
        source_line_number,
        source_file_modified_at,
        ingestion_timestamp,
        '{{ invocation_id }}' as invocation_id,
        current_timestamp() as quarantined_at
    from checked_orders
    where size(failed_drop_expectations) > 0

)

select * from final
