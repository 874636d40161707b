{#-
    True when this dbt invocation made no commit to `relation`, known from its commit log
    alone (commits_of_this_run): a test scoped to what the run wrote then reads no row, and
    needs no other question answered first. False when the run wrote to it, when that cannot
    be known (no history, more commits than the log read looks at), and when tests read
    whole tables (`full_checks`, --full-refresh).
-#}
{% macro wrote_nothing_in_this_run(relation) %}
    {%- if not execute or full_checks() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set commits = commits_of_this_run(relation) -%}
    {{ return(commits is not none and commits | length == 0) }}
{% endmacro %}
