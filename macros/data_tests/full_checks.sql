{#- True when data tests read whole tables: `--vars '{full_checks: true}'` or --full-refresh. -#}
{% macro full_checks() %}
    {{ return(var('full_checks') or flags.FULL_REFRESH) }}
{% endmacro %}
