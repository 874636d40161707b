"""dbt adapter plugin ``spark_delta``: dbt-spark plus a managed Spark + Delta Lake session.

It inherits everything from dbt-spark (macros dispatch ``spark_delta__`` → ``spark__`` →
``default__``) and changes three things:

* the ``session`` method builds the in-process SparkSession once, with the Delta Lake jars
  that match the installed ``delta-spark`` wheel (resolved once per machine: delta_jars), a
  class-data-sharing archive of the JVM's classes (class_archive) and every
  ``server_side_parameters`` entry;
* ``spark.sql.ansi.enabled`` is whatever the profile says (dbt-spark forces it off);
* Python models can run in that same session (submission method ``session``).
"""

from dbt.adapters.base import AdapterPlugin
from dbt.adapters.spark_delta.connections import SparkDeltaConnectionManager, SparkDeltaCredentials
from dbt.adapters.spark_delta.impl import SparkDeltaAdapter
from dbt.include import spark_delta

Plugin = AdapterPlugin(
    adapter=SparkDeltaAdapter,  # type: ignore[arg-type]
    credentials=SparkDeltaCredentials,
    include_path=spark_delta.PACKAGE_PATH,
    dependencies=["spark"],
)

__all__ = ["Plugin", "SparkDeltaAdapter", "SparkDeltaConnectionManager", "SparkDeltaCredentials"]
