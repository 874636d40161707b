{#-
    True when a VACUUM among `commits` (delta_history's, the commits after the version a
    consumer read last) may have removed files that the consumer's change-feed read needs: it
    ran with a retention shorter than the age of the oldest of those commits. The consumer then
    recomputes from the whole upstream instead of failing on a missing file. A false alarm
    costs one full recompute, never a wrong row.
-#}
{% macro change_files_removed(commits) %}
    {%- if not commits -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set oldest = commits | map(attribute='committed_at') | min -%}
    {%- for commit in commits if commit['operation'] == 'VACUUM START' -%}
        {%- set retention = modules.re.search('specifiedRetentionMillis[^0-9]+([0-9]+)', commit['parameters'])
            or modules.re.search('defaultRetentionMillis[^0-9]+([0-9]+)', commit['parameters']) -%}
        {%- set retention_ms = retention.group(1) | int if retention else 0 -%}
        {%- if commit['committed_at'] - modules.datetime.timedelta(milliseconds=retention_ms) > oldest -%}
            {{ return(true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}
