from fastapi.testclient import TestClient

from tests.conftest import Tenant

BATCH = [
    {"type": "completion", "id": "c1", "user": "ann@acme.dev", "ts": "2025-06-01T10:00:00Z",
     "countSuggested": 3, "countAccepted": 2},
    {"type": "chat", "id": "h1", "user": "ann@acme.dev", "ts": "2025-06-01T11:00:00Z"},
]


def test_same_batch_three_times_counts_once(client: TestClient, tenant: Tenant) -> None:
    answers = [
        client.post("/api/v1/ingest", json=BATCH, headers=tenant.headers("ingest")).json()
        for _ in range(3)
    ]
    assert answers[0] == {"accepted": 2, "duplicates": 0, "rejected": []}
    assert answers[1] == answers[2] == {"accepted": 0, "duplicates": 2, "rejected": []}
