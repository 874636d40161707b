{#- A batch read of every file of a landing source (any depth), as a relation. -#}
{% macro landing_files(source_relation) %}
    {{ return(adapter.dispatch('landing_files')(source_relation)) }}
{% endmacro %}

{% macro spark__landing_files(source_relation) %}
    {%- set landing = landing_location(source_relation) -%}
    {{ landing.file_format }}.`{{ landing.location }}` with (
        'recursiveFileLookup' = 'true', 'pathGlobFilter' = '{{ landing.file_pattern }}'
    )
{%- endmacro %}

{% macro databricks__landing_files(source_relation) %}
    {%- set landing = landing_location(source_relation) -%}
    read_files(
        '{{ landing.location }}',
        format => '{{ landing.file_format }}',
        pathGlobFilter => '{{ landing.file_pattern }}',
        recursiveFileLookup => true
    )
{%- endmacro %}
