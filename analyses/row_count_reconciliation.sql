-- Every bronze order row that silver has checked is accounted for exactly once: quarantined,
-- or merged into silver as the latest version of its order in its run, or suppressed there as
-- an older/repeated version. `unaccounted_rows` must be 0. Rows ingested after the last
-- successful silver run (e.g. a run a `fail` expectation stopped) are reported as waiting.

with bronze_orders as (

    select * from {{ ref('bronze_orders') }}

),

quarantine_orders as (

    select * from {{ ref('quarantine_orders') }}

),

metrics as (

    select * from {{ ref('data_quality_metrics') }}

),

metric_runs as (

    -- the run-level counts repeat on each expectation's row: one row per run
    select
        invocation_id,
        max(total_records) as total_records,
        max(records_quarantined) as records_quarantined,
        max(orders_merged) as orders_merged,
        max(duplicates_suppressed) as duplicates_suppressed,
        max(source_processed_through) as source_processed_through
    from metrics
    group by invocation_id

),

run_totals as (

    select
        max(source_processed_through) as checked_through,
        sum(total_records) as rows_checked_by_silver,
        sum(orders_merged) as merged_into_silver,
        sum(duplicates_suppressed) as duplicates_suppressed
    from metric_runs

),

bronze_totals as (

    select
        count_if(bronze_orders.ingestion_timestamp <= run_totals.checked_through) as bronze_rows,
        count_if(not coalesce(bronze_orders.ingestion_timestamp <= run_totals.checked_through, false))
            as rows_awaiting_silver
    from bronze_orders
    cross join run_totals

),

quarantine_totals as (

    select count(*) as quarantined_rows
    from quarantine_orders
    cross join run_totals
    where quarantine_orders.ingestion_timestamp <= run_totals.checked_through

),

final as (

    select
        bronze_totals.bronze_rows,
        quarantine_totals.quarantined_rows,
        run_totals.merged_into_silver,
        run_totals.duplicates_suppressed,
        bronze_totals.bronze_rows - (
            quarantine_totals.quarantined_rows
            + run_totals.merged_into_silver
            + run_totals.duplicates_suppressed
        ) as unaccounted_rows,
        bronze_totals.bronze_rows = run_totals.rows_checked_by_silver as every_bronze_row_checked,
        bronze_totals.rows_awaiting_silver,
        run_totals.checked_through
    from bronze_totals
    cross join quarantine_totals
    cross join run_totals

)

select * from final
