"""Build (once per process) the SparkSession that the ``session`` method runs on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from dbt.adapters.spark_delta import delta_jars, lakehouse_lock
from pyspark.sql import SparkSession

# Delta Lake is what makes this adapter: these are defaults a profile may still override.
DELTA_DEFAULTS: Mapping[str, str] = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.master": "local[*]",
    "spark.app.name": "dbt-spark-delta",
    "spark.ui.showConsoleProgress": "false",
}

# dbt-spark re-runs SparkSession.builder.getOrCreate() for every statement; on a running session
# Spark then warns once per statement that static settings are ignored. Nothing is wrong.
QUIET_LOGGERS = (
    "org.apache.spark.sql.SparkSession",
    "org.apache.spark.sql.classic.SparkSession",
    # Replacing a Delta table in the embedded Hive metastore logs a harmless "Failed to alter".
    "org.apache.hadoop.hive.metastore.HiveAlterHandler",
)

_lock = threading.Lock()


def get_or_create_session(parameters: Mapping[str, str]) -> SparkSession:
    """Return the process's SparkSession, creating it with Delta Lake on first use.

    Static settings (jars, extensions, warehouse, metastore, driver memory) only take effect
    here, at creation; later calls reuse the running session. Creating it first takes the
    lakehouse's lock (lakehouse_lock): a second process on the same metastore fails at once.
    """
    with _lock:
        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        settings = {**DELTA_DEFAULTS, **parameters}
        lakehouse_lock.acquire(settings)  # one process per embedded metastore: fail fast
        # the Delta jars that match the installed delta-spark, resolved once per machine
        settings["spark.jars"] = _with_delta_jars(settings.get("spark.jars", ""))
        builder = SparkSession.builder.enableHiveSupport()
        for key, value in settings.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
        _quiet(spark)
        return spark


def _with_delta_jars(jars: str) -> str:
    """A profile's own ``spark.jars``, after Delta's."""
    return ",".join([*(str(jar) for jar in delta_jars.classpath()), *filter(None, jars.split(","))])


def _quiet(spark: SparkSession) -> None:
    # PySpark logs every failed statement with its whole JVM stack; dbt reports the error.
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    jvm = spark.sparkContext._jvm
    assert jvm is not None  # a classic session always has its JVM
    off = jvm.org.apache.logging.log4j.Level.OFF
    for name in QUIET_LOGGERS:
        jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(name, off)


def runtime_parameters(spark: SparkSession, parameters: Mapping[str, str]) -> dict[str, str]:
    """The subset of ``parameters`` that can be (re)applied to a running session."""
    return {key: value for key, value in parameters.items() if spark.conf.isModifiable(key)}
