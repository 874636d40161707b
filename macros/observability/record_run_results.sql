{#-
    on-run-end hook: append one row per node of this invocation to `dbt_run_log` — status,
    timing, the rows the node's Delta commits inserted/updated/deleted, and, for models with
    expectations, that run's counts from `data_quality_metrics`. Commands that build nothing
    (compile, show, docs …) and invocations before the log table exists record nothing.
-#}
{% macro record_run_results(results) %}
    {%- if not execute or flags.WHICH not in ('build', 'run', 'test', 'seed', 'snapshot') or not results -%}
        {{ return('') }}
    {%- endif -%}
    {%- set log_node = graph.nodes.values() | selectattr('name', 'equalto', 'dbt_run_log') | first -%}
    {%- set metrics_node = graph.nodes.values() | selectattr('name', 'equalto', 'data_quality_metrics') | first -%}
    {%- set run_log = adapter.get_relation(log_node.database, log_node.schema, log_node.alias) -%}
    {%- if run_log is none -%}
        {{ log("dbt_run_log does not exist yet: this run is not logged (build the model once)", info=true) }}
        {{ return('') }}
    {%- endif -%}
    {%- set metrics = adapter.get_relation(metrics_node.database, metrics_node.schema, metrics_node.alias) -%}

    {%- set rows = [] -%}
    {%- for result in results -%}
        {%- set node = result.node -%}
        {%- set execute_timing = result.timing | selectattr('name', 'equalto', 'execute') | list -%}
        {%- set started_at = execute_timing[0].started_at if execute_timing else none -%}
        {%- set completed_at = execute_timing[0].completed_at if execute_timing else none -%}
        {%- set written = none -%}
        {%- if node.resource_type in ('model', 'seed', 'snapshot') and result.status == 'success' and started_at is not none -%}
            {%- set written = delta_write_metrics(node, started_at, completed_at) -%}
        {%- endif -%}
        {%- do rows.append(
            "(" ~ [
                sql_string_literal(node.unique_id),
                sql_string_literal(node.name),
                sql_string_literal(node.resource_type),
                sql_string_literal(node.config.materialized if node.resource_type == 'model' else none),
                sql_string_literal(result.status),
                sql_string_literal((result.message or '') | string | truncate(1000, true, '…')),
                result.failures if result.failures is not none else 'null',
                sql_timestamp_literal(started_at),
                sql_timestamp_literal(completed_at),
                result.execution_time,
                written.inserted if written else 'null',
                written.updated if written else 'null',
                written.deleted if written else 'null',
            ] | join(', ') ~ ")"
        ) -%}
    {%- endfor %}

    {%- set insert_sql -%}
        insert into {{ run_log }} (
            invocation_id, target_name, command, node_id, node_name, resource_type,
            materialization, status, message, failures, started_at, completed_at,
            duration_seconds, rows_inserted, rows_updated, rows_deleted,
            expectation_rows_failed, records_quarantined, logged_at
        )
        with node_results as (
            select * from values
                {{ rows | join(',\n                ') }}
            as node_result (
                node_id, node_name, resource_type, materialization, status, message, failures,
                started_at, completed_at, duration_seconds, rows_inserted, rows_updated, rows_deleted
            )
        ),

        run_expectations as (
            {%- if metrics is not none %}
            select
                table_name,
                map_from_entries(collect_list(struct(expectation_name, rows_failed))) as expectation_rows_failed,
                max(records_quarantined) as records_quarantined
            from {{ metrics }}
            where invocation_id = '{{ invocation_id }}'
            group by table_name
            {%- else %}
            select
                cast(null as string) as table_name,
                cast(null as map<string, bigint>) as expectation_rows_failed,
                cast(null as bigint) as records_quarantined
            {%- endif %}
        )

        select
            '{{ invocation_id }}' as invocation_id,
            '{{ target.name }}' as target_name,
            '{{ flags.WHICH }}' as command,
            node_results.node_id,
            node_results.node_name,
            node_results.resource_type,
            node_results.materialization,
            node_results.status,
            node_results.message,
            cast(node_results.failures as bigint) as failures,
            cast(node_results.started_at as timestamp) as started_at,
            cast(node_results.completed_at as timestamp) as completed_at,
            cast(node_results.duration_seconds as double) as duration_seconds,
            cast(node_results.rows_inserted as bigint) as rows_inserted,
            cast(node_results.rows_updated as bigint) as rows_updated,
            cast(node_results.rows_deleted as bigint) as rows_deleted,
            run_expectations.expectation_rows_failed,
            run_expectations.records_quarantined,
            current_timestamp() as logged_at
        from node_results
        left join run_expectations
            on node_results.node_name = run_expectations.table_name
    {%- endset %}
    {% do run_query(insert_sql) %}
    {{ return('') }}
{% endmacro %}
