"""``aicode ingest FILE``: straight into a store file, or over a real socket to a server."""

from __future__ import annotations

import gzip
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import sqlglot
from click.testing import CliRunner, Result

from aicode.app import create_app
from aicode.cli.main import cli
from aicode.settings import Settings
from aicode.store import open_store
from aicode.store.base import Store
from tests.conftest import Tenant, make_tenant
from tests.live_server import live_server

TS = "2025-06-01T10:00:00Z"
CLEAN_ENV = {"AICODE_URL": None, "AICODE_TOKEN": None, "AICODE_DB": None}

FACTS: list[dict[str, Any]] = [
    {"type": "completion", "id": f"c{i}", "user": f"dev{i % 3}@acme.dev", "ts": TS,
     "countSuggested": 2, "countAccepted": 1}
    for i in range(7)
] + [
    {"type": "commit", "user": "dev0@acme.dev", "ts": TS, "repo": "acme/app",
     "commitHash": "abcd1234", "files": [{"path": "a.py", "linesAdded": 3}]},
]  # fmt: skip
BAD: list[dict[str, Any]] = [
    {"type": "completion", "id": "bad1", "user": "dev0@acme.dev", "ts": TS, "countAccepted": "1"},
    {"type": "change", "id": "bad2", "user": "dev0@acme.dev", "ts": TS, "source": "MAGIC"},
]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=CLEAN_ENV, catch_exceptions=False)


def write_ndjson(path: Path, items: list[dict[str, Any]]) -> Path:
    lines = [msgspec.json.encode(item) for item in items]
    path.write_bytes(b"\n\n".join(lines) + b"\n")
    return path


def write_array(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(items, indent=2))  # multi-line items
    return path


def counts(db: str) -> dict[str, int]:
    store = open_store(db)
    try:
        result = {}
        for table in ("completions", "commits", "users"):
            (row,) = store.query(sqlglot.select("count(*) AS n").from_(table))
            result[table] = row["n"]
        return result
    finally:
        store.close()


@pytest.fixture
def db_org(tmp_path: Path) -> tuple[str, str]:
    """A store file with one organization, closed so that the command can open it."""
    db = str(tmp_path / "cli.duckdb")
    store = open_store(db)
    try:
        return db, store.create_organization("acme").id
    finally:
        store.close()


@pytest.fixture
def server(settings: Settings, store: Store) -> Iterator[tuple[str, Tenant]]:
    """A live server over the test's store, and a tenant with tokens."""
    tenant = make_tenant(store, "acme")
    with live_server(create_app(settings, store=store)) as url:
        yield url, tenant


# local mode ----------------------------------------------------------------------------------


def test_local_ndjson_then_resend(tmp_path: Path, db_org: tuple[str, str]) -> None:
    db, org = db_org
    path = write_ndjson(tmp_path / "facts.ndjson", FACTS)
    first = run("ingest", str(path), "--org", org, "--db", db, "--quiet")
    assert (first.exit_code, first.stdout, first.stderr) == (
        0,
        "8 accepted, 0 duplicates, 0 rejected\n",
        "",
    )
    again = run("ingest", str(path), "--org", org, "--db", db, "--quiet", "--batch-size", "3")
    assert (again.exit_code, again.stdout) == (0, "0 accepted, 8 duplicates, 0 rejected\n")
    assert counts(db) == {"completions": 7, "commits": 1, "users": 3}


def test_local_json_array_and_gzip_files(tmp_path: Path, db_org: tuple[str, str]) -> None:
    db, org = db_org
    array = write_array(tmp_path / "facts.json", FACTS[:4])
    packed = tmp_path / "facts.json.gz"
    packed.write_bytes(gzip.compress(json.dumps(FACTS[4:], indent=1).encode()))
    ndjson_gz = tmp_path / "more.ndjson.gz"
    ndjson_gz.write_bytes(gzip.compress(write_ndjson(tmp_path / "x.ndjson", FACTS).read_bytes()))
    assert run("ingest", str(array), "--org", org, "--db", db, "--quiet").stdout == (
        "4 accepted, 0 duplicates, 0 rejected\n"
    )
    assert run("ingest", str(packed), "--org", org, "--db", db, "--quiet").stdout == (
        "4 accepted, 0 duplicates, 0 rejected\n"
    )
    assert run("ingest", str(ndjson_gz), "--org", org, "--db", db, "--quiet").stdout == (
        "0 accepted, 8 duplicates, 0 rejected\n"
    )
    assert counts(db) == {"completions": 7, "commits": 1, "users": 3}


def test_rejections_exit_1_with_indexes_across_batches(
    tmp_path: Path, db_org: tuple[str, str]
) -> None:
    db, org = db_org
    items = [FACTS[0], FACTS[1], FACTS[2], BAD[0], FACTS[3], BAD[1]]
    path = write_ndjson(tmp_path / "mixed.ndjson", items)
    result = run("ingest", str(path), "--org", org, "--db", db, "--batch-size", "2", "--quiet")
    assert result.exit_code == 1
    assert result.stdout == "4 accepted, 0 duplicates, 2 rejected\n"
    assert result.stderr == (
        "  item 3: countAccepted: Expected `int`, got `str`\n"
        "  item 5: source: unknown source 'MAGIC'\n"
    )


def test_json_output(tmp_path: Path, db_org: tuple[str, str]) -> None:
    db, org = db_org
    path = write_ndjson(tmp_path / "mixed.ndjson", [*FACTS[:2], BAD[1]])
    result = run("ingest", str(path), "--org", org, "--db", db, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [{"index": 2, "field": "source", "reason": "unknown source 'MAGIC'"}],
    }


def test_progress_bar_does_not_break_the_summary(tmp_path: Path, db_org: tuple[str, str]) -> None:
    db, org = db_org
    path = write_ndjson(tmp_path / "facts.ndjson", FACTS)
    result = run("ingest", str(path), "--org", org, "--db", db, "--batch-size", "2")
    assert result.exit_code == 0
    assert result.stdout.endswith("8 accepted, 0 duplicates, 0 rejected\n")


def test_unreadable_files_are_clear_errors(tmp_path: Path, db_org: tuple[str, str]) -> None:
    db, org = db_org
    broken = tmp_path / "broken.json"
    broken.write_text('[{"type": "completion"},')
    result = run("ingest", str(broken), "--org", org, "--db", db, "--quiet")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the file is not a valid JSON array: Input data was truncated\n"
    )
    fake_gz = tmp_path / "fake.ndjson.gz"
    fake_gz.write_bytes(b"not gzip")
    result = run("ingest", str(fake_gz), "--org", org, "--db", db, "--quiet")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot read {fake_gz}: Not a gzipped file")


def test_empty_file_ingests_nothing(tmp_path: Path, db_org: tuple[str, str]) -> None:
    db, org = db_org
    empty = tmp_path / "empty.ndjson"
    empty.write_text("\n\n")
    result = run("ingest", str(empty), "--org", org, "--db", db, "--quiet")
    assert (result.exit_code, result.stdout) == (0, "0 accepted, 0 duplicates, 0 rejected\n")


# usage errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either --url (with --token) or --org (with --db)"),
        (["--url", "http://x", "--org", "o"], "give either --url (with --token) or --org"),
        (["--url", "http://x"], "--url needs --token (or AICODE_TOKEN)"),
        (["--org", "no-such-org"], "Invalid value for --org: no organization 'no-such-org'"),
        (["--batch-size", "0", "--org", "o"], "Invalid value for '--batch-size'"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, db_org: tuple[str, str], args: list[str], message: str
) -> None:
    db, _ = db_org
    path = write_ndjson(tmp_path / "facts.ndjson", FACTS)
    result = run("ingest", str(path), "--db", db, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path / "nope.ndjson"), "--org", "o")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


# over a socket -------------------------------------------------------------------------------


def test_http_mode_over_a_real_socket(
    tmp_path: Path, server: tuple[str, Tenant], store: Store
) -> None:
    url, tenant = server
    path = write_ndjson(tmp_path / "facts.ndjson", FACTS)
    result = run("ingest", str(path), "--url", url, "--token", tenant.ingest, "--quiet")
    assert (result.exit_code, result.stdout) == (0, "8 accepted, 0 duplicates, 0 rejected\n")
    again = CliRunner().invoke(
        cli,
        ["ingest", str(path), "--json", "--batch-size", "3"],
        env={"AICODE_URL": url + "/", "AICODE_TOKEN": tenant.ingest, "AICODE_DB": None},
    )
    assert again.exit_code == 0
    assert json.loads(again.stdout) == {"accepted": 0, "duplicates": 8, "rejected": []}
    (row,) = store.query(sqlglot.select("sum(events) AS events").from_("completion_user_day"))
    assert row == {"events": 7}


def test_http_mode_with_json_array_and_gzip_files(
    tmp_path: Path, server: tuple[str, Tenant]
) -> None:
    url, tenant = server
    array = write_array(tmp_path / "facts.json", FACTS[:5])
    packed = tmp_path / "facts.json.gz"
    packed.write_bytes(gzip.compress(json.dumps(FACTS, indent=4).encode()))
    first = run("ingest", str(array), "--url", url, "--token", tenant.ingest, "--quiet")
    assert (first.exit_code, first.stdout) == (0, "5 accepted, 0 duplicates, 0 rejected\n")
    second = run("ingest", str(packed), "--url", url, "--token", tenant.ingest, "--quiet")
    assert (second.exit_code, second.stdout) == (0, "3 accepted, 5 duplicates, 0 rejected\n")


def test_http_mode_reports_rejections(tmp_path: Path, server: tuple[str, Tenant]) -> None:
    url, tenant = server
    # A batch that is all bad is a 400 from the server: still a per-item answer.
    path = write_ndjson(tmp_path / "mixed.ndjson", [FACTS[0], FACTS[1], *BAD])
    result = run(
        "ingest", str(path), "--url", url, "--token", tenant.ingest, "--batch-size", "2", "--json"
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [
            {"index": 2, "field": "countAccepted", "reason": "Expected `int`, got `str`"},
            {"index": 3, "field": "source", "reason": "unknown source 'MAGIC'"},
        ],
    }


def test_http_mode_with_a_long_rejection_reason(tmp_path: Path, server: tuple[str, Tenant]) -> None:
    url, tenant = server
    ghost = "x" * 200
    path = write_ndjson(tmp_path / "ghost.ndjson", [FACTS[0] | {"user": ghost}])
    result = run("ingest", str(path), "--url", url, "--token", tenant.ingest, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["rejected"] == [
        {"index": 0, "field": "user", "reason": f"unknown user {ghost!r}: not an email or known id"}
    ]


def test_http_mode_server_errors(tmp_path: Path, server: tuple[str, Tenant]) -> None:
    url, tenant = server
    path = write_ndjson(tmp_path / "facts.ndjson", FACTS)
    denied = run("ingest", str(path), "--url", url, "--token", tenant.read, "--quiet")
    assert denied.exit_code == 1
    assert denied.stderr.startswith("Error: server answered 403: ")
    assert "token lacks the 'ingest' scope" in denied.stderr
    unknown = run("ingest", str(path), "--url", url, "--token", "nope", "--quiet")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("Error: server answered 401: ")


def test_http_mode_unreachable_server(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"  # bound, never listening
    path = write_ndjson(tmp_path / "facts.ndjson", FACTS)
    result = run("ingest", str(path), "--url", url, "--token", "t", "--quiet")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot reach {url}: ")
