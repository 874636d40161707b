"""Gold computed independently of the models: plain Python over the landed files (DESIGN §5.6-8)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow.parquet as pq

from support.expected_silver import expected_silver, landed_orders

SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class EnrichedOrder:
    order_id: int
    customer_id: int | None
    amount: Decimal
    status: str
    order_date: datetime | None
    customer_name: str | None
    customer_segment: str | None
    region: str | None


def current_customers(landing_root: Path) -> dict[int, dict]:
    customers = {}
    for path in sorted((landing_root / "customers").rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            customers[row["customer_id"]] = row
    return customers


def expected_enriched(landing_root: Path) -> list[EnrichedOrder]:
    customers = current_customers(landing_root)
    enriched = []
    for order in expected_silver(landed_orders(landing_root)).values():
        customer = customers.get(order.customer_id, {})
        enriched.append(
            EnrichedOrder(
                order.order_id,
                order.customer_id,
                order.amount,
                order.status,
                order.order_date,
                customer.get("customer_name"),
                customer.get("customer_segment"),
                customer.get("region"),
            )
        )
    return enriched


def _average(total: Decimal, count: int) -> Decimal:
    return (total / count).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def expected_daily_sales(enriched: list[EnrichedOrder]) -> dict[tuple, tuple]:
    groups: dict[tuple[date | None, str | None], list[EnrichedOrder]] = defaultdict(list)
    for order in enriched:
        if order.status == "completed":
            day = order.order_date.date() if order.order_date else None
            groups[(day, order.region)].append(order)
    result = {}
    for key, orders in groups.items():
        total = sum((o.amount for o in orders), Decimal(0))
        customers = {o.customer_id for o in orders if o.customer_id is not None}
        result[key] = (len(orders), total, _average(total, len(orders)), len(customers))
    return result


def expected_lifetime_value(enriched: list[EnrichedOrder]) -> dict[tuple, tuple]:
    groups: dict[tuple, list[EnrichedOrder]] = defaultdict(list)
    for order in enriched:
        if order.status == "completed":
            groups[(order.customer_id, order.customer_name, order.customer_segment)].append(order)
    result = {}
    for key, orders in groups.items():
        total = sum((o.amount for o in orders), Decimal(0))
        dates = [o.order_date for o in orders if o.order_date is not None]
        result[key] = (
            len(orders),
            total,
            min(dates, default=None),
            max(dates, default=None),
            _average(total, len(orders)),
        )
    return result
