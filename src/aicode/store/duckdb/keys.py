"""Organization fingerprint keys: created with the organization, read by clients' hooks."""

from __future__ import annotations

import duckdb

from aicode.attribution.fingerprint import new_key
from aicode.store.duckdb.identity import now_utc


def ensure_fingerprint_key(con: duckdb.DuckDBPyConnection, org_num: int) -> bytes:
    """The organization's line-fingerprint key, created if it has none yet."""
    con.execute(
        "INSERT INTO fingerprint_keys VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [org_num, new_key(), now_utc()],
    )
    # fetchall: a half-read result would keep the writer's connection busy
    # (see departments.first_row).
    rows = con.execute(
        "SELECT fp_key FROM fingerprint_keys WHERE org_num = ?", [org_num]
    ).fetchall()
    return bytes(rows[0][0])


def read_fingerprint_key(con: duckdb.DuckDBPyConnection, org_num: int) -> bytes | None:
    """The organization's key, None when it has none."""
    rows = con.execute(
        "SELECT fp_key FROM fingerprint_keys WHERE org_num = ?", [org_num]
    ).fetchall()
    return bytes(rows[0][0]) if rows else None
