"""customers_history (SCD type 2, a dbt snapshot) end to end: the generator's customer
deliveries (moves between regions and segments, new customers, customers who leave, an
identical re-delivery), compared after every run with an independent computation; and the
point-in-time enrichment of orders placed between two runs."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.expected_history import ATTRIBUTES, Version, expected_history, landed_extract

pytestmark = pytest.mark.e2e

CUSTOMERS = 150
END_OF_TIME = datetime(9999, 12, 31)
# what the history and the point-in-time analysis read: the snapshot, silver_orders, their parents
SELECTED = ("+customers_history", "+silver_orders")


@dataclass
class Run:
    started: datetime
    finished: datetime
    extract: dict[int, tuple]
    history: list  # the snapshot's rows after the run


@dataclass
class Scenario:
    project: DbtProject
    runs: list[Run]
    mover: int  # a customer whose attributes changed in delivery 1
    point_in_time: dict[int, tuple]  # order_id -> (region, segment, history_status)
    placed_between: int  # order placed after run 0's snapshot, before run 1's
    placed_after: int  # order placed after run 1's snapshot


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _land_order(landing_root: Path, order_id: int, customer_id: int) -> None:
    """One hand-written order, placed now (the generator's orders are dated years earlier)."""
    path = landing_root / "orders" / "handwritten" / f"order-{order_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "order_id": order_id,
        "customer_id": customer_id,
        "amount": "10.00",
        "status": "completed",
        "order_date": _now().strftime("%Y-%m-%d %H:%M:%S"),
    }
    path.write_text(json.dumps(line) + "\n")


@pytest.fixture(scope="module")
def scenario(new_project: Callable[[str], DbtProject], spark: SparkSession) -> Scenario:
    project = new_project("customers_history")
    history_table = project.table("customers_history")
    runs: list[Run] = []

    def build() -> None:
        started = _now()
        project.build("--select", *SELECTED)
        rows = spark.table(history_table).collect()
        runs.append(Run(started, _now(), landed_extract(project.landing_root), rows))

    generate.land(project.landing_root, 0, 1, 500, customers=CUSTOMERS)
    build()
    first = {row.customer_id: row for row in runs[0].history}
    truth = generate.write_customer_delivery(
        project.landing_root, generate.DEFAULT_SEED, CUSTOMERS, 1
    )
    mover = min(truth["updated"])
    placed_between, placed_after = 9_000_000_001, 9_000_000_002
    _land_order(project.landing_root, placed_between, mover)
    generate.land(project.landing_root, 1, 1, 500, customers=CUSTOMERS)  # delivery 1 again
    build()
    _land_order(project.landing_root, placed_after, mover)
    generate.write_customer_delivery(project.landing_root, generate.DEFAULT_SEED, CUSTOMERS, 2)
    build()
    # an identical re-delivery: the same extract written again as a new file
    generate.write_customer_delivery(project.landing_root, generate.DEFAULT_SEED, CUSTOMERS, 2)
    build()

    project.invoke("compile", "--select", "customer_at_order_time")
    compiled = next((project.state_dir / "target").rglob("customer_at_order_time.sql"))
    point_in_time = {
        row.order_id: (row.region, row.customer_segment, row.history_status)
        for row in spark.sql(compiled.read_text()).collect()
    }
    assert first[mover].dbt_valid_to == END_OF_TIME
    return Scenario(project, runs, mover, point_in_time, placed_between, placed_after)


def _run_of(moment: datetime, runs: list[Run]) -> int:
    matches = [i for i, run in enumerate(runs) if run.started <= moment <= run.finished]
    assert len(matches) == 1, f"{moment} falls in no run (or in several)"
    return matches[0]


def _observed(rows: list, runs: list[Run]) -> dict[int, list[Version]]:
    history: dict[int, list] = {}
    for row in sorted(rows, key=lambda row: (row.customer_id, row.dbt_valid_from)):
        history.setdefault(row.customer_id, []).append(row)
    observed = {}
    for customer_id, versions in history.items():
        for earlier, later in itertools.pairwise(versions):
            assert earlier.dbt_valid_to == later.dbt_valid_from, f"gap or overlap: {customer_id}"
        assert versions[-1].dbt_valid_to == END_OF_TIME, f"no open version: {customer_id}"
        observed[customer_id] = [
            Version(
                _run_of(row.dbt_valid_from, runs),
                tuple(row[name] for name in ATTRIBUTES),
                str(row.dbt_is_deleted).lower() == "true",
            )
            for row in versions
        ]
    return observed


def test_history_matches_an_independent_computation_after_every_run(scenario: Scenario) -> None:
    runs = scenario.runs
    for index, run in enumerate(runs):
        expected = expected_history([earlier.extract for earlier in runs[: index + 1]])
        assert _observed(run.history, runs) == expected, f"after run {index}"
    final = expected_history([run.extract for run in runs])
    versions = [v for customer in final.values() for v in customer]
    assert any(v.deleted for v in versions), "customers who left are covered"
    assert any(v.run > 0 and not v.deleted for v in versions), "changes and new customers"
    assert len(final[scenario.mover]) >= 2


def test_an_identical_delivery_adds_no_version(scenario: Scenario) -> None:
    runs = scenario.runs
    assert runs[3].extract == runs[2].extract
    assert sorted(map(tuple, runs[3].history)) == sorted(map(tuple, runs[2].history))


def test_orders_are_enriched_with_the_version_of_their_time(scenario: Scenario) -> None:
    runs = scenario.runs
    region, segment = ATTRIBUTES.index("region"), ATTRIBUTES.index("customer_segment")
    before, after = runs[0].extract[scenario.mover], runs[1].extract[scenario.mover]
    assert before != after
    between = scenario.point_in_time[scenario.placed_between]
    assert between == (before[region], before[segment], "in_history")
    later = scenario.point_in_time[scenario.placed_after]
    assert later == (after[region], after[segment], "in_history")
    # the generator's orders are dated before the first snapshot ran
    statuses = {status for _, _, status in scenario.point_in_time.values()}
    assert "before_history" in statuses
