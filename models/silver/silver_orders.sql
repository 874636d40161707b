{{ config(
    unique_key='order_id',
    matched_condition=newer_version_condition(['customer_id', 'amount', 'status', 'order_date']),
) }}

{%- set fail_rules = model_expectations(model.name, ['fail']) %}

with checked_orders as (

    select * from {{ ref('silver_orders_checked') }}
    {{ incremental_window() }}

),

surviving_orders as (

    -- drop rules first; fail and warn rules are judged on the rows that survive them
    select * from checked_orders
    where size(failed_drop_expectations) = 0

),

fail_check as (

    {{ fail_expectations_message(
        'surviving_orders', fail_rules, ['order_id', 'status', 'source_file', 'source_line_number']
    ) }}

),

ranked_versions as (

    select
        *,
        row_number() over (
            partition by order_id
            order by source_file_modified_at desc, source_file desc, source_line_number desc
        ) as version_rank
    from surviving_orders

),

final as (

    select
        ranked_versions.order_id,
        ranked_versions.customer_id,
        ranked_versions.amount,
        ranked_versions.status,
        ranked_versions.order_date,
        ranked_versions.failed_row_expectations as warned_expectations,
        ranked_versions.source_file,
        ranked_versions.source_line_number,
        ranked_versions.source_file_modified_at,
        ranked_versions.ingestion_timestamp
    from ranked_versions
    cross join fail_check
    where
        ranked_versions.version_rank = 1
        -- a broken `fail` expectation stops the statement before Delta commits anything
        and assert_true(fail_check.failure_message is null, fail_check.failure_message) is null

)

select * from final
