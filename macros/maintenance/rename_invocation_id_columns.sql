{#-
    Upgrade of a lakehouse built before the dbt invocation id had one name, run once per schema
    before the first run of the new version:
        dbt run-operation rename_invocation_id_columns
    Renames data_quality_metrics.run_id and quarantine_orders.quarantined_in_run to
    invocation_id, in place: every row keeps its value and the column its position. Delta
    renames a column only under column mapping (`delta.columnMapping.mode = name`), which this
    turns on first; readers need Delta 1.2 or later (Databricks Runtime 10.2 or later). A table
    already renamed, or not built yet, is left as it is, so the operation can run again.
-#}
{% macro rename_invocation_id_columns() %}
    {%- set renames = {'data_quality_metrics': 'run_id', 'quarantine_orders': 'quarantined_in_run'} -%}
    {%- for model_name, old_name in renames.items() -%}
        {%- set relation = load_relation(ref(model_name)) -%}
        {%- if relation is none -%}
            {{ log(model_name ~ ': not built in this schema, nothing to rename', info=true) }}
            {%- continue -%}
        {%- endif -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
        {%- if 'invocation_id' in columns or old_name not in columns -%}
            {{ log(relation ~ ': already has invocation_id', info=true) }}
            {%- continue -%}
        {%- endif -%}
        {%- do run_query('alter table ' ~ relation
            ~ " set tblproperties ('delta.columnMapping.mode' = 'name')") -%}
        {%- do run_query('alter table ' ~ relation ~ ' rename column ' ~ old_name ~ ' to invocation_id') -%}
        {{ log(relation ~ ': renamed ' ~ old_name ~ ' to invocation_id', info=true) }}
    {%- endfor -%}
{% endmacro %}
