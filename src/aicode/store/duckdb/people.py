"""People in the DuckDB store: user rows, the directory import, aliases and merges."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from aicode.directory.people import EMAIL, normalize_aliases, normalize_department
from aicode.directory.plan import KnownUser, Step, plan_import
from aicode.errors import Conflict, InvalidInput, NotFound
from aicode.model.tenancy import Organization, User
from aicode.store.base import DirectoryResult, PersonRecord
from aicode.store.duckdb.departments import ensure_department, first_row
from aicode.store.duckdb.identity import (
    IdentityCache,
    create_users,
    lookup_aliases,
    normalize_alias,
)

USER_COLUMNS = """u.id, u.user_num, u.encoded_id, u.org_num, u.email, u.display_name, d.id,
    coalesce((SELECT list(g.group_name ORDER BY g.group_name) FROM user_groups g
              WHERE g.org_num = u.org_num AND g.user_num = u.user_num), []),
    u.privacy_mode"""
USER_FROM = "users u LEFT JOIN departments d ON u.dept_num = d.dept_num"


def user_from_row(row: Sequence[Any]) -> User:
    """A User from the USER_COLUMNS select list."""
    return User(
        id=row[0],
        num=int(row[1]),
        encoded_id=row[2],
        org_num=int(row[3]),
        email=row[4],
        display_name=row[5],
        department_id=row[6],
        groups=tuple(row[7] or ()),
        privacy_mode=bool(row[8]),
    )


# Tables that hold per-user data but are not facts: a user with rows only here has no facts.
_IDENTITY_TABLES = ("users", "user_aliases", "user_groups")


def _normalized(person: PersonRecord) -> PersonRecord:
    """A record as the parser would produce it, for callers that build records themselves."""
    email = normalize_alias(person.email)
    prefix = f"{person.source}: " if person.source else ""
    if not EMAIL.match(email):
        raise InvalidInput(f"{prefix}invalid email {person.email!r}", field="email")
    try:
        aliases = tuple(a for a in normalize_aliases(person.aliases) if a != email)
    except ValueError as exc:
        raise InvalidInput(f"{prefix}{exc}", field="aliases") from exc
    try:
        department = normalize_department(person.department) if person.department else None
    except ValueError as exc:
        raise InvalidInput(f"{prefix}{exc}", field="department") from exc
    groups = (
        tuple(sorted({g.strip() for g in person.groups if g.strip()}))
        if person.groups is not None
        else None
    )
    name = (person.name.strip() or None) if person.name is not None else None
    return dataclasses.replace(
        person, email=email, name=name, department=department, groups=groups, aliases=aliases
    )


def _known_users(
    con: duckdb.DuckDBPyConnection, org_num: int, nums: Collection[int]
) -> dict[int, KnownUser]:
    if not nums:
        return {}
    con.register("wanted_users", pa.table({"user_num": pa.array(sorted(nums), pa.int64())}))
    try:
        rows = con.execute(
            "SELECT u.user_num, u.email, u.display_name, d.path,"
            " coalesce((SELECT list(g.group_name ORDER BY g.group_name) FROM user_groups g"
            "           WHERE g.org_num = u.org_num AND g.user_num = u.user_num), []),"
            " u.privacy_mode"
            " FROM users u JOIN wanted_users w ON u.user_num = w.user_num"
            " LEFT JOIN departments d ON u.dept_num = d.dept_num WHERE u.org_num = ?",
            [org_num],
        ).fetchall()
    finally:
        con.unregister("wanted_users")
    return {
        int(r[0]): KnownUser(
            num=int(r[0]),
            email=r[1],
            name=r[2],
            department=r[3],
            groups=tuple(r[4]),
            privacy_mode=bool(r[5]),
        )
        for r in rows
    }


def _users_with_facts(con: duckdb.DuckDBPyConnection, nums: Collection[int]) -> set[int]:
    """Which of these users any fact or rollup names (user numbers are global)."""
    if not nums:
        return set()
    # Every non-identity table with a user column, so a fact table added later is covered.
    tables = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT t.table_name FROM duckdb_tables() t"
            " JOIN duckdb_columns() c ON c.table_oid = t.table_oid"
            " WHERE c.column_name = 'user_num' AND NOT t.temporary"
            " AND t.database_name = current_database() ORDER BY 1"
        ).fetchall()
        if r[0] not in _IDENTITY_TABLES
    ]
    found: set[int] = set()
    wanted = [int(n) for n in nums]
    for table in tables:
        rows = con.execute(
            f"SELECT DISTINCT user_num FROM {table} WHERE list_contains(?, user_num)", [wanted]
        ).fetchall()
        found.update(int(r[0]) for r in rows)
    return found


def _merge_candidates(
    people: Sequence[PersonRecord], owners: dict[str, int], users: dict[int, KnownUser]
) -> set[int]:
    """Placeholders an alias names on someone else's row: only these may need a facts check."""
    return {
        owners[a]
        for p in people
        for a in p.aliases
        if a in owners and owners[a] != owners.get(p.email) and users[owners[a]].placeholder
    }


def import_people(
    con: duckdb.DuckDBPyConnection,
    cache: IdentityCache,
    org: Organization,
    people: Sequence[PersonRecord],
) -> DirectoryResult:
    """Create or update people, departments, groups and aliases (one transaction).

    The rules (updating ingest-created users in place, taking over or merging placeholders,
    conflicts) are decided by ``aicode.directory.plan``; this reads and writes the tables.
    """
    people = [_normalized(p) for p in people]
    refs = list(dict.fromkeys(r for p in people for r in (p.email, *p.aliases)))
    owners = lookup_aliases(con, org.num, refs)
    users = _known_users(con, org.num, set(owners.values()))
    with_facts = _users_with_facts(con, _merge_candidates(people, owners, users))
    existing = [
        r[0]
        for r in con.execute("SELECT path FROM departments WHERE org_num = ?", [org.num]).fetchall()
    ]
    plan = plan_import(people, owners, users, existing, with_facts)

    dept_nums: dict[str, int] = {}
    departments_created = 0
    for path in plan.departments:
        dept, made = ensure_department(con, org, path)
        dept_nums[path] = dept.num
        departments_created += made
    new = [s for s in plan.steps if s.created]
    written = [s for s in plan.steps if s.created or s.changed]
    created = create_users(
        con,
        org.num,
        [s.person.email for s in new],
        display_names={s.person.email: s.person.name for s in new},
    )
    for step in new:
        step.user = created[step.person.email]
    _update_users(con, written, dept_nums)
    _update_groups(con, org.num, written, users)
    _add_aliases(con, cache, org.num, written)
    for step in written:
        assert step.user is not None
        for merged in step.merges:
            _merge_user(con, cache, org.num, merged, step.user)
    return plan.result(departments_created)


def _update_users(
    con: duckdb.DuckDBPyConnection, steps: Sequence[Step], dept_nums: dict[str, int]
) -> None:
    """Set the values the steps give; NULL keeps a stored value (nothing here is cleared)."""
    if not steps:
        return
    changes = pa.table(
        {
            "user_num": pa.array([s.user for s in steps], pa.int64()),
            "email": pa.array(
                [s.person.email if s.set_email else None for s in steps], pa.string()
            ),
            "display_name": pa.array([s.person.name for s in steps], pa.string()),
            "dept_num": pa.array(
                [dept_nums[s.person.department] if s.person.department else None for s in steps],
                pa.int32(),
            ),
            "privacy_mode": pa.array([s.person.privacy_mode for s in steps], pa.bool_()),
        }
    )
    con.register("user_changes", changes)
    try:
        con.execute(
            "UPDATE users SET email = coalesce(c.email, users.email),"
            " display_name = coalesce(c.display_name, users.display_name),"
            " dept_num = coalesce(c.dept_num, users.dept_num),"
            " privacy_mode = coalesce(c.privacy_mode, users.privacy_mode)"
            " FROM user_changes c WHERE users.user_num = c.user_num"
        )
    finally:
        con.unregister("user_changes")


def _update_groups(
    con: duckdb.DuckDBPyConnection,
    org_num: int,
    steps: Sequence[Step],
    users: dict[int, KnownUser],
) -> None:
    """Make group membership what the steps say, touching only groups that changed."""
    removed: list[tuple[int, str]] = []
    added: list[tuple[int, str]] = []
    for step in steps:
        if step.person.groups is None:
            continue
        assert step.user is not None
        before = set(users[step.user].groups) if step.user in users else set()
        after = set(step.person.groups)
        removed.extend((step.user, g) for g in sorted(before - after))
        added.extend((step.user, g) for g in sorted(after - before))
    # Set-based statements over registered Arrow tables: row-by-row statements take
    # seconds per thousand people.
    if removed:
        con.register("removed_groups", _membership(org_num, removed))
        try:
            con.execute(
                "DELETE FROM user_groups WHERE (org_num, group_name, user_num) IN"
                " (SELECT (org_num, group_name, user_num) FROM removed_groups)"
            )
        finally:
            con.unregister("removed_groups")
    if added:
        con.register("added_groups", _membership(org_num, added))
        try:
            con.execute(
                "INSERT INTO user_groups SELECT org_num, group_name, user_num FROM added_groups"
            )
        finally:
            con.unregister("added_groups")


def _membership(org_num: int, rows: Sequence[tuple[int, str]]) -> pa.Table:
    return pa.table(
        {
            "org_num": pa.array([org_num] * len(rows), pa.int32()),
            "group_name": pa.array([g for _, g in rows], pa.string()),
            "user_num": pa.array([n for n, _ in rows], pa.int64()),
        }
    )


def _add_aliases(
    con: duckdb.DuckDBPyConnection, cache: IdentityCache, org_num: int, steps: Sequence[Step]
) -> None:
    rows = [(s.user, alias) for s in steps for alias in s.new_aliases]
    if not rows:
        return
    con.register(
        "new_aliases",
        pa.table(
            {
                "org_num": pa.array([org_num] * len(rows), pa.int32()),
                "alias": pa.array([a for _, a in rows], pa.string()),
                "user_num": pa.array([n for n, _ in rows], pa.int64()),
            }
        ),
    )
    try:
        con.execute("INSERT INTO user_aliases SELECT org_num, alias, user_num FROM new_aliases")
    finally:
        con.unregister("new_aliases")
    for num, alias in rows:
        assert num is not None
        cache.put(org_num, alias, num)


def _merge_user(
    con: duckdb.DuckDBPyConnection, cache: IdentityCache, org_num: int, merged: int, into: int
) -> None:
    """Fold a placeholder without facts into a person: its identities now name them."""
    moved = con.execute(
        "UPDATE user_aliases SET user_num = ? WHERE org_num = ? AND user_num = ? RETURNING alias",
        [into, org_num, merged],
    ).fetchall()
    for (alias,) in moved:
        cache.put(org_num, alias, into)  # the writer's cache must not name the deleted user
    con.execute("DELETE FROM user_groups WHERE org_num = ? AND user_num = ?", [org_num, merged])
    con.execute("DELETE FROM users WHERE org_num = ? AND user_num = ?", [org_num, merged])


def add_alias(
    con: duckdb.DuckDBPyConnection,
    cache: IdentityCache,
    org: Organization,
    user_num: int,
    alias: str,
) -> int:
    """Point an alias at a user: 1 if new, 0 if it already named them.

    Follows the import's rules: Conflict when the alias names someone else, unless that is a
    placeholder without facts, which is merged in.
    """
    row = first_row(
        con, "SELECT email FROM users WHERE org_num = ? AND user_num = ?", [org.num, user_num]
    )
    if row is None:
        raise NotFound(f"no user {user_num}", field="user")
    if not normalize_alias(alias):
        return 0
    if row[0] is not None:
        person = PersonRecord(email=row[0], aliases=(alias,))
        return import_people(con, cache, org, [person]).aliases_added
    # A user without an email cannot be named by a record; apply the plain rule.
    value = normalize_alias(alias)
    owner = lookup_aliases(con, org.num, [value]).get(value)
    if owner is not None and owner != user_num:
        raise Conflict(f"alias {value!r} already names another person", field="aliases")
    if owner is not None:
        return 0
    con.execute("INSERT INTO user_aliases VALUES (?, ?, ?)", [org.num, value, user_num])
    cache.put(org.num, value, user_num)
    return 1
