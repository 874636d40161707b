"""The MERGE of incremental models takes dbt-databricks' configs on Spark
(`matched_condition`, `skip_matched_step`, `not_matched_by_source_action`), applies the
model's `tblproperties` to a table built before them, and `liquid_clustered_by` makes a Delta
table with liquid clustering."""

from __future__ import annotations

import pytest
from dbt.tests.util import run_dbt

MERGED = """
{{{{ config(materialized='incremental', incremental_strategy='merge', unique_key='id',
    file_format='delta', {config}) }}}}
select id, val, seq from {{{{ this.schema }}}}.upstream
"""
CLUSTERED = """
{{ config(materialized='incremental', incremental_strategy='merge', unique_key='id',
    file_format='delta', liquid_clustered_by=['id', 'seq']) }}
select id, val, seq from {{ this.schema }}.upstream
"""


@pytest.fixture(scope="class")
def models() -> dict[str, str]:
    return {
        "newer_only.sql": MERGED.format(
            config="matched_condition='DBT_INTERNAL_SOURCE.seq > DBT_INTERNAL_DEST.seq'"
        ),
        "insert_only.sql": MERGED.format(config="skip_matched_step=true"),
        "mirror.sql": MERGED.format(config="not_matched_by_source_action='delete'"),
        "clustered.sql": CLUSTERED,
        "with_properties.sql": MERGED.format(
            config="tblproperties={'delta.enableDeletionVectors': 'true', 'owner_team': 'sales'}"
        ),
    }


class TestMergeConfigs:
    def _upstream(self, project, rows: str) -> None:
        table = f"{project.test_schema}.upstream"
        project.run_sql(
            f"create table if not exists {table} (id int, val string, seq int) using delta"
        )
        project.run_sql(f"insert overwrite {table} values {rows}")

    def _rows(self, project, model: str) -> dict[int, str]:
        rows = project.run_sql(f"select id, val from {project.test_schema}.{model}", fetch="all")
        return dict(rows)

    def test_merge_configs_and_clustering(self, project) -> None:
        self._upstream(project, "(1, 'a', 1), (2, 'b', 1), (3, 'c', 1)")
        run_dbt(["run"])
        # properties changed since the table was built: the next MERGE declares them again
        project.run_sql(
            f"alter table {project.test_schema}.with_properties set tblproperties "
            "('delta.enableDeletionVectors' = 'false', 'owner_team' = 'finance', 'kept' = 'yes')"
        )
        # 1 has a newer seq, 2 an older one, 3 is gone, 4 is new
        self._upstream(project, "(1, 'a2', 2), (2, 'b-stale', 0), (4, 'd', 1)")
        run_dbt(["run"])

        assert self._rows(project, "newer_only") == {1: "a2", 2: "b", 3: "c", 4: "d"}
        assert self._rows(project, "insert_only") == {1: "a", 2: "b", 3: "c", 4: "d"}
        assert self._rows(project, "mirror") == {1: "a2", 2: "b-stale", 4: "d"}
        properties = dict(
            project.run_sql(
                f"show tblproperties {project.test_schema}.with_properties", fetch="all"
            )
        )
        assert properties["delta.enableDeletionVectors"] == "true"
        assert properties["owner_team"] == "sales"
        assert properties["kept"] == "yes"  # not declared by the model: left alone
        # the MERGE marked the updated row deleted instead of rewriting its file
        history = project.run_sql(
            f"describe history {project.test_schema}.with_properties limit 1", fetch="all"
        )
        assert int(history[0].operationMetrics["numTargetDeletionVectorsAdded"]) > 0

        for _ in ("built and merged", "rebuilt"):
            properties = project.run_sql(
                f"show tblproperties {project.test_schema}.clustered", fetch="all"
            )
            assert dict(properties)["clusteringColumns"] == '[["id"],["seq"]]'
            run_dbt(["run", "--select", "clustered", "--full-refresh"])
        assert self._rows(project, "clustered") == {1: "a2", 2: "b-stale", 4: "d"}
