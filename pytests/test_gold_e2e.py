"""Gold and the change-feed consumer end to end, after several runs with customer changes and
order status updates, compared with an independent computation over the landed files.

One scenario (the module's fixture) lands and runs every step and keeps what it observed; each
test asserts on it, so any test runs alone (`pytest -k`)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.bench import duckdb_pipeline
from lakehouse.project import DbtProject
from support.expected_gold import expected_daily_sales, expected_enriched, expected_lifetime_value
from support.gold_tables import daily_sales, lifetime_value

pytestmark = pytest.mark.e2e

ORDERS_PER_BATCH = 3_000
CUSTOMERS = 300
GOLD = ("gold_daily_sales", "gold_customer_lifetime_value", "gold_orders_by_customer")


def _rows(spark: SparkSession, table: str) -> list[tuple]:
    return sorted(map(tuple, spark.table(table).collect()), key=repr)


@dataclass
class GoldRuns:
    project: DbtProject
    batches: list[dict[str, object]] = field(default_factory=list)  # observed and expected
    enriched: list = field(default_factory=list)  # the oracle's enriched orders, last batch
    clustering: list[str] = field(default_factory=list)
    changes: list[tuple] = field(default_factory=list)  # customer_changes
    feed: list[tuple] = field(default_factory=list)  # silver_customers' change feed
    truths: list[dict] = field(default_factory=list)  # the customer deliveries
    before_refresh: dict[str, list[tuple]] = field(default_factory=dict)
    after_refresh: dict[str, list[tuple]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def runs(new_project: Callable[[str], DbtProject], spark: SparkSession) -> GoldRuns:
    """Three batches, each a `dbt run` (the data tests run in the silver and history builds);
    OPTIMIZE of the clustered table; then a full refresh of gold and customer_changes."""
    project = new_project("gold")
    runs = GoldRuns(project)
    for batch in range(3):
        generate.land(project.landing_root, batch, 1, ORDERS_PER_BATCH, customers=CUSTOMERS)
        project.run()
        runs.enriched = expected_enriched(project.landing_root)
        runs.batches.append(
            {
                "sales": daily_sales(spark, project.table("gold_daily_sales")),
                "expected_sales": expected_daily_sales(runs.enriched),
                "value": lifetime_value(spark, project.table("gold_customer_lifetime_value")),
                "expected_value": expected_lifetime_value(runs.enriched),
                "by_customer": spark.table(project.table("gold_orders_by_customer")).count(),
                "expected_by_customer": len(runs.enriched),
            }
        )
    detail = spark.sql(f"describe detail {project.table('gold_orders_by_customer')}").first()
    runs.clustering = list(detail.clusteringColumns)
    project.invoke("run-operation", "optimize_tables")

    runs.changes = sorted(
        (r.customer_id, r._change_type, r._commit_version)
        for r in spark.table(project.table("customer_changes")).collect()
    )
    runs.feed = sorted(
        map(
            tuple,
            spark.sql(
                f"select customer_id, _change_type, _commit_version "
                f"from table_changes('{project.table('silver_customers')}', 0)"
            ).collect(),
        )
    )
    runs.truths = [
        json.loads(generate.truth_path(project.landing_root, "customers", d).read_text())
        for d in range(3)
    ]

    tables = [project.table(name) for name in (*GOLD, "customer_changes")]
    runs.before_refresh = {table: _rows(spark, table) for table in tables}
    project.run("--select", *GOLD, "customer_changes", "--full-refresh")
    runs.after_refresh = {table: _rows(spark, table) for table in tables}
    return runs


def test_gold_matches_an_independent_computation_after_every_run(runs: GoldRuns) -> None:
    assert len(runs.batches) == 3
    for batch in runs.batches:
        assert batch["sales"] == batch["expected_sales"]
        assert batch["value"] == batch["expected_value"]
        assert batch["by_customer"] == batch["expected_by_customer"]
    statuses = {o.status for o in runs.enriched}
    assert statuses == {"pending", "completed", "cancelled"}
    assert any(key[1] is None for key in expected_daily_sales(runs.enriched)), "NULL regions"
    assert any(key[0] is None for key in expected_daily_sales(runs.enriched)), "NULL dates"


# Lineage columns: when and where a row was read. After incremental runs, silver keeps the
# first delivery of an unchanged re-delivered line; a one-pass build (DuckDB's) the last.
LINEAGE = {"ingestion_timestamp", "source_file", "source_line_number", "source_file_modified_at"}


def _hashable(row: tuple) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in row)


def test_the_benchmarks_duckdb_layers_equal_the_pipelines(
    runs: GoldRuns, spark: SparkSession, tmp_path: Path
) -> None:
    """P4's independent engine must build the same layers, or its ratio means nothing."""
    project = runs.project  # after the scenario (its full refresh gives the same tables)
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


def test_orders_by_customer_is_liquid_clustered(runs: GoldRuns) -> None:
    assert runs.clustering == ["customer_id", "order_date"]


def test_customer_changes_holds_every_change_exactly_once(runs: GoldRuns) -> None:
    changes = runs.changes
    assert changes == runs.feed, "every change row, once"
    versions = sorted({version for _, _, version in changes})
    truths = runs.truths
    assert sum(version == versions[0] for _, _, version in changes) == truths[0]["rows"]
    for version, truth in zip(versions[1:], truths[1:], strict=True):
        of_version = [(customer, kind) for customer, kind, v in changes if v == version]
        for kind, key in (
            ("insert", "inserted"),
            ("delete", "deleted"),
            ("update_postimage", "updated"),
        ):
            assert {customer for customer, k in of_version if k == kind} == set(truth[key])


def test_incremental_results_equal_a_full_refresh(runs: GoldRuns) -> None:
    assert runs.before_refresh
    for table, rows in runs.before_refresh.items():
        assert runs.after_refresh[table] == rows, table
