"""From samples to results: pure functions, one per section of results.json. They read the
samples of a run (by step name, `<scale>: <step>`) and what the run observed besides them;
nothing here runs or times anything."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lakehouse import diagram
from lakehouse.bench import cost_model
from lakehouse.bench.measure import Sample, Series, ratio_series

Samples = Mapping[str, Sequence[Sample]]


@dataclass
class Observed:
    """What a run observed besides its samples."""

    # the last DuckDB run's seconds and rows per layer, by scale
    duckdb_layer_seconds: dict[int, dict[str, dict[str, float]]] = field(default_factory=dict)
    # from landing a batch to gold_daily_sales committed, at the largest scale
    latencies: list[float] = field(default_factory=list)
    # model name -> layer, from the manifest's tags (layers_from_manifest)
    layers: dict[str, str] = field(default_factory=dict)


def layers_from_manifest(manifest: Mapping[str, Any]) -> dict[str, str]:
    """Each model's layer as the lineage diagram names it (the manifest's folders and tags)."""
    return {
        node["name"]: diagram.layer(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }


def taken(samples: Samples, scale: int, step: str) -> list[Sample]:
    return list(samples[f"{scale:,}: {step}"])


def node_medians(runs: Sequence[Sample], kind: str) -> dict[str, float]:
    """Median execution seconds of each `kind` node (`model.` or `test.`) over repeated runs."""
    seconds: dict[str, list[float]] = {}
    for sample in runs:
        for result in (sample.run_results or {}).get("results", []):
            if result["unique_id"].startswith(kind):
                name = result["unique_id"].split(".")[2]
                seconds.setdefault(name, []).append(result["execution_time"])
    return {name: round(statistics.median(taken), 2) for name, taken in seconds.items()}


def model_seconds(run_results: Mapping[str, Any] | None) -> dict[str, float]:
    return {
        result["unique_id"].split(".")[-1]: round(result["execution_time"], 2)
        for result in (run_results or {}).get("results", [])
        if result["unique_id"].startswith("model.")
    }


def engine_seconds(run_results: Mapping[str, Any] | None, kind: str = "") -> float:
    """Time spent executing nodes (no dbt start-up, parse or JVM start); `kind` picks
    `model.` or `test.` nodes."""
    return sum(
        result["execution_time"]
        for result in (run_results or {}).get("results", [])
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


def _utc_epoch(iso: str) -> float:
    from datetime import UTC, datetime

    return datetime.fromisoformat(iso.replace("Z", "")).replace(tzinfo=UTC).timestamp()


def gold_visible_at(run_results: dict[str, Any]) -> float:
    result = next(r for r in run_results["results"] if r["unique_id"].endswith(".gold_daily_sales"))
    execute = next(t for t in result["timing"] if t["name"] == "execute")
    return _utc_epoch(execute["completed_at"])


def build_entry(builds: list[Sample]) -> dict[str, Any]:
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


def p1_entry(
    builds: list[Sample],
    jobs: list[Sample],
    ducks: list[Sample],
    duckdb_layer_seconds: dict[str, dict[str, float]],
) -> dict[str, Any]:
    """P1 and P4 at one scale: the full build vs the PySpark job, its models vs DuckDB."""
    build_s = [s.seconds for s in builds]
    job_s = [s.seconds for s in jobs]
    # P4: the pipeline's own time to materialise the layers (model nodes: no JVM start, no
    # dbt start-up, no data tests) vs DuckDB's whole process
    pipeline_models = [engine_seconds(s.run_results, "model.") for s in builds]
    duck_s = [s.seconds for s in ducks]
    return {
        **build_entry(builds),
        "pyspark_job_seconds": Series(job_s).summary(),
        "ratio_build": ratio_series(build_s, job_s).summary(),
        "duckdb_seconds": Series(duck_s).summary(),
        "ratio_models_over_duckdb": ratio_series(pipeline_models, duck_s).summary(),
        "duckdb_layer_seconds": duckdb_layer_seconds,
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


def throughput(scale: int, entry: dict[str, Any], layers: Mapping[str, str]) -> dict[str, int]:
    """Rows per minute of each layer (its models' seconds in the build) and of the build."""
    layer_seconds: dict[str, float] = {}
    for model, seconds in entry["model_seconds"].items():
        layer = layers.get(model, "monitoring")
        layer_seconds[layer] = layer_seconds.get(layer, 0.0) + seconds
    return {
        **{layer: round(scale / s * 60) for layer, s in layer_seconds.items() if s},
        "pipeline": round(scale / entry["dbt_build_seconds"]["median"] * 60),
    }


def full_builds(samples: Samples, scales: Sequence[int], observed: Observed) -> dict[str, Any]:
    """P1 and P4 at the smallest and largest scales, the full build at every scale: its
    seconds (the scaling curve), throughput per layer and peak memory."""
    smallest, largest = scales[0], scales[-1]
    figures: dict[str, Any] = {
        "p1": {},
        "scaling": {},
        "throughput_rows_per_minute": {},
        "peak_memory_mb": {},
    }
    for scale in scales:
        builds = taken(samples, scale, "full build")
        if scale in (smallest, largest):
            entry = p1_entry(
                builds,
                taken(samples, scale, "pyspark job"),
                taken(samples, scale, "duckdb"),
                observed.duckdb_layer_seconds.get(scale, {}),
            )
            figures["p1"][str(scale)] = entry
        else:
            entry = build_entry(builds)
            figures.setdefault("full_builds", {})[str(scale)] = entry
        figures["scaling"][str(scale)] = entry["dbt_build_seconds"]["median"]
        figures["throughput_rows_per_minute"][str(scale)] = throughput(
            scale, entry, observed.layers
        )
        figures["peak_memory_mb"][str(scale)] = max(
            s.peak_rss_mb
            for name, runs in samples.items()
            if name.startswith(f"{scale:,}:")
            for s in runs
        )
    figures["p4"] = {
        "scale": largest,
        "ratio": figures["p1"][str(largest)]["ratio_models_over_duckdb"],
    }
    return figures


def incremental(
    samples: Samples, largest: int, increment: float, increment_orders: int, observed: Observed
) -> dict[str, Any]:
    """P2 at the largest scale: the batch's incremental build and a build with nothing new,
    each over the same repetition's full build; the batch's latency; the cost estimate."""
    batch = taken(samples, largest, "incremental build")
    full = taken(samples, largest, "full build")
    noop = samples.get(f"{largest:,}: no-op build")
    batch_s = [s.seconds for s in batch]
    full_s = [s.seconds for s in full]
    noop_s = [s.seconds for s in noop] if noop else None
    return {
        "p2": {
            "scale": largest,
            "increment_orders": increment_orders,
            "incremental_seconds": Series(batch_s).summary(),
            "noop_seconds": Series(noop_s).summary() if noop_s else None,
            "full_seconds": Series(full_s).summary(),
            "ratio": ratio_series(batch_s, full_s).summary(),
            "noop_ratio": ratio_series(noop_s, full_s).summary() if noop_s else None,
            "incremental_model_seconds": model_seconds(batch[-1].run_results or {}),
            "noop_model_seconds": node_medians(noop, "model.") if noop else None,
            "where_time_goes": {
                "full build": where_time_goes(full[-1]),
                f"incremental build ({increment:.0%} new)": where_time_goes(batch[-1]),
                **({"no-op build": where_time_goes(noop[-1])} if noop else {}),
            },
        },
        "latency_seconds": Series(observed.latencies).summary() if observed.latencies else None,
        "cost": cost_model.cost_per_run(
            statistics.median(engine_seconds(s.run_results or {}) for s in batch),
            statistics.median(engine_seconds(s.run_results or {}) for s in full),
            largest,
        ),
    }


def history(samples: Samples, scales: Sequence[int], increment_orders: int) -> dict[str, Any]:
    """P3: the same batch's incremental build after each scale's history, over the smallest's."""
    smallest, largest = scales[0], scales[-1]
    after = {scale: taken(samples, scale, "incremental build") for scale in scales}
    first = [s.seconds for s in after[smallest]]
    vs_smallest = {
        str(scale): ratio_series([s.seconds for s in after[scale]], first).summary()
        for scale in scales[1:]
    }
    return {
        "increment_orders": increment_orders,
        "seconds": {
            str(scale): Series([s.seconds for s in runs]).summary() for scale, runs in after.items()
        },
        "ratio_vs_smallest": vs_smallest,
        "ratio_largest_vs_smallest": vs_smallest[str(largest)],
        "model_seconds": {
            str(scale): node_medians(runs, "model.") for scale, runs in after.items()
        },
        "data_test_seconds": {
            str(scale): Series(
                [engine_seconds(s.run_results or {}, "test.") for s in runs]
            ).summary()
            for scale, runs in after.items()
        },
    }


def thrift_vs_local(samples: Samples, smallest: int) -> dict[str, Any]:
    """The full build on a running Thrift server over the local one, at the smallest scale."""
    local_s = [s.seconds for s in taken(samples, smallest, "full build")]
    thrift_s = [s.seconds for s in taken(samples, smallest, "thrift full build")]
    return {
        "scale": smallest,
        "local_seconds": Series(local_s).summary(),
        "thrift_seconds": Series(thrift_s).summary(),
        "ratio_thrift_over_local": ratio_series(thrift_s, local_s).summary(),
    }


def summarize(
    samples: Samples,
    scales: Sequence[int],
    increment: float,
    increment_orders: int,
    observed: Observed,
) -> dict[str, Any]:
    """Every figure of results.json that comes from the samples."""
    smallest, largest = scales[0], scales[-1]
    results = {
        **full_builds(samples, scales, observed),
        **incremental(samples, largest, increment, increment_orders, observed),
    }
    if len(scales) > 1:
        results["p3"] = history(samples, scales, increment_orders)
    if f"{smallest:,}: thrift full build" in samples:
        results["thrift_vs_local"] = thrift_vs_local(samples, smallest)
    return results
