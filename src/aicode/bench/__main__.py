"""``python -m aicode.bench``: time ingest, reads, dashboard pages and the git hook; print tables.

Heavy modules are imported inside ``main`` so that spawned client processes, which re-import
this module under another name, stay light.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aicode.bench.options import (
    BULK_DEVELOPER_DAYS,
    DEFAULT_BULK_INGEST_EVENTS,
    HISTORY_MODES,
    BenchOptions,
)


def parse_args(argv: list[str] | None = None) -> BenchOptions:
    """Options from the command line."""
    defaults = BenchOptions()
    parser = argparse.ArgumentParser(
        prog="python -m aicode.bench",
        description="Benchmark ingest over HTTP, the native read endpoints and the dashboard "
        "pages on a generated organization, and the git hook's cost on git commit. Targets "
        "are stated for --developers 10000 --days 90.",
    )
    parser.add_argument("--developers", type=int, default=defaults.developers)
    parser.add_argument("--days", type=int, default=defaults.days)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--clients", type=int, default=defaults.clients, help="ingest client processes"
    )
    parser.add_argument(
        "--repeat", type=int, default=defaults.repeat, help="timed runs per read endpoint"
    )
    parser.add_argument(
        "--batch-size", type=int, default=defaults.batch_size, help="events per ingest request"
    )
    parser.add_argument("--gzip", action="store_true", help="gzip the ingest bodies")
    parser.add_argument(
        "--no-pages", action="store_true", help="skip the dashboard page load times"
    )
    parser.add_argument("--no-hook", action="store_true", help="skip the git hook's overhead")
    parser.add_argument(
        "--hook-runs",
        type=int,
        default=defaults.hook_runs,
        help=f"timed {defaults.hook_lines:,}-line commits with and without the hook",
    )
    parser.add_argument(
        "--history",
        choices=HISTORY_MODES,
        default=None,
        help="demo: every fact from the demo generator, over HTTP; bulk: the days before the "
        "HTTP window generated in the store by SQL (default: bulk from "
        f"{BULK_DEVELOPER_DAYS:,} developer-days, else demo)",
    )
    parser.add_argument(
        "--ingest-events",
        type=int,
        default=None,
        metavar="N",
        help="demo facts sent over HTTP, at most (default: all in demo mode; "
        f"{DEFAULT_BULK_INGEST_EVENTS:,} of the last days in bulk mode)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--keep", type=Path, default=None, metavar="DIR", help="keep the store in DIR (empty)"
    )
    args = parser.parse_args(argv)
    try:
        return BenchOptions(
            developers=args.developers,
            days=args.days,
            seed=args.seed,
            clients=args.clients,
            repeat=args.repeat,
            batch_size=args.batch_size,
            gzip=args.gzip,
            pages=not args.no_pages,
            hook=not args.no_hook,
            hook_runs=args.hook_runs,
            keep=args.keep,
            json=args.json,
            history=args.history,
            ingest_events=args.ingest_events,
        )
    except ValueError as exc:
        parser.error(str(exc))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table (or JSON); returns the exit status."""
    options = parse_args(argv)
    from rich.console import Console

    from aicode.bench.report import print_report, to_json
    from aicode.bench.run import run_bench

    try:
        result = run_bench(options)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if options.json:
        print(to_json(result))
    else:
        width = None if sys.stdout.isatty() else 160
        print_report(result, Console(width=width, highlight=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
