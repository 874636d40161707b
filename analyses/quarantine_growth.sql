-- What quarantine_orders holds, by failed expectation and source file, and how it grew run by
-- run. A row failing several expectations counts once under each of them.

with quarantine as (

    select * from {{ ref('quarantine_orders') }}

),

by_expectation as (

    select
        quarantine.source_file,
        quarantine.invocation_id,
        quarantine.quarantined_at,
        failed.expectation_name
    from quarantine
        lateral view explode(quarantine.failed_expectations) failed as expectation_name

),

per_file as (

    select
        expectation_name,
        source_file,
        invocation_id,
        min(quarantined_at) as quarantined_at,
        count(*) as rows_quarantined
    from by_expectation
    group by expectation_name, source_file, invocation_id

),

final as (

    select
        expectation_name,
        source_file,
        invocation_id,
        quarantined_at,
        rows_quarantined,
        sum(rows_quarantined) over (
            partition by expectation_name
            order by quarantined_at, source_file
            rows between unbounded preceding and current row
        ) as expectation_total_so_far
    from per_file

)

select * from final
order by expectation_name asc, quarantined_at asc, source_file asc
