"""The ``spark_delta`` adapter: dbt-spark's adapter with this plugin's connection manager."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any, cast

from dbt.adapters.base import PythonJobHelper, available
from dbt.adapters.base.impl import AdapterTrackingRelationInfo
from dbt.adapters.contracts.relation import RelationConfig
from dbt.adapters.spark.impl import SparkAdapter
from dbt.adapters.spark_delta import file_listing, server_lock
from dbt.adapters.spark_delta.__version__ import version
from dbt.adapters.spark_delta.connections import SparkDeltaConnectionManager
from dbt.adapters.spark_delta.python_submissions import (
    ConnectPythonJobHelper,
    SessionPythonJobHelper,
)

# the server locks this process holds, by (host, port, schema): they outlive one invocation's
# adapter, as their renewing threads do
_server_locks: dict[tuple[str, int, str], server_lock.ServerLock] = {}


def _statement_runner(credentials: Any) -> Any:
    """Run statements on a connection of their own (the lock's renewals run beside the run's)."""
    from dbt.adapters.contracts.connection import Connection, Identifier

    connection = SparkDeltaConnectionManager.open(
        Connection(
            type=Identifier(credentials.type), name="lakehouse_lock", credentials=credentials
        )
    )
    handle: Any = connection.handle
    handle.poll_interval = 0.2  # the lock's statements are small: do not wait seconds for them

    def execute(sql: str) -> list[Any]:
        cursor = handle.cursor()
        cursor.execute(sql)
        try:
            return [tuple(row) for row in cursor.fetchall()]
        except Exception:  # a statement without a result set
            return []

    return execute


class SparkDeltaAdapter(SparkAdapter):
    ConnectionManager = SparkDeltaConnectionManager

    @property
    def default_python_submission_method(self) -> str:
        credentials: Any = self.config.credentials
        if credentials.method == "session":
            return "session"
        if credentials.connect_url:
            return "connect"
        return super().default_python_submission_method

    @property
    def python_submission_helpers(self) -> dict[str, type[PythonJobHelper]]:
        # dbt-spark's Databricks helpers stay available; these two run from this process.
        return {
            **super().python_submission_helpers,
            "session": SessionPythonJobHelper,
            "connect": ConnectPythonJobHelper,
        }

    @available
    def absolute_location(self, location: str) -> str:
        """A relative local path made absolute against dbt's working folder (the folder of
        `profiles.yml` when run as the README says); a URI or an absolute path unchanged."""
        return file_listing.absolute_location(location)

    @available
    def unlisted_files(self, location: str) -> list[dict[str, Any]] | None:
        """The files under `location` that Spark's file scans leave out (hidden names, empty
        files), each {path, size, modified_micros, hidden}; None when this process cannot list
        the location (a remote folder seen from a client of a Spark server)."""
        folder = file_listing.local_path(location)
        if folder is not None:
            return [
                file.as_dict() for file in file_listing.unlisted(file_listing.walk_local(folder))
            ]
        credentials: Any = self.config.credentials
        if credentials.method != "session":
            return None
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession()
        if spark is None:
            return None
        return [
            file.as_dict()
            for file in file_listing.unlisted(file_listing.walk_hadoop(spark, location))
        ]

    @available
    def acquire_lakehouse_lock(self, schema: str, invocation_id: str, lease_seconds: int) -> str:
        """Take the lakehouse's lock for this run, or fail naming the run that holds it. On the
        embedded engine the engine's own file lock already holds (lakehouse_lock); a client
        of a Spark server takes the server-side lock in `schema` (server_lock)."""
        credentials: Any = self.config.credentials
        if credentials.method == "session":
            return "the embedded engine's lock file"
        key = (str(credentials.host), int(credentials.port), schema)
        lock = _server_locks.get(key)
        if lock is None:
            lock = server_lock.ServerLock(
                table=f"{schema}.lakehouse_lock",
                where=f"schema {schema} on {credentials.host}:{credentials.port}",
                execute=_statement_runner(credentials),
                lease_seconds=int(lease_seconds),
            )
            # kept before acquiring: a refused attempt's connection serves the next, never leaks
            _server_locks[key] = lock
        lock.lease_seconds = int(lease_seconds)
        lock.acquire(invocation_id)
        return lock.table

    @available
    def release_lakehouse_lock(self, schema: str) -> None:
        """Release what acquire_lakehouse_lock took (nothing on the embedded engine)."""
        credentials: Any = self.config.credentials
        if credentials.method == "session":
            return
        lock = _server_locks.pop((str(credentials.host), int(credentials.port), schema), None)
        if lock is not None:
            lock.release()

    def _get_columns_for_catalog(self, relation: Any) -> Iterable[dict[str, Any]]:
        # dbt-spark reads catalog columns from `show table extended`, but the Hive metastore
        # entry of a Delta table loses its schema once the table is merged into or appended to
        # (Delta keeps the schema in its own log). Ask Delta then: DESCRIBE TABLE EXTENDED.
        columns = self.parse_columns_from_information(relation)
        if not columns:
            columns = self.get_columns_in_relation(relation)
        for column in columns:
            as_dict = column.to_column_dict()
            as_dict["column_name"] = as_dict.pop("column", None)
            as_dict["column_type"] = as_dict.pop("dtype")
            as_dict["table_database"] = None
            yield as_dict

    def submit_python_job(self, parsed_model: dict, compiled_code: str) -> Any:
        # An empty `submission_method` (how a model config says "the target's own engine" when
        # it names a Databricks method for the databricks target) means this adapter's default.
        config = parsed_model["config"]
        if not config.get("submission_method"):
            config = {**config, "submission_method": self.default_python_submission_method}
            parsed_model = {**parsed_model, "config": config}
        # the model writes through the Spark session, not through a statement
        cache = cast(SparkDeltaConnectionManager, self.connections).metadata_cache
        cache.invalidate()
        try:
            return super().submit_python_job(parsed_model, compiled_code)
        finally:
            cache.invalidate()

    @classmethod
    def get_adapter_run_info(cls, config: RelationConfig) -> AdapterTrackingRelationInfo:
        # The base class derives the module from the class name ("sparkdelta"); ours is spark_delta.
        # dbt's dataclass is hashable at runtime; its declared abstract __hash__ misleads mypy
        return AdapterTrackingRelationInfo(  # type: ignore[abstract]
            adapter_name="spark_delta",
            base_adapter_version=import_module("dbt.adapters.__about__").version,
            adapter_version=version,
            model_adapter_details=cls._get_adapter_specific_run_info(config),
        )
