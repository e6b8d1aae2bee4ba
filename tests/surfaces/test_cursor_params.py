"""startDate / endDate in every form, the user filter in every form, and bad parameters."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from fastapi.testclient import TestClient

from aicode.store.base import PersonRecord, Store
from tests.conftest import Tenant
from tests.surfaces.cursor_support import PATHS, RANGE, CursorWorld, get, set_now

pytest_plugins = ["tests.surfaces.cursor_fixtures"]

# Commits of the hand-made organization: aaaa0001 06-02 15:00, bbbb0002 06-03 15:00,
# aaaa0003 06-04 15:00, cccc0004 06-04 17:00, dddd0005 06-04 18:00 (UTC).
EVERY_COMMIT = ["dddd0005", "cccc0004", "aaaa0003", "bbbb0002", "aaaa0001"]


def hashes(client: TestClient, cw: CursorWorld, **params: str) -> list[str]:
    response = get(client, "commits", cw.key, **params)
    assert response.status_code == 200, response.text
    return [item["commitHash"] for item in response.json()["items"]]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_iso_dates_cover_whole_utc_days(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    one_day = {"startDate": "2025-06-03", "endDate": "2025-06-03"}
    assert hashes(cursor_client, cursor_world, **one_day) == ["bbbb0002"]
    assert hashes(cursor_client, cursor_world, **RANGE) == EVERY_COMMIT
    widest = {"startDate": "0001-01-01", "endDate": "9999-12-31"}
    assert hashes(cursor_client, cursor_world, **widest) == EVERY_COMMIT
    changes = get(cursor_client, "changes", cursor_world.key, **one_day).json()
    assert [c["changeId"] for c in changes["items"]] == ["g5", "g2"]


def test_iso_date_times_are_inclusive_instants(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    window = {"startDate": "2025-06-02T15:00:00Z", "endDate": "2025-06-03T15:00:00.000Z"}
    assert hashes(cursor_client, cursor_world, **window) == ["bbbb0002", "aaaa0001"]
    later = {"startDate": "2025-06-02T15:00:00.001Z", "endDate": "2025-06-03T14:59:59Z"}
    assert hashes(cursor_client, cursor_world, **later) == []


def test_date_times_with_an_offset_or_none(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    offset = {"startDate": "2025-06-04T19:00:00+02:00", "endDate": "2025-06-30"}
    assert hashes(cursor_client, cursor_world, **offset) == ["dddd0005", "cccc0004"]
    naive = {"startDate": "2025-06-04T17:00:00", "endDate": "2025-06-30"}
    assert hashes(cursor_client, cursor_world, **naive) == ["dddd0005", "cccc0004"]


def test_now_and_relative_days(cursor_client: TestClient, cursor_world: CursorWorld) -> None:
    set_now(cursor_client, at("2025-06-04T18:00:00+00:00"))
    last_day = ["dddd0005", "cccc0004", "aaaa0003"]
    assert hashes(cursor_client, cursor_world, startDate="1d") == last_day
    assert hashes(cursor_client, cursor_world, startDate="1d", endDate="now") == last_day
    assert hashes(cursor_client, cursor_world, startDate="1D", endDate="0d") == last_day
    assert hashes(cursor_client, cursor_world, startDate="1d", endDate="NOW") == last_day
    assert hashes(cursor_client, cursor_world, startDate="2d", endDate="1d") == ["bbbb0002"]
    assert hashes(cursor_client, cursor_world, startDate="now", endDate="now") == ["dddd0005"]
    set_now(cursor_client, at("2025-06-04T17:59:59+00:00"))
    assert hashes(cursor_client, cursor_world, startDate="1d") == ["cccc0004", "aaaa0003"]


def test_defaults_are_the_last_seven_days_until_now(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    set_now(cursor_client, at("2025-06-09T15:00:00+00:00"))
    assert hashes(cursor_client, cursor_world) == EVERY_COMMIT
    set_now(cursor_client, at("2025-06-09T15:00:00.000001+00:00"))
    assert hashes(cursor_client, cursor_world) == EVERY_COMMIT[:-1]
    set_now(cursor_client, at("2025-06-04T16:00:00+00:00"))
    assert hashes(cursor_client, cursor_world) == ["aaaa0003", "bbbb0002", "aaaa0001"]
    assert hashes(cursor_client, cursor_world, startDate="2025-06-03") == ["aaaa0003", "bbbb0002"]


def test_every_user_form_names_the_same_person(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    ann = cursor_world.world.ann
    forms = ["ann@acme.dev", " ANN@acme.dev ", ann.encoded_id, str(ann.num)]
    for form in forms:
        assert hashes(cursor_client, cursor_world, user=form, **RANGE) == ["aaaa0003", "aaaa0001"]
        changes = get(cursor_client, "changes", cursor_world.key, user=form, **RANGE).json()
        assert [c["changeId"] for c in changes["items"]] == ["g4", "g1"]
    assert hashes(cursor_client, cursor_world, user="", **RANGE) == EVERY_COMMIT


def test_user_filters_the_csv_exports(cursor_client: TestClient, cursor_world: CursorWorld) -> None:
    bob = cursor_world.world.bob
    for path, key in (("commits.csv", "commit_hash"), ("changes.csv", "change_id")):
        text = get(cursor_client, path, cursor_world.key, user=str(bob.num), **RANGE).text
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [(r[key], r["user_id"]) for r in rows] == [
            ("bbbb0002" if key == "commit_hash" else "g2", bob.encoded_id)
        ]


@pytest.mark.parametrize("path", PATHS)
def test_unknown_user_is_a_404(
    cursor_client: TestClient, cursor_world: CursorWorld, path: str
) -> None:
    response = get(cursor_client, path, cursor_world.key, user="nobody@acme.dev")
    assert response.status_code == 404
    assert response.json() == {
        "error": "Not Found",
        "message": "user 'nobody@acme.dev' is not a member of this team",
    }


def test_a_member_of_another_team_is_unknown(
    cursor_client: TestClient, cursor_world: CursorWorld, cursor_other: Tenant, store: Store
) -> None:
    store.import_people(cursor_other.org, [PersonRecord("eve@globex.dev", "Eve")])
    eve = store.find_user(cursor_other.org, "eve@globex.dev")
    assert eve is not None
    for form in ("eve@globex.dev", eve.encoded_id, str(eve.num), eve.id):
        response = get(cursor_client, "commits", cursor_world.key, user=form)
        assert response.status_code == 404
        assert response.json()["message"] == f"user {form!r} is not a member of this team"


BAD_DATES = [
    (
        {"startDate": "yesterday"},
        "startDate must be an ISO date or date-time, 'now', or relative days like '7d';"
        " got 'yesterday'",
    ),
    (
        {"endDate": "2025-13-01"},
        "endDate must be an ISO date or date-time, 'now', or relative days like '7d';"
        " got '2025-13-01'",
    ),
    (
        {"startDate": "-7d"},
        "startDate must be an ISO date or date-time, 'now', or relative days like '7d'; got '-7d'",
    ),
    ({"startDate": "999999d"}, "startDate '999999d' reaches before year 1"),
    (
        {"endDate": "9999-12-31T23:00:00-02:00"},
        "endDate '9999-12-31T23:00:00-02:00' is out of range",
    ),
    (
        {"startDate": "2025-06-04", "endDate": "2025-06-02"},
        "startDate (2025-06-04T00:00:00+00:00) must not be after endDate"
        " (2025-06-02T23:59:59.999999+00:00)",
    ),
]
BAD_PAGES = [
    ({"pageSize": "1001"}, "pageSize must be at most 1000, got 1001"),
    ({"pageSize": "0"}, "pageSize must be a positive integer, got '0'"),
    ({"pageSize": "ten"}, "pageSize must be a positive integer, got 'ten'"),
    ({"page": "0"}, "page must be a positive integer, got '0'"),
    ({"page": "-1"}, "page must be a positive integer, got '-1'"),
    ({"page": "1.5"}, "page must be a positive integer, got '1.5'"),
    ({"page": "1000000001"}, "page must be at most 1000000000, got 1000000001"),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("params", "message"), BAD_DATES + BAD_PAGES)
def test_bad_parameters_are_a_400_in_cursor_shape(
    cursor_client: TestClient,
    cursor_world: CursorWorld,
    path: str,
    params: dict[str, str],
    message: str,
) -> None:
    response = get(cursor_client, path, cursor_world.key, **params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "Bad Request", "message": message}


def test_the_largest_page_size_is_accepted(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    body = get(cursor_client, "changes", cursor_world.key, pageSize="1000", **RANGE).json()
    assert (body["pageSize"], body["totalCount"], len(body["items"])) == (1000, 5, 5)
