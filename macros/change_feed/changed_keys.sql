{#-
    A select of the `unique_key` values whose `columns` differ between the start and the end of
    this run's change feed of upstream `name`: keys that appeared, disappeared or changed in
    one of `columns`. A commit that rewrote rows without changing them (its change feed replays
    them as deleted and inserted), or changed only other columns, yields no key.
-#}
{% macro changed_keys(feed, name, unique_key, columns) %}
    {%- set fields = [] -%}
    {%- for column_name in columns -%}
        {%- do fields.append("'" ~ column_name ~ "', " ~ column_name) -%}
    {%- endfor -%}
    {%- set image = 'named_struct(' ~ fields | join(', ') ~ ')' -%}
    select {{ unique_key }}
    from (
        select
            {{ unique_key }},
            -- the first event's old image (none if it inserted the key); the last event's new one
            min_by(
                case when _change_type in ('delete', 'update_preimage') then {{ image }} end,
                _commit_version * 2 + case when _change_type in ('delete', 'update_preimage') then 0 else 1 end
            ) as image_before,
            max_by(
                case when _change_type in ('insert', 'update_postimage') then {{ image }} end,
                _commit_version * 2 + case when _change_type in ('insert', 'update_postimage') then 1 else 0 end
            ) as image_after
        from {{ table_changes_of(feed, name) }}
        group by {{ unique_key }}
    ) as key_images
    where not (image_before <=> image_after)
{%- endmacro %}
