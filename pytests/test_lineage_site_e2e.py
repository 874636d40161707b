"""The lineage site: `dbt docs generate` + `dbt docs serve` on 127.0.0.1, driven by headless
Chromium. The lineage view must draw every model and source and every dependency edge of the
manifest (landing -> bronze -> silver -> gold -> customer_changes and the metrics), and every
column the engine reports for a model must be documented in its YAML.

Set LINEAGE_SCREENSHOT=<path> to keep the screenshot (the README's is docs/images/lineage.png).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from pyspark.sql import SparkSession

from lakehouse.project import REPO_ROOT, DbtProject
from support.engine_target import EMBEDDED

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not EMBEDDED, reason="the site is the same for every target: run on local"),
]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def site(pipeline_with_history: DbtProject) -> Iterator[tuple[str, Path]]:
    """The generated docs of the built pipeline, served on a free loopback port."""
    project = pipeline_with_history
    project.invoke("docs", "generate")
    target = project.state_dir / "target"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dbt = Path(sys.executable).parent / "dbt"
    server = subprocess.Popen(
        [str(dbt), "docs", "serve", "--host", "127.0.0.1", "--port", str(port), "--no-browser",
         "--target-path", str(target), "--project-dir", str(REPO_ROOT), "--profiles-dir",
         str(REPO_ROOT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for_port(port)
        yield f"http://127.0.0.1:{port}", target
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"dbt docs serve did not listen on {port}")


@pytest.fixture(scope="module")
def lineage_page(site: tuple[str, Path]) -> Iterator[Page]:
    url, _ = site
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make browser` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{url}/#!/overview")
        launcher = page.locator("[ng-click='onLauncherClick()']")
        launcher.wait_for(timeout=60_000)
        launcher.click()  # "View Lineage Graph": the full graph
        page.locator("#cy canvas").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1_500)  # let the layout settle before the screenshot
        yield page
        browser.close()


def _manifest(site: tuple[str, Path]) -> dict:
    return json.loads((site[1] / "manifest.json").read_text())


def _drawn(page: Page) -> tuple[set[str], set[tuple[str, str]]]:
    elements = page.evaluate(
        """() => angular.element(document.body).injector().get('graph').graph.elements
                .filter(e => !e.data.hidden)
                .map(e => ({group: e.group, id: e.data.id, source: e.data.source,
                            target: e.data.target}))"""
    )
    nodes = {e["id"] for e in elements if e["group"] == "nodes"}
    edges = {(e["source"], e["target"]) for e in elements if e["group"] == "edges"}
    return nodes, edges


def test_lineage_view_draws_every_model_snapshot_source_and_edge(
    lineage_page: Page, site: tuple[str, Path], tmp_path: Path
) -> None:
    manifest = _manifest(site)
    models = {
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "snapshot")
    }
    sources = set(manifest["sources"])
    expected_edges = {
        (parent, uid)
        for uid in models
        for parent in manifest["nodes"][uid]["depends_on"]["nodes"]
        if parent in models | sources
    }
    nodes, edges = _drawn(lineage_page)
    assert models - nodes == set(), "models missing from the lineage graph"
    assert sources - nodes == set(), "sources missing from the lineage graph"
    assert expected_edges - edges == set(), "dependencies not drawn"
    names = {uid.rsplit(".", 1)[-1] for uid in nodes}
    assert len(models) == 14, "13 models and the snapshot"
    assert {"customer_changes", "data_quality_metrics", "customers_history"} <= names
    # the medallion path itself, landing -> bronze -> silver -> gold
    path = [
        "source.medallion_lakehouse.landing.orders",
        "model.medallion_lakehouse.bronze_orders",
        "model.medallion_lakehouse.silver_orders_checked",
        "model.medallion_lakehouse.silver_orders",
        "model.medallion_lakehouse.silver_orders_enriched",
        "model.medallion_lakehouse.gold_daily_sales",
    ]
    assert set(itertools.pairwise(path)) <= edges
    history = (
        "model.medallion_lakehouse.silver_customers",
        "snapshot.medallion_lakehouse.customers_history",
    )
    assert history in edges

    canvas = lineage_page.locator("#cy canvas").first.bounding_box()
    assert canvas and canvas["width"] > 500 and canvas["height"] > 300
    shot = Path(os.environ.get("LINEAGE_SCREENSHOT", tmp_path / "lineage.png"))
    lineage_page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000  # a drawn graph, not a blank page


def test_every_column_the_engine_reports_is_documented(site: tuple[str, Path]) -> None:
    manifest = _manifest(site)
    catalog = json.loads((site[1] / "catalog.json").read_text())
    undocumented = []
    for uid, entry in catalog["nodes"].items():
        documented = manifest["nodes"][uid]["columns"]
        for column in entry["columns"]:
            if not documented.get(column, {}).get("description"):
                undocumented.append(f"{uid}.{column}")
    assert undocumented == []
    assert len(catalog["nodes"]) == 16, "13 models, the snapshot and the 2 seeds"


def test_every_declared_data_type_is_the_type_the_engine_reports(
    site: tuple[str, Path], pipeline_with_history: DbtProject, spark: SparkSession
) -> None:
    """Every model's and the snapshot's columns declare `data_type` in their YAML (the docs
    show it), and it is the type of the built table as Spark reports it."""
    declared, built = {}, {}
    for node in _manifest(site)["nodes"].values():
        if node["resource_type"] in ("model", "snapshot"):
            table = spark.table(pipeline_with_history.table(node["alias"]))
            for field in table.schema.fields:
                column = f"{node['name']}.{field.name}"
                declared[column] = node["columns"][field.name]["data_type"]
                built[column] = field.dataType.simpleString()
    assert len(declared) == 156
    assert declared == built
