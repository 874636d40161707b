{#-
    The lines of the landing files that the calling streaming table has not ingested yet, one
    row per physical line: source_file, source_file_modified_at, source_line_number, _raw_line.
    Databricks: a streaming read (Auto Loader) of whole files as text.
    Spark: the batch of new files that the adapter's `streaming_table` materialization stages
    (`streaming_table_batch`, in adapters/dbt-spark-delta).
    Both split files into lines with landing_lines_of_files.
-#}
{% macro landing_new_lines(source_relation) %}
    {{ return(adapter.dispatch('landing_new_lines')(source_relation)) }}
{% endmacro %}

{% macro spark__landing_new_lines(source_relation) %}
    ({{ landing_lines_of_files(streaming_table_batch(this)) }}) as new_lines
{%- endmacro %}

{% macro databricks__landing_new_lines(source_relation) %}
    {%- set landing = landing_location(source_relation) -%}
    (
        {{ landing_lines_of_files(
            "stream read_files('" ~ landing.location ~ "', format => 'text', wholetext => true, "
            ~ "pathGlobFilter => '" ~ landing.file_pattern ~ "', recursiveFileLookup => true)"
        ) }}
    ) as new_lines
{%- endmacro %}
