{#-
    Post-hook (bronze, silver and gold, dbt_project.yml): makes the model's table carry the
    Delta CHECK constraints its declarations imply (declared_constraints). Delta then checks
    every row any writer commits, dbt or not, at no cost to readers. Reads the table's
    properties only (one metadata query); adds a missing constraint (Delta checks the rows
    already there once), replaces one whose expression changed, and drops a `dbt_` constraint
    no longer declared. Constraints not named `dbt_…` belong to someone else and stay.
    Does nothing when the model wrote nothing (its change feed had nothing new, or its
    materialization marked the model `nothing_written`), and for relations that carry no
    constraints (check_constraints_supported).
    As a pre-hook (`before_write=true`: silver, whose incremental models know before they
    write whether they will), it only drops the `dbt_` constraints whose declaration changed
    or went away, so that a relaxed rule (a status added to a seed) admits the rows this very
    run writes; the post-hook then adds the new expression.
-#}
{% macro enforce_declared_constraints(before_write=false) %}
    {%- if not execute or change_feed_nothing_new() or model.get('nothing_written')
        or not check_constraints_supported(config.get('materialized')) -%}
        {{ return('') }}
    {%- endif -%}
    {%- if before_write and (should_full_refresh() or load_relation(this) is none) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set declared = declared_constraints(model.name) -%}
    {%- set prefix = 'delta.constraints.' -%}
    {%- set existing = {} -%}
    {%- for row in run_query('show tblproperties ' ~ this).rows if row[0].startswith(prefix ~ 'dbt_') -%}
        {%- do existing.update({row[0][prefix | length:]: row[1]}) -%}
    {%- endfor -%}
    {%- set declared_names = declared | map(attribute='name') | list -%}
    {%- for name in existing if name not in declared_names -%}
        {%- do run_query('alter table ' ~ this ~ ' drop constraint ' ~ name) -%}
    {%- endfor -%}
    {%- for constraint in declared -%}
        {%- set stored = existing.get(constraint.name) -%}
        {#- Delta stores the expression re-spaced: compare without whitespace -#}
        {%- if stored is none or (stored | replace(' ', '')) != (constraint.expression | replace(' ', '')) -%}
            {%- if stored is not none -%}
                {%- do run_query('alter table ' ~ this ~ ' drop constraint ' ~ constraint.name) -%}
            {%- endif -%}
            {%- if not before_write -%}
                {%- do run_query('alter table ' ~ this ~ ' add constraint ' ~ constraint.name
                    ~ ' check (' ~ constraint.expression ~ ')') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
