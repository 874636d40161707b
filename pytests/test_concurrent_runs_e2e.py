"""Two runs on one lakehouse at once: the second fails at once naming the first, and a run
killed with `kill -9` blocks the next one only until its lock lapses; then every landed line is
in bronze exactly once.

On `local` the first run is this test process (its engine holds the lakehouse's lock file) and
the second a `dbt` process on the same lakehouse. On `thrift` both are clients of one server,
so no file of either client can hold them apart: the lock is a row of `lakehouse_lock` in the
target schema, renewed by its holder (lease shortened to LEASE seconds here).
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.dbt_process import dbt_process
from support.engine_target import EMBEDDED
from support.landed_files import landed_order_lines

# the thrift suite runs it too (Makefile test-thrift)
pytestmark = [pytest.mark.e2e, pytest.mark.thrift]

LEASE = 20  # seconds


@dataclass
class ConcurrentRuns:
    second_error: str
    second_failed: bool
    holder_pid: int
    killed_pid: int | None
    blocked_error: str
    waited_for_lapse: float
    bronze_lines: Counter
    landed_lines: Counter
    logged_files: Counter


def _lock_row(spark: SparkSession, project: DbtProject) -> tuple[int, datetime] | None:
    """(pid, expires_at) of the lock's holder; None when nobody holds it."""
    if not spark.catalog.tableExists(project.table("lakehouse_lock")):
        return None
    row = spark.sql(f"select holder, expires_at from {project.table('lakehouse_lock')}").first()
    return None if row is None else (int(row.holder.rpartition(":")[2]), row.expires_at)


def _wait_for_holder(spark: SparkSession, project: DbtProject, pid: int) -> datetime:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        held = _lock_row(spark, project)
        if held is not None and held[0] == pid:
            return held[1]
        time.sleep(0.5)
    raise AssertionError(f"process {pid} never took the lock")


# what each run builds: enough to hold the lock for a while
SELECTED = ("--select", "+silver_orders")


def _error(project: DbtProject) -> str:
    result = project.run(*SELECTED, check=False)
    assert not result.success
    return str(result.exception or [r.message for r in result.result.results])


def _thrift_runs(project: DbtProject, spark: SparkSession) -> ConcurrentRuns:
    first = dbt_process(project, "build", *SELECTED)
    _wait_for_holder(spark, project, first.pid)
    second_error = _error(project)
    output, _ = first.communicate(timeout=900)
    assert first.returncode == 0, output  # the first run is not disturbed by the second

    generate.land(project.landing_root, 1, 1, 300, files=2, customers=40)
    killed = dbt_process(project, "run", *SELECTED)
    _wait_for_holder(spark, project, killed.pid)
    time.sleep(3)  # somewhere in the middle of the run
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    blocked_error = _error(project)
    started = time.monotonic()
    live = f"select count(*) from {project.table('lakehouse_lock')} where expires_at > now()"
    while spark.sql(live).first()[0] > 0 and time.monotonic() - started < 5 * LEASE:
        time.sleep(1)
    waited = time.monotonic() - started
    project.run(*SELECTED)
    return ConcurrentRuns(
        second_error=second_error,
        second_failed=True,
        holder_pid=first.pid,
        killed_pid=killed.pid,
        blocked_error=blocked_error,
        waited_for_lapse=waited,
        **_counts(project, spark),
    )


def _local_runs(project: DbtProject, spark: SparkSession) -> ConcurrentRuns:
    project.run("--select", "bronze_orders")  # this process's engine holds the lakehouse
    second = dbt_process(project, "run", "--select", "bronze_orders")
    output, _ = second.communicate(timeout=300)
    return ConcurrentRuns(
        second_error=output,
        second_failed=second.returncode != 0,
        holder_pid=os.getpid(),
        killed_pid=None,
        blocked_error="",
        waited_for_lapse=0.0,
        **_counts(project, spark),
    )


def _counts(project: DbtProject, spark: SparkSession) -> dict[str, Counter]:
    bronze = spark.sql(
        f"select source_file, source_line_number from {project.table('bronze_orders')}"
    ).collect()
    log = project.state_dir / "checkpoints" / project.schema / "bronze_orders" / "ingested_files"
    logged = spark.sql(f"select source_file from delta.`{log}`").collect()
    return {
        "bronze_lines": Counter((row.source_file, row.source_line_number) for row in bronze),
        "landed_lines": Counter(
            (line.source_file, line.line_number)
            for line in landed_order_lines(project.landing_root)
        ),
        "logged_files": Counter(row.source_file for row in logged),
    }


@pytest.fixture(scope="module")
def concurrent_runs(
    new_project: Callable[[str], DbtProject], spark: SparkSession
) -> ConcurrentRuns:
    project = new_project("concurrent_runs")
    project.extra_vars = {"lakehouse_lock_lease_seconds": LEASE}
    generate.land(project.landing_root, 0, 1, 300, files=2, customers=40)
    return _local_runs(project, spark) if EMBEDDED else _thrift_runs(project, spark)


def test_a_second_run_fails_at_once_naming_the_first(concurrent_runs: ConcurrentRuns) -> None:
    runs = concurrent_runs
    assert "another run holds this lakehouse" in runs.second_error
    assert f"pid {runs.holder_pid}" in runs.second_error
    assert runs.second_failed


@pytest.mark.skipif(EMBEDDED, reason="the kernel drops a killed process's lock file at once")
def test_a_killed_run_blocks_only_until_its_lease_lapses(concurrent_runs: ConcurrentRuns) -> None:
    runs = concurrent_runs
    assert f"pid {runs.killed_pid}" in runs.blocked_error
    assert runs.waited_for_lapse <= LEASE + 10


def test_every_landed_line_is_in_bronze_once(concurrent_runs: ConcurrentRuns) -> None:
    runs = concurrent_runs
    assert runs.bronze_lines == runs.landed_lines
    assert set(runs.logged_files.values()) == {1}
    assert set(runs.logged_files) == {file for file, _ in runs.landed_lines}
