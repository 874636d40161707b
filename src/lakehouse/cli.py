"""`lakehouse` command line: tooling around the dbt project."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from lakehouse import diagram, generate, thrift_server
from lakehouse.project import REPO_ROOT, DbtProject


def default_landing_root() -> Path:
    if "LANDING_ROOT" in os.environ:
        return Path(os.environ["LANDING_ROOT"])
    return Path(os.environ.get("LAKEHOUSE_DIR", ".lakehouse")) / "landing"


def _generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    truths = generate.land(
        args.landing_root.resolve(),
        first_batch=args.first_batch,
        batches=args.batches,
        orders=args.orders,
        files=args.files,
        customers=args.customers,
        seed=args.seed,
        poison_lines=args.poison_lines,
        skip_existing=args.skip_existing,
    )
    lines = sum(truth.lines for truth in truths)
    print(
        json.dumps(
            {
                "landing_root": str(args.landing_root.resolve()),
                "batches": [truth.batch for truth in truths],
                "lines": lines,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lakehouse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser(
        "generate",
        help="land deterministic sample order batches and customer extracts",
        description="Write order batches (JSON lines) and customer deliveries (Parquet) to the "
        "landing zone, with a ground-truth summary of every defect class under _ground_truth/.",
    )
    gen.add_argument(
        "--landing-root",
        type=Path,
        default=default_landing_root(),
        help="landing folder (default: $LANDING_ROOT or $LAKEHOUSE_DIR/landing)",
    )
    gen.add_argument("--orders", type=int, default=10_000, help="order lines per batch")
    gen.add_argument("--batches", type=int, default=1, help="how many batches to land")
    gen.add_argument(
        "--first-batch",
        type=int,
        default=0,
        help="number of the first batch (continue an earlier landing)",
    )
    gen.add_argument("--files", type=int, default=4, help="files per batch")
    gen.add_argument("--customers", type=int, default=2_000, help="customers in the extract")
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument(
        "--poison-lines",
        type=int,
        default=0,
        help="add lines whose status is outside the allowed set (silver must fail)",
    )
    gen.add_argument(
        "--skip-existing",
        action="store_true",
        help="skip batches that are already landed instead of failing",
    )
    gen.set_defaults(func=_generate)

    thrift = commands.add_parser(
        "thrift",
        help="start / stop / check the local Spark Thrift Server of the `thrift` target",
        description="A local Spark Thrift Server with Delta Lake and Spark Connect, bound to "
        "127.0.0.1, with the `local` target's engine settings and its state under "
        "$LAKEHOUSE_DIR (ports: $THRIFT_PORT, default 10000; $SPARK_CONNECT_PORT, default 15002).",
    )
    thrift.add_argument("action", choices=["start", "stop", "status"])
    thrift.add_argument(
        "--timeout", type=float, default=300.0, help="seconds to wait for the server to be ready"
    )
    thrift.add_argument(
        "--master",
        default=None,
        help="where the work runs: local[*] (default; $SPARK_MASTER) or a cluster the server "
        "submits to, e.g. spark://HOST:7077 (the lakehouse paths must be shared storage)",
    )
    thrift.set_defaults(func=_thrift)

    draw = commands.add_parser(
        "diagram",
        help="regenerate the medallion diagram in docs/architecture.md from dbt's manifest",
        description="Runs `dbt parse` and rewrites the Mermaid diagram between the markers of "
        "docs/architecture.md.",
    )
    draw.add_argument("--document", type=Path, default=REPO_ROOT / "docs" / "architecture.md")
    draw.set_defaults(func=_diagram)

    bench = commands.add_parser(
        "benchmark",
        help="measure the pipeline (dbt overhead, incremental cost, history, thrift vs local)",
        description="Generates data, runs dbt and the baselines interleaved, and writes "
        "results.json, report.md and plots (default docs/benchmarks/).",
    )
    bench.add_argument(
        "--scales",
        default="1000000,5000000,10000000",
        help="comma-separated full-build sizes in orders (the largest also gets P2)",
    )
    bench.add_argument("--repeats", type=int, default=3, help="interleaved repetitions")
    bench.add_argument(
        "--quick",
        action="store_true",
        help="2,000 orders, one repetition, in one process (keeps the command working; CI)",
    )
    bench.add_argument("--no-thrift", action="store_true", help="skip thrift vs local")
    bench.add_argument(
        "--against",
        type=Path,
        default=None,
        metavar="CHECKOUT",
        help="instead: this checkout vs another one (with its own .venv, e.g. older pins) at "
        "the smallest scale: full build, 1%% incremental build, PySpark job, interleaved; "
        "writes engine_upgrade.json",
    )
    bench.add_argument("--workdir", type=Path, default=Path(".lakehouse") / "benchmark")
    bench.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "benchmarks")
    bench.set_defaults(func=_benchmark)
    return parser


def _benchmark(args: argparse.Namespace) -> int:
    from lakehouse.bench import loop, report
    from lakehouse.bench.steps import Plan

    if args.quick:
        plan = Plan(scales=[2_000], repeats=1, thrift=False, quick=True)
    else:
        scales = sorted(int(s) for s in args.scales.split(","))
        plan = Plan(scales=scales, repeats=args.repeats, thrift=not args.no_thrift)
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.against is not None:
        from lakehouse.bench import pins

        compared = pins.run(
            args.against,
            plan.scales[0],
            plan.repeats,
            args.workdir.resolve(),
            lambda line: print(line, flush=True),
        )
        out = args.out / "engine_upgrade.json"
        out.write_text(json.dumps(compared, indent=2) + "\n")
        print(f"wrote {out} in {time.perf_counter() - started:.0f} s")
        return 0
    results = loop.run(plan, args.workdir.resolve(), lambda line: print(line, flush=True))
    report.write(results, args.out)
    print(f"wrote {args.out}/report.md in {time.perf_counter() - started:.0f} s")
    return 0


def _diagram(args: argparse.Namespace) -> int:
    manifest = parsed_manifest()
    changed = diagram.update(args.document, manifest)
    print(f"{args.document}: {'updated' if changed else 'already up to date'}")
    return 0


def parsed_manifest() -> dict:
    """dbt's manifest of this project (`dbt parse`; no engine is started)."""
    with tempfile.TemporaryDirectory() as state:
        project = DbtProject(landing_root=Path(state) / "landing", state_dir=Path(state))
        project.invoke("parse", "--quiet")
        return json.loads((Path(state) / "target" / "manifest.json").read_text())


def _thrift(args: argparse.Namespace) -> int:
    try:
        config = thrift_server.ServerConfig.from_env(master=args.master)
        if args.action == "start":
            started = time.perf_counter()
            pid = thrift_server.start(config, timeout=args.timeout)
            print(
                f"Thrift server ready in {time.perf_counter() - started:.0f} s (pid {pid}): "
                f"jdbc:hive2://{thrift_server.HOST}:{config.thrift_port}, "
                f"sc://{thrift_server.HOST}:{config.connect_port}; master {config.master}; "
                f"log: {config.log_file}"
            )
        elif args.action == "stop":
            stopped = thrift_server.stop(config)
            print("Thrift server stopped" if stopped else "no Thrift server was running")
        else:
            running = thrift_server.running_pid(config)
            print(f"running (pid {running})" if running else "not running")
            return 0 if running else 3
    except thrift_server.ServerError as error:
        print(f"lakehouse thrift {args.action}: {error}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
