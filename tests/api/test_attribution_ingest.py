"""The attribution facts' wire checks (rewrite, change repo, committedAt) and detail access."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.store.base import Store
from tests.api.ingest_answers import one_bad_fact
from tests.attribution.facts import change, commit, file, rewrite, ts
from tests.conftest import Tenant
from tests.store.test_attribution import rows

URL = "/api/v1/ingest"
REWRITE = rewrite(ts(3, 11), "amend", [("aaaa1111", "bbbb2222")])


@pytest.mark.parametrize(
    ("item", "field", "reason"),
    [
        (REWRITE | {"kind": "squash"}, "kind", "Invalid enum value 'squash'"),
        (REWRITE | {"mappings": []}, "mappings", "Expected `array` of length >= 1"),
        (
            REWRITE | {"mappings": [{"old": "zz", "new": "bbbb2222"}]},
            "mappings[0].old",
            "Expected `str` matching regex '^[0-9a-fA-F]{4,64}$'",
        ),
        (REWRITE | {"mappings": [{"old": "aaaa1111"}]}, "mappings[0].new",
         "required field is missing"),
        (
            REWRITE | {"mappings": [{"old": "AAAA1111", "new": "aaaa1111"}]},
            "mappings[0].new",
            "new hash equals the old hash",
        ),
        (
            REWRITE | {"mappings": [{"old": "aaaa1111", "new": "bbbb2222"},
                                    {"old": "aaaa1111", "new": "cccc3333"}]},
            "mappings[1].old",
            "old hash mapped to two new hashes",
        ),
        ({k: v for k, v in REWRITE.items() if k != "repo"}, "repo", "required field is missing"),
        (REWRITE | {"repo": "  "}, "repo", "repo is empty"),
        (REWRITE | {"ts": "2999-01-01T00:00:00Z"}, "ts", "date is in the future"),
        (change("c", ts(3, 9), "a.py", ["x"]) | {"repo": ""}, "repo",
         "Expected `str` of length >= 1"),
        (commit("abcd", ts(3, 9), []) | {"committedAt": "2999-01-01T00:00:00Z"}, "committedAt",
         "date is in the future"),
        (commit("abcd", ts(3, 9), []) | {"committedAt": "soon"}, "committedAt",
         "Invalid RFC3339 encoded datetime"),
    ],
)  # fmt: skip
def test_each_bad_fact_is_a_400_naming_the_field(
    client: TestClient, tenant: Tenant, item: dict[str, Any], field: str, reason: str
) -> None:
    answer = client.post(URL, json=[item], headers=tenant.headers("ingest"))
    assert answer.status_code == 400
    assert answer.json() == one_bad_fact(field, reason)


def test_rewrites_and_repos_are_stored(client: TestClient, tenant: Tenant, store: Store) -> None:
    with_repo = change("c1", ts(3, 9), "a.py", ["x = 1"], repo=" github.com/acme/app ")
    without = change("c2", ts(3, 9), "a.py", ["x = 1"], repo=None)
    squash = rewrite(ts(3, 11), "rebase", [("AAAA1111", "cccc3333"), ("bbbb2222", "cccc3333")])
    answer = client.post(URL, json=[with_repo, without, squash], headers=tenant.headers("ingest"))
    assert answer.json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    assert rows(store, "SELECT fact_id, repo FROM changes ORDER BY fact_id") == [
        {"fact_id": "c1", "repo": "github.com/acme/app"},
        {"fact_id": "c2", "repo": None},
    ]
    assert rows(store, "SELECT fact_id, repo, kind FROM rewrites") == [
        {"fact_id": squash["id"], "repo": "github.com/acme/app", "kind": "rebase"}
    ]
    assert rows(store, "SELECT position, old_hash, new_hash FROM rewrite_mappings ORDER BY 1") == [
        {"position": 0, "old_hash": "aaaa1111", "new_hash": "cccc3333"},
        {"position": 1, "old_hash": "bbbb2222", "new_hash": "cccc3333"},
    ]
    again = client.post(URL, json=[squash], headers=tenant.headers("ingest"))
    assert again.json() == {"accepted": 0, "duplicates": 1, "rejected": []}
    assert len(rows(store, "SELECT * FROM rewrite_mappings")) == 2


def test_client_range_annotations_are_kept_in_the_full_shape(
    client: TestClient, tenant: Tenant
) -> None:
    sent = commit("abcd1234", ts(3, 9), [file("a.py", added=[(1, ["x = 1", "y = 2"])])]) | {
        "attribution": {"ideAgentLinesAdded": 2},
        "rangeAnnotations": [
            {
                "filePath": "a.py",
                "groups": [{"source": "AGENT", "ranges": [{"start": 1, "end": 2}]}],
            }
        ],
    }
    client.post(URL, json=[sent], headers=tenant.headers("ingest"))
    body = client.get(
        f"/api/v1/organizations/{tenant.org.id}/commits/abcd1234", headers=tenant.headers()
    ).json()
    assert (body["attributionOrigin"], body["replacedBy"]) == ("client", None)
    assert body["rangeAnnotations"] == [
        {
            "filePath": "a.py",
            "groups": [
                {
                    "conversationId": None,
                    "source": "AGENT",
                    "productType": "ide",
                    "type": "added",
                    "ranges": [{"start": 1, "end": 2}],
                }
            ],
        }
    ]


def test_commit_detail_needs_a_read_token_of_the_organization(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    client.post(URL, json=[commit("abcd1234", ts(3, 9), [])], headers=tenant.headers("ingest"))
    path = f"/api/v1/organizations/{tenant.org.id}/commits/abcd1234"
    assert client.get(path, headers=tenant.headers()).status_code == 200
    missing = client.get(path)
    assert (missing.status_code, missing.json()["error"]["code"]) == (401, "unauthenticated")
    other = client.get(path, headers=other_tenant.headers())
    assert other.status_code == 403
    assert other.json()["error"]["message"] == "token does not belong to this organization"
    # The other organization's own view does not know the commit.
    theirs = client.get(
        f"/api/v1/organizations/{other_tenant.org.id}/commits/abcd1234",
        headers=other_tenant.headers(),
    )
    assert theirs.status_code == 404


def test_a_rewrite_from_another_organization_does_not_replace(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    client.post(URL, json=[commit("aaaa1111", ts(3, 9), [])], headers=tenant.headers("ingest"))
    client.post(URL, json=[REWRITE], headers=other_tenant.headers("ingest"))
    body = client.get(
        f"/api/v1/organizations/{tenant.org.id}/commits/aaaa1111", headers=tenant.headers()
    ).json()
    assert body["replacedBy"] is None
