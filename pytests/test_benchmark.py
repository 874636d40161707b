"""The benchmark command: its arithmetic, its report, and its quick mode end to end.

No timing is asserted anywhere: the machine is shared, and the numbers are the report's job.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse import cli
from lakehouse.bench import cost_model, pins, report, results, steps
from lakehouse.bench.measure import Sample, Series, ratio_series
from lakehouse.bench.runners import Lakehouse
from support.engine_target import EMBEDDED

GOLD = {"gold_daily_sales", "gold_customer_lifetime_value", "gold_orders_by_customer"}


def test_ratios_pair_the_interleaved_repetitions() -> None:
    ratios = ratio_series([10.0, 30.0, 20.0], [5.0, 10.0, 20.0])
    assert ratios.samples == [2.0, 3.0, 1.0]
    assert ratios.summary() == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3}
    with pytest.raises(ValueError):
        ratio_series([1.0], [1.0, 2.0])


def test_interleave_alternates_the_steps() -> None:
    order: list[str] = []

    def step(name: str) -> Callable[[], Sample]:
        def run() -> Sample:
            order.append(name)
            return Sample(float(len(order)))

        return run

    samples = steps.interleave(3, {"a": step("a"), "b": step("b")}, lambda _: None)
    assert order == ["a", "b", "a", "b", "a", "b"]
    assert [s.seconds for s in samples["b"]] == [2.0, 4.0, 6.0]


def _node(unique_id: str, seconds: float) -> dict:
    return {"unique_id": unique_id, "execution_time": seconds, "timing": []}


def test_where_time_goes_splits_a_build() -> None:
    run_results = {
        "elapsed_time": 50.0,
        "results": [
            _node("model.p.bronze_orders", 20.0),
            _node("model.p.gold_daily_sales", 5.0),
            _node("test.p.unique_silver_orders_order_id", 15.0),
        ],
    }
    split = results.where_time_goes(Sample(60.0, run_results=run_results))
    assert split == {
        "wall": 60.0,
        "start_up_and_parse": 10.0,
        "models": 25.0,
        "data_tests": 15.0,
        "introspection_and_hooks": 10.0,
    }
    assert results.engine_seconds(run_results) == 40.0


def test_the_cost_estimate_follows_its_formula() -> None:
    prices = cost_model.PriceAssumptions(
        usd_per_dbu=0.5, dbu_per_hour=4.0, idle_tail_seconds=600.0, speed_factors=(1.0, 0.5)
    )
    full, half = cost_model.estimate(3600.0, prices)
    assert full["marginal_dbus"] == 4.0 and full["marginal_usd"] == 2.0
    assert full["dedicated_dbus"] == pytest.approx(4.0 + 4.0 / 6, abs=1e-4)
    assert half["work_seconds"] == 1800.0 and half["marginal_usd"] == 1.0
    section = cost_model.cost_per_run(36.0, 360.0, 1_000, prices)
    assert section["label"].startswith("ESTIMATE")
    daily = section["daily_incremental"]["by_speed_factor"][0]["dedicated_usd"]
    assert section["thirty_daily_runs_dedicated_usd"][0] == round(daily * 30, 2)


def _landed_batches(lakehouse: Lakehouse) -> int:
    return len(list(lakehouse.landing.glob("orders/batch=*")))


def _fake_build(seconds: float) -> Sample:
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
    gold = {**_node("model.p.gold_daily_sales", 1.0)}
    gold["timing"] = [{"name": "execute", "started_at": now, "completed_at": now}]
    run_results = {
        "elapsed_time": seconds - 1.0,
        "results": [_node("model.p.bronze_orders", seconds / 2), gold, _node("test.p.t", 1.0)],
    }
    return Sample(seconds, 100.0, run_results)


class StandInRunner:
    """Runs nothing: records what each step would read from the landing."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, int, list[str]]] = []

    def _see(self, step: str, lakehouse: Lakehouse) -> None:
        extracts = sorted(p.parts[-3] for p in lakehouse.landing.glob("customers/**/*.parquet"))
        self.seen.append((step, lakehouse.root.name, _landed_batches(lakehouse), extracts))

    def fresh_build(self, lakehouse: Lakehouse) -> Sample:
        self._see("full build", lakehouse)
        return _fake_build(100.0)

    def dbt(self, lakehouse: Lakehouse, *args: str) -> Sample:
        assert args == ("build",)
        self._see("build", lakehouse)
        return _fake_build(10.0)

    def pyspark_job(self, lakehouse: Lakehouse) -> Sample:
        self._see("pyspark job", lakehouse)
        return Sample(50.0)


def test_each_repetition_starts_from_the_same_history(tmp_path: Path) -> None:
    """Real landing and the real DuckDB baseline, a stand-in for dbt and the PySpark job: each
    repetition's full build and baselines see only the base history (the previous repetition's
    batch taken back, the base's customer extract back), the incremental build one batch more,
    and the no-op build the same again."""
    runner = StandInRunner()
    plan = steps.Plan(scales=[100, 300], repeats=2, thrift=False)
    planned = steps.schedule(plan, tmp_path, lambda _: None, runner=runner)
    assert list(planned.steps) == [
        "100: full build",
        "100: pyspark job",
        "100: duckdb",
        "100: incremental build",
        "300: full build",
        "300: pyspark job",
        "300: duckdb",
        "300: incremental build",
        "300: no-op build",
    ]
    samples = steps.interleave(plan.repeats, planned.steps, lambda _: None)
    assert all(len(runs) == 2 for runs in samples.values())
    base = ["delivery=0000"]
    per_repetition = [
        ("full build", "lakehouse_100", 1, base),
        ("pyspark job", "lakehouse_100", 1, base),
        ("build", "lakehouse_100", 2, ["delivery=0001"]),
        ("full build", "lakehouse_300", 1, base),
        ("pyspark job", "lakehouse_300", 1, base),
        ("build", "lakehouse_300", 2, ["delivery=0001"]),  # the batch of 3 orders (1%)
        ("build", "lakehouse_300", 2, ["delivery=0001"]),  # nothing new
    ]
    assert runner.seen == per_repetition * 2
    duckdb_rows = planned.per_scale[300].duck_layers[-1]["bronze_orders"]["rows"]
    assert duckdb_rows == 300, "DuckDB read the base history"
    assert len(planned.per_scale[300].latencies) == 2


def _samples() -> dict[str, list[Sample]]:
    """Two repetitions at three scales: the full build takes 100 s, then 200 s; the PySpark
    job half of it; the batch's incremental build 10 s per repetition plus a second per 100
    orders of history; a build with nothing new 5 s; thrift a quarter of the local build."""
    samples: dict[str, list[Sample]] = {}
    for scale in (100, 200, 300):
        samples[f"{scale:,}: full build"] = [_fake_build(100.0), _fake_build(200.0)]
        if scale in (100, 300):
            samples[f"{scale:,}: pyspark job"] = [Sample(50.0), Sample(100.0)]
            samples[f"{scale:,}: duckdb"] = [Sample(10.0), Sample(10.0)]
        samples[f"{scale:,}: incremental build"] = [
            _fake_build(10.0 * rep + scale / 100) for rep in (1, 2)
        ]
    samples["300: no-op build"] = [_fake_build(5.0), _fake_build(5.0)]
    samples["100: thrift full build"] = [_fake_build(25.0), _fake_build(50.0)]
    return samples


def test_results_pair_each_step_with_the_same_repetitions_full_build(tmp_path: Path) -> None:
    manifest = {
        "nodes": {
            "model.p.bronze_orders": {
                "resource_type": "model",
                "name": "bronze_orders",
                "fqn": ["p", "bronze", "bronze_orders"],
                "config": {"tags": ["bronze"]},
            },
            "model.p.gold_daily_sales": {
                "resource_type": "model",
                "name": "gold_daily_sales",
                "fqn": ["p", "gold", "gold_daily_sales"],
                "config": {"tags": ["gold"]},
            },
        }
    }
    observed = results.Observed(
        duckdb_layer_seconds={300: {"bronze_orders": {"seconds": 1.0, "rows": 300}}},
        latencies=[3.0, 4.0],
        layers=results.layers_from_manifest(manifest),
    )
    figures = results.summarize(_samples(), [100, 200, 300], 0.01, 3, observed)

    # P1 and P4 at the smallest and largest scales; the full build alone in between
    assert set(figures["p1"]) == {"100", "300"} and set(figures["full_builds"]) == {"200"}
    assert figures["p1"]["300"]["ratio_build"]["median"] == 2.0
    assert figures["scaling"] == {"100": 150.0, "200": 150.0, "300": 150.0}
    # throughput per layer, the layers from the manifest (bronze 100 s of 200 s: half)
    assert figures["throughput_rows_per_minute"]["300"]["bronze"] == round(300 / 100 * 60)
    assert figures["throughput_rows_per_minute"]["300"]["gold"] == round(300 / 1 * 60)
    # P2: the 3-order batch's build vs the full build of the same repetition (13/100, 23/200)
    assert figures["p2"]["increment_orders"] == 3
    assert figures["p2"]["ratio"] == Series([13 / 100, 23 / 200]).summary()
    assert figures["p2"]["noop_seconds"]["median"] == 5.0
    assert figures["p2"]["noop_ratio"] == Series([5 / 100, 5 / 200]).summary()
    assert figures["latency_seconds"]["median"] == 3.5
    # P3: that batch after 300 vs after 100 orders of history (13/11, 23/21)
    assert figures["p3"]["ratio_largest_vs_smallest"] == Series([13 / 11, 23 / 21]).summary()
    assert set(figures["p3"]["ratio_vs_smallest"]) == {"200", "300"}
    # thrift vs local: each build paired with the local one of its repetition
    assert figures["thrift_vs_local"]["ratio_thrift_over_local"] == Series([0.25, 0.25]).summary()
    # the profile: the job runs no tests (the fake build's one test takes 1 s)
    assert (
        figures["p1"]["300"]["ratio_build_without_tests"] == Series([99 / 50, 199 / 100]).summary()
    )

    figures |= {
        "machine": {"cpus": 2, "memory_gib": 24, "platform": "x", "python": "3.11"},
        "plan": {"scales": [100, 200, 300], "repeats": 2, "quick": False},
        "started_at": "t0",
        "finished_at": "t1",
    }
    out = tmp_path / "report"
    report.write(figures, out)
    markdown = (out / "report.md").read_text()
    assert "| full build, 200 orders |" in markdown
    assert "- after 200 orders of history: " in markdown
    assert "## The profile behind the ratios" in markdown
    assert json.loads((out / "results.json").read_text())["p2_incremental_ratio"] == round(
        (13 / 100 + 23 / 200) / 2, 3
    )


@pytest.mark.e2e
@pytest.mark.run_last
@pytest.mark.skipif(not EMBEDDED, reason="quick mode runs in one process on the embedded engine")
def test_quick_mode_writes_the_report_results_and_plots(
    spark: SparkSession, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    argv = ["benchmark", "--quick", "--workdir", str(tmp_path / "work"), "--out", str(out)]
    assert cli.main(argv) == 0

    results = json.loads((out / "results.json").read_text())
    for key in ("p1_overhead_ratio", "p2_incremental_ratio", "p4_duckdb_ratio"):
        assert results[key] > 0, key
    assert results["p3_history_ratio"] is None  # one scale: no history to compare
    assert results["noop_ratio"] is None  # quick mode: no no-op build
    assert results["plan"] == {"scales": [2_000], "repeats": 1, "quick": True}
    p1 = results["p1"]["2000"]
    assert set(p1["duckdb_layer_seconds"]) >= {"bronze_orders", "silver_orders", *GOLD}
    assert p1["duckdb_layer_seconds"]["bronze_orders"]["rows"] == 2_000
    assert results["cost"]["label"].startswith("ESTIMATE")
    assert results["p2"]["increment_orders"] == 20

    report = (out / "report.md").read_text()
    for heading in ("## Targets", "## P1", "## P2", "## P4", "## Where the time goes", "## Cost"):
        assert heading in report, heading
    assert "numbers not meaningful" in report
    for image in ("scaling.png", "model_breakdown.png", "incremental.png"):
        assert (out / image).read_bytes().startswith(b"\x89PNG"), image
        assert f"]({image})" in report

    # the dbt side really built the pipeline, in its own schema of the suite's engine
    assert spark.table("benchmark.gold_daily_sales").count() > 0


def test_the_report_marks_unmeasured_and_missed_targets() -> None:
    figures = {
        "machine": {"cpus": 2, "memory_gib": 24, "platform": "x", "python": "3.11"},
        "plan": {"scales": [10], "repeats": 3, "quick": False},
        "started_at": "t0",
        "finished_at": "t1",
        "p1": {
            "10": {
                "dbt_build_seconds": Series([3.0]).summary(),
                "pyspark_job_seconds": Series([2.0]).summary(),
                "ratio_build": Series([1.5]).summary(),
                "dbt_model_seconds": Series([1.0]).summary(),
                "duckdb_seconds": Series([0.5]).summary(),
                "ratio_models_over_duckdb": Series([2.0]).summary(),
                "duckdb_layer_seconds": {"silver_orders_checked": {"seconds": 0.1, "rows": 1}},
                "model_seconds": {"silver_orders": 1.0},
                "where_time_goes": results.where_time_goes(Sample(3.0, run_results={})),
            }
        },
        "p4": {"ratio": Series([2.0]).summary()},
        "throughput_rows_per_minute": {"10": {"silver": 600, "pipeline": 200}},
        "peak_memory_mb": {"10": 100.0},
    }
    markdown = report.markdown(figures, [])
    assert "| `p1_overhead_ratio` | ≤ 1.25 | 1.50 | no |" in markdown
    assert "| `p4_duckdb_ratio` | ≤ 4.0 | 2.00 | yes |" in markdown
    assert "| `p2_incremental_ratio` | ≤ 0.1 | not measured | |" in markdown
    assert "| `noop_ratio` | ≤ 0.1 | not measured | |" in markdown
    assert "Missed: `p1_overhead_ratio`. Why, with the profile below" in markdown
    assert "| silver_orders_checked | view | 0.1 |" in markdown


def test_two_checkouts_are_compared_per_repetition() -> None:
    samples = {
        "other: full build": [100.0, 120.0],
        "this: full build": [80.0, 60.0],
        "other: incremental build": [50.0, 40.0],
        "this: incremental build": [50.0, 20.0],
        "other: pyspark job": [10.0, 10.0],
        "this: pyspark job": [5.0, 8.0],
    }
    compared = pins.compare(samples, "this", "other")
    assert set(compared) == set(pins.STEPS)
    full = compared["full build"]
    assert full["ratio_this_over_other"] == {"median": 0.65, "min": 0.5, "max": 0.8, "n": 2}
    assert full["other_seconds"]["median"] == 110.0
    assert compared["incremental build"]["ratio_this_over_other"]["max"] == 1.0
    assert compared["pyspark job"]["ratio_this_over_other"]["min"] == 0.5
