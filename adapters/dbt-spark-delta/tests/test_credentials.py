"""The plugin's credentials: dbt-spark's, except that ANSI mode is the profile's to choose."""

from __future__ import annotations

from dbt.adapters.spark.connections import SparkConnectionMethod
from dbt.adapters.spark_delta import Plugin
from dbt.adapters.spark_delta.connections import SparkDeltaCredentials


def _credentials(**parameters: str) -> SparkDeltaCredentials:
    return SparkDeltaCredentials(
        host="localhost",
        method=SparkConnectionMethod.SESSION,
        database=None,
        schema="medallion",
        server_side_parameters=dict(parameters),
    )


def test_ansi_mode_is_on_by_default() -> None:
    assert _credentials().server_side_parameters["spark.sql.ansi.enabled"] == "true"


def test_ansi_mode_follows_the_profile() -> None:
    off = _credentials(**{"spark.sql.ansi.enabled": "false"})
    on = _credentials(**{"spark.sql.ansi.enabled": "TRUE"})
    assert off.server_side_parameters["spark.sql.ansi.enabled"] == "false"
    assert on.server_side_parameters["spark.sql.ansi.enabled"] == "true"


def test_other_parameters_pass_through() -> None:
    creds = _credentials(**{"spark.sql.session.timeZone": "UTC"})
    assert creds.server_side_parameters["spark.sql.session.timeZone"] == "UTC"
    assert creds.type == "spark_delta"


def test_plugin_extends_dbt_spark() -> None:
    assert Plugin.adapter.type() == "spark_delta"
    assert Plugin.dependencies == ["spark"]
