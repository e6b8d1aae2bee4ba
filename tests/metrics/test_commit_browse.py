"""Commit search and the files of one commit, over the hand-made world."""

from typing import Any

import pytest
import sqlglot
import sqlglot.expressions as exp

from aicode.metrics import Filters, commit_files, list_commits
from tests.world import D1, D3, World


def scope(world: World, **rest: object) -> Filters:
    return Filters.for_days(world.org.num, D1, D3, **rest)


@pytest.mark.parametrize(
    ("text", "hashes"),
    [
        ("aaaa", ["aaaa0003", "aaaa0001"]),  # hash prefix
        ("0004", []),  # only a prefix of the hash matches
        ("FEAT", ["bbbb0002", "aaaa0001"]),  # branch "feat", message "feat: app"
        ("core", ["cccc0004", "aaaa0003", "aaaa0001"]),  # repositories core, core-tools
        ("bob", ["bbbb0002"]),  # author email / name
        ("'; drop", []),
    ],
)
def test_commit_search(world: World, text: str, hashes: list[str]) -> None:
    found = list_commits(world.store, scope(world), search=text)
    assert [c.commit_hash for c in found.items] == hashes
    assert found.total == len(hashes)


def test_commit_search_pages_and_filters(world: World) -> None:
    second = list_commits(world.store, scope(world), search="core", page=2, per_page=2)
    assert [c.commit_hash for c in second.items] == ["aaaa0001"]
    assert second.total == 3
    primary = list_commits(world.store, scope(world, primary_branch_only=True), search="core")
    assert [c.commit_hash for c in primary.items] == ["aaaa0003", "aaaa0001"]


def test_commit_files(world: World) -> None:
    files = commit_files(world.store, world.org.num, "AAAA0001", "core")
    assert [(f.path, f.extension, f.language, f.lines.added, f.lines.deleted) for f in files] == [
        ("src/app.py", ".py", "python", 5, 2),
        ("docs/a.md", ".md", "markdown", 1, 0),
    ]
    assert (files[0].ai.added, files[0].ai.deleted) == (3, 1)
    assert files[0].by_pair["ideAgent"].added == 3
    assert sum(p.added for p in files[1].by_pair.values()) == 0
    assert commit_files(world.store, world.org.num, "aaaa0001", "web") == []
    assert commit_files(world.store, world.org.num + 1, "aaaa0001", "core") == []


def test_queries_render_for_clickhouse(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    original = world.store.query

    def recording(query: exp.Expr) -> list[dict[str, Any]]:
        sql = query.sql(dialect="clickhouse", unsupported_level=sqlglot.ErrorLevel.RAISE)
        sqlglot.parse_one(sql, read="clickhouse")
        rendered.append(sql)
        return original(query)

    monkeypatch.setattr(world.store, "query", recording)
    list_commits(world.store, scope(world), search="a")
    commit_files(world.store, world.org.num, "aaaa0001", "core")
    assert len(rendered) == 3
