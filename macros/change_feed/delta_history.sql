{#-
    The newest `limit` commits of a Delta table (version, operation, parameters, commit time as
    a naive UTC datetime, and `rows_added`: the rows it wrote, from `numOutputRows`), newest
    first, from its commit log: no data file is read.
-#}
{% macro delta_history(relation, limit=1) %}
    {%- set history = run_query('describe history ' ~ relation ~ ' limit ' ~ limit) -%}
    {%- set commits = [] -%}
    {%- set has_metrics = 'operationMetrics' in history.column_names -%}
    {%- for row in history.rows -%}
        {%- set metrics = fromjson(row['operationMetrics'] or '{}') if has_metrics else {} -%}
        {%- do commits.append({
            'version': row['version'] | int,
            'operation': row['operation'],
            'parameters': row['operationParameters'] | string,
            'committed_at': utc_datetime(row['timestamp']),
            'rows_added': (metrics.get('numOutputRows') or 0) | int,
        }) -%}
    {%- endfor -%}
    {{ return(commits) }}
{% endmacro %}
