"""End to end, across branches: rebase, fixup, squashes, cherry-pick and a host's squash merge.

As in test_end_to_end: real git and hooks, a real server, exact numbers after every step. A
rewritten commit must stop counting as soon as the commit that replaces it counts, so the
totals only change by what a step really adds.
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
TOTAL = "\n\ndef total(values):\n    return sum(values)\n"
RESOLVED = "    return math.fsum(values) / max(len(values), 1)"
RESOLVER = origin("AGENT", "cli", "resolve-1")
GUARD = "max(len(values), 1)"
GUARDER = origin("AGENT", "cli", "guard-1")


def test_rewritten_history_is_counted_once(scene: Scene) -> None:
    # 1. main: a hand-written file. feature: Claude Code writes banner.py (AI 1-3), then the
    # developer adds total() to stats.py by hand. main moves on (docs.md).
    scene.write("src/stats.py", STATS)
    scene.clock("09:00")
    scene.commit("stats")
    scene.git("checkout", "-q", "-b", "feature")
    scene.claude_write("src/banner.py", BANNER)
    scene.clock("10:00")
    f1 = scene.commit("banner")
    scene.write("src/stats.py", STATS + TOTAL)
    scene.clock("10:10")
    f2 = scene.commit("total")
    scene.git("checkout", "-q", "main")
    scene.write("docs.md", "# app\n")
    scene.clock("10:20")
    scene.commit("docs")
    scene.settle()
    banner = expected_commit(
        "feature", "10:00", (3, 0), {"cliAgent": (3, 0)},
        [annotation("src/banner.py", group(CLAUDE, "added", (1, 3)))],
    )  # fmt: skip
    total = expected_commit("feature", "10:10", (4, 0), {}, [])
    assert (scene.detail(f1), scene.detail(f2)) == (banner, total)
    before_rebase = expected_totals(4, (13, 0), {"cliAgent": (3, 0)})
    assert scene.totals() == before_rebase

    # 2. Rebase feature onto main: new commits with the old author times and the same
    # attribution; the old ones are replaced, the totals do not move.
    scene.git("checkout", "-q", "feature")
    scene.clock("10:30")
    scene.git("rebase", "-q", "main", hooks=1)  # post-rewrite: the new commits and the mapping
    scene.settle()
    f1b, f2b = scene.head("HEAD~1"), scene.head()
    assert scene.detail(f1) == banner | {"replacedBy": f1b}
    assert scene.detail(f2) == total | {"replacedBy": f2b}
    assert (scene.detail(f1b), scene.detail(f2b)) == (banner, total)
    assert scene.totals() == before_rebase

    # 3. The developer fixes an AI line by hand in a fixup commit and folds it in with an
    # interactive rebase: banner's rule line is now human (AI 1 and 3 only).
    scene.write("src/banner.py", BANNER.replace('"="', '"-"'))
    scene.clock("10:35")
    fixup = scene.commit(f"fixup! {scene.repo.git('log', '-1', '--format=%s', f1b).strip()}")
    scene.settle()
    assert scene.detail(fixup) == expected_commit("feature", "10:35", (1, 1), {}, [])
    assert scene.totals() == expected_totals(5, (14, 1), {"cliAgent": (3, 0)})
    scene.repo.env["GIT_SEQUENCE_EDITOR"] = "true"  # accept the autosquash plan
    scene.clock("10:37")
    scene.git("rebase", "-q", "-i", "--autosquash", "main", hooks=1)
    scene.settle()
    f1c, f2c = scene.head("HEAD~1"), scene.head()
    fixed = expected_commit(
        "feature", "10:00", (3, 0), {"cliAgent": (2, 0)},
        [annotation("src/banner.py", group(CLAUDE, "added", (1, 1), (3, 3)))],
    )  # fmt: skip
    assert scene.detail(f1b)["replacedBy"] == scene.detail(fixup)["replacedBy"] == f1c
    assert scene.detail(f2b)["replacedBy"] == f2c
    assert (scene.detail(f1c), scene.detail(f2c)) == (fixed, total)
    assert scene.totals() == expected_totals(4, (13, 0), {"cliAgent": (2, 0)})

    # 4. Squash the branch by hand: git reset --soft main, git commit. git reports no
    # rewrite; the hook reads the reset from the branch's reflog.
    scene.git("reset", "-q", "--soft", "main")
    scene.clock("10:40")
    squashed = scene.commit("banner and total")
    scene.settle()
    squash = expected_commit(
        "feature", "10:40", (7, 0), {"cliAgent": (2, 0)},
        [annotation("src/banner.py", group(CLAUDE, "added", (1, 1), (3, 3)))],
    )  # fmt: skip
    assert scene.detail(squashed) == squash
    assert scene.detail(f1c)["replacedBy"] == scene.detail(f2c)["replacedBy"] == squashed
    assert scene.totals() == expected_totals(3, (13, 0), {"cliAgent": (2, 0)})

    # 5. Squash-merge feature into main: a commit of its own on the primary branch (git has
    # no mapping for it), counted again next to the branch's; primaryBranchOnly counts once.
    scene.git("checkout", "-q", "main")
    scene.git("merge", "-q", "--squash", "feature")
    scene.clock("10:50")
    merged = scene.commit("feature (squashed)")
    scene.settle()
    assert scene.detail(merged) == squash | {"branch": "main", "isPrimaryBranch": True} | {
        "commitTs": at("10:50")
    }
    assert scene.totals() == expected_totals(4, (20, 0), {"cliAgent": (4, 0)})
    assert scene.totals(primary_branch_only=True) == expected_totals(
        3, (13, 0), {"cliAgent": (2, 0)}
    )

    # 6. A release branch changes mean's return by hand (11:00); then on main an agent
    # changes the same line (11:05; posted: the agent hook's clock says today). Cherry-
    # picking main's commit onto release conflicts; an agent resolves it at 11:25 and the
    # pick completes at 11:30, keeping the picked commit's author time, 11:10.
    scene.git("checkout", "-q", "-b", "release")
    scene.write("src/stats.py", scene.read_file("src/stats.py").replace("sum(", "math.fsum(", 1))
    scene.clock("11:00")
    human = scene.commit("fsum")
    scene.git("checkout", "-q", "main")
    scene.write("src/stats.py", scene.read_file("src/stats.py").replace("len(values)", GUARD))
    scene.post_change(
        "guard-1", at("11:05"), "src/stats.py", added=[f"    return sum(values) / {GUARD}"],
        deleted=["    return sum(values) / len(values)"], conversation="guard-1",
    )  # fmt: skip
    scene.clock("11:10")
    guard = scene.commit("guard")
    scene.settle()
    assert scene.detail(human) == expected_commit("release", "11:00", (1, 1), {}, [])
    assert scene.detail(guard) == expected_commit(
        "main", "11:10", (1, 1), {"cliAgent": (1, 1)},
        [line_replaced("src/stats.py", GUARDER, 5)],
    )  # fmt: skip
    scene.git("checkout", "-q", "release")
    scene.clock("11:20")
    assert "CONFLICT (content): Merge conflict in src/stats.py" in scene.git_fails(
        "cherry-pick", guard
    )
    text = scene.read_file("src/stats.py")
    start, end = text.index("<<<<<<<"), text.index(">>>>>>>")
    scene.write("src/stats.py", text[:start] + RESOLVED + text[text.index("\n", end) :])
    scene.post_change(
        "resolve-1", at("11:25"), "src/stats.py", added=[RESOLVED],
        deleted=["    return math.fsum(values) / len(values)"], conversation="resolve-1",
    )  # fmt: skip
    scene.git("add", "src/stats.py")
    scene.repo.env["GIT_EDITOR"] = "true"
    scene.clock("11:30")
    scene.git("cherry-pick", "--continue", hooks=1)
    picked = scene.head()
    scene.settle()
    assert scene.detail(picked) == expected_commit(
        "release", "11:10", (1, 1), {"cliAgent": (1, 1)},
        [line_replaced("src/stats.py", RESOLVER, 5)],
    )  # fmt: skip
    assert scene.totals() == expected_totals(7, (23, 3), {"cliAgent": (6, 2)})

    # 7. A topic branch with Claude Code's ping(), squash-merged on the git host: no hook saw
    # that commit. `aicode attribute` sends it (in CI, or by hand); sent again it is known.
    scene.git("checkout", "-q", "-b", "topic", "main")
    scene.claude_write("src/host.py", 'def ping():\n    return "pong"\n')
    scene.clock("11:40")
    topic = scene.commit("ping")
    scene.settle()
    scene.git("push", "-q", "origin", "main", "topic")
    scene.on_host(
        "host", "11:50",
        ("merge", "-q", "--squash", "origin/topic"),
        ("commit", "-q", "-m", "ping (#1)"),
        ("push", "-q", "origin", "main"),
    )  # fmt: skip
    scene.git("fetch", "-q", "origin")
    on_host = scene.head("origin/main")
    range_ = f"{guard}..origin/main"
    root = str(scene.repo.root)
    sent = "1 commit(s) sent: 1 stored, 0 already known, 0 refused\n"
    assert cli_run("attribute", "--repo", root, "--branch", "main", range_) == sent
    again = "1 commit(s) sent: 0 stored, 1 already known, 0 refused\n"
    assert cli_run("attribute", "--repo", root, "--branch", "main", range_) == again
    ping = [annotation("src/host.py", group(CLAUDE, "added", (1, 2)))]
    assert scene.detail(topic) == expected_commit(
        "topic", "11:40", (2, 0), {"cliAgent": (2, 0)}, ping
    )
    assert scene.detail(on_host) == expected_commit(
        "main", "11:50", (2, 0), {"cliAgent": (2, 0)}, ping
    )
    assert scene.totals() == expected_totals(9, (27, 3), {"cliAgent": (10, 2)})
    assert scene.totals(primary_branch_only=True) == expected_totals(
        5, (16, 1), {"cliAgent": (5, 1)}
    )
