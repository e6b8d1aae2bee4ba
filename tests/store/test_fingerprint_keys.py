"""Schema migration 4: a fingerprint key per organization, for new and existing ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from aicode.attribution.fingerprint import KEY_BYTES
from aicode.store import open_store
from aicode.store.base import Store
from aicode.store.duckdb.schema import LATEST_VERSION, MIGRATIONS


def test_a_new_organization_gets_a_key(store: Store) -> None:
    org = store.create_organization("acme")
    other = store.create_organization("globex")
    key = store.fingerprint_key(org)
    assert len(key) == KEY_BYTES
    assert store.fingerprint_key(org) == key
    assert store.fingerprint_key(other) != key
    assert store.schema_version() == LATEST_VERSION


def test_migration_gives_existing_organizations_a_key(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    for number, name, ddl in MIGRATIONS[:3]:
        assert isinstance(ddl, str)
        con.execute(ddl)
        con.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)",
            [number, name, dt.datetime(2025, 1, 1)],
        )
    for name in ("acme", "globex"):
        con.execute(
            "INSERT INTO organizations VALUES (nextval('org_num_seq'), ?, ?, ?)",
            [f"id-{name}", name, dt.datetime(2025, 1, 1)],
        )
    con.close()

    store = open_store(str(path))
    try:
        assert store.schema_version() == LATEST_VERSION
        acme, globex = store.list_organizations()
        keys = [store.fingerprint_key(acme), store.fingerprint_key(globex)]
        assert [len(k) for k in keys] == [KEY_BYTES, KEY_BYTES]
        assert keys[0] != keys[1]
    finally:
        store.close()
    reopened = open_store(str(path))
    try:
        assert [reopened.fingerprint_key(o) for o in reopened.list_organizations()] == keys
    finally:
        reopened.close()
