-- The last 20 dbt invocations, newest first: what ran, how long it took, and what failed.
-- Source: dbt_run_log (one row per node per invocation).

with run_log as (

    select * from {{ ref('dbt_run_log') }}

),

runs as (

    select
        invocation_id,
        max(target_name) as target_name,
        max(command) as command,
        min(started_at) as started_at,
        max(completed_at) as completed_at,
        count_if(resource_type = 'model') as models,
        count_if(resource_type in ('test', 'unit_test')) as tests,
        count_if(status in ('error', 'fail')) as failed_nodes,
        count_if(status = 'warn') as warned_nodes,
        count_if(status = 'skipped') as skipped_nodes,
        sum(rows_inserted) as rows_inserted,
        sum(rows_updated) as rows_updated,
        sum(rows_deleted) as rows_deleted,
        array_join(
            array_sort(collect_list(case when status in ('error', 'fail') then node_name end)), ', '
        ) as failures
    from run_log
    group by invocation_id

),

final as (

    select
        invocation_id,
        target_name,
        command,
        started_at,
        completed_at,
        timestampdiff(second, started_at, completed_at) as wall_seconds,
        models,
        tests,
        failed_nodes,
        warned_nodes,
        skipped_nodes,
        rows_inserted,
        rows_updated,
        rows_deleted,
        failures,
        failed_nodes = 0 as succeeded
    from runs

)

select * from final
order by started_at desc
limit 20
