"""Measuring: one sample (wall time, peak memory, dbt's run results), series of repeated
samples with their ratios, and timing a command as its own process."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lakehouse.project import REPO_ROOT


@dataclass
class Sample:
    seconds: float
    peak_rss_mb: float = 0.0
    run_results: dict[str, Any] | None = None


@dataclass
class Series:
    """Repeated measurements of one thing."""

    samples: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "median": round(statistics.median(self.samples), 3),
            "min": round(min(self.samples), 3),
            "max": round(max(self.samples), 3),
            "n": len(self.samples),
        }


def ratio_series(numerators: Sequence[float], denominators: Sequence[float]) -> Series:
    """Per-repetition ratios of interleaved pairs (A_i / B_i)."""
    return Series([a / b for a, b in zip(numerators, denominators, strict=True)])


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(stat[1]), []).append(pid)
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1024


class PeakMemory:
    """Samples the resident memory of a process tree every half second while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, _tree_rss_mb(self.pid))
            self._done.wait(0.5)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()


def timed(command: Sequence[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> tuple[Sample, str]:
    """Run a command to completion: wall time, peak memory of its process tree, its stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with PeakMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    return Sample(elapsed, round(memory.peak, 1)), stdout


def machine() -> dict[str, Any]:
    memory_kb = int(
        next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    )
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
