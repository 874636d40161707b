"""Gold and the change-feed consumer end to end, after several runs with customer changes and
order status updates, compared with an independent computation over the landed files."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from expected_gold import expected_daily_sales, expected_enriched, expected_lifetime_value
from gold_tables import daily_sales, lifetime_value
from pyspark.sql import SparkSession

from lakehouse import duckdb_pipeline, generate
from lakehouse.project import DbtProject

pytestmark = pytest.mark.e2e

ORDERS_PER_BATCH = 3_000
CUSTOMERS = 300
GOLD = ("gold_daily_sales", "gold_customer_lifetime_value", "gold_orders_by_customer")


@pytest.fixture(scope="module")
def project(new_project: Callable[[str], DbtProject]) -> DbtProject:
    return new_project("gold")


def _rows(spark: SparkSession, table: str) -> list[tuple]:
    return sorted(map(tuple, spark.table(table).collect()), key=repr)


def test_gold_matches_an_independent_computation_after_every_run(
    project: DbtProject, spark: SparkSession
) -> None:
    for batch in range(3):
        generate.land(project.landing_root, batch, 1, ORDERS_PER_BATCH, customers=CUSTOMERS)
        project.run()  # models only: the data tests run in the silver and history builds
        enriched = expected_enriched(project.landing_root)
        sales = daily_sales(spark, project.table("gold_daily_sales"))
        assert sales == expected_daily_sales(enriched)
        value = lifetime_value(spark, project.table("gold_customer_lifetime_value"))
        assert value == expected_lifetime_value(enriched)
        by_customer = spark.table(project.table("gold_orders_by_customer"))
        assert by_customer.count() == len(enriched)
    statuses = {o.status for o in enriched}
    assert statuses == {"pending", "completed", "cancelled"}
    assert any(key[1] is None for key in expected_daily_sales(enriched)), "NULL regions covered"
    assert any(key[0] is None for key in expected_daily_sales(enriched)), "NULL dates covered"


# Lineage columns: when and where a row was read. After incremental runs, silver keeps the
# first delivery of an unchanged re-delivered line; a one-pass build (DuckDB's) the last.
LINEAGE = {"ingestion_timestamp", "source_file", "source_line_number", "source_file_modified_at"}


def _hashable(row: tuple) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in row)


def test_the_benchmarks_duckdb_layers_equal_the_pipelines(
    project: DbtProject, spark: SparkSession, tmp_path: Path
) -> None:
    """P4's independent engine must build the same layers, or its ratio means nothing."""
    layers = duckdb_pipeline.run(project.landing_root, tmp_path)
    compared = (
        "silver_orders",
        "quarantine_orders",
        "silver_customers",
        "silver_orders_enriched",
        *GOLD,
    )
    for name in compared:
        parquet = f"read_parquet('{tmp_path / name}.parquet')"
        duck_columns = [
            row[0] for row in duckdb.sql(f"describe select * from {parquet}").fetchall()
        ]
        table = spark.table(project.table(name))
        columns = [c for c in duck_columns if c in table.columns and c not in LINEAGE]
        assert len(columns) >= 5, name
        ours = Counter(_hashable(tuple(row)) for row in table.select(*columns).collect())
        theirs = Counter(
            _hashable(row)
            for row in duckdb.sql(f"select {', '.join(columns)} from {parquet}").fetchall()
        )
        assert ours == theirs, name
        assert layers[name]["rows"] == sum(ours.values()), name


def test_orders_by_customer_is_liquid_clustered(project: DbtProject, spark: SparkSession) -> None:
    detail = spark.sql(f"describe detail {project.table('gold_orders_by_customer')}").first()
    assert list(detail.clusteringColumns) == ["customer_id", "order_date"]
    project.invoke("run-operation", "optimize_tables")


def test_customer_changes_holds_every_change_exactly_once(
    project: DbtProject, spark: SparkSession
) -> None:
    changes = spark.table(project.table("customer_changes")).collect()
    feed = spark.sql(
        f"select customer_id, _change_type, _commit_version "
        f"from table_changes('{project.table('silver_customers')}', 0)"
    ).collect()
    taken = sorted((r.customer_id, r._change_type, r._commit_version) for r in changes)
    assert taken == sorted(map(tuple, feed)), "every change row, once"

    versions = sorted({r._commit_version for r in changes})
    truths = [
        json.loads(generate.truth_path(project.landing_root, "customers", d).read_text())
        for d in range(3)
    ]
    assert sum(r._commit_version == versions[0] for r in changes) == truths[0]["rows"]
    for version, truth in zip(versions[1:], truths[1:], strict=True):
        of_version = [r for r in changes if r._commit_version == version]
        assert {r.customer_id for r in of_version if r._change_type == "insert"} == set(
            truth["inserted"]
        )
        assert {r.customer_id for r in of_version if r._change_type == "delete"} == set(
            truth["deleted"]
        )
        assert {r.customer_id for r in of_version if r._change_type == "update_postimage"} == set(
            truth["updated"]
        )


def test_incremental_results_equal_a_full_refresh(project: DbtProject, spark: SparkSession) -> None:
    tables = [project.table(name) for name in (*GOLD, "customer_changes")]
    before = {table: _rows(spark, table) for table in tables}
    project.run("--select", *GOLD, "customer_changes", "--full-refresh")
    for table in tables:
        assert _rows(spark, table) == before[table], table
