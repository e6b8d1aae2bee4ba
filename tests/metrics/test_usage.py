import datetime as dt

from aicode.metrics import (
    ChatBreakdown,
    CodingBreakdown,
    CompletionBreakdown,
    Filters,
    scope_day_usage,
    user_day_usage,
)
from tests.world import D1, D2, D3, D4, World


def test_user_day_usage_lists_active_person_days_in_order(world: World) -> None:
    page = user_day_usage(world.store, Filters.for_days(world.org.num, D1, D4))
    assert page.total == 6
    ids = {world.ann.id: "ann", world.bob.id: "bob", world.cid.id: "cid"}
    expected_pairs = sorted(
        [
            (D1, world.ann.id),
            (D1, world.bob.id),
            (D2, world.bob.id),
            (D2, world.cid.id),
            (D3, world.ann.id),
            (D3, world.bob.id),
        ]
    )
    assert [(u.day, u.user_id) for u in page.items] == expected_pairs
    by_key = {(u.day, ids[u.user_id or ""]): u for u in page.items}

    ann_d1 = by_key[(D1, "ann")]
    assert ann_d1.completions == [
        CompletionBreakdown("jetbrains", "java", 5, 1, 5, 2, 1),
        CompletionBreakdown("vscode", "python", 10, 4, 20, 6, 1),
    ]
    assert [c.lines_changed for c in ann_d1.completions] == [2, 6]  # the accepted lines
    assert ann_d1.chats == [ChatBreakdown("EXPLAIN_CODE", "vscode", 1, 1, 0, 1)]
    assert ann_d1.coding == [
        CodingBreakdown("java", 2, 2, 0, 1),
        CodingBreakdown("python", 9, 10, 3, 1),
    ]
    assert ann_d1.last_active == dt.datetime(2025, 6, 2, 13, 0)
    assert (ann_d1.active_developers, ann_d1.active_chat, ann_d1.active_completion) == (1, 1, 1)
    assert (
        ann_d1.chat_turns,
        ann_d1.chat_turns_accepted,
        ann_d1.count_suggested,
        ann_d1.count_accepted,
        ann_d1.completion_lines_suggested,
        ann_d1.completion_lines_accepted,
        ann_d1.lines_accepted,
        ann_d1.lines_changed,
        ann_d1.assistant_lines_accepted,
    ) == (1, 1, 15, 5, 25, 8, 11, 12, 3)

    bob_d2 = by_key[(D2, "bob")]
    assert bob_d2.coding == [CodingBreakdown("typescript", 3, 3, 0, 1)]  # TAB edit not twice
    cid_d2 = by_key[(D2, "cid")]
    assert cid_d2.chats == [
        ChatBreakdown("FREE_INPUT", "vscode", 1, 0, 0, 1),
        ChatBreakdown("review-sql", "jetbrains", 1, 1, 5, 1),
    ]
    assert (cid_d2.completions, cid_d2.coding, cid_d2.active_completion) == ([], [], 0)
    ann_d3 = by_key[(D3, "ann")]
    assert ann_d3.coding == [
        CodingBreakdown("markdown", 1, 1, 1, 1),
        CodingBreakdown("python", 2, 2, 2, 1),
    ]
    bob_d3 = by_key[(D3, "bob")]  # only a rejected agent edit: active, nothing accepted
    assert (bob_d3.coding, bob_d3.active_developers, bob_d3.last_active) == (
        [],
        1,
        dt.datetime(2025, 6, 4, 9, 0),
    )


def test_user_day_usage_pages_and_user_filter(world: World) -> None:
    every = user_day_usage(world.store, Filters.for_days(world.org.num, D1, D3)).items
    second = user_day_usage(
        world.store, Filters.for_days(world.org.num, D1, D3), page=2, per_page=4
    )
    assert (second.total, second.total_pages) == (6, 2)
    assert [(u.day, u.user_id) for u in second.items] == [(u.day, u.user_id) for u in every[4:]]
    bob = user_day_usage(
        world.store, Filters.for_days(world.org.num, D1, D3, user_nums=(world.bob.num,))
    )
    assert [u.day for u in bob.items] == [D1, D2, D3]
    empty = user_day_usage(world.store, Filters.for_days(world.org.num, D4, D4))
    assert (empty.total, empty.items) == (0, [])
    # Past the last page the total is still counted.
    beyond = user_day_usage(
        world.store, Filters.for_days(world.org.num, D1, D3), page=3, per_page=4
    )
    assert (beyond.total, beyond.total_pages, beyond.items) == (6, 2, [])


def test_user_day_usage_pages_of_every_size_cut_the_same_list(world: World) -> None:
    scope = Filters.for_days(world.org.num, D1, D4)
    every = [(u.day, u.user_id) for u in user_day_usage(world.store, scope, per_page=1000).items]
    assert len(every) == 6  # two people on each of D1, D2 and D3; nobody on D4
    for per_page in range(1, 8):
        pages = [
            user_day_usage(world.store, scope, page=number, per_page=per_page)
            for number in range(1, 8)
        ]
        assert {p.total for p in pages} == {6}
        listed = [(u.day, u.user_id) for p in pages for u in p.items]
        assert listed == every, per_page
        assert [len(p.items) for p in pages][: -(-6 // per_page)] == [
            min(per_page, 6 - i * per_page) for i in range(-(-6 // per_page))
        ]


def test_scope_day_usage_counts_distinct_developers(world: World) -> None:
    days = scope_day_usage(
        world.store, Filters.for_days(world.org.num, D1, D4, department_num_path=world.eng)
    )
    assert [d.day for d in days] == [D1, D2, D3, D4]
    d1 = days[0]
    assert d1.completions == [
        CompletionBreakdown("jetbrains", "java", 5, 1, 5, 2, 1),
        CompletionBreakdown("vscode", "python", 12, 5, 22, 7, 2),
    ]
    assert d1.coding == [
        CodingBreakdown("java", 2, 2, 0, 1),
        CodingBreakdown("python", 10, 11, 3, 2),
    ]
    assert (d1.active_developers, d1.active_chat, d1.active_completion) == (2, 1, 2)
    d3 = days[2]
    assert (d3.active_developers, d3.active_chat, d3.active_completion, d3.chats) == (2, 0, 0, [])
    d4 = days[3]
    assert (d4.completions, d4.chats, d4.coding, d4.active_developers, d4.last_active) == (
        [],
        [],
        [],
        0,
        None,
    )
