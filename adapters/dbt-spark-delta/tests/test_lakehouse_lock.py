"""One run at a time per embedded lakehouse: a second process fails at once, naming the holder,
and the lock of a process killed with SIGKILL is free for the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dbt.adapters.spark_delta import lakehouse_lock

HOLD = """
import sys, time
from dbt.adapters.spark_delta import lakehouse_lock
lakehouse_lock.acquire({"spark.hadoop.javax.jdo.option.ConnectionURL": sys.argv[1]})
print("held", flush=True)
time.sleep(600)
"""


def _metastore_url(lakehouse: Path) -> str:
    return f"jdbc:derby:;databaseName={lakehouse}/metastore_db;create=true"


def test_the_lock_lives_beside_the_metastore_or_a_local_warehouse(tmp_path: Path) -> None:
    url = {lakehouse_lock.METASTORE_URL_KEY: _metastore_url(tmp_path)}
    assert lakehouse_lock.lock_path(url) == tmp_path.resolve() / "lakehouse.lock"
    warehouse = {lakehouse_lock.WAREHOUSE_KEY: f"file:{tmp_path}/warehouse"}
    assert lakehouse_lock.lock_path(warehouse) == tmp_path.resolve() / "lakehouse.lock"
    assert lakehouse_lock.lock_path({lakehouse_lock.WAREHOUSE_KEY: "s3a://bucket/wh"}) is None


def test_a_second_process_fails_fast_and_a_killed_holder_frees_the_lock(tmp_path: Path) -> None:
    url = _metastore_url(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(lakehouse_lock.LakehouseBusy) as busy:
            lakehouse_lock.acquire({lakehouse_lock.METASTORE_URL_KEY: url})
        assert time.monotonic() - started < 5
        assert f"pid {holder.pid}" in str(busy.value)
        assert "another run holds this lakehouse" in str(busy.value)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    # the kernel released the killed holder's lock: this process takes it
    assert lakehouse_lock.acquire({lakehouse_lock.METASTORE_URL_KEY: url}) is not None
    assert f'"pid": {os.getpid()}' in (tmp_path / "lakehouse.lock").read_text()
