# ruff: noqa: F811 (test arguments name the qoder_org fixture imported below)
"""Qoder's AI-code metrics over HTTP: complete JSON of every endpoint, with each filter.

Numbers are worked out by hand from tests/world.py (D1-D3) and conftest_qoder.D4_FACTS.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.surfaces.conftest_qoder import QoderOrg, qoder_org  # noqa: F401

D1_D4 = "start_date=2025-06-02T00:00:00Z&end_date=2025-06-05T23:59:59Z"
D4 = "start_date=2025-06-05T00:00:00Z&end_date=2025-06-05T23:59:59Z"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            D1_D4,
            {
                "committedTotalLinesEdit": 42,
                "committedAiLinesEdit": 16,
                "acceptedLinesEdit": 15,
                "aiShareRate": 38.1,
                "agentEditCount": 3,
                "tabCompletionCount": 11,
                "messageCount": 4,
            },
        ),
        (
            D4,
            {
                "committedTotalLinesEdit": 12,
                "committedAiLinesEdit": 7,
                "acceptedLinesEdit": 6,
                "aiShareRate": 58.33,
                "agentEditCount": 1,
                "tabCompletionCount": 3,
                "messageCount": 1,
            },
        ),
        # Epoch milliseconds for the same four days.
        (
            "start_date=1748822400000&end_date=1749167999000",
            {
                "committedTotalLinesEdit": 42,
                "committedAiLinesEdit": 16,
                "acceptedLinesEdit": 15,
                "aiShareRate": 38.1,
                "agentEditCount": 3,
                "tabCompletionCount": 11,
                "messageCount": 4,
            },
        ),
        # Repository and branch filters narrow committed code only.
        (
            D1_D4 + "&repo_name=core",
            {
                "committedTotalLinesEdit": 19,
                "committedAiLinesEdit": 13,
                "acceptedLinesEdit": 15,
                "aiShareRate": 68.42,
                "agentEditCount": 3,
                "tabCompletionCount": 11,
                "messageCount": 4,
            },
        ),
        (
            D1_D4 + "&primary_branch_only=true",
            {
                "committedTotalLinesEdit": 23,
                "committedAiLinesEdit": 14,
                "acceptedLinesEdit": 15,
                "aiShareRate": 60.87,
                "agentEditCount": 3,
                "tabCompletionCount": 11,
                "messageCount": 4,
            },
        ),
        # File extensions narrow committed lines and accepted AI lines, not event counts.
        (
            D1_D4 + "&file_extensions=ts",
            {
                "committedTotalLinesEdit": 10,
                "committedAiLinesEdit": 5,
                "acceptedLinesEdit": 4,
                "aiShareRate": 50.0,
                "agentEditCount": 3,
                "tabCompletionCount": 11,
                "messageCount": 4,
            },
        ),
    ],
)
def test_overview(
    client: TestClient, qoder_org: QoderOrg, query: str, expected: dict[str, Any]
) -> None:
    response = qoder_org.get(client, "ai-code/stats/overview", query)
    assert response.status_code == 200
    assert response.json() == expected


def test_overview_for_one_user(client: TestClient, qoder_org: QoderOrg) -> None:
    bob = qoder_org.world.bob.id
    body = qoder_org.get(client, "ai-code/stats/overview", f"{D1_D4}&user_id={bob}").json()
    assert body == {
        "committedTotalLinesEdit": 8,
        "committedAiLinesEdit": 3,
        "acceptedLinesEdit": 3,
        "aiShareRate": 37.5,
        "agentEditCount": 1,
        "tabCompletionCount": 3,
        "messageCount": 1,
    }
    # Nobody by that id in this organization: nothing, not everyone.
    other = qoder_org.get(
        client, "ai-code/stats/overview", f"{D1_D4}&user_id=00000000-0000-4000-8000-000000000000"
    ).json()
    assert set(other.values()) == {0}


def day(date: str) -> str:
    return f"{date}T00:00:00Z"


NEXT_ITEMS = [
    {
        "date": day("2025-06-02"),
        "nextSuggestedCount": 17,
        "nextAcceptedCount": 6,
        "nextAcceptRate": 35.29,
    },
    {
        "date": day("2025-06-03"),
        "nextSuggestedCount": 8,
        "nextAcceptedCount": 2,
        "nextAcceptRate": 25.0,
    },
    {
        "date": day("2025-06-05"),
        "nextSuggestedCount": 4,
        "nextAcceptedCount": 3,
        "nextAcceptRate": 75.0,
    },
]


def test_daily_trend(client: TestClient, qoder_org: QoderOrg) -> None:
    body = qoder_org.get(client, "ai-code/stats/daily-trend", D1_D4).json()

    def ext(date: str, extension: str, total: int, ai: int) -> dict[str, Any]:
        return {
            "date": day(date),
            "fileExtension": extension,
            "totalLinesAdded": total,
            "aiLinesAdded": ai,
        }

    assert body == {
        "items": [
            {
                "date": day("2025-06-02"),
                "aiLinesAdded": 3,
                "otherLinesAdded": 3,
                "aiShareRate": 50.0,
                "commitCount": 1,
            },
            {
                "date": day("2025-06-03"),
                "aiLinesAdded": 2,
                "otherLinesAdded": 2,
                "aiShareRate": 50.0,
                "commitCount": 1,
            },
            {
                "date": day("2025-06-04"),
                "aiLinesAdded": 3,
                "otherLinesAdded": 10,
                "aiShareRate": 23.08,
                "commitCount": 2,
            },
            {
                "date": day("2025-06-05"),
                "aiLinesAdded": 6,
                "otherLinesAdded": 3,
                "aiShareRate": 66.67,
                "commitCount": 2,
            },
        ],
        "extItems": [
            ext("2025-06-02", ".md", 1, 0),
            ext("2025-06-02", ".py", 5, 3),
            ext("2025-06-03", ".ts", 4, 2),
            ext("2025-06-04", ".go", 10, 0),
            ext("2025-06-04", ".md", 1, 1),
            ext("2025-06-04", ".py", 2, 2),
            ext("2025-06-05", ".py", 4, 3),
            ext("2025-06-05", ".ts", 5, 3),
        ],
        "nextItems": NEXT_ITEMS,
    }


def test_daily_trend_by_file_extension(client: TestClient, qoder_org: QoderOrg) -> None:
    body = qoder_org.get(client, "ai-code/stats/daily-trend", D1_D4 + "&file_extensions=py").json()
    assert body == {
        "items": [
            {
                "date": day("2025-06-02"),
                "aiLinesAdded": 3,
                "otherLinesAdded": 2,
                "aiShareRate": 60.0,
                "commitCount": 1,
            },
            {
                "date": day("2025-06-04"),
                "aiLinesAdded": 2,
                "otherLinesAdded": 0,
                "aiShareRate": 100.0,
                "commitCount": 1,
            },
            {
                "date": day("2025-06-05"),
                "aiLinesAdded": 3,
                "otherLinesAdded": 1,
                "aiShareRate": 75.0,
                "commitCount": 1,
            },
        ],
        "extItems": [
            {
                "date": day("2025-06-02"),
                "fileExtension": ".py",
                "totalLinesAdded": 5,
                "aiLinesAdded": 3,
            },
            {
                "date": day("2025-06-04"),
                "fileExtension": ".py",
                "totalLinesAdded": 2,
                "aiLinesAdded": 2,
            },
            {
                "date": day("2025-06-05"),
                "fileExtension": ".py",
                "totalLinesAdded": 4,
                "aiLinesAdded": 3,
            },
        ],
        "nextItems": NEXT_ITEMS,
    }


def test_daily_trend_of_one_repository_and_user(client: TestClient, qoder_org: QoderOrg) -> None:
    bob = qoder_org.world.bob.id
    body = qoder_org.get(
        client, "ai-code/stats/daily-trend", f"{D1_D4}&repo_name=web&user_id={bob}"
    ).json()
    assert body == {
        "items": [
            {
                "date": day("2025-06-03"),
                "aiLinesAdded": 2,
                "otherLinesAdded": 2,
                "aiShareRate": 50.0,
                "commitCount": 1,
            },
            {
                "date": day("2025-06-05"),
                "aiLinesAdded": 1,
                "otherLinesAdded": 2,
                "aiShareRate": 33.33,
                "commitCount": 1,
            },
        ],
        "extItems": [
            {
                "date": day("2025-06-03"),
                "fileExtension": ".ts",
                "totalLinesAdded": 4,
                "aiLinesAdded": 2,
            },
            {
                "date": day("2025-06-05"),
                "fileExtension": ".ts",
                "totalLinesAdded": 3,
                "aiLinesAdded": 1,
            },
        ],
        "nextItems": [
            # Bob's completions: c4 on D1, c3 on D2.
            {
                "date": day("2025-06-02"),
                "nextSuggestedCount": 2,
                "nextAcceptedCount": 1,
                "nextAcceptRate": 50.0,
            },
            {
                "date": day("2025-06-03"),
                "nextSuggestedCount": 8,
                "nextAcceptedCount": 2,
                "nextAcceptRate": 25.0,
            },
        ],
    }


def test_daily_trend_of_primary_branches(client: TestClient, qoder_org: QoderOrg) -> None:
    body = qoder_org.get(
        client, "ai-code/stats/daily-trend", D1_D4 + "&primary_branch_only=true"
    ).json()

    def ext(date: str, extension: str, total: int, ai: int) -> dict[str, Any]:
        return {
            "date": day(date),
            "fileExtension": extension,
            "totalLinesAdded": total,
            "aiLinesAdded": ai,
        }

    assert body == {
        "items": [
            {
                "date": day("2025-06-02"),
                "aiLinesAdded": 3,
                "otherLinesAdded": 3,
                "aiShareRate": 50.0,
                "commitCount": 1,
            },
            {
                "date": day("2025-06-04"),
                "aiLinesAdded": 3,
                "otherLinesAdded": 0,
                "aiShareRate": 100.0,
                "commitCount": 1,
            },
            {
                "date": day("2025-06-05"),
                "aiLinesAdded": 6,
                "otherLinesAdded": 3,
                "aiShareRate": 66.67,
                "commitCount": 2,
            },
        ],
        "extItems": [
            ext("2025-06-02", ".md", 1, 0),
            ext("2025-06-02", ".py", 5, 3),
            ext("2025-06-04", ".md", 1, 1),
            ext("2025-06-04", ".py", 2, 2),
            ext("2025-06-05", ".py", 4, 3),
            ext("2025-06-05", ".ts", 5, 3),
        ],
        "nextItems": NEXT_ITEMS,
    }
