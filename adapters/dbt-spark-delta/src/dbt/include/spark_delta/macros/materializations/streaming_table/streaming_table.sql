{#-
    `streaming_table` on Spark + Delta: each landed file is ingested exactly once, across any
    number of runs, as Databricks' streaming tables (Auto Loader) do.

    The model reads exactly one source whose YAML has `external: {location, file_pattern}`,
    and selects from `streaming_table_batch(this)`: the new files of this run, read whole as
    text (columns `value` and `_metadata`, one row per file). Its rows carry `source_file`,
    `source_file_modified_at` and `ingestion_timestamp`, from which the file log is recovered.

    The state is a checkpoint: a path-based Delta table (the ingested-file log) under the
    model's `checkpoint_root` config (default: var `checkpoint_root`). A run
      1. lists the landing folder's file names, sizes and times, never their content
         (Spark's binaryFile source without its `content` column, plus the hidden and empty
         files that Spark's listing leaves out, which the adapter lists: the first are named
         in the output and skipped, the second logged with no row; batch.sql);
      2. keeps the files absent from the log, fixed as literals in a view, and points the
         batch at exactly those files;
      3. appends the model's rows for those files in one Delta commit (nothing at all, not
         even the model's query, when no file is new);
      4. records those files in the log, with the table version that holds their rows
         (failing instead when one of them is gone: it may not have been read; file_log.sql).
    A file the log holds that now has another size or modification time fails the run before
    anything is written: landed files must never change.
    If a run stops between 3 and 4, the next run sees that the table is ahead of the log and
    first records the files already in the table, so a file is never ingested twice.
    `--full-refresh` rebuilds the table from every landed file and starts a new log. The table
    keeps a change feed (appends only, so it costs nothing), from which consumers and data
    tests read the rows of a run.
-#}
{% materialization streaming_table, adapter='spark_delta' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set full_refresh = should_full_refresh() or existing_relation is none -%}
    {%- set names = spark_delta__streaming_table_names(target_relation) -%}
    {%- set landing = spark_delta__streaming_table_landing(model) -%}

    {{ run_hooks(pre_hooks) }}

    {% do spark_delta__streaming_prepare_file_log(names, target_relation, full_refresh) %}
    {%- set batch = spark_delta__streaming_stage_batch(landing, names, stage_empty=full_refresh) -%}
    {{ log(target_relation ~ ": " ~ batch.file_count ~ " new file(s) to ingest", info=true) }}

    {%- if full_refresh -%}
        {%- call statement('main') -%}
            {{ create_table_as(False, target_relation, sql) }}
        {%- endcall -%}
        {#- appends only: the change feed costs nothing, and data tests read this run's rows from it -#}
        {%- call statement('enable_change_feed') -%}
            alter table {{ target_relation }} set tblproperties ('delta.enableChangeDataFeed' = 'true')
        {%- endcall -%}
    {%- elif batch.read_count > 0 -%}
        {%- call statement('main') -%}
            insert into {{ target_relation }} by name
            select * from ({{ sql }}) as new_rows
        {%- endcall -%}
    {%- else -%}
        {%- call statement('main') -%}
            select 0 as new_files
        {%- endcall -%}
        {#- nothing written: post-hooks that maintain the table can skip it (nothing_written) -#}
        {%- do model.update({'nothing_written': true}) -%}
    {%- endif -%}

    {% do persist_docs(target_relation, model) %}

    {%- if full_refresh or batch.file_count > 0 -%}
        {% do spark_delta__streaming_record_files(names, target_relation, batch.glob) %}
    {%- endif -%}
    {%- if batch.staged -%}
        {% do spark_delta__streaming_drop_batch(names) %}
    {%- endif -%}

    {{ run_hooks(post_hooks) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- The relation a streaming table's SQL reads its new files from: one row per file, `value`
    (the whole text) and `_metadata` (file_path, file_modification_time, ...). -#}
{% macro streaming_table_batch(relation) %}
    {{- return(spark_delta__streaming_table_names(relation)['batch']) -}}
{% endmacro %}

{#- Every name a streaming table uses, computed once: its batch views and its file log. -#}
{% macro spark_delta__streaming_table_names(relation) %}
    {%- set checkpoint_root = config.get('checkpoint_root') or var('checkpoint_root', none) -%}
    {%- if checkpoint_root is none and execute -%}
        {{ exceptions.raise_compiler_error(
            "A streaming_table needs a checkpoint_root (model config, or var) for its ingested-file log") }}
    {%- endif -%}
    {#- Delta names a table by its path only when the path is absolute (a relative
        LAKEHOUSE_DIR, say) -#}
    {%- set checkpoint_root = adapter.absolute_location(checkpoint_root or '') -%}
    {{ return({
        'batch': relation.identifier ~ '__new_landed_files',
        'listing': relation.identifier ~ '__new_landed_files_listing',
        'file_log': 'delta.`' ~ checkpoint_root ~ '/' ~ relation.schema ~ '/' ~ relation.identifier
            ~ '/ingested_files`',
    }) }}
{% endmacro %}

{#- Where the one source of a streaming table lands its files: {location, file_pattern}. -#}
{% macro spark_delta__streaming_table_landing(model_node) %}
    {%- set source_ids = model_node.depends_on.nodes | select('in', graph.sources) | unique | list -%}
    {%- if source_ids | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "A streaming_table reads exactly one source; " ~ model_node.name ~ " reads "
            ~ source_ids | length) }}
    {%- endif -%}
    {%- set source_node = graph.sources[source_ids[0]] -%}
    {%- set external = source_node.external or {} -%}
    {%- if not external.location -%}
        {{ exceptions.raise_compiler_error(
            "Source " ~ source_node.source_name ~ "." ~ source_node.name
            ~ " of streaming_table " ~ model_node.name ~ " needs external.location") }}
    {%- endif -%}
    {{ return({
        'location': adapter.absolute_location(external.location | replace('\\', '/')),
        'file_pattern': external.file_pattern or '*',
    }) }}
{% endmacro %}
