{#- A naive UTC datetime as a SQL timestamp literal (sessions run in UTC), or `null`. -#}
{% macro sql_timestamp_literal(value) %}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return("timestamp'" ~ value.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "'") }}
{% endmacro %}
