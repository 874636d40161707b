"""Drive this dbt project programmatically (dbt's dbtRunner), in this process.

On the `local` target the Spark session lives in this process, so consecutive invocations reuse
one JVM and tests can read the tables dbt wrote through `spark()`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult
from dbt_common.events.base_types import EventMsg

REPO_ROOT = Path(__file__).resolve().parents[2]


class DbtCommandFailed(RuntimeError):
    def __init__(self, args: list[str], result: dbtRunnerResult) -> None:
        failures = []
        for node_result in getattr(result.result, "results", None) or []:
            if str(node_result.status) in ("error", "fail"):
                failures.append(f"{node_result.node.name}: {node_result.message}")
        detail = "\n".join(failures) or repr(result.exception)
        super().__init__(f"dbt {' '.join(args)} failed:\n{detail}")
        self.result = result


@contextmanager
def scoped_environ(values: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class DbtProject:
    """One isolated copy of the pipeline: its own schema, landing root and checkpoints."""

    landing_root: Path
    state_dir: Path
    schema: str = "medallion"
    target: str = "local"
    extra_vars: dict[str, object] = field(default_factory=dict)
    # what `{{ log(..., info=true) }}` printed during the last invocation
    logged: list[str] = field(default_factory=list)

    @property
    def vars(self) -> dict[str, object]:
        return {
            "landing_root": str(self.landing_root),
            "checkpoint_root": str(self.state_dir / "checkpoints"),
            **self.extra_vars,
        }

    def invoke(
        self,
        *args: str,
        check: bool = True,
        on_event: Callable[[EventMsg], None] | None = None,
    ) -> dbtRunnerResult:
        argv = [
            *args,
            "--project-dir",
            str(REPO_ROOT),
            "--profiles-dir",
            str(REPO_ROOT),
            "--target",
            self.target,
            "--target-path",
            str(self.state_dir / "target"),
            "--vars",
            json.dumps(self.vars),
        ]
        self.logged = []
        scoped = {"DBT_SCHEMA": self.schema, "DBT_LOG_PATH": str(self.state_dir / "logs")}
        with scoped_environ(scoped):
            callbacks = [self._collect_log] + ([on_event] if on_event else [])
            result = dbtRunner(callbacks=callbacks).invoke(argv)
        if check and not result.success:
            raise DbtCommandFailed(list(args), result)
        return result

    def _collect_log(self, event: EventMsg) -> None:
        if event.info.name == "JinjaLogInfo":
            # the protobuf message carries msg; dbt's type stub does not declare it
            self.logged.append(event.info.msg)  # type: ignore[attr-defined]

    def build(self, *args: str, check: bool = True) -> dbtRunnerResult:
        return self.invoke("build", *args, check=check)

    def run(self, *args: str, check: bool = True) -> dbtRunnerResult:
        return self.invoke("run", *args, check=check)

    def table(self, name: str) -> str:
        return f"{self.schema}.{name}"
