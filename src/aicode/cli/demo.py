"""``aicode demo``: build the demo organization in the store and print how to reach it."""

from __future__ import annotations

import datetime as dt
import shlex
import time
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from aicode.cli.options import emit_json, open_cli_store, setting_options, settings_from
from aicode.demo import (
    DEMO_ORG_NAME,
    DemoConfig,
    DemoResult,
    build_demo,
    ensure_demo,
    find_demo_org,
)
from aicode.demo.config import today_utc
from aicode.settings import Settings


def serve_command(settings: Settings) -> str:
    """The ``aicode serve`` command that serves this store where the printed URLs point."""
    arguments = ["--db", settings.db, "--host", settings.host, "--port", str(settings.port)]
    return shlex.join(["aicode", "serve", *arguments])


def _report(result: DemoResult, config: DemoConfig, settings: Settings, seconds: float) -> None:
    org = result.organization
    base = f"http://{settings.host}:{settings.port}"
    if result.created:
        made = ", ".join(f"{n} {kind}" for kind, n in result.facts.items())
        click.echo(
            f"Built {org.name!r} in {seconds:.1f}s: {result.developers} developers, "
            f"{config.days} days to {config.end.isoformat()} ({made})."
        )
        if result.outcome.rejected:
            click.echo(
                f"warning: the store refused {len(result.outcome.rejected)} facts; "
                f"first: {result.outcome.rejected[0].reason}",
                err=True,
            )
    else:
        click.echo(f"{org.name!r} already exists; issued new tokens for it.")
    click.echo(f"Organization id: {org.id}")
    click.echo("Tokens (shown once, stored hashed):")
    for scope, secret in result.tokens.as_dict().items():
        click.echo(f"  {scope:<7} {secret}")
    # The demo serves nothing itself: the URLs hold once this store is served on them.
    click.echo(f"Serve it:  {serve_command(settings)}")
    click.echo(f"Dashboard: {base}/")
    click.echo(f"API docs:  {base}/docs")


@click.command()
@click.option(
    "--seed",
    default=42,
    show_default=True,
    type=int,
    help="Random seed: the same seed and end date give the same organization.",
)
@click.option(
    "--developers",
    default=200,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Number of people.",
)
@click.option(
    "--days",
    default=90,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="Days of activity, ending on --end-date.",
)
@click.option(
    "--end-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day of activity (UTC, YYYY-MM-DD) [default: today].",
)
@click.option(
    "--if-empty", is_flag=True, help=f"If {DEMO_ORG_NAME!r} exists, only issue new tokens for it."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print {organizationId, tokens} as JSON (no progress bar).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@setting_options("db", "host", "port")
def demo(
    seed: int,
    developers: int,
    days: int,
    end_date: dt.datetime | None,
    if_empty: bool,
    as_json: bool,
    quiet: bool,
    **values: Any,
) -> None:
    """Build a realistic demo organization (people, departments, facts) and print its tokens."""
    settings = settings_from(values)
    end = end_date.date() if end_date is not None else today_utc()
    if end > today_utc():
        # The store refuses facts from the future, so such a demo would be empty.
        raise click.BadParameter("must not be after today (UTC)", param_hint="--end-date")
    now = dt.datetime.now(dt.UTC)
    config = DemoConfig(
        seed=seed,
        developers=developers,
        days=days,
        end=end,
        cutoff=now if end == now.date() else None,
    )
    progress = Progress(
        TextColumn("demo"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("days"),
        TextColumn("{task.fields[facts]:,} facts"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=quiet or as_json,
    )
    started = time.monotonic()
    store = open_cli_store(settings)
    try:
        if if_empty and find_demo_org(store) is not None:
            result = ensure_demo(store, config)
        else:
            with progress:
                task = progress.add_task("demo", total=days, facts=0)

                def advance(done: int, total: int, facts: int) -> None:
                    progress.update(task, completed=done, total=total, facts=facts)

                result = build_demo(store, config, advance)
    finally:
        store.close()
    if as_json:
        emit_json(result.as_json())
    else:
        _report(result, config, settings, time.monotonic() - started)
