"""End to end, with merges: a conflicted merge the hook sends, a clean one `aicode attribute`
sends. As in test_end_to_end: real git and hooks, a real server, exact numbers.

Over all branches the branch commits count, and of a merge only the lines it wrote itself
(the conflict resolution); on the primary branch the whole merge counts.
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
from tests.hook.scene import Scene, at, cli_run

STATS = "import math\n\n\ndef mean(values):\n    return sum(values) / len(values)\n"
BANNER = 'def banner(title):\n    rule = "=" * len(title)\n    return rule + title + rule\n'
GUARDED = "    return sum(values) / max(len(values), 1)"
PRECISE = "    return math.fsum(values) / len(values)"
RESOLVED = "    return math.fsum(values) / max(len(values), 1)"
RESOLVER = origin("AGENT", "cli", "resolve-1")


def test_a_merge_counts_its_own_lines_over_all_branches(scene: Scene) -> None:
    # 1. main: a hand-written file. feature: Claude Code writes banner.py (AI 1-3) and the
    # developer guards mean's division by hand. main makes mean precise by hand.
    scene.write("src/stats.py", STATS)
    scene.clock("09:00")
    scene.commit("stats")
    scene.git("checkout", "-q", "-b", "feature")
    scene.claude_write("src/banner.py", BANNER)
    scene.clock("10:00")
    scene.commit("banner")
    scene.write("src/stats.py", STATS.replace("    return sum(values) / len(values)", GUARDED))
    scene.clock("10:10")
    scene.commit("guard")
    scene.git("checkout", "-q", "main")
    scene.write("src/stats.py", STATS.replace("    return sum(values) / len(values)", PRECISE))
    scene.clock("10:20")
    scene.commit("precise")
    scene.settle()
    before = expected_totals(4, (10, 2), {"cliAgent": (3, 0)})
    assert scene.totals() == before

    # 2. Merging feature conflicts on mean's return line; an agent resolves it (one line of
    # the merge's own, which no parent has) and `git commit` concludes the merge: the hook
    # sends it diffed against main, banner.py included.
    scene.clock("10:25")
    assert "CONFLICT (content): Merge conflict in src/stats.py" in scene.git_fails(
        "merge", "feature"
    )
    text = scene.read_file("src/stats.py")
    start, end = text.index("<<<<<<<"), text.index(">>>>>>>")
    scene.write("src/stats.py", text[:start] + RESOLVED + text[text.index("\n", end) :])
    scene.post_change(
        "resolve-1", at("10:27"), "src/stats.py", added=[RESOLVED], deleted=[PRECISE],
        conversation="resolve-1",
    )  # fmt: skip
    scene.clock("10:30")
    merge = scene.commit("Merge branch 'feature'")
    scene.settle()
    assert scene.detail(merge) == expected_commit(
        "main", "10:30", (4, 1), {"cliAgent": (4, 1)},
        [
            annotation("src/banner.py", group(CLAUDE, "added", (1, 3))),
            line_replaced("src/stats.py", RESOLVER, 5),
        ],
    )  # fmt: skip
    # Over all branches: the four commits and the resolution line (its deletion of main's
    # line is not the merge's own: main's line is not in feature).
    assert scene.totals() == expected_totals(5, (11, 2), {"cliAgent": (4, 0)})
    # On main: its two commits and the whole merge.
    assert scene.totals(primary_branch_only=True) == expected_totals(
        3, (10, 2), {"cliAgent": (4, 1)}
    )

    # 3. A topic branch with Claude Code's ping(), merged without a conflict: `git merge`
    # runs no post-commit, `aicode attribute` sends the merge. It wrote nothing itself.
    scene.git("checkout", "-q", "-b", "topic")
    scene.claude_write("src/ping.py", 'def ping():\n    return "pong"\n')
    scene.clock("10:40")
    scene.commit("ping")
    scene.settle()
    scene.git("checkout", "-q", "main")
    scene.clock("10:50")
    scene.git("merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic")
    root = str(scene.repo.root)
    sent = "1 commit(s) sent: 1 stored, 0 already known, 0 refused\n"
    assert cli_run("attribute", "--repo", root, "--branch", "main", "HEAD") == sent
    assert scene.detail(scene.head()) == expected_commit(
        "main", "10:50", (2, 0), {"cliAgent": (2, 0)},
        [annotation("src/ping.py", group(CLAUDE, "added", (1, 2)))],
    )  # fmt: skip
    assert scene.totals() == expected_totals(7, (13, 2), {"cliAgent": (6, 0)})
    assert scene.totals(primary_branch_only=True) == expected_totals(
        4, (12, 2), {"cliAgent": (6, 1)}
    )
