"""Benchmarks of the pipeline, every comparison interleaved in one run (A B A B …).

`lakehouse benchmark` lands generated data, runs dbt (and the baselines) as separate processes
(each pays its own JVM start, as a scheduled run does), and writes results.json, report.md and
PNG plots. Medians are reported with min and max; the machine is shared, so only ratios
measured side by side are compared.
"""

from __future__ import annotations

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

from lakehouse import generate
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


def timed(command: Sequence[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> Sample:
    """Run a command to completion; wall time and the peak memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0.0

    def watch() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, _tree_rss_mb(process.pid))
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    watcher.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    return Sample(elapsed, round(peak, 1))


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
        sample = timed(
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


def baseline(lakehouse: Lakehouse) -> Sample:
    out = lakehouse.root / "baseline"
    shutil.rmtree(out, ignore_errors=True)
    return timed(
        [sys.executable, "-m", "lakehouse.baseline_job", str(lakehouse.landing), str(out)],
        lakehouse.env(),
    )


def model_seconds(run_results: dict[str, Any]) -> dict[str, float]:
    return {
        result["unique_id"].split(".")[-1]: round(result["execution_time"], 2)
        for result in run_results["results"]
        if result["unique_id"].startswith("model.")
    }


def engine_seconds(run_results: dict[str, Any]) -> float:
    """Time spent executing nodes (no dbt start-up, parse or JVM start)."""
    return sum(result["execution_time"] for result in run_results["results"])


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


def run(plan: Plan, workdir: Path, progress: Callable[[str], None]) -> dict[str, Any]:
    results: dict[str, Any] = {
        "machine": machine(),
        "plan": {"scales": plan.scales, "repeats": plan.repeats, "quick": plan.quick},
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "p1": {},
        "scaling": {},
        "throughput_rows_per_minute": {},
        "peak_memory_mb": {},
        "model_seconds": {},
    }
    lakehouses: dict[int, Lakehouse] = {}
    next_batch: dict[int, int] = {}

    # P1 and the scaling curve: full builds from nothing vs the hand-written PySpark job
    for scale in plan.scales:
        progress(f"scale {scale:,}: landing data")
        lh = Lakehouse(workdir / f"lakehouse_{scale}", workdir / f"landing_{scale}")
        next_batch[scale] = land(lh.landing, scale)
        lakehouses[scale] = lh

        def fresh(*args: str, lh: Lakehouse = lh) -> Sample:
            lh.reset()
            return lh.dbt(*args)

        steps: dict[str, Callable[[], Sample]] = {"pyspark job": lambda lh=lh: baseline(lh)}
        if not plan.quick:
            steps["dbt run"] = lambda: fresh("run")
        steps["dbt build"] = lambda: fresh("build")  # last: leaves the lakehouse built
        samples = interleave(plan.repeats, steps, progress)
        builds = [s.seconds for s in samples["dbt build"]]
        jobs = [s.seconds for s in samples["pyspark job"]]
        entry = {
            "dbt_build_seconds": Series(builds).summary(),
            "pyspark_job_seconds": Series(jobs).summary(),
            "ratio_build": ratio_series(builds, jobs).summary(),
            "dbt_build_engine_seconds": Series(
                [engine_seconds(s.run_results) for s in samples["dbt build"]]
            ).summary(),
        }
        if "dbt run" in samples:
            runs = [s.seconds for s in samples["dbt run"]]
            entry["dbt_run_seconds"] = Series(runs).summary()
            entry["ratio_run"] = ratio_series(runs, jobs).summary()
        results["p1"][str(scale)] = entry
        results["scaling"][str(scale)] = entry["dbt_build_seconds"]["median"]
        last = samples["dbt build"][-1].run_results
        per_model = model_seconds(last)
        results["model_seconds"][str(scale)] = per_model
        layer_seconds: dict[str, float] = {}
        for model, seconds in per_model.items():
            layer_seconds[_layer(model)] = layer_seconds.get(_layer(model), 0.0) + seconds
        results["throughput_rows_per_minute"][str(scale)] = {
            **{layer: round(scale / s * 60) for layer, s in layer_seconds.items() if s},
            "pipeline": round(scale / statistics.median(builds) * 60),
        }
        results["peak_memory_mb"][str(scale)] = max(
            s.peak_rss_mb for s in samples["dbt build"] + samples["pyspark job"]
        )

    # P2 at the largest scale: a 1% batch incremental vs a full rebuild, and a no-op build
    largest = plan.scales[-1]
    lh = lakehouses[largest]
    increment = max(1, int(largest * plan.increment))
    incremental: list[Sample] = []
    latencies: list[float] = []

    def incremental_build() -> Sample:
        next_batch[largest] = land(lh.landing, increment, next_batch[largest])
        landed_at = time.time()
        sample = lh.dbt("build")
        latencies.append(gold_visible_at(sample.run_results) - landed_at)
        incremental.append(sample)
        return sample

    p2_steps = {
        "incremental build (1% new)": incremental_build,
        "no-op build": lambda: lh.dbt("build"),
        "full rebuild": lambda: lh.dbt("build", "--full-refresh"),
    }
    p2 = interleave(plan.repeats, p2_steps, progress)
    inc = [s.seconds for s in p2["incremental build (1% new)"]]
    full = [s.seconds for s in p2["full rebuild"]]
    results["p2"] = {
        "scale": largest,
        "increment_orders": increment,
        "incremental_seconds": Series(inc).summary(),
        "noop_seconds": Series([s.seconds for s in p2["no-op build"]]).summary(),
        "full_seconds": Series(full).summary(),
        "ratio": ratio_series(inc, full).summary(),
        "incremental_model_seconds": model_seconds(incremental[-1].run_results),
    }
    results["latency_seconds"] = Series(latencies).summary()

    # P3: the same small incremental batch after different amounts of history
    if len(plan.scales) > 1:
        small = max(1, int(plan.scales[0] * plan.increment))

        def after_history(scale: int) -> Callable[[], Sample]:
            def step() -> Sample:
                next_batch[scale] = land(lakehouses[scale].landing, small, next_batch[scale])
                return lakehouses[scale].dbt("build")

            return step

        p3 = interleave(
            plan.repeats, {f"after {s:,}": after_history(s) for s in plan.scales}, progress
        )
        first = [s.seconds for s in p3[f"after {plan.scales[0]:,}"]]
        results["p3"] = {
            "increment_orders": small,
            "seconds": {
                str(s): Series([x.seconds for x in p3[f"after {s:,}"]]).summary()
                for s in plan.scales
            },
            "ratio_largest_vs_smallest": ratio_series(
                [s.seconds for s in p3[f"after {largest:,}"]], first
            ).summary(),
        }

    if plan.thrift:
        results["thrift_vs_local"] = _thrift_vs_local(plan, workdir, progress)
    results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return results


def _thrift_vs_local(plan: Plan, workdir: Path, progress: Callable[[str], None]) -> dict:
    from lakehouse import thrift_server

    scale = plan.scales[0]
    local = Lakehouse(workdir / f"lakehouse_{scale}", workdir / f"landing_{scale}")
    served = Lakehouse(workdir / f"thrift_{scale}", local.landing)
    config = thrift_server.ServerConfig(
        served.root,
        thrift_port=int(served.env()["THRIFT_PORT"]),
        connect_port=int(served.env()["SPARK_CONNECT_PORT"]),
    )
    progress(f"thrift vs local at {scale:,}: starting the server")
    thrift_server.start(config)
    try:
        served.dbt("build", target="thrift")  # first build: create everything
        samples = interleave(
            plan.repeats,
            {
                "local full rebuild": lambda: local.dbt("build", "--full-refresh"),
                "thrift full rebuild": lambda: served.dbt(
                    "build", "--full-refresh", target="thrift"
                ),
            },
            progress,
        )
    finally:
        thrift_server.stop(config)
    local_s = [s.seconds for s in samples["local full rebuild"]]
    thrift_s = [s.seconds for s in samples["thrift full rebuild"]]
    return {
        "scale": scale,
        "local_seconds": Series(local_s).summary(),
        "thrift_seconds": Series(thrift_s).summary(),
        "ratio_thrift_over_local": ratio_series(thrift_s, local_s).summary(),
    }
