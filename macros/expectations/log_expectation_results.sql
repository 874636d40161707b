{#-
    Post-hook of data_quality_metrics: print this run's expectation results in dbt's output,
    one line per expectation that failed on at least one row, e.g.
      silver_orders: expectation valid_customer (warn) failed on 244 of 29120 rows: kept, warned
    A run with nothing new appended nothing, and reads nothing.
-#}
{% macro log_expectation_results() %}
    {%- if execute and change_feed_versions_read() -%}
        {%- set results = run_query(
            "select table_name, expectation_name, expectation_action, rows_failed, rows_checked, action_taken"
            ~ " from " ~ this ~ " where run_id = '" ~ invocation_id ~ "' and rows_failed > 0"
            ~ " order by table_name, expectation_name"
        ) -%}
        {%- for row in results.rows -%}
            {{ log(row['table_name'] ~ ": expectation " ~ row['expectation_name'] ~ " ("
                ~ row['expectation_action'] ~ ") failed on " ~ row['rows_failed'] ~ " of "
                ~ row['rows_checked'] ~ " rows: " ~ row['action_taken'], info=true) }}
        {%- endfor -%}
    {%- endif -%}
    select 1 as logged
{% endmacro %}
