{#-
    On an incremental run: a `where` clause keeping the rows whose `source_column` is newer than
    the newest `watermark_column` value already in this model's table. The bound is a literal
    (read when the model runs), so Delta skips the files of older batches. With a `feed`
    (change_feed) whose upstreams have no commit since the last run: `where false`, read
    without any query, so the model writes nothing.
-#}
{% macro incremental_window(source_column='ingestion_timestamp', watermark_column=none, feed=none) %}
    {%- if feed is not none and feed['mode'] == 'none' %}
    where false
    {%- elif is_incremental() -%}
        {%- set watermark = run_query(
            "select cast(max(" ~ (watermark_column or source_column) ~ ") as string) as watermark from " ~ this
        ).columns[0].values()[0] -%}
        {%- if watermark is not none %}
    where {{ source_column }} > timestamp'{{ watermark }}'
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
