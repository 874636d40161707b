{#-
    What a data test on `relation` reads so that it costs what this run wrote, yet checks
    every row the run could have broken:
      - nothing (an empty relation) when the run made no commit to the table;
      - the row images the run's commits inserted or updated, from Delta's change feed, for
        a row-level rule (not_null, accepted_values, an expectation);
      - for a key rule (`key_columns`: unique, unique_combination_of_columns), the rows of the
        whole table that share a key with those images, so a written key is counted against
        every row, not only against the others written now;
      - the whole table when the run rebuilt it, when it keeps no change feed or no history,
        with --full-refresh, and with --vars '{full_checks: true}'.
-#}
{% macro rows_written_in_this_run(relation, key_columns=[]) %}
    {%- if wrote_nothing_in_this_run(relation) -%}
        {{ return('(select * from ' ~ relation ~ ' where false) nothing_written') }}
    {%- endif -%}
    {%- set commits = none if full_checks() or not execute else commits_of_this_run(relation) -%}
    {%- if commits is none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- for commit in commits if delta_commit_rebuilds(commit) -%}
        {{ return(relation) }}
    {%- endfor -%}
    {%- set feed_property = run_query(
        "show tblproperties " ~ relation ~ " ('delta.enableChangeDataFeed')").rows -%}
    {%- if not feed_property or feed_property[0][1] | string | lower != 'true' -%}
        {{ log(relation ~ ': no change feed, tests read the whole table', info=true) }}
        {{ return(relation) }}
    {%- endif -%}
    {%- set first = commits[0]['version'] -%}
    {%- set last = commits[-1]['version'] -%}
    {%- set written -%}
        select * from table_changes('{{ relation }}', {{ first }}, {{ last }})
        where _change_type in ('insert', 'update_postimage')
    {%- endset -%}
    {%- if not key_columns -%}
        {{ return('(' ~ written ~ ') written_rows') }}
    {%- endif -%}
    {%- set keys = key_columns | join(', ') -%}
    {#- time travel: a plain read beside table_changes() would lose the change columns -#}
    {{ return('(select * from ' ~ relation ~ ' version as of ' ~ last ~ ' where (' ~ keys ~ ') in (select '
        ~ keys ~ ' from (' ~ written ~ ') written_rows)) rows_of_written_keys') }}
{% endmacro %}
