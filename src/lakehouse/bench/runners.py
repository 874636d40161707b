"""Running the pipeline and its baselines: an isolated lakehouse, landing generated data, and
each step as its own process (a scheduled run) or in this one (quick mode)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lakehouse import generate
from lakehouse.bench.measure import PeakMemory, Sample, timed
from lakehouse.project import REPO_ROOT

BIN = Path(sys.executable).parent
BATCH = 1_000_000  # orders per landed batch at scale


@dataclass
class Lakehouse:
    """One isolated lakehouse: its own warehouse, metastore, checkpoints and target."""

    root: Path
    landing: Path

    def env(self, target: str = "local") -> dict[str, str]:
        return {
            **os.environ,
            "LAKEHOUSE_DIR": str(self.root),
            "LANDING_ROOT": str(self.landing),
            "DBT_PROFILES_DIR": str(REPO_ROOT),
            "DBT_TARGET": target,
            "DBT_SCHEMA": "medallion",
            "THRIFT_PORT": os.environ.get("BENCH_THRIFT_PORT", "10100"),
            "SPARK_CONNECT_PORT": os.environ.get("BENCH_CONNECT_PORT", "15100"),
        }

    def dbt(self, *args: str, target: str = "local") -> Sample:
        target_path = self.root / "target"
        sample, _ = timed(
            [str(BIN / "dbt"), *args, "--target-path", str(target_path)], self.env(target)
        )
        sample.run_results = json.loads((target_path / "run_results.json").read_text())
        return sample

    def reset(self) -> None:
        """Drop the built tables and state, keep the landed files."""
        for name in ("warehouse", "metastore_db", "checkpoints", "target", "baseline"):
            shutil.rmtree(self.root / name, ignore_errors=True)


def land(landing: Path, orders: int, first_batch: int = 0, per_batch: int = BATCH) -> int:
    """Land `orders` orders as batches of at most `per_batch`; returns the next batch number."""
    batch = first_batch
    remaining = orders
    while remaining > 0:
        size = min(per_batch, remaining)
        generate.land(landing, batch, 1, size, skip_existing=True)
        remaining -= size
        batch += 1
    return batch


class Runner(Protocol):
    """Runs dbt and the PySpark job on a lakehouse: Processes or InProcess."""

    def dbt(self, lakehouse: Lakehouse, *args: str) -> Sample: ...

    def fresh_build(self, lakehouse: Lakehouse) -> Sample: ...

    def pyspark_job(self, lakehouse: Lakehouse) -> Sample: ...


class Processes:
    """Every step its own process, as a scheduled run: dbt's CLI, the PySpark job's module."""

    def dbt(self, lakehouse: Lakehouse, *args: str) -> Sample:
        return lakehouse.dbt(*args)

    def fresh_build(self, lakehouse: Lakehouse) -> Sample:
        lakehouse.reset()
        return lakehouse.dbt("build")

    def pyspark_job(self, lakehouse: Lakehouse) -> Sample:
        out = lakehouse.root / "baseline"
        shutil.rmtree(out, ignore_errors=True)
        command = [sys.executable, "-m", "lakehouse.bench.baseline_job"]
        return timed([*command, str(lakehouse.landing), str(out)], lakehouse.env())[0]


class InProcess:
    """Quick mode: dbt (programmatic runner) and the PySpark job in this process, sharing one
    Spark session, so the JVM starts once. One lakehouse only: the session is bound to it."""

    def __init__(self, lakehouse: Lakehouse) -> None:
        from lakehouse.project import DbtProject, scoped_environ

        self.project = DbtProject(
            landing_root=lakehouse.landing, state_dir=lakehouse.root, schema="benchmark"
        )
        # Untimed: starts the session dbt's adapter builds, with this lakehouse's warehouse and
        # metastore (a process that already runs one, e.g. the test suite, keeps its own).
        with scoped_environ({"LAKEHOUSE_DIR": str(lakehouse.root)}):
            self.project.invoke("show", "--inline", "select 1 as ready", "--quiet")

    def dbt(self, lakehouse: Lakehouse, *args: str) -> Sample:
        started = time.perf_counter()
        with PeakMemory(os.getpid()) as memory:
            self.project.invoke(*args, "--quiet")
        sample = Sample(time.perf_counter() - started, round(memory.peak, 1))
        run_results = lakehouse.root / "target" / "run_results.json"
        sample.run_results = json.loads(run_results.read_text())
        return sample

    def fresh_build(self, lakehouse: Lakehouse) -> Sample:
        # the live session owns the metastore: rebuild in place instead of deleting it
        return self.dbt(lakehouse, "build", "--full-refresh")

    def pyspark_job(self, lakehouse: Lakehouse) -> Sample:
        from pyspark.sql import SparkSession

        from lakehouse.bench import baseline_job

        out = lakehouse.root / "baseline"
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        with PeakMemory(os.getpid()) as memory:
            baseline_job.build(SparkSession.builder.getOrCreate(), lakehouse.landing, out)
        return Sample(time.perf_counter() - started, round(memory.peak, 1))


def duckdb_layers(lakehouse: Lakehouse) -> tuple[Sample, dict[str, dict[str, float]]]:
    """P4's independent engine: the same layers in DuckDB, as its own process."""
    out = lakehouse.root / "duckdb"
    shutil.rmtree(out, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "lakehouse.bench.duckdb_pipeline",
        str(lakehouse.landing),
        str(out),
    ]
    sample, stdout = timed(command, lakehouse.env())
    return sample, json.loads(stdout.strip().splitlines()[-1])


def spark_start_seconds(lakehouse: Lakehouse) -> float:
    """A fixed cost measured alone: a Python process that starts Spark with Delta and stops."""
    probe = "from lakehouse.bench.baseline_job import session; session().stop()"
    return round(timed([sys.executable, "-c", probe], lakehouse.env())[0].seconds, 2)


def unland(landing: Path, first_batch: int) -> None:
    """Take back the batches landed from `first_batch` on (their order files, customer delivery
    and ground truth), so the landing holds its base history again."""
    taken_back = False
    for pattern in ("orders/batch=*", "customers/delivery=*", "_ground_truth/*/batch=*.json"):
        for path in landing.glob(pattern):
            if int(path.name.split("=")[1].split(".")[0]) >= first_batch:
                taken_back = True
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
    if taken_back:
        # a delivery replaces the landed customer extract: land the base's last one again
        generate.write_customer_delivery(
            landing, generate.DEFAULT_SEED, generate.DEFAULT_CUSTOMERS, first_batch - 1
        )
