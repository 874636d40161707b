"""The class-data-sharing archive: made once, used only when complete, never made twice at once,
not retried after a failure, and left alone when a profile decides on class data sharing itself.
A real training job and a JVM that refuses an archive: pytests/test_class_archive_e2e.py."""

from __future__ import annotations

import fcntl
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from dbt.adapters.spark_delta import class_archive, delta_jars

JARS = [Path("/jars/io.delta_delta-storage-4.4.0.jar")]


@pytest.fixture
def archive(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = class_archive.archive_path(JARS)
    assert path is not None, "Java is on this machine"
    return path


def _training(returncode: int, archive_bytes: bytes) -> mock.MagicMock:
    def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        partial = Path(command[3])
        assert partial.parent == class_archive.cache_dir() and partial.suffix == ".partial"
        if archive_bytes:
            partial.write_bytes(archive_bytes)
        return subprocess.CompletedProcess(command, returncode, "", "training said why")

    return mock.create_autospec(subprocess.run, side_effect=run)


def test_made_once_then_used_as_it_is(archive: Path) -> None:
    with mock.patch.object(subprocess, "run", _training(0, b"classes")) as run:
        options = class_archive.java_options(JARS, "-Dderby.stream.error.file=/x/derby.log")
        assert options.startswith(f"-XX:SharedArchiveFile={archive} -Xshare:auto")
        assert archive.read_bytes() == b"classes"
        assert not list(archive.parent.glob("*.partial")), "the partial file was renamed"
        assert class_archive.java_options(JARS) == options
    run.assert_called_once()


def test_leftovers_of_a_killed_training_are_removed_by_the_next(archive: Path) -> None:
    archive.parent.mkdir(parents=True)
    killed = archive.parent / f"{archive.stem}.999999999.partial"
    killed.write_bytes(b"half")
    (archive.parent / "training-999999999").mkdir()
    running = archive.parent / f"{archive.stem}.1.partial"  # pid 1 is alive
    running.write_bytes(b"being written")
    with mock.patch.object(subprocess, "run", _training(0, b"classes")):
        assert class_archive.java_options(JARS)
    assert not killed.exists() and not (archive.parent / "training-999999999").exists()
    assert running.exists()


def test_the_key_follows_the_jars_and_the_pyspark_folder(archive: Path, tmp_path: Path) -> None:
    other = class_archive.archive_path([*JARS, Path("/jars/extra.jar")])
    assert other is not None and other != archive
    assert class_archive.archive_path(list(JARS)) == archive
    # another virtualenv: the same versions, but a class path a JVM would not match
    with mock.patch.object(delta_jars, "spark_home", autospec=True, return_value=tmp_path):
        assert class_archive.archive_path(JARS) not in (archive, None)


def test_archives_of_a_removed_pyspark_folder_go_with_the_next_training(
    archive: Path, tmp_path: Path
) -> None:
    archive.parent.mkdir(parents=True)
    kept, orphan, unknown = (archive.parent / f"driver-{n}.jsa" for n in ("kept", "gone", "old"))
    for made in (kept, orphan, unknown):
        made.write_bytes(b"classes")
    class_archive.source(kept).write_text(f"{tmp_path}\n")  # another virtualenv, still there
    class_archive.source(orphan).write_text(f"{tmp_path / 'removed-venv'}\n")
    with mock.patch.object(subprocess, "run", _training(0, b"classes")):
        assert class_archive.java_options(JARS)
    assert kept.exists() and archive.exists()
    assert not orphan.exists() and not class_archive.source(orphan).exists()
    assert not unknown.exists(), "made before archives named their pyspark folder"
    assert class_archive.source(archive).read_text().strip() == str(
        delta_jars.spark_home().resolve()
    )


def test_a_failed_training_is_not_retried_and_leaves_no_archive(archive: Path) -> None:
    with mock.patch.object(subprocess, "run", _training(1, b"half an archive")) as run:
        assert class_archive.java_options(JARS) == ""
        assert class_archive.java_options(JARS) == ""
    run.assert_called_once()
    assert not archive.exists()
    assert not list(archive.parent.glob("*.partial"))
    assert "training said why" in class_archive.failure_marker(archive).read_text()


def test_a_session_does_not_wait_for_another_process_making_it(archive: Path) -> None:
    archive.parent.mkdir(parents=True)
    with (archive.parent / "create.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as another process training right now
        with mock.patch.object(subprocess, "run", autospec=True) as run:
            assert class_archive.java_options(JARS) == ""
        run.assert_not_called()
    assert not class_archive.failure_marker(archive).exists(), "it is tried again next time"


@pytest.mark.parametrize("configured", ["-Xshare:off", "-XX:SharedArchiveFile=/own.jsa"])
def test_a_profiles_own_choice_wins(archive: Path, configured: str) -> None:
    with mock.patch.object(subprocess, "run", autospec=True) as run:
        assert class_archive.java_options(JARS, f"-Dx=1 {configured}") == ""
    run.assert_not_called()


def test_an_archive_a_jvm_refused_is_dropped_for_good(archive: Path) -> None:
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"not an archive")
    class_archive.discard(JARS)
    assert not archive.exists()
    with mock.patch.object(subprocess, "run", autospec=True) as run:
        assert class_archive.java_options(JARS) == ""
    run.assert_not_called()
