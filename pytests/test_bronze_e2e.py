"""Bronze end to end: land batches, run dbt, compare with an independent reading of the files.

One scenario (the module's fixture) lands and runs every step and keeps what it observed; each
test asserts on it, so any test runs alone (`pytest -k`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.engine_target import EMBEDDED
from support.landed_files import LandedLine, landed_order_lines
from support.spark_metrics import SparkWork, measure_work

pytestmark = pytest.mark.e2e

ORDERS_PER_BATCH = 2_000
CONTRACT = ("order_id", "customer_id", "amount", "status", "order_date")


def _as_bronze_text(value: object) -> str | None:
    """What bronze keeps of a JSON value: its text (strings unquoted)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def _same_value(expected: object, actual: str | None) -> bool:
    if isinstance(expected, float):  # the JSON parser normalises decimals: 12.50 -> 12.5
        return actual is not None and float(actual) == expected
    return _as_bronze_text(expected) == actual


def _bronze_rows(spark: SparkSession, project: DbtProject) -> dict[tuple[str, int], dict]:
    rows = spark.table(project.table("bronze_orders")).collect()
    return {(row.source_file, row.source_line_number): row.asDict() for row in rows}


@dataclass
class Snapshot:
    """bronze_orders and the landed lines at one point of the scenario."""

    bronze: dict[tuple[str, int], dict]
    landed: list[LandedLine]


def _snapshot(spark: SparkSession, project: DbtProject) -> Snapshot:
    return Snapshot(_bronze_rows(spark, project), landed_order_lines(project.landing_root))


def _assert_bronze_matches_files(snapshot: Snapshot) -> None:
    expected = {(line.source_file, line.line_number): line for line in snapshot.landed}
    actual = snapshot.bronze
    assert actual.keys() == expected.keys(), "every landed line exactly once"
    for key, line in expected.items():
        _assert_row_matches_line(actual[key], line)


def _assert_row_matches_line(row: dict, line: LandedLine) -> None:
    if line.fields is None:
        assert row["is_malformed"] and row["_corrupt_record"] == line.text
        assert all(row[key] is None for key in CONTRACT)
        return
    assert not row["is_malformed"] and row["_corrupt_record"] is None
    for key in CONTRACT:
        assert _same_value(line.fields.get(key), row[key]), (key, line.text, row[key])
    unknown = {k: v for k, v in line.fields.items() if k not in CONTRACT}
    rescued = json.loads(row["_rescued_data"]) if row["_rescued_data"] else {}
    assert rescued == {k: _as_bronze_text(v) for k, v in unknown.items()}


def _table_version(spark: SparkSession, table: str) -> int:
    return spark.sql(f"describe history {table} limit 1").collect()[0].version


def _order_file_bytes(landing_root: Path, batch: int | None = None) -> int:
    folder = landing_root / "orders" / (f"batch={batch:04d}" if batch is not None else "")
    return sum(path.stat().st_size for path in folder.rglob("*.json"))


def _freshness(project: DbtProject, hours: float) -> tuple[str, int]:
    project.extra_vars["landing_freshness_hours"] = hours
    try:
        result = project.invoke("test", "--select", "bronze_orders,test_name:fresh_within")
    finally:
        del project.extra_vars["landing_freshness_hours"]
    [test] = [r for r in result.result.results if r.node.resource_type == "test"]
    return str(test.status), test.failures


@dataclass
class BatchRun:
    snapshot: Snapshot
    work: SparkWork | None  # what the run read (embedded engine only)
    batch_bytes: int  # size of the batch's order files


@dataclass
class BronzeRuns:
    batches: list[BatchRun] = field(default_factory=list)
    truths: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    fresh_day: tuple[str, int] | None = None
    fresh_day_work: SparkWork | None = None
    fresh_instant: tuple[str, int] | None = None
    nothing_new: Snapshot | None = None
    nothing_new_work: SparkWork | None = None
    versions_around_nothing_new: tuple[int, int] = (0, 0)
    odd: Snapshot | None = None
    odd_lines: list[tuple[int, bool]] = field(default_factory=list)
    after_stopped_run: Snapshot | None = None
    logged_files: tuple[int, int, int] = (0, 0, 0)  # rows, distinct files, landed files
    before_refresh: list[tuple] = field(default_factory=list)
    after_refresh: list[tuple] = field(default_factory=list)
    customers: dict[str, object] = field(default_factory=dict)


@pytest.fixture(scope="module")
def runs(new_project: Callable[[str], DbtProject], spark: SparkSession) -> BronzeRuns:
    """Three batches, each run and tested; freshness; a run with nothing new; odd lines; a run
    stopped between its two commits; a full refresh; bronze_customers."""
    project = new_project("bronze")
    table = project.table("bronze_orders")
    runs = BronzeRuns()
    for batch in range(3):
        generate.land(project.landing_root, batch, 1, ORDERS_PER_BATCH)
        with measure_work(spark) if EMBEDDED else nullcontext() as work:
            project.run("--select", "bronze_orders")
        project.invoke("test", "--select", "bronze_orders")  # raises when a test fails
        runs.batches.append(
            BatchRun(
                _snapshot(spark, project), work, _order_file_bytes(project.landing_root, batch)
            )
        )
    runs.truths = [
        json.loads(generate.truth_path(project.landing_root, "orders", b).read_text())
        for b in range(3)
    ]
    bronze = spark.table(table)
    runs.counts = {
        "rows": bronze.count(),
        "malformed": bronze.where("is_malformed").count(),
        "rescued": bronze.where("_rescued_data is not null").count(),
    }
    # freshness: a commit that added rows within the window proves it from the commit log
    with measure_work(spark) if EMBEDDED else nullcontext() as work:
        runs.fresh_day = _freshness(project, hours=24)
    runs.fresh_day_work = work
    # no recent enough commit (a window under an hour is always read): the rows decide
    runs.fresh_instant = _freshness(project, hours=0.0001)

    version = _table_version(spark, table)
    with measure_work(spark) if EMBEDDED else nullcontext() as work:
        project.run("--select", "bronze_orders")
    runs.versions_around_nothing_new = (version, _table_version(spark, table))
    runs.nothing_new, runs.nothing_new_work = _snapshot(spark, project), work

    odd = project.landing_root / "orders" / "manual" / "deep" / "batch=99" / "odd.json"
    odd.parent.mkdir(parents=True)
    odd.write_text(
        '{"order_id": 1, "brand_new_key": {"nested": [1, 2]}, "status": "pending"}\r\n'
        "\n"
        "[1, 2, 3]\n"
        '"just a string"\n'
        '{"order_id": "2", "amount": 12.50, "order_date": null}\n'
        "{truncated\n"
    )
    project.run("--select", "bronze_orders")
    runs.odd = _snapshot(spark, project)
    rows = spark.sql(
        f"select source_line_number, is_malformed from {table} "
        f"where source_file like '%/odd.json' order by 1"
    ).collect()
    runs.odd_lines = [(r.source_line_number, r.is_malformed) for r in rows]

    generate.land(project.landing_root, 3, 1, ORDERS_PER_BATCH)
    project.run("--select", "bronze_orders")
    # Undo the file-log commit of that run, as if the process had died right before it.
    log = f"delta.`{project.state_dir}/checkpoints/{project.schema}/bronze_orders/ingested_files`"
    last = spark.sql(f"select max(target_version) as v from {log}").collect()[0].v
    spark.sql(f"delete from {log} where target_version = {last}")
    project.run("--select", "bronze_orders")
    runs.after_stopped_run = _snapshot(spark, project)
    logged = spark.sql(f"select count(*) as n, count(distinct source_file) as d from {log}").first()
    landed = len(list((project.landing_root / "orders").rglob("*.json")))
    runs.logged_files = (logged.n, logged.d, landed)

    columns = "source_file, source_line_number, order_id, amount, _rescued_data, _corrupt_record"
    runs.before_refresh = [tuple(r) for r in spark.sql(f"select {columns} from {table}").collect()]
    project.run("--select", "bronze_orders", "--full-refresh")
    runs.after_refresh = [tuple(r) for r in spark.sql(f"select {columns} from {table}").collect()]

    project.build("--select", "bronze_customers")
    truth = json.loads(generate.truth_path(project.landing_root, "customers", 3).read_text())
    customers = spark.table(project.table("bronze_customers"))
    deleted = ",".join(map(str, truth["deleted"] or [0]))
    runs.customers = {
        "rows": customers.count(),
        "expected_rows": truth["rows"],
        "files": customers.select("source_file").distinct().count(),
        "deleted_present": customers.where(f"customer_id in ({deleted})").count(),
    }
    return runs


def test_every_landed_line_exactly_once_over_runs_with_new_batches(runs: BronzeRuns) -> None:
    for batch in runs.batches:
        _assert_bronze_matches_files(batch.snapshot)
        if batch.work is not None:  # a run reads the new files, not the history
            assert batch.work.scanned("text")
            assert batch.work.input_bytes < 1.2 * batch.batch_bytes + 100_000
    assert runs.counts["rows"] == sum(t["lines"] for t in runs.truths)
    assert runs.counts["malformed"] == sum(t["kinds"]["malformed"] for t in runs.truths)
    assert runs.counts["rescued"] == sum(t["extra_keys"] for t in runs.truths)


def test_freshness_is_proven_from_the_commit_log(runs: BronzeRuns) -> None:
    assert runs.fresh_day == ("pass", 0)
    if runs.fresh_day_work is not None:
        work = runs.fresh_day_work
        read = [n for table, n in work.files_read.items() if table.endswith("bronze_orders")]
        assert sum(read) == 0, work.files_read
    # no recent enough commit: the rows decide, and none is that recent
    assert runs.fresh_instant == ("warn", 1)


def test_a_run_with_nothing_new_reads_no_order_file_and_writes_nothing(runs: BronzeRuns) -> None:
    before, after = runs.versions_around_nothing_new
    assert after == before
    work = runs.nothing_new_work
    if work is not None:  # the folder is listed (names, sizes, times), no order file is opened
        assert work.plans and not work.scanned("text")
    assert runs.nothing_new is not None
    _assert_bronze_matches_files(runs.nothing_new)


def test_unknown_keys_and_odd_lines_never_fail_a_run(runs: BronzeRuns) -> None:
    assert runs.odd is not None
    _assert_bronze_matches_files(runs.odd)
    assert runs.odd_lines == [(1, False), (3, True), (4, True), (5, False), (6, True)]


def test_a_run_stopped_between_its_two_commits_does_not_ingest_twice(runs: BronzeRuns) -> None:
    assert runs.after_stopped_run is not None
    _assert_bronze_matches_files(runs.after_stopped_run)
    rows, distinct, landed = runs.logged_files
    assert rows == distinct == landed


def test_full_refresh_rebuilds_the_same_rows(runs: BronzeRuns) -> None:
    assert runs.before_refresh
    assert sorted(runs.before_refresh) == sorted(runs.after_refresh)


def test_bronze_customers_is_the_current_extract(runs: BronzeRuns) -> None:
    customers = runs.customers
    assert customers["rows"] == customers["expected_rows"]
    assert customers["files"] == 1
    assert customers["deleted_present"] == 0
