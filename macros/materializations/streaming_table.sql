{#-
    Spark's `streaming_table`: each landed file is ingested exactly once, across any number
    of runs, like Databricks' streaming tables (Auto Loader) do.

    The state is a checkpoint: a path-based Delta table (the ingested-file log) under
    var('checkpoint_root'). A run
      1. lists the landing folder's file names, sizes and times, never their content
         (Spark's binaryFile source without its `content` column, plus the hidden and empty
         files that Spark's listing leaves out, which the adapter lists: the first are named
         in the output and skipped, the second logged with no row);
      2. keeps the files absent from the log, and exposes only their lines to the model
         through a temporary view (see landing_new_lines);
      3. appends the model's rows for those files in one Delta commit (nothing at all when
         no file is new);
      4. records those files in the log, with the table version that holds their rows
         (failing instead when one of them is gone: it may not have been read).
    A file the log holds that now has another size or modification time fails the run before
    anything is written: landed files must never change.
    If a run stops between 3 and 4, the next run sees that the table is ahead of the log and
    first records the files already in the table (streaming_recover_file_log), so a file is
    never ingested twice. `--full-refresh` rebuilds the table from every landed file and
    starts a new log. The table keeps a change feed (appends only, so it costs nothing), from
    which data tests read the rows of this run (rows_written_in_this_run).
-#}
{% materialization streaming_table, adapter='spark' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set full_refresh = should_full_refresh() or existing_relation is none -%}
    {%- set landing = landing_location(streaming_source_relation(model)) -%}
    {%- set file_log = streaming_file_log(target_relation) -%}
    {%- set batch_view = streaming_batch_view_name(target_relation) -%}

    {{ run_hooks(pre_hooks) }}

    {% do streaming_prepare_file_log(file_log, target_relation, full_refresh) %}
    {%- set new_files = streaming_stage_new_files(landing, file_log, batch_view, stage_empty=full_refresh) -%}
    {{ log(target_relation ~ ": " ~ new_files.file_count ~ " new file(s) to ingest", info=true) }}

    {%- if full_refresh -%}
        {%- call statement('main') -%}
            {{ create_table_as(False, target_relation, sql) }}
        {%- endcall -%}
        {#- appends only: the change feed costs nothing, and data tests read this run's rows from it -#}
        {%- call statement('enable_change_feed') -%}
            alter table {{ target_relation }} set tblproperties ('delta.enableChangeDataFeed' = 'true')
        {%- endcall -%}
    {%- elif new_files.read_count > 0 -%}
        {%- call statement('main') -%}
            insert into {{ target_relation }} by name
            select * from ({{ sql }}) as new_rows
        {%- endcall -%}
    {%- else -%}
        {%- call statement('main') -%}
            select 0 as new_files
        {%- endcall -%}
        {#- nothing written: the post-hooks that maintain the table skip it (nothing_written) -#}
        {%- do model.update({'nothing_written': true}) -%}
    {%- endif -%}

    {% do persist_docs(target_relation, model) %}

    {%- if full_refresh or new_files.file_count > 0 -%}
        {% do streaming_record_files(file_log, target_relation, batch_view, new_files.glob) %}
    {%- endif -%}
    {%- if new_files.staged -%}
        {% do streaming_drop_batch(batch_view) %}
    {%- endif -%}

    {{ run_hooks(post_hooks) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
