"""The files of a folder that Spark's file scans never show.

Spark's file sources (`binaryFile`, `text`, `json`, …) leave out two kinds of file without a
word: names starting with `_` or `.` (and everything inside folders named so), which Hadoop
tools use for temporary and metadata files, and empty files. A streaming table lists its
landing folder through such a scan, so it could neither ingest nor name them. This module
lists them another way, so that the table can log a hidden file it skips and record an empty
file as ingested with no row:

- on the embedded engine, through the session's own Hadoop file system (any URI the session
  can read: local, `s3a://`, `abfss://`, …);
- from a client of a Spark server (thrift), directly when the folder is a local path (the
  server then sees the same disk); a remote folder cannot be listed from the client, and
  `None` says so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any

# Hadoop's own names for partial copies; Spark leaves them out like hidden names.
COPYING_SUFFIX = "._COPYING_"
# `file:`, `s3a://`, `abfss://`, ... (and a Windows drive letter, which is absolute too)
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class UnlistedFile:
    """One file Spark's scans leave out: its path as Spark writes it, size, modification time."""

    path: str
    size: int
    modified_micros: int
    hidden: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def hidden_from_spark(relative_path: str) -> bool:
    """True when Spark's listing drops this path (relative to the folder listed): a name, or a
    folder on the way to it, starting with `_` (partition folders `_x=1` excepted) or `.`, or
    a name ending in `._COPYING_`."""
    parts = PurePosixPath(relative_path).parts
    for part in parts:
        if part.startswith(".") or (part.startswith("_") and "=" not in part):
            return True
    return bool(parts) and parts[-1].endswith(COPYING_SUFFIX)


def unlisted(files: Iterable[tuple[str, str, int, int]]) -> list[UnlistedFile]:
    """From (path, path relative to the folder, size, modified micros) of every file under a
    folder, the ones Spark's scans leave out: hidden ones, and empty ones."""
    found = []
    for path, relative, size, modified_micros in files:
        hidden = hidden_from_spark(relative)
        if hidden or size == 0:
            found.append(UnlistedFile(path, size, modified_micros, hidden))
    return sorted(found, key=lambda file: file.path)


def absolute_location(location: str) -> str:
    """`location` with a relative local path made absolute, against this process's working
    folder; a URI or an absolute path is returned unchanged. Delta names a table by its path
    (delta.`...`) only when the path is absolute, and a Spark server resolves a relative path
    against its own working folder, not dbt's."""
    if URI_SCHEME.match(location) or location.startswith("/"):
        return location
    return os.path.abspath(location)


def local_path(location: str) -> str | None:
    """The local folder a location names (`/x`, `file:/x`, `file:///x`), else None."""
    if location.startswith("file://"):
        return location.removeprefix("file://")
    if location.startswith("file:"):
        return location.removeprefix("file:")
    return location if location.startswith("/") else None


def walk_local(folder: str) -> Iterator[tuple[str, str, int, int]]:
    """Every file under a local folder as (Spark's path `file:/…`, relative path, size, micros)."""
    root = os.path.abspath(folder)
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:  # removed while listing: gone for this run
                continue
            relative = os.path.relpath(path, root)
            # milliseconds, as Hadoop reports them, so that both listings agree
            yield f"file:{path}", relative, stat.st_size, stat.st_mtime_ns // 1_000_000 * 1000


def walk_hadoop(spark: Any, location: str) -> Iterator[tuple[str, str, int, int]]:
    """Every file under `location` through the session's Hadoop file system (py4j)."""
    jvm = spark.sparkContext._jvm
    folder = jvm.org.apache.hadoop.fs.Path(location)
    file_system = folder.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not file_system.exists(folder):
        return
    root = file_system.makeQualified(folder).toUri().getPath().rstrip("/") + "/"
    files = file_system.listFiles(folder, True)
    while files.hasNext():
        status = files.next()
        path = status.getPath()
        relative = path.toUri().getPath().removeprefix(root)
        yield path.toString(), relative, status.getLen(), status.getModificationTime() * 1000
