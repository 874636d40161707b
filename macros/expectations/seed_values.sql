{#-
    SQL: the distinct non-NULL values of `column_name` in the seed `seed_name`, sorted, as the
    literal list of an `in (...)` condition. Read when a node compiles: Spark evaluates no
    `in (subquery)` inside a row-level `case`, and a Delta CHECK constraint holds no subquery,
    so the seed is expanded into the SQL. Read from the loaded seed (`dbt seed`, or `dbt build`,
    which loads it before silver_orders_checked, which depends on it); before it is loaded,
    from the seed's file where the engine can read the project's files (seed_file_values).
-#}
{% macro seed_values(seed_name, column_name) %}
    {%- if not execute -%}
        {{ return('null') }}
    {%- endif -%}
    {%- set seed_node = graph.nodes.get('seed.' ~ project_name ~ '.' ~ seed_name) -%}
    {%- if seed_node is none -%}
        {{ exceptions.raise_compiler_error(
            "No seed named " ~ seed_name ~ " in seeds/ (an expectation reads its values)") }}
    {%- endif -%}
    {%- set seed_relation = adapter.get_relation(
        database=seed_node.database, schema=seed_node.schema, identifier=seed_node.alias) -%}
    {%- if seed_relation is not none -%}
        {%- set values = run_query(
            'select distinct ' ~ column_name ~ ' from ' ~ seed_relation
            ~ ' where ' ~ column_name ~ ' is not null'
        ).columns[0].values() -%}
    {%- else -%}
        {%- set values = seed_file_values(seed_node, column_name) -%}
    {%- endif -%}
    {%- if values | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The seed " ~ seed_name ~ " has no value in column " ~ column_name
            ~ ": an expectation on it would reject every row") }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for value in values | sort -%}
        {%- do literals.append(sql_string_literal(value)) -%}
    {%- endfor -%}
    {{ return(literals | join(', ')) }}
{% endmacro %}
