"""Build (once per process) the SparkSession that the ``session`` method runs on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from dbt.adapters.spark_delta import class_archive, delta_jars, lakehouse_lock
from pyspark.errors import PySparkRuntimeError
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
JAVA_OPTIONS = "spark.driver.extraJavaOptions"


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
        jars = delta_jars.classpath()
        own_jars = filter(None, settings.get("spark.jars", "").split(","))
        settings["spark.jars"] = ",".join([*(str(jar) for jar in jars), *own_jars])
        java_options = settings.get(JAVA_OPTIONS, "")
        archive_options = class_archive.java_options(jars, java_options)
        if archive_options:
            settings[JAVA_OPTIONS] = f"{java_options} {archive_options}".strip()
        try:
            spark = _build(settings)
        except PySparkRuntimeError:
            if not archive_options:
                raise
            # a JVM that cannot map the archive does not start: start it without; if that
            # works, the archive was at fault, and it is dropped
            spark = _build({**settings, JAVA_OPTIONS: java_options})
            class_archive.discard(jars)
        _quiet(spark)
        return spark


def _build(settings: Mapping[str, str]) -> SparkSession:
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


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
