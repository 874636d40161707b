{#-
    When the newest commit among the last `limit` of `relation` that added rows (an append or
    a CREATE ... AS SELECT, with `numOutputRows` > 0) was made, as a naive UTC datetime, from
    the commit log only; none when no such commit is among them, or the relation keeps no
    readable history (a view, Databricks' native streaming tables and materialized views).
-#}
{% macro newest_rows_committed_at(relation, limit=20) %}
    {%- if not delta_history_readable(relation) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for commit in delta_history(relation, limit)
        if commit.rows_added > 0 and commit.operation in (
            'WRITE', 'STREAMING UPDATE', 'CREATE TABLE AS SELECT', 'CREATE OR REPLACE TABLE AS SELECT',
            'REPLACE TABLE AS SELECT',
        ) -%}
        {{ return(commit.committed_at) }}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}
