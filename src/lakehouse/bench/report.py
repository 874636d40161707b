"""Turn a benchmark result (results.json) into report.md and PNG plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

TARGETS = {"p1": 1.25, "p2": 0.10, "p3": 1.2, "p4": 4.0, "noop": 0.10}


def _fmt(summary: dict[str, float] | None, unit: str = "") -> str:
    if not summary:
        return "not measured"
    return f"{summary['median']:.2f}{unit} (min {summary['min']:.2f}, max {summary['max']:.2f}, n={summary['n']})"


def headline(results: dict[str, Any]) -> dict[str, float | None]:
    """The target ratios (medians), as results.json carries them at top level."""
    largest = str(results["plan"]["scales"][-1])
    p1 = results["p1"].get(largest, {}).get("ratio_build")
    return {
        "p1_overhead_ratio": p1["median"] if p1 else None,
        "p2_incremental_ratio": results.get("p2", {}).get("ratio", {}).get("median"),
        "p3_history_ratio": results.get("p3", {})
        .get("ratio_largest_vs_smallest", {})
        .get("median"),
        "p4_duckdb_ratio": results.get("p4", {}).get("ratio", {}).get("median"),
        "noop_ratio": (results.get("p2", {}).get("noop_ratio") or {}).get("median"),
    }


def plots(results: dict[str, Any], out: Path) -> list[str]:
    made = []
    scales = [int(s) for s in results["scaling"]]
    if scales:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(scales, list(results["scaling"].values()), marker="o", label="dbt build")
        # the baselines run at the smallest and largest scales only
        compared = [int(s) for s in results["p1"]]
        jobs = [results["p1"][str(s)]["pyspark_job_seconds"]["median"] for s in compared]
        ax.plot(compared, jobs, marker="s", label="hand-written PySpark job")
        ducks = [results["p1"][str(s)]["duckdb_seconds"]["median"] for s in compared]
        ax.plot(compared, ducks, marker="^", label="DuckDB, same layers")
        ax.set_xticks(scales, [f"{s:,}" for s in scales])  # the measured scales, not 1e7
        ax.set_xlabel("orders")
        ax.set_ylabel("seconds (median)")
        ax.set_title("Full build time by scale")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "scaling.png", dpi=100)
        plt.close(fig)
        made.append("scaling.png")

        largest = str(scales[-1])
        per_model = results["p1"][largest]["model_seconds"]
        names = sorted(per_model, key=per_model.get)
        fig, ax = plt.subplots(figsize=(7, 5))
        ax.barh(names, [per_model[n] for n in names])
        ax.set_xlabel("seconds")
        ax.set_title(f"Where a full build's time goes ({int(largest):,} orders)")
        fig.tight_layout()
        fig.savefig(out / "model_breakdown.png", dpi=100)
        plt.close(fig)
        made.append("model_breakdown.png")
    if "p2" in results:
        p2 = results["p2"]
        labels = ["full build", "incremental (1%)", "no-op"]
        values = [p2["full_seconds"]["median"], p2["incremental_seconds"]["median"],
                  (p2["noop_seconds"] or {}).get("median", 0.0)]  # fmt: skip
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.bar(labels, values)
        ax.set_ylabel("seconds (median)")
        ax.set_title(f"Incremental cost at {p2['scale']:,} orders")
        fig.tight_layout()
        fig.savefig(out / "incremental.png", dpi=100)
        plt.close(fig)
        made.append("incremental.png")
    return made


def markdown(results: dict[str, Any], images: list[str]) -> str:
    lines = _header(results) + _targets(results) + _p1(results) + _p4(results)
    lines += _p2(results) + _p3(results) + _where_time_goes(results) + _profile(results)
    lines += _thrift(results)
    if "cost" in results:
        lines += cost_section(results["cost"])
    lines += _throughput(results)
    lines += ["", "## Plots", ""] + [f"![{name}]({name})" for name in images]
    notes = results.get("notes")
    if notes:
        lines += ["", "## Notes", "", notes]
    return "\n".join(lines) + "\n"


def _header(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    return [
        "# Benchmarks",
        "",
        f"Measured by `lakehouse benchmark` from {results['started_at']} to "
        f"{results['finished_at']} on {m['cpus']} cores, {m['memory_gib']} GiB "
        f"({m['platform']}, Python {m['python']}); target `local` unless said. Every comparison "
        "was interleaved in one run (A B A B …); medians with min and max. "
        + (
            "Quick mode: every step ran in one process on one Spark session (the JVM started once)."
            if results["plan"]["quick"]
            else "Each dbt invocation and the PySpark job is its own process and pays its JVM "
            "start, as a scheduled run does."
        ),
        "",
        f"Scales: {', '.join(f'{s:,}' for s in results['plan']['scales'])} orders; "
        f"{results['plan']['repeats']} repetitions."
        + (
            " **Quick mode: small scale, numbers not meaningful.**"
            if results["plan"]["quick"]
            else ""
        ),
    ]


def _targets(results: dict[str, Any]) -> list[str]:
    ratios = headline(results)
    lines = [
        "",
        "## Targets",
        "",
        "| ratio | target | measured (median) | met |",
        "|---|---|---|---|",
    ]
    for key, target in zip(ratios, TARGETS.values(), strict=True):
        value = ratios[key]
        lines.append(
            f"| `{key}` | ≤ {target} | {value:.2f} | {'yes' if value <= target else 'no'} |"
            if value is not None
            else f"| `{key}` | ≤ {target} | not measured | |"
        )
    missed = [key for key, target in zip(ratios, TARGETS.values(), strict=True)
              if (value := ratios[key]) is not None and value > target]  # fmt: skip
    if missed:
        lines += [
            "",
            f"Missed: {', '.join(f'`{key}`' for key in missed)}. Why, with the profile below, "
            "and what would close each: `docs/benchmarks/analysis.md`, which reads this report.",
        ]
    return lines


def _p1(results: dict[str, Any]) -> list[str]:
    lines = ["", "## P1 — dbt overhead (full build vs a hand-written PySpark job)", ""]
    lines += ["| orders | dbt build s | PySpark job s | build / job |", "|---|---|---|---|"]
    for scale, p1 in results["p1"].items():
        lines.append(
            f"| {int(scale):,} | {_fmt(p1['dbt_build_seconds'])} "
            f"| {_fmt(p1['pyspark_job_seconds'])} | {_fmt(p1['ratio_build'])} |"
        )
    return lines


def _p4(results: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "## P4 — engine bound (the layers in DuckDB vs the pipeline without JVM start-up)",
        "",
        "The pipeline's side is the sum of its model nodes' execution times in the full build "
        "(dbt's run_results: no JVM start, no dbt start-up or parse, no data tests); DuckDB's "
        "side is its whole process (`python -m lakehouse.bench.duckdb_pipeline`), writing every layer "
        "as Parquet.",
        "",
        "| orders | pipeline models s | DuckDB s | pipeline / DuckDB |",
        "|---|---|---|---|",
    ]
    for scale, p1 in results["p1"].items():
        lines.append(
            f"| {int(scale):,} | {_fmt(p1['dbt_model_seconds'])} | {_fmt(p1['duckdb_seconds'])} "
            f"| {_fmt(p1['ratio_models_over_duckdb'])} |"
        )
    largest = str(results["plan"]["scales"][-1])
    p1 = results["p1"][largest]
    lines += ["", f"By layer at {int(largest):,} orders (one repetition):", "",
              "| layer | dbt model s | DuckDB s |", "|---|---|---|"]  # fmt: skip
    for layer, duck in p1["duckdb_layer_seconds"].items():
        model = p1["model_seconds"].get(layer)
        lines.append(f"| {layer} | {model if model is not None else 'view'} | {duck['seconds']} |")
    return lines


def _p2(results: dict[str, Any]) -> list[str]:
    if "p2" not in results:
        return []
    p2 = results["p2"]
    return [
        "",
        f"## P2 — incremental cost at {p2['scale']:,} orders",
        "",
        f"- build after landing {p2['increment_orders']:,} new orders: {_fmt(p2['incremental_seconds'], ' s')}",
        f"- full build from an empty lakehouse, same repetitions: {_fmt(p2['full_seconds'], ' s')}",
        f"- no-op build (nothing new): {_fmt(p2['noop_seconds'], ' s')}",
        f"- incremental / full: **{_fmt(p2['ratio'])}**",
        f"- latency from landing a file to its rows in gold (a build started at once): "
        f"{_fmt(results.get('latency_seconds'), ' s')}",
        "",
        f"Per-model seconds of one incremental build: {_by_seconds(p2['incremental_model_seconds'])}",
    ]


def _p3(results: dict[str, Any]) -> list[str]:
    if "p3" not in results:
        return []
    p3 = results["p3"]
    lines = ["", f"## P3 — history independence ({p3['increment_orders']:,} new orders)", ""]
    lines += [
        "The same batch is landed and built after each scale's history, in every repetition.",
        "",
    ]
    ratios = p3.get("ratio_vs_smallest", {})
    for scale, summary in p3["seconds"].items():
        ratio = f"; / smallest: {_fmt(ratios[scale])}" if scale in ratios else ""
        lines.append(f"- after {int(scale):,} orders of history: {_fmt(summary, ' s')}{ratio}")
    lines.append(f"- largest / smallest history: **{_fmt(p3['ratio_largest_vs_smallest'])}**")
    return lines


def _where_time_goes(results: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "## Where the time goes",
        "",
        "One invocation each (the last repetition): wall time, of which start-up and parse "
        "(process and JVM start, dbt's parse; outside dbt's own clock), model nodes, data-test "
        "nodes, and the rest of dbt's run (adapter introspection, the on-run-end hook).",
        "",
        "| invocation | wall s | start-up + parse s | models s | data tests s | introspection + hooks s |",
        "|---|---|---|---|---|---|",
    ]
    full_builds = {**results["p1"], **results.get("full_builds", {})}
    rows = [
        (f"full build, {int(k):,} orders", full_builds[k]["where_time_goes"])
        for k in sorted(full_builds, key=int)
    ]
    rows += [(f"{k}, {results['p2']['scale']:,} orders", v)
             for k, v in results.get("p2", {}).get("where_time_goes", {}).items()
             if k != "full build"]  # fmt: skip
    for name, split in rows:
        lines.append(
            f"| {name} | {split['wall']} | {split['start_up_and_parse']} | {split['models']} "
            f"| {split['data_tests']} | {split['introspection_and_hooks']} |"
        )
    if "spark_start_seconds" in results:
        lines += ["", f"Starting Spark with Delta alone (a Python process that creates the session "
                  f"and stops): {results['spark_start_seconds']} s."]  # fmt: skip
    largest = str(results["plan"]["scales"][-1])
    per_model = results["p1"][largest]["model_seconds"]
    lines += ["", f"Per-model seconds of the full build at {int(largest):,} orders: "
              f"{_by_seconds(per_model)}"]  # fmt: skip
    return lines


def _by_seconds(seconds: dict[str, float]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(seconds.items(), key=lambda kv: -kv[1]))


def _profile(results: dict[str, Any]) -> list[str]:
    """What the ratios are made of: the figures behind a missed target."""
    scales = [str(s) for s in results["plan"]["scales"]]
    smallest, largest = scales[0], scales[-1]
    lines = []
    p1 = results["p1"].get(largest, {})
    if "data_test_seconds" in p1:
        lines.append(
            f"- **P1** at {int(largest):,} orders: the full build's data tests take "
            f"{_fmt(p1['data_test_seconds'], ' s')}; the PySpark job runs none. Without them, "
            f"build / job is {_fmt(p1['ratio_build_without_tests'])}. The slowest tests "
            f"(median s): {_by_seconds(p1['slowest_tests'])}."
        )
    p2 = results.get("p2") or {}
    if p2.get("noop_model_seconds"):
        lines.append(
            f"- **P2**: a build with nothing new takes {_fmt(p2['noop_seconds'], ' s')}: the "
            "floor an incremental build pays before its batch's own work. Its models (median "
            f"s): {_by_seconds(p2['noop_model_seconds'])}."
        )
    p3 = results.get("p3") or {}
    if "data_test_seconds" in p3:
        small, large = p3["model_seconds"][smallest], p3["model_seconds"][largest]
        growth = {m: round(large[m] - small.get(m, 0.0), 2) for m in large}
        lines.append(
            f"- **P3**: from {int(smallest):,} to {int(largest):,} orders of history, the same "
            f"batch's build grows by model (median s): {_by_seconds(growth)}. Its data tests "
            f"take {_fmt(p3['data_test_seconds'][smallest], ' s')} after {int(smallest):,} and "
            f"{_fmt(p3['data_test_seconds'][largest], ' s')} after {int(largest):,}."
        )
    return ["", "## The profile behind the ratios", "", *lines] if lines else []


def _thrift(results: dict[str, Any]) -> list[str]:
    if "thrift_vs_local" not in results:
        return []
    tvl = results["thrift_vs_local"]
    return [
        "",
        f"## Thrift vs local ({tvl['scale']:,} orders, full build from an empty lakehouse)",
        "",
        f"- local: {_fmt(tvl['local_seconds'], ' s')}; thrift: {_fmt(tvl['thrift_seconds'], ' s')}",
        f"- thrift / local: **{_fmt(tvl['ratio_thrift_over_local'])}**",
    ]


def _throughput(results: dict[str, Any]) -> list[str]:
    lines = ["", "## Throughput and memory", "",
             "| orders | rows/min by layer (model time) | whole pipeline rows/min (wall) | peak RSS MB |",
             "|---|---|---|---|"]  # fmt: skip
    for scale, layers in results["throughput_rows_per_minute"].items():
        by_layer = ", ".join(f"{k} {v:,}" for k, v in layers.items() if k != "pipeline")
        lines.append(
            f"| {int(scale):,} | {by_layer} | {layers['pipeline']:,} | "
            f"{results['peak_memory_mb'][scale]:,.0f} |"
        )
    return lines


def cost_section(cost: dict[str, Any]) -> list[str]:
    a = cost["assumptions"]
    lines = [
        "",
        f"## Cost per pipeline run on Databricks — {cost['label']}",
        "",
        f"SKU: {a['sku']}, ${a['usd_per_dbu']:.2f} per DBU ({a['price_source']}). Warehouse "
        f"{a['warehouse_size']} at {a['dbu_per_hour']:g} DBU/h. Work = the node execution "
        f"seconds measured here at {cost['scale']:,} orders * a speed factor (how long the "
        "warehouse needs for one second of this 2-core machine's work; 1.0 is pessimistic). "
        "Marginal = the warehouse runs anyway; dedicated = it starts for this run and bills "
        f"{a['idle_tail_seconds'] / 60:g} idle minutes until it auto-stops. Model: "
        "`src/lakehouse/bench/cost_model.py`.",
        "",
        "| run | measured work s | speed factor | DBUs marginal | $ marginal | DBUs dedicated | $ dedicated |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, key in (("daily incremental (1% new)", "daily_incremental"),
                      ("full refresh", "full_refresh")):  # fmt: skip
        run = cost[key]
        for row in run["by_speed_factor"]:
            lines.append(
                f"| {name} | {run['engine_seconds']} | {row['speed_factor']} "
                f"| {row['marginal_dbus']} | {row['marginal_usd']} "
                f"| {row['dedicated_dbus']} | {row['dedicated_usd']} |"
            )
    month = ", ".join(f"${v}" for v in cost["thirty_daily_runs_dedicated_usd"])
    lines += ["", f"Thirty daily incremental runs on a dedicated warehouse: {month} "
              "(by speed factor, as above)."]  # fmt: skip
    return lines


def write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    images = plots(results, out)
    payload = {**headline(results), **results}
    (out / "results.json").write_text(json.dumps(payload, indent=2) + "\n")
    (out / "report.md").write_text(markdown(results, images))
