{#-
    Delta operations after which an upstream's change feed replays the whole table (every old
    row deleted, every new one inserted): a consumer recomputes from the table instead.
-#}
{% macro change_feed_rebuild_operations() %}
    {{ return([
        'CREATE TABLE AS SELECT', 'CREATE OR REPLACE TABLE AS SELECT', 'REPLACE TABLE AS SELECT',
        'CREATE TABLE', 'CREATE OR REPLACE TABLE', 'REPLACE TABLE', 'TRUNCATE', 'RESTORE',
    ]) }}
{% endmacro %}
