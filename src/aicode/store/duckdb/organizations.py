"""Organizations and tokens in the DuckDB store (writer-side jobs and row mapping)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

import duckdb

from aicode.errors import InvalidInput
from aicode.model.tenancy import Organization, Scope, Token
from aicode.store.duckdb.identity import now_utc
from aicode.store.duckdb.keys import ensure_fingerprint_key

TOKEN_PREFIX = "aic_"  # noqa: S105 -- the public prefix of every secret, not a secret


def hash_secret(secret: str) -> str:
    """Tokens are 256-bit random strings, so one SHA-256 is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def org_from_row(row: Sequence[Any]) -> Organization:
    """An Organization from (org_num, id, name, created_at)."""
    return Organization(num=int(row[0]), id=row[1], name=row[2], created_at=row[3])


def create_organization(con: duckdb.DuckDBPyConnection, name: str) -> Organization:
    """Insert an organization."""
    # fetchall, not fetchone: a half-read result breaks later statements of the transaction.
    rows = con.execute(
        "INSERT INTO organizations VALUES (nextval('org_num_seq'), ?, ?, ?)"
        " RETURNING org_num, id, name, created_at",
        [str(uuid.uuid4()), name, now_utc()],
    ).fetchall()
    org = org_from_row(rows[0])
    ensure_fingerprint_key(con, org.num)
    return org


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


TOKEN_COLUMNS = "t.id, t.org_num, o.id, t.name, t.scopes, t.prefix, t.created_at"  # noqa: S105


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
