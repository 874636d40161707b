"""Silver end to end: expectations, quarantine, metrics and customers after several runs,
compared with an independent computation over the landed files and the generator's truth."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from datetime import UTC
from decimal import Decimal

import pytest
from expected_silver import Order, expected_silver, landed_orders, silver_values
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject

pytestmark = pytest.mark.e2e

ORDERS_PER_BATCH = 3_000
CUSTOMERS = 400


@pytest.fixture(scope="module")
def project(new_project: Callable[[str], DbtProject]) -> DbtProject:
    return new_project("silver")


def _land(project: DbtProject, batch: int, **options: int) -> None:
    generate.land(project.landing_root, batch, 1, ORDERS_PER_BATCH, customers=CUSTOMERS, **options)


def _silver(spark: SparkSession, project: DbtProject) -> dict[int, tuple]:
    rows = spark.table(project.table("silver_orders")).collect()
    return {row.order_id: silver_values(row) for row in rows}


def _version(spark: SparkSession, table: str) -> int:
    return spark.sql(f"describe history {table} limit 1").first().version


def _assert_silver_matches_landing(spark: SparkSession, project: DbtProject) -> list[Order]:
    orders = landed_orders(project.landing_root)
    expected = {key: order.values for key, order in expected_silver(orders).items()}
    actual = _silver(spark, project)
    assert actual.keys() == expected.keys()
    assert actual == expected
    return orders


def _assert_quarantine_matches(spark: SparkSession, project: DbtProject, orders: list[Order]):
    expected = {
        (o.source_file, o.line_number): sorted(o.dropped_by) for o in orders if o.dropped_by
    }
    rows = spark.table(project.table("quarantine_orders")).collect()
    actual = {(r.source_file, r.source_line_number): sorted(r.failed_expectations) for r in rows}
    assert len(rows) == len(actual), "each quarantined line exactly once"
    assert actual == expected


def test_several_runs_match_an_independent_computation(
    project: DbtProject, spark: SparkSession
) -> None:
    bronze = project.table("bronze_orders")
    for batch in range(3):
        _land(project, batch)
        before = spark.table(bronze).count() if batch else 0
        # the expectations act in the models; the last run also runs the data tests
        project.build() if batch == 2 else project.run()
        orders = _assert_silver_matches_landing(spark, project)
        _assert_quarantine_matches(spark, project, orders)

        run = spark.sql(
            f"select * from {project.table('data_quality_metrics')} "
            "where measured_at = (select max(measured_at) from "
            f"{project.table('data_quality_metrics')})"
        ).collect()
        by_name = {row.expectation_name: row for row in run}
        assert set(by_name) == {"valid_order_id", "valid_amount", "valid_status", "valid_customer"}
        new_rows = spark.table(bronze).count() - before
        new = [o for o in orders if o.source_file.split("/batch=")[1].startswith(f"{batch:04d}")]
        survivors = [o for o in new if not o.dropped_by]
        head = run[0]
        # the run's numbers: the same rows seen three ways (bronze, quarantine, the files)
        quarantined_now = (
            spark.table(project.table("quarantine_orders"))
            .where(f"quarantined_in_run = '{head.run_id}'")
            .count()
        )
        assert head.total_records == new_rows == len(new)
        assert head.records_quarantined == quarantined_now == len(new) - len(survivors)
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
        ) in project.logged
        if batch == 0:
            # a constraint dbt no longer declares, and one of another team's
            silver = project.table("silver_orders")
            spark.sql(f"alter table {silver} add constraint dbt_retired check (amount < 1e9)")
            spark.sql(f"alter table {silver} add constraint team_rule check (order_id > 0)")

    _assert_declared_constraints_hold(spark, project)


def _constraints(spark: SparkSession, table: str) -> dict[str, str]:
    prefix = "delta.constraints."
    rows = spark.sql(f"show tblproperties {table}").collect()
    return {row.key[len(prefix) :]: row.value for row in rows if row.key.startswith(prefix)}


def _assert_declared_constraints_hold(spark: SparkSession, project: DbtProject) -> None:
    silver = project.table("silver_orders")
    # the not_null test and the drop and fail expectations of _silver__models.yml
    assert set(_constraints(spark, silver)) == {
        "dbt_not_null_order_id",
        "dbt_valid_order_id",
        "dbt_valid_amount",
        "dbt_valid_status",
        "team_rule",
    }
    assert set(_constraints(spark, project.table("quarantine_orders"))) == {
        "dbt_not_null_failed_expectations",
        "dbt_not_null_source_file",
        "dbt_not_null_source_line_number",
    }
    history = spark.sql(f"describe history {silver}").collect()
    added = Counter(
        commit.operationParameters["name"]
        for commit in history
        if commit.operation == "ADD CONSTRAINT"
    )
    assert set(added.values()) == {1}, "each constraint is added once, not on every run"
    # a writer outside dbt is held to the declarations too; the table stays as it was
    version = _version(spark, silver)
    for values, broken in [
        ("1, 1, 0.00, 'pending'", "dbt_valid_amount"),
        ("null, 1, 5.00, 'pending'", "dbt_(not_null|valid)_order_id"),
        ("1, 1, 5.00, 'shipped'", "dbt_valid_status"),
    ]:
        with pytest.raises(Exception, match=f"CHECK constraint {broken} .* violated"):
            spark.sql(
                f"insert into {silver} (order_id, customer_id, amount, status) values ({values})"
            )
    assert _version(spark, silver) == version


def test_a_stale_version_never_overwrites_and_a_redelivery_changes_nothing(
    project: DbtProject, spark: SparkSession
) -> None:
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
    assert after[stale.order_id] == stale, "an older file never overwrites a newer version"
    assert after[redelivered.order_id].source_file == redelivered.source_file
    assert _version(spark, silver) >= version
    _assert_silver_matches_landing(spark, project)
    late.unlink()


def test_a_fail_expectation_stops_silver_before_it_writes(
    project: DbtProject, spark: SparkSession
) -> None:
    silver, enriched = project.table("silver_orders"), project.table("silver_orders_enriched")
    version = _version(spark, silver)
    enriched_version = _version(spark, enriched)
    metrics_before = spark.table(project.table("data_quality_metrics")).count()

    _land(project, 3, poison_lines=3)
    result = project.run(check=False)
    assert not result.success
    failed = [r for r in result.result.results if str(r.status) == "error"]
    assert [r.node.name for r in failed] == ["silver_orders"]
    message = failed[0].message
    assert "valid_status" in message and "failed on 3 row(s)" in message
    assert '"status":"shipped"' in message

    assert _version(spark, silver) == version, "the table keeps its exact previous version"
    assert _version(spark, enriched) == enriched_version
    assert spark.table(project.table("data_quality_metrics")).count() == metrics_before

    # Recovery: remove the poison file, rebuild bronze from the files, build again.
    truth = json.loads(generate.truth_path(project.landing_root, "orders", 3).read_text())
    poison_file = project.landing_root / truth["files"][0]["path"]
    removed = [
        o for o in landed_orders(project.landing_root) if o.source_file.endswith(str(poison_file))
    ]
    poison_file.unlink()
    project.run("--select", "bronze_orders", "--full-refresh")
    project.run()
    orders = _assert_silver_matches_landing(spark, project)
    # quarantine keeps what it quarantined before (nothing twice), the removed file included
    _assert_quarantine_matches(spark, project, orders + [o for o in removed if o.dropped_by])


def test_silver_customers_change_feed_holds_real_changes_only(
    project: DbtProject, spark: SparkSession
) -> None:
    table = project.table("silver_customers")
    changes = spark.sql(
        f"select customer_id, _change_type, _commit_version from table_changes('{table}', 0)"
    ).collect()
    by_version: dict[int, Counter[str]] = {}
    ids: dict[tuple[int, str], set[int]] = {}
    for row in changes:
        by_version.setdefault(row._commit_version, Counter())[row._change_type] += 1
        ids.setdefault((row._commit_version, row._change_type), set()).add(row.customer_id)
    versions = sorted(by_version)
    first = json.loads(generate.truth_path(project.landing_root, "customers", 0).read_text())
    assert by_version[versions[0]] == Counter(insert=first["rows"])
    deliveries = [
        json.loads(generate.truth_path(project.landing_root, "customers", d).read_text())
        for d in range(1, 4)
    ]
    change_versions = [v for v in versions[1:] if by_version[v]]
    assert len(change_versions) == len(deliveries), "one set of changes per new delivery"
    for version, truth in zip(change_versions, deliveries, strict=True):
        assert ids.get((version, "insert"), set()) == set(truth["inserted"])
        assert ids.get((version, "delete"), set()) == set(truth["deleted"])
        assert ids.get((version, "update_postimage"), set()) == set(truth["updated"])

    # the same extract again: no change rows at all
    project.build("--select", "bronze_customers+")
    again = spark.sql(f"select count(*) as n from table_changes('{table}', 0)").first().n
    assert again == len(changes)


def test_enriched_orders_join_the_current_customers(
    project: DbtProject, spark: SparkSession
) -> None:
    enriched = {
        r.order_id: r for r in spark.table(project.table("silver_orders_enriched")).collect()
    }
    customers = {r.customer_id: r for r in spark.table(project.table("silver_customers")).collect()}
    assert enriched.keys() == set(_silver(spark, project))
    for row in enriched.values():
        customer = customers.get(row.customer_id)
        assert row.customer_name == (customer.customer_name if customer else None)
        assert row.region == (customer.region if customer else None)
    assert any(row.customer_name is None for row in enriched.values())
    assert all(isinstance(row.amount, Decimal) for row in enriched.values())
