{#-
    A MERGE `matched_condition`: the source row is a newer version of the target row (its file
    was modified later; ties: the greater file path) and differs in one of `compare_columns`.
    So a stale version never overwrites a newer one, and a re-delivered identical row
    changes nothing.
-#}
{% macro newer_version_condition(compare_columns) %}
    {%- set source = 'DBT_INTERNAL_SOURCE' -%}
    {%- set dest = 'DBT_INTERNAL_DEST' -%}
    ({{ source }}.source_file_modified_at > {{ dest }}.source_file_modified_at
        or ({{ source }}.source_file_modified_at = {{ dest }}.source_file_modified_at
            and {{ source }}.source_file > {{ dest }}.source_file))
    and {{ any_column_changed(compare_columns) }}
{%- endmacro %}
