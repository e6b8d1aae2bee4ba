"""Server-side attribution end to end: POST /api/v1/ingest, then commit detail and totals.

One developer's week: agents and tab completion write code, the developer edits some AI lines,
adds their own, moves a function while renaming the file, amends, commits while an agent hook
is still spooling, rebases, squashes and cherry-picks. At each step the commit detail and the
organization's totals are exact, and nothing is counted twice.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.attribution.facts import change, commit, file, group, rewrite, ts
from tests.conftest import Tenant

FUNCTION = [
    "def total(items):",
    "    result = 0",
    "    for item in items:",
    "        result += item",
    "    return result",
]
EDITED = "    result: int = 0"  # the developer's version of FUNCTION[1]
AVERAGE = ["def average(items):", "    return total(items) / len(items)"]
DOC = '    """Arithmetic mean."""'
MEDIAN = ["def median(items):", "    return sorted(items)[len(items) // 2]"]
MODE = ["def mode(items):", "    return max(set(items), key=items.count)"]

TAB = change(
    "tab-1", ts(2, 9), "src/calc.py", ["import math"], source="TAB", product="ide",
    conversation=None, model="",
)  # fmt: skip
CLAUDE_1 = change(
    "cc-1", ts(2, 10), "src/calc.py", [*FUNCTION, "", *AVERAGE], conversation="claude-1"
)
CLAUDE_2 = change("cc-2", ts(3, 11), "src/stats.py", [DOC], conversation="claude-2")
CLAUDE_3 = change("cc-3", ts(4, 14), "src/stats.py", MODE, conversation="claude-3")

CALC = ["import math", "", FUNCTION[0], EDITED, *FUNCTION[2:], "", *AVERAGE, "", *MEDIAN]
README = file("README.md", added=[(1, ["Statistics helpers"])])
C1_FILES = [file("src/calc.py", added=[(1, CALC)]), README]
# Moves average() above total() and renames calc.py to stats.py.
C2_FILES = [
    file(
        "src/stats.py",
        added=[(3, [*AVERAGE, ""])],
        deleted=[(8, ["", *AVERAGE])],
        old_path="src/calc.py",
    )
]
# The same, amended with the docstring the agent wrote after the first commit.
C2A_FILES = [
    file(
        "src/stats.py",
        added=[(3, [AVERAGE[0], DOC, AVERAGE[1], ""])],
        deleted=[(8, ["", *AVERAGE])],
        old_path="src/calc.py",
    )
]
C3_FILES = [file("src/stats.py", added=[(15, ["", *MODE])])]
STATS = [
    "import math", "", AVERAGE[0], DOC, AVERAGE[1], "", FUNCTION[0], EDITED, *FUNCTION[2:], "",
    *MEDIAN, "", *MODE,
]  # fmt: skip
SQUASH_FILES = [file("src/stats.py", added=[(1, STATS)]), README]

C1_GROUPS = [
    group([(1, 2)], conversation=None, source="TAB", product="ide"),
    group([(3, 3), (5, 10)], conversation="claude-1"),
]
C2A_GROUPS = [
    group([(3, 3), (5, 6)], conversation="claude-1"),
    group([(4, 4)], conversation="claude-2"),
]
C3_GROUPS = [group([(15, 17)], conversation="claude-3")]
SQUASH_GROUPS = [
    group([(1, 2)], conversation=None, source="TAB", product="ide"),
    group([(3, 3), (5, 7), (9, 11)], conversation="claude-1"),
    group([(4, 4)], conversation="claude-2"),
    group([(16, 17)], conversation="claude-3"),
]

ALL_PAIRS = (
    "ideNext", "pluginNext", "ideAgent", "pluginAgent", "cliAgent", "ideQuest", "ideInlineChat",
    "jbInlineChat",
)  # fmt: skip


def post(client: TestClient, tenant: Tenant, *facts: dict[str, Any]) -> dict[str, Any]:
    answer = client.post("/api/v1/ingest", json=list(facts), headers=tenant.headers("ingest"))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert body["rejected"] == []
    return body


def detail(client: TestClient, tenant: Tenant, commit_hash: str) -> dict[str, Any]:
    answer = client.get(
        f"/api/v1/organizations/{tenant.org.id}/commits/{commit_hash}", headers=tenant.headers()
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def attribution(client: TestClient, tenant: Tenant, commit_hash: str) -> dict[str, Any]:
    """What a commit's detail says about attribution, with the non-zero sources only."""
    body = detail(client, tenant, commit_hash)
    return {
        "lines": (body["linesAdded"], body["linesDeleted"]),
        "ai": (body["aiLinesAdded"], body["aiLinesDeleted"]),
        "bySource": {p: v for p, v in body["bySource"].items() if v != {"added": 0, "deleted": 0}},
        "rangeAnnotations": body["rangeAnnotations"],
        "origin": body["attributionOrigin"],
        "replacedBy": body["replacedBy"],
    }


def totals(client: TestClient, tenant: Tenant, extra: str = "") -> tuple[int, int, int, int]:
    """(commits, lines added, lines deleted, AI lines added) of June 2025."""
    answer = client.get(
        f"/api/v1/organizations/{tenant.org.id}/overview?start=2025-06-01&end=2025-06-30{extra}",
        headers=tenant.headers(),
    )
    assert answer.status_code == 200, answer.text
    c = answer.json()["committed"]
    return c["commits"], c["linesAdded"], c["linesDeleted"], c["aiLinesAdded"]


def listed(client: TestClient, tenant: Tenant) -> list[str]:
    answer = client.get(
        f"/api/v1/organizations/{tenant.org.id}/commits?start=2025-06-01&end=2025-06-30",
        headers=tenant.headers(),
    )
    return [c["commitHash"] for c in answer.json()["items"]]


def annotated(path: str, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"filePath": path, "groups": groups}]


def cli_agent(added: int, deleted: int = 0) -> dict[str, dict[str, int]]:
    return {"cliAgent": {"added": added, "deleted": deleted}}


def test_a_developers_week(client: TestClient, tenant: Tenant) -> None:
    # AI edits, then a commit where the developer edited one AI line and added their own.
    post(client, tenant, TAB, CLAUDE_1)
    post(client, tenant, commit("c1c1c1c1", ts(2, 12), C1_FILES))
    assert attribution(client, tenant, "c1c1c1c1") == {
        "lines": (14, 0),
        "ai": (9, 0),
        "bySource": {"ideNext": {"added": 2, "deleted": 0}, **cli_agent(7)},
        "rangeAnnotations": annotated("src/calc.py", C1_GROUPS),
        "origin": "server",
        "replacedBy": None,
    }
    assert detail(client, tenant, "c1c1c1c1")["aiShareRate"] == 64.29
    assert totals(client, tenant) == (1, 14, 0, 9)

    # The developer moves average() above total() and renames the file: the moved lines
    # are still the agent's (same content, renamed file followed); deleting is theirs.
    post(client, tenant, commit("c2c2c2c2", ts(3, 10), C2_FILES, parents=["c1c1c1c1"]))
    assert attribution(client, tenant, "c2c2c2c2") == {
        "lines": (3, 3),
        "ai": (3, 0),
        "bySource": cli_agent(3),
        "rangeAnnotations": annotated("src/stats.py", [group([(3, 5)], conversation="claude-1")]),
        "origin": "server",
        "replacedBy": None,
    }
    assert totals(client, tenant) == (2, 17, 3, 12)

    # An agent adds a docstring; the developer amends. The amended commit keeps the author
    # time, so the docstring matches only once the post-rewrite mapping says when it was made.
    post(client, tenant, CLAUDE_2)
    post(client, tenant, commit("c2a2c2a2", ts(3, 10), C2A_FILES, parents=["c1c1c1c1"]))
    assert attribution(client, tenant, "c2a2c2a2")["ai"] == (3, 0)
    assert totals(client, tenant) == (3, 21, 6, 15)
    amend = rewrite(ts(3, 11, 5), "amend", [("c2c2c2c2", "c2a2c2a2")])
    post(client, tenant, amend)
    assert attribution(client, tenant, "c2a2c2a2") == {
        "lines": (4, 3),
        "ai": (4, 0),
        "bySource": cli_agent(4),
        "rangeAnnotations": annotated("src/stats.py", C2A_GROUPS),
        "origin": "server",
        "replacedBy": None,
    }
    assert attribution(client, tenant, "c2c2c2c2")["replacedBy"] == "c2a2c2a2"
    assert totals(client, tenant) == (2, 18, 3, 13)
    assert listed(client, tenant) == ["c2a2c2a2", "c1c1c1c1"]

    # A commit whose agent edit is still in the hook's spool: human until the change arrives.
    post(client, tenant, commit("c3c3c3c3", ts(4, 15), C3_FILES, parents=["c2a2c2a2"]))
    assert attribution(client, tenant, "c3c3c3c3")["ai"] == (0, 0)
    assert totals(client, tenant) == (3, 21, 3, 13)
    post(client, tenant, CLAUDE_3)
    assert attribution(client, tenant, "c3c3c3c3") == {
        "lines": (3, 0),
        "ai": (3, 0),
        "bySource": cli_agent(3),
        "rangeAnnotations": annotated("src/stats.py", C3_GROUPS),
        "origin": "server",
        "replacedBy": None,
    }
    assert totals(client, tenant) == (3, 21, 3, 16)

    # Rebase onto a new main: same lines, new hashes, then the mapping.
    rebase = rewrite(
        ts(5, 9),
        "rebase",
        [("c1c1c1c1", "b1b1b1b1"), ("c2a2c2a2", "b2b2b2b2"), ("c3c3c3c3", "b3b3b3b3")],
    )
    rebased = [
        commit("b1b1b1b1", ts(2, 12), C1_FILES, parents=["ba5e"]),
        commit("b2b2b2b2", ts(3, 10), C2A_FILES, parents=["b1b1b1b1"]),
        commit("b3b3b3b3", ts(4, 15), C3_FILES, parents=["b2b2b2b2"]),
    ]
    post(client, tenant, *rebased)
    assert totals(client, tenant) == (6, 42, 6, 31)
    post(client, tenant, rebase)
    for old, new in (("c1c1c1c1", "b1b1b1b1"), ("c2a2c2a2", "b2b2b2b2"), ("c3c3c3c3", "b3b3b3b3")):
        before = attribution(client, tenant, old)
        assert before.pop("replacedBy") == new
        after = attribution(client, tenant, new)
        assert after.pop("replacedBy") is None
        assert after == before
    assert totals(client, tenant) == (3, 21, 3, 16)

    # Squash the branch into one commit (rebase -i keeps the first author time): stats.py is
    # a new file there, whose lines the agents wrote under its old name too.
    post(client, tenant, commit("5a5a5a5a", ts(2, 12), SQUASH_FILES, parents=["ba5e"]))
    assert attribution(client, tenant, "5a5a5a5a")["ai"] == (9, 0)
    assert totals(client, tenant) == (4, 39, 3, 25)
    squash = rewrite(
        ts(5, 10),
        "rebase",
        [("b1b1b1b1", "5a5a5a5a"), ("b2b2b2b2", "5a5a5a5a"), ("b3b3b3b3", "5a5a5a5a")],
    )
    post(client, tenant, squash)
    squashed = {
        "lines": (18, 0),
        "ai": (12, 0),
        "bySource": {"ideNext": {"added": 2, "deleted": 0}, **cli_agent(10)},
        "rangeAnnotations": annotated("src/stats.py", SQUASH_GROUPS),
        "origin": "server",
        "replacedBy": None,
    }
    assert attribution(client, tenant, "5a5a5a5a") == squashed
    assert totals(client, tenant) == (1, 18, 0, 12)
    assert listed(client, tenant) == ["5a5a5a5a"]

    # Cherry-pick onto a release branch: a commit of its own, with the same attribution; the
    # primary-branch view counts the lines once.
    picked = commit(
        "9c9c9c9c", ts(2, 12), SQUASH_FILES, branch="release", primary=False, parents=["e1e1"]
    )
    post(client, tenant, picked | {"committedAt": ts(6, 9)})
    assert attribution(client, tenant, "9c9c9c9c") == squashed
    assert totals(client, tenant) == (2, 36, 0, 24)
    assert totals(client, tenant, "&primaryBranchOnly=true") == (1, 18, 0, 12)

    # Everything again (a client resending its spool): nothing moves.
    everything = [
        TAB, CLAUDE_1, CLAUDE_2, CLAUDE_3,
        commit("c1c1c1c1", ts(2, 12), C1_FILES),
        commit("c2c2c2c2", ts(3, 10), C2_FILES),
        commit("c2a2c2a2", ts(3, 10), C2A_FILES),
        commit("c3c3c3c3", ts(4, 15), C3_FILES),
        *rebased,
        commit("5a5a5a5a", ts(2, 12), SQUASH_FILES),
        picked,
        amend, rebase, squash,
    ]  # fmt: skip
    assert post(client, tenant, *everything) == {
        "accepted": 0,
        "duplicates": len(everything),
        "rejected": [],
    }
    assert totals(client, tenant) == (2, 36, 0, 24)
    body = detail(client, tenant, "5a5a5a5a")
    assert body["bySource"] == {
        p: {"added": {"ideNext": 2, "cliAgent": 10}.get(p, 0), "deleted": 0} for p in ALL_PAIRS
    }
