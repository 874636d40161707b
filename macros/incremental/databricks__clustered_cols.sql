{#-
    On Databricks, dbt-databricks renders `liquid_clustered_by` itself (`liquid_clustered_cols`);
    without this macro the dispatch would fall through to spark__clustered_cols and cluster the
    table twice. Hive-style bucketing stays unsupported, as on Spark.
-#}
{% macro databricks__clustered_cols(label, required=false) %}
    {%- if config.get('clustered_by') or required -%}
        {{ exceptions.raise_compiler_error(
            "Use liquid_clustered_by (Delta liquid clustering); bucketing is not supported here") }}
    {%- endif -%}
{%- endmacro %}
