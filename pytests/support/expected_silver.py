"""Silver computed independently of the models: plain Python over the landed files.

The rules are DESIGN §5.3, written again from the spec (not from the SQL): convert values (what
cannot be converted is None), drop rows whose order_id is None or whose amount is not > 0, keep
per order the version from the most recently modified file (ties: the greater path).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from support.landed_files import LandedLine, landed_order_lines

INTEGER = re.compile(r"^[+-]?\d+$")
TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(Z)?$")
ALLOWED_STATUSES = ("pending", "completed", "cancelled")
BIGINT = 2**63


@dataclass(frozen=True)
class Order:
    order_id: int | None
    customer_id: int | None
    amount: Decimal | None
    status: str | None
    order_date: datetime | None
    source_file: str
    line_number: int
    modified_ns: int

    @property
    def dropped_by(self) -> list[str]:
        failed = []
        if self.amount is None or self.amount <= 0:
            failed.append("valid_amount")
        if self.order_id is None:
            failed.append("valid_order_id")
        return failed

    @property
    def values(self) -> tuple:
        return (self.order_id, self.customer_id, self.amount, self.status, self.order_date)


def _as_int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and INTEGER.match(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if -BIGINT <= number < BIGINT else None


def _as_amount(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return number if abs(number) < Decimal("1e8") else None


def _as_timestamp(value: object) -> datetime | None:
    match = TIMESTAMP.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return datetime.fromisoformat(f"{match[1]} {match[2]}").replace(tzinfo=UTC)
    except ValueError:
        return None


def to_order(line: LandedLine, modified_ns: int) -> Order:
    fields = line.fields or {}
    status = fields.get("status")
    return Order(
        order_id=_as_int(fields.get("order_id")),
        customer_id=_as_int(fields.get("customer_id")),
        amount=_as_amount(fields.get("amount")),
        status=None if status is None else str(status),
        order_date=_as_timestamp(fields.get("order_date")),
        source_file=line.source_file,
        line_number=line.line_number,
        modified_ns=modified_ns,
    )


def landed_orders(landing_root: Path) -> list[Order]:
    mtimes: dict[str, int] = {}
    orders = []
    for line in landed_order_lines(landing_root):
        if line.source_file not in mtimes:
            # Spark reports modification times in milliseconds
            mtimes[line.source_file] = os.stat(line.source_file[len("file:") :]).st_mtime_ns
            mtimes[line.source_file] -= mtimes[line.source_file] % 1_000_000
        orders.append(to_order(line, mtimes[line.source_file]))
    return orders


def silver_values(row: Any) -> tuple:
    """A silver_orders row read back from Spark as `Order.values` (order_date in UTC)."""
    order_date = row.order_date.replace(tzinfo=UTC) if row.order_date else None
    return (row.order_id, row.customer_id, row.amount, row.status, order_date)


def expected_silver(orders: list[Order]) -> dict[int, Order]:
    latest: dict[int, Order] = {}
    for order in orders:
        if order.dropped_by:
            continue
        current = latest.get(order.order_id)
        if current is None or (order.modified_ns, order.source_file) > (
            current.modified_ns,
            current.source_file,
        ):
            latest[order.order_id] = order
    return latest
