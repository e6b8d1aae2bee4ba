"""Versioned schema of the DuckDB store; each migration runs once, in order, in a transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Final

import duckdb

from aicode.attribution.fingerprint import new_key
from aicode.errors import MigrationError
from aicode.model.attribution import AI_COLUMNS
from aicode.store.duckdb.activity import v7_activity
from aicode.store.duckdb.commit_parts import v9_merge_parts
from aicode.store.duckdb.startup import v8_startup

_AI_COLUMNS_DDL = ",\n".join(f"    {c} INTEGER NOT NULL DEFAULT 0" for c in AI_COLUMNS)
_AI_ROLLUP_DDL = ",\n".join(f"    {c} BIGINT NOT NULL DEFAULT 0" for c in AI_COLUMNS)

_V1_TENANCY = """
CREATE SEQUENCE org_num_seq START 1;
CREATE SEQUENCE dept_num_seq START 1;
CREATE SEQUENCE user_num_seq START 1;
CREATE TABLE organizations (
    org_num INTEGER PRIMARY KEY,
    id VARCHAR NOT NULL UNIQUE,
    name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE departments (
    dept_num INTEGER PRIMARY KEY,
    id VARCHAR NOT NULL UNIQUE,
    org_num INTEGER NOT NULL,
    parent_num INTEGER,
    name VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    num_path VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (org_num, path)
);
CREATE TABLE users (
    user_num BIGINT PRIMARY KEY,
    id VARCHAR NOT NULL UNIQUE,
    encoded_id VARCHAR NOT NULL UNIQUE,
    org_num INTEGER NOT NULL,
    email VARCHAR,
    display_name VARCHAR,
    dept_num INTEGER,
    privacy_mode BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE user_aliases (
    org_num INTEGER NOT NULL,
    alias VARCHAR NOT NULL,
    user_num BIGINT NOT NULL,
    PRIMARY KEY (org_num, alias)
);
CREATE TABLE user_groups (
    org_num INTEGER NOT NULL,
    group_name VARCHAR NOT NULL,
    user_num BIGINT NOT NULL,
    PRIMARY KEY (org_num, group_name, user_num)
);
CREATE TABLE tokens (
    id VARCHAR PRIMARY KEY,
    org_num INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    scopes VARCHAR[] NOT NULL,
    secret_hash VARCHAR NOT NULL UNIQUE,
    prefix VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
"""

# Fact tables: `k` is a 128-bit digest of (organization, fact type, client id) -- or of
# (organization, repository, commit hash) for commits -- so a resent fact hits the key.
_V1_FACTS = f"""
CREATE TABLE completions (
    k UUID PRIMARY KEY,
    org_num INTEGER NOT NULL,
    fact_id VARCHAR NOT NULL,
    user_num BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    ide VARCHAR NOT NULL,
    client_version VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    product_type VARCHAR NOT NULL,
    count_suggested INTEGER NOT NULL,
    count_accepted INTEGER NOT NULL,
    lines_suggested INTEGER NOT NULL,
    lines_accepted INTEGER NOT NULL,
    bytes_accepted INTEGER NOT NULL
);
CREATE TABLE chats (
    k UUID PRIMARY KEY,
    org_num INTEGER NOT NULL,
    fact_id VARCHAR NOT NULL,
    user_num BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    ide VARCHAR NOT NULL,
    client_version VARCHAR NOT NULL,
    chat_type VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    product_type VARCHAR NOT NULL,
    conversation_id VARCHAR,
    accepted BOOLEAN NOT NULL,
    inserted_at_cursor BOOLEAN NOT NULL,
    applied BOOLEAN NOT NULL,
    loc_used INTEGER NOT NULL
);
CREATE TABLE changes (
    k UUID PRIMARY KEY,
    org_num INTEGER NOT NULL,
    fact_id VARCHAR NOT NULL,
    user_num BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    ide VARCHAR NOT NULL,
    client_version VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    product_type VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    conversation_id VARCHAR,
    accepted BOOLEAN NOT NULL,
    language VARCHAR NOT NULL,
    command_source VARCHAR NOT NULL,
    provider_source VARCHAR NOT NULL,
    selection_lines INTEGER NOT NULL,
    selection_bytes INTEGER NOT NULL,
    lines_added INTEGER NOT NULL,
    lines_deleted INTEGER NOT NULL,
    bytes_added BIGINT NOT NULL,
    bytes_removed BIGINT NOT NULL
);
CREATE TABLE change_files (
    k UUID NOT NULL,
    org_num INTEGER NOT NULL,
    user_num BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    position INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    extension VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    lines_added INTEGER NOT NULL,
    lines_deleted INTEGER NOT NULL,
    bytes_added BIGINT NOT NULL,
    bytes_removed BIGINT NOT NULL,
    added_fingerprints VARCHAR[] NOT NULL,
    deleted_fingerprints VARCHAR[] NOT NULL
);
CREATE TABLE commits (
    k UUID PRIMARY KEY,
    org_num INTEGER NOT NULL,
    fact_id VARCHAR NOT NULL,
    user_num BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    repo VARCHAR NOT NULL,
    commit_hash VARCHAR NOT NULL,
    branch VARCHAR,
    is_primary_branch BOOLEAN,
    message VARCHAR,
    parents VARCHAR[] NOT NULL,
    ide VARCHAR NOT NULL,
    client_version VARCHAR NOT NULL,
    lines_added INTEGER NOT NULL,
    lines_deleted INTEGER NOT NULL,
{_AI_COLUMNS_DDL},
    ai_lines_added INTEGER NOT NULL,
    ai_lines_deleted INTEGER NOT NULL,
    range_annotations JSON,
    attribution_origin VARCHAR NOT NULL,
    replaced_by VARCHAR
);
CREATE TABLE commit_files (
    k UUID NOT NULL,
    org_num INTEGER NOT NULL,
    user_num BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    repo VARCHAR NOT NULL,
    commit_hash VARCHAR NOT NULL,
    is_primary_branch BOOLEAN,
    position INTEGER NOT NULL,
    path VARCHAR NOT NULL,
    old_path VARCHAR,
    extension VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    is_binary BOOLEAN NOT NULL,
    lines_added INTEGER NOT NULL,
    lines_deleted INTEGER NOT NULL,
{_AI_COLUMNS_DDL},
    ai_lines_added INTEGER NOT NULL,
    ai_lines_deleted INTEGER NOT NULL,
    added_lines STRUCT(line INTEGER, fp VARCHAR, trivial BOOLEAN)[] NOT NULL,
    deleted_lines STRUCT(line INTEGER, fp VARCHAR, trivial BOOLEAN)[] NOT NULL
);
CREATE TABLE typing (
    k UUID PRIMARY KEY,
    org_num INTEGER NOT NULL,
    fact_id VARCHAR NOT NULL,
    user_num BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    ide VARCHAR NOT NULL,
    client_version VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    user_bytes BIGINT NOT NULL,
    ai_bytes_autocomplete BIGINT NOT NULL,
    ai_bytes_command BIGINT NOT NULL
);
"""

# Rollups, maintained as facts arrive (see rollups.py). Dimensions are NOT NULL ('' = unknown)
# because they form the primary key that incremental upserts rely on.
_V1_ROLLUPS = f"""
CREATE TABLE completion_user_hour (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, hour TIMESTAMP NOT NULL,
    ide VARCHAR NOT NULL, client_version VARCHAR NOT NULL, language VARCHAR NOT NULL,
    product_type VARCHAR NOT NULL,
    events BIGINT NOT NULL, count_suggested BIGINT NOT NULL, count_accepted BIGINT NOT NULL,
    lines_suggested BIGINT NOT NULL, lines_accepted BIGINT NOT NULL,
    bytes_accepted BIGINT NOT NULL, last_ts TIMESTAMP NOT NULL,
    PRIMARY KEY (org_num, user_num, hour, ide, client_version, language, product_type)
);
CREATE TABLE completion_user_day (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, day DATE NOT NULL,
    ide VARCHAR NOT NULL, language VARCHAR NOT NULL, product_type VARCHAR NOT NULL,
    events BIGINT NOT NULL, count_suggested BIGINT NOT NULL, count_accepted BIGINT NOT NULL,
    lines_suggested BIGINT NOT NULL, lines_accepted BIGINT NOT NULL,
    bytes_accepted BIGINT NOT NULL, last_ts TIMESTAMP NOT NULL,
    PRIMARY KEY (org_num, user_num, day, ide, language, product_type)
);
CREATE TABLE chat_user_day (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, day DATE NOT NULL,
    ide VARCHAR NOT NULL, chat_type VARCHAR NOT NULL, product_type VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    turns BIGINT NOT NULL, accepted BIGINT NOT NULL, inserted_at_cursor BIGINT NOT NULL,
    applied BIGINT NOT NULL, loc_used BIGINT NOT NULL, last_ts TIMESTAMP NOT NULL,
    PRIMARY KEY (org_num, user_num, day, ide, chat_type, product_type, model)
);
CREATE TABLE change_user_day (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, day DATE NOT NULL,
    source VARCHAR NOT NULL, product_type VARCHAR NOT NULL, ide VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    changes BIGINT NOT NULL, accepted_changes BIGINT NOT NULL,
    lines_added BIGINT NOT NULL, lines_deleted BIGINT NOT NULL,
    accepted_lines_added BIGINT NOT NULL, accepted_lines_deleted BIGINT NOT NULL,
    last_ts TIMESTAMP NOT NULL,
    PRIMARY KEY (org_num, user_num, day, source, product_type, ide, model)
);
CREATE TABLE change_lang_user_day (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, day DATE NOT NULL,
    source VARCHAR NOT NULL, product_type VARCHAR NOT NULL, language VARCHAR NOT NULL,
    extension VARCHAR NOT NULL,
    lines_added BIGINT NOT NULL, lines_deleted BIGINT NOT NULL,
    accepted_lines_added BIGINT NOT NULL, accepted_lines_deleted BIGINT NOT NULL,
    PRIMARY KEY (org_num, user_num, day, source, product_type, language, extension)
);
CREATE TABLE commit_user_day (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, day DATE NOT NULL,
    repo VARCHAR NOT NULL, primary_branch SMALLINT NOT NULL,
    commits BIGINT NOT NULL, lines_added BIGINT NOT NULL, lines_deleted BIGINT NOT NULL,
{_AI_ROLLUP_DDL},
    ai_lines_added BIGINT NOT NULL, ai_lines_deleted BIGINT NOT NULL,
    PRIMARY KEY (org_num, user_num, day, repo, primary_branch)
);
CREATE TABLE commit_ext_user_day (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, day DATE NOT NULL,
    repo VARCHAR NOT NULL, primary_branch SMALLINT NOT NULL, extension VARCHAR NOT NULL,
    files BIGINT NOT NULL, commits BIGINT NOT NULL,
    lines_added BIGINT NOT NULL, lines_deleted BIGINT NOT NULL,
{_AI_ROLLUP_DDL},
    ai_lines_added BIGINT NOT NULL, ai_lines_deleted BIGINT NOT NULL,
    PRIMARY KEY (org_num, user_num, day, repo, primary_branch, extension)
);
CREATE TABLE typing_user_day (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, day DATE NOT NULL,
    ide VARCHAR NOT NULL, client_version VARCHAR NOT NULL, language VARCHAR NOT NULL,
    user_bytes BIGINT NOT NULL, ai_bytes_autocomplete BIGINT NOT NULL,
    ai_bytes_command BIGINT NOT NULL,
    PRIMARY KEY (org_num, user_num, day, ide, client_version, language)
);
"""


def _v4_fingerprint_keys(con: duckdb.DuckDBPyConnection) -> None:
    # Each organization's line-fingerprint key (see aicode.attribution.fingerprint); existing
    # organizations get theirs here, new ones when they are created.
    con.execute(
        "CREATE TABLE fingerprint_keys ("
        " org_num INTEGER PRIMARY KEY, fp_key BLOB NOT NULL, created_at TIMESTAMP NOT NULL)"
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for (org_num,) in con.execute("SELECT org_num FROM organizations").fetchall():
        con.execute("INSERT INTO fingerprint_keys VALUES (?, ?, ?)", [org_num, new_key(), now])


# A migration is DDL, or a function when it needs values computed in Python.
Migration = str | Callable[[duckdb.DuckDBPyConnection], None]

# Server-side attribution (issue 7): the repository of an AI change, history rewrites, and
# what a rewrite did to commits (see store/duckdb/attribution.py).
_V5_ATTRIBUTION = """
ALTER TABLE changes ADD COLUMN repo VARCHAR;
ALTER TABLE commits ADD COLUMN committed_at TIMESTAMP;
ALTER TABLE commits ADD COLUMN rewritten_at TIMESTAMP;
ALTER TABLE commit_files ADD COLUMN replaced_by VARCHAR;
CREATE TABLE rewrites (
    k UUID PRIMARY KEY,
    org_num INTEGER NOT NULL,
    fact_id VARCHAR NOT NULL,
    user_num BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    ide VARCHAR NOT NULL,
    client_version VARCHAR NOT NULL,
    repo VARCHAR NOT NULL,
    kind VARCHAR NOT NULL
);
CREATE TABLE rewrite_mappings (
    k UUID NOT NULL,
    org_num INTEGER NOT NULL,
    user_num BIGINT NOT NULL,
    repo VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    old_hash VARCHAR NOT NULL,
    new_hash VARCHAR NOT NULL
);
"""


def _v6_rollups_without_keys(con: duckdb.DuckDBPyConnection) -> None:
    # Ingest appends partial sums to the rollups and compacts them later (rollups.py,
    # compaction.py): the tables are rebuilt, same columns in the same order, without the
    # primary keys that an upsert needed. Rows of one key are summed by every reader.
    for ddl in _V1_ROLLUPS.split(";"):
        match = re.search(r"CREATE TABLE (\w+) \(", ddl)
        if match is None:
            continue
        table = match.group(1)
        body = re.sub(r",\s*PRIMARY KEY \([^)]*\)\s*\)\s*$", "\n)", ddl.strip())
        con.execute(body.replace(f"CREATE TABLE {table} (", f"CREATE TABLE {table}_v6 (", 1))
        con.execute(f"INSERT INTO {table}_v6 SELECT * FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {table}_v6 RENAME TO {table}")


# Every table a fact writes rows to (files are rows of their parent fact).
FACT_TABLES: Final[tuple[str, ...]] = (
    "completions",
    "chats",
    "changes",
    "change_files",
    "commits",
    "commit_files",
    "typing",
)


MIGRATIONS: Final[tuple[tuple[int, str, Migration], ...]] = (
    (1, "tenancy and identity", _V1_TENANCY),
    (2, "facts", _V1_FACTS),
    (3, "rollups", _V1_ROLLUPS),
    (4, "fingerprint keys", _v4_fingerprint_keys),
    (5, "server-side attribution and history rewrites", _V5_ATTRIBUTION),
    (6, "rollups of appended partial sums, without primary keys", _v6_rollups_without_keys),
    (7, "activity and totals per person and day", v7_activity),
    (8, "dirty rollup spans and one-time tasks, read on open instead of scans", v8_startup),
    (
        9,
        "merge commits' own lines; written and carried parts of the commit rollups",
        v9_merge_parts,
    ),
)

LATEST_VERSION: Final[int] = MIGRATIONS[-1][0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to this database, 0 for a new one."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every pending migration; returns the resulting version.

    Pending means not recorded as applied, rather than numbered above the highest applied
    one: migrations written in parallel may be numbered in another order than they landed.
    """
    version = current_version(con)
    if version > LATEST_VERSION:
        msg = f"store schema version {version} is newer than this aicode ({LATEST_VERSION})"
        raise MigrationError(msg)
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for number, name, ddl in MIGRATIONS:
        if number in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            if isinstance(ddl, str):
                con.execute(ddl)
            else:
                ddl(con)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [number, name, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise MigrationError(f"migration {number} ({name}) failed: {exc}") from exc
    return current_version(con)
