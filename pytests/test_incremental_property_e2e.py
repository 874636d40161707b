"""Property: after every run of a random sequence of landings, every table after silver (built
from the change feeds of its inputs) equals an independent computation over the landed files,
a run with nothing new commits nothing after bronze_orders, and `--full-refresh` gives the
same tables. The runs after new orders and after nothing new are `dbt build`s, whose data tests
read what the run wrote (macros/data_tests/): the change feed after new data, nothing after a
run with nothing new; a key written during a run is counted against the whole table, and
`full_checks` reads whole tables.

The steps, drawn from a seeded generator: new order batches (later versions that change status,
amount, date or customer; stale versions; duplicates), a customer delivery alone (customers
moving region or segment, leaving, joining), an identical re-delivery of an order file with an
old modification time (a late file), and runs with nothing new.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from contextlib import nullcontext

import pytest
from dbt.cli.main import dbtRunnerResult
from dbt_common.events.base_types import EventMsg
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.engine_target import EMBEDDED
from support.expected_gold import expected_daily_sales, expected_enriched, expected_lifetime_value
from support.gold_tables import daily_sales, enriched_orders, lifetime_value
from support.spark_metrics import SparkWork, measure_work

# the thrift suite runs it too (Makefile test-thrift)
pytestmark = [pytest.mark.e2e, pytest.mark.thrift]

SEED = 20261202
CUSTOMERS = 250
STEPS = ("orders", "nothing_new", "customers_only", "late_redelivery", "orders")
# steps run as `dbt build` (data tests included); the others as `dbt run`
TESTED_STEPS = ("orders", "nothing_new")
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
# incremental tables whose data tests read the commits of the run (`__written_in_this_run__`)
NARROWED = (
    "bronze_orders",
    "quarantine_orders",
    "silver_orders",
    "silver_orders_enriched",
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


def _test_sql(result: dbtRunnerResult) -> dict[str, str]:
    """Compiled SQL of every data test the invocation ran, by test name."""
    return {
        run.node.name: run.node.compiled_code
        for run in result.result.results
        if run.node.resource_type == "test"
    }


def _failed(result: dbtRunnerResult) -> set[str]:
    return {run.node.name for run in result.result.results if run.status in ("fail", "error")}


def _scoped_tests(project: DbtProject, tables: tuple[str, ...] | None = None) -> set[str]:
    """The tests configured to read what the run wrote: of `tables`, or of any node (models,
    the snapshot, the seeds)."""
    manifest = json.loads((project.state_dir / "target" / "manifest.json").read_text())
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node["config"].get("where") == "__written_in_this_run__"
        and (tables is None or (node.get("attached_node") or "").split(".")[-1] in tables)
    }


def _constraint_tests(project: DbtProject, tables: tuple[str, ...]) -> set[str]:
    """The tests of `tables` that a Delta CHECK constraint of the table also states: each
    `not_null` and `expression_is_true` test of bronze, silver and gold is one
    (macros/constraints/declared_constraints)."""
    manifest = json.loads((project.state_dir / "target" / "manifest.json").read_text())
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") in ("not_null", "expression_is_true")
        and (node.get("attached_node") or "").split(".")[-1] in tables
    }


def _duplicate_during_a_test_run(spark: SparkSession, project: DbtProject) -> dict[str, set]:
    """A writer outside dbt duplicates an old order of enriched while enriched's tests run; then
    the same tests with nothing written, and with `full_checks`."""
    enriched = project.table("silver_orders_enriched")
    oldest = spark.sql(f"select min(order_id) as order_id from {enriched}").first().order_id
    injected: list[int] = []

    def duplicate_an_old_order(event: EventMsg) -> None:
        if event.info.name == "LogStartLine" and not injected:
            spark.sql(f"insert into {enriched} select * from {enriched} where order_id = {oldest}")
            injected.append(oldest)

    tests = ("test", "--select", "silver_orders_enriched")
    during_run = _failed(project.invoke(*tests, check=False, on_event=duplicate_an_old_order))
    after_run = _failed(project.invoke(*tests, check=False))
    project.extra_vars["full_checks"] = True
    full_checks = _failed(project.invoke(*tests, check=False))
    del project.extra_vars["full_checks"]
    return {"during_run": during_run, "after_run": after_run, "full_checks": full_checks}


def _tables_read(work: SparkWork) -> dict[str, int]:
    """The files each scanned table had read (0: data skipping pruned every file)."""
    return {table.rsplit(".", 1)[-1]: files for table, files in work.files_read.items()}


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
        measured = EMBEDDED and step == "nothing_new"
        with measure_work(spark) if measured else nullcontext() as work:
            # data tests where they tell something: after new orders, and after nothing new
            result = project.build() if step in TESTED_STEPS else project.run()
        after = {name: _version(spark, project.table(name)) for name in DOWNSTREAM}
        observed.append(
            {
                "step": step,
                "tables": _observed(spark, project),
                "expected": _expected(project),
                "committed": sorted(name for name in DOWNSTREAM if after[name] != before[name]),
                "test_sql": _test_sql(result),
                "files_read": _tables_read(work) if work is not None else None,
            }
        )
    narrowed = _scoped_tests(project, NARROWED)
    scoped = _scoped_tests(project)
    enforced = _constraint_tests(project, NARROWED)
    tables = {name: project.table(name) for name in DOWNSTREAM if name != "data_quality_metrics"}
    incremental = {name: _rows(spark, table) for name, table in tables.items()}
    checks = _duplicate_during_a_test_run(spark, project)
    project.run("--full-refresh")
    refreshed = {name: _rows(spark, table) for name, table in tables.items()}
    observed.append(
        {
            "step": "full_refresh",
            "incremental": incremental,
            "refreshed": refreshed,
            "narrowed": narrowed,
            "scoped": scoped,
            "enforced": enforced,
            "checks": checks,
        }
    )
    return observed


def _rows(spark: SparkSession, table: str) -> list[tuple]:
    frame = spark.table(table)
    columns = [c for c in frame.columns if c not in LINEAGE and c != "ingestion_timestamp"]
    columns = [c for c in columns if c not in ("invocation_id", "quarantined_at")]
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


def test_after_new_data_each_test_reads_the_change_feed(runs: list[dict]) -> None:
    narrowed = runs[-1]["narrowed"]
    enforced = runs[-1]["enforced"]
    assert len(narrowed) >= 12, sorted(narrowed)
    assert enforced and len(narrowed - enforced) >= 8, sorted(enforced)
    for run in (run for run in runs[:-1] if run["step"] == "orders"):
        sql = {name: code for name, code in run["test_sql"].items() if name in narrowed}
        assert sql.keys() == narrowed
        # a rule that a CHECK constraint of the table states reads no row: Delta holds it
        by_constraint = {name for name, code in sql.items() if "enforced_by_constraint" in code}
        assert by_constraint == enforced, sorted(by_constraint ^ enforced)
        for name in enforced:
            assert "where false" in sql[name] and "table_changes(" not in sql[name], name
        read = {name: code for name, code in sql.items() if name not in enforced}
        whole = sorted(name for name, code in read.items() if "table_changes(" not in code)
        assert not whole, whole
        for name, code in sql.items():
            if name.startswith("unique_"):  # the written keys, counted over the table
                assert " version as of " in code, name


def test_after_nothing_new_tests_read_nothing(runs: list[dict]) -> None:
    # every scoped test: of the models, and of the snapshot and the seeds, which a run with
    # nothing new does not write either
    scoped = runs[-1]["scoped"]
    assert runs[-1]["narrowed"] < scoped
    assert {"not_null_order_statuses_status", "not_null_customers_history_customer_id"} < scoped
    (run,) = [run for run in runs[:-1] if run["step"] == "nothing_new"]
    sql = {name: code for name, code in run["test_sql"].items() if name in scoped}
    assert sql.keys() == scoped
    for name, code in sql.items():
        # nothing written, known from the commit log: no constraint is looked up first
        assert ") nothing_written" in code and "table_changes(" not in code, name
    if run["files_read"] is not None:  # embedded Spark: its status store shows what was read
        assert run["files_read"], "no file scan found: have the plans' names changed?"
        read = {table for table, files in run["files_read"].items() if files > 0}
        # Read on purpose: bookkeeping (offsets, file logs, the monitoring tables and their
        # tests). bronze_orders' freshness comes from its commit log (fresh_within), and the
        # snapshot customers_history compares nothing when silver_customers has no commit.
        expected_reads: set[str] = set()
        pipeline = {*DOWNSTREAM, "bronze_orders"} - {"data_quality_metrics"}
        assert read & pipeline <= expected_reads, str(sorted(run["files_read"].items()))


def test_a_key_written_during_a_run_is_counted_against_the_whole_table(runs: list[dict]) -> None:
    checks = runs[-1]["checks"]
    assert checks["during_run"] == {"unique_silver_orders_enriched_order_id"}
    assert checks["after_run"] == set()  # nothing written since: nothing read
    assert checks["full_checks"] == {"unique_silver_orders_enriched_order_id"}
