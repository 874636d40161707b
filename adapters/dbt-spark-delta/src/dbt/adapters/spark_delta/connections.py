"""Credentials and connection manager: dbt-spark's, with the session built by this plugin, and
metadata reads answered once until something writes (metadata_cache)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dbt.adapters.contracts.connection import AdapterResponse, Connection
from dbt.adapters.events.logging import AdapterLogger
from dbt.adapters.spark.connections import (
    SparkConnectionManager,
    SparkConnectionMethod,
    SparkCredentials,
)
from dbt.adapters.spark_delta import metadata_cache

if TYPE_CHECKING:
    import agate

logger = AdapterLogger("spark_delta")

ANSI_KEY = "spark.sql.ansi.enabled"


@dataclass
class SparkDeltaCredentials(SparkCredentials):
    """dbt-spark credentials; ANSI mode is taken from the profile (default: on, as in Spark 4).

    `connect_url` (optional, e.g. ``sc://127.0.0.1:15002``) is the Spark Connect endpoint of the
    same server, on which Python models run (submission method ``connect``).
    """

    connect_url: str | None = None

    def __post_init__(self) -> None:
        requested = str(self.server_side_parameters.get(ANSI_KEY, "true")).lower()
        super().__post_init__()  # dbt-spark forces ANSI off here
        self.server_side_parameters[ANSI_KEY] = "false" if requested == "false" else "true"

    @property
    def type(self) -> str:
        return "spark_delta"


class SparkDeltaConnectionManager(SparkConnectionManager):
    TYPE = "spark_delta"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metadata_cache = metadata_cache.MetadataCache()

    def add_query(self, sql: str, *args: Any, **kwargs: Any) -> tuple[Connection, Any]:
        writes = not metadata_cache.is_read(sql)
        if writes:
            self.metadata_cache.invalidate()
        try:
            return super().add_query(sql, *args, **kwargs)
        finally:
            if writes:
                self.metadata_cache.invalidate()

    def execute(
        self, sql: str, auto_begin: bool = False, fetch: bool = False, limit: int | None = None
    ) -> tuple[AdapterResponse, agate.Table]:
        key = metadata_cache.cache_key(sql, limit) if fetch else None
        if key is None:
            return super().execute(sql, auto_begin, fetch, limit)
        answer = self.metadata_cache.lookup(key)
        if answer is not None:
            logger.debug(f"Answered from this run's earlier read (nothing written since): {sql}")
            return answer
        generation = self.metadata_cache.generation
        answer = super().execute(sql, auto_begin, fetch, limit)
        self.metadata_cache.store(key, answer, generation)
        return answer

    @classmethod
    def open(cls, connection: Connection) -> Connection:
        connection = super().open(connection)
        creds: Any = connection.credentials
        if creds.method == SparkConnectionMethod.SESSION:
            from dbt.adapters.spark.session import Connection as SessionHandle
            from dbt.adapters.spark.session import SessionConnectionWrapper
            from dbt.adapters.spark_delta.session import (
                get_or_create_session,
                runtime_parameters,
            )

            spark = get_or_create_session(creds.server_side_parameters)
            # dbt-spark re-applies these on every statement: pass only runtime settings.
            connection.handle = SessionConnectionWrapper(
                SessionHandle(
                    server_side_parameters=runtime_parameters(spark, creds.server_side_parameters)
                )
            )
        return connection
