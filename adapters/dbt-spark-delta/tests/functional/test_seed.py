"""A seed on Spark reloads only when it changed: the same CSV again keeps the table (no new
commit), a changed CSV or a write to the table since its load reloads it whole."""

from __future__ import annotations

import pytest
from dbt.tests.util import run_dbt, write_file

STATUSES = "status,description\npending,open\ncompleted,done\n"


@pytest.fixture(scope="class")
def seeds() -> dict[str, str]:
    return {"statuses.csv": STATUSES}


@pytest.fixture(scope="class")
def project_config_update() -> dict[str, object]:
    return {"seeds": {"+file_format": "delta"}}


class TestSeedReloadsOnlyWhenChanged:
    def _state(self, project) -> tuple[tuple, list[tuple]]:
        table = f"{project.test_schema}.statuses"
        newest = project.run_sql(f"describe history {table} limit 1", fetch="one")[:2]
        rows = project.run_sql(f"select status, description from {table}", fetch="all")
        return newest, sorted(tuple(row) for row in rows)

    def test_seed_reloads_only_when_changed(self, project) -> None:
        run_dbt(["seed"])
        loaded = self._state(project)
        assert loaded[1] == [("completed", "done"), ("pending", "open")]

        run_dbt(["seed"])  # same CSV: no statement writes the table
        assert self._state(project) == loaded

        table = f"{project.test_schema}.statuses"
        project.run_sql(f"insert into {table} values ('lost', 'edited in place')")
        run_dbt(["seed"])  # written since its load: reloaded from the CSV
        assert self._state(project)[1] == loaded[1]

        write_file(STATUSES + "cancelled,stopped\n", project.project_root, "seeds", "statuses.csv")
        run_dbt(["seed"])
        assert self._state(project)[1] == [
            ("cancelled", "stopped"),
            ("completed", "done"),
            ("pending", "open"),
        ]
        reloaded = self._state(project)
        run_dbt(["seed", "--full-refresh"])
        assert self._state(project)[1] == reloaded[1]
        assert self._state(project)[0] != reloaded[0]
