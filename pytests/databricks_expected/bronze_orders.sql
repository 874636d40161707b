CREATE STREAMING TABLE `main`.`medallion`.`bronze_orders`
  (
      `order_id` string COMMENT '`order_id` as its JSON text (numbers kept as written, strings unquoted); NULL when null, missing or the line is malformed.',
      `customer_id` string COMMENT '`customer_id` as JSON text, or NULL.',
      `amount` string COMMENT '`amount` as JSON text, or NULL. JSON numbers go through the JSON parser: `12.50` is kept as `12.5`.',
      `status` string COMMENT '`status` as sent, or NULL.',
      `order_date` string COMMENT '`order_date` as sent, or NULL.',
      `_rescued_data` string COMMENT 'Keys of the line\'s object that the landing contract does not know, as a JSON object; NULL when there are none. New keys never fail a run.',
      `_corrupt_record` string COMMENT 'The raw text of a line that is not a JSON object (malformed JSON, an array, a bare value); NULL otherwise.',
      `is_malformed` boolean COMMENT 'True when the line is not a JSON object; its text is in `_corrupt_record`.',
      `source_file` string COMMENT 'Full URI of the landed file (`_metadata.file_path`).',
      `source_line_number` int COMMENT '1-based physical line number of the row in its file (blank lines are counted, not ingested).',
      `source_file_modified_at` timestamp COMMENT 'Modification time of the landed file (UTC); decides which version of an order is the latest.',
      `ingestion_timestamp` timestamp COMMENT 'When the run that ingested the file started writing it (UTC). All rows of one run share it.'
  )
    COMMENT 'Every line of every landed order file, exactly once across any number of runs (a run ingests
only the files it has not seen; a run with no new file reads no file content and writes
nothing). One row per non-blank physical line, keyed by `source_file` + `source_line_number`.
Values stay raw: each contract key as its JSON text, unknown keys in `_rescued_data`, and a
line that is not a JSON object kept whole in `_corrupt_record` (with `is_malformed`).
Typing, expectations and de-duplication happen in silver.
Materialized as `streaming_table`: a Databricks streaming table over
`STREAM read_files(...)` on Databricks; on Spark, this project\'s materialization that keeps
an ingested-file log under `var(\'checkpoint_root\')` (see `streaming_table.sql`).'
    AS with landed_lines as (
    select * from (
    select
        landed_file.source_file,
        landed_file.source_file_modified_at,
        landed_line.line_index + 1 as source_line_number,
        landed_line.raw_line as _raw_line
    from (
        select
            value as file_text,
            _metadata.file_path as source_file,
            _metadata.file_modification_time as source_file_modified_at
        from stream read_files('/Volumes/main/landing/files/orders', format => 'text', wholetext => true, pathGlobFilter => '*.json', recursiveFileLookup => true)
    ) as landed_file
    lateral view posexplode(split(landed_file.file_text, '\r?\n')) landed_line as line_index, raw_line
    ) as new_lines
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
            json_fields, (field_name, field_value) -> field_name not in ('order_id', 'customer_id', 'amount', 'status', 'order_date')
        ) as unknown_json_fields
    from parsed_lines
),
final as (
    select
            json_fields['order_id'] as order_id,
            json_fields['customer_id'] as customer_id,
            json_fields['amount'] as amount,
            json_fields['status'] as status,
            json_fields['order_date'] as order_date,
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
