{#-
    Post-hook of data_quality_metrics: print this run's expectation results in dbt's output,
    one line per expectation that failed on at least one row, e.g.
      silver_orders: expectation valid_customer (warn) failed on 244 of 29120 rows: kept, warned
    and, when some order dates did not convert, one line that counts them:
      silver_orders: 3 of 29120 rows have an order_date that is not a timestamp: loaded with order_date NULL
    A run with nothing new appended nothing, and reads nothing.
-#}
{% macro log_expectation_results() %}
    {%- if execute and change_feed_versions_read() -%}
        {%- set results = run_query(
            "select table_name, expectation_name, expectation_action, rows_failed, rows_checked, action_taken,"
            ~ " total_records, unparsed_order_dates"
            ~ " from " ~ this ~ " where invocation_id = '" ~ invocation_id ~ "'"
            ~ " order by table_name, expectation_name"
        ) -%}
        {%- for row in results.rows if row['rows_failed'] > 0 -%}
            {{ log(row['table_name'] ~ ": expectation " ~ row['expectation_name'] ~ " ("
                ~ row['expectation_action'] ~ ") failed on " ~ row['rows_failed'] ~ " of "
                ~ row['rows_checked'] ~ " rows: " ~ row['action_taken'], info=true) }}
        {%- endfor -%}
        {%- for row in results.rows[:1] if row['unparsed_order_dates'] > 0 -%}
            {{ log(row['table_name'] ~ ": " ~ row['unparsed_order_dates'] ~ " of " ~ row['total_records']
                ~ " rows have an order_date that is not a timestamp: loaded with order_date NULL", info=true) }}
        {%- endfor -%}
    {%- endif -%}
    select 1 as logged
{% endmacro %}
