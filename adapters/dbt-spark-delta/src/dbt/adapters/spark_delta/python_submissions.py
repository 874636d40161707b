"""Run dbt Python models in the dbt process's own Spark session (submission method `session`).

dbt-spark only submits Python models to Databricks clusters. With the `session` connection
method the Spark session already lives in this process, so the compiled model code (the user's
`model()` plus dbt's wrapper that writes the result table) simply runs here, against it.
"""

from __future__ import annotations

import os
from typing import Any

from dbt.adapters.base import PythonJobHelper
from dbt.adapters.spark_delta.session import get_or_create_session
from dbt_common.exceptions import DbtRuntimeError


class SessionPythonJobHelper(PythonJobHelper):
    def __init__(self, parsed_model: dict[str, Any], credentials: Any) -> None:
        self.identifier = parsed_model["alias"]
        self.credentials = credentials
        if credentials.method != "session":
            raise DbtRuntimeError(
                f"Python model {self.identifier}: submission_method 'session' needs the "
                f"'session' connection method, not '{credentials.method}'"
            )

    def submit(self, compiled_code: str) -> None:
        # dbt's wrapper imports pyspark.pandas, which wants this set before any session exists
        os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
        spark = get_or_create_session(self.credentials.server_side_parameters)
        namespace: dict[str, Any] = {"spark": spark, "__name__": f"dbt_model_{self.identifier}"}
        code = compile(compiled_code, f"<dbt python model {self.identifier}>", "exec")
        exec(code, namespace)  # the model's own code, compiled by dbt
