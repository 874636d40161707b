"""Two checkouts of this project on the same files, interleaved: an engine upgrade, measured.

`lakehouse benchmark --against OTHER_CHECKOUT` runs, at one scale, the full build, the build
after a 1% batch and the hand-written PySpark job of this checkout and of another one (each
with its own `.venv`, so each on its own pinned Spark and Delta), A B A B …, over one landing
folder. The result is each step's seconds per checkout and the per-repetition ratio
this / other: below 1 means this checkout is faster.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lakehouse.bench.measure import Sample, Series, machine, ratio_series, timed
from lakehouse.bench.runners import Lakehouse, land, unland
from lakehouse.bench.steps import interleave
from lakehouse.project import REPO_ROOT

STEPS = ("full build", "incremental build", "pyspark job")


@dataclass(frozen=True)
class Checkout:
    """A checkout of this project with its own virtualenv (`make setup` made it)."""

    name: str
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / ".venv" / "bin"

    def versions(self) -> dict[str, str]:
        probe = (
            "import json; from importlib.metadata import version; print(json.dumps("
            "{p: version(p) for p in ('pyspark', 'delta-spark', 'dbt-core', 'dbt-spark')}))"
        )
        _, stdout = timed([str(self.bin / "python"), "-c", probe], {}, cwd=self.root)
        return json.loads(stdout)


class Side:
    """One checkout's steps over the shared landing folder, in a lakehouse of its own."""

    def __init__(self, checkout: Checkout, lakehouse: Lakehouse, base_batches: int) -> None:
        self.checkout = checkout
        self.lh = lakehouse
        self.base_batches = base_batches

    def _env(self) -> dict[str, str]:
        return {**self.lh.env(), "DBT_PROFILES_DIR": str(self.checkout.root)}

    def _dbt(self, *args: str) -> Sample:
        target = self.lh.root / "target"
        command = [str(self.checkout.bin / "dbt"), *args, "--target-path", str(target)]
        sample, _ = timed(command, self._env(), cwd=self.checkout.root)
        sample.run_results = json.loads((target / "run_results.json").read_text())
        return sample

    def full_build(self) -> Sample:
        unland(self.lh.landing, self.base_batches)  # the other side's 1% batch
        self.lh.reset()
        return self._dbt("build")

    def pyspark_job(self) -> Sample:
        out = self.lh.root / "baseline"
        shutil.rmtree(out, ignore_errors=True)
        command = [str(self.checkout.bin / "python"), "-m", "lakehouse.bench.baseline_job"]
        return timed([*command, str(self.lh.landing), str(out)], self._env(), self.checkout.root)[0]

    def incremental_build(self, orders: int) -> Callable[[], Sample]:
        def step() -> Sample:
            land(self.lh.landing, orders, self.base_batches)
            return self._dbt("build")

        return step


def compare(samples: dict[str, list[float]], this: str, other: str) -> dict[str, Any]:
    """Seconds of each step per checkout, and the ratio this / other per repetition."""
    return {
        step: {
            f"{this}_seconds": Series(samples[f"{this}: {step}"]).summary(),
            f"{other}_seconds": Series(samples[f"{other}: {step}"]).summary(),
            f"ratio_{this}_over_{other}": ratio_series(
                samples[f"{this}: {step}"], samples[f"{other}: {step}"]
            ).summary(),
        }
        for step in STEPS
    }


def run(
    other_root: Path,
    scale: int,
    repeats: int,
    workdir: Path,
    progress: Callable[[str], None],
    increment: float = 0.01,
) -> dict[str, Any]:
    checkouts = (Checkout("other", other_root.resolve()), Checkout("this", REPO_ROOT))
    landing = workdir / f"landing_{scale}"
    progress(f"pins: landing {scale:,} orders")
    base_batches = land(landing, scale)
    unland(landing, base_batches)
    schedule: dict[str, Callable[[], Sample]] = {}
    for checkout in checkouts:
        side = Side(checkout, Lakehouse(workdir / f"pins_{checkout.name}", landing), base_batches)
        schedule[f"{checkout.name}: full build"] = side.full_build
        schedule[f"{checkout.name}: pyspark job"] = side.pyspark_job
        schedule[f"{checkout.name}: incremental build"] = side.incremental_build(
            max(1, int(scale * increment))
        )
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    taken = interleave(repeats, schedule, progress)
    seconds = {name: [sample.seconds for sample in runs] for name, runs in taken.items()}
    return {
        "machine": machine(),
        "scale": scale,
        "increment_orders": max(1, int(scale * increment)),
        "repeats": repeats,
        "started_at": started,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "versions": {checkout.name: checkout.versions() for checkout in checkouts},
        "samples": seconds,
        "steps": compare(seconds, "this", "other"),
    }
