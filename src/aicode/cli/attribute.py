"""``aicode attribute``: send the commits of a revision range for the server to attribute."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aicode.cli.hook import JSON_OPTION, open_repo
from aicode.hook.attribute import commit_facts, send
from aicode.hook.commits import NO_EMAIL_HELP
from aicode.hook.git import GitError, branch_info, current_branch, revision_range
from aicode.hook.transport import ClientConfig, DeliveryError, load_config, organization_key


@click.command()
@click.argument("revisions", metavar="RANGE")
@click.option(
    "--repo",
    "repo_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The repository (any directory inside it).",
)
@click.option("--branch", help="Branch the commits landed on [default: the checked-out one].")
@click.option("--url", help="Server URL [env AICODE_URL, then git config aicode.url].")
@click.option("--token", help="Ingest token [env AICODE_TOKEN, then git config aicode.token].")
@click.option("--dry-run", is_flag=True, help="Print the commit facts (NDJSON), send nothing.")
@JSON_OPTION
def attribute(
    revisions: str,
    repo_path: Path,
    branch: str | None,
    url: str | None,
    token: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Send the commits of RANGE (A..B, or one commit) so the server attributes their lines.

    For commits no hook saw: a squash or merge made on the git host, history from before the
    hook was installed. Run it in CI after a merge, e.g. `aicode attribute HEAD`. A commit
    the server already has is not counted twice. Exits 1 when sending failed or the server
    refused a commit, 2 on bad arguments.
    """
    repo = open_repo(repo_path)
    try:
        hashes = revision_range(repo, revisions)
    except GitError as exc:
        raise click.BadParameter(str(exc), param_hint="RANGE") from exc
    base = load_config(repo)
    config = ClientConfig(
        url=(url or base.url or "").rstrip("/") or None, token=token or base.token
    )
    on = branch_info(repo, branch) if branch else current_branch(repo)
    accepted = duplicates = built = 0
    refused: list[object] = []
    try:
        key = organization_key(repo, config)
        for batch in commit_facts(repo, key, hashes, on):
            built += len(batch)
            if dry_run:
                for fact in batch:
                    click.echo(json.dumps(fact, separators=(",", ":")))
                continue
            answer = send(config, batch)
            accepted += int(answer.get("accepted") or 0)
            duplicates += int(answer.get("duplicates") or 0)
            refused.extend(answer.get("rejected") or [])
    except (DeliveryError, GitError) as exc:
        raise click.ClickException(str(exc)) from exc
    # Commits without an author email are left out (see build_commit_facts).
    anonymous = len(hashes) - built
    if anonymous:
        click.echo(
            f"{anonymous} commit(s) have no author email, not sent: {NO_EMAIL_HELP}", err=True
        )
    if dry_run:
        if anonymous:
            raise SystemExit(1)
        return
    if as_json:
        summary = {
            "commits": len(hashes),
            "accepted": accepted,
            "duplicates": duplicates,
            "rejected": refused,
        }
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(
            f"{built} commit(s) sent: {accepted} stored, {duplicates} already known, "
            f"{len(refused)} refused"
        )
        for item in refused:
            click.echo(f"refused: {item}", err=True)
    if refused or anonymous:
        raise SystemExit(1)
