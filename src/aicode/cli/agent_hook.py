"""``aicode agent-hook``: coding agents' file edits become change facts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from aicode.cli.hook import JSON_OPTION
from aicode.hook import agent_install
from aicode.hook.agent import run_agent_hook
from aicode.hook.git import GitError, find_repo

TOOL = click.argument("tool", type=click.Choice(["claude-code", "cursor"]))
SCOPE = click.option(
    "--scope",
    type=click.Choice(["user", "project", "local"]),
    default="user",
    show_default=True,
    help="user: your home directory's settings (every repository); project: the repository's "
    "shared settings; local: the repository's personal settings (Claude Code only).",
)
REPO = click.option(
    "--repo",
    "repo_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The repository, for --scope project or local.",
)


@click.group("agent-hook")
def agent_hook() -> None:
    """Agent hooks: Claude Code and Cursor report each file edit they make.

    Each edit is sent as a change fact (source AGENT) with the fingerprints of the lines it
    added and removed, so the server can tell which committed lines the agent wrote.
    """


@agent_hook.command("claude-code")
def claude_code() -> None:
    """Read a Claude Code PostToolUse hook input (Edit, MultiEdit, Write) on stdin.

    Always exits 0 and prints nothing: a failure must not disturb the agent.
    """
    run_agent_hook("claude-code", sys.stdin.buffer)


@agent_hook.command("cursor")
def cursor() -> None:
    """Read a Cursor afterFileEdit hook input on stdin. Always exits 0 and prints nothing."""
    run_agent_hook("cursor", sys.stdin.buffer)


def _settings_file(tool: str, scope: str, repo_path: Path) -> Path:
    if scope not in agent_install.SCOPES[tool]:
        raise click.BadParameter(f"{tool} has no {scope!r} scope", param_hint="--scope")
    root = None
    if scope != "user":
        try:
            root = find_repo(repo_path).root
        except GitError as exc:
            raise click.BadParameter(str(exc), param_hint="--repo") from exc
    return agent_install.settings_path(tool, scope, home=Path.home(), repo_root=root)


@agent_hook.command("install")
@TOOL
@SCOPE
@REPO
@JSON_OPTION
def install_command(tool: str, scope: str, repo_path: Path, as_json: bool) -> None:
    """Add the hook to TOOL's settings file, leaving every other setting as it is."""
    path = _settings_file(tool, scope, repo_path)
    try:
        action = agent_install.install(tool, path, agent_install.hook_command(tool))
    except (agent_install.SettingsError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps({"tool": tool, "settings": str(path), "action": action}))
    else:
        click.echo(f"{tool}: hook {action} in {path}")


@agent_hook.command("uninstall")
@TOOL
@SCOPE
@REPO
@JSON_OPTION
def uninstall_command(tool: str, scope: str, repo_path: Path, as_json: bool) -> None:
    """Remove the hook from TOOL's settings file, leaving every other setting as it is."""
    path = _settings_file(tool, scope, repo_path)
    try:
        action = agent_install.uninstall(tool, path)
    except (agent_install.SettingsError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps({"tool": tool, "settings": str(path), "action": action}))
    else:
        click.echo(f"{tool}: hook {action} in {path}")
