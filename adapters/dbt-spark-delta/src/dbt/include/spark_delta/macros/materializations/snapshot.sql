{#-
    Spark's `snapshot`: dbt-spark's own, run only when the snapshot's upstream has a Delta
    commit since the version it last compared (kept in change_feed_offsets, like a change-feed
    consumer's). A `check` snapshot's result depends on its upstream's rows only, so with no
    new commit there is nothing to compare, and the run reads no data file. The first build,
    --full-refresh and an upstream without a history always run dbt-spark's materialization.
-#}
{% materialization snapshot, adapter='spark_delta' %}
    {%- set existing = load_cached_relation(this) -%}
    {%- set feed = change_feed(spark_delta__upstream_relations(model)['tables'],
        incremental=existing is not none and not should_full_refresh()) -%}
    {%- if feed['mode'] == 'none' -%}
        {{ log(this ~ ": nothing new in " ~ feed['upstreams'].keys() | join(', ') ~ " since the last snapshot", info=true) }}
        {{ run_hooks(pre_hooks) }}
        {%- call statement('main') -%}
            select 0 as changed_rows
        {%- endcall -%}
        {{ run_hooks(post_hooks) }}
        {{ return({'relations': [this.incorporate(type='table')]}) }}
    {%- endif -%}
    {%- set result = dbt.materialization_snapshot_spark() -%}
    {% do record_change_feed_offsets(change_feed_versions(feed)) %}
    {{ return(result) }}
{% endmaterialization %}
