import dataclasses

from aicode.metrics import (
    Filters,
    LinePair,
    commit_totals,
    daily_commit_trend,
    daily_extension_trend,
    file_extensions,
    member_ranking,
    repositories,
)
from tests.world import D1, D2, D3, World


def scope(world: World, **rest: object) -> Filters:
    return Filters.for_days(world.org.num, D1, D3, **rest)


def test_commit_totals_whole_organization(world: World) -> None:
    totals = commit_totals(world.store, scope(world))
    assert totals.commits == 4
    assert totals.lines == LinePair(23, 7)
    assert totals.ai == LinePair(8, 1)
    assert totals.non_ai == LinePair(15, 6)
    assert totals.ai_share_rate == 30.0
    assert totals.ai_share_rate_added == 34.78
    assert totals.by_pair["ideAgent"] == LinePair(3, 1)
    assert totals.by_pair["ideNext"] == LinePair(2, 0)
    assert totals.by_pair["ideQuest"] == LinePair(3, 0)
    assert totals.by_pair["cliAgent"] == LinePair(0, 0)
    assert totals.tab == LinePair(2, 0)
    assert totals.composer == LinePair(6, 1)


def test_commit_totals_filters(world: World) -> None:
    primary = commit_totals(world.store, scope(world, primary_branch_only=True))
    assert (primary.commits, primary.lines, primary.ai) == (2, LinePair(9, 2), LinePair(6, 1))
    assert primary.ai_share_rate == 63.64
    repo = commit_totals(world.store, scope(world, repo="core"))
    assert (repo.commits, repo.lines, repo.ai) == (2, LinePair(9, 2), LinePair(6, 1))
    eng = commit_totals(world.store, scope(world, department_num_path=world.eng))
    assert (eng.commits, eng.lines, eng.ai) == (3, LinePair(13, 2), LinePair(8, 1))
    platform = commit_totals(world.store, scope(world, department_num_path=world.platform))
    assert (platform.commits, platform.lines) == (2, LinePair(9, 2))
    bob = commit_totals(world.store, scope(world, user_nums=(world.bob.num,)))
    assert (bob.commits, bob.lines, bob.ai) == (1, LinePair(4, 0), LinePair(2, 0))
    one_day = commit_totals(world.store, Filters.for_days(world.org.num, D2, D2))
    assert (one_day.commits, one_day.lines) == (1, LinePair(4, 0))


def test_commit_totals_by_extension_counts_each_commit_once(world: World) -> None:
    py = commit_totals(world.store, scope(world).with_extensions(["py"]))
    assert (py.commits, py.lines, py.ai) == (2, LinePair(7, 2), LinePair(5, 1))
    both = commit_totals(world.store, scope(world).with_extensions([".py", "MD"]))
    assert (both.commits, both.lines, both.ai) == (2, LinePair(9, 2), LinePair(6, 1))
    assert both.by_pair["ideQuest"] == LinePair(3, 0)


def test_daily_commit_trend(world: World) -> None:
    trend = daily_commit_trend(world.store, scope(world))
    assert [
        (d.day, d.commits, d.lines.added, d.ai.added, d.other_lines_added, d.ai_share_rate)
        for d in trend
    ] == [
        (D1, 1, 6, 3, 3, 50.0),
        (D2, 1, 4, 2, 2, 50.0),
        (D3, 2, 13, 3, 10, 23.08),
    ]
    py = daily_commit_trend(world.store, scope(world).with_extensions(["py", "md"]))
    assert [(d.day, d.commits, d.lines.added, d.ai.added) for d in py] == [
        (D1, 1, 6, 3),
        (D3, 1, 3, 3),
    ]


def test_daily_extension_trend(world: World) -> None:
    rows = daily_extension_trend(world.store, scope(world))
    assert [(r.day, r.extension, r.lines_added, r.ai_lines_added) for r in rows] == [
        (D1, ".md", 1, 0),
        (D1, ".py", 5, 3),
        (D2, ".ts", 4, 2),
        (D3, ".go", 10, 0),
        (D3, ".md", 1, 1),
        (D3, ".py", 2, 2),
    ]


def test_file_extensions(world: World) -> None:
    rows = file_extensions(world.store, scope(world))
    assert [
        (r.extension, r.file_changes, r.lines.added, r.ai.added, r.ai_share_rate) for r in rows
    ] == [
        (".go", 1, 10, 0, 0.0),
        (".py", 2, 7, 5, 71.43),
        (".ts", 1, 4, 2, 50.0),
        (".md", 2, 2, 1, 50.0),
    ]


def test_member_ranking(world: World) -> None:
    ranking = member_ranking(world.store, scope(world), limit=10)
    assert [
        (m.email, m.display_name, m.commits, m.lines.added, m.ai.added, m.ai_share_rate)
        for m in ranking
    ] == [
        ("ann@acme.dev", "Ann", 2, 9, 6, 66.67),
        ("bob@acme.dev", "Bob", 1, 4, 2, 50.0),
        ("cid@acme.dev", "Cid", 1, 10, 0, 0.0),
    ]
    assert ranking[0].user_id == world.ann.id
    assert ranking[0].encoded_id == world.ann.encoded_id
    assert [m.email for m in member_ranking(world.store, scope(world), limit=1)] == ["ann@acme.dev"]


def test_repositories_search_and_pages(world: World) -> None:
    page = repositories(world.store, scope(world))
    assert page.total == 3
    assert [(r.repo, r.commits, r.lines.added, r.ai.added) for r in page.items] == [
        ("core", 2, 9, 6),
        ("core-tools", 1, 10, 0),
        ("web", 1, 4, 2),
    ]
    second = repositories(world.store, scope(world), search="CORE", page=2, per_page=1)
    assert (second.total, second.total_pages, [r.repo for r in second.items]) == (
        2,
        2,
        ["core-tools"],
    )
    with_ai = repositories(world.store, scope(world), ai_only=True)
    assert [r.repo for r in with_ai.items] == ["core", "web"]
    empty = repositories(world.store, dataclasses.replace(scope(world), repo="nope"))
    assert (empty.total, empty.items) == (0, [])


def test_file_extensions_with_ai_lines_only(world: World) -> None:
    rows = file_extensions(world.store, scope(world), ai_only=True)
    assert [(r.extension, r.file_changes, r.lines.added, r.ai.added) for r in rows] == [
        (".py", 2, 7, 5),
        (".ts", 1, 4, 2),
        (".md", 2, 2, 1),
    ]
