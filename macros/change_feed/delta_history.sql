{#-
    The newest `limit` commits of a Delta table (version, operation, parameters, commit time as
    a naive UTC datetime), newest first, from its commit log: no data file is read.
-#}
{% macro delta_history(relation, limit=1) %}
    {%- set history = run_query('describe history ' ~ relation ~ ' limit ' ~ limit) -%}
    {%- set commits = [] -%}
    {%- for row in history.rows -%}
        {%- do commits.append({
            'version': row['version'] | int,
            'operation': row['operation'],
            'parameters': row['operationParameters'] | string,
            'committed_at': utc_datetime(row['timestamp']),
        }) -%}
    {%- endfor -%}
    {{ return(commits) }}
{% endmacro %}
