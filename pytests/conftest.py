"""Shared fixtures. The suite runs against the target named by DBT_TARGET:

* `local` (default): Spark embedded in this process; every dbt invocation after the first reuses
  its JVM, and the tests read the tables dbt wrote through that same session.
* `thrift`: a server started by `lakehouse thrift start` for $LAKEHOUSE_DIR (`make test-thrift`);
  dbt talks to it over Thrift, the tests read through Spark Connect on the same server.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.engine_target import EMBEDDED, TARGET


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `run_last` run after the others (a stable sort keeps every other order):
    the quick benchmark then runs on a JVM the suite has already warmed up."""
    items.sort(key=lambda item: item.get_closest_marker("run_last") is not None)


@pytest.fixture(scope="session")
def lakehouse_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Warehouse and metastore of the engine (fixed when it starts)."""
    if not EMBEDDED:
        return Path(os.environ["LAKEHOUSE_DIR"])  # the server's, set by whoever started it
    path = tmp_path_factory.mktemp("lakehouse")
    os.environ["LAKEHOUSE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def new_project(
    lakehouse_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], DbtProject]:
    """A fresh, isolated pipeline: its own schema, landing folder and checkpoints."""

    def make(name: str) -> DbtProject:
        state = tmp_path_factory.mktemp(name)
        return DbtProject(
            landing_root=state / "landing",
            state_dir=state,
            schema=f"test_{name}",
            target=TARGET,
        )

    return make


@pytest.fixture(scope="session")
def spark(new_project: Callable[[str], DbtProject]) -> SparkSession:
    """A session on the engine and catalog dbt writes to."""
    new_project("session_start").invoke("show", "--inline", "select 1 as ready")
    if EMBEDDED:
        return SparkSession.builder.getOrCreate()  # the one dbt started in this process
    port = os.environ.get("SPARK_CONNECT_PORT", "15002")
    return SparkSession.builder.remote(f"sc://127.0.0.1:{port}").getOrCreate()


@pytest.fixture(scope="session")
def pipeline_with_history(
    new_project: Callable[[str], DbtProject], spark: SparkSession
) -> DbtProject:
    """The whole pipeline after a `dbt build`, a `dbt run`, and a `dbt run` that a `fail`
    expectation stopped (batch 2 carries lines with an unknown status)."""
    project = new_project("history")
    generate.land(project.landing_root, 0, 1, 2_000, customers=300)
    project.build()
    generate.land(project.landing_root, 1, 1, 2_000, customers=300)
    project.run()  # models only: the run log must not depend on tests having run
    generate.land(project.landing_root, 2, 1, 2_000, customers=300, poison_lines=2)
    project.run(check=False)
    return project
