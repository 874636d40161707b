"""customers_history computed independently: SCD type 2 versions from the deliveries a test saw.

The rules are issue #20's, written from the spec: a customer's first appearance opens a version;
a change of name, e-mail, segment or region closes it and opens the next; leaving the extract
closes it and opens a deleted record (with the last attributes); an unchanged customer adds
nothing. Each version is labelled with the index of the run that opened it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

ATTRIBUTES = ("customer_name", "email", "customer_segment", "region")


@dataclass(frozen=True)
class Version:
    run: int
    attributes: tuple
    deleted: bool


def landed_extract(landing_root: Path) -> dict[int, tuple]:
    """The customer extract as landed now: customer_id -> attributes."""
    extract = {}
    for path in sorted((landing_root / "customers").rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            extract[row["customer_id"]] = tuple(row[name] for name in ATTRIBUTES)
    return extract


def expected_history(extracts: list[dict[int, tuple]]) -> dict[int, list[Version]]:
    """Per customer, its versions in order, after one snapshot run per extract."""
    history: dict[int, list[Version]] = {}
    for run, extract in enumerate(extracts):
        for customer_id, attributes in extract.items():
            versions = history.setdefault(customer_id, [])
            last = versions[-1] if versions else None
            if last is None or last.deleted or last.attributes != attributes:
                versions.append(Version(run, attributes, deleted=False))
        for customer_id, versions in history.items():
            if customer_id not in extract and not versions[-1].deleted:
                versions.append(Version(run, versions[-1].attributes, deleted=True))
    return history
