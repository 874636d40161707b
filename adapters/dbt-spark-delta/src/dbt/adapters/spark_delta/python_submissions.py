"""Run dbt Python models from the dbt process (submission methods `session` and `connect`).

dbt-spark only submits Python models to Databricks clusters. Here the compiled model code (the
user's `model()` plus dbt's wrapper that writes the result table) runs in the dbt process with
`spark` bound to a session on the same engine and catalog as the model's SQL:

* `session` — the in-process SparkSession of the `session` connection method;
* `connect` — a Spark Connect session to the server behind the `thrift` method (profile field
  `connect_url`, e.g. `sc://127.0.0.1:15002`), so the work runs in the server's driver.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from dbt.adapters.base import PythonJobHelper
from dbt.adapters.spark_delta.session import get_or_create_session
from dbt_common.exceptions import DbtRuntimeError
from pyspark.sql import SparkSession


class _LocalPythonJobHelper(PythonJobHelper):
    method = ""

    def __init__(self, parsed_model: dict[str, Any], credentials: Any) -> None:
        self.identifier = parsed_model["alias"]
        self.credentials = credentials
        self.check_credentials()

    def check_credentials(self) -> None:
        raise NotImplementedError

    def session(self) -> SparkSession:
        raise NotImplementedError

    def submit(self, compiled_code: str) -> None:
        # dbt's wrapper imports pyspark.pandas, which wants this set before any session exists
        os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
        namespace: dict[str, Any] = {
            "spark": self.session(),
            "__name__": f"dbt_model_{self.identifier}",
        }
        code = compile(compiled_code, f"<dbt python model {self.identifier}>", "exec")
        exec(code, namespace)  # the model's own code, compiled by dbt

    def _refuse(self, needs: str) -> DbtRuntimeError:
        return DbtRuntimeError(
            f"Python model {self.identifier}: submission_method '{self.method}' needs {needs}"
        )


class SessionPythonJobHelper(_LocalPythonJobHelper):
    method = "session"

    def check_credentials(self) -> None:
        if self.credentials.method != "session":
            raise self._refuse(f"the 'session' connection method, not '{self.credentials.method}'")

    def session(self) -> SparkSession:
        return get_or_create_session(self.credentials.server_side_parameters)


# One Spark Connect session per server URL. Connect's getOrCreate() returns whatever session
# the process made first, whatever its URL: a second server would get the first one's session.
_connect_sessions: dict[str, SparkSession] = {}
_connect_lock = threading.Lock()


def _stopped(spark: SparkSession) -> bool:
    # a Spark Connect session says whether it was stopped; the classic type has no such field
    return bool(getattr(spark, "is_stopped", False))


def connect_session(url: str) -> SparkSession:
    """The process's Spark Connect session to `url`, created on first use (or after a stop)."""
    with _connect_lock:
        spark = _connect_sessions.get(url)
        if spark is None or _stopped(spark):
            spark = _connect_sessions[url] = SparkSession.builder.remote(url).create()
        return spark


def release_connect_session(url: str) -> None:
    """Stop the process's session to `url`, if there is one: call it before that server stops,
    or the session's exit hook retries a server that is gone for minutes when Python exits."""
    with _connect_lock:
        spark = _connect_sessions.pop(url, None)
    if spark is not None and not _stopped(spark):
        spark.stop()


class ConnectPythonJobHelper(_LocalPythonJobHelper):
    method = "connect"

    def check_credentials(self) -> None:
        if not getattr(self.credentials, "connect_url", None):
            raise self._refuse("`connect_url` in the profile (e.g. sc://127.0.0.1:15002)")

    def session(self) -> SparkSession:
        spark = connect_session(self.credentials.connect_url)
        for key, value in self.credentials.server_side_parameters.items():
            if spark.conf.isModifiable(key):
                spark.conf.set(key, value)
        return spark
