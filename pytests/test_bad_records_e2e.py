"""Bad records and odd timestamps, in one landing and one run: each line either loads by a
documented rule (docs/data_quality.md, "How raw values are read") or is quarantined with the
expectations it failed; none becomes a silent NULL in silver.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest
from pyspark.sql import SparkSession

from lakehouse.project import DbtProject

# the thrift suite runs it too (Makefile test-thrift)
pytestmark = [pytest.mark.e2e, pytest.mark.thrift]

VALID = {"customer_id": 7, "amount": "5.00", "status": "pending", "order_date": "2024-01-15"}


def _line(**fields: object) -> str:
    return json.dumps({**VALID, **fields})


# one file: name -> (line text, what happens to it). An outcome is either
#   ("quarantined", [failed expectations], is_malformed) or
#   ("loaded", {silver column: value})
RECORDS: dict[str, tuple[str, tuple]] = {
    "empty_object": ("{}", ("quarantined", ["valid_amount", "valid_order_id"], False)),
    "array": ("[]", ("quarantined", ["valid_amount", "valid_order_id"], True)),
    "renamed_key": (
        _line(orderId=9_400_003),
        ("quarantined", ["valid_order_id"], False),
    ),
    "upper_case_key": (
        _line(ORDER_ID=9_400_004),
        ("quarantined", ["valid_order_id"], False),
    ),
    "id_not_a_number": (_line(order_id="X2"), ("quarantined", ["valid_order_id"], False)),
    "amount_overflows": (
        _line(order_id=9_400_006, amount="123456789012.00"),
        ("quarantined", ["valid_amount"], False),
    ),
    "amount_negative_zero": (
        _line(order_id=9_400_007, amount="-0.00"),
        ("quarantined", ["valid_amount"], False),
    ),
    "amount_nan": (
        '{"order_id": 9400008, "customer_id": 7, "amount": NaN, "status": "pending"}',
        ("quarantined", ["valid_amount"], False),
    ),
    "amount_three_decimals": (
        _line(order_id=9_400_009, amount="5.005"),
        ("loaded", {"amount": Decimal("5.01")}),
    ),
    "amount_as_number": (
        _line(order_id=9_400_010, amount=12.5),
        ("loaded", {"amount": Decimal("12.50")}),
    ),
    "object_for_customer": (
        _line(order_id=9_400_011, customer_id={"id": 7}),
        ("loaded", {"customer_id": None, "warned_expectations": ["valid_customer"]}),
    ),
    "duplicate_key": (
        '{"order_id": 9400012, "amount": "1.00", "amount": "2.00", "customer_id": 7, '
        '"status": "pending"}',
        ("loaded", {"amount": Decimal("1.00")}),  # the first value of a repeated key
    ),
    "date_without_offset": (
        _line(order_id=9_400_013, order_date="2024-01-15 10:00:00"),
        ("loaded", {"order_date": datetime(2024, 1, 15, 10, 0)}),
    ),
    "date_with_offset": (
        _line(order_id=9_400_014, order_date="2024-01-15T10:00:00+05:30"),
        ("loaded", {"order_date": datetime(2024, 1, 15, 4, 30)}),
    ),
    "date_iso_z": (
        _line(order_id=9_400_015, order_date="2024-01-15T10:00:00Z"),
        ("loaded", {"order_date": datetime(2024, 1, 15, 10, 0)}),
    ),
    "date_as_epoch": (
        _line(order_id=9_400_016, order_date=1_705_312_800),
        ("loaded", {"order_date": None}),
    ),
    "date_us_style": (
        _line(order_id=9_400_017, order_date="01/15/2024"),
        ("loaded", {"order_date": None}),
    ),
    "date_impossible": (
        _line(order_id=9_400_018, order_date="2024-02-30"),
        ("loaded", {"order_date": None}),
    ),
}
PRETTY_PRINTED = json.dumps({**VALID, "order_id": 9_400_019}, indent=2)
LATIN_1 = _line(order_id=9_400_020, note="caf?").replace("caf?", "caf\xe9").encode("latin-1")
BOM = "\ufeff" + _line(order_id=9_400_021)


@dataclass
class BadRecordRun:
    line_of: dict[str, int]  # record name -> its line number in records.json
    quarantined: dict[tuple[str, int], tuple[list[str], bool]]  # (file, line) -> reasons
    silver: dict[int, dict]  # order_id -> silver row
    unparsed_order_dates: int  # as counted in data_quality_metrics for the run


@pytest.fixture(scope="module")
def bad_record_run(new_project: Callable[[str], DbtProject], spark: SparkSession) -> BadRecordRun:
    project = new_project("bad_records")
    folder = project.landing_root / "orders" / "bad"
    folder.mkdir(parents=True)
    (folder / "records.json").write_text("".join(text + "\n" for text, _ in RECORDS.values()))
    (folder / "pretty.json").write_text(PRETTY_PRINTED + "\n")
    (folder / "latin1.json").write_bytes(LATIN_1 + b"\n")
    (folder / "bom.json").write_text(BOM + "\n", encoding="utf-8")
    project.run("--select", "+silver_orders", "+quarantine_orders", "data_quality_metrics")
    metrics = spark.table(project.table("data_quality_metrics")).collect()
    quarantine = spark.table(project.table("quarantine_orders")).collect()
    silver = spark.table(project.table("silver_orders")).collect()
    return BadRecordRun(
        line_of={name: number for number, name in enumerate(RECORDS, 1)},
        quarantined={
            (row.source_file.rsplit("/", 1)[1], row.source_line_number): (
                sorted(row.failed_expectations),
                row.is_malformed,
            )
            for row in quarantine
        },
        silver={row.order_id: row.asDict() for row in silver},
        unparsed_order_dates=_one({row.unparsed_order_dates for row in metrics}),
    )


def _one(values: set[int]) -> int:
    assert len(values) == 1, values
    return values.pop()


@pytest.mark.parametrize("name", RECORDS)
def test_each_record_loads_by_its_rule_or_is_quarantined(
    bad_record_run: BadRecordRun, name: str
) -> None:
    text, outcome = RECORDS[name]
    where = ("records.json", bad_record_run.line_of[name])
    if outcome[0] == "quarantined":
        assert bad_record_run.quarantined.get(where) == (outcome[1], outcome[2])
        return
    assert where not in bad_record_run.quarantined
    row = bad_record_run.silver[json.loads(text)["order_id"]]
    assert {column: row[column] for column in outcome[1]} == outcome[1]


def test_odd_files_are_quarantined_or_loaded_whole(bad_record_run: BadRecordRun) -> None:
    run = bad_record_run
    # pretty-printed JSON: every physical line is malformed on its own
    pretty_lines = PRETTY_PRINTED.count("\n") + 1
    for number in range(1, pretty_lines + 1):
        assert run.quarantined[("pretty.json", number)][1] is True
    # latin-1 bytes in an unknown key's value: the order loads
    assert 9_400_020 in run.silver
    # a byte-order mark makes the first line not JSON: kept with its raw text, quarantined
    assert run.quarantined[("bom.json", 1)] == (["valid_amount", "valid_order_id"], True)
    assert 9_400_021 not in run.silver


def test_order_dates_that_do_not_convert_are_counted(bad_record_run: BadRecordRun) -> None:
    # every record whose landed order_date loads as NULL, and no other row (the other files'
    # lines are malformed or carry a date that converts)
    expected = sum(
        outcome[0] == "loaded" and outcome[1].get("order_date", 0) is None
        for _, outcome in RECORDS.values()
    )
    assert expected == 3
    assert bad_record_run.unparsed_order_dates == expected
