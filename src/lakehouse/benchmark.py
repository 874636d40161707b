"""Benchmarks of the pipeline, every comparison interleaved in one run (A B A B …).

`lakehouse benchmark` lands generated data, runs dbt and the two baselines (a hand-written
PySpark job, and DuckDB over the same files) and writes results.json, report.md and PNG plots.
Medians are reported with min and max; the machine is shared, so only ratios measured side by
side are compared.

Full runs start every dbt invocation and the PySpark job as its own process (each pays its own
JVM start, as a scheduled run does). Quick mode keeps the command working in CI in a few
minutes: one small scale, one repetition, every step in this process on one Spark session.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lakehouse import cost_model, generate
from lakehouse.project import REPO_ROOT

BIN = Path(sys.executable).parent
BATCH = 1_000_000  # orders per landed batch at scale


@dataclass
class Sample:
    seconds: float
    peak_rss_mb: float = 0.0
    run_results: dict[str, Any] | None = None


@dataclass
class Series:
    """Repeated measurements of one thing."""

    samples: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "median": round(statistics.median(self.samples), 3),
            "min": round(min(self.samples), 3),
            "max": round(max(self.samples), 3),
            "n": len(self.samples),
        }


def ratio_series(numerators: Sequence[float], denominators: Sequence[float]) -> Series:
    """Per-repetition ratios of interleaved pairs (A_i / B_i)."""
    return Series([a / b for a, b in zip(numerators, denominators, strict=True)])


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(stat[1]), []).append(pid)
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1024


class PeakMemory:
    """Samples the resident memory of a process tree every half second while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, _tree_rss_mb(self.pid))
            self._done.wait(0.5)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()


def timed(command: Sequence[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> tuple[Sample, str]:
    """Run a command to completion: wall time, peak memory of its process tree, its stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with PeakMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    return Sample(elapsed, round(memory.peak, 1)), stdout


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
        command = [sys.executable, "-m", "lakehouse.baseline_job"]
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

        from lakehouse import baseline_job

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
    command = [sys.executable, "-m", "lakehouse.duckdb_pipeline", str(lakehouse.landing), str(out)]
    sample, stdout = timed(command, lakehouse.env())
    return sample, json.loads(stdout.strip().splitlines()[-1])


def node_medians(runs: Sequence[Sample], kind: str) -> dict[str, float]:
    """Median execution seconds of each `kind` node (`model.` or `test.`) over repeated runs."""
    seconds: dict[str, list[float]] = {}
    for sample in runs:
        for result in (sample.run_results or {}).get("results", []):
            if result["unique_id"].startswith(kind):
                name = result["unique_id"].split(".")[2]
                seconds.setdefault(name, []).append(result["execution_time"])
    return {name: round(statistics.median(taken), 2) for name, taken in seconds.items()}


def model_seconds(run_results: dict[str, Any]) -> dict[str, float]:
    return {
        result["unique_id"].split(".")[-1]: round(result["execution_time"], 2)
        for result in run_results["results"]
        if result["unique_id"].startswith("model.")
    }


def engine_seconds(run_results: dict[str, Any], kind: str = "") -> float:
    """Time spent executing nodes (no dbt start-up, parse or JVM start); `kind` picks
    `model.` or `test.` nodes."""
    return sum(
        result["execution_time"]
        for result in run_results.get("results", [])
        if result["unique_id"].startswith(kind)
    )


def where_time_goes(sample: Sample) -> dict[str, float]:
    """One invocation's wall time split: start-up and parse (outside dbt's run), models,
    data tests, and the rest of the run (adapter introspection, the on-run-end hook)."""
    results = sample.run_results or {}
    elapsed = results.get("elapsed_time", 0.0)
    models = engine_seconds(results, "model.")
    tests = engine_seconds(results, "test.")
    return {
        "wall": round(sample.seconds, 2),
        "start_up_and_parse": round(max(sample.seconds - elapsed, 0.0), 2),
        "models": round(models, 2),
        "data_tests": round(tests, 2),
        "introspection_and_hooks": round(max(elapsed - models - tests, 0.0), 2),
    }


def interleave(
    repeats: int, steps: dict[str, Callable[[], Sample]], progress: Callable[[str], None]
) -> dict[str, list[Sample]]:
    """Run each step once per repetition, in order (A B A B …)."""
    samples: dict[str, list[Sample]] = {name: [] for name in steps}
    for repetition in range(repeats):
        for name, step in steps.items():
            progress(f"  rep {repetition + 1}/{repeats}: {name} …")
            sample = step()
            samples[name].append(sample)
            progress(f"  rep {repetition + 1}/{repeats}: {name} {sample.seconds:.1f} s")
    return samples


def machine() -> dict[str, Any]:
    memory_kb = int(
        next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    )
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _layer(model: str) -> str:
    if model.startswith("bronze_"):
        return "bronze"
    if model.startswith("gold_"):
        return "gold"
    if model in ("data_quality_metrics", "dbt_run_log"):
        return "monitoring"
    return "silver"


def _utc_epoch(iso: str) -> float:
    from datetime import UTC, datetime

    return datetime.fromisoformat(iso.replace("Z", "")).replace(tzinfo=UTC).timestamp()


def gold_visible_at(run_results: dict[str, Any]) -> float:
    result = next(r for r in run_results["results"] if r["unique_id"].endswith(".gold_daily_sales"))
    execute = next(t for t in result["timing"] if t["name"] == "execute")
    return _utc_epoch(execute["completed_at"])


@dataclass
class Plan:
    scales: list[int]
    repeats: int
    increment: float = 0.01  # the incremental batch, as a share of the largest scale
    thrift: bool = True
    quick: bool = False


def _spark_start_seconds(lakehouse: Lakehouse) -> float:
    """A fixed cost measured alone: a Python process that starts Spark with Delta and stops."""
    probe = "from lakehouse.baseline_job import session; session().stop()"
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


class Steps:
    """One repetition's steps at one scale, in order. Each repetition starts from the same
    landed history: the full build from an empty lakehouse, the two baselines over the same
    files, then one batch landed and built incrementally, and at the largest scale a build with
    nothing new."""

    def __init__(self, runner: Processes | InProcess, lh: Lakehouse, base_batches: int) -> None:
        self.runner = runner
        self.lh = lh
        self.base_batches = base_batches
        self.duck_layers: list[dict[str, dict[str, float]]] = []
        self.latencies: list[float] = []

    def full_build(self) -> Sample:
        unland(self.lh.landing, self.base_batches)  # the last repetition's batch
        return self.runner.fresh_build(self.lh)

    def pyspark_job(self) -> Sample:
        return self.runner.pyspark_job(self.lh)

    def duckdb(self) -> Sample:
        sample, layers = duckdb_layers(self.lh)
        self.duck_layers.append(layers)
        return sample

    def incremental_build(self, orders: int) -> Callable[[], Sample]:
        def step() -> Sample:
            land(self.lh.landing, orders, self.base_batches)
            landed_at = time.time()
            sample = self.runner.dbt(self.lh, "build")
            self.latencies.append(gold_visible_at(sample.run_results) - landed_at)
            return sample

        return step

    def noop_build(self) -> Sample:
        return self.runner.dbt(self.lh, "build")


class ThriftSide:
    """Thrift vs local: a Spark Thrift Server, kept running through the loop, over a lakehouse
    of its own that reads the smallest scale's landed files. Each repetition rebuilds it from
    empty, right after the local full build of the same files."""

    def __init__(self, workdir: Path, landing: Path) -> None:
        from lakehouse import thrift_server

        self.server = thrift_server
        self.lh = Lakehouse(workdir / "thrift", landing)
        env = self.lh.env("thrift")
        self.schema = env["DBT_SCHEMA"]
        self.config = thrift_server.ServerConfig(
            self.lh.root,
            thrift_port=int(env["THRIFT_PORT"]),
            connect_port=int(env["SPARK_CONNECT_PORT"]),
        )

    def __enter__(self) -> ThriftSide:
        self.lh.reset()
        self.server.start(self.config)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.stop(self.config)

    def full_build(self) -> Sample:
        self._drop_schema()  # the server owns its metastore: drop through it, not on disk
        for name in ("checkpoints", "target"):
            shutil.rmtree(self.lh.root / name, ignore_errors=True)
        return self.lh.dbt("build", target="thrift")

    def _drop_schema(self) -> None:
        from pyhive import hive

        connection = hive.connect(host=self.server.HOST, port=self.config.thrift_port)
        try:
            connection.cursor().execute(f"drop schema if exists {self.schema} cascade")
        finally:
            connection.close()


def _build_entry(builds: list[Sample]) -> dict[str, Any]:
    """A full build's figures at one scale: wall time, where it goes, per-model seconds."""
    return {
        "dbt_build_seconds": Series([s.seconds for s in builds]).summary(),
        "dbt_build_engine_seconds": Series(
            [engine_seconds(s.run_results) for s in builds]
        ).summary(),
        "dbt_model_seconds": Series(
            [engine_seconds(s.run_results, "model.") for s in builds]
        ).summary(),
        "where_time_goes": where_time_goes(builds[-1]),
        "model_seconds": model_seconds(builds[-1].run_results),
    }


def _p1_entry(
    builds: list[Sample], jobs: list[Sample], ducks: list[Sample], steps: Steps
) -> dict[str, Any]:
    """P1 and P4 at one scale: the full build vs the PySpark job, its models vs DuckDB."""
    build_s = [s.seconds for s in builds]
    job_s = [s.seconds for s in jobs]
    # P4: the pipeline's own time to materialise the layers (model nodes: no JVM start, no
    # dbt start-up, no data tests) vs DuckDB's whole process
    pipeline_models = [engine_seconds(s.run_results, "model.") for s in builds]
    duck_s = [s.seconds for s in ducks]
    return {
        **_build_entry(builds),
        "pyspark_job_seconds": Series(job_s).summary(),
        "ratio_build": ratio_series(build_s, job_s).summary(),
        "duckdb_seconds": Series(duck_s).summary(),
        "ratio_models_over_duckdb": ratio_series(pipeline_models, duck_s).summary(),
        "duckdb_layer_seconds": steps.duck_layers[-1],
        # the profile of P1: the job runs no data tests
        "data_test_seconds": Series(
            [engine_seconds(s.run_results, "test.") for s in builds]
        ).summary(),
        "ratio_build_without_tests": ratio_series(
            [s.seconds - engine_seconds(s.run_results, "test.") for s in builds], job_s
        ).summary(),
        "slowest_tests": dict(
            sorted(node_medians(builds, "test.").items(), key=lambda kv: -kv[1])[:6]
        ),
    }


def _throughput(scale: int, entry: dict[str, Any]) -> dict[str, int]:
    layer_seconds: dict[str, float] = {}
    for model, seconds in entry["model_seconds"].items():
        layer_seconds[_layer(model)] = layer_seconds.get(_layer(model), 0.0) + seconds
    return {
        **{layer: round(scale / s * 60) for layer, s in layer_seconds.items() if s},
        "pipeline": round(scale / entry["dbt_build_seconds"]["median"] * 60),
    }


def run(plan: Plan, workdir: Path, progress: Callable[[str], None]) -> dict[str, Any]:
    """Every measurement in one interleaved loop: each repetition visits every scale in turn.

    P1 (and P4) compare the full build with the baselines at the smallest and largest scales;
    the scaling curve takes the full build at every scale; P2 compares, at the largest scale,
    the build after landing `plan.increment` of it with the same repetition's full build, and a
    build with nothing new; P3 compares that same incremental batch's build after each scale's
    history; thrift vs local compares, at the smallest scale, the full build on a running Thrift
    server with the local one.
    """
    results: dict[str, Any] = {
        "machine": machine(),
        "plan": {"scales": plan.scales, "repeats": plan.repeats, "quick": plan.quick},
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "p1": {},
        "scaling": {},
        "throughput_rows_per_minute": {},
        "peak_memory_mb": {},
    }
    smallest, largest = plan.scales[0], plan.scales[-1]
    increment = max(1, int(largest * plan.increment))
    runner: Processes | InProcess = Processes()
    per_scale: dict[int, Steps] = {}
    thrift: ThriftSide | None = None
    schedule: dict[str, Callable[[], Sample]] = {}
    for scale in plan.scales:
        progress(f"scale {scale:,}: landing data")
        lh = Lakehouse(workdir / f"lakehouse_{scale}", workdir / f"landing_{scale}")
        lh.reset()
        base_batches = land(lh.landing, scale)
        unland(lh.landing, base_batches)  # an earlier run's extra batches
        if plan.quick:
            runner = InProcess(lh)
        steps = per_scale[scale] = Steps(runner, lh, base_batches)
        schedule[f"{scale:,}: full build"] = steps.full_build
        if plan.thrift and scale == smallest:
            thrift = ThriftSide(workdir, lh.landing)
            schedule[f"{scale:,}: thrift full build"] = thrift.full_build
        if scale in (smallest, largest):
            schedule[f"{scale:,}: pyspark job"] = steps.pyspark_job
            schedule[f"{scale:,}: duckdb"] = steps.duckdb
        schedule[f"{scale:,}: incremental build"] = steps.incremental_build(increment)
        if scale == largest and not plan.quick:  # quick mode: no no-op build
            schedule[f"{scale:,}: no-op build"] = steps.noop_build
    if thrift is not None:
        progress("thrift vs local: starting the Thrift server")
    with thrift or contextlib.nullcontext():
        samples = interleave(plan.repeats, schedule, progress)
    # kept before anything is derived from them: hours of measurements, whatever comes next
    raw = {name: [vars(sample) for sample in runs] for name, runs in samples.items()}
    (workdir / "samples.json").write_text(json.dumps(raw))

    def taken(scale: int, step: str) -> list[Sample]:
        return samples[f"{scale:,}: {step}"]

    for scale in plan.scales:
        builds = taken(scale, "full build")
        if scale in (smallest, largest):
            entry = _p1_entry(
                builds, taken(scale, "pyspark job"), taken(scale, "duckdb"), per_scale[scale]
            )
            results["p1"][str(scale)] = entry
        else:
            entry = _build_entry(builds)
            results.setdefault("full_builds", {})[str(scale)] = entry
        results["scaling"][str(scale)] = entry["dbt_build_seconds"]["median"]
        results["throughput_rows_per_minute"][str(scale)] = _throughput(scale, entry)
        results["peak_memory_mb"][str(scale)] = max(
            s.peak_rss_mb
            for name, runs in samples.items()
            if name.startswith(f"{scale:,}:")
            for s in runs
        )
    results["p4"] = {
        "scale": largest,
        "ratio": results["p1"][str(largest)]["ratio_models_over_duckdb"],
    }

    # P2 at the largest scale: the batch's incremental build vs the same repetition's full build
    incremental = taken(largest, "incremental build")
    full = taken(largest, "full build")
    noop = samples.get(f"{largest:,}: no-op build")
    inc_s = [s.seconds for s in incremental]
    full_s = [s.seconds for s in full]
    results["p2"] = {
        "scale": largest,
        "increment_orders": increment,
        "incremental_seconds": Series(inc_s).summary(),
        "noop_seconds": Series([s.seconds for s in noop]).summary() if noop else None,
        "full_seconds": Series(full_s).summary(),
        "ratio": ratio_series(inc_s, full_s).summary(),
        # a build with nothing new vs the same repetition's full build
        "noop_ratio": ratio_series([s.seconds for s in noop], full_s).summary() if noop else None,
        "incremental_model_seconds": model_seconds(incremental[-1].run_results),
        "noop_model_seconds": node_medians(noop, "model.") if noop else None,
        "where_time_goes": {
            "full build": where_time_goes(full[-1]),
            f"incremental build ({plan.increment:.0%} new)": where_time_goes(incremental[-1]),
            **({"no-op build": where_time_goes(noop[-1])} if noop else {}),
        },
    }
    results["latency_seconds"] = Series(per_scale[largest].latencies).summary()
    results["cost"] = cost_model.cost_per_run(
        statistics.median(engine_seconds(s.run_results) for s in incremental),
        statistics.median(engine_seconds(s.run_results) for s in full),
        largest,
    )

    # P3: the same batch's incremental build after each scale's history
    if len(plan.scales) > 1:
        after = {scale: taken(scale, "incremental build") for scale in plan.scales}
        first = [s.seconds for s in after[smallest]]
        vs_smallest = {
            str(scale): ratio_series([s.seconds for s in after[scale]], first).summary()
            for scale in plan.scales[1:]
        }
        results["p3"] = {
            "increment_orders": increment,
            "seconds": {
                str(scale): Series([s.seconds for s in runs]).summary()
                for scale, runs in after.items()
            },
            "ratio_vs_smallest": vs_smallest,
            "ratio_largest_vs_smallest": vs_smallest[str(largest)],
            "model_seconds": {
                str(scale): node_medians(runs, "model.") for scale, runs in after.items()
            },
            "data_test_seconds": {
                str(scale): Series([engine_seconds(s.run_results, "test.") for s in runs]).summary()
                for scale, runs in after.items()
            },
        }

    if not plan.quick:
        progress("fixed cost: starting Spark with Delta alone")
        results["spark_start_seconds"] = _spark_start_seconds(per_scale[largest].lh)
    if thrift is not None:
        local_s = [s.seconds for s in taken(smallest, "full build")]
        thrift_s = [s.seconds for s in taken(smallest, "thrift full build")]
        results["thrift_vs_local"] = {
            "scale": smallest,
            "local_seconds": Series(local_s).summary(),
            "thrift_seconds": Series(thrift_s).summary(),
            "ratio_thrift_over_local": ratio_series(thrift_s, local_s).summary(),
        }
    results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return results
