{#-
    What a change-feed consumer reads in this run: for each upstream Delta table, the commits
    after the version this model consumed last (kept in change_feed_offsets), read from
    Delta's commit log only. Returns

      {'mode': 'all' | 'changes' | 'none',
       'upstreams': {name: {'relation', 'consumed', 'current', 'changed'}}}

    mode 'all': recompute from the whole upstream (first build, --full-refresh, no offset yet,
    or an upstream that was rebuilt, overwritten or restored since, whose change feed would
    replay the whole table, or vacuumed since, which may have removed the change files to
    read); 'none': no upstream has a commit since the last run, so the model
    has nothing to do; 'changes': read the change feed of the upstreams marked `changed`,
    versions consumed + 1 to current.

    `landing_sources` (Spark): landing sources read whole; their "version" is the fingerprint
    of their file listing (landing_fingerprint), and any change means mode 'all'.
-#}
{% macro change_feed(upstreams, incremental=none, landing_sources=[]) %}
    {%- set incremental = is_incremental() if incremental is none else incremental -%}
    {%- set feed = {'mode': 'all', 'upstreams': {}} -%}
    {%- if not execute -%}
        {{ return(feed) }}
    {%- endif -%}
    {%- set consumed = consumed_change_feed_offsets() if incremental else {} -%}
    {%- set rebuilt = [] -%}
    {%- for relation in upstreams -%}
        {%- set name = relation.identifier -%}
        {#-
            No version: an upstream not built yet (only when compiling alone, as the SQL linter
            does), a unit test's fixture, and Databricks' native streaming tables and
            materialized views, which keep no history to read: the model then reads the whole
            upstream, as on a first build.
        -#}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier)
            if relation.schema else none -%}
        {%- set exists = found is not none and found.type not in ('materialized_view', 'streaming_table') -%}
        {%- set current = delta_history(relation)[0]['version'] if exists else none -%}
        {%- set last = consumed.get(name) -%}
        {%- set changed = last is none or current != last -%}
        {%- if current is none or last is none or current < last -%}
            {%- do rebuilt.append(name) -%}
        {%- elif changed -%}
            {%- set commits = delta_history(relation, current - last) | selectattr('version', 'gt', last) | list -%}
            {%- for commit in commits if delta_commit_rebuilds(commit) -%}
                {%- do rebuilt.append(name) -%}
            {%- endfor -%}
            {%- if change_files_removed(commits) -%}
                {%- do rebuilt.append(name) -%}
            {%- endif -%}
        {%- endif -%}
        {%- do feed['upstreams'].update({name: {
            'relation': relation, 'consumed': last, 'current': current, 'changed': changed,
        }}) -%}
    {%- endfor -%}
    {%- for source_relation in landing_sources -%}
        {%- set name = landing_source_node(source_relation).source_name ~ '.' ~ source_relation.identifier -%}
        {%- set current = landing_fingerprint(source_relation) -%}
        {%- set changed = consumed.get(name) != current -%}
        {%- if changed -%}
            {%- do rebuilt.append(name) -%}
        {%- endif -%}
        {%- do feed['upstreams'].update({name: {
            'relation': source_relation, 'consumed': consumed.get(name), 'current': current, 'changed': changed,
        }}) -%}
    {%- endfor -%}
    {%- set any_changed = feed['upstreams'].values() | selectattr('changed') | list | length > 0 -%}
    {%- if incremental and not rebuilt -%}
        {%- do feed.update({'mode': 'changes' if any_changed else 'none'}) -%}
    {%- endif -%}
    {%- if feed['mode'] != 'none' -%}
        {%- set read = feed['upstreams'] | list if feed['mode'] == 'all' else
            feed['upstreams'].items() | selectattr('1.changed') | map(attribute='0') | list -%}
        {{ log(this.identifier ~ ': reads ' ~ feed['mode'] ~ ' of ' ~ (read | join(', '))
            ~ ('; rebuilt or vacuumed since the last run: ' ~ (rebuilt | unique | join(', ')) if incremental and rebuilt else ''),
            info=true) }}
    {%- endif -%}
    {{ return(feed) }}
{% endmacro %}
