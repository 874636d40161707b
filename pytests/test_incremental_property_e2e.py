"""Property: after every run of a random sequence of landings, every table after silver (built
from the change feeds of its inputs) equals an independent computation over the landed files,
a run with nothing new commits nothing after bronze_orders, and `--full-refresh` gives the
same tables.

The steps, drawn from a seeded generator: new order batches (later versions that change status,
amount, date or customer; stale versions; duplicates), a customer delivery alone (customers
moving region or segment, leaving, joining), an identical re-delivery of an order file with an
old modification time (a late file), and runs with nothing new.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable

import pytest
from expected_gold import expected_daily_sales, expected_enriched, expected_lifetime_value
from gold_tables import daily_sales, enriched_orders, lifetime_value
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject

pytestmark = pytest.mark.e2e

SEED = 20261202
CUSTOMERS = 250
STEPS = ("orders", "nothing_new", "customers_only", "late_redelivery", "orders")
# written from the change feeds: a run with nothing new must leave each at its version
DOWNSTREAM = (
    "bronze_customers",
    "silver_customers",
    "silver_orders",
    "quarantine_orders",
    "data_quality_metrics",
    "silver_orders_enriched",
    "gold_daily_sales",
    "gold_customer_lifetime_value",
    "gold_orders_by_customer",
)
# lineage: after incremental runs silver keeps the first delivery of an unchanged line
LINEAGE = {"source_file", "source_file_modified_at", "source_line_number"}


def _version(spark: SparkSession, table: str) -> int:
    return spark.sql(f"describe history {table} limit 1").first().version


def _observed(spark: SparkSession, project: DbtProject) -> dict[str, object]:
    return {
        "enriched": enriched_orders(spark, project.table("silver_orders_enriched")),
        "by_customer": enriched_orders(spark, project.table("gold_orders_by_customer")),
        "daily_sales": daily_sales(spark, project.table("gold_daily_sales")),
        "lifetime_value": lifetime_value(spark, project.table("gold_customer_lifetime_value")),
    }


def _expected(project: DbtProject) -> dict[str, object]:
    enriched = expected_enriched(project.landing_root)
    rows = sorted(
        (
            o.order_id,
            o.customer_id,
            o.amount,
            o.status,
            o.order_date,
            o.customer_name,
            o.customer_segment,
            o.region,
        )
        for o in enriched
    )
    return {
        "enriched": rows,
        "by_customer": rows,
        "daily_sales": expected_daily_sales(enriched),
        "lifetime_value": expected_lifetime_value(enriched),
    }


def _land(project: DbtProject, step: str, state: dict[str, int], rng: random.Random) -> None:
    landing = project.landing_root
    if step == "orders":
        orders = rng.randrange(600, 1_500)
        files = rng.randrange(1, 4)
        generate.land(landing, state["batch"], 1, orders, files=files, customers=CUSTOMERS)
        state["batch"] += 1
        state["delivery"] = state["batch"]
    elif step == "customers_only":
        seed = generate.DEFAULT_SEED
        generate.write_customer_delivery(landing, seed, CUSTOMERS, state["delivery"])
        state["delivery"] += 1
    elif step == "late_redelivery":
        earlier = sorted((landing / "orders").rglob("*.json"))
        source = rng.choice(earlier)
        copy = source.with_name(f"redelivered-{source.name}")
        shutil.copyfile(source, copy)
        old = source.stat().st_mtime - 3_600  # older than every file already ingested
        os.utime(copy, (old, old))


@pytest.fixture(scope="module")
def runs(new_project: Callable[[str], DbtProject], spark: SparkSession) -> list[dict]:
    """Land and run each step; what each run left behind, and what it should have."""
    project = new_project("property")
    rng = random.Random(SEED)
    state = {"batch": 0, "delivery": 0}
    _land(project, "orders", state, rng)
    project.run()
    observed = []
    for step in STEPS:
        _land(project, step, state, rng)
        before = {name: _version(spark, project.table(name)) for name in DOWNSTREAM}
        project.run()
        after = {name: _version(spark, project.table(name)) for name in DOWNSTREAM}
        observed.append(
            {
                "step": step,
                "tables": _observed(spark, project),
                "expected": _expected(project),
                "committed": sorted(name for name in DOWNSTREAM if after[name] != before[name]),
            }
        )
    tables = {name: project.table(name) for name in DOWNSTREAM if name != "data_quality_metrics"}
    incremental = {name: _rows(spark, table) for name, table in tables.items()}
    project.run("--full-refresh")
    refreshed = {name: _rows(spark, table) for name, table in tables.items()}
    observed.append({"step": "full_refresh", "incremental": incremental, "refreshed": refreshed})
    return observed


def _rows(spark: SparkSession, table: str) -> list[tuple]:
    frame = spark.table(table)
    columns = [c for c in frame.columns if c not in LINEAGE and c != "ingestion_timestamp"]
    columns = [c for c in columns if c not in ("quarantined_in_run", "quarantined_at")]
    return sorted(map(tuple, frame.select(*columns).collect()), key=repr)


def test_every_run_matches_an_independent_computation(runs: list[dict]) -> None:
    for run in runs[:-1]:
        for name, expected in run["expected"].items():
            assert run["tables"][name] == expected, (run["step"], name)


def test_a_run_with_nothing_new_commits_nothing(runs: list[dict]) -> None:
    quiet = [run for run in runs[:-1] if run["step"] == "nothing_new"]
    assert quiet
    for run in quiet:
        assert run["committed"] == []


def test_a_customer_delivery_alone_rewrites_only_what_reads_customers(runs: list[dict]) -> None:
    (run,) = [run for run in runs[:-1] if run["step"] == "customers_only"]
    assert "silver_orders" not in run["committed"]
    assert "silver_orders_enriched" in run["committed"]


def test_full_refresh_gives_the_same_tables(runs: list[dict]) -> None:
    final = runs[-1]
    for name, rows in final["incremental"].items():
        assert final["refreshed"][name] == rows, name
