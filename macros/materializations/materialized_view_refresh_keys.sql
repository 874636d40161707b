{#-
    The one MERGE of an incremental materialized-view refresh (see materialized_view): the rows
    of the keys that the upstream changes touched, recomputed by the model's query `sql` from
    the whole upstream; keys with no row left are deleted.
-#}
{% macro materialized_view_refresh_keys(target_relation, sql, keys, feed) %}
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
