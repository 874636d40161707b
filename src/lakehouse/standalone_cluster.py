"""A Spark standalone cluster on this machine, from the `pyspark` wheel's own `spark-class`.

One master and its workers, each bound to 127.0.0.1 and run in a process group of its own, so
that stopping one (by its pid) also ends the executors it launched. This is what the thrift
target's cluster test submits to; on real hardware the master and workers run on their own
hosts and `lakehouse thrift start --master spark://HOST:7077` points the server at them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse.thrift_server import HOST, ServerError, java_executable, process_alive, spark_home

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
REGISTERED = "Successfully registered with master"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class StandaloneCluster:
    """A master and `workers` workers under `state_dir` (logs, work folders)."""

    state_dir: Path
    workers: int = 1
    worker_cores: int = 1
    worker_memory: str = "2g"
    master_port: int = field(default_factory=free_port)
    master_ui_port: int = field(default_factory=free_port)
    pids: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    def worker_dir(self, index: int) -> Path:
        """Where worker `index` keeps its executors' folders and logs (app-*/<id>/stderr)."""
        return self.state_dir / f"worker-{index}"

    def _spawn(self, name: str, arguments: list[str]) -> int:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "SPARK_HOME": str(spark_home()),
            "SPARK_LOCAL_IP": HOST,
            "SPARK_LOG_DIR": str(self.state_dir),
            "SPARK_DAEMON_MEMORY": "512m",
        }
        with (self.state_dir / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [str(spark_home() / "bin" / "spark-class"), *arguments],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        self.pids.append(process.pid)
        return process.pid

    def start(self, timeout: float = 120.0) -> StandaloneCluster:
        java_executable()
        self._spawn(
            "master",
            [
                MASTER_CLASS,
                "--host",
                HOST,
                "--port",
                str(self.master_port),
                "--webui-port",
                str(self.master_ui_port),
            ],
        )
        for index in range(self.workers):
            self.worker_dir(index).mkdir(parents=True, exist_ok=True)
            self._spawn(
                f"worker-{index}",
                [
                    WORKER_CLASS,
                    self.url,
                    "--host",
                    HOST,
                    "--cores",
                    str(self.worker_cores),
                    "--memory",
                    self.worker_memory,
                    "--webui-port",
                    str(free_port()),
                    "--work-dir",
                    str(self.worker_dir(index)),
                ],
            )
        try:
            self._wait_registered(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_registered(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        logs = [self.state_dir / f"worker-{index}.log" for index in range(self.workers)]
        while time.monotonic() < deadline:
            if all(REGISTERED in log.read_text(errors="replace") for log in logs):
                return
            for pid in self.pids:
                finished, status = os.waitpid(pid, os.WNOHANG)
                if finished:
                    raise ServerError(
                        f"a standalone cluster process exited ({status}); see {self.state_dir}"
                    )
            time.sleep(1)
        raise ServerError(f"the workers did not register within {timeout:.0f} s: {self.state_dir}")

    def executor_logs(self) -> list[Path]:
        return sorted(
            path
            for index in range(self.workers)
            for path in self.worker_dir(index).glob("app-*/*/stderr")
        )

    def stop(self, timeout: float = 30.0) -> None:
        """Stop every process this cluster started (workers first), by pid."""
        for pid in reversed(self.pids):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for pid in reversed(self.pids):
            while time.monotonic() < deadline and process_alive(pid):
                time.sleep(0.2)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        self.pids.clear()

    def __enter__(self) -> StandaloneCluster:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
