"""Answers to metadata reads (`describe history`, `show tblproperties`) reused within one dbt
invocation, until anything writes.

A run asks the same tables for their commit logs many times: every data test scoped to what
the run wrote reads `describe history` of its table, and a table has up to eight such tests.
Each read costs about 0.3 s on the embedded engine, whatever its `limit`, and the answer can
only change when something writes. So the connection manager keeps each answer, and drops
them all when a statement that is not a read starts and when it ends. A read that overlaps a
write is not kept. Python models write through the Spark session, not through a statement,
and drop them too (the adapter's `submit_python_job`).

The adapter is built anew for every invocation, so nothing is kept from one run to the next.
"""

from __future__ import annotations

import re
import threading
from typing import Any

# What a statement starts with, once its leading comments (dbt's query comment) are removed.
_LEADING_COMMENTS = re.compile(r"^(\s*(/\*.*?\*/|--[^\n]*\n))*\s*", re.DOTALL)
_READS = ("select", "describe", "desc", "show", "explain")
_CACHED = re.compile(r"^(describe\s+history|show\s+tblproperties)\s", re.IGNORECASE)


def statement_text(sql: str) -> str:
    """The statement without its leading comments and whitespace."""
    return _LEADING_COMMENTS.sub("", sql, count=1).strip()


def is_read(sql: str) -> bool:
    """True for a statement that cannot write a table: select, describe, show, explain. A `with`
    counts as a write, since Spark accepts `with ... insert into`."""
    first_word = statement_text(sql).split(maxsplit=1)[:1]
    return bool(first_word) and first_word[0].lower() in _READS


def cache_key(sql: str, limit: int | None) -> str | None:
    """The key of a cacheable read (`describe history`, `show tblproperties`), else None."""
    text = statement_text(sql)
    if not _CACHED.match(text):
        return None
    return f"{' '.join(text.lower().split())}\x00{limit}"


class MetadataCache:
    """Answers by key, each kept with the generation it was read in; a write starts a new one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._answers: dict[str, Any] = {}

    @property
    def generation(self) -> int:
        return self._generation

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._answers.clear()

    def lookup(self, key: str) -> Any | None:
        with self._lock:
            return self._answers.get(key)

    def store(self, key: str, answer: Any, read_in_generation: int) -> None:
        """Keep `answer` unless a write started or ended since the read began."""
        with self._lock:
            if read_in_generation == self._generation:
                self._answers[key] = answer
