{#-
    Post-hook of a change-feed consumer: stores the upstream versions its compiled code read
    (see change_feed_marker) in change_feed_offsets, after the model's own commit. If a run
    stops in between, the next run reads the same commits again; every consumer recomputes
    what it writes from the upstream's current state, so that changes nothing.
-#}
{% macro record_change_feed_offsets(versions=none) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set versions = change_feed_versions_read() if versions is none else versions -%}
    {%- if not versions -%}
        {{ return('') }}
    {%- endif -%}
    {%- set offsets = change_feed_offsets_relation() -%}
    {%- set rows = [] -%}
    {%- for name, version in versions.items() -%}
        {%- do rows.append(
            "select '" ~ this.identifier ~ "' as model_name, '" ~ name ~ "' as upstream_name, "
            ~ "cast(" ~ version ~ " as bigint) as upstream_version, '" ~ invocation_id
            ~ "' as invocation_id, current_timestamp() as recorded_at"
        ) -%}
    {%- endfor -%}
    {%- call statement('create_change_feed_offsets') -%}
        create table if not exists {{ offsets }} (
            model_name string,
            upstream_name string,
            upstream_version bigint,
            invocation_id string,
            recorded_at timestamp
        ) using delta
    {%- endcall -%}
    {%- do adapter.cache_added(offsets) -%}
    {%- call statement('record_change_feed_offsets') -%}
        merge into {{ offsets }} as recorded
        using ({{ rows | join(' union all ') }}) as consumed
        on recorded.model_name = consumed.model_name and recorded.upstream_name = consumed.upstream_name
        when matched then update set *
        when not matched then insert *
    {%- endcall -%}
    {{ return('') }}
{% endmacro %}
