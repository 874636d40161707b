"""Within one invocation a metadata read is answered once until something writes: the second
`describe history` of a table comes from the first, and the read after an insert sees the new
commit."""

from __future__ import annotations

import re

import pytest
from dbt.tests.util import run_dbt, run_dbt_and_capture

READS = """
{% macro newest_version(relation) %}
    {{ return(run_query('describe history ' ~ relation ~ ' limit 1').rows[0]['version'] | int) }}
{% endmacro %}

{% macro versions_around_a_write() %}
    {%- set numbers = ref('numbers') -%}
    {%- set first = newest_version(numbers) -%}
    {%- set again = newest_version(numbers) -%}
    {%- do run_query('insert into ' ~ numbers ~ ' values (2)') -%}
    {%- set after_insert = newest_version(numbers) -%}
    {%- set later = newest_version(numbers) -%}
    {{ log('versions: ' ~ [first, again, after_insert, later] | join(','), info=true) }}
{% endmacro %}
"""


@pytest.fixture(scope="class")
def project_config_update() -> dict[str, object]:
    return {"models": {"+file_format": "delta"}}


@pytest.fixture(scope="class")
def models() -> dict[str, str]:
    return {"numbers.sql": "{{ config(materialized='table') }}\nselect 1 as n"}


@pytest.fixture(scope="class")
def macros() -> dict[str, str]:
    return {"reads.sql": READS}


class TestMetadataCache:
    def test_answered_once_until_a_write(self, project) -> None:
        run_dbt(["run"])
        _, log = run_dbt_and_capture(["--debug", "run-operation", "versions_around_a_write"])
        versions = [int(v) for v in re.search(r"versions: (\S+)", log)[1].split(",")]
        first, again, after_insert, again_after_insert = versions
        assert again == first
        assert after_insert == first + 1
        assert again_after_insert == after_insert
        assert log.count("Answered from this run's earlier read") == 2
