"""Bronze under odd landed files, in one landing and a few runs: empty and whitespace-only files,
a file whose last line is cut short, a late file with an old modification time, temporary and
hidden names, gzip content behind a `.json` name; then a file rewritten in place after it was
ingested, and a file deleted while a run reads its batch. Nothing is lost silently, nothing is
doubled, and each fault fails the run naming the file. The deletion is injected where dbt
sends its statements, so it runs on both Spark targets.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from dbt.adapters.spark_delta.connections import SparkDeltaConnectionManager
from pyspark.sql import SparkSession

from lakehouse import generate
from lakehouse.project import DbtProject
from support.landed_files import file_uri

# the thrift suite runs it too (Makefile test-thrift)
pytestmark = [pytest.mark.e2e, pytest.mark.thrift]


def _order(order_id: int) -> str:
    return json.dumps(
        {
            "order_id": order_id,
            "customer_id": 1,
            "amount": "5.00",
            "status": "pending",
            "order_date": "2024-05-01 10:00:00",
        }
    )


def _lines(*order_ids: int) -> str:
    return "".join(_order(order_id) + "\n" for order_id in order_ids)


# name -> content, under orders/odd/
ODD_FILES: dict[str, bytes] = {
    "empty.json": b"",
    "blank.json": b"  \n\n\t \n",
    "partial.json": (_lines(9_300_001, 9_300_002) + _order(9_300_003)[:30]).encode(),
    "late.json": _lines(9_300_011, 9_300_012).encode(),
    "gzip.json": gzip.compress(_lines(9_300_021, 9_300_022).encode()),
    "truncated_gzip.json": gzip.compress(_lines(*range(9_300_031, 9_300_061)).encode())[:60],
    # never ingested: not named *.json, or hidden from Spark's listing
    "upload.json.tmp": _lines(9_300_041).encode(),
    "upload.json.crc": b"crc",
    "_hidden.json": _lines(9_300_051).encode(),
    ".dot.json": _lines(9_300_052).encode(),
    "_staging/copy.json": _lines(9_300_053).encode(),
}
SKIPPED = {"upload.json.tmp", "upload.json.crc", "_hidden.json", ".dot.json", "_staging/copy.json"}
# the statement that appends a batch to bronze
BRONZE_APPEND = re.compile(r"insert\s+into\s+\S*bronze_orders\s+by\s+name", re.IGNORECASE)


@dataclass
class BadFileRuns:
    odd: Path
    bronze_rows: dict[str, list]  # file name under odd/ -> its bronze rows
    logged: Counter  # file URI -> times in the ingested-file log
    logged_line: list[str]
    quarantined: dict[str, set[str]]  # file name -> the quarantined lines' flags
    rewritten: str
    rewrite_error: str
    version_before_rewrite: int
    version_after_rewrite: int
    lines_after_refresh: Counter  # (file name, line number) -> rows
    vanished: str
    vanish_error: str
    logged_after_vanishing: Counter
    lines_after_relanding: Counter


def _log_table(project: DbtProject) -> str:
    folder = project.state_dir / "checkpoints" / project.schema / "bronze_orders"
    return f"delta.`{folder / 'ingested_files'}`"


def _logged(spark: SparkSession, project: DbtProject) -> Counter:
    rows = spark.sql(f"select source_file from {_log_table(project)}").collect()
    return Counter(row.source_file for row in rows)


def _error(result: Any) -> str:
    errors = [r.message for r in result.result.results if str(r.status) == "error"]
    return errors[0] if errors else str(result.exception)


def _version(spark: SparkSession, table: str) -> int:
    return spark.sql(f"describe history {table} limit 1").first().version


@pytest.fixture(scope="module")
def bad_file_runs(new_project: Callable[[str], DbtProject], spark: SparkSession) -> BadFileRuns:
    project = new_project("bronze_bad_files")
    generate.land(project.landing_root, 0, 1, 200, files=2, customers=20)
    odd = project.landing_root / "orders" / "odd"
    odd.mkdir(parents=True)
    for name, content in ODD_FILES.items():
        (odd / name).parent.mkdir(exist_ok=True)
        (odd / name).write_bytes(content)
    os.utime(odd / "late.json", (946_684_800, 946_684_800))  # modified in 2000

    project.run("--select", "+quarantine_orders")
    logged_line = [line for line in project.logged if "skipped" in line]
    bronze = project.table("bronze_orders")
    rows = spark.sql(f"select * from {bronze} where source_file like '%/odd/%'").collect()
    by_file: dict[str, list] = {}
    for row in rows:
        by_file.setdefault(row.source_file.rsplit("/", 1)[1], []).append(row)
    quarantine = spark.sql(
        f"select source_file, is_malformed from {project.table('quarantine_orders')} "
        "where source_file like '%/odd/%'"
    ).collect()
    quarantined: dict[str, set[str]] = {}
    for row in quarantine:
        flag = "malformed" if row.is_malformed else "invalid"
        quarantined.setdefault(row.source_file.rsplit("/", 1)[1], set()).add(flag)
    logged = _logged(spark, project)

    # a landed file rewritten in place after it was ingested
    rewritten = sorted((project.landing_root / "orders").glob("batch=0000/*.json"))[0]
    with rewritten.open("a") as appended:
        appended.write(_lines(9_300_099))
    version = _version(spark, bronze)
    failed = project.run("--select", "bronze_orders", check=False)
    assert not failed.success
    version_after = _version(spark, bronze)
    project.run("--select", "bronze_orders", "--full-refresh")
    refreshed = spark.sql(f"select source_file, source_line_number from {bronze}").collect()

    # a file deleted after the run listed it, before bronze read it
    vanishing, staying = odd / "vanishing.json", odd / "staying.json"
    vanishing.write_text(_lines(9_300_071, 9_300_072))
    staying.write_text(_lines(9_300_081))
    add_query = SparkDeltaConnectionManager.add_query

    def delete_before_reading(manager: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
        if BRONZE_APPEND.search(sql) and vanishing.exists():
            vanishing.unlink()
        return add_query(manager, sql, *args, **kwargs)

    with mock.patch.object(
        SparkDeltaConnectionManager, "add_query", autospec=True, side_effect=delete_before_reading
    ):
        vanish = project.run("--select", "bronze_orders", check=False)
    assert not vanish.success and not vanishing.exists(), "the fault was injected"
    project.run("--select", "bronze_orders")
    logged_after_vanishing = _logged(spark, project)
    vanishing.write_text(_lines(9_300_071, 9_300_072))  # it lands again
    project.run("--select", "bronze_orders")
    relanded = spark.sql(f"select source_file, source_line_number from {bronze}").collect()
    return BadFileRuns(
        odd=odd,
        bronze_rows=by_file,
        logged=logged,
        logged_line=logged_line,
        quarantined=quarantined,
        rewritten=file_uri(rewritten),
        rewrite_error=_error(failed),
        version_before_rewrite=version,
        version_after_rewrite=version_after,
        lines_after_refresh=Counter((row.source_file, row.source_line_number) for row in refreshed),
        vanished=file_uri(vanishing),
        vanish_error=_error(vanish),
        logged_after_vanishing=logged_after_vanishing,
        lines_after_relanding=Counter(
            (row.source_file, row.source_line_number) for row in relanded
        ),
    )


def test_blank_files_are_logged_with_no_rows(bad_file_runs: BadFileRuns) -> None:
    runs = bad_file_runs
    assert runs.logged[file_uri(runs.odd / "blank.json")] == 1
    assert "blank.json" not in runs.bronze_rows
    # Spark's file scans never list a 0-byte file; the adapter's listing finds it, and it is
    # recorded as ingested with no row, once
    assert "empty.json" not in runs.bronze_rows
    assert runs.logged[file_uri(runs.odd / "empty.json")] == 1


def test_a_cut_last_line_is_quarantined_as_malformed(bad_file_runs: BadFileRuns) -> None:
    rows = sorted(bad_file_runs.bronze_rows["partial.json"], key=lambda row: row.source_line_number)
    assert [row.is_malformed for row in rows] == [False, False, True]
    assert rows[2]._corrupt_record == _order(9_300_003)[:30]
    assert bad_file_runs.quarantined["partial.json"] == {"malformed"}


def test_a_late_file_with_an_old_modification_time_is_ingested(bad_file_runs: BadFileRuns) -> None:
    rows = bad_file_runs.bronze_rows["late.json"]
    assert sorted(row.order_id for row in rows) == ["9300011", "9300012"]
    assert {str(row.source_file_modified_at.year) for row in rows} == {"2000"}


def test_gzip_behind_a_json_name_is_quarantined_never_dropped(bad_file_runs: BadFileRuns) -> None:
    for name in ("gzip.json", "truncated_gzip.json"):
        rows = bad_file_runs.bronze_rows[name]
        assert rows and all(row.is_malformed for row in rows), name
        assert bad_file_runs.quarantined[name] == {"malformed"}, name


def test_temporary_and_hidden_names_are_never_ingested(bad_file_runs: BadFileRuns) -> None:
    runs = bad_file_runs
    for name in SKIPPED:
        assert name not in runs.bronze_rows and file_uri(runs.odd / name) not in runs.logged
    # every skipped file is named in the run's output: the names the pattern leaves out, and
    # the hidden names, which Spark never lists (the adapter's listing finds them)
    [hidden, unmatched] = sorted(runs.logged_line, key=lambda line: "hidden" not in line)
    assert "skipped 3 hidden file(s)" in hidden
    assert all(name in hidden for name in ("_hidden.json", ".dot.json", "_staging/copy.json"))
    assert "skipped 2 file(s) not named *.json" in unmatched
    assert "upload.json.tmp" in unmatched and "upload.json.crc" in unmatched


def test_a_file_rewritten_in_place_fails_the_run_by_name(bad_file_runs: BadFileRuns) -> None:
    runs = bad_file_runs
    assert runs.rewritten in runs.rewrite_error
    assert "changed after bronze_orders ingested them" in runs.rewrite_error
    assert "--full-refresh" in runs.rewrite_error
    assert runs.version_after_rewrite == runs.version_before_rewrite, "nothing written"
    # rebuilt from the files as they are now: the appended line once, no line twice
    assert max(runs.lines_after_refresh.values()) == 1
    text = Path(runs.rewritten.removeprefix("file:")).read_text()
    lines = sum(1 for source_file, _ in runs.lines_after_refresh if source_file == runs.rewritten)
    assert lines == sum(1 for line in text.split("\n") if line.strip())
    assert json.loads(text.rstrip("\n").rsplit("\n", 1)[1])["order_id"] == 9_300_099


def test_a_file_deleted_before_it_was_read_fails_the_run_and_is_not_logged(
    bad_file_runs: BadFileRuns,
) -> None:
    runs = bad_file_runs
    assert runs.vanished in runs.vanish_error
    assert "disappeared before they were recorded" in runs.vanish_error
    staying = runs.vanished.replace("vanishing.json", "staying.json")
    # the next run records what bronze holds: the file that stayed, not the one that went
    assert runs.vanished not in runs.logged_after_vanishing
    assert runs.logged_after_vanishing[staying] == 1
    # landed again, it is ingested once; no line of any file twice
    assert max(runs.lines_after_relanding.values()) == 1
    assert sum(1 for f, _ in runs.lines_after_relanding if f == runs.vanished) == 2
    assert sum(1 for f, _ in runs.lines_after_relanding if f == staying) == 1
