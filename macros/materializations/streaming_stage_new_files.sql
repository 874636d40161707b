{#-
    List the landing folder (names, sizes, times: no content), keep the files the log does not
    hold, and point the batch view at exactly those files. Returns {'file_count': n}.
-#}
{% macro streaming_stage_new_files(landing, file_log, batch_view) %}
    {% do streaming_drop_batch(batch_view) %}
    {%- set listed = run_query(
        "select landed.path as source_file, unix_micros(landed.modificationTime) as modified_micros, "
        ~ "landed.length as source_file_size "
        ~ "from binaryFile.`" ~ landing.location ~ "` with ('recursiveFileLookup' = 'true', "
        ~ "'pathGlobFilter' = '" ~ landing.file_pattern ~ "') as landed "
        ~ "left anti join " ~ file_log ~ " as logged on landed.path = logged.source_file"
    ) -%}
    {#-
        The batch is the listing's result, written into the view as literals: reading the view
        again (the bronze read, then the file log) never lists the folder again, so a file that
        lands while the run goes on waits for the next run instead of being logged unread.
        (A cached view over the listing is not enough: Spark may drop and recompute a cache.)
    -#}
    {% call statement('stage_new_files') %}
        create or replace temporary view {{ batch_view }}__files as
        {% if listed.rows | length > 0 -%}
        select
            source_file,
            timestamp_micros(modified_micros) as source_file_modified_at,
            source_file_size
        from values
            {%- for file in listed.rows %}
            ({{ sql_string_literal(file['source_file']) }}, {{ file['modified_micros'] }}, {{ file['source_file_size'] }}){{ ',' if not loop.last }}
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

    {#- One glob naming each new file: <scheme root>{<path 1>,<path 2>,...}, specials escaped. -#}
    {%- set glob_query -%}
        with new_files as (
            select
                regexp_extract(source_file, '^([A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?)?/', 0) as root,
                source_file
            from {{ batch_view }}__files
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

    {% call statement('stage_new_lines') %}
        create or replace temporary view {{ batch_view }} as
        {% if staged['file_count'] > 0 -%}
        {{ landing_lines_of_files("text.`" ~ staged['glob'] ~ "` with ('wholetext' = 'true')") }}
        {%- else -%}
        select
            cast(null as string) as source_file,
            cast(null as timestamp) as source_file_modified_at,
            cast(null as int) as source_line_number,
            cast(null as string) as _raw_line
        where false
        {%- endif %}
    {% endcall %}
    {{ return({'file_count': staged['file_count']}) }}
{% endmacro %}
