{#-
    Table maintenance, run on a schedule rather than after every small run:
        dbt run-operation optimize_tables
    Compacts small files and lays data out for the common lookups: silver_orders Z-ordered by
    (customer_id, order_date); liquid-clustered tables (gold_orders_by_customer) clustered by
    their own keys.
-#}
{% macro optimize_tables() %}
    {%- set statements = [
        'optimize ' ~ ref('silver_orders') ~ ' zorder by (customer_id, order_date)',
        'optimize ' ~ ref('gold_orders_by_customer'),
    ] -%}
    {%- for statement in statements -%}
        {{ log('running: ' ~ statement, info=true) }}
        {%- set result = run_query(statement) -%}
        {{ log('  ' ~ result.columns['metrics'].values()[0], info=true) }}
    {%- endfor -%}
{% endmacro %}
