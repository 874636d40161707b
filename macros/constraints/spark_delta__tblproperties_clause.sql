{#-
    dbt-spark's `tblproperties (...)` clause of the statement that creates a model's table, on
    the Spark targets (adapter spark_delta): the model's `tblproperties`, and for a model that
    enforces its declared constraints (constraints_enforced_at_create), those constraints too,
    as Delta's `delta.constraints.<name>` properties. Delta then checks every row the create
    writes (a first build, --full-refresh, a materialized view recomputed whole) as it writes
    it: a row that breaks one fails the statement and leaves the table as it was. The
    post-hook (enforce_declared_constraints) finds them in place and adds none; adding one
    after the create reads the whole table again and commits once per constraint.
    Databricks keeps dbt-databricks' own clause.
-#}
{% macro spark_delta__tblproperties_clause() -%}
    {%- set properties = {} -%}
    {%- do properties.update(config.get('tblproperties') or {}) -%}
    {%- if constraints_enforced_at_create() -%}
        {%- for constraint in declared_constraints(model.name) -%}
            {%- do properties.update({'delta.constraints.' ~ constraint.name: constraint.expression}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if properties %}
    tblproperties (
        {%- for key, value in properties.items() %}
        {{ sql_string_literal(key) }} = {{ sql_string_literal(value) }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
    {%- endif %}
{%- endmacro %}
