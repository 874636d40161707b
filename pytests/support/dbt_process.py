"""`dbt` in a process of its own, on a test project's schema, landing and checkpoints: a run
that another process can hold a lock against, or kill."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Mapping

from lakehouse.project import REPO_ROOT, DbtProject


def dbt_process(
    project: DbtProject, *args: str, environment: Mapping[str, str] | None = None
) -> subprocess.Popen[str]:
    """Starts `dbt <args>`; its output (stdout and stderr) is the process's stdout."""
    command = [
        str(REPO_ROOT / ".venv" / "bin" / "dbt"),
        *args,
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(REPO_ROOT),
        "--target",
        project.target,
        "--target-path",
        str(project.state_dir / f"target_{time.monotonic_ns()}"),
        "--vars",
        json.dumps(project.vars),
    ]
    return subprocess.Popen(
        command,
        env={**os.environ, "DBT_SCHEMA": project.schema, **(environment or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
