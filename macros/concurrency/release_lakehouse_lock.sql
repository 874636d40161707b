{#- on-run-end: release what take_lakehouse_lock took (nothing where it took nothing). -#}
{% macro release_lakehouse_lock() %}
    {{ return(adapter.dispatch('release_lakehouse_lock')()) }}
{% endmacro %}

{% macro default__release_lakehouse_lock() %}
{% endmacro %}
