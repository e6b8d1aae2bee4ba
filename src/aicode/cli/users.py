"""``aicode users``: people, their aliases and departments, loaded from an HR export.

Exit codes: 0 done, 1 the data was refused (bad rows, a conflicting alias, unknown person),
2 the command line was wrong (unknown option or organization, no --org with several).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from aicode.cli.options import emit_json, open_cli_store, setting_options, settings_from
from aicode.cli.tenancy import org_or_exit
from aicode.directory.people import InvalidPeople, normalize_aliases, people_from_csv
from aicode.directory.plan import preview_import
from aicode.directory.views import department_json, tree_order, user_json
from aicode.errors import RequestError
from aicode.model.tenancy import Organization
from aicode.store.base import DirectoryResult, PersonRecord, Store

_ORG_HELP = "Organization id (optional when the store holds exactly one)."
_SHOWN_ERRORS = 50


def _org(store: Store, org_id: str | None) -> Organization:
    """The organization named by --org, or the only one in the store."""
    if org_id:
        return org_or_exit(store, org_id)
    found = store.list_organizations()
    if len(found) == 1:
        return found[0]
    if not found:
        raise click.UsageError(
            "the store has no organization; create one with 'aicode orgs create'"
        )
    raise click.UsageError(f"the store holds {len(found)} organizations; choose one with --org")


def _refuse(exc: RequestError, as_json: bool) -> NoReturn:
    """Report refused data (on stdout as JSON, else on stderr) and exit 1."""
    if as_json:
        extra = (
            {"errors": [e.as_dict() for e in exc.errors]} if isinstance(exc, InvalidPeople) else {}
        )
        emit_json({"error": {"code": exc.code, "message": exc.message, "field": exc.field}} | extra)
    elif isinstance(exc, InvalidPeople):
        for error in exc.errors[:_SHOWN_ERRORS]:
            click.echo(f"error: {error}", err=True)
        hidden = len(exc.errors) - _SHOWN_ERRORS
        if hidden > 0:
            click.echo(f"error: ... and {hidden} more", err=True)
        count = len(exc.errors)
        click.echo(
            f"{count} {'problem' if count == 1 else 'problems'}; nothing was imported", err=True
        )
    else:
        click.echo(f"error: {exc.message}", err=True)
    sys.exit(1)


def _summary(result: DirectoryResult, people: int, dry_run: bool) -> str:
    verb = "would import" if dry_run else "imported"
    text = (
        f"{verb} {people} {'person' if people == 1 else 'people'}: "
        f"{result.users_created} created, {result.users_updated} updated, "
        f"{result.users_unchanged} unchanged, {result.users_merged} merged; "
        f"{result.departments_created} departments created; "
        f"{result.aliases_added} aliases added"
    )
    if dry_run:
        text += " (dry run: nothing was written"
        if result.users_merged:
            text += "; a merge turns into a conflict if that user has facts"
        text += ")"
    return text


@click.group()
def users() -> None:
    """People, their aliases (git emails, vendor ids) and departments."""


@users.command("import")
@click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option("--org", "org_id", help=_ORG_HELP)
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def users_import(
    file: Path, org_id: str | None, dry_run: bool, as_json: bool, **values: Any
) -> None:
    """Create, update or move the people in FILE (CSV; '-' reads stdin).

    The header names the columns: email (required), name, department (a path such as
    Eng/Platform, created with its parents), groups and aliases (several values separated by
    ';' or '|'), and optionally privacy_mode (true/false). An empty cell leaves the stored
    value unchanged; given groups replace the person's groups; aliases are only ever added.
    Every line is checked first: any bad line is reported and nothing is written. A person
    is matched by email or by any identity they already have, so users that ingest created
    from their emails are updated in place; re-importing a file changes nothing.
    """
    data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    try:
        people = people_from_csv(data)
    except RequestError as exc:
        _refuse(exc, as_json)
    store = open_cli_store(settings_from(values))
    try:
        org = _org(store, org_id)
        try:
            if dry_run:
                result = preview_import(store, org, people).result()
            else:
                result = store.import_people(org, people)
        except RequestError as exc:
            _refuse(exc, as_json)
    finally:
        store.close()
    if as_json:
        emit_json(
            {"organizationId": org.id, "people": len(people), "dryRun": dry_run} | result.as_dict()
        )
    else:
        click.echo(_summary(result, len(people), dry_run))


@users.command("list")
@click.option("--org", "org_id", help=_ORG_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def users_list(org_id: str | None, as_json: bool, **values: Any) -> None:
    """List people with their department and groups."""
    store = open_cli_store(settings_from(values))
    try:
        org = _org(store, org_id)
        found = store.list_users(org)
        paths = {d.id: d.path for d in store.list_departments(org)}
    finally:
        store.close()
    if as_json:
        emit_json([user_json(u) for u in found])
        return
    rows = [("ID", "EMAIL", "NAME", "DEPARTMENT", "GROUPS")] + [
        (
            str(u.num),
            u.email or "",
            u.display_name or "",
            paths.get(u.department_id or "", ""),
            ",".join(u.groups),
        )
        for u in found
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@users.command("show")
@click.argument("ref")
@click.option("--org", "org_id", help=_ORG_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def users_show(ref: str, org_id: str | None, as_json: bool, **values: Any) -> None:
    """Show the person REF names (email, UUID, user_... id, numeric id or alias)."""
    store = open_cli_store(settings_from(values))
    try:
        org = _org(store, org_id)
        user = store.find_user(org, ref)
        paths = {d.id: d.path for d in store.list_departments(org)}
    finally:
        store.close()
    if user is None:
        click.echo(f"error: no user is known as {ref!r}", err=True)
        sys.exit(1)
    if as_json:
        emit_json(user_json(user))
        return
    for label, value in (
        ("id", user.id),
        ("numeric id", str(user.num)),
        ("encoded id", user.encoded_id),
        ("email", user.email or ""),
        ("name", user.display_name or ""),
        ("department", paths.get(user.department_id or "", "")),
        ("groups", ", ".join(user.groups)),
        ("privacy mode", str(user.privacy_mode).lower()),
    ):
        click.echo(f"{label + ':':<13} {value}")


@users.command("alias")
@click.argument("ref")
@click.argument("aliases", nargs=-1, required=True)
@click.option("--org", "org_id", help=_ORG_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def users_alias(
    ref: str, aliases: tuple[str, ...], org_id: str | None, as_json: bool, **values: Any
) -> None:
    """Make ALIASES (git emails, Cursor user_ ids, Lingma ids) name the person REF.

    Fails (exit 1) when an alias already names someone else; a user that ingest created from
    the alias and that has no facts is merged into the person instead.
    """
    try:
        wanted = normalize_aliases(aliases)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ALIASES") from exc
    store = open_cli_store(settings_from(values))
    try:
        org = _org(store, org_id)
        user = store.find_user(org, ref)
        if user is None or user.email is None:
            click.echo(f"error: no user with an email is known as {ref!r}", err=True)
            sys.exit(1)
        try:
            result = store.import_people(org, [PersonRecord(email=user.email, aliases=wanted)])
        except RequestError as exc:
            _refuse(exc, as_json)
    finally:
        store.close()
    if as_json:
        emit_json(
            {
                "user": user_json(user),
                "aliasesAdded": result.aliases_added,
                "usersMerged": result.users_merged,
            }
        )
    else:
        click.echo(
            f"{result.aliases_added} aliases added to {user.email}"
            + (f", {result.users_merged} users merged" if result.users_merged else "")
        )


@users.command("departments")
@click.option("--org", "org_id", help=_ORG_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@setting_options("db")
def users_departments(org_id: str | None, as_json: bool, **values: Any) -> None:
    """Show the department tree."""
    store = open_cli_store(settings_from(values))
    try:
        found = store.list_departments(_org(store, org_id))
    finally:
        store.close()
    found.sort(key=tree_order)
    if as_json:
        emit_json([department_json(d) for d in found])
        return
    for department in found:
        depth = department.path.count("/")
        click.echo(f"{'  ' * depth}{department.name}")
