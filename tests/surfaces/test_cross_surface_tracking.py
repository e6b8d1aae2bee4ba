"""On one demo organization, the Cursor and Qoder tracking lists report the same commits and
changes with the same numbers, and Qoder's committed-line metrics equal Cursor's commit sums
per day, repository and person: both come from the same metrics functions.

Defined differently on purpose (docs/<vendor>.md): Cursor's change `createdAt` is when the
server received it, so its changes are dated by Qoder's; Cursor clamps `nonAiLinesAdded` per
commit, Qoder `otherLinesAdded` per day.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from aicode.demo import DemoResult
from aicode.model.attribution import ATTRIBUTION_PAIRS, COMPOSER_PAIRS, TAB_PAIRS
from tests.surfaces.cross_support import (
    DAYS,
    by_day,
    cursor_items,
    nonzero_and_equal,
    pair_sum,
    qoder,
    qoder_days,
    qoder_items,
)

pytest_plugins = ["tests.surfaces.cursor_fixtures", "tests.surfaces.cross_fixtures"]


def test_commits_agree_between_cursor_and_qoder(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    cursor = {
        (c["repoName"], c["commitHash"]): c for c in cursor_items(cursor_client, demo, "commits")
    }
    qoder = {
        (c["repoName"], c["commitHash"]): c for c in qoder_items(cursor_client, demo, "commits")
    }
    assert len(cursor) > 100
    assert cursor.keys() == qoder.keys()
    ai_lines = 0
    for key, mine in cursor.items():
        theirs = qoder[key]
        for kind in ("Added", "Deleted"):
            assert mine[f"totalLines{kind}"] == theirs[f"totalLines{kind}"]
            assert mine[f"tabLines{kind}"] == pair_sum(theirs, TAB_PAIRS, kind)
            assert mine[f"composerLines{kind}"] == pair_sum(theirs, COMPOSER_PAIRS, kind)
            assert mine[f"nonAiLines{kind}"] == theirs[f"nonAiLines{kind}"]
        ai_lines += pair_sum(theirs, ATTRIBUTION_PAIRS, "Added")
    assert ai_lines > 0


def test_cursor_changes_are_qoders_accepted_changes_with_the_same_numbers(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    cursor = {c["changeId"]: c for c in cursor_items(cursor_client, demo, "changes")}
    qoder = {c["changeId"]: c for c in qoder_items(cursor_client, demo, "changes")}
    # Cursor lists accepted AI changes; Qoder every suggested one.
    assert len(cursor) > 100
    assert cursor.keys() < qoder.keys()
    for change_id, mine in cursor.items():
        theirs = qoder[change_id]
        assert mine["userEmail"] == theirs["userEmail"]
        assert (mine["totalLinesAdded"], mine["totalLinesDeleted"]) == (
            theirs["totalLinesAdded"],
            theirs["totalLinesDeleted"],
        )
        assert (mine["source"] == "TAB") == (theirs["source"] == "NEXT")


def test_committed_lines_agree_between_qoder_and_cursor(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    commits = cursor_items(cursor_client, demo, "commits")
    overview = qoder(cursor_client, demo, "stats/overview")

    def edited(kind: str) -> int:
        return sum(c[f"{kind}LinesAdded"] + c[f"{kind}LinesDeleted"] for c in commits)

    assert overview["committedTotalLinesEdit"] == edited("total") > 0
    assert overview["committedAiLinesEdit"] == edited("tab") + edited("composer") > 0
    trend = qoder(cursor_client, demo, "stats/daily-trend")["items"]
    for c in commits:
        c["aiLinesAdded"] = c["tabLinesAdded"] + c["composerLinesAdded"]
        c["commitCount"] = 1

    def commit_day(item: dict[str, Any]) -> str:
        return str(item["commitTs"])[:10]

    nonzero_and_equal(qoder_days(trend, "commitCount"), by_day(commits, commit_day, "commitCount"))
    nonzero_and_equal(
        qoder_days(trend, "aiLinesAdded"), by_day(commits, commit_day, "aiLinesAdded")
    )
    added = by_day(commits, commit_day, "totalLinesAdded")
    ai_added = by_day(commits, commit_day, "aiLinesAdded")
    nonzero_and_equal(
        qoder_days(trend, "otherLinesAdded"),
        {day: max(0, added[day] - ai_added[day]) for day in DAYS},
    )


def test_committed_lines_per_repository_and_person_agree_between_qoder_and_cursor(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    commits = cursor_items(cursor_client, demo, "commits")
    for c in commits:
        c["aiLinesAdded"] = c["tabLinesAdded"] + c["composerLinesAdded"]
        c["commitCount"] = 1

    def per(key: str, field: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in commits:
            out[c[key]] = out.get(c[key], 0) + c[field]
        return out

    ai_added = per("repoName", "aiLinesAdded")
    repos = qoder(cursor_client, demo, "repos", per_page=100)
    assert repos["totalCount"] == len(repos["repos"]) > 1
    # Qoder lists repositories with AI-added lines only (docs/qoder.md).
    assert {r["repoName"]: (r["commitCount"], r["totalLinesAdded"]) for r in repos["repos"]} == {
        repo: (per("repoName", "commitCount")[repo], per("repoName", "totalLinesAdded")[repo])
        for repo, lines in ai_added.items()
        if lines
    }
    ranking = qoder(cursor_client, demo, "stats/member-ranking", limit=10_000)["items"]
    assert len(ranking) > 1
    assert {
        u["email"]: (u["commitCount"], u["totalLinesAdded"], u["aiLinesAdded"]) for u in ranking
    } == {
        email: (
            per("userEmail", "commitCount")[email],
            per("userEmail", "totalLinesAdded")[email],
            lines,
        )
        for email, lines in per("userEmail", "aiLinesAdded").items()
    }
