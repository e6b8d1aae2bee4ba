"""``aicode hook``: install, remove, inspect and flush the git hook of a repository."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from aicode.hook import install as installer
from aicode.hook import spool
from aicode.hook.commits import NO_EMAIL_HELP
from aicode.hook.git import GitError, Repo, author_email, find_repo
from aicode.hook.state import LOG_FILE
from aicode.hook.transport import KEY_FILE, load_config

REPO_OPTION = click.option(
    "--repo",
    "repo_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The repository (any directory inside it).",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2))


def open_repo(path: Path) -> Repo:
    """The repository at a path, or a usage error (exit 2)."""
    try:
        return find_repo(path)
    except GitError as exc:
        raise click.BadParameter(str(exc), param_hint="--repo") from exc


def require_author(repo: Repo) -> None:
    """Fail (exit 1) when git would name no author email for commits in this repository."""
    if author_email(repo) is None:
        raise click.ClickException(f"git has no user.email in {repo.root}: {NO_EMAIL_HELP}")


@click.group()
def hook() -> None:
    """The git hook: sends each commit's line fingerprints to the server.

    Configure it with `git config aicode.url URL` and `git config aicode.token TOKEN` (an
    ingest token), or the AICODE_URL and AICODE_TOKEN environment variables, which win.
    """


@hook.command("install")
@REPO_OPTION
@JSON_OPTION
def install_command(repo_path: Path, as_json: bool) -> None:
    """Install the post-commit and post-rewrite hooks, chaining any hook already there.

    Refused when git has no user.email: commits would name nobody the server could count.
    """
    repo = open_repo(repo_path)
    require_author(repo)
    try:
        changes = installer.install(repo)
    except (OSError, GitError) as exc:
        raise click.ClickException(str(exc)) from exc
    config = load_config(repo)
    if as_json:
        _echo_json(
            {"hooks": [dataclasses.asdict(c) for c in changes], "configured": config.complete}
        )
        return
    for change in changes:
        click.echo(f"{change.name}: {change.action} ({change.path})")
    if not config.complete:
        click.echo(
            "not configured yet: commits are spooled until you run\n"
            "  git config aicode.url https://aicode.example.com\n"
            "  git config aicode.token <ingest token>",
            err=True,
        )


@hook.command("uninstall")
@REPO_OPTION
@click.option("--purge", is_flag=True, help="Also delete .git/aicode (cached key, spool, log).")
@JSON_OPTION
def uninstall_command(repo_path: Path, purge: bool, as_json: bool) -> None:
    """Remove the hooks and put back the hooks that were there before install."""
    repo = open_repo(repo_path)
    try:
        changes = installer.uninstall(repo)
    except (OSError, GitError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    left = len(spool.pending(repo))
    if purge and repo.state_dir.is_dir():
        import shutil

        shutil.rmtree(repo.state_dir)
    if as_json:
        _echo_json(
            {
                "hooks": [dataclasses.asdict(c) for c in changes],
                "pending": 0 if purge else left,
                "purged": purge,
            }
        )
        return
    for change in changes:
        click.echo(f"{change.name}: {change.action} ({change.path})")
    if left and not purge:
        click.echo(
            f"{left} batch(es) still spooled in {spool.spool_dir(repo)}: "
            "`aicode hook flush` sends them",
            err=True,
        )


@hook.command("flush")
@REPO_OPTION
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the server per request.",
)
@JSON_OPTION
def flush_command(repo_path: Path, timeout: float, as_json: bool) -> None:
    """Send every spooled batch now. Exits 1 when some could not be sent.

    Refused (exit 1, nothing sent) when git has no user.email.
    """
    repo = open_repo(repo_path)
    require_author(repo)
    result = spool.flush(repo, load_config(repo), timeout=timeout)
    if as_json:
        _echo_json(result.as_dict())
    else:
        click.echo(
            f"{result.delivered} batch(es) delivered ({result.facts} facts, "
            f"{result.duplicates} already known), {result.rejected} refused, "
            f"{result.remaining} pending"
        )
        if result.error:
            click.echo(f"error: {result.error}", err=True)
        if result.busy:
            click.echo("error: another process is delivering the spool", err=True)
    if result.remaining or result.error or result.busy:
        raise SystemExit(1)


@hook.command("status")
@REPO_OPTION
@JSON_OPTION
def status_command(repo_path: Path, as_json: bool) -> None:
    """Show whether the hooks are installed and configured, and what is spooled."""
    repo = open_repo(repo_path)
    config = load_config(repo)
    status = {
        "repo": str(repo.root),
        "hooksDir": str(installer.hooks_dir(repo)),
        "installed": installer.installed(repo),
        "url": config.url,
        "tokenSet": bool(config.token),
        "keyCached": (repo.state_dir / KEY_FILE).exists(),
        "pending": len(spool.pending(repo)),
        "log": str(repo.state_dir / LOG_FILE),
    }
    if as_json:
        _echo_json(status)
        return
    for name, value in status.items():
        click.echo(f"{name}: {value}")
