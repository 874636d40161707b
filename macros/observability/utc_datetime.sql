{#-
    A timestamp read back from the engine as a naive UTC datetime: drivers return strings in
    the session time zone (UTC), PySpark returns naive datetimes in the local time zone.
-#}
{% macro utc_datetime(value) %}
    {%- if value is string -%}
        {{ return(modules.datetime.datetime.fromisoformat(value[:26])) }}
    {%- endif -%}
    {{ return(value.astimezone(modules.pytz.utc).replace(tzinfo=none)) }}
{% endmacro %}
