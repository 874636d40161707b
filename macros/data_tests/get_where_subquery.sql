{#-
    dbt wraps the model of every generic test in this macro; `where` is the test's config.
      `__written_in_this_run__`  the test reads what this run could have broken, from the
                                 table's commits of this run (rows_written_in_this_run)
      `__run_started_at__`       inside a condition: when this invocation started, as a
                                 timestamp literal (for a view, whose rows carry their
                                 ingestion time: `ingestion_timestamp >= __run_started_at__`)
    Both read the whole table with --full-refresh and with --vars '{full_checks: true}'.
    Any other `where` filters as dbt does.
    Whatever the `where`, a test that checks what a CHECK constraint of the table guarantees
    (test_enforced_by_constraint) reads no row, except with --full-refresh and `full_checks`.
    A scoped test of a table the run did not write asks no constraint: it reads nothing anyway.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') or '' -%}
    {%- set scoped = where == '__written_in_this_run__' -%}
    {%- if not (scoped and wrote_nothing_in_this_run(relation)) and test_enforced_by_constraint(relation) -%}
        {{ return('(select * from ' ~ relation ~ ' where false) enforced_by_constraint') }}
    {%- endif -%}
    {%- if scoped -%}
        {%- set test = model.get('test_metadata') or {} -%}
        {%- set kwargs = test.get('kwargs', {}) -%}
        {%- set key_columns = kwargs.get('combination_of_columns')
            or ([kwargs['column_name']] if test.get('name') == 'unique' else []) -%}
        {{ return(rows_written_in_this_run(relation, key_columns)) }}
    {%- elif '__run_started_at__' in where -%}
        {%- if full_checks() -%}
            {{ return(relation) }}
        {%- endif -%}
        {%- set started = sql_timestamp_literal(utc_datetime(run_started_at)) -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ where.replace('__run_started_at__', started) ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(dbt.default__get_where_subquery(relation)) }}
{%- endmacro %}
