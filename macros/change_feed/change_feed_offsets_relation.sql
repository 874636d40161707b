{#-
    The small Delta table where each change-feed consumer of this schema keeps, per upstream
    table, the last Delta version it has consumed (one row per model and upstream).
-#}
{% macro change_feed_offsets_relation() %}
    {{ return(api.Relation.create(
        database=this.database, schema=this.schema, identifier='change_feed_offsets', type='table'
    )) }}
{% endmacro %}
