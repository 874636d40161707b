{{ config(
    full_refresh=false,
    post_hook=['{{ record_change_feed_offsets() }}', '{{ log_expectation_results() }}'],
) }}

-- Runs after the models it reports on, so a run that a `fail` expectation stopped appends nothing.
-- depends_on: {{ ref('silver_orders') }}
-- depends_on: {{ ref('quarantine_orders') }}

{%- set expectations = model_expectations('silver_orders') %}
{%- set feed = change_feed([ref('bronze_orders')]) %}
{{ change_feed_marker(feed) }}

with checked_orders as (

    select * from {{ ref('silver_orders_checked') }}
    {{ incremental_window(watermark_column='source_processed_through', feed=feed) }}

),

run_counts as (

    select
        {{ expectation_failure_counts(expectations) }},
        count(*) as total_records,
        count_if(order_id is null) as null_order_ids,
        count_if(not coalesce(amount > 0, false)) as invalid_amounts,
        count_if(raw_order_date is not null and order_date is null) as unparsed_order_dates,
        count_if(size(failed_drop_expectations) = 0) as surviving_records,
        count(distinct case when size(failed_drop_expectations) = 0 then order_id end) as orders_merged,
        max(ingestion_timestamp) as source_processed_through
    from checked_orders

),

per_expectation as (

    select
        run_counts.*,
        expectation_result.*
    from run_counts
        lateral view inline({{ expectation_results(expectations) }}) expectation_result

),

final as (

    select
        '{{ invocation_id }}' as invocation_id,
        current_timestamp() as measured_at,
        -- table_name is the DLT original's column name
        'silver_orders' as table_name,  -- noqa: RF04
        expectation_name,
        expectation_condition,
        expectation_action,
        rows_checked,
        rows_checked - rows_failed as rows_passed,
        rows_failed,
        case
            when expectation_action = 'drop' then 'dropped'
            when expectation_action = 'warn' then 'kept, warned'
            when rows_failed > 0 then 'stopped the run'
            else 'none'
        end as action_taken,
        total_records,
        null_order_ids,
        invalid_amounts,
        unparsed_order_dates,
        total_records - surviving_records as records_quarantined,
        orders_merged,
        surviving_records - orders_merged as duplicates_suppressed,
        source_processed_through
    from per_expectation
    {%- if feed.mode == 'none' %}
        -- nothing new: no rows (an aggregate over no rows would still give one)
        where false
    {%- endif %}

)

select * from final
