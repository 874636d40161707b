{#-
    Spark's `materialized_view`: on Databricks, dbt-databricks' native materialized view (which
    refreshes itself incrementally where it can); on Spark, a Delta table recomputed from its
    query on every run, replaced in one commit (readers never see it empty).
-#}
{% materialization materialized_view, adapter='spark' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}

    {{ run_hooks(pre_hooks) }}

    {%- if existing_relation is not none and existing_relation.is_view -%}
        {% do adapter.drop_relation(existing_relation) %}
    {%- endif -%}

    {%- call statement('main') -%}
        {{ create_table_as(False, target_relation, sql) }}
    {%- endcall -%}

    {% do persist_docs(target_relation, model) %}

    {{ run_hooks(post_hooks) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
