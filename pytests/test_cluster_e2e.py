"""The thrift target on a Spark standalone cluster: a master and one worker from the pyspark
wheel, a Thrift server whose driver submits to them, the whole pipeline over two small landing
batches (a build, then a run), compared with the suite's independent computation. Everything
it starts it stops, by pid. Runs in the thrift suite (`make test-thrift`), beside the suite's
own server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbt.adapters.spark_delta.python_submissions import release_connect_session
from pyspark.sql import SparkSession

from lakehouse import generate, thrift_server
from lakehouse.project import DbtProject, scoped_environ
from lakehouse.standalone_cluster import StandaloneCluster, free_port
from support.engine_target import TARGET
from support.expected_gold import expected_daily_sales, expected_enriched
from support.expected_silver import expected_silver, landed_orders, silver_values

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.thrift,
    pytest.mark.skipif(TARGET != "thrift", reason="the thrift target's cluster mode"),
]

ORDERS_PER_BATCH = 1_500
CUSTOMERS = 200


@dataclass
class ClusterRun:
    project: DbtProject
    silver: dict[int, tuple]
    daily_sales: dict[tuple, tuple]
    changes: int
    feed: int
    executor_logs: list[str]
    master: str
    server_master: str


@pytest.fixture(scope="module")
def cluster_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterRun]:
    """Start the cluster and a server on it, land two batches, build after each, observe."""
    root = tmp_path_factory.mktemp("cluster")
    ports = {"THRIFT_PORT": str(free_port()), "SPARK_CONNECT_PORT": str(free_port())}
    cluster = StandaloneCluster(root / "cluster", worker_cores=2)
    with cluster, scoped_environ({**ports, "SPARK_DRIVER_MEMORY": "2g"}):
        config = thrift_server.ServerConfig.from_env(
            {**ports, "LAKEHOUSE_DIR": str(root / "lakehouse")}, master=cluster.url
        )
        thrift_server.start(config)
        try:
            yield _observe(cluster, config, root)
        finally:
            release_connect_session(f"sc://127.0.0.1:{config.connect_port}")  # the Python model's
            thrift_server.stop(config)


def _observe(
    cluster: StandaloneCluster, config: thrift_server.ServerConfig, root: Path
) -> ClusterRun:
    project = DbtProject(
        landing_root=root / "landing", state_dir=root / "state", schema="cluster", target="thrift"
    )
    generate.land(project.landing_root, 0, 1, ORDERS_PER_BATCH, customers=CUSTOMERS)
    project.build()
    # a second batch: the incremental steps (MERGE, change feed) on the executors as well
    generate.land(project.landing_root, 1, 1, ORDERS_PER_BATCH, customers=CUSTOMERS)
    project.run()
    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{config.connect_port}").create()
    try:
        silver = {
            row.order_id: silver_values(row)
            for row in spark.table(project.table("silver_orders")).collect()
        }
        daily_sales = {
            (r.date, r.region): (
                r.order_count,
                r.total_sales,
                r.avg_order_value,
                r.unique_customers,
            )
            for r in spark.table(project.table("gold_daily_sales")).collect()
        }
        changes = spark.table(project.table("customer_changes")).count()
        feed = spark.sql(
            f"select * from table_changes('{project.table('silver_customers')}', 0)"
        ).count()
        server_master = spark.conf.get("spark.master")
    finally:
        spark.stop()
    return ClusterRun(
        project=project,
        silver=silver,
        daily_sales=daily_sales,
        changes=changes,
        feed=feed,
        executor_logs=[path.read_text(errors="replace") for path in cluster.executor_logs()],
        master=cluster.url,
        server_master=server_master,
    )


def test_the_pipeline_on_a_cluster_matches_an_independent_computation(
    cluster_run: ClusterRun,
) -> None:
    landing = cluster_run.project.landing_root
    expected = {key: order.values for key, order in expected_silver(landed_orders(landing)).items()}
    assert cluster_run.silver == expected
    assert cluster_run.daily_sales == expected_daily_sales(expected_enriched(landing))
    assert cluster_run.changes == cluster_run.feed > 0, "the Python model ran over Spark Connect"


def test_the_work_ran_on_the_clusters_executors(cluster_run: ClusterRun) -> None:
    assert cluster_run.server_master == cluster_run.master
    assert cluster_run.executor_logs, "the worker launched an executor for the server"
    finished = sum(log.count("Finished task") for log in cluster_run.executor_logs)
    assert finished > 100, "the executors ran the pipeline's tasks"
    assert not any("ClassNotFoundException" in log for log in cluster_run.executor_logs)
