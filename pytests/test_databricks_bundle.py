"""The Databricks Asset Bundle, checked offline: it parses, every job validates against the
Jobs API model of `databricks-bundles` (unknown or misspelled fields fail), and its dbt task
points at this project, with commands this project accepts and the pinned dbt versions.

Not checked here (needs a workspace and the Databricks CLI): `databricks bundle validate`,
variable resolution against a real workspace, and a deployed run.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from databricks.bundles.jobs import Job

from lakehouse.project import REPO_ROOT

BUNDLE = REPO_ROOT / "databricks.yml"
VARIABLE = re.compile(r"\$\{var\.([a-z_]+)\}")


def _bundle() -> dict:
    return yaml.safe_load(BUNDLE.read_text())


def _resource_files() -> list[Path]:
    return sorted(p for pattern in _bundle()["include"] for p in REPO_ROOT.glob(pattern))


def _jobs() -> list[tuple[Path, str, dict]]:
    found = []
    for path in _resource_files():
        for key, job in yaml.safe_load(path.read_text())["resources"].get("jobs", {}).items():
            found.append((path, key, job))
    return found


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==(\S+)", line)
        if match:
            pins[match[1].lower()] = match[3]
    return pins


def test_bundle_has_a_dev_and_a_prod_target() -> None:
    bundle = _bundle()
    assert bundle["bundle"]["name"] == "medallion_lakehouse"
    targets = bundle["targets"]
    assert targets["dev"]["mode"] == "development" and targets["dev"]["default"] is True
    assert targets["prod"]["mode"] == "production"
    assert _resource_files(), "the include globs match the job resources"


def test_every_job_is_a_valid_jobs_api_resource() -> None:
    assert _jobs()
    for _, key, job in _jobs():
        parsed = Job.from_dict(job)  # raises on a field the Jobs API does not have
        assert parsed.name, key


def test_every_variable_used_is_declared() -> None:
    declared = set(_bundle()["variables"])
    used = set(VARIABLE.findall(BUNDLE.read_text()))
    for path in _resource_files():
        used |= set(VARIABLE.findall(path.read_text()))
    assert used <= declared, used - declared
    required = {name for name, spec in _bundle()["variables"].items() if "default" not in spec}
    assert required == {"warehouse_id", "notification_email"}


@pytest.mark.parametrize("path, key, job", _jobs(), ids=lambda value: str(value)[:40])
def test_dbt_task_runs_this_project_on_a_warehouse(path: Path, key: str, job: dict) -> None:
    task = next(task for task in job["tasks"] if "dbt_task" in task)
    dbt_task = task["dbt_task"]
    # paths in a bundle resource are relative to the file that declares them
    project_dir = (path.parent / dbt_task["project_directory"]).resolve()
    assert project_dir == REPO_ROOT.resolve()
    assert (project_dir / "dbt_project.yml").exists()
    assert dbt_task["warehouse_id"] == "${var.warehouse_id}"
    # the Jobs API refuses profiles_directory together with warehouse_id (it writes the profile)
    assert "profiles_directory" not in dbt_task

    commands = [shlex.split(command) for command in dbt_task["commands"]]
    assert all(argv[0] == "dbt" for argv in commands)
    # one dbt build (or, for the weekly full check, one dbt test); no hub packages to deps
    assert [argv[1] for argv in commands] in (["build"], ["test"]), commands
    project_vars = _project_vars()
    for argv in commands:
        if "--vars" in argv:
            passed = json.loads(argv[argv.index("--vars") + 1])
            assert set(passed) <= project_vars, set(passed) - project_vars

    assert task["max_retries"] >= 1
    assert job["schedule"]["timezone_id"] == "UTC"
    assert len(job["schedule"]["quartz_cron_expression"].split()) in (6, 7)
    assert job["email_notifications"]["on_failure"]


def test_job_environment_pins_the_same_dbt_as_requirements() -> None:
    pins = _pins()
    for _, _, job in _jobs():
        for environment in job["environments"]:
            for requirement in environment["spec"]["dependencies"]:
                name, version = requirement.split("==")
                assert pins[name.lower()] == version, requirement


def _project_vars() -> set[str]:
    """The vars the project reads: its `vars:` block, and those read with a default in place."""
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    read = {
        name
        for folder in ("models", "macros")
        for path in (REPO_ROOT / folder).rglob("*.*")
        if path.suffix in (".sql", ".yml")
        for name in re.findall(r"var\('(\w+)'", path.read_text())
    }
    return set(project["vars"]) | read
