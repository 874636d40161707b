{#-
    True when the data test being compiled checks exactly what a Delta CHECK constraint of
    `relation` already guarantees for every row: the table carries the constraint the test
    states (constraint_stated_by_test: `not_null`, `expression_is_true`), with the same
    expression. Delta checked the rows already there when the constraint was added, or as the
    create wrote them, and refuses any commit that breaks it, so no row can fail the test. One
    metadata query (`show tblproperties`, answered once per run until something writes); no
    data file is read. False with `full_checks` (and --full-refresh), which read every table
    whole, and for any other test.
-#}
{% macro test_enforced_by_constraint(relation) %}
    {%- if not execute or full_checks() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set constraint = constraint_stated_by_test(model.get('test_metadata')) -%}
    {%- if constraint is none or not delta_history_readable(relation) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set key = 'delta.constraints.' ~ constraint.name -%}
    {%- for row in run_query('show tblproperties ' ~ relation).rows if row[0] == key -%}
        {#- Delta stores the expression re-spaced: compare without whitespace -#}
        {{ return((row[1] | string | replace(' ', '')) == (constraint.expression | replace(' ', ''))) }}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}
