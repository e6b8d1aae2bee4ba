"""The demo organization in a store, and ``aicode demo`` on the command line."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import sqlglot
from click.testing import CliRunner

from aicode.cli.main import cli
from aicode.demo import (
    DEMO_ORG_NAME,
    DemoConfig,
    DemoResult,
    build_demo,
    ensure_demo,
    generate_developers,
)
from aicode.model.tenancy import Scope
from aicode.settings import Settings
from aicode.store import open_store
from aicode.store.base import Store

CONFIG = DemoConfig(seed=11, developers=12, days=10, end=dt.date(2025, 3, 14))
FACT_TABLES = {
    "completion": "completions",
    "chat": "chats",
    "change": "changes",
    "commit": "commits",
    "typing": "typing",
}


def _scalar(store: Store, sql: str) -> Any:
    rows = store.query(sqlglot.parse_one(sql, read="duckdb"))
    return next(iter(rows[0].values()))


@pytest.fixture
def built(store: Store) -> DemoResult:
    progress: list[tuple[int, int, int]] = []
    result = build_demo(store, CONFIG, lambda *args: progress.append(args))
    assert progress[-1] == (CONFIG.days, CONFIG.days, sum(result.facts.values()))
    return result


def test_build_stores_every_fact_without_inventing_people(store: Store, built: DemoResult) -> None:
    assert built.created
    assert built.organization.name == DEMO_ORG_NAME
    assert built.outcome.rejected == []
    assert built.outcome.users_created == 0
    assert built.outcome.accepted == sum(built.facts.values())
    org = built.organization.num
    for kind, table in FACT_TABLES.items():
        assert built.facts[kind] > 0
        assert (
            _scalar(store, f"SELECT count(*) FROM {table} WHERE org_num = {org}")
            == (built.facts[kind])
        )


def test_departments_users_groups_and_aliases(store: Store, built: DemoResult) -> None:
    org = built.organization
    departments = store.list_departments(org)
    paths = {d.path for d in departments}
    by_id = {d.id: d for d in departments}
    assert all(d.path.count("/") <= 1 for d in departments)
    for department in departments:
        if "/" in department.path:
            assert department.parent_id is not None
            assert by_id[department.parent_id].path == department.path.split("/")[0]
    users = store.list_users(org)
    assert len(users) == CONFIG.developers
    assert all(u.department_id in by_id for u in users)
    assert all(u.groups for u in users)
    developers = generate_developers(CONFIG)
    assert {d.department for d in developers} <= paths
    for dev in developers:
        for alias in dev.aliases:
            found = store.find_user(org, alias)
            assert found is not None
            assert found.email == dev.email


def test_stored_commits_never_have_more_ai_lines_than_lines(
    store: Store, built: DemoResult
) -> None:
    org = built.organization.num
    assert _scalar(store, f"SELECT sum(ai_lines_added) FROM commits WHERE org_num = {org}") > 0
    bad = _scalar(
        store,
        f"SELECT count(*) FROM commits WHERE org_num = {org}"
        " AND (ai_lines_added > lines_added OR ai_lines_deleted > lines_deleted)",
    )
    assert bad == 0


def test_ensure_demo_reuses_the_organization(store: Store, built: DemoResult) -> None:
    again = ensure_demo(store, CONFIG)
    assert not again.created
    assert again.organization.id == built.organization.id
    assert again.tokens != built.tokens
    assert [o.name for o in store.list_organizations()].count(DEMO_ORG_NAME) == 1


def _run(settings: Settings, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli,
        [
            "demo",
            "--db",
            settings.db,
            "--developers",
            "4",
            "--days",
            "3",
            "--end-date",
            "2025-03-14",
            "--json",
            *args,
        ],
    )
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_cli_json_shape(settings: Settings) -> None:
    answer = _run(settings)
    assert set(answer) == {"organizationId", "tokens"}
    assert set(answer["tokens"]) == {"read", "ingest", "admin"}


def test_cli_if_empty_does_not_duplicate_and_prints_working_tokens(settings: Settings) -> None:
    first = _run(settings, "--if-empty")
    opened = open_store(settings.db)
    try:
        counts = _scalar(opened, "SELECT count(*) FROM commits")
    finally:
        opened.close()
    second = _run(settings, "--if-empty")
    assert second["organizationId"] == first["organizationId"]
    assert second["tokens"] != first["tokens"]
    opened = open_store(settings.db)
    try:
        assert _scalar(opened, "SELECT count(*) FROM commits") == counts
        assert [o.name for o in opened.list_organizations()] == [DEMO_ORG_NAME]
        for scope, secret in second["tokens"].items():
            token = opened.authenticate(secret)
            assert token is not None
            assert token.org_id == second["organizationId"]
            assert token.scopes == frozenset({Scope(scope)})
    finally:
        opened.close()


def test_cli_refuses_an_end_date_in_the_future(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["demo", "--db", settings.db, "--end-date", "2999-01-01"])
    assert result.exit_code == 2
    assert "--end-date" in result.output


def test_cli_human_output(settings: Settings) -> None:
    result = CliRunner().invoke(
        cli,
        ["demo", "--db", settings.db, "--developers", "3", "--days", "2", "--quiet"],
    )
    assert result.exit_code == 0, result.output
    assert "Organization id:" in result.stdout
    assert "/docs" in result.stdout
    assert "refused" not in result.output
    assert "admin" in result.stdout
