"""Resolving the user a fact names (email, id, alias), creating users on first sight."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Iterable

import duckdb
import pyarrow as pa

# One definition of "an email" for ingest (auto-create on first sight) and people imports.
from aicode.directory.people import EMAIL


def encoded_user_id(user_uuid: str) -> str:
    """The stable ``user_...`` id derived from a user's UUID."""
    raw = uuid.UUID(user_uuid).bytes[:10]
    return "user_" + base64.b32encode(raw).decode().lower()


def normalize_alias(value: str) -> str:
    """Aliases compare case-insensitively and without surrounding space."""
    return value.strip().lower()


class IdentityCache:
    """alias -> user number, per organization; owned by the writer thread."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, str], int] = {}

    def get(self, org_num: int, alias: str) -> int | None:
        """The cached user number of an alias."""
        return self._known.get((org_num, alias))

    def put(self, org_num: int, alias: str, user_num: int) -> None:
        """Remember an alias."""
        self._known[(org_num, alias)] = user_num

    def clear(self) -> None:
        """Forget everything (after a rollback, cached rows may not exist)."""
        self._known.clear()


def now_utc() -> dt.datetime:
    """The current UTC time as DuckDB stores it (naive)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def lookup_aliases(
    con: duckdb.DuckDBPyConnection, org_num: int, aliases: Iterable[str]
) -> dict[str, int]:
    """User numbers of the aliases that exist."""
    wanted = pa.table({"alias": pa.array(list(aliases), pa.string())})
    con.register("wanted_aliases", wanted)
    try:
        rows = con.execute(
            "SELECT a.alias, a.user_num FROM user_aliases a"
            " JOIN wanted_aliases w ON a.alias = w.alias WHERE a.org_num = ?",
            [org_num],
        ).fetchall()
    finally:
        con.unregister("wanted_aliases")
    return {alias: int(num) for alias, num in rows}


def create_users(
    con: duckdb.DuckDBPyConnection,
    org_num: int,
    emails: list[str],
    *,
    display_names: dict[str, str | None] | None = None,
) -> dict[str, int]:
    """Create a user for each email with its id aliases; returns email -> user number."""
    if not emails:
        return {}
    nums = [
        int(r[0])
        for r in con.execute(
            "SELECT nextval('user_num_seq') FROM range(?)", [len(emails)]
        ).fetchall()
    ]
    ids = [str(uuid.uuid4()) for _ in emails]
    encoded = [encoded_user_id(i) for i in ids]
    names = display_names or {}
    created = now_utc()
    users = pa.table(
        {
            "user_num": pa.array(nums, pa.int64()),
            "id": ids,
            "encoded_id": encoded,
            "org_num": pa.array([org_num] * len(emails), pa.int32()),
            "email": emails,
            "display_name": pa.array([names.get(e) for e in emails], pa.string()),
            "dept_num": pa.array([None] * len(emails), pa.int32()),
            "privacy_mode": [False] * len(emails),
            "created_at": [created] * len(emails),
        }
    )
    alias_rows: dict[str, list[object]] = {"org_num": [], "alias": [], "user_num": []}
    for num, email, user_id, enc in zip(nums, emails, ids, encoded, strict=True):
        for alias in (email, user_id, enc, str(num)):
            alias_rows["org_num"].append(org_num)
            alias_rows["alias"].append(alias)
            alias_rows["user_num"].append(num)
    con.register("new_users", users)
    con.register("new_aliases", pa.table(alias_rows))
    try:
        con.execute("INSERT INTO users SELECT * FROM new_users")
        con.execute(
            "INSERT INTO user_aliases SELECT org_num, alias, user_num FROM new_aliases"
            " ON CONFLICT DO NOTHING"
        )
    finally:
        con.unregister("new_users")
        con.unregister("new_aliases")
    return dict(zip(emails, nums, strict=True))


def resolve(
    con: duckdb.DuckDBPyConnection, cache: IdentityCache, org_num: int, refs: Iterable[str]
) -> tuple[dict[str, int], int, set[str]]:
    """Map user references to user numbers; unknown emails become users, other unknowns fail.

    Returns (ref -> user number, users created, refs that name nobody).
    """
    found: dict[str, int] = {}
    missing: list[str] = []
    for ref in refs:
        num = cache.get(org_num, ref)
        if num is None:
            missing.append(ref)
        else:
            found[ref] = num
    if not missing:
        return found, 0, set()
    for alias, num in lookup_aliases(con, org_num, missing).items():
        found[alias] = num
        cache.put(org_num, alias, num)
    unresolved = [ref for ref in missing if ref not in found]
    emails = [ref for ref in unresolved if EMAIL.match(ref)]
    created = create_users(con, org_num, emails)
    for email, num in created.items():
        found[email] = num
        cache.put(org_num, email, num)
    unknown = {ref for ref in unresolved if ref not in created}
    return found, len(created), unknown
