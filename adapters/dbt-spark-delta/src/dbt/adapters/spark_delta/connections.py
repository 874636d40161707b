"""Credentials and connection manager: dbt-spark's, with the session built by this plugin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dbt.adapters.contracts.connection import Connection
from dbt.adapters.spark.connections import (
    SparkConnectionManager,
    SparkConnectionMethod,
    SparkCredentials,
)

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
