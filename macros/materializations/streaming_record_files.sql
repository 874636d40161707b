{#-
    Record the files of this run's batch in the log, with the table version holding them.
    First checks that every file of the batch with content (`glob` names them) is still there: a file
    deleted while the run went on may not have been read, so none is recorded then, and the
    run fails naming it. The table is ahead of the log, so the next run records the files
    whose rows the table holds (streaming_recover_file_log), and a missing file that lands
    again is ingested then.
-#}
{% macro streaming_record_files(file_log, target_relation, batch_view, glob) %}
    {%- set missing = [] -%}
    {%- if glob -%}
        {%- set present = run_query("select path from binaryFile.`" ~ glob ~ "`").columns[0].values() -%}
        {%- set missing = run_query(
            "select source_file from " ~ batch_view ~ "__files where source_file_size > 0").columns[0].values()
            | reject('in', present) | list -%}
    {%- endif -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            missing | length ~ " landed file(s) of this run's batch disappeared before they were "
            ~ "recorded: " ~ missing | sort | join(', ') ~ ". The rows read were committed to "
            ~ target_relation ~ "; no file of the batch is marked ingested. The next run records "
            ~ "the files whose rows the table holds, and ingests a missing file if it lands again.") }}
    {%- endif -%}
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
