"""``aicode orgs`` and ``aicode tokens``: organizations and their API tokens."""

from __future__ import annotations

from typing import Any

import click

from aicode.cli.options import emit_json, open_cli_store, setting_options, settings_from
from aicode.model.tenancy import Organization, Scope
from aicode.store.base import Store


def org_or_exit(store: Store, org_id: str) -> Organization:
    """The organization with this id, or exit 2 with a message."""
    org = store.get_organization(org_id)
    if org is None:
        raise click.BadParameter(f"no organization {org_id!r}", param_hint="--org")
    return org


@click.group()
def orgs() -> None:
    """Create and list organizations."""


@orgs.command("create")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def orgs_create(name: str, as_json: bool, **values: Any) -> None:
    """Create an organization called NAME and print its id."""
    store = open_cli_store(settings_from(values))
    try:
        org = store.create_organization(name)
    finally:
        store.close()
    if as_json:
        emit_json({"organizationId": org.id, "name": org.name})
    else:
        click.echo(org.id)


@orgs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def orgs_list(as_json: bool, **values: Any) -> None:
    """List organizations."""
    store = open_cli_store(settings_from(values))
    try:
        found = store.list_organizations()
    finally:
        store.close()
    if as_json:
        emit_json(
            [{"organizationId": o.id, "name": o.name, "createdAt": o.created_at} for o in found]
        )
        return
    for org in found:
        click.echo(f"{org.id}\t{org.name}")


@click.group()
def tokens() -> None:
    """Create, list and revoke API tokens."""


@tokens.command("create")
@click.option("--org", "org_id", required=True, help="Organization id.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice([s.value for s in Scope]),
    help="Scope of the token; repeat for several.",
)
@click.option("--name", default="cli", show_default=True, help="A label for the token.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def tokens_create(
    org_id: str, scopes: tuple[str, ...], name: str, as_json: bool, **values: Any
) -> None:
    """Create a token; its secret is printed once and stored only hashed."""
    store = open_cli_store(settings_from(values))
    try:
        org = org_or_exit(store, org_id)
        token, secret = store.create_token(org, name, [Scope(s) for s in scopes])
    finally:
        store.close()
    if as_json:
        emit_json(
            {
                "id": token.id,
                "organizationId": org.id,
                "name": token.name,
                "scopes": sorted(s.value for s in token.scopes),
                "token": secret,
            }
        )
    else:
        click.echo(secret)


@tokens.command("list")
@click.option("--org", "org_id", required=True, help="Organization id.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def tokens_list(org_id: str, as_json: bool, **values: Any) -> None:
    """List an organization's live tokens (prefixes only; secrets are never stored)."""
    store = open_cli_store(settings_from(values))
    try:
        found = store.list_tokens(org_or_exit(store, org_id))
    finally:
        store.close()
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "scopes": sorted(s.value for s in t.scopes),
            "prefix": t.prefix,
            "createdAt": t.created_at,
        }
        for t in found
    ]
    if as_json:
        emit_json(rows)
        return
    for token in found:
        scopes = ",".join(sorted(s.value for s in token.scopes))
        click.echo(f"{token.id}\t{token.prefix}...\t{scopes}\t{token.name}")


@tokens.command("revoke")
@click.option("--org", "org_id", required=True, help="Organization id.")
@click.argument("token_id")
@setting_options("db")
def tokens_revoke(org_id: str, token_id: str, **values: Any) -> None:
    """Revoke the token TOKEN_ID."""
    store = open_cli_store(settings_from(values))
    try:
        revoked = store.revoke_token(org_or_exit(store, org_id), token_id)
    finally:
        store.close()
    if not revoked:
        raise click.ClickException(f"no live token {token_id!r} in this organization")
    click.echo(f"revoked {token_id}")
