{#-
    SQL: the distinct non-NULL values of `column_name` in the seed `seed_name`, sorted, as the
    literal list of an `in (...)` condition. Read when a node compiles: Spark evaluates no
    `in (subquery)` inside a row-level `case`, and a Delta CHECK constraint holds no subquery,
    so the seed is expanded into the SQL. Read from the loaded seed (`dbt seed`, or `dbt build`,
    which loads it before silver_orders_checked, which depends on it); before it is loaded,
    from the seed's file where the engine can read the project's files (seed_file_relation).
    Expectations (`values_seed`) and the accepted_values_from_seed test read it.
-#}
{% macro seed_values(seed_name, column_name) %}
    {%- if not execute -%}
        {{ return('null') }}
    {%- endif -%}
    {%- set seed_node = graph.nodes.get('seed.' ~ project_name ~ '.' ~ seed_name) -%}
    {%- if seed_node is none -%}
        {{ exceptions.raise_compiler_error(
            "No seed named " ~ seed_name ~ " in seeds/ (a node reads its values when it compiles)") }}
    {%- endif -%}
    {%- set seed_relation = adapter.get_relation(
        database=seed_node.database, schema=seed_node.schema, identifier=seed_node.alias) -%}
    {%- set source = seed_relation if seed_relation is not none else seed_file_relation(seed_node) -%}
    {%- set values = run_query(
        'select distinct ' ~ column_name ~ ' from ' ~ source ~ ' where ' ~ column_name ~ ' is not null'
    ).columns[0].values() -%}
    {%- if values | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The seed " ~ seed_name ~ " has no value in column " ~ column_name
            ~ ": a rule on it would reject every row") }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for value in values | sort -%}
        {%- do literals.append(sql_string_literal(value)) -%}
    {%- endfor -%}
    {{ return(literals | join(', ')) }}
{% endmacro %}
