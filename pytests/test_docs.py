"""The documentation stays true (what dbt-score in `make lint` does not score: analyses, and
whether the prose is true): every analysis documented, the architecture diagram equal to the
manifest's graph, links that resolve, commands that exist, and the expectation
tables equal to the YAML declarations. No engine is started (dbt parse only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lakehouse import diagram
from lakehouse.cli import build_parser, parsed_manifest
from lakehouse.project import REPO_ROOT

DOCUMENTS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]


@pytest.fixture(scope="module")
def manifest() -> dict:
    return parsed_manifest()


def _own(manifest: dict, kind: str) -> dict[str, dict]:
    return {
        uid: node
        for uid, node in manifest[kind].items()
        if node.get("package_name") == "medallion_lakehouse"
    }


def test_every_analysis_is_documented(manifest: dict) -> None:
    # models, sources, snapshots and macros: dbt-score in `make lint` (pyproject.toml)
    analyses = [n for n in _own(manifest, "nodes").values() if n["resource_type"] == "analysis"]
    assert analyses
    assert [n["name"] for n in analyses if not n["description"].strip()] == []


def test_architecture_diagram_is_generated_from_the_manifest(manifest: dict) -> None:
    document = (REPO_ROOT / "docs" / "architecture.md").read_text()
    assert diagram.embed(document, diagram.render(manifest)) == document, (
        "docs/architecture.md is stale: run `.venv/bin/lakehouse diagram`"
    )


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_relative_links_resolve(document: Path) -> None:
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", document.read_text()):
        if re.match(r"[a-z]+://", target):
            continue
        assert (document.parent / target).exists(), f"{document.name}: broken link {target}"


def test_commands_named_in_the_docs_exist() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    make_targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    cli_commands = set(build_parser()._subparsers._group_actions[0].choices)
    for document in DOCUMENTS:
        text = document.read_text()
        for target in re.findall(r"\bmake ([a-z][a-z-]*)", text):
            assert target in make_targets, f"{document.name}: make {target}"
        for command in re.findall(r"\blakehouse ([a-z]+)\b", text):
            if command in ("thrift", "diagram", "generate", "benchmark"):
                assert command in cli_commands, f"{document.name}: lakehouse {command}"
        for macro in re.findall(r"run-operation ([a-z_]+)", text):
            assert any((REPO_ROOT / "macros").rglob(f"{macro}.sql")), macro


def _declared_expectations() -> set[tuple[str, str, str]]:
    import yaml

    models = yaml.safe_load((REPO_ROOT / "models/silver/_silver__models.yml").read_text())
    silver = next(m for m in models["models"] if m["name"] == "silver_orders")
    declared = set()
    for test in silver["data_tests"]:
        if not (isinstance(test, dict) and "expectation" in test):
            continue
        arguments = test["expectation"]["arguments"]
        condition = arguments.get("condition") or (
            f"{arguments['column']} in (<the seed {arguments['values_seed']}>)"
        )
        declared.add((arguments["expectation_name"], condition, arguments["action"]))
    return declared


def test_expectation_tables_match_the_declarations() -> None:
    declared = _declared_expectations()
    assert len(declared) == 4
    guide = (REPO_ROOT / "docs" / "data_quality.md").read_text()
    rows = set(re.findall(r"^\| `(\w+)` \| `([^`]+)` \| (\w+) \|$", guide, re.MULTILINE))
    assert rows == declared
    mapping = (REPO_ROOT / "docs" / "dlt_to_dbt.md").read_text()
    for name, _, action in declared:
        row = rf'"{name}".*\| `expectation` test, `action: {action}`[^|]*\|'
        assert re.search(row, mapping), name


def test_tests_named_in_the_docs_exist() -> None:
    """Each `pytests/<module>.py::<test>` a document names (operations.md's table) exists."""
    named = {
        (module, test)
        for document in DOCUMENTS
        for module, test in re.findall(r"pytests/(\w+\.py)::(\w+)", document.read_text())
    }
    assert named
    missing = [
        f"{module}::{test}"
        for module, test in sorted(named)
        if not re.search(
            rf"^def {test}\(", (REPO_ROOT / "pytests" / module).read_text(), re.MULTILINE
        )
    ]
    assert missing == []
