"""The `databricks` target without a workspace: dbt parses and lists the project with dummy
credentials, and dbt-databricks' own materializations, run against a recording stand-in for the
SQL warehouse (`databricks_dry_run.py`), send exactly the statements in `databricks_expected/`,
which `sqlfluff` (dialect databricks) accepts.

To refresh the expected files after an intended change: UPDATE_EXPECTED_SQL=1 pytest <this file>,
then review the diff.
"""

from __future__ import annotations

import csv
import os
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import dbt.adapters.databricks.handle as databricks_handle
import pytest
import sqlfluff

from lakehouse.project import REPO_ROOT, DbtProject, scoped_environ
from support.databricks_dry_run import DryRunWarehouse, Relation

EXPECTED_DIR = Path(__file__).parent / "databricks_expected"
DUMMY_CREDENTIALS = {
    "DATABRICKS_HOST": "dbc-00000000-0000.cloud.databricks.com",
    "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/0000000000000000",
    "DATABRICKS_TOKEN": "dapi-not-a-real-token",
    "DATABRICKS_CATALOG": "main",
}
# model -> the statement that builds it (its first words, before the relation's name)
RENDERED = {
    "bronze_orders": "create streaming table",
    "silver_orders": "merge into",  # it exists already: an incremental run
    "silver_customers": "create or replace table",  # first run, Change Data Feed on
    "gold_daily_sales": "create or replace materialized view",
    "gold_orders_by_customer": "create or replace table",
}
# snapshot -> the statement of its first run
SNAPSHOTS = {"customers_history": "create or replace table"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DbtProject]:
    state = tmp_path_factory.mktemp("databricks")
    with scoped_environ(DUMMY_CREDENTIALS):
        yield DbtProject(
            landing_root=Path("/Volumes/main/landing/files"),
            state_dir=state,
            schema="medallion",
            target="databricks",
        )


@pytest.fixture(scope="module")
def statements(project: DbtProject) -> dict[str, str]:
    manifest = project.invoke("parse").result
    columns = {
        node.name: [(c.name, c.data_type or "string") for c in node.columns.values()]
        for node in manifest.nodes.values()
        if node.resource_type in ("model", "snapshot")
    }
    # silver_orders exists, so its incremental run is the MERGE; the others are created; the
    # seeds are loaded (`dbt build` loads them first)
    warehouse = DryRunWarehouse(
        columns,
        existing={"silver_orders": Relation("silver_orders", columns["silver_orders"])},
        seeds={
            seed.stem: list(csv.DictReader(seed.open()))
            for seed in (REPO_ROOT / "seeds").glob("*.csv")
        },
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(databricks_handle.dbsql, "connect", warehouse.connect)
        project.run("--select", *RENDERED)
        project.invoke("snapshot", "--select", *SNAPSHOTS)
    found = {}
    for model, statement in {**RENDERED, **SNAPSHOTS}.items():
        words = r"\s+".join(statement.split())
        pattern = re.compile(rf"^{words}\s+`main`\.`medallion`\.`{model}`", re.IGNORECASE)
        matches = [_normalized(sql) for sql in warehouse.statements]
        matches = [sql for sql in matches if pattern.match(sql)]
        assert len(matches) == 1, f"{model}: expected one build statement, got {len(matches)}"
        found[model] = matches[0]
    return found


def _normalized(sql: str) -> str:
    """Statement text without dbt-databricks' leading comment lines and blank lines."""
    lines = [line.rstrip() for line in sql.strip().splitlines()]
    lines = [line for line in lines if line.strip()]
    while lines and lines[0].lstrip().startswith("--"):
        lines.pop(0)
    return textwrap.dedent("\n".join(lines)).lstrip() + "\n"


def test_parse_and_ls_with_dummy_credentials(project: DbtProject) -> None:
    listed = project.invoke("ls", "--resource-type", "model", "--output", "name").result
    assert set(RENDERED) <= set(listed)
    assert "customer_changes" in listed


@pytest.mark.parametrize("model", [*RENDERED, *SNAPSHOTS])
def test_materialization_sends_the_expected_sql(model: str, statements: dict[str, str]) -> None:
    expected_file = EXPECTED_DIR / f"{model}.sql"
    if os.environ.get("UPDATE_EXPECTED_SQL") == "1":
        expected_file.write_text(statements[model])
    assert statements[model] == expected_file.read_text()


@pytest.mark.parametrize("model", [*RENDERED, *SNAPSHOTS])
def test_expected_sql_is_valid_databricks_sql(model: str) -> None:
    sql = (EXPECTED_DIR / f"{model}.sql").read_text()
    config = sqlfluff.core.FluffConfig.from_path(str(EXPECTED_DIR))
    violations = sqlfluff.core.Linter(config=config).lint_string(sql).get_violations()
    assert not violations, [f"L{v.line_no}: {v.desc()}" for v in violations]
