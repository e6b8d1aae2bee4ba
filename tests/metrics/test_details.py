import dataclasses
import datetime as dt

from aicode.metrics import (
    Filters,
    LinePair,
    commit_annotations,
    iter_changes,
    iter_commits,
    list_changes,
    list_commits,
)
from tests.world import D1, D3, World


def scope(world: World, **rest: object) -> Filters:
    return Filters.for_days(world.org.num, D1, D3, **rest)


def test_list_commits_newest_first_with_attribution(world: World) -> None:
    page = list_commits(world.store, scope(world))
    assert page.total == 4
    assert [c.commit_hash for c in page.items] == ["cccc0004", "aaaa0003", "bbbb0002", "aaaa0001"]
    first = page.items[-1]
    assert (first.repo, first.branch, first.is_primary_branch, first.message) == (
        "core",
        "main",
        True,
        "feat: app",
    )
    assert (first.lines, first.ai, first.non_ai) == (LinePair(6, 2), LinePair(3, 1), LinePair(3, 1))
    assert first.by_pair["ideAgent"] == LinePair(3, 1)
    assert (first.tab, first.composer) == (LinePair(0, 0), LinePair(3, 1))
    assert first.author.email == "ann@acme.dev"
    assert first.author.encoded_id == world.ann.encoded_id
    assert first.commit_ts == dt.datetime(2025, 6, 2, 15, 0)
    assert page.items[0].is_primary_branch is None


def test_list_commits_filters_and_pages(world: World) -> None:
    core = list_commits(world.store, scope(world, repo="core"), page=2, per_page=1)
    assert (core.total, [c.commit_hash for c in core.items]) == (2, ["aaaa0001"])
    exact = list_commits(
        world.store,
        dataclasses.replace(
            scope(world),
            since=dt.datetime(2025, 6, 2, 15, 0, tzinfo=dt.UTC),
            until=dt.datetime(2025, 6, 4, 15, 0, tzinfo=dt.UTC),
        ),
    )
    assert [c.commit_hash for c in exact.items] == ["aaaa0003", "bbbb0002", "aaaa0001"]
    md = list_commits(world.store, scope(world).with_extensions(["md"]))
    assert [c.commit_hash for c in md.items] == ["aaaa0003", "aaaa0001"]


def test_iter_commits_walks_everything_once(world: World) -> None:
    pages = list(iter_commits(world.store, scope(world), batch=3))
    assert [len(p) for p in pages] == [3, 1]
    assert [c.commit_hash for p in pages for c in p] == [
        c.commit_hash for c in list_commits(world.store, scope(world)).items
    ]


def test_list_changes_with_files_and_source_filter(world: World) -> None:
    page = list_changes(world.store, scope(world))
    assert [c.change_id for c in page.items] == ["g4", "g3", "g2", "g1"]
    g4 = page.items[0]
    assert [(f.file_name, f.extension, f.language, f.lines_added) for f in g4.files] == [
        ("src/app.py", ".py", "python", 2),
        ("docs/readme.md", ".md", "markdown", 1),
    ]
    g1 = page.items[3]
    assert (g1.source, g1.model, g1.conversation_id, g1.lines_added, g1.lines_deleted) == (
        "AGENT",
        "m1",
        "s1",
        3,
        1,
    )
    agents = list_changes(world.store, scope(world, sources=("AGENT",)), per_page=1)
    assert (agents.total, [c.change_id for c in agents.items]) == (2, ["g3"])
    assert [c.change_id for p in iter_changes(world.store, scope(world), batch=2) for c in p] == [
        "g4",
        "g3",
        "g2",
        "g1",
    ]


def test_commit_annotations_for_known_hashes(world: World) -> None:
    assert commit_annotations(world.store, world.org.num, ["AAAA0001", "ffff"]) == {"aaaa0001": []}
    assert commit_annotations(world.store, world.org.num, ["aaaa0001"], branch="dev") == {}


def test_list_changes_accepted_only(world: World) -> None:
    accepted = scope(world, accepted_only=True)
    assert [c.change_id for c in list_changes(world.store, accepted).items] == ["g4", "g2", "g1"]
    assert [c.change_id for p in iter_changes(world.store, accepted, batch=2) for c in p] == [
        "g4",
        "g2",
        "g1",
    ]
