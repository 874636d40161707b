"""The `session` submission method: a Python model's compiled code runs here, on the session."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import pytest
from dbt.adapters.base import BaseAdapter
from dbt.adapters.spark_delta import metadata_cache, python_submissions
from dbt.adapters.spark_delta.impl import SparkDeltaAdapter
from dbt.adapters.spark_delta.python_submissions import SessionPythonJobHelper
from dbt_common.exceptions import DbtRuntimeError


def _credentials(method: str) -> SimpleNamespace:
    return SimpleNamespace(method=method, server_side_parameters={"spark.sql.ansi.enabled": "true"})


def test_compiled_code_runs_with_the_session_bound_to_spark() -> None:
    session: list[str] = []
    with mock.patch.object(
        python_submissions, "get_or_create_session", autospec=True, return_value=session
    ) as get_session:
        helper = SessionPythonJobHelper({"alias": "customer_changes"}, _credentials("session"))
        helper.submit("spark.append('ran in ' + __name__)")
    get_session.assert_called_once_with({"spark.sql.ansi.enabled": "true"})
    assert session == ["ran in dbt_model_customer_changes"]


def test_model_errors_surface_to_dbt() -> None:
    with mock.patch.object(python_submissions, "get_or_create_session", autospec=True):
        helper = SessionPythonJobHelper({"alias": "broken"}, _credentials("session"))
        with pytest.raises(ZeroDivisionError):
            helper.submit("1 / 0")


def test_session_submission_needs_the_session_method() -> None:
    with pytest.raises(DbtRuntimeError, match="needs the 'session' connection method"):
        SessionPythonJobHelper({"alias": "m"}, _credentials("thrift"))


def test_adapter_offers_session_beside_dbt_sparks_methods() -> None:
    adapter = mock.create_autospec(SparkDeltaAdapter, instance=True)
    adapter.config = SimpleNamespace(credentials=_credentials("session"))
    helpers = SparkDeltaAdapter.python_submission_helpers.fget(adapter)
    assert helpers["session"] is SessionPythonJobHelper
    assert {"job_cluster", "all_purpose_cluster"} <= set(helpers)
    assert SparkDeltaAdapter.default_python_submission_method.fget(adapter) == "session"


def test_a_python_model_drops_the_metadata_answers_before_and_after_it_runs() -> None:
    # The job writes through the Spark session, where no statement of dbt's drops the answers.
    cache = metadata_cache.MetadataCache()
    cache.store("describe history s.customers", "before the model", cache.generation)
    adapter = mock.create_autospec(SparkDeltaAdapter, instance=True)
    adapter.connections = SimpleNamespace(metadata_cache=cache)
    seen_by_the_job: list[object] = []

    def job(self: BaseAdapter, parsed_model: dict, compiled_code: str) -> str:
        seen_by_the_job.append(cache.lookup("describe history s.customers"))
        # a read that the job's own writes make stale
        cache.store("describe history s.changes", "while the model ran", cache.generation)
        if compiled_code == "fail":
            raise DbtRuntimeError("the model failed after its write")
        return "written"

    model = {"alias": "customer_changes", "config": {"submission_method": "session"}}
    with mock.patch.object(BaseAdapter, "submit_python_job", autospec=True, side_effect=job):
        assert SparkDeltaAdapter.submit_python_job(adapter, model, "ok") == "written"
        assert seen_by_the_job == [None]
        assert cache.lookup("describe history s.changes") is None

        with pytest.raises(DbtRuntimeError):
            SparkDeltaAdapter.submit_python_job(adapter, model, "fail")
        assert cache.lookup("describe history s.changes") is None
