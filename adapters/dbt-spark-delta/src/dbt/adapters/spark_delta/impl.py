"""The ``spark_delta`` adapter: dbt-spark's adapter with this plugin's connection manager."""

from __future__ import annotations

from importlib import import_module

from dbt.adapters.base.impl import AdapterTrackingRelationInfo
from dbt.adapters.contracts.relation import RelationConfig
from dbt.adapters.spark.impl import SparkAdapter
from dbt.adapters.spark_delta.__version__ import version
from dbt.adapters.spark_delta.connections import SparkDeltaConnectionManager


class SparkDeltaAdapter(SparkAdapter):
    ConnectionManager = SparkDeltaConnectionManager

    @classmethod
    def get_adapter_run_info(cls, config: RelationConfig) -> AdapterTrackingRelationInfo:
        # The base class derives the module from the class name ("sparkdelta"); ours is spark_delta.
        return AdapterTrackingRelationInfo(
            adapter_name="spark_delta",
            base_adapter_version=import_module("dbt.adapters.__about__").version,
            adapter_version=version,
            model_adapter_details=cls._get_adapter_specific_run_info(config),
        )
