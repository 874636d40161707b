"""Deterministic sample data for the landing zone (DESIGN §4), with a ground truth beside it.

Batch ``b`` of orders and delivery ``b`` of the customer extract are pure functions of the seed,
the batch number, the batch size and the sizes of earlier batches (read back from their ground
truth), so landing batches one call at a time gives the same files as landing them all at once.

Every order line belongs to exactly one *kind* (a clean new order, or one defect class), so each
defect class has an exact, known count. Two format variations are orthogonal to the kind and
counted separately: numbers written as JSON strings, and unknown extra keys.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from lakehouse.contract import STATUSES

ID_STRIDE = 1_000_000_000  # order ids of batch b are b * ID_STRIDE + 1 ... b * ID_STRIDE + n
SEGMENTS = ("consumer", "corporate", "small_business")
REGIONS = ("north", "south", "east", "west", "central")
EPOCH_2025 = np.datetime64("2025-01-01T00:00:00", "s")
DATE_SPAN_SECONDS = 670 * 24 * 3600

# Share of each batch's lines per kind; what is left is clean new orders.
DEFECT_RATES: dict[str, float] = {
    "malformed": 0.005,
    "null_order_id": 0.004,
    "missing_order_id": 0.003,
    "unconvertible_order_id": 0.003,
    "null_amount": 0.003,
    "missing_amount": 0.002,
    "unconvertible_amount": 0.003,
    "non_positive_amount": 0.006,
    "null_customer_id": 0.004,
    "missing_customer_id": 0.002,
    "unconvertible_customer_id": 0.002,
    "null_order_date": 0.003,
    "unconvertible_order_date": 0.003,
    "duplicate_in_file": 0.01,
    # need an earlier batch; on batch 0 these lines are clean new orders instead
    "later_version": 0.02,
    "redelivered": 0.005,
}
NUMBERS_AS_STRINGS_RATE = 0.2
EXTRA_KEYS_RATE = 0.03
CUSTOMER_CHURN = {"left": 0.02, "joined": 0.02, "changed": 0.05}
DEFAULT_SEED = 42
DEFAULT_CUSTOMERS = 2_000


@dataclass(frozen=True)
class BatchSpec:
    """What to generate for one batch."""

    batch: int
    orders: int
    files: int = 4
    customers: int = DEFAULT_CUSTOMERS
    seed: int = DEFAULT_SEED
    poison_lines: int = 0  # lines with a status outside the allowed set (silver must fail)


@dataclass
class BatchTruth:
    """The ground truth of one landed batch, written as JSON beside the data."""

    batch: int
    seed: int
    orders: int
    lines: int
    first_order_id: int
    new_order_ids: int
    files: list[dict[str, object]] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    numbers_as_strings: int = 0  # lines whose order_id is a number written as a JSON string
    extra_keys: int = 0  # lines with keys outside the contract
    poison_lines: int = 0


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def _kind_counts(spec: BatchSpec, has_history: bool) -> dict[str, int]:
    counts = {kind: round(rate * spec.orders) for kind, rate in DEFECT_RATES.items()}
    if not has_history:
        counts["later_version"] = counts["redelivered"] = 0
    counts["clean"] = spec.orders - sum(counts.values())
    if counts["clean"] < 1:
        raise ValueError(f"batch of {spec.orders} orders is too small for the defect mix")
    return counts


def _json_number(value: int | float | str, as_string: bool) -> str:
    return json.dumps(str(value)) if as_string else str(value)


class _OrderValues:
    """Vectorised random values for n order lines."""

    def __init__(self, rng: np.random.Generator, n: int, customers: int) -> None:
        universe = max(2, int(customers * 1.1))  # ~10% of ids are not (yet) in any extract
        self.customer_id = rng.integers(1, universe + 1, n)
        self.amount_cents = rng.integers(100, 500_000, n)
        self.status = rng.choice(len(STATUSES), n, p=[0.3, 0.55, 0.15])
        seconds = rng.integers(0, DATE_SPAN_SECONDS, n)
        self.order_date = (EPOCH_2025 + seconds.astype("timedelta64[s]")).astype(str)
        self.iso_z = rng.random(n) < 0.2
        self.as_strings = rng.random(n) < NUMBERS_AS_STRINGS_RATE
        self.extra = rng.random(n) < EXTRA_KEYS_RATE


def _order_line(fields: dict[str, str]) -> str:
    return "{" + ", ".join(f'"{key}": {value}' for key, value in fields.items()) + "}"


def _order_fields(values: _OrderValues, i: int, order_id: int) -> dict[str, str]:
    as_string = bool(values.as_strings[i])
    date = values.order_date[i]
    date = date + "Z" if values.iso_z[i] else date.replace("T", " ")
    amount = f"{values.amount_cents[i] // 100}.{values.amount_cents[i] % 100:02d}"
    return {
        "order_id": _json_number(order_id, as_string),
        "customer_id": _json_number(int(values.customer_id[i]), as_string),
        "amount": _json_number(amount, as_string),
        "status": json.dumps(STATUSES[values.status[i]]),
        "order_date": json.dumps(date),
    }


UNCONVERTIBLE = {
    "order_id": "ord-7x",
    "amount": "twelve",
    "customer_id": "cust#9",
    "order_date": "31/02/2026 25:61",
}


def _apply_defect(kind: str, fields: dict[str, str], rng: np.random.Generator) -> str | None:
    """Damage `fields` for a defect kind; returns the raw line when it is no longer JSON."""
    if kind == "malformed":
        text = _order_line(fields)
        return text[: int(rng.integers(1, len(text) - 1))]  # never ends with its closing brace
    if kind == "non_positive_amount":
        fields["amount"] = _json_number(f"{-int(rng.integers(0, 5000)) / 100:.2f}", False)
        return None
    action, _, column = kind.partition("_")
    if action == "null":
        fields[column] = "null"
    elif action == "missing":
        del fields[column]
    elif action == "unconvertible":
        fields[column] = json.dumps(UNCONVERTIBLE[column])
    return None


def _shuffled_kinds(seed: int, batch: int, counts: dict[str, int]) -> np.ndarray:
    """One kind per line of a batch, in line order (the first draw of the batch's stream)."""
    kinds = np.repeat(np.array(list(counts)), list(counts.values()))
    _rng(seed, batch, 0).shuffle(kinds)
    return kinds


@lru_cache(maxsize=64)
def _clean_ids(landing_root: Path, seed: int, batch: int) -> np.ndarray:
    """Order ids whose only line in `batch` was a clean new order (empty if not landed)."""
    truth_file = truth_path(landing_root, "orders", batch)
    if not truth_file.exists():
        return np.empty(0, np.int64)
    truth = json.loads(truth_file.read_text())
    kinds = _shuffled_kinds(seed, batch, truth["kinds"])
    kinds = kinds[kinds != "duplicate_in_file"]
    return truth["first_order_id"] + np.flatnonzero(kinds == "clean")


def _pick_earlier_ids(landing_root: Path, spec: BatchSpec, counts: dict[str, int]) -> list[int]:
    """Distinct ids for this batch's later versions (any earlier batch) and re-deliveries
    (the previous batch, so a re-delivered line is always the order's current version)."""
    rng = _rng(spec.seed, spec.batch, 2)
    earlier = np.concatenate([_clean_ids(landing_root, spec.seed, b) for b in range(spec.batch)])
    updated = rng.choice(earlier, counts["later_version"], replace=False)
    previous = np.setdiff1d(_clean_ids(landing_root, spec.seed, spec.batch - 1), updated)
    redelivered = rng.choice(previous, counts["redelivered"], replace=False)
    return [int(i) for i in updated] + [int(i) for i in redelivered]


def _batch_values(seed: int, batch: int, orders: int, customers: int) -> _OrderValues:
    return _OrderValues(_rng(seed, batch, 1), orders, customers)


def _earlier_lines(landing_root: Path, spec: BatchSpec, order_ids: list[int]) -> dict[int, dict]:
    """The clean lines earlier batches wrote for `order_ids` (regenerated, not read back),
    generating each earlier batch's values once."""
    by_batch: dict[int, list[int]] = {}
    for order_id in order_ids:
        by_batch.setdefault((order_id - 1) // ID_STRIDE, []).append(order_id)
    lines = {}
    for batch, ids in by_batch.items():
        truth = json.loads(truth_path(landing_root, "orders", batch).read_text())
        values = _batch_values(spec.seed, batch, truth["orders"], spec.customers)
        for order_id in ids:
            lines[order_id] = _order_fields(values, (order_id - 1) % ID_STRIDE, order_id)
    return lines


def build_order_lines(landing_root: Path, spec: BatchSpec) -> tuple[list[list[str]], BatchTruth]:
    """The lines of each file of a batch, and the batch's ground truth."""
    has_history = spec.batch > 0 and _clean_ids(landing_root, spec.seed, spec.batch - 1).size > 0
    counts = _kind_counts(spec, has_history)
    kinds = _shuffled_kinds(spec.seed, spec.batch, counts)
    rng = _rng(spec.seed, spec.batch, 3)
    values = _batch_values(spec.seed, spec.batch, spec.orders, spec.customers)
    first_id = spec.batch * ID_STRIDE + 1

    duplicates = int(counts["duplicate_in_file"])
    lines: list[str] = []
    file_of_line = rng.integers(0, spec.files, spec.orders - duplicates)
    picked = _pick_earlier_ids(landing_root, spec, counts) if has_history else []
    earlier_lines = _earlier_lines(landing_root, spec, picked)
    earlier_ids = {
        "later_version": iter(picked[: counts["later_version"]]),
        "redelivered": iter(picked[counts["later_version"] :]),
    }
    truth = BatchTruth(
        spec.batch,
        spec.seed,
        spec.orders,
        spec.orders + spec.poison_lines,
        first_id,
        0,
        kinds={k: int(v) for k, v in counts.items()},
    )
    new_ids = 0
    line_kinds = kinds[kinds != "duplicate_in_file"]
    flags: list[tuple[bool, bool]] = []  # (numbers as strings, extra keys) of each line
    for i, kind in enumerate(line_kinds):
        if kind in ("later_version", "redelivered"):
            order_id = next(earlier_ids[kind])
            fields = dict(earlier_lines[order_id])
            if kind == "later_version":
                fields["status"] = json.dumps(STATUSES[1 + int(rng.integers(0, 2))])
                if rng.random() < 0.3:
                    fields["amount"] = _json_number(f"{values.amount_cents[i] / 100:.2f}", False)
        else:
            order_id = first_id + i
            new_ids = i + 1
            fields = _order_fields(values, i, order_id)
        raw = (
            _apply_defect(kind, fields, rng)
            if kind not in ("clean", "later_version", "redelivered")
            else None
        )
        extra = raw is None and bool(values.extra[i]) and kind != "redelivered"
        if extra:
            fields["coupon_code" if i % 2 else "sales_channel"] = json.dumps(f"x{i % 97}")
        # counted on what is written: an order_id that is a number inside a JSON string
        as_strings = (
            raw is None
            and kind != "unconvertible_order_id"
            and fields.get("order_id", "").startswith('"')
        )
        flags.append((as_strings, extra))
        lines.append(raw if raw is not None else _order_line(fields))
    truth.new_order_ids = new_ids  # ids first_order_id .. + new_order_ids - 1 (some unused)

    per_file: list[list[str]] = [[] for _ in range(spec.files)]
    for line, file_index in zip(lines, file_of_line, strict=True):
        per_file[file_index].append(line)
    # identical repeats of a clean line inside its own file
    for pick in rng.choice(np.flatnonzero(line_kinds == "clean"), duplicates):
        per_file[file_of_line[pick]].append(lines[pick])
        flags.append(flags[pick])
    truth.numbers_as_strings = sum(as_strings for as_strings, _ in flags)
    truth.extra_keys = sum(extra for _, extra in flags)
    for values_in_file in per_file:
        rng.shuffle(values_in_file)
    if spec.poison_lines:
        per_file[0].extend(
            _order_line(
                {
                    "order_id": str(first_id + spec.orders + k),
                    "customer_id": "1",
                    "amount": "10.00",
                    "status": json.dumps("shipped"),
                    "order_date": json.dumps("2026-01-01 00:00:00"),
                }
            )
            for k in range(spec.poison_lines)
        )
        truth.poison_lines = spec.poison_lines
    return per_file, truth


def truth_path(landing_root: Path, entity: str, batch: int) -> Path:
    return landing_root / "_ground_truth" / entity / f"batch={batch:04d}.json"


def order_file_path(landing_root: Path, batch: int, index: int) -> Path:
    """Files of a batch sit at two depths: batch=0007/part-0000.json, batch=0007/hour=01/..."""
    folder = landing_root / "orders" / f"batch={batch:04d}"
    if index % 2:
        folder = folder / f"hour={index:02d}"
    return folder / f"part-{index:04d}.json"


class _Clock:
    """Strictly increasing file modification times (ms apart), never behind the wall clock."""

    def __init__(self) -> None:
        self.last_ns = 0

    def touch(self, path: Path) -> None:
        now = max(time.time_ns(), self.last_ns + 1_000_000)
        now -= now % 1_000_000
        os.utime(path, ns=(now, now))
        self.last_ns = now


def write_order_batch(
    landing_root: Path, spec: BatchSpec, clock: _Clock | None = None
) -> BatchTruth:
    clock = clock or _Clock()
    per_file, truth = build_order_lines(landing_root, spec)
    for index, file_lines in enumerate(per_file):
        if not file_lines:
            continue
        path = order_file_path(landing_root, spec.batch, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(file_lines) + "\n")
        clock.touch(tmp)
        tmp.rename(path)  # a file appears whole, never half-written
        truth.files.append({"path": str(path.relative_to(landing_root)), "lines": len(file_lines)})
    out = truth_path(landing_root, "orders", spec.batch)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(truth), indent=1))
    return truth


def customer_extracts(
    seed: int, customers: int, deliveries: int
) -> Iterator[dict[int, tuple[str, ...]]]:
    """Successive full extracts: customer_id -> (name, email, segment, region)."""
    rng = _rng(seed, 10_000)
    universe = max(2, int(customers * 1.1))
    next_id = customers + 1

    def person(customer_id: int, version: int) -> tuple[str, ...]:
        region = REGIONS[int(rng.integers(0, len(REGIONS)))] if rng.random() > 0.01 else ""
        email = (
            f"customer{customer_id}@example.com"
            if version == 0
            else f"customer{customer_id}.v{version}@example.org"
        )
        return (f"Customer {customer_id}", email, SEGMENTS[int(rng.integers(0, 3))], region)

    current = {cid: person(cid, 0) for cid in range(1, customers + 1)}
    for delivery in range(deliveries):
        if delivery:
            ids = np.array(sorted(current))
            left = rng.choice(ids, int(len(ids) * CUSTOMER_CHURN["left"]), replace=False)
            for cid in left:
                del current[int(cid)]
            remaining = np.array(sorted(current))
            changed = rng.choice(
                remaining, int(len(remaining) * CUSTOMER_CHURN["changed"]), replace=False
            )
            for cid in changed:
                current[int(cid)] = person(int(cid), delivery)
            for _ in range(int(customers * CUSTOMER_CHURN["joined"])):
                if next_id > universe:
                    break
                current[next_id] = person(next_id, 0)
                next_id += 1
        yield dict(current)


def write_customer_delivery(landing_root: Path, seed: int, customers: int, delivery: int) -> dict:
    """Replace the landed extract by delivery `delivery`; returns its ground truth."""
    previous: dict[int, tuple[str, ...]] = {}
    current: dict[int, tuple[str, ...]] = {}
    for extract in customer_extracts(seed, customers, delivery + 1):
        previous, current = current, extract
    folder = landing_root / "customers"
    for old in folder.rglob("*.parquet") if folder.exists() else []:
        old.unlink()
    ids = sorted(current)
    table = pa.table(
        {
            "customer_id": pa.array(ids, pa.int64()),
            "customer_name": [current[c][0] for c in ids],
            "email": [current[c][1] for c in ids],
            "customer_segment": [current[c][2] for c in ids],
            "region": [current[c][3] or None for c in ids],
        }
    )
    target = folder / f"delivery={delivery:04d}" / "extract" / "part-0000.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, target)
    truth = {
        "delivery": delivery,
        "rows": len(ids),
        "inserted": sorted(set(current) - set(previous)),
        "deleted": sorted(set(previous) - set(current)),
        "updated": sorted(c for c in set(current) & set(previous) if current[c] != previous[c]),
    }
    out = truth_path(landing_root, "customers", delivery)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(truth))
    return truth


def land(
    landing_root: Path,
    first_batch: int,
    batches: int,
    orders: int,
    *,
    files: int = 4,
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    poison_lines: int = 0,
    skip_existing: bool = False,
) -> list[BatchTruth]:
    """Land `batches` batches of `orders` order lines each, plus one customer delivery each.

    A landed file is never rewritten: a batch that already has a ground truth is an error, or
    is skipped with `skip_existing`.
    """
    clock = _Clock()
    truths = []
    for batch in range(first_batch, first_batch + batches):
        if truth_path(landing_root, "orders", batch).exists():
            if skip_existing:
                continue
            raise FileExistsError(f"batch {batch} is already landed in {landing_root}")
        spec = BatchSpec(batch, orders, files, customers, seed, poison_lines)
        write_customer_delivery(landing_root, seed, customers, batch)
        truths.append(write_order_batch(landing_root, spec, clock))
    return truths
