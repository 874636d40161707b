-- For each landed order file: from its modification time (landing) to the end of the first
-- successful build of gold_daily_sales that included it (visible in gold).

with bronze_orders as (

    select * from {{ ref('bronze_orders') }}

),

run_log as (

    select * from {{ ref('dbt_run_log') }}

),

landed_files as (

    select
        source_file,
        min(source_file_modified_at) as landed_at,
        min(ingestion_timestamp) as ingested_at,
        count(*) as line_count
    from bronze_orders
    group by source_file

),

gold_builds as (

    select completed_at as gold_visible_at
    from run_log
    where
        node_name = 'gold_daily_sales'
        and status = 'success'

),

file_latency as (

    select
        landed_files.source_file,
        landed_files.line_count,
        landed_files.landed_at,
        landed_files.ingested_at,
        min(gold_builds.gold_visible_at) as gold_visible_at
    from landed_files
    left join gold_builds
        on landed_files.ingested_at <= gold_builds.gold_visible_at
    group by
        landed_files.source_file,
        landed_files.line_count,
        landed_files.landed_at,
        landed_files.ingested_at

),

final as (

    select
        source_file,
        line_count,
        landed_at,
        ingested_at,
        gold_visible_at,
        timestampdiff(second, landed_at, ingested_at) as landing_to_bronze_seconds,
        timestampdiff(second, ingested_at, gold_visible_at) as bronze_to_gold_seconds,
        timestampdiff(second, landed_at, gold_visible_at) as end_to_end_seconds
    from file_latency

)

select * from final
order by landed_at desc
