"""A Python model runs in the dbt process on the engine's session (`submission_method:
session`, the default of the `session` connection method) and writes a Delta table."""

from __future__ import annotations

import pytest
from dbt.tests.util import run_dbt

PYTHON_MODEL = """
def model(dbt, session):
    dbt.config(materialized="table", submission_method="{method}")
    upstream = dbt.ref("numbers")
    return upstream.selectExpr("n", "n * n as square")
"""


@pytest.fixture(scope="class")
def models() -> dict[str, str]:
    return {
        "numbers.sql": "select explode(sequence(1, 4)) as n",
        "squares.py": PYTHON_MODEL.format(method="session"),
    }


class TestSessionSubmission:
    def test_python_model_reads_a_ref_and_writes_delta(self, project) -> None:
        run_dbt(["run"])
        rows = project.run_sql(
            f"select n, square from {project.test_schema}.squares order by n", fetch="all"
        )
        assert [tuple(row) for row in rows] == [(1, 1), (2, 4), (3, 9), (4, 16)]
        detail = project.run_sql(f"describe detail {project.test_schema}.squares", fetch="one")
        assert detail[0] == "delta"
