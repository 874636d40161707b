{#-
    True for a Delta commit (from delta_history) that rebuilt the table: every old row deleted,
    every new one inserted, so its change feed replays the whole table. A consumer then
    recomputes from the table, and a data test reads the whole table.
-#}
{% macro delta_commit_rebuilds(commit) %}
    {%- set rebuild_operations = [
        'CREATE TABLE AS SELECT', 'CREATE OR REPLACE TABLE AS SELECT', 'REPLACE TABLE AS SELECT',
        'CREATE TABLE', 'CREATE OR REPLACE TABLE', 'REPLACE TABLE', 'TRUNCATE', 'RESTORE',
    ] -%}
    {{ return(commit['operation'] in rebuild_operations or 'Overwrite' in commit['parameters']) }}
{% endmacro %}
