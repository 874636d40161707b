{#-
    What to read a seed that is not loaded yet from (seed_values): on Spark, whose engine runs
    beside the project, a temporary view over its CSV file. Elsewhere the file is not where the
    engine can read it, so the run stops with the command that loads the seed.
-#}
{% macro seed_file_relation(seed_node) %}
    {{ return(adapter.dispatch('seed_file_relation')(seed_node)) }}
{% endmacro %}

{% macro default__seed_file_relation(seed_node) %}
    {{ exceptions.raise_compiler_error(
        "The seed " ~ seed_node.name ~ " is not loaded in " ~ seed_node.schema
        ~ ", and a node reads its values when it compiles: run `dbt seed` (`dbt build` loads it first)") }}
{% endmacro %}

{% macro spark__seed_file_relation(seed_node) %}
    {%- set path = seed_node.root_path ~ '/' ~ seed_node.original_file_path -%}
    {%- set view_name = 'seed_file__' ~ seed_node.name -%}
    {%- do run_query(
        'create or replace temporary view ' ~ view_name ~ ' using csv options (path '
        ~ sql_string_literal(path) ~ ", header 'true')") -%}
    {{ return(view_name) }}
{% endmacro %}
