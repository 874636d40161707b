"""Bronze under a fault: a file lands while a run is between reading its batch and logging it,
and Spark drops its cached data meanwhile (as it may under memory pressure).

The run must log only the files it read: the late file is ingested by the next run, exactly
once, never recorded as ingested without being read (which would skip it forever). The fault is
injected where dbt sends its statements, so it runs on both Spark targets.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from dbt.adapters.spark_delta.connections import SparkDeltaConnectionManager
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.landed_files import file_uri, landed_order_lines

# the thrift suite runs it too (Makefile test-thrift)
pytestmark = [pytest.mark.e2e, pytest.mark.thrift]

# the statement that writes the ingested-file log (after the bronze commit)
LOG_WRITE = re.compile(r"insert\s+into\s+delta\.`[^`]*/ingested_files`", re.IGNORECASE)
LATE_LINES = [
    {
        "order_id": 9_100_000 + i,
        "customer_id": 1,
        "amount": "5.00",
        "status": "pending",
        "order_date": "2024-05-01 10:00:00",
    }
    for i in range(3)
]


@dataclass
class LateFileRuns:
    late_file: str
    statements_before_landing: int
    logged_after_first: set[str]
    bronze_files_after_first: set[str]
    logged_after_second: Counter
    bronze_lines_after_second: Counter
    landed_lines: Counter


def _logged(spark: SparkSession, project: DbtProject) -> Counter:
    log = project.state_dir / "checkpoints" / project.schema / "bronze_orders" / "ingested_files"
    rows = spark.sql(f"select source_file from delta.`{log}`").collect()
    return Counter(row.source_file for row in rows)


def _bronze_lines(spark: SparkSession, project: DbtProject) -> Counter:
    rows = spark.sql(
        f"select source_file, source_line_number from {project.table('bronze_orders')}"
    ).collect()
    return Counter((row.source_file, row.source_line_number) for row in rows)


@pytest.fixture(scope="module")
def late_file_runs(new_project: Callable[[str], DbtProject], spark: SparkSession) -> LateFileRuns:
    project = new_project("bronze_late_file")
    generate.land(project.landing_root, 0, 1, 400, customers=50)
    late = project.landing_root / "orders" / "late" / "late.json"
    seen: list[str] = []
    add_query = SparkDeltaConnectionManager.add_query

    def land_late_file_first(manager: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(sql)
        if LOG_WRITE.search(sql) and not late.exists():
            late.parent.mkdir(parents=True)
            late.write_text("".join(json.dumps(line) + "\n" for line in LATE_LINES))
            add_query(manager, "clear cache")  # evicted: a cached batch would be listed again
        return add_query(manager, sql, *args, **kwargs)

    with mock.patch.object(
        SparkDeltaConnectionManager, "add_query", autospec=True, side_effect=land_late_file_first
    ):
        project.run("--select", "bronze_orders")
    assert late.exists(), "the fault was injected"
    first_logged = set(_logged(spark, project))
    first_bronze = {source_file for source_file, _ in _bronze_lines(spark, project)}
    project.run("--select", "bronze_orders")
    return LateFileRuns(
        late_file=file_uri(late),
        statements_before_landing=next(i for i, sql in enumerate(seen) if LOG_WRITE.search(sql)),
        logged_after_first=first_logged,
        bronze_files_after_first=first_bronze,
        logged_after_second=_logged(spark, project),
        bronze_lines_after_second=_bronze_lines(spark, project),
        landed_lines=Counter(
            (line.source_file, line.line_number)
            for line in landed_order_lines(project.landing_root)
        ),
    )


def test_a_file_landing_after_the_batch_was_read_is_not_logged(
    late_file_runs: LateFileRuns,
) -> None:
    runs = late_file_runs
    assert runs.statements_before_landing > 0
    assert runs.late_file not in runs.logged_after_first, "logged without being read"
    assert runs.late_file not in runs.bronze_files_after_first
    assert runs.logged_after_first, "the batch's own files are logged"


def test_the_next_run_ingests_it_exactly_once(late_file_runs: LateFileRuns) -> None:
    runs = late_file_runs
    late = runs.late_file
    assert runs.logged_after_second[late] == 1
    assert max(runs.logged_after_second.values()) == 1, "each file logged once"
    assert runs.bronze_lines_after_second == runs.landed_lines, "every landed line exactly once"
    assert sum(1 for source_file, _ in runs.bronze_lines_after_second if source_file == late) == 3
