{#- The temporary view through which a Spark streaming table sees its new landed lines. -#}
{% macro streaming_batch_view_name(relation) %}
    {{- return(relation.identifier ~ '__new_landed_lines') -}}
{% endmacro %}
