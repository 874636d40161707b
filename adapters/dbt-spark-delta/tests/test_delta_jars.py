"""The Delta jars: resolved once per machine (one process resolves while the others wait), then
passed to Spark as the files Spark lacks."""

from __future__ import annotations

import subprocess
import threading
import time
from importlib.metadata import version
from pathlib import Path
from unittest import mock

import pyspark
import pytest
from dbt.adapters.spark_delta import delta_jars
from delta import configure_spark_with_delta_pip
from pyspark.sql import SparkSession


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return delta_jars.jars_dir()


def _land_resolution(jars: Path, *names: str) -> None:
    jars.mkdir(parents=True, exist_ok=True)
    for name in names:
        (jars / name).touch()


DELTA = f"io.delta_{delta_jars.delta_artifact()}-{version('delta-spark')}.jar"


def test_the_package_is_the_one_delta_pip_asks_spark_for() -> None:
    builder = configure_spark_with_delta_pip(SparkSession.builder)
    assert builder._options["spark.jars.packages"] == delta_jars.delta_package()
    spark_line = ".".join(pyspark.__version__.split(".")[:2])
    assert delta_jars.delta_package() == (
        f"io.delta:delta-spark_{spark_line}_2.13:{version('delta-spark')}"
    )


def test_the_class_path_leaves_out_what_spark_ships(cache: Path) -> None:
    _land_resolution(
        cache,
        DELTA,
        "io.delta_delta-storage-4.4.0.jar",
        # older copies of jars in pyspark/jars: ahead of Spark's own they break its start
        "com.fasterxml.jackson.core_jackson-databind-2.13.5.jar",
        "org.apache.parquet_parquet-hadoop-1.16.0.jar",
    )
    (cache.parent / delta_jars.RESOLVED_MARKER).write_text(delta_jars.delta_package())
    with mock.patch.object(delta_jars, "_run_ivy", autospec=True) as run_ivy:
        names = [jar.name for jar in delta_jars.classpath()]
    run_ivy.assert_not_called()
    assert names == [DELTA, "io.delta_delta-storage-4.4.0.jar"]


def test_processes_that_start_together_resolve_once(cache: Path) -> None:
    # jars of an interrupted resolution, or of another Spark line: no marker, so not resolved
    _land_resolution(cache, "io.delta_delta-storage-4.4.0.jar")
    (cache.parent / delta_jars.RESOLVED_MARKER).write_text("io.delta:delta-spark_4.1_2.13:4.4.0")

    def slow_ivy() -> None:
        time.sleep(0.5)
        _land_resolution(cache, DELTA)

    with mock.patch.object(delta_jars, "_run_ivy", autospec=True, side_effect=slow_ivy) as ivy:
        starts = [threading.Thread(target=delta_jars.classpath) for _ in range(3)]
        for start in starts:
            start.start()
        for start in starts:
            start.join()
        assert ivy.call_count == 1
        assert delta_jars.resolved()
        assert [jar.name for jar in delta_jars.classpath()] == [
            DELTA,
            "io.delta_delta-storage-4.4.0.jar",
        ]
        assert ivy.call_count == 1, "a resolved cache is read, not resolved again"


def test_a_failed_resolution_says_why_and_is_tried_again(cache: Path) -> None:
    failed = subprocess.CompletedProcess([], 1, "", "unresolved dependency: io.delta#delta-spark")
    with mock.patch.object(subprocess, "run", autospec=True, return_value=failed) as run:
        with pytest.raises(delta_jars.DeltaJarsError, match="unresolved dependency"):
            delta_jars.classpath()
        assert not delta_jars.resolved()
        with pytest.raises(delta_jars.DeltaJarsError):
            delta_jars.classpath()
    assert run.call_count == 2
    command = run.call_args.args[0]
    assert command[command.index("--packages") + 1] == delta_jars.delta_package()
    assert f"spark.jars.ivy={cache.parent}" in command
