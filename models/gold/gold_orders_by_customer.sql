{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='order_id',
    liquid_clustered_by=['customer_id', 'order_date'],
    tblproperties={'delta.enableChangeDataFeed': 'true', 'delta.enableDeletionVectors': 'true'},
    post_hook='{{ record_change_feed_offsets() }}',
) }}
{#- deletion vectors: its MERGE's updates fall in every file; Delta marks old rows deleted, copies no file #}

{#- Incremental through silver_orders_enriched's change feed: each run MERGEs the orders it changed. #}
{%- set feed = change_feed([ref('silver_orders_enriched')]) %}
{%- set order_columns = [
    'customer_id', 'order_date', 'order_id', 'amount', 'status', 'customer_name', 'customer_segment', 'region',
] %}
{{ change_feed_marker(feed) }}

with enriched_orders as (

    {%- if feed.mode == 'changes' %}
        {{ latest_changed_rows(feed, 'silver_orders_enriched', 'order_id', order_columns) }}
    {%- else %}
        select * from {{ ref('silver_orders_enriched') }}
        {%- if feed.mode == 'none' %}
            -- no commit upstream since the last run: an empty source, so the MERGE commits nothing
            where false
        {%- endif %}
    {%- endif %}

),

final as (

    select
        customer_id,
        order_date,
        order_id,
        amount,
        status,
        customer_name,
        customer_segment,
        region
    from enriched_orders

)

select * from final
