{#-
    A streaming table's batch (see streaming_table.sql): the landed files that its file log
    does not hold yet, fixed when the run lists the folder.
-#}

{#-
    List the landing folder (names, sizes, times: no content), keep the files the log does not
    hold, and fix them as literals in the listing view; point the batch view at exactly those
    with content. Returns {'file_count': new files, 'read_count': new files with content,
    'glob': one glob naming those with content, 'staged': whether the views were made}.
    With no new file and `stage_empty` false (an incremental run with nothing new), no view is
    made and the model's query is not run: the listing is the run's only read.
    Fails, before anything is written, when a file the log holds has another size or
    modification time now (rewritten in place). Spark's listing never shows names starting
    with `_` or `.`, nor empty files: the adapter lists those (adapter.unlisted_files), so that
    an empty file is recorded as ingested with no row, and the output names every file that is
    skipped (hidden, or not named as the source's `file_pattern` says).
-#}
{% macro spark_delta__streaming_stage_batch(landing, names, stage_empty) %}
    {%- set unlisted = adapter.unlisted_files(landing.location) -%}
    {%- if unlisted is none -%}
        {{ log(this.identifier ~ ": " ~ landing.location ~ " cannot be listed from this client; files "
            ~ "named _* or .*, and empty files, are left out unnamed", info=false) }}
    {%- endif -%}
    {%- set unlisted_rows -%}
        {%- if unlisted -%}
            union all select path, timestamp_micros(modified_micros), size, hidden from values
            {%- for file in unlisted %} ({{ spark_delta__string_literal(file['path']) }}, {{ file['modified_micros'] }}, {{ file['size'] }}, {{ file['hidden'] }}){{ ',' if not loop.last }}{% endfor %}
            as unlisted (path, modified_micros, size, hidden)
        {%- endif -%}
    {%- endset -%}
    {#- listed without pathGlobFilter, so that the files the pattern leaves out can be named -#}
    {%- set name_regex = spark_delta__string_literal(spark_delta__glob_name_regex(landing.file_pattern)) -%}
    {%- set listing = run_query(
        "select landed.path as source_file, unix_micros(landed.modificationTime) as modified_micros, "
        ~ "landed.length as source_file_size, logged.source_file is not null as was_ingested, "
        ~ "logged.source_file_size as ingested_size, "
        ~ "cast(logged.source_file_modified_at as string) as ingested_modified_at, "
        ~ "cast(landed.modificationTime as string) as listed_modified_at, landed.is_hidden, "
        ~ "not landed.is_hidden and regexp_extract(landed.path, '[^/]*$', 0) rlike " ~ name_regex
        ~ " as is_landing_file "
        ~ "from (select path, modificationTime, length, false as is_hidden from binaryFile.`"
        ~ landing.location ~ "` with ('recursiveFileLookup' = 'true')"
        ~ ' ' ~ unlisted_rows ~ ") as landed "
        ~ "left join (select source_file, max(source_file_size) as source_file_size, "
        ~ "max(source_file_modified_at) as source_file_modified_at from " ~ names['file_log']
        ~ " group by source_file) as logged on landed.path = logged.source_file "
        ~ "where logged.source_file is null "
        ~ "or landed.length != logged.source_file_size "
        ~ "or landed.modificationTime != logged.source_file_modified_at"
    ).rows -%}
    {%- set hidden = listing | selectattr('is_hidden') | map(attribute='source_file') | list -%}
    {%- if hidden -%}
        {{ log(this.identifier ~ ": skipped " ~ hidden | length ~ " hidden file(s) (a name or folder "
            ~ "starting with _ or ., which Spark never reads): " ~ (hidden | sort)[:20] | join(', ')
            ~ (', …' if hidden | length > 20 else ''), info=true) }}
    {%- endif -%}
    {%- set skipped = listing | rejectattr('is_hidden') | rejectattr('is_landing_file')
        | map(attribute='source_file') | list -%}
    {%- if skipped -%}
        {{ log(this.identifier ~ ": skipped " ~ skipped | length ~ " file(s) not named "
            ~ landing.file_pattern ~ ": " ~ (skipped | sort)[:20] | join(', ')
            ~ (', …' if skipped | length > 20 else ''), info=true) }}
    {%- endif -%}
    {%- set new_files = listing | selectattr('is_landing_file') | rejectattr('was_ingested') | list -%}
    {%- set changed = listing | selectattr('is_landing_file') | selectattr('was_ingested') | list -%}
    {%- if changed -%}
        {#- the contract: landed files never change. Re-reading one would double its old rows; skipping it would lose its new ones. -#}
        {%- set described = [] -%}
        {%- for file in changed -%}
            {%- do described.append(file['source_file'] ~ " (" ~ file['ingested_size'] ~ " bytes, modified "
                ~ file['ingested_modified_at'] ~ " when ingested; now " ~ file['source_file_size']
                ~ " bytes, modified " ~ file['listed_modified_at'] ~ ")") -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            changed | length ~ " landed file(s) changed after " ~ this.identifier ~ " ingested them, and landed "
            ~ "files must never change: " ~ described | join('; ') ~ ". Nothing was ingested. Restore the "
            ~ "file and deliver the new content under a new name, or rebuild from the files as they are now: "
            ~ "dbt run --select " ~ this.identifier ~ " --full-refresh") }}
    {%- endif -%}
    {%- if not new_files and not stage_empty -%}
        {{ return({'file_count': 0, 'read_count': 0, 'glob': none, 'staged': false}) }}
    {%- endif -%}
    {#-
        The batch is the listing's result, written into the view as literals: reading the view
        again (the model's read, then the file log) never lists the folder again, so a file that
        lands while the run goes on waits for the next run instead of being logged unread.
        (A cached view over the listing is not enough: Spark may drop and recompute a cache.)
    -#}
    {% call statement('stage_new_files') %}
        create or replace temporary view {{ names['listing'] }} as
        {% if new_files | length > 0 -%}
        select
            source_file,
            timestamp_micros(modified_micros) as source_file_modified_at,
            source_file_size
        from values
            {%- for file in new_files %}
            ({{ spark_delta__string_literal(file['source_file']) }}, {{ file['modified_micros'] }}, {{ file['source_file_size'] }}){{ ',' if not loop.last }}
            {%- endfor %}
            as listed_files (source_file, modified_micros, source_file_size)
        {%- else -%}
        select
            cast(null as string) as source_file,
            cast(null as timestamp) as source_file_modified_at,
            cast(null as bigint) as source_file_size
        where false
        {%- endif %}
    {% endcall %}

    {#- One glob naming each new file with content, <scheme root>{<path 1>,<path 2>,...}, specials escaped (an empty file has no line to read). -#}
    {%- set glob_query -%}
        with new_files as (
            select
                regexp_extract(source_file, '^([A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?)?/', 0) as root,
                source_file
            from {{ names['listing'] }}
            where source_file_size > 0
        )
        select
            count(*) as file_count,
            concat(
                min(root), '{',
                array_join(sort_array(collect_list(
                    regexp_replace(substr(source_file, length(root) + 1), '([\\\\{}\\[\\]*?,])', '\\\\$1')
                )), ','),
                '}'
            ) as glob,
            count(distinct root) as root_count
        from new_files
    {%- endset -%}
    {%- set staged = run_query(glob_query).rows[0] -%}
    {%- if staged['root_count'] > 1 -%}
        {{ exceptions.raise_compiler_error("Landing files under more than one root: " ~ landing.location) }}
    {%- endif -%}

    {% call statement('stage_new_files_whole') %}
        create or replace temporary view {{ names['batch'] }} as
        {% if staged['file_count'] > 0 -%}
        select value, _metadata from text.`{{ staged['glob'] }}` with ('wholetext' = 'true')
        {%- else -%}
        select
            cast(null as string) as value,
            cast(null as struct<file_path: string, file_modification_time: timestamp>) as _metadata
        where false
        {%- endif %}
    {% endcall %}
    {{ return({
        'file_count': new_files | length,
        'read_count': staged['file_count'],
        'glob': staged['glob'] if staged['file_count'] > 0 else none,
        'staged': true,
    }) }}
{% endmacro %}

{#- Drop a streaming table's batch views from the session. -#}
{% macro spark_delta__streaming_drop_batch(names) %}
    {% do run_query("drop view if exists " ~ names['listing']) %}
    {% do run_query("drop view if exists " ~ names['batch']) %}
{% endmacro %}

{#-
    A Java regular expression matching the file names (not paths) that the glob `file_pattern`
    matches, as Spark's `pathGlobFilter` does: `*` and `?` within a name, `[...]` classes,
    `{a,b}` alternatives; every other character stands for itself.
-#}
{% macro spark_delta__glob_name_regex(file_pattern) %}
    {%- set regex = namespace(text='^', in_braces=false, in_class=false) -%}
    {%- for char in file_pattern -%}
        {%- if regex.in_class -%}
            {%- set regex.text = regex.text ~ char -%}
            {%- set regex.in_class = char != ']' -%}
        {%- elif char == '*' -%}
            {%- set regex.text = regex.text ~ '[^/]*' -%}
        {%- elif char == '?' -%}
            {%- set regex.text = regex.text ~ '[^/]' -%}
        {%- elif char == '[' -%}
            {%- set regex.text = regex.text ~ char -%}
            {%- set regex.in_class = true -%}
        {%- elif char == '{' -%}
            {%- set regex.text = regex.text ~ '(' -%}
            {%- set regex.in_braces = true -%}
        {%- elif char == '}' and regex.in_braces -%}
            {%- set regex.text = regex.text ~ ')' -%}
            {%- set regex.in_braces = false -%}
        {%- elif char == ',' and regex.in_braces -%}
            {%- set regex.text = regex.text ~ '|' -%}
        {%- elif char.isalnum() -%}
            {%- set regex.text = regex.text ~ char -%}
        {%- else -%}
            {%- set regex.text = regex.text ~ '\\' ~ char -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(regex.text ~ '$') }}
{% endmacro %}

{#- `value` as a Spark SQL string literal (backslashes and quotes escaped). -#}
{% macro spark_delta__string_literal(value) %}
    {{ return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
{% endmacro %}
