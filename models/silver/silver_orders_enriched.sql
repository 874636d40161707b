{{ config(
    unique_key='order_id',
    matched_condition=any_column_changed([
        'customer_id', 'amount', 'status', 'order_date', 'customer_name', 'customer_segment', 'region',
        'source_file', 'source_file_modified_at',
    ]),
    tblproperties={'delta.enableChangeDataFeed': 'true', 'delta.enableDeletionVectors': 'true'},
    post_hook='{{ record_change_feed_offsets() }}',
) }}
{#- deletion vectors: its MERGE's updates fall in every file; Delta marks old rows deleted, copies no file #}

{#-
    Incremental through the change feeds of its two inputs: each run re-enriches the orders
    silver_orders inserted or updated since the last run, and every order of the customers
    silver_customers changed, added or removed since then (see docs/architecture.md).
-#}
{%- set feed = change_feed([ref('silver_orders'), ref('silver_customers')]) %}
{%- set order_columns = [
    'order_id', 'customer_id', 'amount', 'status', 'order_date', 'source_file', 'source_file_modified_at',
] %}
{%- set customer_columns = ['customer_name', 'customer_segment', 'region'] %}
{#- a customer commit can leave every column enriched carries as it was: then no order is read for it #}
{%- set customers_changed = feed.mode == 'changes' and feed.upstreams.silver_customers.changed
    and run_query(changed_keys(feed, 'silver_customers', 'customer_id', customer_columns) ~ ' limit 1').rows %}
{%- set orders_changed = feed.mode == 'changes' and feed.upstreams.silver_orders.changed %}
{{ change_feed_marker(feed) }}

with silver_orders as (

    select * from {{ ref('silver_orders') }}{{ change_feed_snapshot(feed, 'silver_orders') }}

),

silver_customers as (

    select * from {{ ref('silver_customers') }}{{ change_feed_snapshot(feed, 'silver_customers') }}

),

{%- if orders_changed or customers_changed %}

{%- if orders_changed %}

changed_orders as (

    {{ latest_changed_rows(feed, 'silver_orders', 'order_id', order_columns) }}

),
{%- endif %}

{%- if customers_changed %}

changed_customers as (

    -- customers that joined, left, or changed a column enriched carries (not an email-only change)
    {{ changed_keys(feed, 'silver_customers', 'customer_id', customer_columns) }}

),

orders_of_changed_customers as (

    select {{ order_columns | join(', ') }}
    from silver_orders
    where customer_id in (select changed_customers.customer_id from changed_customers)

),
{%- endif %}

orders_to_enrich as (

    {%- if orders_changed %}
    select * from changed_orders
    {%- endif %}
    {%- if orders_changed and customers_changed %}
    union
    {%- endif %}
    {%- if customers_changed %}
    select * from orders_of_changed_customers
    {%- endif %}

),
{%- else %}

    orders_to_enrich as (

        select * from silver_orders
        {%- if feed.mode != 'all' %}
            -- nothing changed upstream since the last run: an empty source, so the MERGE commits nothing
            where false
        {%- endif %}

    ),
{%- endif %}

final as (

    select
        orders_to_enrich.order_id,
        orders_to_enrich.customer_id,
        orders_to_enrich.amount,
        orders_to_enrich.status,
        orders_to_enrich.order_date,
        silver_customers.customer_name,
        silver_customers.customer_segment,
        silver_customers.region,
        orders_to_enrich.source_file,
        orders_to_enrich.source_file_modified_at
    from orders_to_enrich
    left join silver_customers
        on orders_to_enrich.customer_id = silver_customers.customer_id

)

select * from final
