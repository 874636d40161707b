{#-
    True when the data test being compiled checks exactly what a Delta CHECK constraint of
    `relation` already guarantees for every row: a `not_null` test on column c and the table's
    constraint `dbt_not_null_c` holding `c is not null`, or an `expression_is_true` test and the
    table's `dbt_expression_<md5>` holding the same expression (declared_constraints). Delta
    checked the rows already there when the constraint was added, or as the create wrote them,
    and refuses any commit that breaks it, so no row can fail the test. One metadata query
    (`show tblproperties`, answered once per run until something writes); no data file is read.
    False with `full_checks` (and --full-refresh), which read every table whole, and for any
    other test.
-#}
{% macro test_enforced_by_constraint(relation) %}
    {%- set test = model.get('test_metadata') or {} -%}
    {%- set kwargs = test.get('kwargs', {}) -%}
    {%- if not execute or full_checks() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if test.get('name') == 'not_null' and kwargs.get('column_name') -%}
        {%- set name = 'dbt_not_null_' ~ kwargs['column_name'] -%}
        {%- set expression = kwargs['column_name'] ~ ' is not null' -%}
    {%- elif test.get('name') == 'expression_is_true' and kwargs.get('expression') -%}
        {%- set name = 'dbt_expression_' ~ local_md5(kwargs['expression'])[:8] -%}
        {%- set expression = kwargs['expression'] -%}
    {%- else -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if not delta_history_readable(relation) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set key = 'delta.constraints.' ~ name -%}
    {%- for row in run_query('show tblproperties ' ~ relation).rows if row[0] == key -%}
        {#- Delta stores the expression re-spaced: compare without whitespace -#}
        {{ return((row[1] | string | replace(' ', '')) == (expression | replace(' ', ''))) }}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}
