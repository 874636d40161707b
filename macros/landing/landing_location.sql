{#- Where a landing source's files live, and which file names belong to it. -#}
{% macro landing_location(source_relation) %}
    {%- if not execute -%}
        {{ return({'location': '<landing>', 'file_format': 'text', 'file_pattern': '*'}) }}
    {%- endif -%}
    {%- set external = landing_source_node(source_relation).external or {} -%}
    {%- if not external.location -%}
        {{ exceptions.raise_compiler_error(
            "Source " ~ source_relation ~ " needs external.location (see _landing__sources.yml)") }}
    {%- endif -%}
    {{ return({
        'location': external.location | replace('\\', '/'),
        'file_format': external.file_format or 'parquet',
        'file_pattern': external.file_pattern or '*',
    }) }}
{% endmacro %}
