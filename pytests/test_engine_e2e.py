"""The embedded engine the `local` target gives dbt: Spark 4 with Delta Lake, ANSI on, UTC."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version

import pytest
from dbt.adapters.spark_delta import class_archive, delta_jars
from pyspark.sql import SparkSession

from lakehouse.project import DbtProject
from support.engine_target import EMBEDDED

# the thrift suite runs it too (Makefile test-thrift)
pytestmark = [pytest.mark.e2e, pytest.mark.thrift]


def test_session_runs_delta_with_ansi_mode_and_utc(spark: SparkSession) -> None:
    conf = spark.conf
    assert conf.get("spark.sql.ansi.enabled") == "true"
    assert conf.get("spark.sql.session.timeZone") == "UTC"
    assert "DeltaCatalog" in conf.get("spark.sql.catalog.spark_catalog")
    assert spark.version == version("pyspark"), "the engine is the pinned pyspark wheel's"
    if EMBEDDED:  # the Delta jars come from the machine's resolved cache, not from Ivy per start
        assert not spark.conf.get("spark.jars.packages", "")
        jars = spark.conf.get("spark.jars").split(",")
        assert jars[: len(delta_jars.classpath())] == [str(jar) for jar in delta_jars.classpath()]
        assert any(f"/io.delta_{delta_jars.delta_artifact()}-" in jar for jar in jars)
        # and its JVM maps the machine's class-data-sharing archive (made once, then reused)
        runtime = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getRuntimeMXBean()
        archive = class_archive.archive_path(delta_jars.classpath())
        assert f"-XX:SharedArchiveFile={archive}" in list(runtime.getInputArguments())


def test_delta_merge_and_change_feed(
    spark: SparkSession, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("delta_probe") / "t"
    table = f"delta.`{path}`"
    spark.sql(
        f"create table {table} (id bigint, v string) using delta "
        "tblproperties (delta.enableChangeDataFeed = true)"
    )
    spark.sql(f"insert into {table} values (1, 'a'), (2, 'b')")
    spark.sql(
        f"merge into {table} as t using (select 1 as id, 'z' as v union all select 3, 'c') as s "
        "on t.id = s.id when matched then update set * when not matched then insert *"
    )
    changes = spark.sql(f"select id, v, _change_type from table_changes_by_path('{path}', 0)")
    assert sorted(map(tuple, changes.collect())) == [
        (1, "a", "insert"),
        (1, "a", "update_preimage"),
        (1, "z", "update_postimage"),
        (2, "b", "insert"),
        (3, "c", "insert"),
    ]


def test_dbt_statements_run_with_ansi_mode(
    spark: SparkSession, new_project: Callable[[str], DbtProject]
) -> None:
    project = new_project("ansi")
    result = project.invoke(
        "show", "--inline", "select cast('not a number' as int) as n", check=False
    )
    assert not result.success, "a failing cast must raise under ANSI mode"
    shown = project.invoke("show", "--inline", "select try_cast('not a number' as int) as n")
    assert shown.success
