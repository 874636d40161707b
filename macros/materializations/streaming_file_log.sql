{#- The ingested-file log (checkpoint) of a Spark streaming table: a path-based Delta table. -#}
{% macro streaming_file_log(relation) %}
    {{- return('delta.`' ~ var('checkpoint_root', env_var('LAKEHOUSE_DIR', '.lakehouse') ~ '/checkpoints') ~ '/' ~ relation.schema ~ '/'
        ~ relation.identifier ~ '/ingested_files`') -}}
{% endmacro %}
