import dataclasses

from aicode.metrics import (
    ChangeTotals,
    ChatTotals,
    CompletionTotals,
    Filters,
    active_developers,
    change_totals,
    changes_by_source,
    chat_totals,
    completion_totals,
    daily_activity,
    overview,
)
from aicode.metrics.activity import UsageTotals, usage_totals
from tests.world import D1, D2, D3, D4, World


def scope(world: World, **rest: object) -> Filters:
    return Filters.for_days(world.org.num, D1, D3, **rest)


def test_completion_totals_and_acceptance_rate(world: World) -> None:
    totals = completion_totals(world.store, scope(world))
    assert totals == CompletionTotals(4, 25, 8, 35, 12, 120)
    assert totals.acceptance_rate == 32.0
    ann = completion_totals(world.store, scope(world, user_nums=(world.ann.num,)))
    assert ann == CompletionTotals(2, 15, 5, 25, 8, 120)
    assert ann.acceptance_rate == 33.33
    assert completion_totals(world.store, Filters.for_days(world.org.num, D4, D4)) == (
        CompletionTotals()
    )


def test_chat_totals(world: World) -> None:
    assert chat_totals(world.store, scope(world)) == ChatTotals(3, 2, 0, 0, 5)
    eng = chat_totals(world.store, scope(world, department_num_path=world.eng))
    assert eng == ChatTotals(1, 1, 0, 0, 0)


def test_change_totals_by_source_and_extension(world: World) -> None:
    everything = change_totals(world.store, scope(world))
    assert everything == ChangeTotals(4, 3, 12, 3, 8, 1)
    assert everything.accepted_lines_edited == 9
    assert everything.acceptance_rate == 75.0
    agent = change_totals(world.store, scope(world, sources=("AGENT",)))
    assert agent == ChangeTotals(2, 1, 7, 3, 3, 1)
    markdown = change_totals(world.store, scope(world).with_extensions(["md"]))
    assert markdown == ChangeTotals(0, 0, 1, 0, 1, 0)
    by_source = changes_by_source(world.store, scope(world))
    assert list(by_source) == [("AGENT", "cli"), ("AGENT", "ide"), ("QUEST", "ide"), ("TAB", "ide")]
    assert by_source[("AGENT", "cli")] == ChangeTotals(1, 0, 4, 2, 0, 0)


def test_active_developers(world: World) -> None:
    assert active_developers(world.store, scope(world)) == 3
    assert active_developers(world.store, scope(world, department_num_path=world.eng)) == 2
    assert active_developers(world.store, Filters.for_days(world.org.num, D2, D2)) == 2
    assert active_developers(world.store, Filters.for_days(world.org.num, D4, D4)) == 0


def test_usage_totals_in_one_scan_equal_the_four_metrics(world: World) -> None:
    whole = usage_totals(world.store, scope(world))
    assert whole == UsageTotals(
        CompletionTotals(4, 25, 8, 35, 12, 120),
        ChatTotals(3, 2, 0, 0, 5),
        ChangeTotals(4, 3, 12, 3, 8, 1),
        3,
    )
    eng = usage_totals(world.store, scope(world, department_num_path=world.eng))
    assert (eng.chats, eng.active_developers) == (ChatTotals(1, 1, 0, 0, 0), 2)
    assert usage_totals(world.store, Filters.for_days(world.org.num, D4, D4)) == UsageTotals(
        CompletionTotals(), ChatTotals(), ChangeTotals(), 0
    )


def test_usage_totals_fall_back_to_each_metric_where_sources_differ(world: World) -> None:
    # A source filter sends changes to another rollup, extensions to the per-file one.
    agent = usage_totals(world.store, scope(world, sources=("AGENT",)))
    assert agent.changes == ChangeTotals(2, 1, 7, 3, 3, 1)
    assert (agent.completions.suggested, agent.active_developers) == (25, 3)
    markdown = usage_totals(world.store, scope(world).with_extensions(["md"]))
    assert markdown.changes == ChangeTotals(0, 0, 1, 0, 1, 0)


def test_daily_activity_has_every_day(world: World) -> None:
    days = daily_activity(world.store, Filters.for_days(world.org.num, D1, D4))
    assert [
        (d.day, d.active_developers, d.completions.suggested, d.chats.turns, d.changes.changes)
        for d in days
    ] == [(D1, 2, 17, 1, 1), (D2, 2, 8, 2, 1), (D3, 2, 0, 0, 2), (D4, 0, 0, 0, 0)]


def test_daily_activity_with_a_source_filter_reads_changes_elsewhere(world: World) -> None:
    days = daily_activity(world.store, Filters.for_days(world.org.num, D1, D4, sources=("AGENT",)))
    assert [(d.day, d.active_developers, d.completions.suggested, d.changes) for d in days] == [
        (D1, 2, 17, ChangeTotals(1, 1, 3, 1, 3, 1)),
        (D2, 2, 8, ChangeTotals()),
        (D3, 2, 0, ChangeTotals(1, 0, 4, 2, 0, 0)),
        (D4, 0, 0, ChangeTotals()),
    ]


def test_overview_composes_the_metrics(world: World) -> None:
    result = overview(world.store, scope(world))
    assert result.commits.lines.edited == 30
    assert result.commits.ai.edited == 9
    assert result.ai_share_rate == 30.0
    assert result.changes.accepted_lines_edited == 9
    assert result.agent_changes.changes == 2
    assert result.completions.accepted == 8
    assert result.chats.turns == 3
    assert result.active_developers == 3
    web = overview(world.store, dataclasses.replace(scope(world), user_nums=(world.bob.num,)))
    assert (web.commits.commits, web.completions.suggested, web.active_developers) == (1, 10, 1)
