"""The `streaming_table` materialization: every landed file is read exactly once over runs, a
file that changed after it was ingested fails the run before anything is written, hidden and
empty files are never read, and `--full-refresh` rebuilds from the files as they are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dbt.tests.util import run_dbt

MODEL = """
{{ config(materialized='streaming_table') }}
-- depends_on: {{ source('landing', 'notes') }}
select
    _metadata.file_path as source_file,
    _metadata.file_modification_time as source_file_modified_at,
    value as file_text,
    current_timestamp() as ingestion_timestamp
from {{ streaming_table_batch(this) }}
"""


def _sources(landing: Path) -> str:
    return f"""
sources:
  - name: landing
    tables:
      - name: notes
        external:
          location: "{landing}"
          file_pattern: "*.txt"
"""


@pytest.fixture(scope="class")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("landing")


@pytest.fixture(scope="class")
def project_config_update(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return {
        "vars": {"checkpoint_root": str(tmp_path_factory.mktemp("checkpoints"))},
        "models": {"+file_format": "delta"},
    }


@pytest.fixture(scope="class")
def models(landing: Path) -> dict[str, str]:
    return {"notes.sql": MODEL, "_sources.yml": _sources(landing)}


def _land(landing: Path, name: str, text: str) -> None:
    path = landing / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


class TestStreamingTable:
    def _rows(self, project) -> dict[str, str]:
        rows = project.run_sql(
            f"select source_file, file_text from {project.test_schema}.notes", fetch="all"
        )
        return {os.path.basename(path): text for path, text in rows}

    def _version(self, project) -> int:
        history = project.run_sql(
            f"describe history {project.test_schema}.notes limit 1", fetch="one"
        )
        return history[0]

    def test_each_file_once_and_changed_files_fail(self, project, landing: Path) -> None:
        _land(landing, "a.txt", "first\n")
        _land(landing, "deep/batch=1/b.txt", "second\n")
        _land(landing, "_hidden.txt", "never\n")
        _land(landing, "skipped.csv", "not a note\n")
        run_dbt(["run"])
        assert self._rows(project) == {"a.txt": "first\n", "b.txt": "second\n"}

        version = self._version(project)
        run_dbt(["run"])  # nothing new: no commit
        assert self._version(project) == version

        _land(landing, "c.txt", "third\n")
        _land(landing, "empty.txt", "")
        run_dbt(["run"])
        assert self._rows(project) == {
            "a.txt": "first\n",
            "b.txt": "second\n",
            "c.txt": "third\n",
        }

        version = self._version(project)
        _land(landing, "a.txt", "first, rewritten in place\n")
        result = run_dbt(["run"], expect_pass=False)
        assert "changed after notes ingested them" in result.results[0].message
        assert self._version(project) == version  # nothing written

        run_dbt(["run", "--full-refresh"])
        assert self._rows(project)["a.txt"] == "first, rewritten in place\n"
        assert len(self._rows(project)) == 3


class TestStreamingTableRelativePaths:
    """A relative landing folder and checkpoint root (a relative LAKEHOUSE_DIR, as when
    `dbt build` runs from the project folder without it) are read against dbt's working
    folder: the file log is a Delta table at an absolute path, and each file is read once."""

    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict[str, object]:
        return {
            "vars": {"checkpoint_root": "relative/checkpoints"},
            "models": {"+file_format": "delta"},
        }

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"notes.sql": MODEL, "_sources.yml": _sources(Path("relative/landing"))}

    def test_relative_locations(self, project) -> None:
        root = Path(project.project_root)
        assert Path.cwd().resolve() == root.resolve()  # dbt's tests run from the project
        _land(root / "relative/landing", "a.txt", "first\n")
        run_dbt(["run"])
        _land(root / "relative/landing", "b.txt", "second\n")
        run_dbt(["run"])
        rows = project.run_sql(
            f"select source_file, file_text from {project.test_schema}.notes", fetch="all"
        )
        assert sorted((path, text) for path, text in rows) == [
            (f"file:{root.resolve()}/relative/landing/a.txt", "first\n"),
            (f"file:{root.resolve()}/relative/landing/b.txt", "second\n"),
        ]
        file_log = root / "relative/checkpoints" / project.test_schema / "notes/ingested_files"
        assert (file_log / "_delta_log").is_dir()
