{#-
    Make sure the file log exists (a new, empty one when the table is rebuilt), and that it
    holds every file whose rows are already in the table.
-#}
{% macro streaming_prepare_file_log(file_log, target_relation, reset) %}
    {% do run_query("create table if not exists " ~ file_log ~ streaming_file_log_columns()) %}
    {%- if reset -%}
        {% do run_query("delete from " ~ file_log) %}
        {{ return(none) }}
    {%- endif -%}
    {%- set logged_version = run_query(
        "select max(target_version) as logged_version from " ~ file_log
    ).columns['logged_version'].values()[0] -%}
    {%- set history = run_query("describe history " ~ target_relation ~ " limit 50") -%}
    {%- set table_version = history.columns['version'].values() | max -%}
    {%- if logged_version == table_version -%}
        {{ return(none) }}
    {%- endif -%}
    {#- Commits the log does not know of: recover only if one of them may have added rows. -#}
    {%- set adds_rows = [logged_version is none or logged_version < history.columns['version'].values() | min] -%}
    {%- for commit in history.rows if logged_version is not none and commit['version'] > logged_version -%}
        {%- if commit['operation'] not in ('OPTIMIZE', 'VACUUM START', 'VACUUM END', 'SET TBLPROPERTIES',
            'CHANGE COLUMN', 'ADD CONSTRAINT', 'DROP CONSTRAINT', 'CLUSTER BY', 'UPGRADE PROTOCOL') -%}
            {%- do adds_rows.append(true) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if true in adds_rows -%}
        {% do streaming_recover_file_log(file_log, target_relation, table_version) %}
    {%- endif -%}
    {% do run_query("update " ~ file_log ~ " set target_version = " ~ table_version
        ~ " where target_version = " ~ (logged_version if logged_version is not none else -1)) %}
{% endmacro %}
