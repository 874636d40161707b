"""The `lakehouse thrift` launcher: what it starts, and its errors (no JVM is started here; the
server itself is exercised by `make test-thrift`, which runs the end-to-end suite against it)."""

from __future__ import annotations

import socket
from importlib.metadata import version
from pathlib import Path

import pytest
from dbt.adapters.spark_delta import delta_jars

from lakehouse import thrift_server
from lakehouse.cli import main


def _conf(command: list[str]) -> dict[str, str]:
    pairs = [command[i + 1] for i, arg in enumerate(command) if arg == "--conf"]
    return dict(pair.split("=", 1) for pair in pairs)


def test_server_gets_the_local_engine_settings_and_binds_to_loopback(tmp_path: Path) -> None:
    config = thrift_server.ServerConfig(tmp_path, thrift_port=10123, connect_port=15123)
    command = thrift_server.spark_submit_command(config)
    conf = _conf(command)
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.sql.ansi.enabled"] == "true"
    assert conf["spark.sql.warehouse.dir"] == f"{tmp_path}/warehouse"
    assert (
        f"databaseName={tmp_path}/metastore_db"
        in conf["spark.hadoop.javax.jdo.option.ConnectionURL"]
    )
    assert conf["spark.sql.extensions"] == "io.delta.sql.DeltaSparkSessionExtension"
    assert conf["spark.connect.grpc.binding.address"] == "127.0.0.1"
    assert conf["spark.connect.grpc.binding.port"] == "15123"
    assert conf["spark.driver.bindAddress"] == "127.0.0.1"
    assert "hive.server2.thrift.bind.host=127.0.0.1" in command
    assert "hive.server2.thrift.port=10123" in command
    assert command[command.index("--class") + 1] == thrift_server.THRIFT_CLASS


def test_a_taken_port_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        config = thrift_server.ServerConfig(tmp_path, thrift_port=port, connect_port=port + 1)
        with pytest.raises(thrift_server.ServerError, match=f"port {port} on 127.0.0.1"):
            thrift_server.start(config, timeout=5)
    assert not config.pid_file.exists()


def test_missing_java_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    monkeypatch.setenv("LAKEHOUSE_DIR", str(tmp_path))
    assert main(["thrift", "start"]) == 1
    assert "Java was not found" in capsys.readouterr().out


def test_stop_and_status_without_a_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("LAKEHOUSE_DIR", str(tmp_path))
    (tmp_path / "thrift").mkdir()
    (tmp_path / "thrift" / "server.pid").write_text("999999999\n")  # a stale pid file
    assert main(["thrift", "status"]) == 3
    assert main(["thrift", "stop"]) == 0
    assert "no Thrift server was running" in capsys.readouterr().out
    assert not (tmp_path / "thrift" / "server.pid").exists()


def test_a_cluster_master_ships_the_delta_jars_that_spark_lacks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    jars = delta_jars.jars_dir()
    jars.mkdir(parents=True)
    (jars.parent / delta_jars.RESOLVED_MARKER).write_text(delta_jars.delta_package())
    delta = f"io.delta_{delta_jars.delta_artifact()}-{version('delta-spark')}.jar"
    # an older Jackson than Spark's: ahead of Spark's own jars it breaks the server's start
    for name in (
        delta,
        "io.delta_delta-storage-4.4.0.jar",
        "com.fasterxml.jackson.core_jackson-databind-2.13.5.jar",
    ):
        (jars / name).touch()
    master = "spark://127.0.0.1:7077"
    conf = _conf(
        thrift_server.spark_submit_command(thrift_server.ServerConfig(tmp_path, master=master))
    )
    assert conf["spark.master"] == master
    shipped = conf["spark.jars"].split(",")
    assert [Path(jar).name for jar in shipped] == [delta, "io.delta_delta-storage-4.4.0.jar"]
    assert conf["spark.driver.extraClassPath"].split(":") == shipped

    local = _conf(thrift_server.spark_submit_command(thrift_server.ServerConfig(tmp_path)))
    assert local["spark.master"] == "local[*]"
    assert "spark.jars" not in local, "local[*]: the driver's class path is enough"


def test_an_unknown_master_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("LAKEHOUSE_DIR", str(tmp_path))
    assert main(["thrift", "start", "--master", "spark:/127.0.0.1"]) == 1
    assert "unknown Spark master 'spark:/127.0.0.1'" in capsys.readouterr().out
