"""One repetition's steps at each scale, and the schedule that interleaves them (A B A B …)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse.bench.measure import Sample
from lakehouse.bench.results import gold_visible_at
from lakehouse.bench.runners import (
    InProcess,
    Lakehouse,
    Processes,
    Runner,
    duckdb_layers,
    land,
    unland,
)


@dataclass
class Plan:
    scales: list[int]
    repeats: int
    increment: float = 0.01  # the incremental batch, as a share of the largest scale
    thrift: bool = True
    quick: bool = False

    @property
    def increment_orders(self) -> int:
        return max(1, int(self.scales[-1] * self.increment))


class Steps:
    """One repetition's steps at one scale, in order. Each repetition starts from the same
    landed history: the full build from an empty lakehouse, the two baselines over the same
    files, then one batch landed and built incrementally, and at the largest scale a build with
    nothing new."""

    def __init__(self, runner: Runner, lh: Lakehouse, base_batches: int) -> None:
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
            assert sample.run_results is not None  # a dbt build always writes them
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


@dataclass
class Schedule:
    """The interleaved steps of a run, by name (`<scale>: <step>`), and who runs them."""

    steps: dict[str, Callable[[], Sample]] = field(default_factory=dict)
    per_scale: dict[int, Steps] = field(default_factory=dict)
    thrift: ThriftSide | None = None


def schedule(
    plan: Plan,
    workdir: Path,
    progress: Callable[[str], None],
    runner: Runner | None = None,
) -> Schedule:
    """Land each scale's history and lay out its steps: the full build at every scale, the
    baselines at the smallest and largest, the incremental build of one batch of
    `plan.increment` of the largest scale at every scale, a build with nothing new at the
    largest, and the thrift full build at the smallest. `runner` runs dbt and the PySpark job
    (default: each as its own process; quick mode: in this process)."""
    planned = Schedule()
    smallest, largest = plan.scales[0], plan.scales[-1]
    increment = plan.increment_orders
    for scale in plan.scales:
        progress(f"scale {scale:,}: landing data")
        lh = Lakehouse(workdir / f"lakehouse_{scale}", workdir / f"landing_{scale}")
        lh.reset()
        base_batches = land(lh.landing, scale)
        unland(lh.landing, base_batches)  # an earlier run's extra batches
        scale_runner: Runner
        if runner is not None:
            scale_runner = runner
        elif plan.quick:
            scale_runner = InProcess(lh)  # bound to this lakehouse's session
        else:
            scale_runner = Processes()
        steps = planned.per_scale[scale] = Steps(scale_runner, lh, base_batches)
        planned.steps[f"{scale:,}: full build"] = steps.full_build
        if plan.thrift and scale == smallest:
            planned.thrift = ThriftSide(workdir, lh.landing)
            planned.steps[f"{scale:,}: thrift full build"] = planned.thrift.full_build
        if scale in (smallest, largest):
            planned.steps[f"{scale:,}: pyspark job"] = steps.pyspark_job
            planned.steps[f"{scale:,}: duckdb"] = steps.duckdb
        planned.steps[f"{scale:,}: incremental build"] = steps.incremental_build(increment)
        if scale == largest and not plan.quick:  # quick mode: no no-op build
            planned.steps[f"{scale:,}: no-op build"] = steps.noop_build
    return planned
