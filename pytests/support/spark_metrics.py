"""What a piece of work cost the in-process Spark: bytes read from input files, stages run, and
the physical plans of the SQL statements executed.

Read from Spark's own status stores (the data behind the Spark UI, kept even with the UI off).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pyspark.sql import SparkSession


@dataclass
class SparkWork:
    input_bytes: int = 0
    input_records: int = 0
    stages: int = 0
    plans: list[str] = field(default_factory=list)
    # files each scan read, by the scanned table (its name in the plan): a scan that data
    # skipping pruned to nothing reads 0 files
    files_read: dict[str, int] = field(default_factory=dict)

    def scanned(self, file_format: str) -> bool:
        """Whether any statement scanned files of this format ("text", "json", "parquet", ...)."""
        node = re.compile(rf"\bScan {re.escape(file_format)}\b")
        return any(node.search(plan) for plan in self.plans)


def _stages(spark: SparkSession) -> dict[int, tuple[int, int]]:
    context = spark.sparkContext
    jvm = context._jvm
    store = context._jsc.sc().statusStore()
    # stageList(statuses, details, withSummaries, unsortedQuantiles, taskStatus): py4j does not
    # see Scala's default arguments, so all five are passed.
    no_quantiles = context._gateway.new_array(jvm.double, 0)
    stage_list = store.stageList(
        None, False, False, no_quantiles, jvm.java.util.Collections.emptyList()
    )
    found = {}
    for index in range(stage_list.size()):
        stage = stage_list.apply(index)
        key = stage.stageId() * 1000 + stage.attemptId()
        found[key] = (int(stage.inputBytes()), int(stage.inputRecords()))
    return found


def _plans(spark: SparkSession) -> dict[int, str]:
    executions = spark._jsparkSession.sharedState().statusStore().executionsList()
    return {
        int(executions.apply(i).executionId()): str(executions.apply(i).physicalPlanDescription())
        for i in range(executions.size())
    }


def _files_read(spark: SparkSession, execution_ids: set[int]) -> dict[str, int]:
    """Sum of the "number of files read" metric of every file scan, by table."""
    store = spark._jsparkSession.sharedState().statusStore()
    found: dict[str, int] = {}
    for execution_id in sorted(execution_ids):
        values = store.executionMetrics(execution_id)
        nodes = store.planGraph(execution_id).allNodes()
        for index in range(nodes.size()):
            node = nodes.apply(index)
            table = re.search(r"Scan \w+ (?:spark_catalog\.)?([\w.]+)", str(node.desc()))
            if not table:
                continue
            metrics = node.metrics()
            for position in range(metrics.size()):
                metric = metrics.apply(position)
                if metric.name() == "number of files read":
                    value = values.get(metric.accumulatorId())
                    count = int(str(value.get()).replace(",", "")) if value.isDefined() else 0
                    found[table.group(1)] = found.get(table.group(1), 0) + count
    return found


@contextmanager
def measure_work(spark: SparkSession) -> Iterator[SparkWork]:
    """Measure the stages and SQL executions that happen inside the `with` block."""
    work = SparkWork()
    stages_before, plans_before = set(_stages(spark)), set(_plans(spark))
    yield work
    for key, (input_bytes, input_records) in _stages(spark).items():
        if key not in stages_before:
            work.stages += 1
            work.input_bytes += input_bytes
            work.input_records += input_records
    plans = _plans(spark)
    work.plans = [plan for key, plan in sorted(plans.items()) if key not in plans_before]
    work.files_read = _files_read(spark, set(plans) - plans_before)
