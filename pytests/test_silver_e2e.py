"""Silver end to end: expectations, quarantine, metrics and customers after several runs,
compared with an independent computation over the landed files and the generator's truth.

One scenario (the module's fixture) lands and runs every step and keeps what it observed; each
test asserts on it, so any test runs alone (`pytest -k`)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal

import pytest
from dbt_common.events.base_types import EventMsg
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.expected_silver import Order, expected_silver, landed_orders, silver_values

pytestmark = pytest.mark.e2e

ORDERS_PER_BATCH = 3_000
CUSTOMERS = 400


def _land(project: DbtProject, batch: int, **options: int) -> None:
    generate.land(project.landing_root, batch, 1, ORDERS_PER_BATCH, customers=CUSTOMERS, **options)


def _silver(spark: SparkSession, project: DbtProject) -> dict[int, tuple]:
    rows = spark.table(project.table("silver_orders")).collect()
    return {row.order_id: silver_values(row) for row in rows}


def _version(spark: SparkSession, table: str) -> int:
    return spark.sql(f"describe history {table} limit 1").first().version


@dataclass
class SilverState:
    """silver_orders and quarantine_orders at one point, with what the landed files say."""

    silver: dict[int, tuple]
    expected: dict[int, tuple]
    quarantine: list[tuple[tuple[str, int], list[str]]]
    expected_quarantine: dict[tuple[str, int], list[str]]


def _state(
    spark: SparkSession, project: DbtProject, extra_orders: list[Order] | None = None
) -> tuple[SilverState, list[Order]]:
    orders = landed_orders(project.landing_root)
    quarantined = orders + (extra_orders or [])
    rows = spark.table(project.table("quarantine_orders")).collect()
    state = SilverState(
        silver=_silver(spark, project),
        expected={key: order.values for key, order in expected_silver(orders).items()},
        quarantine=[
            ((r.source_file, r.source_line_number), sorted(r.failed_expectations)) for r in rows
        ],
        expected_quarantine={
            (o.source_file, o.line_number): sorted(o.dropped_by)
            for o in quarantined
            if o.dropped_by
        },
    )
    return state, orders


def _assert_matches_landing(state: SilverState) -> None:
    assert state.silver.keys() == state.expected.keys()
    assert state.silver == state.expected
    actual = dict(state.quarantine)
    assert len(state.quarantine) == len(actual), "each quarantined line exactly once"
    assert actual == state.expected_quarantine


@dataclass
class BatchRun:
    state: SilverState
    new: list[Order]  # the batch's landed lines, as the oracle reads them
    new_rows: int  # rows bronze gained
    metrics: dict[str, object]  # data_quality_metrics of the run, by expectation
    quarantined_now: int  # quarantine rows of the run
    logged: list[str]  # what the run printed


@dataclass
class SilverRuns:
    batches: list[BatchRun] = field(default_factory=list)
    constraints: dict[str, set[str]] = field(default_factory=dict)
    constraints_added: dict[str, int] = field(default_factory=dict)
    constraints_at_create: dict[str, set[str]] = field(default_factory=dict)
    not_null_test_sql: dict[str, str] = field(default_factory=dict)  # with / without its constraint
    property_reads: dict[str, int] = field(default_factory=dict)  # show tblproperties sent
    outside_writes: list[tuple[str, str]] = field(default_factory=list)  # (error, broken rule)
    versions_around_outside_writes: tuple[int, int] = (0, 0)
    stale: dict[str, object] = field(default_factory=dict)
    failed_run: dict[str, object] = field(default_factory=dict)
    customer_changes: list[tuple[int, str, int]] = field(default_factory=list)
    customer_deliveries: list[dict] = field(default_factory=list)
    changes_after_same_extract: int = 0
    enriched: dict[int, object] = field(default_factory=dict)
    customers: dict[int, object] = field(default_factory=dict)
    silver_keys: set[int] = field(default_factory=set)
    new_status: dict[str, object] = field(default_factory=dict)


def _constraints(spark: SparkSession, table: str) -> dict[str, str]:
    prefix = "delta.constraints."
    rows = spark.sql(f"show tblproperties {table}").collect()
    return {row.key[len(prefix) :]: row.value for row in rows if row.key.startswith(prefix)}


def _run_batches(spark: SparkSession, project: DbtProject, runs: SilverRuns) -> None:
    """Three batches; the expectations act in the models; the last run also runs the data
    tests. After the first, a constraint dbt no longer declares and one of another team's."""
    bronze = project.table("bronze_orders")
    metrics = project.table("data_quality_metrics")
    for batch in range(3):
        _land(project, batch)
        before = spark.table(bronze).count() if batch else 0
        project.build() if batch == 2 else project.run()
        state, orders = _state(spark, project)
        run = spark.sql(
            f"select * from {metrics} where measured_at = (select max(measured_at) from {metrics})"
        ).collect()
        head = run[0]
        runs.batches.append(
            BatchRun(
                state=state,
                new=[
                    o
                    for o in orders
                    if o.source_file.split("/batch=")[1].startswith(f"{batch:04d}")
                ],
                new_rows=spark.table(bronze).count() - before,
                metrics={row.expectation_name: row for row in run},
                quarantined_now=spark.table(project.table("quarantine_orders"))
                .where(f"invocation_id = '{head.invocation_id}'")
                .count(),
                logged=list(project.logged),
            )
        )
        if batch == 0:
            silver = project.table("silver_orders")
            spark.sql(f"alter table {silver} add constraint dbt_retired check (amount < 1e9)")
            spark.sql(f"alter table {silver} add constraint team_rule check (order_id > 0)")


def _write_from_outside(spark: SparkSession, project: DbtProject, runs: SilverRuns) -> None:
    silver = project.table("silver_orders")
    runs.constraints = {
        name: set(_constraints(spark, project.table(name)))
        for name in ("silver_orders", "quarantine_orders")
    }
    history = spark.sql(f"describe history {silver}").collect()
    runs.constraints_added = dict(
        Counter(
            commit.operationParameters["name"]
            for commit in history
            if commit.operation == "ADD CONSTRAINT"
        )
    )
    created = next(commit for commit in reversed(history) if "CREATE" in commit.operation)
    runs.constraints_at_create["silver_orders"] = {
        key.removeprefix("delta.constraints.")
        for key in json.loads(created.operationParameters["properties"])
        if key.startswith("delta.constraints.")
    }
    version = _version(spark, silver)
    for values, broken in [
        ("1, 1, 0.00, 'pending'", "dbt_valid_amount"),
        ("null, 1, 5.00, 'pending'", "dbt_(not_null|valid)_order_id"),
        ("1, 1, 5.00, 'shipped'", "dbt_valid_status"),
    ]:
        try:
            spark.sql(
                f"insert into {silver} (order_id, customer_id, amount, status) values ({values})"
            )
            error = ""
        except Exception as raised:  # the error is what the test reads
            error = str(raised)
        runs.outside_writes.append((error, broken))
    runs.versions_around_outside_writes = (version, _version(spark, silver))


def _not_null_test_with_and_without_its_constraint(
    spark: SparkSession, project: DbtProject, runs: SilverRuns
) -> None:
    """Runs silver_orders' not_null test on order_id alone, three times. Twice while another
    writer commits to the table as the test starts (so the test checks what its run wrote):
    as the table stands, carrying dbt_not_null_order_id, then after that writer dropped the
    constraint. Once more with nothing written, counting the statements that read the table's
    properties. The next run that writes the table adds the constraint back (post-hook)."""
    silver = project.table("silver_orders")
    test = "not_null_silver_orders_order_id"
    for state in ("with", "without", "nothing_written"):
        if state == "without":
            spark.sql(f"alter table {silver} drop constraint dbt_not_null_order_id")
        sent: list[str] = []

        def watch(event: EventMsg, state: str = state, sent: list[str] = sent) -> None:
            if event.info.name == "LogStartLine" and state != "nothing_written":
                # a commit of no rows, inside the test's run: set a property
                spark.sql(f"alter table {silver} set tblproperties ('lakehouse.probe' = '{state}')")
            elif event.info.name == "SQLQuery":
                sent.append(event.data.sql)  # type: ignore[attr-defined]

        result = project.invoke("test", "--select", test, on_event=watch)
        (run,) = [run for run in result.result.results if run.node.resource_type == "test"]
        runs.not_null_test_sql[state] = run.node.compiled_code
        runs.property_reads[state] = sum("tblproperties" in sql.lower() for sql in sent)


def _land_stale_and_redelivered(spark: SparkSession, project: DbtProject, runs: SilverRuns) -> None:
    silver = project.table("silver_orders")
    current = spark.sql(f"select * from {silver} where customer_id is not null limit 2").collect()
    stale, redelivered = current
    late = project.landing_root / "orders" / "late" / "stale.json"
    late.parent.mkdir(parents=True)
    late.write_text(
        json.dumps(
            {
                "order_id": stale.order_id,
                "customer_id": stale.customer_id,
                "amount": "1.00",
                "status": "cancelled",
                "order_date": "2025-01-01 00:00:00",
            }
        )
        + "\n"
        + json.dumps(
            {
                "order_id": redelivered.order_id,
                "customer_id": redelivered.customer_id,
                "amount": str(redelivered.amount),
                "status": redelivered.status,
                "order_date": str(redelivered.order_date),
            }
        )
        + "\n"
    )
    old = stale.source_file_modified_at.replace(tzinfo=UTC).timestamp() - 3600
    os.utime(late, (old, old))
    version = _version(spark, silver)
    project.run("--select", "bronze_orders+")
    after = {
        r.order_id: r
        for r in spark.table(silver)
        .where(f"order_id in ({stale.order_id}, {redelivered.order_id})")
        .collect()
    }
    runs.stale = {
        "stale": stale,
        "redelivered": redelivered,
        "after": after,
        "versions": (version, _version(spark, silver)),
        "state": _state(spark, project)[0],
    }
    late.unlink()


def _fail_then_recover(spark: SparkSession, project: DbtProject, runs: SilverRuns) -> None:
    silver, enriched = project.table("silver_orders"), project.table("silver_orders_enriched")
    metrics = project.table("data_quality_metrics")
    before = (_version(spark, silver), _version(spark, enriched), spark.table(metrics).count())
    _land(project, 3, poison_lines=3)
    result = project.run(check=False)
    failed = [r for r in result.result.results if str(r.status) == "error"]
    after = (_version(spark, silver), _version(spark, enriched), spark.table(metrics).count())
    # Recovery: remove the poison file, rebuild bronze from the files, build again.
    truth = json.loads(generate.truth_path(project.landing_root, "orders", 3).read_text())
    poison_file = project.landing_root / truth["files"][0]["path"]
    removed = [
        o for o in landed_orders(project.landing_root) if o.source_file.endswith(str(poison_file))
    ]
    poison_file.unlink()
    project.run("--select", "bronze_orders", "--full-refresh")
    project.run()
    # quarantine keeps what it quarantined before (nothing twice), the removed file included
    runs.failed_run = {
        "success": result.success,
        "failed": [r.node.name for r in failed],
        "message": failed[0].message if failed else "",
        "before": before,
        "after": after,
        "recovered": _state(spark, project, extra_orders=removed)[0],
    }


def _customer_deliveries(spark: SparkSession, project: DbtProject, runs: SilverRuns) -> None:
    table = project.table("silver_customers")
    runs.customer_changes = [
        (row.customer_id, row._change_type, row._commit_version)
        for row in spark.sql(
            f"select customer_id, _change_type, _commit_version from table_changes('{table}', 0)"
        ).collect()
    ]
    runs.customer_deliveries = [
        json.loads(generate.truth_path(project.landing_root, "customers", d).read_text())
        for d in range(4)
    ]
    # the same extract again: no change rows at all
    project.build("--select", "bronze_customers+")
    runs.changes_after_same_extract = (
        spark.sql(f"select count(*) as n from table_changes('{table}', 0)").first().n
    )


def _allow_a_new_status(spark: SparkSession, project: DbtProject, runs: SilverRuns) -> None:
    """A status added to the seed order_statuses (here to the loaded seed, as `dbt seed` does
    after an edit of its CSV): the next run accepts an order with it, and the Delta constraint
    that held the old list lets the run write it."""
    silver = project.table("silver_orders")
    spark.sql(f"insert into {project.table('order_statuses')} values ('returned', 'Sent back')")
    order_id = max(runs.silver_keys) + 1_000_000
    landed = project.landing_root / "orders" / "returns" / "returned.json"
    landed.parent.mkdir(parents=True)
    line = {"order_id": order_id, "customer_id": 1, "amount": "5.00", "status": "returned"}
    landed.write_text(json.dumps({**line, "order_date": "2026-01-01 00:00:00"}) + "\n")
    project.run("--select", "bronze_orders+")
    runs.new_status = {
        "rows": spark.table(silver).where(f"order_id = {order_id}").collect(),
        "constraint": _constraints(spark, silver)["dbt_valid_status"],
    }


@pytest.fixture(scope="module")
def runs(new_project: Callable[[str], DbtProject], spark: SparkSession) -> SilverRuns:
    project = new_project("silver")
    runs = SilverRuns()
    _run_batches(spark, project, runs)
    _write_from_outside(spark, project, runs)
    _not_null_test_with_and_without_its_constraint(spark, project, runs)
    _land_stale_and_redelivered(spark, project, runs)
    _fail_then_recover(spark, project, runs)
    _customer_deliveries(spark, project, runs)
    runs.enriched = {
        r.order_id: r for r in spark.table(project.table("silver_orders_enriched")).collect()
    }
    runs.customers = {
        r.customer_id: r for r in spark.table(project.table("silver_customers")).collect()
    }
    runs.silver_keys = set(_silver(spark, project))
    _allow_a_new_status(spark, project, runs)
    return runs


def test_several_runs_match_an_independent_computation(runs: SilverRuns) -> None:
    assert len(runs.batches) == 3
    for batch in runs.batches:
        _assert_matches_landing(batch.state)
        by_name = batch.metrics
        assert set(by_name) == {"valid_order_id", "valid_amount", "valid_status", "valid_customer"}
        new = batch.new
        survivors = [o for o in new if not o.dropped_by]
        head = next(iter(by_name.values()))
        # the run's numbers: the same rows seen three ways (bronze, quarantine, the files)
        assert head.total_records == batch.new_rows == len(new)
        assert head.records_quarantined == batch.quarantined_now == len(new) - len(survivors)
        assert head.orders_merged == len({o.order_id for o in survivors})
        assert head.total_records == (
            head.records_quarantined + head.orders_merged + head.duplicates_suppressed
        )
        assert head.null_order_ids == sum(o.order_id is None for o in new)
        assert by_name["valid_amount"].rows_failed == sum(
            "valid_amount" in o.dropped_by for o in new
        )
        assert by_name["valid_customer"].rows_checked == len(survivors)
        assert by_name["valid_customer"].rows_failed == sum(
            o.customer_id is None for o in survivors
        )
        assert by_name["valid_status"].rows_failed == 0
        # warn counts are also printed in the run's output
        warned = by_name["valid_customer"]
        assert (
            f"silver_orders: expectation valid_customer (warn) failed on {warned.rows_failed} of "
            f"{warned.rows_checked} rows: kept, warned"
        ) in batch.logged


def test_declared_constraints_hold_for_writers_outside_dbt(runs: SilverRuns) -> None:
    # the not_null test and the drop and fail expectations of _silver__models.yml
    assert runs.constraints["silver_orders"] == {
        "dbt_not_null_order_id",
        "dbt_valid_order_id",
        "dbt_valid_amount",
        "dbt_valid_status",
        "team_rule",
    }
    assert runs.constraints["quarantine_orders"] == {
        "dbt_not_null_failed_expectations",
        "dbt_not_null_source_file",
        "dbt_not_null_source_line_number",
    }
    # the declared ones come with the statement that creates the table (Delta checks the rows
    # as it writes them); only the two added above by hand were ever added after it
    assert runs.constraints_added == {"dbt_retired": 1, "team_rule": 1}
    assert runs.constraints_at_create["silver_orders"] == {
        "dbt_not_null_order_id",
        "dbt_valid_order_id",
        "dbt_valid_amount",
        "dbt_valid_status",
    }
    # a writer outside dbt is held to the declarations too; the table stays as it was
    assert len(runs.outside_writes) == 3
    for error, broken in runs.outside_writes:
        assert re.search(f"CHECK constraint {broken} .* violated", error), error
    before, after = runs.versions_around_outside_writes
    assert after == before


def test_a_rule_that_a_constraint_states_is_not_read_again(runs: SilverRuns) -> None:
    # with the table's constraint, the not_null test reads no row (Delta holds the rule); once
    # the constraint is gone, the test reads what the run wrote, as any other
    with_constraint, without = runs.not_null_test_sql["with"], runs.not_null_test_sql["without"]
    assert ") enforced_by_constraint" in with_constraint, with_constraint
    assert "enforced_by_constraint" not in without, without
    assert "table_changes(" in without, without
    assert runs.property_reads["with"] >= 1
    # a run that wrote nothing reads nothing, and asks the table for no constraint first
    nothing_written = runs.not_null_test_sql["nothing_written"]
    assert ") nothing_written" in nothing_written, nothing_written
    assert runs.property_reads["nothing_written"] == 0


def test_a_stale_version_never_overwrites_and_a_redelivery_changes_nothing(
    runs: SilverRuns,
) -> None:
    stale, redelivered, after = (runs.stale[key] for key in ("stale", "redelivered", "after"))
    assert after[stale.order_id] == stale, "an older file never overwrites a newer version"
    assert after[redelivered.order_id].source_file == redelivered.source_file
    before, later = runs.stale["versions"]
    assert later >= before
    _assert_matches_landing(runs.stale["state"])


def test_a_fail_expectation_stops_silver_before_it_writes(runs: SilverRuns) -> None:
    run = runs.failed_run
    assert not run["success"]
    assert run["failed"] == ["silver_orders"]
    message = run["message"]
    assert "valid_status" in message and "failed on 3 row(s)" in message
    assert '"status":"shipped"' in message
    # silver and enriched keep their exact previous versions; no metrics row was written
    assert run["after"] == run["before"]
    # after the poison file is removed and bronze rebuilt, silver converges
    _assert_matches_landing(run["recovered"])


def test_silver_customers_change_feed_holds_real_changes_only(runs: SilverRuns) -> None:
    by_version: dict[int, Counter[str]] = {}
    ids: dict[tuple[int, str], set[int]] = {}
    for customer_id, change_type, version in runs.customer_changes:
        by_version.setdefault(version, Counter())[change_type] += 1
        ids.setdefault((version, change_type), set()).add(customer_id)
    versions = sorted(by_version)
    first, *deliveries = runs.customer_deliveries
    assert by_version[versions[0]] == Counter(insert=first["rows"])
    change_versions = [v for v in versions[1:] if by_version[v]]
    assert len(change_versions) == len(deliveries), "one set of changes per new delivery"
    for version, truth in zip(change_versions, deliveries, strict=True):
        assert ids.get((version, "insert"), set()) == set(truth["inserted"])
        assert ids.get((version, "delete"), set()) == set(truth["deleted"])
        assert ids.get((version, "update_postimage"), set()) == set(truth["updated"])
    # the same extract again: no change rows at all
    assert runs.changes_after_same_extract == len(runs.customer_changes)


def test_enriched_orders_join_the_current_customers(runs: SilverRuns) -> None:
    enriched, customers = runs.enriched, runs.customers
    assert enriched.keys() == runs.silver_keys
    for row in enriched.values():
        customer = customers.get(row.customer_id)
        assert row.customer_name == (customer.customer_name if customer else None)
        assert row.region == (customer.region if customer else None)
    assert any(row.customer_name is None for row in enriched.values())
    assert all(isinstance(row.amount, Decimal) for row in enriched.values())


def test_the_allowed_statuses_come_from_the_seed(runs: SilverRuns) -> None:
    (row,) = runs.new_status["rows"]
    assert row.status == "returned"
    # Delta keeps the expression re-spaced
    stored = re.sub(r"\s+", "", str(runs.new_status["constraint"]))
    assert stored == "statusin('cancelled','completed','pending','returned')", stored
