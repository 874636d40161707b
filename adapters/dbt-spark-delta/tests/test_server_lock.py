"""The server-side lock's protocol, on a stand-in for the server that records each statement:
Delta's conflicts are retried, a lock held by another process fails naming it, its own lock
is renewed and released. The lock on a real server: pytests/test_concurrent_runs_e2e.py."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

import pytest
from dbt.adapters.spark_delta import server_lock


class StandInServer:
    """Answers the lock's statements; the first `conflicts` MERGEs fail as Delta's do."""

    def __init__(self, holder: str, conflicts: int = 0) -> None:
        self.holder = holder
        self.conflicts = conflicts
        self.statements: list[str] = []

    def execute(self, sql: str) -> list[Sequence[Any]]:
        self.statements.append(" ".join(sql.split()))
        if sql.lstrip().startswith("merge") and self.conflicts:
            self.conflicts -= 1
            raise RuntimeError(
                "[DELTA_CONCURRENT_APPEND] ConcurrentAppendException: Files were added"
            )
        if sql.lstrip().startswith("select"):
            return [(self.holder, "inv-1", "2026-12-03 10:00:00", "2026-12-03 10:05:00")]
        return []


def _lock(server: StandInServer, lease: int = 300) -> server_lock.ServerLock:
    return server_lock.ServerLock(
        table="medallion.lakehouse_lock",
        where="schema medallion on 127.0.0.1:10000",
        execute=server.execute,
        lease_seconds=lease,
        sleep=lambda seconds: None,
    )


def test_a_conflict_is_retried_and_the_lock_renewed_then_released() -> None:
    server = StandInServer(server_lock.holder_name(), conflicts=2)
    lock = _lock(server, lease=1)
    lock.acquire("inv-1")
    time.sleep(0.6)  # a renewal every quarter of the lease
    lock.release()
    kinds = [statement.split()[0] for statement in server.statements]
    assert kinds[:5] == ["create", "merge", "merge", "merge", "select"]
    assert "update" in kinds and kinds[-1] == "delete"
    assert f"holder = '{server_lock.holder_name()}'" in server.statements[-1]
    renewals = len([kind for kind in kinds if kind == "update"])
    time.sleep(0.5)
    assert len([s for s in server.statements if s.startswith("update")]) == renewals  # stopped


def test_a_lock_held_elsewhere_fails_naming_its_holder() -> None:
    server = StandInServer("other-host:4242")
    with pytest.raises(server_lock.LakehouseBusy) as raised:
        _lock(server).acquire("inv-2")
    message = str(raised.value)
    assert "another run holds this lakehouse (schema medallion on 127.0.0.1:10000)" in message
    assert "since 2026-12-03 10:00:00 UTC, pid 4242 on other-host (dbt invocation inv-1)" in message
    assert "loses it at 2026-12-03 10:05:00 UTC" in message


def test_an_error_that_is_no_conflict_is_raised_at_once() -> None:
    def failing(sql: str) -> list[Sequence[Any]]:
        raise RuntimeError("[TABLE_OR_VIEW_NOT_FOUND] no schema medallion")

    lock = server_lock.ServerLock("medallion.lakehouse_lock", "here", failing)
    with pytest.raises(RuntimeError, match="TABLE_OR_VIEW_NOT_FOUND"):
        lock.acquire("inv-3")


def test_the_merge_takes_only_a_free_an_expired_or_its_own_lock() -> None:
    sql = " ".join(server_lock.take_sql("s.lakehouse_lock", "h:1", "inv", 30).split())
    assert re.search(
        r"when matched and \(held\.expires_at < current_timestamp\(\) "
        r"or held\.holder = asked\.holder\) then update set \* when not matched then insert \*",
        sql,
    )
    assert "make_interval(0, 0, 0, 0, 0, 0, 30)" in sql
