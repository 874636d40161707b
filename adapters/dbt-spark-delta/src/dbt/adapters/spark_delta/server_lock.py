"""One run at a time per lakehouse on a Spark server (the `thrift` method).

Two dbt processes that talk to one Thrift server share its warehouse, so a lock in either
client's file system cannot stop them. This lock lives with the data instead: one row of a
Delta table in the target schema (`lakehouse_lock`), taken and released through the server.

- Taking it is one MERGE: it inserts the row, or takes over a row whose lease expired, or
  renews this process's own row. Delta's optimistic concurrency lets only one of two
  simultaneous MERGEs commit; the other retries, then reads the winner's row.
- The holder renews its lease from a background thread, on its own connection, every quarter
  of the lease. A run killed with `kill -9` stops renewing, so its lock lapses after one
  lease (`lakehouse_lock_lease_seconds`, default 300) and never blocks the next run for good.
- dbt's on-run-end hook releases it; a holder is this host and pid, so that the invocations
  of one process (dbt's programmatic runner) take it in turn.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dbt_common.exceptions import DbtRuntimeError

LOCK_NAME = "lakehouse"
ATTEMPTS = 6
# Delta's conflict errors, and a table created by two runs at once
RETRYABLE = ("concurrent", "conflict", "already exists", "delta_protocol_changed", "metadata")


class LakehouseBusy(DbtRuntimeError):
    """Another run holds the lakehouse."""


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def create_sql(table: str) -> str:
    return (
        f"create table if not exists {table} (lock_name string, holder string, "
        "invocation_id string, since timestamp, expires_at timestamp) using delta"
    )


def take_sql(table: str, holder: str, invocation_id: str, lease_seconds: int) -> str:
    """Insert the lock, take over an expired one, or renew this holder's own."""
    expires_at = f"current_timestamp() + make_interval(0, 0, 0, 0, 0, 0, {int(lease_seconds)})"
    return f"""
        merge into {table} as held
        using (
            select
                {_literal(LOCK_NAME)} as lock_name,
                {_literal(holder)} as holder,
                {_literal(invocation_id)} as invocation_id,
                current_timestamp() as since,
                {expires_at} as expires_at
        ) as asked
        on held.lock_name = asked.lock_name
        when matched and (held.expires_at < current_timestamp() or held.holder = asked.holder)
            then update set *
        when not matched then insert *
    """


def holder_sql(table: str) -> str:
    return (
        "select holder, invocation_id, cast(since as string) as since, "
        f"cast(expires_at as string) as expires_at from {table} "
        f"where lock_name = {_literal(LOCK_NAME)}"
    )


def renew_sql(table: str, holder: str, lease_seconds: int) -> str:
    return (
        f"update {table} set expires_at = current_timestamp() + "
        f"make_interval(0, 0, 0, 0, 0, 0, {int(lease_seconds)}) "
        f"where lock_name = {_literal(LOCK_NAME)} and holder = {_literal(holder)}"
    )


def release_sql(table: str, holder: str) -> str:
    return (
        f"delete from {table} where lock_name = {_literal(LOCK_NAME)} "
        f"and holder = {_literal(holder)}"
    )


def busy_message(where: str, row: Sequence[Any]) -> str:
    holder, invocation_id, since, expires_at = row
    host, _, pid = str(holder).rpartition(":")
    return (
        f"another run holds this lakehouse ({where}) since {since} UTC, pid {pid} on {host} "
        f"(dbt invocation {invocation_id}). Wait for it to finish, or stop it: a run that no "
        f"longer renews its lock loses it at {expires_at} UTC"
    )


def is_retryable(error: Exception) -> bool:
    text = str(error).lower()
    return any(word in text for word in RETRYABLE)


@dataclass
class ServerLock:
    """The lock of one schema on one server; `execute(sql)` runs a statement on a connection
    of its own and returns its rows."""

    table: str
    where: str
    execute: Callable[[str], list[Sequence[Any]]]
    lease_seconds: int = 300
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self.holder = holder_name()
        self._statements = threading.Lock()  # one statement at a time on the connection
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _run(self, sql: str) -> list[Sequence[Any]]:
        with self._statements:
            return self.execute(sql)

    def _retrying(self, sql: str) -> list[Sequence[Any]]:
        for attempt in range(ATTEMPTS):
            try:
                return self._run(sql)
            except Exception as error:  # the server's errors come in several wrappers
                if attempt == ATTEMPTS - 1 or not is_retryable(error):
                    raise
                self.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")

    def acquire(self, invocation_id: str) -> None:
        """Take the lock for this process, or raise LakehouseBusy naming its holder."""
        self._retrying(create_sql(self.table))
        self._retrying(take_sql(self.table, self.holder, invocation_id, self.lease_seconds))
        rows = self._run(holder_sql(self.table))
        if not rows or rows[0][0] != self.holder:
            raise LakehouseBusy(busy_message(self.where, rows[0] if rows else ("?", "?", "?", "?")))
        if self._renewer is None or not self._renewer.is_alive():
            self._stop.clear()
            self._renewer = threading.Thread(target=self._renew, daemon=True, name="lakehouse-lock")
            self._renewer.start()

    def _renew(self) -> None:
        while not self._stop.wait(self.lease_seconds / 4):
            try:
                self._run(renew_sql(self.table, self.holder, self.lease_seconds))
            except Exception:  # a conflict or a lost connection: the next beat tries again
                continue

    def release(self) -> None:
        """Stop renewing and delete this process's row (nothing when it holds none)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
            self._renewer = None
        self._retrying(release_sql(self.table, self.holder))
