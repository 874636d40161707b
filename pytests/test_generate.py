"""The sample-data generator: deterministic, and its ground truth matches the files it wrote."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from lakehouse import generate
from lakehouse.cli import main
from support.landed_files import landed_order_lines

CONTRACT = {"order_id", "customer_id", "amount", "status", "order_date"}


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_same_files_whether_landed_at_once_or_batch_by_batch(tmp_path: Path) -> None:
    generate.land(tmp_path / "at_once", 0, 3, 2_000)
    for batch in range(3):
        generate.land(tmp_path / "one_by_one", batch, 1, 2_000)
    assert _tree(tmp_path / "at_once") == _tree(tmp_path / "one_by_one")


def test_another_seed_other_data(tmp_path: Path) -> None:
    generate.land(tmp_path / "a", 0, 1, 2_000, seed=1)
    generate.land(tmp_path / "b", 0, 1, 2_000, seed=2)
    assert _tree(tmp_path / "a") != _tree(tmp_path / "b")


def test_ground_truth_matches_an_independent_reading_of_the_files(tmp_path: Path) -> None:
    truths = generate.land(tmp_path, 0, 3, 5_000)
    lines = landed_order_lines(tmp_path)
    assert len(lines) == sum(t.lines for t in truths) == 15_000
    malformed = [line for line in lines if line.fields is None]
    assert len(malformed) == sum(t.kinds["malformed"] for t in truths)
    parsed = [line.fields for line in lines if line.fields is not None]
    assert sum(bool(set(f) - CONTRACT) for f in parsed) == sum(t.extra_keys for t in truths)

    kinds: Counter[str] = Counter()
    for fields in parsed:
        for key in ("order_id", "amount", "customer_id", "order_date"):
            if key not in fields:
                kinds[f"missing_{key}"] += 1
            elif fields[key] is None:
                kinds[f"null_{key}"] += 1
    for kind, count in kinds.items():
        assert count == sum(t.kinds[kind] for t in truths), kind
    non_positive = [f for f in parsed if isinstance(f.get("amount"), float) and f["amount"] <= 0]
    assert len(non_positive) == sum(t.kinds["non_positive_amount"] for t in truths)
    strings = [f for f in parsed if isinstance(f.get("order_id"), str) and f["order_id"].isdigit()]
    assert len(strings) == sum(t.numbers_as_strings for t in truths)


def test_duplicates_versions_and_redeliveries(tmp_path: Path) -> None:
    truths = generate.land(tmp_path, 0, 3, 5_000)
    by_file: dict[str, Counter[str]] = {}
    versions: dict[str, set[str]] = {}
    for line in landed_order_lines(tmp_path):
        by_file.setdefault(line.source_file, Counter())[line.text] += 1
        if line.fields is not None and line.fields.get("order_id") is not None:
            key = str(line.fields["order_id"])
            payload = {k: v for k, v in line.fields.items() if k in CONTRACT}
            versions.setdefault(key, set()).add(json.dumps(payload, sort_keys=True))
    repeats = sum(count - 1 for counter in by_file.values() for count in counter.values())
    assert repeats == sum(t.kinds["duplicate_in_file"] for t in truths)
    # a later version changes the order's content; a re-delivery repeats it exactly
    changed = sum(len(v) > 1 for v in versions.values())
    assert 0 < changed <= sum(t.kinds["later_version"] for t in truths)
    assert truths[0].kinds["later_version"] == truths[0].kinds["redelivered"] == 0


def test_files_land_nested_with_increasing_modification_times(tmp_path: Path) -> None:
    truths = generate.land(tmp_path, 0, 2, 2_000)
    paths = [tmp_path / f["path"] for t in truths for f in t.files]
    assert any(len(p.relative_to(tmp_path / "orders").parts) == 3 for p in paths)
    mtimes = [p.stat().st_mtime_ns for p in paths]
    assert mtimes == sorted(mtimes) and len(set(mtimes)) == len(mtimes)


def test_customer_deliveries_replace_the_extract_and_record_changes(tmp_path: Path) -> None:
    generate.land(tmp_path, 0, 3, 2_000, customers=500)
    files = list((tmp_path / "customers").rglob("*.parquet"))
    assert len(files) == 1, "a delivery replaces the previous files"
    table = pq.read_table(files[0])
    assert table.schema.field("customer_id").type == "int64"
    truth = json.loads(generate.truth_path(tmp_path, "customers", 2).read_text())
    assert truth["rows"] == table.num_rows
    assert truth["inserted"] and truth["deleted"] and truth["updated"]
    assert not set(truth["deleted"]) & set(table.column("customer_id").to_pylist())


def test_a_landed_batch_is_never_rewritten(tmp_path: Path) -> None:
    generate.land(tmp_path, 0, 1, 2_000)
    with pytest.raises(FileExistsError):
        generate.land(tmp_path, 0, 1, 2_000)
    assert generate.land(tmp_path, 0, 2, 2_000, skip_existing=True)[0].batch == 1


def test_cli_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "generate",
                "--landing-root",
                str(tmp_path),
                "--orders",
                "2000",
                "--batches",
                "2",
                "--poison-lines",
                "3",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["lines"] == 2 * 2003
    shipped = [
        line
        for line in landed_order_lines(tmp_path)
        if line.fields and line.fields.get("status") == "shipped"
    ]
    assert len(shipped) == 6
