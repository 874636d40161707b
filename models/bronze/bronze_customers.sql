{#-
    The current customer extract. A materialized view: on Spark it is rebuilt only when the
    extract's files changed (paths, sizes, modification times), and a run with the same files
    reads and writes nothing; on Databricks a native materialized view.
-#}
{{ config(materialized='materialized_view') }}

with landed_customers as (

    select
        *,
        _metadata.file_path as source_file,
        _metadata.file_modification_time as source_file_modified_at
    from {{ landing_files(source('landing', 'customers')) }}  -- noqa: PRS

),

final as (

    select
        {%- for column_name in source_column_names(source('landing', 'customers')) %}
            {{ column_name }},
        {%- endfor %}
        source_file,
        source_file_modified_at,
        current_timestamp() as ingestion_timestamp
    from landed_customers

)

select * from final
