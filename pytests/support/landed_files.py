"""An independent reading of the landing zone: plain Python over the files, no Spark, no dbt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LandedLine:
    source_file: str  # as Spark names it: file:/abs/path
    line_number: int
    text: str
    fields: dict | None  # None when the line is not a JSON object


def file_uri(path: Path) -> str:
    return "file:" + str(path.resolve())


def landed_order_lines(landing_root: Path) -> list[LandedLine]:
    lines = []
    for path in sorted((landing_root / "orders").rglob("*.json")):
        for number, text in enumerate(path.read_text().replace("\r\n", "\n").split("\n"), 1):
            if not text.strip():
                continue
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError:
                parsed = None
            fields = parsed if isinstance(parsed, dict) else None
            lines.append(LandedLine(file_uri(path), number, text, fields))
    return lines
