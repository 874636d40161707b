"""The embedded engine's class-data-sharing archive on a real JVM: the first session on a machine
makes it (a training job) and starts with it; an archive the JVM cannot map (here, a truncated
one, with which a JVM does not start at all) is dropped and the session starts without it. The
JVM's own class-loading log proves that a session loads its classes from the archive.

It makes a real archive (about 80 s, once), so it runs in the thrift suite, which finishes well
before the local one; it needs no server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dbt.adapters.spark_delta import class_archive, delta_jars

from support.engine_target import EMBEDDED

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.thrift,
    pytest.mark.skipif(EMBEDDED, reason="the thrift suite runs it (it makes a real archive)"),
]

# PySpark sets the first one in this process once a Spark Connect session exists (the thrift
# suite's reading session); a child process would then refuse to start an embedded engine.
CONNECT_MODE = ("SPARK_CONNECT_MODE_ENABLED", "SPARK_REMOTE")

SESSION = """
import json, sys
from dbt.adapters.spark_delta.session import get_or_create_session
work = sys.argv[1]
spark = get_or_create_session({
    "spark.sql.warehouse.dir": f"{work}/warehouse",
    "spark.hadoop.javax.jdo.option.ConnectionURL":
        f"jdbc:derby:;databaseName={work}/metastore_db;create=true",
    "spark.driver.extraJavaOptions": f"-Dderby.stream.error.file={work}/derby.log",
    "spark.ui.enabled": "false",
})
runtime = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getRuntimeMXBean()
spark.sql("create table if not exists t (id int) using delta")
spark.sql("insert into t values (1)")
print(json.dumps({
    "jvm_options": list(runtime.getInputArguments()),
    "rows": spark.sql("select count(*) from t").first()[0],
}))
"""


def _start_a_session(cache: Path, work: Path, class_log: Path | None = None) -> dict:
    work.mkdir(exist_ok=True)
    # the launcher's own variable: the JVM logs where it loaded each class from
    logged = {"JDK_JAVA_OPTIONS": f"-Xlog:class+load=info:file={class_log}"} if class_log else {}
    # an embedded session: not the Spark Connect mode that this suite's own session set
    environ = {key: value for key, value in os.environ.items() if key not in CONNECT_MODE}
    result = subprocess.run(
        [sys.executable, "-c", SESSION, str(work)],
        capture_output=True,
        text=True,
        env={**environ, "XDG_CACHE_HOME": str(cache), **logged},
        cwd=work,  # where a JVM that crashes on the truncated archive writes its hs_err report
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_made_once_mapped_and_a_broken_one_dropped(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    delta_jars.resolve()
    home = delta_jars.ivy_home()  # the machine's resolved jars, shared, not fetched again
    (cache / home.parent.name).mkdir(parents=True)
    (cache / home.parent.name / home.name).symlink_to(home)
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        archive = class_archive.archive_path(delta_jars.classpath())
    finally:
        del os.environ["XDG_CACHE_HOME"]
    assert archive is not None and not archive.exists()
    assert archive.is_relative_to(cache)

    first = _start_a_session(cache, tmp_path / "work")
    assert archive.stat().st_size > 50_000_000, "the classes of Spark, Delta and Hive"
    assert f"-XX:SharedArchiveFile={archive}" in first["jvm_options"]
    assert first["rows"] == 1
    assert not list(archive.parent.glob("*.partial"))
    assert not list(archive.parent.glob("training-*")), "the training lakehouse is removed"

    # the next session loads Spark's and Delta's classes from it (a class path that differs
    # from the archive's would make the JVM ignore it, silently)
    class_log = tmp_path / "classes.log"
    again = _start_a_session(cache, tmp_path / "work", class_log)
    assert again["rows"] == 2
    from_archive = [
        line for line in class_log.read_text().splitlines() if "shared objects file (top)" in line
    ]
    assert len(from_archive) > 5_000
    assert any(" org.apache.spark.sql.delta." in line for line in from_archive)

    head = archive.read_bytes()[:1_000_000]
    archive.unlink()
    archive.write_bytes(head)
    second = _start_a_session(cache, tmp_path / "work")
    assert not any("SharedArchiveFile" in option for option in second["jvm_options"])
    assert second["rows"] == 3
    assert not archive.exists()
    assert class_archive.failure_marker(archive).exists()
    assert list((tmp_path / "work").glob("hs_err_pid*.log")), "the first JVM did crash on it"
