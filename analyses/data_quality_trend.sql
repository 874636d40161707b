-- Each expectation's failure rate run by run: is data quality getting worse?
-- Source: data_quality_metrics (one row per run and expectation).

with metrics as (

    select * from {{ ref('data_quality_metrics') }}

),

final as (

    select
        table_name,
        expectation_name,
        expectation_action,
        invocation_id,
        measured_at,
        rows_checked,
        rows_failed,
        round(100.0 * rows_failed / nullif(rows_checked, 0), 3) as failed_percent,
        rows_failed - lag(rows_failed) over (
            partition by table_name, expectation_name order by measured_at
        ) as failed_change_from_previous_run
    from metrics

)

select * from final
order by table_name asc, expectation_name asc, measured_at asc
