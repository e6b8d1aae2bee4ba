"""End to end, on one branch: AI edits, hand edits, a moved function, a rename, an amend.

Real git, the real git hook (``aicode hook install``), the real Claude Code hook fed recorded
PostToolUse inputs, other tools' changes posted to /api/v1/ingest, and a real server. After
every step the hooks' deliveries are awaited and the server's commit detail (counts per source,
ranges) and overview totals are compared with what the step must give, exactly.

Commits are made at fixed scene times on ``DAY`` (see scene.py); agent edits happen now,
before them.
"""

from __future__ import annotations

from tests.hook.expected import (
    CLAUDE,
    annotation,
    expected_commit,
    expected_totals,
    group,
    line_replaced,
    origin,
)
from tests.hook.scene import Scene, at

STATS = "import math\n\n\ndef mean(values):\n    return sum(values) / len(values)\n"
REPORT = (
    "from src.stats import mean\n"
    "\n"
    "\n"
    "def report(values):\n"
    "    avg = mean(values)\n"
    '    return f"mean={avg:.2f}"\n'
    "\n"
    "\n"
    "def header():\n"
    '    return "report"\n'
)
MOVED = 'def report(values):\n    avg = mean(values)\n    return f"mean={avg:.2f}"\n'
MEDIAN = (
    "\n\ndef median(values):\n    ordered = sorted(values)\n    return ordered[len(ordered) // 2]\n"
)
TAB = origin("TAB", "ide")
INLINE = origin("INLINECHAT", "ide", "inline-1")
CURSOR_AGENT = origin("AGENT", "ide", "cursor-chat-1")


def test_ai_and_human_lines_through_edits_moves_renames_and_an_amend(scene: Scene) -> None:
    # 1. The developer writes the first file by hand.
    scene.write("src/stats.py", STATS)
    scene.clock("09:00")
    c1 = scene.commit("stats: mean")
    scene.settle()
    assert scene.detail(c1) == expected_commit("main", "09:00", (5, 0), {}, [])
    assert scene.totals() == expected_totals(1, (5, 0), {})

    # 2. Claude Code writes report.py (10 lines) and adds a guard to mean (2 lines). The
    # developer changes an AI line (header's return: now human) and adds footer by hand,
    # its return line from a Tab completion. report.py: AI 1-9 (blank 2-3, 7-8 between AI
    # lines), human 10-13 (blank 11-12 after a human line), Tab 14; stats.py: AI 5-6.
    scene.claude_write("src/report.py", REPORT)
    scene.claude_edit(
        "src/stats.py",
        "    return sum(values) / len(values)",
        "    if not values:\n        return 0.0\n    return sum(values) / len(values)",
    )
    scene.write(
        "src/report.py",
        REPORT.replace('"report"', '"REPORT"') + '\n\ndef footer():\n    return "end"\n',
    )
    scene.post_change(
        "tab-1", at("09:05"), "src/report.py", added=['    return "end"'], source="TAB",
        product_type="ide",
    )  # fmt: skip
    scene.clock("09:10")
    c2 = scene.commit("report")
    scene.settle()
    assert scene.detail(c2) == expected_commit(
        "main",
        "09:10",
        (16, 0),
        {"ideNext": (1, 0), "cliAgent": (11, 0)},
        [
            annotation(
                "src/report.py", group(CLAUDE, "added", (1, 9)), group(TAB, "added", (14, 14))
            ),
            annotation("src/stats.py", group(CLAUDE, "added", (5, 6))),
        ],
    )
    assert scene.totals() == expected_totals(2, (21, 0), {"ideNext": (1, 0), "cliAgent": (11, 0)})

    # 3. The developer moves report() to the end of the file and adds median() by hand. git
    # shows the move as old lines 4-8 deleted (a person's deletion) and new lines 10-14
    # added: the AI's lines again (its change is in the window), blank 10-11 opening the
    # hunk before them.
    text = scene.read_file("src/report.py").replace(MOVED + "\n\n", "") + "\n\n" + MOVED
    scene.write("src/report.py", text)
    scene.write("src/stats.py", scene.read_file("src/stats.py") + MEDIAN)
    scene.clock("09:20")
    c3 = scene.commit("move report, add median")
    scene.settle()
    moved = annotation("src/report.py", group(CLAUDE, "added", (10, 14)))
    assert scene.detail(c3) == expected_commit(
        "main", "09:20", (10, 5), {"cliAgent": (5, 0)}, [moved]
    )
    # An inline chat had written median's second line; the IDE reports it only now, after
    # the commit: the commit is attributed again (line 11 of stats.py).
    scene.post_change(
        "inline-1", at("09:15"), "src/stats.py", added=["    ordered = sorted(values)"],
        source="INLINECHAT", product_type="ide", conversation="inline-1",
    )  # fmt: skip
    assert scene.detail(c3) == expected_commit(
        "main",
        "09:20",
        (10, 5),
        {"cliAgent": (5, 0), "ideInlineChat": (1, 0)},
        [moved, annotation("src/stats.py", group(INLINE, "added", (11, 11)))],
    )
    after_3 = {"ideNext": (1, 0), "cliAgent": (16, 0), "ideInlineChat": (1, 0)}
    assert scene.totals() == expected_totals(3, (31, 5), after_3)

    # 4. Claude Code changes footer's return (the Tab's line) in report.py, then the
    # developer renames the file: the change names the old path, the commit the new one.
    scene.claude_edit("src/report.py", '    return "end"', '    return "the end"')
    scene.git("mv", "src/report.py", "src/summary.py")
    scene.clock("09:30")
    c4 = scene.commit("rename report to summary")
    scene.settle()
    assert scene.detail(c4) == expected_commit(
        "main",
        "09:30",
        (1, 1),
        {"cliAgent": (1, 1)},
        [line_replaced("src/summary.py", CLAUDE, 9)],
    )
    after_4 = {"ideNext": (1, 0), "cliAgent": (17, 1), "ideInlineChat": (1, 0)}
    assert scene.totals() == expected_totals(4, (32, 6), after_4)

    # 5. A hand-written commit, then Cursor's agent adds a docstring after it (09:45) and the
    # developer amends (09:50). The amended commit keeps the author time 09:40: its
    # committer time lets the 09:45 change match. The old commit stops counting.
    scene.write(
        "src/util.py", "def clamp(value, low, high):\n    return max(low, min(value, high))\n"
    )
    scene.clock("09:40")
    c5 = scene.commit("clamp")
    scene.settle()
    assert scene.detail(c5) == expected_commit("main", "09:40", (2, 0), {}, [])
    assert scene.totals() == expected_totals(5, (34, 6), after_4)
    docstring = '    """Keep value within [low, high]."""'
    scene.write("src/util.py", scene.read_file("src/util.py").replace(":\n", f":\n{docstring}\n"))
    scene.post_change(
        "cursor-1", at("09:45"), "src/util.py", added=[docstring], product_type="ide",
        conversation="cursor-chat-1",
    )  # fmt: skip
    scene.clock("09:50")
    scene.git("commit", "-q", "-a", "--amend", "--no-edit", hooks=2)  # post-commit, post-rewrite
    amended = scene.head()
    scene.settle()
    assert scene.detail(c5) == expected_commit("main", "09:40", (2, 0), {}, [], replaced_by=amended)
    assert scene.detail(amended) == expected_commit(
        "main",
        "09:40",
        (3, 0),
        {"ideAgent": (1, 0)},
        [annotation("src/util.py", group(CURSOR_AGENT, "added", (2, 2)))],
    )
    after_5 = {"ideNext": (1, 0), "ideAgent": (1, 0), "cliAgent": (17, 1), "ideInlineChat": (1, 0)}
    assert scene.totals() == expected_totals(5, (35, 6), after_5)
    assert scene.totals(primary_branch_only=True) == scene.totals()
