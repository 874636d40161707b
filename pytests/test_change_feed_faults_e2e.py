"""The change feed under faults: customer_changes takes every change of silver_customers exactly
once, in version order, through several commits between two of its runs, full refreshes of
silver_customers, a failure after its own write, a failure in the middle of a build, and
change files removed by VACUUM.

One scenario (the fixture) lands customer deliveries, runs dbt with faults injected where dbt
sends its statements (so it runs on both Spark targets), and records what it observed; each
test asserts on it. The oracle for a version of silver_customers is computed here, not by the
model: Delta's own change feed for a MERGE, and for a rebuild the difference between the two
versions' rows, compared in plain Python.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from unittest import mock

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dbt.adapters.spark_delta.connections import SparkDeltaConnectionManager
from dbt_common.exceptions import DbtRuntimeError
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.expected_gold import expected_daily_sales, expected_enriched, expected_lifetime_value
from support.gold_tables import daily_sales, lifetime_value

# the thrift suite runs it too (Makefile test-thrift)
pytestmark = [pytest.mark.e2e, pytest.mark.thrift]

SEED = 7
CUSTOMERS = 50
COLUMNS = ("customer_id", "customer_name", "email", "customer_segment", "region")
REBUILDS = (
    "CREATE TABLE AS SELECT",
    "CREATE OR REPLACE TABLE AS SELECT",
    "REPLACE TABLE AS SELECT",
)


@dataclass
class ChangeFeedRuns:
    # several silver_customers commits between two customer_changes runs
    taken_per_version: dict[int, Counter] = field(default_factory=dict)
    truths: dict[int, dict] = field(default_factory=dict)  # version -> delivery truth
    # full refreshes of silver_customers
    identical_refresh_version: int = -1
    changed_refresh_version: int = -1
    changed_refresh_expected: Counter = field(default_factory=Counter)
    # customer_changes rebuilt from version 0
    before_rebuild: Counter = field(default_factory=Counter)
    after_rebuild: Counter = field(default_factory=Counter)
    # a failure after customer_changes' own write
    failed_after_write: bool = False
    written_before_failure: int = 0
    # a failure in the middle of a build
    failed_build: list[str] = field(default_factory=list)
    offsets_per_version: list[dict[tuple[str, str], int]] = field(default_factory=list)
    gold_equals_oracle: dict[str, bool] = field(default_factory=dict)
    # every version's rows, after the last run before VACUUM, and the oracle's
    taken: Counter = field(default_factory=Counter)
    expected: Counter = field(default_factory=Counter)
    # VACUUM removed change files before customer_changes read them
    vacuum_error: str = ""
    vacuumed_versions: list[int] = field(default_factory=list)
    enriched_after_vacuum_ok: bool = False
    reload_version: int = -1
    reloaded: Counter = field(default_factory=Counter)
    current_customers: Counter = field(default_factory=Counter)
    after_reload_version: int = -1
    after_reload: Counter = field(default_factory=Counter)
    expected_after_reload: Counter = field(default_factory=Counter)


def _history(spark: SparkSession, table: str) -> dict[int, str]:
    return {row.version: row.operation for row in spark.sql(f"describe history {table}").collect()}


def _version(spark: SparkSession, table: str) -> int:
    return max(_history(spark, table))


def _last_rebuild(spark: SparkSession, table: str) -> int:
    """The version of the newest commit that rebuilt `table` (a refresh also commits its
    constraints and properties after it)."""
    return max(v for v, operation in _history(spark, table).items() if operation in REBUILDS)


def _as_of(spark: SparkSession, table: str, version: int) -> dict[int, tuple]:
    rows = spark.read.format("delta").option("versionAsOf", version).table(table).collect()
    return {row.customer_id: tuple(row[c] for c in COLUMNS) for row in rows}


def expected_changes(spark: SparkSession, table: str, version: int) -> Counter:
    """The change rows of one silver_customers version, computed without the model."""
    operation = _history(spark, table)[version]
    if version > 0 and operation in REBUILDS:
        before, after = _as_of(spark, table, version - 1), _as_of(spark, table, version)
        changes: Counter = Counter()
        for key in before.keys() | after.keys():
            if key not in before:
                changes[(*after[key], "insert")] += 1
            elif key not in after:
                changes[(*before[key], "delete")] += 1
            elif before[key] != after[key]:
                changes[(*before[key], "update_preimage")] += 1
                changes[(*after[key], "update_postimage")] += 1
        return changes
    rows = spark.sql(
        f"select {', '.join(COLUMNS)}, _change_type "
        f"from table_changes('{table}', {version}, {version})"
    ).collect()
    return Counter(tuple(row) for row in rows)


def _taken(spark: SparkSession, project: DbtProject, version: int | None = None) -> Counter:
    where = "" if version is None else f" where _commit_version = {version}"
    rows = spark.sql(
        f"select {', '.join(COLUMNS)}, _change_type from {project.table('customer_changes')}{where}"
    ).collect()
    return Counter(tuple(row) for row in rows)


def _taken_with_versions(spark: SparkSession, project: DbtProject) -> Counter:
    rows = spark.sql(
        f"select {', '.join(COLUMNS)}, _change_type, _commit_version "
        f"from {project.table('customer_changes')}"
    ).collect()
    return Counter(tuple(row) for row in rows)


@contextmanager
def failing(pattern: str, after: bool) -> Iterator[list[str]]:
    """Every statement dbt sends; the first one matching `pattern` fails (after=False), or runs
    and the statement after it fails (after=True): a run that dies right after a write."""
    add_query = SparkDeltaConnectionManager.add_query
    sent: list[str] = []
    matched = re.compile(pattern, re.IGNORECASE)

    def inject(manager: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(sql)
        earlier = [s for s in sent[:-1] if matched.search(s)]
        if not after and matched.search(sql) and not earlier:
            raise DbtRuntimeError(f"injected fault before: {sql[:60]}")
        if after and len(earlier) == 1 and not matched.search(sql) and not _failed_once(sent):
            sent.append("-- injected fault")
            raise DbtRuntimeError("injected fault after the write")
        return add_query(manager, sql, *args, **kwargs)

    with mock.patch.object(
        SparkDeltaConnectionManager, "add_query", autospec=True, side_effect=inject
    ):
        yield sent


def _failed_once(sent: list[str]) -> bool:
    return "-- injected fault" in sent


def _offsets_history(spark: SparkSession, project: DbtProject) -> list[dict[tuple[str, str], int]]:
    table = project.table("change_feed_offsets")
    versions = sorted(_history(spark, table))
    return [
        {
            (row.model_name, row.upstream_name): row.upstream_version
            for row in spark.read.format("delta").option("versionAsOf", v).table(table).collect()
        }
        for v in versions
    ]


def _move_customer(project: DbtProject, delivery: int, customer_id: int, region: str) -> dict:
    """Delivers the current extract again with one customer's region changed."""
    folder = project.landing_root / "customers"
    (current,) = folder.rglob("*.parquet")
    extract = pq.read_table(current).to_pylist()
    for row in extract:
        if row["customer_id"] == customer_id:
            row["region"] = region
    current.unlink()
    target = folder / f"delivery={delivery:04d}" / "extract" / "part-0000.parquet"
    target.parent.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(extract), target)
    project.run("--select", "bronze_customers", "silver_customers")
    return {"delivery": delivery, "inserted": [], "deleted": [], "updated": [customer_id]}


def _deliver(project: DbtProject, delivery: int, *args: str) -> dict:
    truth = generate.write_customer_delivery(project.landing_root, SEED, CUSTOMERS, delivery)
    project.run("--select", "bronze_customers", "silver_customers", *args)
    return truth


@pytest.fixture(scope="module")
def runs(new_project: Callable[[str], DbtProject], spark: SparkSession) -> ChangeFeedRuns:
    project = new_project("change_feed_faults")
    customers = project.table("silver_customers")
    observed = ChangeFeedRuns()
    generate.land(project.landing_root, 0, 1, 400, customers=CUSTOMERS, seed=SEED)
    project.run()

    # five silver_customers commits, then one customer_changes run
    for delivery in (1, 2, 3):
        truth = _deliver(project, delivery)
        observed.truths[_version(spark, customers)] = truth
    moved = spark.table(customers).first().customer_id  # one customer, moved twice more
    for delivery, region in ((101, "chain-1"), (102, "chain-2")):
        truth = _move_customer(project, delivery, moved, region)
        observed.truths[_version(spark, customers)] = truth
    project.run("--select", "customer_changes")
    for version in observed.truths:
        observed.taken_per_version[version] = _taken(spark, project, version)

    # full refreshes of silver_customers: one with identical rows, one with a new delivery
    project.run("--select", "silver_customers", "--full-refresh")
    observed.identical_refresh_version = _last_rebuild(spark, customers)
    truth = _deliver(project, 4, "--full-refresh")
    observed.changed_refresh_version = _last_rebuild(spark, customers)
    observed.truths[observed.changed_refresh_version] = truth
    observed.changed_refresh_expected = expected_changes(
        spark, customers, observed.changed_refresh_version
    )
    project.run("--select", "customer_changes")
    observed.before_rebuild = _taken_with_versions(spark, project)
    project.run("--select", "customer_changes", "--full-refresh")
    observed.after_rebuild = _taken_with_versions(spark, project)

    # customer_changes fails right after its append committed; the next run takes nothing twice
    _deliver(project, 5)
    with failing(r"insert\s+into\s+(table\s+)?\S*customer_changes\b(?!__)", after=True) as sent:
        failed = project.run("--select", "customer_changes", check=False)
    observed.failed_after_write = _failed_once(sent) and not failed.success
    observed.written_before_failure = sum(
        _taken(spark, project, _version(spark, customers)).values()
    )
    project.run("--select", "customer_changes")

    # a gold model fails in the middle of a build; the rerun converges
    generate.land(project.landing_root, 1, 1, 400, customers=CUSTOMERS, seed=SEED)
    with failing(r"merge\s+into\s+\S*gold_daily_sales\b", after=False):
        failed = project.run(check=False)
    observed.failed_build = [
        r.node.name for r in failed.result.results if str(r.status) in ("error", "fail")
    ]
    project.run()
    observed.offsets_per_version = _offsets_history(spark, project)
    enriched = expected_enriched(project.landing_root)
    observed.gold_equals_oracle = {
        "gold_daily_sales": daily_sales(spark, project.table("gold_daily_sales"))
        == expected_daily_sales(enriched),
        "gold_customer_lifetime_value": lifetime_value(
            spark, project.table("gold_customer_lifetime_value")
        )
        == expected_lifetime_value(enriched),
    }
    observed.taken = _taken_with_versions(spark, project)
    for version in range(_version(spark, customers) + 1):
        for change, count in expected_changes(spark, customers, version).items():
            observed.expected[(*change, version)] += count

    # two commits whose change files VACUUM removes before customer_changes reads them
    _deliver(project, 6)
    first_lost = _version(spark, customers)
    _deliver(project, 7)
    observed.vacuumed_versions = list(range(first_lost, _version(spark, customers) + 1))
    spark.conf.set("spark.databricks.delta.retentionDurationCheck.enabled", "false")
    try:
        spark.sql(f"vacuum {customers} retain 0 hours")
    finally:
        spark.conf.unset("spark.databricks.delta.retentionDurationCheck.enabled")
    failed = project.run("--select", "customer_changes", check=False)
    observed.vacuum_error = " ".join(str(r.message) for r in failed.result.results)
    project.run("--select", "silver_orders_enriched", "+gold_daily_sales")  # recomputes
    observed.enriched_after_vacuum_ok = daily_sales(
        spark, project.table("gold_daily_sales")
    ) == expected_daily_sales(expected_enriched(project.landing_root))

    # the documented reload: restart the history at the current version
    observed.reload_version = _version(spark, customers)
    project.extra_vars = {"customer_changes_from_version": observed.reload_version}
    project.run("--select", "customer_changes", "--full-refresh")
    project.extra_vars = {}
    observed.reloaded = _taken_with_versions(spark, project)
    observed.current_customers = Counter(
        (*row, "insert", observed.reload_version)
        for row in _as_of(spark, customers, observed.reload_version).values()
    )
    _deliver(project, 8)
    observed.after_reload_version = _version(spark, customers)
    project.run("--select", "customer_changes")
    observed.after_reload = _taken(spark, project, observed.after_reload_version)
    observed.expected_after_reload = expected_changes(
        spark, customers, observed.after_reload_version
    )
    return observed


def _ids(changes: Counter, change_type: str) -> set[int]:
    return {change[0] for change in changes if change[-1] == change_type}


def test_several_commits_between_two_runs_arrive_once_each_in_version_order(
    runs: ChangeFeedRuns,
) -> None:
    versions = sorted(runs.taken_per_version)
    assert [runs.truths[v]["delivery"] for v in versions] == [1, 2, 3, 101, 102], "in order"
    for version in versions:
        taken, truth = runs.taken_per_version[version], runs.truths[version]
        assert max(taken.values()) == 1, f"version {version}: a change row taken twice"
        assert _ids(taken, "insert") == set(truth["inserted"])
        assert _ids(taken, "delete") == set(truth["deleted"])
        assert _ids(taken, "update_postimage") == set(truth["updated"])
        assert _ids(taken, "update_preimage") == set(truth["updated"])


def test_a_key_changed_several_times_arrives_as_one_chain_of_images(runs: ChangeFeedRuns) -> None:
    images: dict[int, list[tuple[int, str, tuple]]] = {}
    for version, taken in sorted(runs.taken_per_version.items()):
        for change in taken:
            images.setdefault(change[0], []).append((version, change[-1], change[:-1]))
    chains = {key: sorted(rows) for key, rows in images.items() if len({v for v, _, _ in rows}) > 1}
    assert chains, "the deliveries change some customer in more than one version"
    for key, rows in chains.items():
        states = []  # the customer's row after each version, in version order
        for version in sorted({v for v, _, _ in rows}):
            of_version = {kind: row for v, kind, row in rows if v == version}
            if "update_preimage" in of_version:
                assert not states or states[-1] == of_version["update_preimage"], key
            states.append(of_version.get("update_postimage") or of_version.get("insert"))
        assert len(states) == len({v for v, _, _ in rows}), key


def test_a_full_refresh_of_silver_customers_takes_only_real_changes(runs: ChangeFeedRuns) -> None:
    assert not any(key[-1] == runs.identical_refresh_version for key in runs.before_rebuild), (
        "a full refresh with identical rows is no change"
    )
    changed = Counter(
        {k[:-1]: n for k, n in runs.before_rebuild.items() if k[-1] == runs.changed_refresh_version}
    )
    assert changed == runs.changed_refresh_expected
    # the delivery's own changes (the customer moved twice before it also moves back)
    truth = runs.truths[runs.changed_refresh_version]
    assert _ids(changed, "insert") == set(truth["inserted"])
    assert _ids(changed, "delete") == set(truth["deleted"])
    assert _ids(changed, "update_postimage") >= set(truth["updated"])
    assert max(changed.values()) == 1


def test_rebuilding_customer_changes_gives_the_same_rows(runs: ChangeFeedRuns) -> None:
    assert runs.after_rebuild == runs.before_rebuild


def test_a_failure_after_the_write_takes_no_change_twice(runs: ChangeFeedRuns) -> None:
    assert runs.failed_after_write, "the fault was injected after the append"
    assert runs.written_before_failure > 0, "the append had committed"
    assert runs.taken == runs.expected, "every change row once, none missing"


def test_a_failure_in_the_middle_of_a_build_converges(runs: ChangeFeedRuns) -> None:
    assert runs.failed_build == ["gold_daily_sales"]
    assert all(runs.gold_equals_oracle.values()), runs.gold_equals_oracle
    # each consumer's recorded position only moves forward: nothing is consumed twice
    # (a landing source's "version" is a fingerprint of its listing, not ordered)
    for earlier, later in pairwise(runs.offsets_per_version):
        for (model, upstream), version in earlier.items():
            if "." not in upstream:
                assert later.get((model, upstream), version) >= version, (model, upstream)


def test_vacuumed_change_files_fail_with_the_versions_and_the_reload(runs: ChangeFeedRuns) -> None:
    error = runs.vacuum_error
    assert f"version(s) {', '.join(map(str, runs.vacuumed_versions))}:" in error, error
    assert "--full-refresh" in error and "customer_changes_from_version" in error
    assert runs.enriched_after_vacuum_ok, "SQL consumers recompute after a VACUUM"


def test_the_reload_restarts_the_history_at_the_current_version(runs: ChangeFeedRuns) -> None:
    assert runs.reloaded == runs.current_customers
    assert runs.after_reload == runs.expected_after_reload
    assert sum(runs.after_reload.values()) > 0
