"""The files Spark's scans leave out are found by the adapter's own listing: hidden names and
folders, Hadoop's partial copies, empty files; a file Spark reads is never among them, and the
two listers (local disk, the session's Hadoop file system) agree to the millisecond."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dbt.adapters.spark_delta import file_listing

FILES = {
    "a.json": b'{"a": 1}\n',
    "sub/b.json": b'{"a": 2}\n',
    "p_x=1/c.json": b'{"a": 3}\n',
    "_x=1/partition.json": b'{"a": 4}\n',
    "empty.json": b"",
    "_hidden.json": b'{"a": 5}\n',
    ".dot.json": b'{"a": 6}\n',
    "_staging/inside.json": b'{"a": 7}\n',
    ".git/objects/x": b"x",
    "copy.json._COPYING_": b'{"a": 8}\n',
}
UNLISTED = {
    "empty.json": False,
    "_hidden.json": True,
    ".dot.json": True,
    "_staging/inside.json": True,
    ".git/objects/x": True,
    "copy.json._COPYING_": True,
}


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    for name, content in FILES.items():
        path = tmp_path / "landing" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        os.utime(path, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    return tmp_path / "landing"


def _found(landing: Path, files: list[file_listing.UnlistedFile]) -> dict[str, bool]:
    prefix = f"file:{landing}/"
    return {file.path.removeprefix(prefix): file.hidden for file in files}


def test_hidden_names_follow_sparks_rule() -> None:
    assert file_listing.hidden_from_spark("_x.json")
    assert file_listing.hidden_from_spark(".x.json")
    assert file_listing.hidden_from_spark("day/_tmp/x.json")
    assert file_listing.hidden_from_spark("x.json._COPYING_")
    assert not file_listing.hidden_from_spark("_x=1/x.json")  # a partition folder
    assert not file_listing.hidden_from_spark("day/x_1.json")


def test_the_local_listing_finds_what_spark_leaves_out(landing: Path) -> None:
    found = file_listing.unlisted(file_listing.walk_local(str(landing)))
    assert _found(landing, found) == UNLISTED
    [empty] = [file for file in found if file.path.endswith("/empty.json")]
    assert (empty.size, empty.modified_micros) == (0, 1_700_000_000_123_000)
    assert file_listing.local_path(f"file://{landing}") == str(landing)
    assert file_listing.local_path(f"file:{landing}") == str(landing)
    assert file_listing.local_path("s3a://bucket/landing") is None


@pytest.mark.e2e
def test_the_hadoop_listing_agrees_with_the_local_one(landing: Path) -> None:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[1]").getOrCreate()
    through_hadoop = file_listing.unlisted(file_listing.walk_hadoop(spark, f"file:{landing}"))
    assert through_hadoop == file_listing.unlisted(file_listing.walk_local(str(landing)))
    listed = spark.sql(
        f"select path from binaryFile.`{landing}` with ('recursiveFileLookup' = 'true')"
    ).collect()
    # what Spark lists and what the adapter adds are the whole folder, without overlap
    seen = {row.path.removeprefix(f"file:{landing}/") for row in listed}
    assert seen == set(FILES) - set(UNLISTED)
    assert list(file_listing.walk_hadoop(spark, f"file:{landing}/missing")) == []


def test_absolute_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert file_listing.absolute_location(".lakehouse/x") == f"{tmp_path}/.lakehouse/x"
    for unchanged in (
        "/data/x",
        "file:/data/x",
        "file:///data/x",
        "s3a://bucket/x",
        "abfss://c@a/x",
    ):
        assert file_listing.absolute_location(unchanged) == unchanged
