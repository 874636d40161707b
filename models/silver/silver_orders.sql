{{ config(
    unique_key='order_id',
    matched_condition=newer_version_condition(['customer_id', 'amount', 'status', 'order_date']),
    tblproperties={'delta.enableChangeDataFeed': 'true', 'delta.enableDeletionVectors': 'true'},
    post_hook='{{ record_change_feed_offsets() }}',
) }}
{#- deletion vectors: its MERGE's updates fall in every file; Delta marks old rows deleted, copies no file #}

{#- bronze_orders commits only when a file is new: without a commit since the last run, silver_orders writes nothing #}
{%- set feed = change_feed([ref('bronze_orders')]) %}
{{ change_feed_marker(feed) }}
{#- a run that writes nothing judges nothing: its conditions are not expanded (that reads a seed) #}
{%- set fail_rules = model_expectations(model.name, ['fail']) if feed['mode'] != 'none' else [] %}

with checked_orders as (

    select * from {{ ref('silver_orders_checked') }}
    {{ incremental_window(feed=feed) }}

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

latest_versions as (

    -- one row per order: the version from the most recently modified file (ties: the greater path)
    select *
    from surviving_orders
    qualify
        row_number() over (
            partition by order_id
            order by source_file_modified_at desc, source_file desc, source_line_number desc
        ) = 1

),

final as (

    select
        latest_versions.order_id,
        latest_versions.customer_id,
        latest_versions.amount,
        latest_versions.status,
        latest_versions.order_date,
        latest_versions.failed_row_expectations as warned_expectations,
        latest_versions.source_file,
        latest_versions.source_line_number,
        latest_versions.source_file_modified_at,
        latest_versions.ingestion_timestamp
    from latest_versions
    cross join fail_check
    -- a broken `fail` expectation stops the statement before Delta commits anything
    where assert_true(fail_check.failure_message is null, fail_check.failure_message) is null

)

select * from final
