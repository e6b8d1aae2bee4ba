from fastapi.testclient import TestClient


def test_healthz_reports_ok_and_schema_version(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "0.1.0", "schemaVersion": 9}
