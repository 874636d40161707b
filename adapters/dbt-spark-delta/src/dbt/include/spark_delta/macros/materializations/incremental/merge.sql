{#-
    dbt-spark's MERGE, extended with three of dbt-databricks' merge configs so a model reads
    the same on both adapters:
      matched_condition             update a matched row only when this holds
                                    (aliases DBT_INTERNAL_SOURCE / DBT_INTERNAL_DEST);
      skip_matched_step             never update a matched row (insert-only);
      not_matched_by_source_action  'delete': remove target rows the source no longer has.
    A model that the project's `change_feed_nothing_new()` marks (its change feed had nothing
    new) runs no MERGE at all: even a MERGE that changes nothing commits, and one with
    not_matched_by_source_action rewrites every file. Before a MERGE, the target gets the
    model's declared `tblproperties` it lacks or holds with another value
    (spark_delta__apply_tblproperties).
-#}
{% macro spark_delta__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) %}
    {%- if change_feed_nothing_new is defined and change_feed_nothing_new() -%}
    select 'nothing new upstream' as merged
    {%- else -%}
    {%- do spark_delta__apply_tblproperties(target) -%}
    {%- set predicates = [] if incremental_predicates is none else [] + incremental_predicates -%}
    {%- set update_columns = get_merge_update_columns(
        config.get('merge_update_columns'),
        config.get('merge_exclude_columns'),
        adapter.get_columns_in_relation(target),
    ) -%}
    {%- set keys = [unique_key] if unique_key is string else (unique_key or []) -%}
    {%- for key in keys -%}
        {%- do predicates.append('DBT_INTERNAL_SOURCE.' ~ key ~ ' = DBT_INTERNAL_DEST.' ~ key) -%}
    {%- endfor -%}
    {%- if not keys -%}
        {%- do predicates.append('false') -%}
    {%- endif -%}
    {%- set matched_condition = config.get('matched_condition') -%}
    {%- set not_matched_by_source_action = config.get('not_matched_by_source_action') -%}

    merge into {{ target }} as DBT_INTERNAL_DEST
    using {{ source }} as DBT_INTERNAL_SOURCE
    on {{ predicates | join(' and ') }}
    {%- if not config.get('skip_matched_step') %}
    when matched {%- if matched_condition %} and ({{ matched_condition }}){% endif %} then update set
        {%- if update_columns %}
        {%- for column_name in update_columns %}
        {{ column_name }} = DBT_INTERNAL_SOURCE.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
        {%- else %} *
        {%- endif %}
    {%- endif %}
    when not matched then insert *
    {%- if not_matched_by_source_action == 'delete' %}
    when not matched by source then delete
    {%- elif not_matched_by_source_action %}
    {{ exceptions.raise_compiler_error(
        "not_matched_by_source_action supports 'delete' on Spark, got " ~ not_matched_by_source_action) }}
    {%- endif %}
    {%- endif -%}
{% endmacro %}
