"""Gold tables read back from Spark in the shape of the independent computation (expected_gold)."""

from __future__ import annotations

from datetime import UTC

from pyspark.sql import SparkSession


def _utc(value):
    return value.replace(tzinfo=UTC) if value is not None else None


def daily_sales(spark: SparkSession, table: str) -> dict[tuple, tuple]:
    return {
        (r.date, r.region): (r.order_count, r.total_sales, r.avg_order_value, r.unique_customers)
        for r in spark.table(table).collect()
    }


def lifetime_value(spark: SparkSession, table: str) -> dict[tuple, tuple]:
    return {
        (r.customer_id, r.customer_name, r.customer_segment): (
            r.total_orders,
            r.lifetime_value,
            _utc(r.first_order_date),
            _utc(r.last_order_date),
            r.avg_order_value,
        )
        for r in spark.table(table).collect()
    }


def enriched_orders(spark: SparkSession, table: str) -> list[tuple]:
    """The enriched columns of each order (silver_orders_enriched, gold_orders_by_customer)."""
    return sorted(
        (
            r.order_id,
            r.customer_id,
            r.amount,
            r.status,
            _utc(r.order_date),
            r.customer_name,
            r.customer_segment,
            r.region,
        )
        for r in spark.table(table).collect()
    )
