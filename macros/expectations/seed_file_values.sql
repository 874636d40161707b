{#-
    The distinct non-NULL values of `column_name` in a seed that is not loaded yet (seed_values),
    read from its CSV file: on Spark, whose engine runs beside the project, through a temporary
    view over the file. Elsewhere the file is not where the engine can read it, so the run stops
    with the command that loads the seed.
-#}
{% macro seed_file_values(seed_node, column_name) %}
    {{ return(adapter.dispatch('seed_file_values')(seed_node, column_name)) }}
{% endmacro %}

{% macro default__seed_file_values(seed_node, column_name) %}
    {{ exceptions.raise_compiler_error(
        "The seed " ~ seed_node.name ~ " is not loaded in " ~ seed_node.schema
        ~ ", and an expectation reads its values: run `dbt seed` (`dbt build` loads it first)") }}
{% endmacro %}

{% macro spark__seed_file_values(seed_node, column_name) %}
    {%- set path = seed_node.root_path ~ '/' ~ seed_node.original_file_path -%}
    {%- set view_name = 'seed_file__' ~ seed_node.name -%}
    {%- do run_query(
        'create or replace temporary view ' ~ view_name ~ ' using csv options (path '
        ~ sql_string_literal(path) ~ ", header 'true')") -%}
    {{ return(run_query(
        'select distinct ' ~ column_name ~ ' from ' ~ view_name
        ~ ' where ' ~ column_name ~ ' is not null'
    ).columns[0].values()) }}
{% endmacro %}
