{#- Record the files of this run's batch in the log, with the table version holding them. -#}
{% macro streaming_record_files(file_log, target_relation, batch_view) %}
    {%- set table_version = run_query("describe history " ~ target_relation ~ " limit 1").columns['version'].values()[0] -%}
    {% call statement('record_ingested_files') %}
        insert into {{ file_log }}
        select
            source_file,
            source_file_modified_at,
            source_file_size,
            current_timestamp() as ingested_at,
            {{ table_version }} as target_version,
            '{{ invocation_id }}' as invocation_id
        from {{ batch_view }}__files
    {% endcall %}
{% endmacro %}
