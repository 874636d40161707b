"""A `local` run whose driver is killed with `kill -9` at chosen points: just after bronze's
commit (before its file log's), just after the file log's commit, and while silver is being
written. After each kill the next run completes, and in the end every landed line is in bronze
exactly once, every file is logged once, and silver equals an independent computation.

On `local` the driver is the dbt process itself, so the runs are `dbt` processes of their own,
on a lakehouse of their own (the test process's engine holds this suite's lakehouse); the test
reads their Delta tables by path. On `thrift` the driver is the server, which a killed client
does not stop: that case is `test_concurrent_runs_e2e.py`'s.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.dbt_process import dbt_process
from support.engine_target import EMBEDDED
from support.expected_silver import expected_silver, landed_orders, silver_values
from support.landed_files import landed_order_lines

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not EMBEDDED, reason="on thrift the driver is the server"),
]

SELECTED = ("run", "--select", "+silver_orders")


@dataclass
class KilledRuns:
    killed_at: list[str]
    bronze_lines: Counter
    landed_lines: Counter
    logged_files: Counter
    silver: dict[int, tuple]
    expected: dict[int, tuple]


def _commits(table: Path) -> int:
    log = table / "_delta_log"
    return len(list(log.glob("*.json"))) if log.exists() else 0


def _kill_after_commit(project: DbtProject, lakehouse: Path, table: Path, name: str) -> str:
    """Starts a run and kills it with SIGKILL as soon as `table` has a new commit."""
    before = _commits(table)
    process = dbt_process(project, *SELECTED, environment={"LAKEHOUSE_DIR": str(lakehouse)})
    deadline = time.monotonic() + 600
    while _commits(table) == before and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if process.poll() is not None:
        output, _ = process.communicate()
        raise AssertionError(f"the run ended before {name} committed:\n{output[-3000:]}")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    return f"{name} (commit {_commits(table) - 1})"


def _complete(project: DbtProject, lakehouse: Path) -> None:
    process = dbt_process(project, *SELECTED, environment={"LAKEHOUSE_DIR": str(lakehouse)})
    output, _ = process.communicate(timeout=900)
    assert process.returncode == 0, output[-3000:]


@pytest.fixture(scope="module")
def killed_runs(
    new_project: Callable[[str], DbtProject],
    spark: SparkSession,
    tmp_path_factory: pytest.TempPathFactory,
) -> KilledRuns:
    project = new_project("killed_runs")
    lakehouse = tmp_path_factory.mktemp("killed_runs_lakehouse")
    tables = lakehouse / "warehouse" / f"{project.schema}.db"
    file_log = (
        project.state_dir / "checkpoints" / project.schema / "bronze_orders" / "ingested_files"
    )
    generate.land(project.landing_root, 0, 1, 500, files=3, customers=40)
    _complete(project, lakehouse)

    killed_at = []
    generate.land(project.landing_root, 1, 1, 500, files=3, customers=40)
    killed_at.append(
        _kill_after_commit(project, lakehouse, tables / "bronze_orders", "bronze_orders")
    )
    generate.land(project.landing_root, 2, 1, 500, files=3, customers=40)
    killed_at.append(_kill_after_commit(project, lakehouse, file_log, "the file log"))
    generate.land(project.landing_root, 3, 1, 500, files=3, customers=40)
    killed_at.append(
        _kill_after_commit(project, lakehouse, tables / "silver_orders", "silver_orders")
    )
    _complete(project, lakehouse)

    bronze = spark.sql(
        f"select source_file, source_line_number from delta.`{tables / 'bronze_orders'}`"
    )
    logged = spark.sql(f"select source_file from delta.`{file_log}`")
    silver = spark.sql(f"select * from delta.`{tables / 'silver_orders'}`").collect()
    return KilledRuns(
        killed_at=killed_at,
        bronze_lines=Counter((row.source_file, row.source_line_number) for row in bronze.collect()),
        landed_lines=Counter(
            (line.source_file, line.line_number)
            for line in landed_order_lines(project.landing_root)
        ),
        logged_files=Counter(row.source_file for row in logged.collect()),
        silver={row.order_id: silver_values(row) for row in silver},
        expected={
            order_id: order.values
            for order_id, order in expected_silver(landed_orders(project.landing_root)).items()
        },
    )


def test_every_landed_line_is_in_bronze_once_and_every_file_logged_once(
    killed_runs: KilledRuns,
) -> None:
    runs = killed_runs
    assert runs.bronze_lines == runs.landed_lines, f"killed after: {runs.killed_at}"
    assert set(runs.logged_files.values()) == {1}
    assert set(runs.logged_files) == {source_file for source_file, _ in runs.landed_lines}


def test_silver_equals_an_independent_computation(killed_runs: KilledRuns) -> None:
    assert killed_runs.silver == killed_runs.expected
