"""dbt's own functional-test fixtures (`dbt.tests.fixtures.project`), on the `session` method:
each test class gets a tiny project and a schema of its own on the embedded Spark + Delta
engine. Within a bigger suite the process's running session is reused."""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt.tests.fixtures.project import *  # noqa: F403  (dbt's fixtures: project, adapter, ...)


@pytest.fixture(scope="session")
def engine_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Warehouse and metastore for an engine these tests start themselves; a process that
    already runs a session (the whole suite) keeps its own, and these settings go unused."""
    return tmp_path_factory.mktemp("spark_delta_engine")


@pytest.fixture(scope="class")
def dbt_profile_target(engine_dir: Path) -> dict[str, object]:
    return {
        "type": "spark_delta",
        "method": "session",
        "host": "localhost",
        "threads": 1,
        "server_side_parameters": {
            "spark.master": "local[2]",
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.shuffle.partitions": "2",
            "spark.ui.enabled": "false",
            "spark.sql.warehouse.dir": str(engine_dir / "warehouse"),
            "spark.hadoop.javax.jdo.option.ConnectionURL": (
                f"jdbc:derby:;databaseName={engine_dir}/metastore_db;create=true"
            ),
            "spark.driver.extraJavaOptions": f"-Dderby.stream.error.file={engine_dir}/derby.log",
        },
    }
