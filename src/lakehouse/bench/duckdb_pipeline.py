"""The pipeline's layers in DuckDB: the independent engine the benchmark's P4 compares with.

Same landing files, same semantics as the dbt models (bronze parse with rescued keys and
corrupt lines, the silver expectations, latest version per order, quarantine, metrics, newest
customer extract, enrichment, the three gold tables). Each layer is materialised once and
written as a Parquet file under the output folder (DuckDB has no Delta writer); downstream
layers read the materialised layer, as the pipeline's do.

    python -m lakehouse.bench.duckdb_pipeline <landing_root> <output_dir>
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from lakehouse.contract import ORDER_KEYS, STATUSES


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _layers(landing: Path) -> dict[str, str]:
    """Layer name → the query that builds it, in dependency order."""
    contract = _sql_list(ORDER_KEYS)
    fields = ",\n".join(
        f"json_extract_string(json_document, '$.{key}') as {key}" for key in ORDER_KEYS
    )
    raw = ",\n".join(f"{key} as raw_{key}" for key in ORDER_KEYS)
    return {
        "bronze_orders": f"""
            with landed_files as (
                select filename as source_file, last_modified as source_file_modified_at,
                       string_split(content, chr(10)) as file_lines
                from read_text('{landing}/orders/**/*.json')
            ),
            landed_lines as (
                select source_file, source_file_modified_at,
                       rtrim(unnest(file_lines), chr(13)) as raw_line,
                       generate_subscripts(file_lines, 1) as source_line_number
                from landed_files
            ),
            parsed_lines as (
                select *, try_cast(raw_line as json) as json_document
                from landed_lines
                where regexp_matches(raw_line, '\\S')
            ),
            with_unknown_keys as (
                select *,
                       coalesce(json_type(json_document) = 'OBJECT', false) as is_object,
                       case when json_type(json_document) = 'OBJECT' then list_filter(
                           json_keys(json_document),
                           lambda k: k not in ({contract})) end
                           as unknown_keys
                from parsed_lines
            )
            select
                {fields},
                case when len(unknown_keys) > 0 then to_json(map_from_entries(list_transform(
                    unknown_keys,
                    lambda k: {{
                        'key': k,
                        'value': json_extract_string(json_document, '$."' || k || '"')
                    }}
                ))) end as _rescued_data,
                case when not is_object then raw_line end as _corrupt_record,
                not is_object as is_malformed,
                source_file, source_line_number, source_file_modified_at,
                current_timestamp as ingestion_timestamp
            from with_unknown_keys
        """,
        "silver_orders_checked": f"""
            with typed as (
                select
                    try_cast(order_id as bigint) as order_id,
                    try_cast(customer_id as bigint) as customer_id,
                    try_cast(amount as decimal(10, 2)) as amount,
                    status,
                    try_cast(order_date as timestamp) as order_date,
                    {raw},
                    _rescued_data, _corrupt_record, is_malformed,
                    source_file, source_line_number, source_file_modified_at, ingestion_timestamp
                from bronze_orders
            )
            select *,
                list_sort(list_filter([
                    case when not coalesce(order_id is not null, false) then 'valid_order_id' end,
                    case when not coalesce(amount > 0, false) then 'valid_amount' end
                ], lambda name: name is not null)) as failed_drop_expectations,
                list_sort(list_filter([
                    case when not coalesce(status in ({_sql_list(STATUSES)}), false)
                        then 'valid_status' end,
                    case when not coalesce(customer_id is not null, false)
                        then 'valid_customer' end
                ], lambda name: name is not null)) as failed_row_expectations
            from typed
        """,
        "quarantine_orders": f"""
            select {", ".join(f"raw_{key} as {key}" for key in ORDER_KEYS)},
                   _rescued_data, _corrupt_record, is_malformed,
                   failed_drop_expectations as failed_expectations,
                   source_file, source_line_number, source_file_modified_at, ingestion_timestamp
            from silver_orders_checked
            where len(failed_drop_expectations) > 0
        """,
        "silver_orders": """
            select order_id, customer_id, amount, status, order_date,
                   source_file, source_line_number, source_file_modified_at,
                   failed_row_expectations as warned_expectations, ingestion_timestamp
            from silver_orders_checked
            where len(failed_drop_expectations) = 0
            qualify row_number() over (
                partition by order_id
                order by source_file_modified_at desc, source_file desc, source_line_number desc
            ) = 1
        """,
        "data_quality_metrics": """
            select count(*) as total_records,
                   count_if(order_id is null) as null_order_ids,
                   count_if(not coalesce(amount > 0, false)) as invalid_amounts,
                   count_if(len(failed_drop_expectations) > 0) as records_quarantined,
                   current_timestamp as measured_at
            from silver_orders_checked
        """,
        "silver_customers": f"""
            with extract_files as (
                select filename, last_modified from read_blob('{landing}/customers/**/*.parquet')
            ),
            extract_rows as (
                select try_cast(customer_id as bigint) as customer_id,
                       customer_name::varchar as customer_name,
                       email::varchar as email,
                       customer_segment::varchar as customer_segment,
                       region::varchar as region,
                       filename
                from read_parquet('{landing}/customers/**/*.parquet', filename = true)
            )
            select extract_rows.* exclude (filename)
            from extract_rows
            left join extract_files on extract_rows.filename = extract_files.filename
            where extract_rows.customer_id is not null
            qualify row_number() over (
                partition by extract_rows.customer_id
                order by extract_files.last_modified desc, extract_rows.filename desc
            ) = 1
        """,
        "customer_changes": """
            select *, 'insert' as _change_type, 0::bigint as _commit_version,
                   current_timestamp as _commit_timestamp
            from silver_customers
        """,
        "silver_orders_enriched": """
            select silver_orders.order_id, silver_orders.customer_id, silver_orders.amount,
                   silver_orders.status, silver_orders.order_date,
                   silver_customers.customer_name, silver_customers.customer_segment,
                   silver_customers.region
            from silver_orders
            left join silver_customers on silver_orders.customer_id = silver_customers.customer_id
        """,
        "gold_daily_sales": """
            select cast(order_date as date) as date, region,
                   count(*) as order_count, sum(amount) as total_sales,
                   cast(avg(amount) as decimal(14, 6)) as avg_order_value,
                   count(distinct customer_id) as unique_customers
            from silver_orders_enriched
            where status = 'completed'
            group by all
        """,
        "gold_customer_lifetime_value": """
            select customer_id, customer_name, customer_segment,
                   count(*) as total_orders, sum(amount) as lifetime_value,
                   min(order_date) as first_order_date, max(order_date) as last_order_date,
                   cast(avg(amount) as decimal(14, 6)) as avg_order_value
            from silver_orders_enriched
            where status = 'completed'
            group by all
        """,
        "gold_orders_by_customer": """
            select * from silver_orders_enriched order by customer_id, order_date
        """,
    }


def _count(connection: duckdb.DuckDBPyConnection, query: str) -> int:
    row = connection.execute(query).fetchone()
    assert row is not None, query  # a count always returns its row
    return int(row[0])


def run(landing: Path, output: Path, threads: int | None = None) -> dict[str, dict[str, float]]:
    """Build every layer; returns seconds and rows per layer. Fails like the pipeline does
    when a surviving order has a status outside the allowed set."""
    output.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect()
    if threads:
        connection.execute(f"set threads = {int(threads)}")
    connection.execute("set timezone = 'UTC'")
    layers: dict[str, dict[str, float]] = {}
    for name, query in _layers(landing.resolve()).items():
        started = time.perf_counter()
        connection.execute(f"create table {name} as {query}")
        if name == "silver_orders_checked":
            broken = _count(
                connection,
                "select count(*) from silver_orders_checked where len(failed_drop_expectations) = 0"
                " and list_contains(failed_row_expectations, 'valid_status')",
            )
            if broken:
                raise RuntimeError(f"expectation 'valid_status' failed on {broken} row(s)")
        else:  # the checked rows are a view in the pipeline: not written
            target = output / f"{name}.parquet"
            connection.execute(f"copy {name} to '{target}' (format parquet)")
        rows = _count(connection, f"select count(*) from {name}")
        layers[name] = {"seconds": round(time.perf_counter() - started, 3), "rows": rows}
    connection.close()
    return layers


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]))))
