"""A class-data-sharing archive for the embedded engine's JVM: it starts sooner and warms up
sooner.

Each dbt invocation on the ``local`` target starts a JVM that loads some 20,000 classes of Spark,
Delta, Hive and their libraries before its first statement answers. A dynamic CDS archive
(JDK 13+) holds those classes already parsed and verified: measured here, a session started about
2.7 s sooner and its first Delta statements ran about 3 s sooner.

The archive is made once per machine, by a short job that runs the kinds of statement dbt sends
(Delta DDL, MERGE, change feed, history, file listings) in a throwaway lakehouse and dumps the
classes it loaded when its JVM exits. A JVM maps an archive only if its class path is the one
the archive was made with, so the archive is keyed by the Java executable, the ``pyspark``
installation (its folder: each virtualenv has its own), the Delta version and jars; a change of
any of them makes a new one, and an archive whose ``pyspark`` folder is gone is removed by the
next training. Only a complete archive
is ever used (the job writes a temporary file, which is renamed once the JVM has exited); a job
that fails leaves a marker, and sessions then start without an archive. A driver whose
``spark.driver.extraJavaOptions`` already names ``-Xshare`` or a ``SharedArchiveFile`` is left
as configured: ``-Xshare:off`` there turns this off.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pyspark
from dbt.adapters.spark_delta import delta_jars

# JVM options of a session that uses the archive: -Xshare:auto starts without it if it does not
# match this JVM, and -Xlog keeps CDS's notes out of dbt's output.
QUIET = "-Xlog:cds*=off -Xlog:cds+dynamic=off"
# Options by which a profile already decides on class data sharing.
USER_CHOICE = ("-Xshare", "SharedArchiveFile", "ArchiveClassesAtExit")

TRAINING = r"""
import json, os, sys, tempfile
from pathlib import Path
from pyspark.sql import SparkSession

archive, jars, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
(work / "landing").mkdir()
(work / "landing" / "a.json").write_text(json.dumps({"id": 1, "v": "a"}) + "\n")
spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
    .config("spark.jars", jars)
    .config("spark.ui.enabled", "false")
    .config("spark.sql.shuffle.partitions", "2")
    .config("spark.sql.warehouse.dir", str(work / "warehouse"))
    .config(
        "spark.hadoop.javax.jdo.option.ConnectionURL",
        f"jdbc:derby:;databaseName={work}/metastore_db;create=true",
    )
    .config(
        "spark.driver.extraJavaOptions",
        f"-XX:ArchiveClassesAtExit={archive} -Dderby.stream.error.file={work}/derby.log "
        + sys.argv[4],
    )
    .enableHiveSupport()
    .getOrCreate()
)
landing = work / "landing"
statements = [
    "create schema if not exists s",
    "create table s.t (id bigint, v string) using delta "
    "tblproperties (delta.enableChangeDataFeed = true)",
    "insert into s.t values (1, 'a'), (2, 'b')",
    "merge into s.t as t using (select 1 as id, 'z' as v) as u on t.id = u.id "
    "when matched then update set * when not matched then insert *",
    "alter table s.t add constraint id_present check (id is not null)",
    "alter table s.t set tblproperties ('note' = 'x')",
    "update s.t set v = 'y' where id = 2",
    "delete from s.t where id = 2",
    "describe history s.t",
    "show tblproperties s.t",
    "describe extended s.t",
    "show table extended in s like '*'",
    "select * from table_changes('s.t', 0)",
    "create or replace table s.u using delta as "
    "select v, count(distinct id) as n, avg(id) as a from s.t group by v",
    "create or replace view s.w as select *, row_number() over (partition by v order by id) as r "
    "from s.t",
    "select * from s.w",
    f"select path, length, modificationTime from binaryFile.`{landing}`",
    f"select * from json.`{landing}`",
    "select max(id), count(*) from s.t",
]
for statement in statements:
    spark.sql(statement).collect()
spark.read.json(str(landing)).write.format("delta").mode("append").saveAsTable("s.p")
gateway = spark.sparkContext._gateway.proc
spark.stop()
gateway.stdin.close()  # the JVM exits, and writes the archive, when its stdin closes
sys.exit(gateway.wait(timeout=600))
"""


def cache_dir() -> Path:
    return delta_jars.ivy_home().parent / "class-archive"


def java_executable() -> Path | None:
    """The ``java`` that Spark's launcher runs: $JAVA_HOME/bin/java, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return (Path(java_home) / "bin" / "java").resolve()
    found = shutil.which("java")
    return Path(found).resolve() if found else None


def archive_path(jars: list[Path]) -> Path | None:
    """Where the archive for this JVM, Spark, Delta and class path lives (None without Java)."""
    java = java_executable()
    if java is None:
        return None
    stat = java.stat()
    key = "\n".join(
        [
            f"{java}:{stat.st_size}:{stat.st_mtime_ns}",
            str(delta_jars.spark_home().resolve()),
            pyspark.__version__,
            version("delta-spark"),
            *(jar.name for jar in jars),
        ]
    )
    return cache_dir() / f"driver-{hashlib.sha256(key.encode()).hexdigest()[:16]}.jsa"


def java_options(jars: list[Path], configured: str = "") -> str:
    """The driver's JVM options that map the archive, making it first if need be; empty when a
    profile decides on class data sharing itself, or when no archive can be had."""
    if any(choice in configured for choice in USER_CHOICE):
        return ""
    try:
        archive = archive_path(jars)
        if archive is None:
            return ""
        if not archive.exists() and not create(archive, jars):
            return ""
    except OSError:  # an unwritable cache: start as Spark would without it
        return ""
    return f"-XX:SharedArchiveFile={archive} -Xshare:auto {QUIET}"


def failure_marker(archive: Path) -> Path:
    return archive.with_suffix(".failed")


def create(archive: Path, jars: list[Path]) -> bool:
    """Make the archive by running the training job; False if it failed (now or before) or if
    another process is making it right now (this session then starts without one)."""
    if failure_marker(archive).exists():
        return False
    archive.parent.mkdir(parents=True, exist_ok=True)
    with (archive.parent / "create.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if archive.exists():
            return True
        return _train(archive, jars)


def _train(archive: Path, jars: list[Path]) -> bool:
    _remove_abandoned(archive.parent)
    partial = archive.with_suffix(f".{os.getpid()}.partial")
    work = archive.parent / f"training-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                TRAINING,
                str(partial),
                ",".join(str(jar) for jar in jars),
                str(work),
                QUIET,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "SPARK_HOME": str(delta_jars.spark_home())},
            timeout=900,
            check=False,
        )
        if result.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
            detail = result.stderr.strip().splitlines()[-20:]
            failure_marker(archive).write_text(
                f"exit code {result.returncode}\n" + "\n".join(detail) + "\n"
            )
            return False
        _remove_orphans(archive.parent)
        source(archive).write_text(f"{delta_jars.spark_home().resolve()}\n")
        os.replace(partial, archive)  # complete: only now may a session map it
        return True
    except subprocess.TimeoutExpired:
        failure_marker(archive).write_text("the training job timed out\n")
        return False
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def source(archive: Path) -> Path:
    """The file naming the ``pyspark`` folder an archive was made for."""
    return archive.with_suffix(".source")


def _remove_orphans(folder: Path) -> None:
    """Archives made for a ``pyspark`` folder that is gone (a removed virtualenv or clone)."""
    for other in folder.glob("driver-*.jsa"):
        made_for = source(other)
        if not made_for.exists() or not Path(made_for.read_text().strip()).exists():
            other.unlink(missing_ok=True)
            made_for.unlink(missing_ok=True)
            failure_marker(other).unlink(missing_ok=True)


def _remove_abandoned(folder: Path) -> None:
    """Partial archives and training lakehouses of processes that were killed while training."""
    for leftover in [*folder.glob("*.partial"), *folder.glob("training-*")]:
        pid = leftover.name.split(".")[-2] if leftover.suffix == ".partial" else leftover.name[9:]
        if pid.isdigit() and not _alive(int(pid)):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def discard(jars: list[Path]) -> None:
    """Remove an archive that a JVM refused to start with, and do not make it again."""
    archive = archive_path(jars)
    if archive is not None:
        archive.unlink(missing_ok=True)
        failure_marker(archive).write_text("a JVM failed to start with this archive\n")
