"""One run at a time per lakehouse on the embedded engine.

The embedded metastore (Derby) admits one process; a second one used to fail deep in the JVM
(``Failed to start database '…/metastore_db'``). The process that starts the engine now first
takes an exclusive lock on a file beside the metastore, and a second process fails at once
with a message that names the holder. The kernel releases the lock when its holder exits, is
killed (``kill -9`` too) or crashes, so a lock left behind cannot block the next run.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from dbt_common.exceptions import DbtRuntimeError

METASTORE_URL_KEY = "spark.hadoop.javax.jdo.option.ConnectionURL"
WAREHOUSE_KEY = "spark.sql.warehouse.dir"

# the locks this process holds, kept open for its lifetime
_held: dict[Path, IO[str]] = {}


class LakehouseBusy(DbtRuntimeError):
    """Another process holds the lakehouse."""


def lock_path(parameters: Mapping[str, str]) -> Path | None:
    """The lock file of the engine these settings describe: beside its Derby metastore, else
    beside a local warehouse folder; None for a remote warehouse (another engine's business)."""
    match = re.search(r"databaseName=([^;]+)", parameters.get(METASTORE_URL_KEY, ""))
    if match:
        return Path(match.group(1)).resolve().with_name("lakehouse.lock")
    warehouse = parameters.get(WAREHOUSE_KEY, "spark-warehouse")
    if re.match(r"^[a-z][a-z0-9+.-]*://", warehouse) and not warehouse.startswith("file:"):
        return None
    return Path(warehouse.removeprefix("file:")).resolve().with_name("lakehouse.lock")


def acquire(parameters: Mapping[str, str]) -> Path | None:
    """Take this process's lock on the lakehouse, or raise LakehouseBusy naming its holder."""
    path = lock_path(parameters)
    if path is None or path in _held:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = _holder(handle.read())
        handle.close()
        raise LakehouseBusy(
            f"another run holds this lakehouse ({path.parent}) since {holder['since']}, "
            f"pid {holder['pid']}: wait for it to finish, or stop it (its lock goes with it)"
        ) from None
    handle.seek(0)
    handle.truncate()
    since = datetime.now(UTC).isoformat(timespec="seconds")
    handle.write(json.dumps({"pid": os.getpid(), "since": since}))
    handle.flush()
    _held[path] = handle
    return path


def _holder(text: str) -> dict[str, object]:
    try:
        holder = json.loads(text)
    except ValueError:
        holder = {}
    return {"pid": holder.get("pid", "unknown"), "since": holder.get("since", "an unknown time")}
