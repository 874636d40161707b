{#- Release the run's lock on a Spark server (the adapter's release_lakehouse_lock). -#}
{% macro spark_delta__release_lakehouse_lock() %}
    {%- if execute -%}
        {% do adapter.release_lakehouse_lock(target.schema) %}
    {%- endif -%}
{% endmacro %}
