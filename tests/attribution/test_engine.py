"""The attribution engine, rule by rule, with real fingerprints and exact results."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

import pytest

from aicode.attribution.engine import (
    AiEdit,
    CommittedFile,
    CommittedLine,
    Origin,
    Window,
    attribute,
    normalize_path,
)
from aicode.attribution.fingerprint import fingerprint, is_trivial

KEY = bytes(range(32))
COMMIT_TS = dt.datetime(2025, 6, 10, 12, 0)
WINDOW = Window.before(COMMIT_TS, 30)

AGENT = Origin("AGENT", "cli", "claude-sonnet", "conv-1")
AGENT2 = Origin("AGENT", "cli", "claude-sonnet", "conv-2")
TAB = Origin("TAB", "plugin", "", None)
CHAT = Origin("INLINECHAT", "ide", "gpt", "chat-9")


def fp(text: str) -> str:
    return fingerprint(KEY, text)


def lines(start: int, *texts: str) -> list[CommittedLine]:
    """Consecutive diff lines from ``start``, fingerprinted and flagged as the clients do."""
    return [CommittedLine(start + i, fp(t), is_trivial(t)) for i, t in enumerate(texts)]


def edit(
    change: str,
    hours_before: float,
    origin: Origin,
    added: list[str] = (),  # type: ignore[assignment]
    deleted: list[str] = (),  # type: ignore[assignment]
    file: str = "src/app.py",
    position: int = 0,
) -> AiEdit:
    return AiEdit(
        change_id=change,
        ts=COMMIT_TS - dt.timedelta(hours=hours_before),
        file=file,
        origin=origin,
        added=tuple(fp(t) for t in added),
        deleted=tuple(fp(t) for t in deleted),
        position=position,
    )


def summary(files: list[CommittedFile], edits: list[AiEdit], window: Window = WINDOW) -> Any:
    """Per file: {line: conversation or source} for added and deleted AI lines."""
    result = attribute(files, edits, window)
    return [
        {
            kind: {n: o.conversation_id or o.source for n, o in sorted(f.origins(kind).items())}
            for kind in ("added", "deleted")
        }
        for f in result.files
    ]


FUNCTION = [
    "def total(items):",
    "    result = 0",
    "    for item in items:",
    "        result += item",
    "    return result",
]


CASES: list[tuple[str, list[CommittedFile], list[AiEdit], list[dict[str, dict[int, str]]]]] = [
    (
        "AI lines and own lines",
        [CommittedFile("src/app.py", added=lines(10, *FUNCTION, "print(total([1]))"))],
        [edit("c1", 2, AGENT, FUNCTION)],
        [{"added": dict.fromkeys(range(10, 15), "conv-1"), "deleted": {}}],
    ),
    (
        "a line the person edited after the AI wrote it is human",
        [CommittedFile("src/app.py", added=lines(1, FUNCTION[0], "    result = 1", *FUNCTION[2:]))],
        [edit("c1", 2, AGENT, FUNCTION)],
        [{"added": {1: "conv-1", 3: "conv-1", 4: "conv-1", 5: "conv-1"}, "deleted": {}}],
    ),
    (
        "the most recent change wins",
        [CommittedFile("src/app.py", added=lines(1, "x = compute()", "y = 2"))],
        [
            edit("old", 5, AGENT, ["x = compute()", "y = 2"]),
            edit("new", 1, CHAT, ["x = compute()"]),
        ],
        [{"added": {1: "chat-9", 2: "conv-1"}, "deleted": {}}],
    ),
    (
        "each AI line instance is consumed once: a copy typed again is human",
        [CommittedFile("src/app.py", added=lines(1, "retry()", "log()", "retry()"))],
        [edit("c1", 1, AGENT, ["retry()", "log()"])],
        [{"added": {1: "conv-1", 2: "conv-1"}, "deleted": {}}],
    ),
    (
        "two instances in two changes: newest first, then the older",
        [CommittedFile("src/app.py", added=lines(1, "retry()", "log()", "retry()"))],
        [edit("a", 3, AGENT, ["retry()"]), edit("b", 1, AGENT2, ["retry()"])],
        [{"added": {1: "conv-2", 3: "conv-1"}, "deleted": {}}],
    ),
    (
        "one change adding a line twice covers two copies",
        [CommittedFile("src/app.py", added=lines(1, "retry()", "retry()", "retry()"))],
        [edit("a", 1, AGENT, ["retry()", "retry()"])],
        [{"added": {1: "conv-1", 2: "conv-1"}, "deleted": {}}],
    ),
    (
        "changes outside the window or after the commit do not match",
        [CommittedFile("src/app.py", added=lines(1, "a = 1", "b = 2", "c = 3", "d = 4"))],
        [
            edit("too-old", 30 * 24 + 1, AGENT, ["a = 1"]),
            edit("oldest-allowed", 30 * 24, AGENT2, ["b = 2"]),
            edit("at-commit", 0, CHAT, ["c = 3"]),
            edit("after", -1, TAB, ["d = 4"]),
        ],
        [{"added": {2: "conv-2", 3: "chat-9"}, "deleted": {}}],
    ),
    (
        "another file of the same change does not match",
        [CommittedFile("src/other.py", added=lines(1, *FUNCTION))],
        [edit("c1", 1, AGENT, FUNCTION)],
        [{"added": {}, "deleted": {}}],
    ),
    (
        "a renamed file matches changes to its old path and its new one",
        [CommittedFile("lib/app.py", "src/app.py", added=lines(1, "a = 1", "b = 2"))],
        [edit("c1", 2, AGENT, ["a = 1"]), edit("c2", 1, TAB, ["b = 2"], file="lib/app.py")],
        [{"added": {1: "conv-1", 2: "TAB"}, "deleted": {}}],
    ),
    (
        "deleted lines count when an AI change deleted them",
        [CommittedFile("src/app.py", deleted=lines(4, "old_a()", "old_b()", "old_c()"))],
        [edit("c1", 1, AGENT, deleted=["old_a()", "old_c()"])],
        [{"added": {}, "deleted": {4: "conv-1", 6: "conv-1"}}],
    ),
    (
        "a moved function: re-added lines match the AI that wrote them, the deletion is human",
        [
            CommittedFile(
                "src/app.py", added=lines(40, *FUNCTION), deleted=lines(3, *FUNCTION)
            )
        ],
        [edit("c1", 3, AGENT, FUNCTION)],
        [{"added": dict.fromkeys(range(40, 45), "conv-1"), "deleted": {}}],
    ),
    (
        "an AI change that moved the function gets both sides",
        [
            CommittedFile(
                "src/app.py", added=lines(40, *FUNCTION), deleted=lines(3, *FUNCTION)
            )
        ],
        [edit("c1", 3, AGENT, FUNCTION), edit("c2", 1, CHAT, FUNCTION, FUNCTION)],
        [{"added": dict.fromkeys(range(40, 45), "chat-9"),
          "deleted": dict.fromkeys(range(3, 8), "chat-9")}],
    ),
    (
        "the same AI line in a renamed file and a new file of that name is consumed once",
        [
            CommittedFile("lib/app.py", "src/app.py", added=lines(1, "a = 1")),
            CommittedFile("src/app.py", added=lines(1, "a = 1")),
        ],
        [edit("c1", 1, AGENT, ["a = 1"])],
        [{"added": {1: "conv-1"}, "deleted": {}}, {"added": {}, "deleted": {}}],
    ),
    (
        "paths compare with forward slashes and without ./",
        [CommittedFile("src/app.py", added=lines(1, "a = 1"))],
        [edit("c1", 1, AGENT, ["a = 1"], file=".\\src\\app.py")],
        [{"added": {1: "conv-1"}, "deleted": {}}],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "edits", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rules(
    files: list[CommittedFile], edits: list[AiEdit], expected: list[dict[str, dict[int, str]]]
) -> None:
    assert summary(files, edits) == expected


BLOCK = ["function f() {", "  return 1;", "}"]

TRIVIAL_CASES: list[tuple[str, list[str], list[AiEdit], dict[int, str]]] = [
    (
        "a closing brace after AI lines is AI",
        [*BLOCK],
        [edit("c1", 1, AGENT, BLOCK[:2])],
        {1: "conv-1", 2: "conv-1", 3: "conv-1"},
    ),
    (
        "an opening brace before AI lines is AI",
        ["{", "  run();", "  stop();"],
        [edit("c1", 1, AGENT, ["  run();", "  stop();"])],
        {1: "conv-1", 2: "conv-1", 3: "conv-1"},
    ),
    (
        "between an AI line and a human line: human",
        ["  run();", "", "  mine();"],
        [edit("c1", 1, AGENT, ["  run();"])],
        {1: "conv-1"},
    ),
    (
        "between lines of two AI changes: the one before",
        ["  run();", "}", "", "  other();"],
        [edit("c1", 2, AGENT, ["  run();"]), edit("c2", 1, CHAT, ["  other();"])],
        {1: "conv-1", 2: "conv-1", 3: "conv-1", 4: "chat-9"},
    ),
    (
        "trivial lines never count alone, even when an AI change added them",
        ["}", "", ");"],
        [edit("c1", 1, AGENT, ["}", "", ");"])],
        {},
    ),
    (
        "a trivial line next to human lines is human even if an AI change added it",
        ["  mine();", "}"],
        [edit("c1", 1, AGENT, ["}"])],
        {},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("texts", "edits", "expected"),
    [c[1:] for c in TRIVIAL_CASES],
    ids=[c[0] for c in TRIVIAL_CASES],
)
def test_trivial_lines_follow_their_hunk(
    texts: list[str], edits: list[AiEdit], expected: dict[int, str]
) -> None:
    files = [CommittedFile("src/app.py", added=lines(1, *texts))]
    assert summary(files, edits) == [{"added": expected, "deleted": {}}]


def test_trivial_lines_only_look_inside_their_hunk() -> None:
    # Line 4 is the first line of a second hunk (line 3 is unchanged context).
    added = [*lines(1, "  run();", "  go();"), *lines(4, "}", "  mine();")]
    files = [CommittedFile("src/app.py", added=added)]
    edits = [edit("c1", 1, AGENT, ["  run();", "  go();"])]
    assert summary(files, edits) == [{"added": {1: "conv-1", 2: "conv-1"}, "deleted": {}}]


def test_trivial_deleted_lines_follow_their_hunk() -> None:
    files = [CommittedFile("src/app.py", deleted=lines(7, *BLOCK))]
    edits = [edit("c1", 1, TAB, deleted=BLOCK[:2])]
    assert summary(files, edits) == [{"added": {}, "deleted": {7: "TAB", 8: "TAB", 9: "TAB"}}]


def test_counts_and_range_annotations_in_the_commit_detail_shape() -> None:
    files = [
        CommittedFile(
            "src/app.py",
            added=[*lines(1, "a = 1", "b = 2", "mine = 3", "c = 4"), *lines(10, "d = 5")],
            deleted=lines(2, "gone = 1"),
        ),
        CommittedFile("README.md", added=lines(1, "hand written")),
        CommittedFile("web/ui.ts", added=lines(5, "let x = 1;", "}")),
    ]
    edits = [
        edit("c1", 3, AGENT, ["a = 1", "b = 2", "d = 5"], ["gone = 1"]),
        edit("c2", 2, AGENT2, ["c = 4"]),
        edit("t1", 1, TAB, ["let x = 1;"], file="web/ui.ts"),
    ]
    result = attribute(files, edits, WINDOW)
    assert dict(result.counts()) == {
        ("cliAgent", "added"): 4,
        ("cliAgent", "deleted"): 1,
        ("pluginNext", "added"): 2,
    }
    assert [dict(f.counts()) for f in result.files] == [
        {("cliAgent", "added"): 4, ("cliAgent", "deleted"): 1},
        {},
        {("pluginNext", "added"): 2},
    ]
    assert result.range_annotations() == [
        {
            "filePath": "src/app.py",
            "groups": [
                {
                    "conversationId": "conv-1",
                    "source": "AGENT",
                    "productType": "cli",
                    "type": "added",
                    "ranges": [{"start": 1, "end": 2}, {"start": 10, "end": 10}],
                },
                {
                    "conversationId": "conv-2",
                    "source": "AGENT",
                    "productType": "cli",
                    "type": "added",
                    "ranges": [{"start": 4, "end": 4}],
                },
                {
                    "conversationId": "conv-1",
                    "source": "AGENT",
                    "productType": "cli",
                    "type": "deleted",
                    "ranges": [{"start": 2, "end": 2}],
                },
            ],
        },
        {
            "filePath": "web/ui.ts",
            "groups": [
                {
                    "conversationId": None,
                    "source": "TAB",
                    "productType": "plugin",
                    "type": "added",
                    "ranges": [{"start": 5, "end": 6}],
                }
            ],
        },
    ]


def test_every_source_and_product_counts_under_its_pair() -> None:
    pairs = {
        ("TAB", "ide"): "ideNext",
        ("TAB", "plugin"): "pluginNext",
        ("AGENT", "ide"): "ideAgent",
        ("AGENT", "plugin"): "pluginAgent",
        ("AGENT", "cli"): "cliAgent",
        ("QUEST", "ide"): "ideQuest",
        ("INLINECHAT", "ide"): "ideInlineChat",
        ("INLINECHAT", "plugin"): "jbInlineChat",
    }
    texts = [f"line_{n} = {n}" for n in range(len(pairs))]
    edits = [
        edit(f"c{n}", 1, Origin(source, product), [texts[n]])
        for n, (source, product) in enumerate(pairs)
    ]
    result = attribute([CommittedFile("src/app.py", added=lines(1, *texts))], edits, WINDOW)
    assert dict(result.counts()) == {(pair, "added"): 1 for pair in pairs.values()}


def test_the_result_does_not_depend_on_the_order_of_the_changes() -> None:
    texts = ["a()", "b()", "a()", "c()", "b()", "a()"]
    files = [CommittedFile("src/app.py", added=lines(1, *texts))]
    same_time = [
        edit("x", 1, AGENT, ["a()", "b()"]),
        edit("y", 1, AGENT2, ["a()", "c()"]),
        edit("z", 2, CHAT, ["a()", "b()"]),
        edit("y", 1, TAB, ["a()"], position=1),
    ]
    expected = summary(files, same_time)
    assert expected == [
        {"added": {1: "TAB", 2: "conv-1", 3: "conv-2", 4: "conv-2", 5: "chat-9", 6: "conv-1"},
         "deleted": {}}
    ]  # fmt: skip
    rng = random.Random(7)
    for _ in range(10):
        shuffled = same_time[:]
        rng.shuffle(shuffled)
        assert summary(files, shuffled) == expected


def test_window_until_extends_to_a_later_instant() -> None:
    rewritten = COMMIT_TS + dt.timedelta(hours=2)
    window = Window.before(COMMIT_TS, 30, until=rewritten)
    later = dataclasses.replace(edit("c1", 0, AGENT, ["a = 1"]), ts=rewritten)
    files = [CommittedFile("src/app.py", added=lines(1, "a = 1"))]
    assert summary(files, [later], window) == [{"added": {1: "conv-1"}, "deleted": {}}]
    assert summary(files, [later]) == [{"added": {}, "deleted": {}}]
    assert Window.before(COMMIT_TS, 30, until=COMMIT_TS - dt.timedelta(days=1)) == WINDOW


def test_normalize_path() -> None:
    assert normalize_path("./src\\a.py") == "src/a.py"
    assert normalize_path("././a.py") == "a.py"


def test_aliases_are_earlier_names_of_the_file() -> None:
    files = [CommittedFile("lib/stats.py", added=lines(1, "a = 1"), aliases=("src/calc.py",))]
    edits = [edit("c1", 1, AGENT, ["a = 1"], file="src/calc.py")]
    assert summary(files, edits) == [{"added": {1: "conv-1"}, "deleted": {}}]
    assert CommittedFile("a.py", "./a.py", aliases=("b.py", "a.py")).names() == ["a.py", "b.py"]
