"""A stand-in Databricks SQL warehouse for rendering tests: dbt-databricks runs its real
materializations against it, it records every statement and answers the metadata queries.

Only what is asked before a write is answered: the relations of a schema (from
`information_schema.tables`), the columns of a relation (`DESCRIBE TABLE EXTENDED`, plain or
`AS JSON`, taken from the columns documented in the project's YAML, with their `data_type`
where declared, else `string`), the watermark that `incremental_window` reads, and the values
of a loaded seed's column (what an expectation on a seed's values reads when it compiles),
from the seed's CSV. A schema probe of a query (dbt's `where false limit 0`) gets the columns
the query names with `as`, typed `string`. Everything else succeeds with no rows, so nothing
here computes data: the tests judge the SQL text only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

RELATIONS_QUERY = re.compile(r"information_schema`?\.`?tables`?", re.IGNORECASE)
DESCRIBE = re.compile(
    r"describe\s+table\s+extended\s+(?P<relation>\S+)(?P<json>\s+as\s+json)?", re.IGNORECASE
)
# dbt's schema probe (get_empty_subquery_sql): the columns of a query, no rows
SCHEMA_PROBE = re.compile(r"\)\s+as\s+__dbt_sbq\s+where\s+false", re.IGNORECASE)
HISTORY = re.compile(r"^\s*describe\s+history\b", re.IGNORECASE)
WATERMARK = re.compile(r"\bas\s+watermark\s+from\b", re.IGNORECASE)
SEED_VALUES = re.compile(
    r"^\s*select\s+distinct\s+(?P<column>\w+)\s+from\s+(?P<relation>\S+)", re.IGNORECASE
)
QUERY_COMMENT = re.compile(r"^\s*/\*.*?\*/\s*", re.DOTALL)


Columns = Sequence[tuple[str, str]]  # (name, data type)


@dataclass
class Relation:
    name: str
    columns: Columns
    kind: str = "table"  # information_schema's lower(table_type) for dbt: table, view, ...


@dataclass
class DryRunWarehouse:
    """Statements received, in order, and the relations that exist in the target schema."""

    columns_by_model: Mapping[str, Columns]
    existing: dict[str, Relation] = field(default_factory=dict)
    # what `incremental_window` reads from an existing table (the newest timestamp it holds)
    watermark: str = "2026-11-01 00:00:00"
    # what `describe history` answers for an existing table: its newest commit
    newest_commit: tuple[int, str, str, str] = (1, "WRITE", "{}", "2026-11-01 00:00:00")
    statements: list[str] = field(default_factory=list)
    # the loaded seeds: name -> their CSV's rows
    seeds: Mapping[str, Sequence[Mapping[str, str]]] = field(default_factory=dict)

    def connect(self, **_: Any) -> DryRunConnection:
        return DryRunConnection(self)

    def columns_of(self, relation: str) -> Columns:
        name = relation.strip("`").split("`.`")[-1]
        if name in self.existing:
            return self.existing[name].columns
        return self.columns_by_model.get(name.removesuffix("__dbt_tmp"), ())

    def answer(self, sql: str) -> tuple[list[tuple], list[tuple]]:
        """(description, rows) for one statement."""
        self.statements.append(QUERY_COMMENT.sub("", sql, count=1))
        if RELATIONS_QUERY.search(sql):
            names = ("table_name", "table_type", "file_format", "table_owner")
            rows = [(r.name, r.kind, "delta", "dbt") for r in self.existing.values()]
            rows += [(name, "table", "delta", "dbt") for name in self.seeds]
            return [_column(n) for n in (*names, "databricks_table_type")], [
                (*row, "managed") for row in rows
            ]
        if SCHEMA_PROBE.search(sql):
            aliases = dict.fromkeys(re.findall(r"\bas\s+`?(\w+)`?", sql, re.IGNORECASE))
            return [_column(name) for name in aliases if name != "__dbt_sbq"], []
        if HISTORY.search(QUERY_COMMENT.sub("", sql, count=1)):
            names = ("version", "operation", "operationParameters", "timestamp")
            return [_column(n) for n in names], [self.newest_commit]
        seed_read = SEED_VALUES.search(QUERY_COMMENT.sub("", sql, count=1))
        if seed_read:
            seed = seed_read["relation"].strip("`").split("`.`")[-1]
            values = {row[seed_read["column"]] for row in self.seeds.get(seed, ())}
            return [_column(seed_read["column"])], [(value,) for value in sorted(values)]
        if WATERMARK.search(sql):
            return [_column("watermark")], [(self.watermark,)]
        described = DESCRIBE.search(sql)
        if described:
            columns = self.columns_of(described["relation"])
            if described["json"]:
                metadata = {"columns": [{"name": n, "type": {"name": t}} for n, t in columns]}
                return [_column("json_metadata")], [(json.dumps(metadata),)]
            description = [_column(n) for n in ("col_name", "data_type", "comment")]
            return description, [(name, data_type, None) for name, data_type in columns]
        return [], []


def _column(name: str) -> tuple:
    # DB-API description: name, type_code, display_size, internal_size, precision, scale, null_ok
    return (name, "string", None, None, None, None, None)


class DryRunCursor:
    query_id = "dry-run"

    def __init__(self, connection: DryRunConnection) -> None:
        self.connection = connection
        self.description: list[tuple] | None = None
        self._rows: list[tuple] = []

    def execute(self, operation: str, parameters: Any = None) -> DryRunCursor:
        description, self._rows = self.connection.warehouse.answer(operation)
        # a result set with no columns ([]) for a schema probe; no result set (None) otherwise
        self.description = description if SCHEMA_PROBE.search(operation) else description or None
        return self

    def fetchall(self) -> list[tuple]:
        return self._rows

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None

    def fetchmany(self, size: int) -> list[tuple]:
        return self._rows[:size]

    def schemas(self, catalog_name: str | None = None, schema_name: str | None = None):
        self.description, self._rows = None, []
        return self

    def tables(self, catalog_name: str | None = None, schema_name: str | None = None, **_: Any):
        self.description, self._rows = None, []
        return self

    def close(self) -> None:
        pass

    def cancel(self) -> None:
        pass


class DryRunConnection:
    def __init__(self, warehouse: DryRunWarehouse) -> None:
        self.warehouse = warehouse

    def cursor(self) -> DryRunCursor:
        return DryRunCursor(self)

    def get_session_id_hex(self) -> str:
        return "dry-run"

    def close(self) -> None:
        pass
