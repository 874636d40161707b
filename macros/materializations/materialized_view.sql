{#-
    Spark's `materialized_view`: on Databricks, dbt-databricks' native materialized view (which
    refreshes itself incrementally where it can); on Spark, a Delta table that refreshes only
    the rows whose key the upstream changed, like Databricks' incremental refresh does.

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
{% materialization materialized_view, adapter='spark' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- set keys = [unique_key] if unique_key is string else (unique_key or []) -%}
    {%- set incremental = existing_relation is not none and existing_relation.is_table
        and not should_full_refresh() -%}
    {%- set upstreams = materialized_view_upstreams(model) -%}
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
            {{ materialized_view_refresh_keys(target_relation, sql, keys, feed) }}
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
