"""Upgrading a lakehouse built by the previous version: the dbt invocation id had three names,
and `dbt run-operation rename_invocation_id_columns` renames the two old ones in place
(docs/operations.md, "Upgrading"). The scenario builds the pipeline, puts the two tables back
in their old shape (as the previous version wrote them: no column mapping), runs the
operation twice, then lands a batch and builds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject

pytestmark = pytest.mark.e2e

OLD_NAMES = {"data_quality_metrics": "run_id", "quarantine_orders": "quarantined_in_run"}


def _put_back_the_old_name(spark: SparkSession, table: str, old_name: str) -> None:
    columns = spark.table(table).columns
    select_list = ", ".join(f"{c} as {old_name}" if c == "invocation_id" else c for c in columns)
    properties = {
        row.key: row.value
        for row in spark.sql(f"show tblproperties {table}").collect()
        if row.key.startswith("delta.enable")
    }
    options = ", ".join(f"'{key}' = '{value}'" for key, value in properties.items())
    with_properties = f"tblproperties ({options})" if options else ""
    spark.sql(f"create table {table}_old using delta {with_properties} as "
              f"select {select_list} from {table}")  # fmt: skip
    spark.sql(f"drop table {table}")
    spark.sql(f"alter table {table}_old rename to {table}")


@pytest.fixture(scope="module")
def upgrade(new_project: Callable[[str], DbtProject], spark: SparkSession) -> dict[str, object]:
    project = new_project("upgrade")
    generate.land(project.landing_root, 0, 1, 2_000, customers=200)
    project.build()
    before = {}
    for model, old_name in OLD_NAMES.items():
        table = project.table(model)
        before[model] = {
            "columns": spark.table(table).columns,
            "ids": sorted(r.invocation_id for r in spark.table(table).collect()),
        }
        _put_back_the_old_name(spark, table, old_name)
    project.invoke("run-operation", "rename_invocation_id_columns")
    first_log = list(project.logged)
    project.invoke("run-operation", "rename_invocation_id_columns")
    second_log = list(project.logged)
    after = {}
    for model in OLD_NAMES:
        rows = spark.table(project.table(model)).collect()
        after[model] = {
            "columns": spark.table(project.table(model)).columns,
            "ids": sorted(r.invocation_id for r in rows),
        }
    generate.land(project.landing_root, 1, 1, 2_000, customers=200)
    project.build()  # the data tests included
    latest = {
        model: {r.invocation_id for r in spark.table(project.table(model)).collect()}
        for model in OLD_NAMES
    }
    return {
        "before": before,
        "after": after,
        "first_log": first_log,
        "second_log": second_log,
        "latest": latest,
    }


def test_the_old_columns_are_renamed_in_place_and_keep_their_values(
    upgrade: dict[str, dict],
) -> None:
    assert upgrade["after"] == upgrade["before"]
    for model, old_name in OLD_NAMES.items():
        assert any(
            line.endswith(f"{model}: renamed {old_name} to invocation_id")
            for line in upgrade["first_log"]
        ), upgrade["first_log"]


def test_the_operation_can_run_again(upgrade: dict[str, dict]) -> None:
    for model in OLD_NAMES:
        assert any(
            line.endswith(f"{model}: already has invocation_id") for line in upgrade["second_log"]
        ), upgrade["second_log"]


def test_the_next_build_writes_the_new_column(upgrade: dict[str, dict]) -> None:
    for model in OLD_NAMES:
        # the first build's run, and the build after the upgrade
        assert len(upgrade["latest"][model]) == 2, model
        assert set(upgrade["before"][model]["ids"]) < upgrade["latest"][model]
