{#-
    The ingested-file log of a streaming table (see streaming_table.sql): which landed files
    are in the table, with their size and modification time when ingested and the table
    version that holds their rows.
-#}

{#-
    Make sure the file log exists (a new, empty one when the table is rebuilt), and that it
    holds every file whose rows are already in the table: when the table has commits the log
    does not know of, and one of them may have added rows (a run stopped between its two
    commits), record the files the table holds (reads its `source_file` column once; never
    in a normal run).
-#}
{% macro spark_delta__streaming_prepare_file_log(names, target_relation, reset) %}
    {%- set file_log = names['file_log'] -%}
    {% do run_query("create table if not exists " ~ file_log ~ " (
        source_file string not null,
        source_file_modified_at timestamp,
        source_file_size bigint,
        ingested_at timestamp not null,
        target_version bigint not null,
        invocation_id string
    ) using delta") %}
    {%- if reset -%}
        {% do run_query("delete from " ~ file_log) %}
        {{ return(none) }}
    {%- endif -%}
    {%- set logged_version = run_query(
        "select max(target_version) as logged_version from " ~ file_log
    ).columns['logged_version'].values()[0] -%}
    {%- set history = run_query("describe history " ~ target_relation ~ " limit 50") -%}
    {%- set table_version = history.columns['version'].values() | max -%}
    {%- if logged_version == table_version -%}
        {{ return(none) }}
    {%- endif -%}
    {#- Commits the log does not know of: recover only if one of them may have added rows. -#}
    {%- set adds_rows = [logged_version is none or logged_version < history.columns['version'].values() | min] -%}
    {%- for commit in history.rows if logged_version is not none and commit['version'] > logged_version -%}
        {%- if commit['operation'] not in ('OPTIMIZE', 'VACUUM START', 'VACUUM END', 'SET TBLPROPERTIES',
            'CHANGE COLUMN', 'ADD CONSTRAINT', 'DROP CONSTRAINT', 'CLUSTER BY', 'UPGRADE PROTOCOL') -%}
            {%- do adds_rows.append(true) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if true in adds_rows -%}
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
    {%- endif -%}
    {% do run_query("update " ~ file_log ~ " set target_version = " ~ table_version
        ~ " where target_version = " ~ (logged_version if logged_version is not none else -1)) %}
{% endmacro %}

{#-
    Record the files of this run's batch in the log, with the table version holding them.
    First checks that every file of the batch with content (`glob` names them) is still there:
    a file deleted while the run went on may not have been read, so none is recorded then, and
    the run fails naming it. The table is ahead of the log, so the next run records the files
    whose rows the table holds, and a missing file that lands again is ingested then.
-#}
{% macro spark_delta__streaming_record_files(names, target_relation, glob) %}
    {%- set missing = [] -%}
    {%- if glob -%}
        {%- set present = run_query("select path from binaryFile.`" ~ glob ~ "`").columns[0].values() -%}
        {%- set missing = run_query(
            "select source_file from " ~ names['listing'] ~ " where source_file_size > 0").columns[0].values()
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
        insert into {{ names['file_log'] }}
        select
            source_file,
            source_file_modified_at,
            source_file_size,
            current_timestamp() as ingested_at,
            {{ table_version }} as target_version,
            '{{ invocation_id }}' as invocation_id
        from {{ names['listing'] }}
    {% endcall %}
{% endmacro %}
