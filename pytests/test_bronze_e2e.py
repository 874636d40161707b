"""Bronze end to end: land batches, run dbt, compare with an independent reading of the files."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from engine_target import EMBEDDED
from lakehouse import generate
from lakehouse.project import DbtProject
from lakehouse.spark_metrics import measure_work
from landed_files import LandedLine, landed_order_lines

pytestmark = pytest.mark.e2e

ORDERS_PER_BATCH = 2_000
CONTRACT = ("order_id", "customer_id", "amount", "status", "order_date")


@pytest.fixture(scope="module")
def project(new_project: Callable[[str], DbtProject]) -> DbtProject:
    return new_project("bronze")


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


def _assert_bronze_matches_files(spark: SparkSession, project: DbtProject) -> None:
    expected = {
        (line.source_file, line.line_number): line
        for line in landed_order_lines(project.landing_root)
    }
    actual = _bronze_rows(spark, project)
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


def test_every_landed_line_exactly_once_over_runs_with_new_batches(
    project: DbtProject, spark: SparkSession
) -> None:
    for batch in range(3):
        generate.land(project.landing_root, batch, 1, ORDERS_PER_BATCH)
        with measure_work(spark) if EMBEDDED else nullcontext() as work:
            project.run("--select", "bronze_orders")
        project.invoke("test", "--select", "bronze_orders")
        _assert_bronze_matches_files(spark, project)
        if work is not None:  # a run reads the new files, not the history
            assert work.scanned("text")
            assert work.input_bytes < 1.2 * _order_file_bytes(project.landing_root, batch) + 100_000

    truths = [
        json.loads(generate.truth_path(project.landing_root, "orders", b).read_text())
        for b in range(3)
    ]
    bronze = spark.table(project.table("bronze_orders"))
    assert bronze.count() == sum(t["lines"] for t in truths)
    assert bronze.where("is_malformed").count() == sum(t["kinds"]["malformed"] for t in truths)
    assert bronze.where("_rescued_data is not null").count() == sum(t["extra_keys"] for t in truths)

    # freshness: a commit that added rows within the window proves it from the commit log
    with measure_work(spark) if EMBEDDED else nullcontext() as work:
        assert _freshness(project, hours=24) == ("pass", 0)
    if work is not None:
        read = [n for table, n in work.files_read.items() if table.endswith("bronze_orders")]
        assert sum(read) == 0, work.files_read
    # no recent enough commit (a window under an hour is always read): the rows decide, and
    # none is that recent
    assert _freshness(project, hours=0.0001) == ("warn", 1)


def _freshness(project: DbtProject, hours: float) -> tuple[str, int]:
    project.extra_vars["landing_freshness_hours"] = hours
    try:
        result = project.invoke("test", "--select", "bronze_orders,test_name:fresh_within")
    finally:
        del project.extra_vars["landing_freshness_hours"]
    [test] = [r for r in result.result.results if r.node.resource_type == "test"]
    return str(test.status), test.failures


def test_a_run_with_nothing_new_reads_no_order_file_and_writes_nothing(
    project: DbtProject, spark: SparkSession
) -> None:
    table = project.table("bronze_orders")
    version = _table_version(spark, table)
    with measure_work(spark) if EMBEDDED else nullcontext() as work:
        project.run("--select", "bronze_orders")
    assert _table_version(spark, table) == version
    if work is not None:  # the folder is listed (names, sizes, times), no order file is opened
        assert work.plans and not work.scanned("text")
    _assert_bronze_matches_files(spark, project)


def test_unknown_keys_and_odd_lines_never_fail_a_run(
    project: DbtProject, spark: SparkSession
) -> None:
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
    _assert_bronze_matches_files(spark, project)
    rows = spark.sql(
        f"select source_line_number, is_malformed from {project.table('bronze_orders')} "
        f"where source_file like '%/odd.json' order by 1"
    ).collect()
    assert [(r.source_line_number, r.is_malformed) for r in rows] == [
        (1, False),
        (3, True),
        (4, True),
        (5, False),
        (6, True),
    ]


def test_a_run_stopped_between_its_two_commits_does_not_ingest_twice(
    project: DbtProject, spark: SparkSession
) -> None:
    generate.land(project.landing_root, 3, 1, ORDERS_PER_BATCH)
    project.run("--select", "bronze_orders")
    # Undo the file-log commit of that run, as if the process had died right before it.
    log = f"delta.`{project.state_dir}/checkpoints/{project.schema}/bronze_orders/ingested_files`"
    last = spark.sql(f"select max(target_version) as v from {log}").collect()[0].v
    spark.sql(f"delete from {log} where target_version = {last}")
    project.run("--select", "bronze_orders")
    _assert_bronze_matches_files(spark, project)
    logged = spark.sql(f"select count(*) as n, count(distinct source_file) as d from {log}").first()
    assert logged.n == logged.d == len(list((project.landing_root / "orders").rglob("*.json")))


def test_full_refresh_rebuilds_the_same_rows(project: DbtProject, spark: SparkSession) -> None:
    columns = "source_file, source_line_number, order_id, amount, _rescued_data, _corrupt_record"
    before = spark.sql(f"select {columns} from {project.table('bronze_orders')}").collect()
    project.run("--select", "bronze_orders", "--full-refresh")
    after = spark.sql(f"select {columns} from {project.table('bronze_orders')}").collect()
    assert sorted(map(tuple, before)) == sorted(map(tuple, after))


def test_bronze_customers_is_the_current_extract(project: DbtProject, spark: SparkSession) -> None:
    project.build("--select", "bronze_customers")
    landed = generate.truth_path(project.landing_root, "customers", 3)
    truth = json.loads(landed.read_text())
    customers = spark.table(project.table("bronze_customers"))
    assert customers.count() == truth["rows"]
    assert customers.select("source_file").distinct().count() == 1
    assert not customers.where(
        f"customer_id in ({','.join(map(str, truth['deleted'] or [0]))})"
    ).count()
