"""Start and stop a local Spark Thrift Server (with Spark Connect) for the `thrift` target.

The server is the `pyspark` wheel's own `HiveThriftServer2`, run through its `spark-submit`, with
the Delta Lake jars that match the installed `delta-spark`, and the engine settings of the
`local` target in `profiles.yml` (UTC, ANSI, warehouse and metastore under `LAKEHOUSE_DIR`), so
both targets build the same lakehouse. It listens on 127.0.0.1 only: JDBC/Thrift for dbt's SQL,
and Spark Connect (gRPC) on the same driver, same catalog, for dbt's Python models.

One server per `LAKEHOUSE_DIR`: its pid file and log live in `$LAKEHOUSE_DIR/thrift/`. The Derby
metastore admits one JVM, so while the server runs, the `local` target of the same
`LAKEHOUSE_DIR` cannot (use the `thrift` target instead).

By default the server's driver runs the work itself (`local[*]`). Given a cluster's master
(`spark://HOST:PORT`, `yarn`, `k8s://…`), it is a driver that submits to that cluster: the Delta
jars are shipped to the executors (`spark.jars`), and the warehouse, checkpoints and landing
paths must be paths that every executor reads and writes (see docs/targets.md, "Outgrowing one
machine").
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from dbt.adapters.spark_delta import class_archive
from dbt.adapters.spark_delta.delta_jars import DeltaJarsError, spark_home
from dbt.adapters.spark_delta.delta_jars import classpath as delta_classpath
from dbt.adapters.spark_delta.session import DELTA_DEFAULTS

from lakehouse.project import REPO_ROOT

HOST = "127.0.0.1"
THRIFT_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
CONNECT_PLUGIN = "org.apache.spark.sql.connect.SparkConnectPlugin"
LOCAL_MASTER = "local[*]"
# the masters spark-submit knows: local, standalone, YARN, Kubernetes
MASTER_PATTERN = re.compile(r"^(local(\[(\*|\d+)(,\d+)?\])?|spark://[^/\s]+|yarn|k8s://\S+)$")


class ServerError(RuntimeError):
    """A problem the user can act on; the message says what to do."""


@dataclass(frozen=True)
class ServerConfig:
    lakehouse_dir: Path
    thrift_port: int = 10000
    connect_port: int = 15002
    # where the work runs: in the driver (local[*]) or on a cluster the driver submits to
    master: str = LOCAL_MASTER
    # the address executors reach the driver at; loopback for local[*] or a worker on this host
    driver_host: str = HOST

    def __post_init__(self) -> None:
        if not MASTER_PATTERN.match(self.master):
            raise ServerError(
                f"unknown Spark master {self.master!r}: use local[*], local[N], "
                "spark://HOST:PORT (standalone), yarn or k8s://HOST:PORT"
            )

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, master: str | None = None
    ) -> ServerConfig:
        return cls(
            lakehouse_dir=Path(environ.get("LAKEHOUSE_DIR", ".lakehouse")).resolve(),
            thrift_port=int(environ.get("THRIFT_PORT", "10000")),
            connect_port=int(environ.get("SPARK_CONNECT_PORT", "15002")),
            master=master or environ.get("SPARK_MASTER", LOCAL_MASTER),
            driver_host=environ.get("SPARK_DRIVER_HOST", HOST),
        )

    @property
    def on_cluster(self) -> bool:
        return not self.master.startswith("local")

    @property
    def state_dir(self) -> Path:
        return self.lakehouse_dir / "thrift"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "server.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "server.log"


def local_engine_settings(lakehouse_dir: Path) -> dict[str, str]:
    """The `local` target's `server_side_parameters`, rendered for `lakehouse_dir`.

    Read from profiles.yml so that the server and the embedded engine cannot drift apart.
    """
    environ = {**os.environ, "LAKEHOUSE_DIR": str(lakehouse_dir)}

    def env_var(name: str, default: str | None = None) -> str:
        # other outputs (databricks) may need variables that are not set: only `local` is used
        return environ.get(name, "" if default is None else default)

    text = (REPO_ROOT / "profiles.yml").read_text()
    jinja = jinja2.Environment()
    jinja.filters["as_number"] = lambda value: value  # dbt's filter; YAML types the number
    rendered = jinja.from_string(text).render(env_var=env_var)
    profile = yaml.safe_load(rendered)["medallion_lakehouse"]
    parameters = profile["outputs"]["local"]["server_side_parameters"]
    return {str(key): str(value) for key, value in parameters.items()}


def spark_submit_command(config: ServerConfig) -> list[str]:
    """The command that runs the server in the foreground."""
    settings = {
        **DELTA_DEFAULTS,
        **local_engine_settings(config.lakehouse_dir),
        "spark.app.name": "medallion-thrift-server",
        "spark.master": config.master,
        # On the driver's class path: Thrift sessions do not see jars added at run time.
        "spark.driver.extraClassPath": ":".join(str(jar) for jar in delta_classpath()),
        "spark.driver.host": config.driver_host,
        "spark.driver.bindAddress": config.driver_host,
        "spark.plugins": CONNECT_PLUGIN,
        "spark.connect.grpc.binding.address": HOST,
        "spark.connect.grpc.binding.port": str(config.connect_port),
        # the Spark UI stays off: nothing but the two ports listens
        "spark.ui.enabled": "false",
    }
    if config.on_cluster:
        # executors fetch the Delta jars from the driver when they start
        settings["spark.jars"] = ",".join(str(jar) for jar in delta_classpath())
    # ERROR hides the server's own start-up lines in its log; the server keeps WARN.
    settings.pop("spark.log.level", None)
    command = [str(spark_home() / "bin" / "spark-submit"), "--class", THRIFT_CLASS]
    for key, value in settings.items():
        command += ["--conf", f"{key}={value}"]
    command += [
        "spark-internal",
        "--hiveconf",
        f"hive.server2.thrift.bind.host={HOST}",
        "--hiveconf",
        f"hive.server2.thrift.port={config.thrift_port}",
    ]
    return command


def java_executable() -> str:
    """The `java` that Spark's launcher runs (the adapter's lookup), or a clear error."""
    found = class_archive.java_executable()
    if found is None:
        raise ServerError(
            "Java was not found: install a JDK 17 (e.g. apt install openjdk-17-jdk-headless) "
            "or set JAVA_HOME; Spark needs it."
        )
    return str(found)


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def running_pid(config: ServerConfig) -> int | None:
    """The server's pid if its pid file names a live process."""
    try:
        pid = int(config.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def start(config: ServerConfig, timeout: float = 300.0) -> int:
    """Start the server in the background; return its pid once both ports accept connections."""
    pid = running_pid(config)
    if pid is not None:
        raise ServerError(
            f"a Thrift server for {config.lakehouse_dir} already runs (pid {pid}); "
            "stop it first: lakehouse thrift stop"
        )
    java_executable()
    for name, port in (("Thrift", config.thrift_port), ("Spark Connect", config.connect_port)):
        if port_in_use(port):
            raise ServerError(
                f"port {port} on {HOST} ({name}) is already taken by another process; "
                f"stop it or choose another port (THRIFT_PORT / SPARK_CONNECT_PORT)"
            )
    try:
        delta_classpath()  # resolved once per machine, before the server's start is timed
    except DeltaJarsError as error:
        raise ServerError(str(error)) from error
    config.state_dir.mkdir(parents=True, exist_ok=True)
    with config.log_file.open("wb") as log:
        process = subprocess.Popen(
            spark_submit_command(config),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=config.state_dir,
            env={**os.environ, "SPARK_HOME": str(spark_home())},
            start_new_session=True,  # its own process group: stop() ends the JVM and its shell
        )
    config.pid_file.write_text(f"{process.pid}\n")
    try:
        _wait_until_ready(config, process, timeout)
    except BaseException:
        stop(config)
        raise
    return process.pid


def _wait_until_ready(config: ServerConfig, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(
                f"the Thrift server exited with code {process.returncode} while starting; "
                f"last lines of {config.log_file}:\n{log_tail(config)}"
            )
        if port_in_use(config.thrift_port) and port_in_use(config.connect_port):
            return
        time.sleep(1)
    raise ServerError(
        f"the Thrift server did not accept connections within {timeout:.0f} s; "
        f"last lines of {config.log_file}:\n{log_tail(config)}"
    )


def log_tail(config: ServerConfig, lines: int = 30) -> str:
    try:
        return "\n".join(config.log_file.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def stop(config: ServerConfig, timeout: float = 60.0) -> bool:
    """Stop the server (SIGTERM, then SIGKILL after `timeout`); False if none was running."""
    pid = running_pid(config)
    if pid is None:
        config.pid_file.unlink(missing_ok=True)
        return False
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process_alive(pid):
        time.sleep(0.5)
    if process_alive(pid):
        _signal_group(pid, signal.SIGKILL)
    config.pid_file.unlink(missing_ok=True)
    return True


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)


def process_alive(pid: int) -> bool:
    """Whether `pid` still runs (a child of ours is reaped once it has exited)."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return finished == 0
