"""Run observability end to end: the run log that every build appends to, and the monitoring
queries of analyses/, each run as written against the tables two good runs and one failed run
left behind (conftest's `pipeline_with_history`), and compared with what those tables say
directly."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import sqlfluff
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.engine_target import EMBEDDED

pytestmark = pytest.mark.e2e

ANALYSES = (
    "last_runs",
    "data_quality_trend",
    "quarantine_growth",
    "end_to_end_latency",
    "row_count_reconciliation",
)


@pytest.fixture(scope="module")
def project(pipeline_with_history: DbtProject) -> DbtProject:
    return pipeline_with_history


@pytest.fixture(scope="module")
def invocations(project: DbtProject, spark: SparkSession) -> list[str]:
    rows = spark.sql(
        f"select invocation_id, min(started_at) as started from {project.table('dbt_run_log')} "
        "group by invocation_id order by started"
    ).collect()
    return [row.invocation_id for row in rows]


@pytest.fixture(scope="module")
def analyses(project: DbtProject) -> dict[str, str]:
    """The monitoring queries as dbt compiles them (refs resolved), by name."""
    project.invoke("compile", "--select", "path:analyses")
    compiled = project.state_dir / "target/compiled/medallion_lakehouse/analyses"
    return {name: (compiled / f"{name}.sql").read_text() for name in ANALYSES}


def test_every_build_appends_its_nodes_to_the_run_log(
    project: DbtProject, spark: SparkSession, invocations: list[str]
) -> None:
    assert len(invocations) == 3
    log = spark.table(project.table("dbt_run_log"))
    first = {r.node_name: r for r in log.where(f"invocation_id = '{invocations[0]}'").collect()}
    assert {"bronze_orders", "silver_orders", "gold_daily_sales", "customer_changes"} <= set(first)
    assert all(r.target_name == project.target and r.command == "build" for r in first.values())
    assert {r.command for r in log.where(f"invocation_id = '{invocations[2]}'").collect()} == {
        "run"
    }
    tests = [r for r in first.values() if r.resource_type == "test"]
    assert tests and {r.status for r in tests} <= {"pass", "warn"}
    # Delta's operation metrics: the first run created silver_orders with every row it holds
    silver_after_first = first["silver_orders"].rows_inserted
    second = {r.node_name: r for r in log.where(f"invocation_id = '{invocations[1]}'").collect()}
    silver_rows = spark.table(project.table("silver_orders")).count()
    assert silver_after_first + second["silver_orders"].rows_inserted == silver_rows
    bronze_inserted = log.where("node_name = 'bronze_orders'").groupBy().sum("rows_inserted")
    assert bronze_inserted.first()[0] == spark.table(project.table("bronze_orders")).count()
    # the run's expectation counts, joined from data_quality_metrics
    metrics = spark.sql(
        f"select expectation_name, rows_failed, records_quarantined "
        f"from {project.table('data_quality_metrics')} where invocation_id = '{invocations[1]}'"
    ).collect()
    assert second["silver_orders"].expectation_rows_failed == {
        m.expectation_name: m.rows_failed for m in metrics
    }
    assert second["silver_orders"].records_quarantined == metrics[0].records_quarantined
    # the failed run is logged too, with the error
    third = {r.node_name: r for r in log.where(f"invocation_id = '{invocations[2]}'").collect()}
    assert third["silver_orders"].status == "error"
    assert "valid_status" in third["silver_orders"].message
    assert third["gold_daily_sales"].status == "skipped"


def test_last_runs(
    project: DbtProject, spark: SparkSession, analyses: dict[str, str], invocations: list[str]
) -> None:
    runs = _run(spark, analyses, "last_runs")
    assert [r.invocation_id for r in runs] == invocations[::-1]
    failed, *good = runs
    assert not failed.succeeded and "silver_orders" in failed.failures.split(", ")
    assert all(r.succeeded and r.failed_nodes == 0 for r in good)


def test_data_quality_trend(
    project: DbtProject, spark: SparkSession, analyses: dict[str, str]
) -> None:
    trend = _run(spark, analyses, "data_quality_trend")
    metrics = spark.table(project.table("data_quality_metrics")).collect()
    assert len(trend) == len(metrics) == 2 * 4  # the failed run appended no metrics
    for row in trend:
        expected = round(100.0 * row.rows_failed / row.rows_checked, 3)
        assert float(row.failed_percent) == pytest.approx(expected)


def test_quarantine_growth(
    project: DbtProject, spark: SparkSession, analyses: dict[str, str]
) -> None:
    growth = _run(spark, analyses, "quarantine_growth")
    quarantine = spark.table(project.table("quarantine_orders")).collect()
    expected = Counter(name for row in quarantine for name in row.failed_expectations)
    totals = Counter()
    for row in growth:
        totals[row.expectation_name] += row.rows_quarantined
    assert totals == expected
    for name in expected:
        last = [r for r in growth if r.expectation_name == name][-1]
        assert last.expectation_total_so_far == expected[name]


def test_end_to_end_latency(
    project: DbtProject, spark: SparkSession, analyses: dict[str, str]
) -> None:
    latency = _run(spark, analyses, "end_to_end_latency")
    files = spark.sql(
        f"select distinct source_file from {project.table('bronze_orders')}"
    ).collect()
    assert {r.source_file for r in latency} == {f.source_file for f in files}
    for row in latency:
        if "batch=0002" in row.source_file:  # its run failed in silver: not in gold (yet)
            assert row.gold_visible_at is None
            continue
        assert row.landed_at <= row.ingested_at <= row.gold_visible_at
        parts = row.landing_to_bronze_seconds + row.bronze_to_gold_seconds
        assert abs(row.end_to_end_seconds - parts) <= 1  # each part is rounded down


def test_row_count_reconciliation(
    project: DbtProject, spark: SparkSession, analyses: dict[str, str]
) -> None:
    (totals,) = _run(spark, analyses, "row_count_reconciliation")
    assert totals.unaccounted_rows == 0
    assert totals.every_bronze_row_checked
    truths = [
        json.loads(generate.truth_path(project.landing_root, "orders", b).read_text())
        for b in range(3)
    ]
    assert totals.bronze_rows == truths[0]["lines"] + truths[1]["lines"]
    # the batch of the run that failed in silver waits in bronze
    assert totals.rows_awaiting_silver == truths[2]["lines"]


def _run(spark: SparkSession, analyses: dict[str, str], name: str) -> list:
    return spark.sql(analyses[name]).collect()


@pytest.mark.skipif(not EMBEDDED, reason="the analyses compile the same on both Spark targets")
@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_is_valid_databricks_sql(analyses: dict[str, str], name: str) -> None:
    sql = analyses[name]
    linted = sqlfluff.core.Linter(dialect="databricks").lint_string(sql)
    parse_errors = [v for v in linted.get_violations() if v.rule_code() in ("PRS", "LXR")]
    assert not parse_errors, [v.desc() for v in parse_errors]
