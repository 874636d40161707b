{#-
    dbt-spark's clustering clause, with dbt-databricks' `liquid_clustered_by` config: on Delta
    Lake it renders `cluster by (...)` (liquid clustering, which open-source Delta supports).
    Hive-style bucketing (`clustered_by` + `buckets`) is not used by this project.
-#}
{% macro spark_delta__clustered_cols(label, required=false) %}
    {%- set liquid = config.get('liquid_clustered_by') -%}
    {%- if liquid %}
    cluster by ({{ ([liquid] if liquid is string else liquid) | join(', ') }})
    {%- elif config.get('clustered_by') or required -%}
        {{ exceptions.raise_compiler_error(
            "Use liquid_clustered_by (Delta liquid clustering); bucketing is not supported here") }}
    {%- endif %}
{%- endmacro %}
