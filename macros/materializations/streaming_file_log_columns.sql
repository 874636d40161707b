{#- Column list of the ingested-file log. -#}
{% macro streaming_file_log_columns() %}
    (
        source_file string not null,
        source_file_modified_at timestamp,
        source_file_size bigint,
        ingested_at timestamp not null,
        target_version bigint not null,
        invocation_id string
    ) using delta
{% endmacro %}
