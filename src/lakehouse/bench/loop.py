"""The whole benchmark run: every measurement in one interleaved loop, then its results."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lakehouse.bench import results
from lakehouse.bench.measure import machine
from lakehouse.bench.runners import spark_start_seconds
from lakehouse.bench.steps import Plan, interleave, schedule


def run(plan: Plan, workdir: Path, progress: Callable[[str], None]) -> dict[str, Any]:
    """Each repetition visits every scale in turn.

    P1 (and P4) compare the full build with the baselines at the smallest and largest scales;
    the scaling curve takes the full build at every scale; P2 compares, at the largest scale,
    the build after landing `plan.increment` of it with the same repetition's full build, and a
    build with nothing new; P3 compares that same incremental batch's build after each scale's
    history; thrift vs local compares, at the smallest scale, the full build on a running Thrift
    server with the local one.
    """
    started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    planned = schedule(plan, workdir, progress)
    if planned.thrift is not None:
        progress("thrift vs local: starting the Thrift server")
    with planned.thrift or contextlib.nullcontext():
        samples = interleave(plan.repeats, planned.steps, progress)
    # kept before anything is derived from them: hours of measurements, whatever comes next
    raw = {name: [vars(sample) for sample in runs] for name, runs in samples.items()}
    (workdir / "samples.json").write_text(json.dumps(raw))

    largest = planned.per_scale[plan.scales[-1]]
    manifest = json.loads((largest.lh.root / "target" / "manifest.json").read_text())
    observed = results.Observed(
        duckdb_layer_seconds={
            scale: steps.duck_layers[-1]
            for scale, steps in planned.per_scale.items()
            if steps.duck_layers
        },
        latencies=largest.latencies,
        layers=results.layers_from_manifest(manifest),
    )
    summary = results.summarize(
        samples, plan.scales, plan.increment, plan.increment_orders, observed
    )
    figures: dict[str, Any] = {
        "machine": machine(),
        "plan": {"scales": plan.scales, "repeats": plan.repeats, "quick": plan.quick},
        "started_at": started_at,
        **summary,
    }
    if not plan.quick:
        progress("fixed cost: starting Spark with Delta alone")
        figures["spark_start_seconds"] = spark_start_seconds(largest.lh)
    figures["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return figures
