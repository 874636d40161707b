"""Shared fixtures. One Spark session serves the whole run: the `local` target embeds Spark in
this process, so every dbt invocation after the first reuses the JVM."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse.project import DbtProject


@pytest.fixture(scope="session")
def lakehouse_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Warehouse and metastore of the test run's Spark session (fixed when it starts)."""
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
        return DbtProject(landing_root=state / "landing", state_dir=state, schema=f"test_{name}")

    return make


@pytest.fixture(scope="session")
def spark(new_project: Callable[[str], DbtProject]) -> SparkSession:
    """The session dbt runs on (started by dbt itself, through the profile)."""
    new_project("session_start").invoke("show", "--inline", "select 1 as ready")
    return SparkSession.builder.getOrCreate()
