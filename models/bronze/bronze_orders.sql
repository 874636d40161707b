{{ config(materialized='streaming_table') }}

{%- set contract_keys = source_column_names(source('landing', 'orders')) %}
{%- set contract_key_list = "'" ~ contract_keys | join("', '") ~ "'" %}

with landed_lines as (

    select * from {{ landing_new_lines(source('landing', 'orders')) }}

),

parsed_lines as (

    select
        source_file,
        source_file_modified_at,
        source_line_number,
        _raw_line,
        -- every value as its JSON text; NULL when the line is not a JSON object
        from_json(_raw_line, 'map<string, string>') as json_fields
    from landed_lines
    -- a blank line (nothing but whitespace: spaces, tabs, a lone carriage return) is no row
    where _raw_line rlike '\\S'

),

split_json_fields as (

    select
        *,
        map_filter(
            json_fields, (field_name, field_value) -> field_name not in ({{ contract_key_list }})
        ) as unknown_json_fields
    from parsed_lines

),

final as (

    select
        {%- for key in contract_keys %}
            json_fields['{{ key }}'] as {{ key }},
        {%- endfor %}
        case when cardinality(unknown_json_fields) > 0 then to_json(unknown_json_fields) end as _rescued_data,
        case when json_fields is null then _raw_line end as _corrupt_record,
        json_fields is null as is_malformed,
        source_file,
        source_line_number,
        source_file_modified_at,
        current_timestamp() as ingestion_timestamp
    from split_json_fields

)

select * from final
