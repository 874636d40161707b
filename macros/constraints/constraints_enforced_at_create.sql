{#-
    True when the node being built is a model whose table carries its declared constraints
    (check_constraints_supported) and whose post-hook enforces them
    (enforce_declared_constraints: bronze, silver and gold), so that the statement creating
    its table can carry them from the start. False for seeds, snapshots, tests, Python models'
    staging tables and the monitoring tables, which carry none.
-#}
{% macro constraints_enforced_at_create() %}
    {%- if not execute or model is not defined or model.get('resource_type') != 'model' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if not check_constraints_supported(config.get('materialized')) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- for hook in model.get('config', {}).get('post-hook') or []
        if 'enforce_declared_constraints(' in (hook.get('sql') or '') -%}
        {{ return(true) }}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}
