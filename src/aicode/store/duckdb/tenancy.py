"""Organizations, tokens, departments and people in the DuckDB store (writer-side jobs)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

import duckdb

from aicode.errors import InvalidInput
from aicode.model.tenancy import Department, Organization, Scope, Token, User
from aicode.store.base import DirectoryResult, PersonRecord
from aicode.store.duckdb.identity import (
    EMAIL,
    IdentityCache,
    create_users,
    lookup_aliases,
    normalize_alias,
    now_utc,
)

TOKEN_PREFIX = "aic_"


def hash_secret(secret: str) -> str:
    """Tokens are 256-bit random strings, so one SHA-256 is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def org_from_row(row: Sequence[Any]) -> Organization:
    """An Organization from (org_num, id, name, created_at)."""
    return Organization(num=int(row[0]), id=row[1], name=row[2], created_at=row[3])


def create_organization(con: duckdb.DuckDBPyConnection, name: str) -> Organization:
    """Insert an organization."""
    row = con.execute(
        "INSERT INTO organizations VALUES (nextval('org_num_seq'), ?, ?, ?)"
        " RETURNING org_num, id, name, created_at",
        [str(uuid.uuid4()), name, now_utc()],
    ).fetchone()
    assert row is not None
    return org_from_row(row)


def token_from_row(row: Sequence[Any]) -> Token:
    """A Token from (id, org_num, org_id, name, scopes, prefix, created_at)."""
    return Token(
        id=row[0],
        org_num=int(row[1]),
        org_id=row[2],
        name=row[3],
        scopes=frozenset(Scope(s) for s in row[4]),
        prefix=row[5],
        created_at=row[6],
    )


TOKEN_COLUMNS = "t.id, t.org_num, o.id, t.name, t.scopes, t.prefix, t.created_at"


def create_token(
    con: duckdb.DuckDBPyConnection, org: Organization, name: str, scopes: Sequence[Scope]
) -> tuple[Token, str]:
    """Insert a token; the secret is returned once and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = "tok_" + uuid.uuid4().hex[:20]
    scope_values = sorted({Scope(s).value for s in scopes})
    if not scope_values:
        raise InvalidInput("a token needs at least one scope", field="scopes")
    created = now_utc()
    con.execute(
        "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
        [token_id, org.num, name, scope_values, hash_secret(secret), secret[:8], created],
    )
    token = Token(
        id=token_id,
        org_num=org.num,
        org_id=org.id,
        name=name,
        scopes=frozenset(Scope(s) for s in scope_values),
        prefix=secret[:8],
        created_at=created,
    )
    return token, secret


def department_from_row(row: Sequence[Any]) -> Department:
    """A Department from (dept_num, id, org_num, name, parent id, path)."""
    return Department(
        num=int(row[0]), id=row[1], org_num=int(row[2]), name=row[3], parent_id=row[4],
        path=row[5],
    )


DEPARTMENT_COLUMNS = "d.dept_num, d.id, d.org_num, d.name, p.id, d.path"


def split_path(path: str) -> list[str]:
    """``Eng / Platform`` -> ["Eng", "Platform"]; empty parts are refused."""
    parts = [p.strip() for p in path.split("/")]
    if not path.strip() or any(not p for p in parts):
        raise InvalidInput(f"invalid department path {path!r}", field="department")
    return parts


def ensure_department(
    con: duckdb.DuckDBPyConnection, org: Organization, path: str
) -> tuple[Department, int]:
    """The department at a path, created with missing parents; also returns how many were new."""
    parts = split_path(path)
    parent_num: int | None = None
    parent_num_path = "/"
    created = 0
    for depth in range(1, len(parts) + 1):
        sub = "/".join(parts[:depth])
        row = con.execute(
            "SELECT dept_num, num_path FROM departments WHERE org_num = ? AND path = ?",
            [org.num, sub],
        ).fetchone()
        if row is None:
            num_row = con.execute("SELECT nextval('dept_num_seq')").fetchone()
            assert num_row is not None
            num = int(num_row[0])
            num_path = f"{parent_num_path}{num}/"
            con.execute(
                "INSERT INTO departments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [num, uuid.uuid4().hex, org.num, parent_num, parts[depth - 1], sub, num_path,
                 now_utc()],
            )
            created += 1
            row = (num, num_path)
        parent_num, parent_num_path = int(row[0]), row[1]
    dept = con.execute(
        f"SELECT {DEPARTMENT_COLUMNS} FROM departments d"
        " LEFT JOIN departments p ON d.parent_num = p.dept_num WHERE d.dept_num = ?",
        [parent_num],
    ).fetchone()
    assert dept is not None
    return department_from_row(dept), created


USER_COLUMNS = """u.id, u.user_num, u.encoded_id, u.org_num, u.email, u.display_name, d.id,
    coalesce((SELECT list(g.group_name ORDER BY g.group_name) FROM user_groups g
              WHERE g.org_num = u.org_num AND g.user_num = u.user_num), []),
    u.privacy_mode"""
USER_FROM = "users u LEFT JOIN departments d ON u.dept_num = d.dept_num"


def user_from_row(row: Sequence[Any]) -> User:
    """A User from the USER_COLUMNS select list."""
    return User(
        id=row[0], num=int(row[1]), encoded_id=row[2], org_num=int(row[3]), email=row[4],
        display_name=row[5], department_id=row[6], groups=tuple(row[7] or ()),
        privacy_mode=bool(row[8]),
    )


def import_people(
    con: duckdb.DuckDBPyConnection,
    cache: IdentityCache,
    org: Organization,
    people: Sequence[PersonRecord],
) -> DirectoryResult:
    """Create or update people, departments, groups and aliases (one transaction)."""
    for position, person in enumerate(people):
        if not EMAIL.match(normalize_alias(person.email)):
            raise InvalidInput(f"row {position}: invalid email {person.email!r}", field="email")
    emails = [normalize_alias(p.email) for p in people]
    known = lookup_aliases(con, org.num, emails)
    new_emails = list(dict.fromkeys(e for e in emails if e not in known))
    names = {normalize_alias(p.email): p.name for p in people}
    created = create_users(con, org.num, new_emails, display_names=names)
    nums = known | created
    departments_created = aliases_added = updated = 0
    dept_cache: dict[str, int] = {}
    for person, email in zip(people, emails, strict=True):
        num = nums[email]
        if email in known:
            updated += 1
        if person.name is not None:
            con.execute("UPDATE users SET display_name = ? WHERE user_num = ?",
                        [person.name, num])
        if person.privacy_mode is not None:
            con.execute("UPDATE users SET privacy_mode = ? WHERE user_num = ?",
                        [person.privacy_mode, num])
        if person.department:
            if person.department not in dept_cache:
                dept, made = ensure_department(con, org, person.department)
                dept_cache[person.department] = dept.num
                departments_created += made
            con.execute("UPDATE users SET dept_num = ? WHERE user_num = ?",
                        [dept_cache[person.department], num])
        if person.groups is not None:
            con.execute("DELETE FROM user_groups WHERE org_num = ? AND user_num = ?",
                        [org.num, num])
            for group in sorted({g.strip() for g in person.groups if g.strip()}):
                con.execute("INSERT INTO user_groups VALUES (?, ?, ?)", [org.num, group, num])
        for alias in person.aliases:
            aliases_added += add_alias(con, cache, org, num, alias)
    return DirectoryResult(
        users_created=len(created),
        users_updated=updated,
        departments_created=departments_created,
        aliases_added=aliases_added,
    )


def add_alias(
    con: duckdb.DuckDBPyConnection, cache: IdentityCache, org: Organization, user_num: int,
    alias: str,
) -> int:
    """Point an alias at a user; 1 if new, 0 if it already named them; refuses a taken alias."""
    value = normalize_alias(alias)
    if not value:
        return 0
    row = con.execute(
        "SELECT user_num FROM user_aliases WHERE org_num = ? AND alias = ?", [org.num, value]
    ).fetchone()
    if row is not None:
        if int(row[0]) != user_num:
            raise InvalidInput(f"alias {alias!r} already names another user", field="aliases")
        return 0
    con.execute("INSERT INTO user_aliases VALUES (?, ?, ?)", [org.num, value, user_num])
    cache.put(org.num, value, user_num)
    return 1
