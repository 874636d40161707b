{#-
    `materialized_view` on Spark + Delta: a Delta table that refreshes only the rows whose key
    the upstream changed, as Databricks' incremental refresh of a materialized view does
    (dbt-databricks keeps its native materialized views on Databricks).
    It reads its upstreams through the project's change-feed macros (`change_feed`,
    `table_changes_of`, `change_feed_snapshot`, `change_feed_versions`,
    `record_change_feed_offsets`), which the models use too.

    With `unique_key` (the columns a row of the view is grouped by), a run
      1. reads its upstreams' change feeds since the versions it consumed last (change_feed);
         with no commit upstream, it does nothing at all;
      2. finds the touched keys by running the model's own query over the change rows, old
         and new values alike (an order moving from one region or status to another touches
         two groups);
      3. recomputes those keys' rows with the model's query over the whole upstream (so
         `avg` and `count(distinct ...)` stay exact: no deltas are added), and MERGEs them in
         one commit, deleting the keys whose rows are gone;
      4. records the upstream versions it read.
    The first run, `--full-refresh`, a model without `unique_key`, and an upstream rebuilt
    since the last run recompute the whole table, replaced in one commit. A view over landing
    files (no change feed) is recomputed when their listing changed, and does nothing otherwise.
-#}
{% materialization materialized_view, adapter='spark_delta' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- set keys = [unique_key] if unique_key is string else (unique_key or []) -%}
    {%- set incremental = existing_relation is not none and existing_relation.is_table
        and not should_full_refresh() -%}
    {%- set upstreams = spark_delta__upstream_relations(model) -%}
    {%- set feed = change_feed(
        upstreams['tables'], incremental=incremental, landing_sources=upstreams['landing_sources']
    ) -%}
    {%- if feed['mode'] == 'changes' and not keys -%}
        {%- do feed.update({'mode': 'all'}) -%}
    {%- endif -%}

    {{ run_hooks(pre_hooks) }}

    {%- if existing_relation is not none and existing_relation.is_view -%}
        {% do adapter.drop_relation(existing_relation) %}
    {%- endif -%}

    {%- if feed['mode'] == 'all' -%}
        {%- call statement('main') -%}
            {{ create_table_as(False, target_relation, sql) }}
        {%- endcall -%}
    {%- elif feed['mode'] == 'changes' -%}
        {%- call statement('main') -%}
            {{ spark_delta__materialized_view_refresh_keys(target_relation, sql, keys, feed) }}
        {%- endcall -%}
    {%- else -%}
        {%- call statement('main') -%}
            select 'nothing new upstream' as refreshed
        {%- endcall -%}
        {%- do model.update({'nothing_written': true}) -%}
    {%- endif -%}

    {%- if feed['mode'] != 'none' -%}
        {% do persist_docs(target_relation, model) %}
        {% do record_change_feed_offsets(change_feed_versions(feed)) %}
    {%- endif -%}

    {{ run_hooks(post_hooks) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#-
    The one MERGE of an incremental materialized-view refresh (see materialized_view): the rows
    of the keys that the upstream changes touched, recomputed by the model's query `sql` from
    the whole upstream; keys with no row left are deleted.
-#}
{% macro spark_delta__materialized_view_refresh_keys(target_relation, sql, keys, feed) %}
    {%- set touched_queries = [] -%}
    {%- for name, upstream in feed['upstreams'].items() if upstream['changed'] -%}
        {#- the model's query over the change rows (old and new values) instead of the table -#}
        {%- set over_changes = sql | replace(
            upstream['relation'] | string, '(select * from ' ~ table_changes_of(feed, name) ~ ')'
        ) -%}
        {%- do touched_queries.append(
            'select ' ~ keys | join(', ') ~ ' from (' ~ over_changes ~ ') as rows_over_changes'
        ) -%}
    {%- endfor -%}
    {#- the model's query over the upstreams as of the versions whose changes it reads -#}
    {%- set recompute_sql = namespace(text=sql) -%}
    {%- for name, upstream in feed['upstreams'].items() -%}
        {%- set recompute_sql.text = recompute_sql.text | replace(
            upstream['relation'] | string,
            '(select * from ' ~ upstream['relation'] ~ change_feed_snapshot(feed, name) ~ ')'
        ) -%}
    {%- endfor -%}
    {%- set columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | list -%}
    {%- set on_keys = [] -%}
    {%- for key in keys -%}
        {%- do on_keys.append('{a}.' ~ key ~ ' <=> {b}.' ~ key) -%}
    {%- endfor -%}
    with touched_keys as (
        select distinct * from ({{ touched_queries | join(' union all ') }}) as touched
    ),

    recomputed as (
        select model_rows.*, true as dbt_row_exists
        from ({{ recompute_sql.text }}) as model_rows
        left semi join touched_keys
            on {{ on_keys | join(' and ') | replace('{a}', 'model_rows') | replace('{b}', 'touched_keys') }}
    )

    merge into {{ target_relation }} as DBT_INTERNAL_DEST
    using (
        select
            {%- for key in keys %}
            touched_keys.{{ key }} as dbt_touched_{{ key }},
            {%- endfor %}
            recomputed.*
        from touched_keys
        left join recomputed
            on {{ on_keys | join(' and ') | replace('{a}', 'touched_keys') | replace('{b}', 'recomputed') }}
    ) as DBT_INTERNAL_SOURCE
    on
        {%- for key in keys %}
        DBT_INTERNAL_DEST.{{ key }} <=> DBT_INTERNAL_SOURCE.dbt_touched_{{ key }}{{ ' and' if not loop.last }}
        {%- endfor %}
    when matched and DBT_INTERNAL_SOURCE.dbt_row_exists is null then delete
    when matched then update set
        {%- for column_name in columns %}
        {{ column_name }} = DBT_INTERNAL_SOURCE.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    when not matched and DBT_INTERNAL_SOURCE.dbt_row_exists then insert ({{ columns | join(', ') }})
        values (
        {%- for column_name in columns -%}
            DBT_INTERNAL_SOURCE.{{ column_name }}{{ ', ' if not loop.last }}
        {%- endfor -%}
        )
{%- endmacro %}
