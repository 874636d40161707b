"""The pipeline as one hand-written PySpark job: the baseline the benchmark compares dbt with.

It is what a data engineer would write instead of the dbt project, for a full build: the same
layers and semantics (exactly the same rows), written once each as Delta tables, with the
typed bronze read once and cached for silver, quarantine and the metrics. It does not run the
data tests (dbt's build does; the benchmark reports `dbt run` too).

    python -m lakehouse.bench.baseline_job <landing_root> <output_dir>
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dbt.adapters.spark_delta import class_archive, delta_jars
from dbt.adapters.spark_delta.session import DELTA_DEFAULTS
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from lakehouse.contract import ORDER_KEYS, STATUSES
from lakehouse.thrift_server import local_engine_settings


def session() -> SparkSession:
    """Spark with Delta, set as the `local` target's engine (profiles.yml): same memory, time
    zone, ANSI mode, shuffle partitions, Delta jars and class-data-sharing archive as the dbt
    side."""
    lakehouse = Path(os.environ.get("LAKEHOUSE_DIR", ".lakehouse"))
    jars = delta_jars.classpath()
    settings = {
        **DELTA_DEFAULTS,
        **local_engine_settings(lakehouse),
        "spark.jars": ",".join(str(jar) for jar in jars),
    }
    java_options = settings.get("spark.driver.extraJavaOptions", "")
    archive_options = class_archive.java_options(jars, java_options)
    settings["spark.driver.extraJavaOptions"] = f"{java_options} {archive_options}".strip()
    builder = SparkSession.builder.appName("medallion-baseline")
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def bronze_orders(spark: SparkSession, landing: Path) -> DataFrame:
    files = (
        spark.read.option("wholetext", "true")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.json")
        .text(str(landing / "orders"))
        .select(
            "value",
            F.col("_metadata.file_path").alias("source_file"),
            F.col("_metadata.file_modification_time").alias("source_file_modified_at"),
        )
    )
    lines = files.select(
        "source_file",
        "source_file_modified_at",
        F.posexplode(F.split("value", r"\r?\n")).alias("line_index", "raw_line"),
    ).where(F.col("raw_line").rlike(r"\S"))
    parsed = lines.withColumn("fields", F.from_json("raw_line", "map<string, string>"))
    unknown = F.map_filter("fields", lambda key, _: ~key.isin(*ORDER_KEYS))
    return parsed.select(
        *[F.col("fields")[key].alias(key) for key in ORDER_KEYS],
        F.when(F.cardinality(unknown) > 0, F.to_json(unknown)).alias("_rescued_data"),
        F.when(F.col("fields").isNull(), F.col("raw_line")).alias("_corrupt_record"),
        F.col("fields").isNull().alias("is_malformed"),
        "source_file",
        (F.col("line_index") + 1).alias("source_line_number"),
        "source_file_modified_at",
        F.current_timestamp().alias("ingestion_timestamp"),
    )


def checked(bronze: DataFrame) -> DataFrame:
    typed = bronze.select(
        F.expr("try_cast(order_id as bigint)").alias("order_id"),
        F.expr("try_cast(customer_id as bigint)").alias("customer_id"),
        F.expr("try_cast(amount as decimal(10, 2))").alias("amount"),
        "status",
        F.expr("try_to_timestamp(order_date)").alias("order_date"),
        *[F.col(key).alias(f"raw_{key}") for key in ORDER_KEYS],
        "_rescued_data",
        "_corrupt_record",
        "is_malformed",
        "source_file",
        "source_line_number",
        "source_file_modified_at",
        "ingestion_timestamp",
    )

    def failed(rules: dict[str, str]) -> F.Column:
        names = [
            F.when(~F.coalesce(F.expr(cond), F.lit(False)), F.lit(n)) for n, cond in rules.items()
        ]
        return F.filter(F.array(*names), lambda name: name.isNotNull())

    return typed.select(
        "*",
        failed({"valid_order_id": "order_id is not null", "valid_amount": "amount > 0"}).alias(
            "failed_drop_expectations"
        ),
        failed(
            {
                "valid_status": f"status in {STATUSES}",
                "valid_customer": "customer_id is not null",
            }
        ).alias("failed_row_expectations"),
    )


def silver_orders(checked_orders: DataFrame) -> DataFrame:
    survivors = checked_orders.where(F.size("failed_drop_expectations") == 0)
    broken = survivors.where(F.array_contains("failed_row_expectations", "valid_status")).count()
    if broken:
        raise RuntimeError(f"expectation 'valid_status' failed on {broken} row(s)")
    latest = Window.partitionBy("order_id").orderBy(
        F.desc("source_file_modified_at"), F.desc("source_file"), F.desc("source_line_number")
    )
    return (
        survivors.withColumn("version_rank", F.row_number().over(latest))
        .where("version_rank = 1")
        .select(
            "order_id",
            "customer_id",
            "amount",
            "status",
            "order_date",
            "source_file",
            "source_line_number",
            "source_file_modified_at",
            F.col("failed_row_expectations").alias("warned_expectations"),
            "ingestion_timestamp",
        )
    )


def silver_customers(spark: SparkSession, landing: Path) -> DataFrame:
    extract = (
        spark.read.option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.parquet")
        .parquet(str(landing / "customers"))
        .select(
            F.expr("try_cast(customer_id as bigint)").alias("customer_id"),
            F.col("customer_name").cast("string"),
            F.col("email").cast("string"),
            F.col("customer_segment").cast("string"),
            F.col("region").cast("string"),
            F.col("_metadata.file_path").alias("source_file"),
            F.col("_metadata.file_modification_time").alias("source_file_modified_at"),
        )
        .where("customer_id is not null")
    )
    newest = Window.partitionBy("customer_id").orderBy(
        F.desc("source_file_modified_at"), F.desc("source_file")
    )
    return (
        extract.withColumn("customer_rank", F.row_number().over(newest))
        .where("customer_rank = 1")
        .drop("customer_rank", "source_file", "source_file_modified_at")
    )


def build(spark: SparkSession, landing: Path, output: Path) -> None:
    """Write every layer under `output` (a full build)."""

    def save(frame: DataFrame, name: str, *properties: str) -> DataFrame:
        path = output / name
        writer = frame.write.format("delta").mode("overwrite")
        for prop in properties:
            writer = writer.option(prop, "true")
        writer.save(str(path))
        return spark.read.format("delta").load(str(path))

    bronze = save(bronze_orders(spark, landing), "bronze_orders")
    checked_orders = checked(bronze).cache()
    save(
        checked_orders.where(F.size("failed_drop_expectations") > 0).select(
            *[F.col(f"raw_{k}").alias(k) for k in ORDER_KEYS],
            "_rescued_data",
            "_corrupt_record",
            "is_malformed",
            F.col("failed_drop_expectations").alias("failed_expectations"),
            "source_file",
            "source_line_number",
            "source_file_modified_at",
            "ingestion_timestamp",
        ),
        "quarantine_orders",
    )
    orders = save(silver_orders(checked_orders), "silver_orders")
    metrics = checked_orders.agg(
        F.count("*").alias("total_records"),
        F.count_if(F.col("order_id").isNull()).alias("null_order_ids"),
        F.count_if(~F.coalesce(F.col("amount") > 0, F.lit(False))).alias("invalid_amounts"),
        F.count_if(F.size("failed_drop_expectations") > 0).alias("records_quarantined"),
    ).withColumn("measured_at", F.current_timestamp())
    save(metrics, "data_quality_metrics")
    checked_orders.unpersist()

    customers = save(
        silver_customers(spark, landing), "silver_customers", "delta.enableChangeDataFeed"
    )
    save(
        spark.read.format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", 0)
        .load(str(output / "silver_customers")),
        "customer_changes",
    )
    enriched = save(
        orders.join(customers, "customer_id", "left").select(
            "order_id",
            "customer_id",
            "amount",
            "status",
            "order_date",
            "customer_name",
            "customer_segment",
            "region",
        ),
        "silver_orders_enriched",
    )
    completed = enriched.where("status = 'completed'")
    save(
        completed.groupBy(F.to_date("order_date").alias("date"), "region").agg(
            F.count("*").alias("order_count"),
            F.sum("amount").alias("total_sales"),
            F.avg("amount").alias("avg_order_value"),
            F.count_distinct("customer_id").alias("unique_customers"),
        ),
        "gold_daily_sales",
    )
    save(
        completed.groupBy("customer_id", "customer_name", "customer_segment").agg(
            F.count("*").alias("total_orders"),
            F.sum("amount").alias("lifetime_value"),
            F.min("order_date").alias("first_order_date"),
            F.max("order_date").alias("last_order_date"),
            F.avg("amount").alias("avg_order_value"),
        ),
        "gold_customer_lifetime_value",
    )
    (
        enriched.write.format("delta")
        .mode("overwrite")
        .clusterBy("customer_id", "order_date")  # liquid clustering
        .save(str(output / "gold_orders_by_customer"))
    )


def main(landing: Path, output: Path) -> None:
    spark = session()
    build(spark, landing, output)
    spark.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
