{#-
    One row per physical line of each file of `whole_files` (a relation read with one row per
    file, column `value`): source_file, source_file_modified_at, source_line_number (1-based),
    _raw_line. Both engines use it, so a line is split the same way everywhere.
-#}
{% macro landing_lines_of_files(whole_files) %}
    select
        landed_file.source_file,
        landed_file.source_file_modified_at,
        landed_line.line_index + 1 as source_line_number,
        landed_line.raw_line as _raw_line
    from (
        select
            value as file_text,
            _metadata.file_path as source_file,
            _metadata.file_modification_time as source_file_modified_at
        from {{ whole_files }}
    ) as landed_file
    lateral view posexplode(split(landed_file.file_text, '\r?\n')) landed_line as line_index, raw_line
{%- endmacro %}
