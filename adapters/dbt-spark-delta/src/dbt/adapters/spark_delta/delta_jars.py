"""The Delta Lake jars that match the installed ``pyspark`` and ``delta-spark``: resolved from
Maven once per machine, then put on Spark's class path as files.

``delta.configure_spark_with_delta_pip`` asks Spark to resolve ``io.delta:delta-spark_…`` through
Ivy on every start: 37 modules and 33 jars, most of them older copies of what the ``pyspark``
wheel already ships (Hadoop's client, Parquet, Log4j, Jackson). Resolving once and passing only
the jars Spark lacks as ``spark.jars`` starts a session about 2 s sooner. The embedded session
and the Thrift server load the same list.
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import pyspark

# written after a resolution succeeded; it names the package that was resolved
RESOLVED_MARKER = "resolved"


class DeltaJarsError(RuntimeError):
    """The Delta jars could not be resolved; the message carries Spark's output."""


def spark_home() -> Path:
    """The ``pyspark`` wheel: Spark's jars and its ``bin/spark-submit``."""
    return Path(pyspark.__file__).parent


def delta_artifact() -> str:
    """Delta's artifact for the installed Spark line (one per Spark minor since Delta 4.1)."""
    spark_line = ".".join(pyspark.__version__.split(".")[:2])
    return f"delta-spark_{spark_line}_2.13"


def delta_package() -> str:
    return f"io.delta:{delta_artifact()}:{version('delta-spark')}"


def ivy_home() -> Path:
    """An Ivy home of Delta's own, so that its ``jars/`` folder holds Delta's jars only."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "medallion-lakehouse" / f"ivy-delta-{version('delta-spark')}"


def jars_dir() -> Path:
    return ivy_home() / "jars"


def classpath() -> list[Path]:
    """The resolved Delta jars that Spark does not ship itself, resolving them first if needed.

    Delta's dependencies include older copies of libraries that Spark ships (Jackson, Hadoop,
    Parquet, Log4j, …). On a class path ahead of Spark's own jars those copies would win and
    break Spark (Jackson 2.13 under Spark's Jackson 2.21 fails at start-up), so they are left out.
    """
    resolve()
    shipped = {_artifact(jar.name) for jar in (spark_home() / "jars").glob("*.jar")}
    return [
        jar
        for jar in sorted(jars_dir().glob("*.jar"))
        # Ivy names a jar <group>_<artifact>-<version>.jar
        if _artifact(jar.name.split("_", 1)[-1]) not in shipped
    ]


def _artifact(jar_name: str) -> str:
    """`jackson-core-2.21.2.jar` → `jackson-core`: the name before the version."""
    return re.sub(r"-\d[^-]*(-\d[^-]*)?\.jar$", "", jar_name)


def resolved() -> bool:
    marker = ivy_home() / RESOLVED_MARKER
    return marker.exists() and marker.read_text().strip() == delta_package()


def resolve() -> Path:
    """Download the Delta jars from Maven Central once (Spark's own Ivy resolution).

    Processes that start at the same time (the Thrift server and an embedded session) take a
    lock, so one resolves and the others wait for it and then read its result.
    """
    if resolved():
        return jars_dir()
    with _locked(ivy_home() / "resolve.lock"):
        if resolved():
            return jars_dir()
        _run_ivy()
        (ivy_home() / RESOLVED_MARKER).write_text(f"{delta_package()}\n")
    return jars_dir()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the handle closes
        yield


def _run_ivy() -> None:
    noop = ivy_home() / "resolve_jars.py"
    noop.write_text("# spark-submit resolves --packages, then runs this, which does nothing\n")
    result = subprocess.run(
        [
            str(spark_home() / "bin" / "spark-submit"),
            "--conf",
            f"spark.jars.ivy={ivy_home()}",
            "--packages",
            delta_package(),
            str(noop),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "SPARK_HOME": str(spark_home())},
        check=False,
    )
    if result.returncode != 0 or not any(jars_dir().glob(f"io.delta_{delta_artifact()}-*.jar")):
        raise DeltaJarsError(f"could not resolve {delta_package()} from Maven:\n{result.stderr}")
