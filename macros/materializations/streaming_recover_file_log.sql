{#-
    The table took a commit after the log was last written (a run stopped between its two
    commits): record the files whose rows the table already holds. Reads the table's
    `source_file` column once; never runs in a normal run.
-#}
{% macro streaming_recover_file_log(file_log, target_relation, table_version) %}
    {{ log(target_relation ~ ": reconciling the ingested-file log with table version "
        ~ table_version, info=true) }}
    {% call statement('recover_file_log') %}
        insert into {{ file_log }}
        select
            ingested.source_file,
            max(ingested.source_file_modified_at) as source_file_modified_at,
            cast(null as bigint) as source_file_size,
            max(ingested.ingestion_timestamp) as ingested_at,
            {{ table_version }} as target_version,
            '{{ invocation_id }}' as invocation_id
        from {{ target_relation }} as ingested
        left anti join {{ file_log }} as logged
            on ingested.source_file = logged.source_file
        group by ingested.source_file
    {% endcall %}
{% endmacro %}
