"""GET /analytics/ai-code/changes and changes.csv on the hand-made organization."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from fastapi.testclient import TestClient

from aicode.metrics import Filters, list_changes
from tests.surfaces.cursor_support import CREATED_ISO, RANGE, CursorWorld, get

pytest_plugins = ["tests.surfaces.cursor_fixtures"]


def expected_items(cw: CursorWorld) -> list[dict[str, Any]]:
    """Every accepted AI change of 2025-06-02..04, newest first (bob's rejected g3 is absent)."""
    ann, bob, dee = cw.world.ann, cw.world.bob, cw.dee
    return [
        {
            "changeId": "g6",
            "userId": dee.encoded_id,
            "userEmail": "dee@acme.dev",
            "source": "TAB",
            "model": "tab-small",
            "totalLinesAdded": 2,
            "totalLinesDeleted": 0,
            "createdAt": CREATED_ISO,
            "metadata": [{"fileExtension": "go", "linesAdded": 2, "linesDeleted": 0}],
        },
        {
            "changeId": "g4",
            "userId": ann.encoded_id,
            "userEmail": "ann@acme.dev",
            "source": "COMPOSER",
            "model": None,
            "totalLinesAdded": 3,
            "totalLinesDeleted": 0,
            "createdAt": CREATED_ISO,
            "metadata": [
                {
                    "fileName": "src/app.py",
                    "fileExtension": "py",
                    "linesAdded": 2,
                    "linesDeleted": 0,
                },
                {
                    "fileName": "docs/readme.md",
                    "fileExtension": "md",
                    "linesAdded": 1,
                    "linesDeleted": 0,
                },
            ],
        },
        {
            "changeId": "g5",
            "userId": dee.encoded_id,
            "userEmail": "dee@acme.dev",
            "source": "COMPOSER",
            "model": "gpt-5",
            "totalLinesAdded": 5,
            "totalLinesDeleted": 1,
            "createdAt": CREATED_ISO,
            "metadata": [
                {"fileExtension": "go", "linesAdded": 4, "linesDeleted": 1},
                {"fileExtension": "", "linesAdded": 1, "linesDeleted": 0},
            ],
        },
        {
            "changeId": "g2",
            "userId": bob.encoded_id,
            "userEmail": "bob@acme.dev",
            "source": "TAB",
            "model": None,
            "totalLinesAdded": 2,
            "totalLinesDeleted": 0,
            "createdAt": CREATED_ISO,
            "metadata": [
                {"fileName": "web/ui.ts", "fileExtension": "ts", "linesAdded": 2, "linesDeleted": 0}
            ],
        },
        {
            "changeId": "g1",
            "userId": ann.encoded_id,
            "userEmail": "ann@acme.dev",
            "source": "COMPOSER",
            "model": "m1",
            "totalLinesAdded": 3,
            "totalLinesDeleted": 1,
            "createdAt": CREATED_ISO,
            "metadata": [
                {
                    "fileName": "src/app.py",
                    "fileExtension": "py",
                    "linesAdded": 3,
                    "linesDeleted": 1,
                }
            ],
        },
    ]


def test_changes_json_is_complete(cursor_client: TestClient, cursor_world: CursorWorld) -> None:
    response = get(cursor_client, "changes", cursor_world.key, **RANGE)
    assert response.status_code == 200
    assert response.json() == {
        "items": expected_items(cursor_world),
        "totalCount": 5,
        "page": 1,
        "pageSize": 100,
    }


def test_changes_leave_out_rejected_suggestions(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    # The store has bob's rejected agent edit g3; Cursor reports accepted changes only.
    world = cursor_world.world
    days = Filters.for_days(world.org.num, dt.date(2025, 6, 2), dt.date(2025, 6, 4))
    stored = list_changes(cursor_world.store, days)
    assert [c.change_id for c in stored.items if not c.accepted] == ["g3"]
    bob = get(cursor_client, "changes", cursor_world.key, user="bob@acme.dev", **RANGE).json()
    assert [c["changeId"] for c in bob["items"]] == ["g2"]
    assert bob["totalCount"] == 1


def test_privacy_mode_hides_file_names_only(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    body = get(
        cursor_client, "changes", cursor_world.key, user=cursor_world.dee.encoded_id, **RANGE
    ).text
    assert "secret/plan.go" not in body
    assert "Makefile" not in body
    items = json.loads(body)["items"]
    assert [[sorted(entry) for entry in item["metadata"]] for item in items] == [
        [["fileExtension", "linesAdded", "linesDeleted"]],
        [["fileExtension", "linesAdded", "linesDeleted"]] * 2,
    ]
    csv_text = get(cursor_client, "changes.csv", cursor_world.key, **RANGE).text
    assert "secret/plan.go" not in csv_text


def test_changes_pages(cursor_client: TestClient, cursor_world: CursorWorld) -> None:
    items = expected_items(cursor_world)
    page = get(cursor_client, "changes", cursor_world.key, page="2", pageSize="3", **RANGE)
    assert page.json() == {"items": items[3:], "totalCount": 5, "page": 2, "pageSize": 3}


EXPECTED_CSV = '''\
change_id,user_id,user_email,source,model,total_lines_added,total_lines_deleted,created_at,\
metadata_json
g6,{dee},dee@acme.dev,TAB,tab-small,2,0,{created},\
"[{{""fileExtension"":""go"",""linesAdded"":2,""linesDeleted"":0}}]"
g4,{ann},ann@acme.dev,COMPOSER,,3,0,{created},\
"[{{""fileName"":""src/app.py"",""fileExtension"":""py"",""linesAdded"":2,""linesDeleted"":0}},\
{{""fileName"":""docs/readme.md"",""fileExtension"":""md"",""linesAdded"":1,""linesDeleted"":0}}]"
g5,{dee},dee@acme.dev,COMPOSER,gpt-5,5,1,{created},\
"[{{""fileExtension"":""go"",""linesAdded"":4,""linesDeleted"":1}},\
{{""fileExtension"":"""",""linesAdded"":1,""linesDeleted"":0}}]"
g2,{bob},bob@acme.dev,TAB,,2,0,{created},\
"[{{""fileName"":""web/ui.ts"",""fileExtension"":""ts"",""linesAdded"":2,""linesDeleted"":0}}]"
g1,{ann},ann@acme.dev,COMPOSER,m1,3,1,{created},\
"[{{""fileName"":""src/app.py"",""fileExtension"":""py"",""linesAdded"":3,""linesDeleted"":1}}]"
'''


def test_changes_csv_is_complete(cursor_client: TestClient, cursor_world: CursorWorld) -> None:
    response = get(cursor_client, "changes.csv", cursor_world.key, **RANGE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="changes.csv"'
    world = cursor_world.world
    assert response.text == EXPECTED_CSV.format(
        ann=world.ann.encoded_id,
        bob=world.bob.encoded_id,
        dee=cursor_world.dee.encoded_id,
        created=CREATED_ISO,
    )


def test_changes_csv_metadata_is_the_json_metadata(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    text = get(cursor_client, "changes.csv", cursor_world.key, **RANGE).text
    rows = list(csv.DictReader(io.StringIO(text)))
    items = expected_items(cursor_world)
    assert [json.loads(r["metadata_json"]) for r in rows] == [i["metadata"] for i in items]
    assert [r["model"] for r in rows] == [i["model"] or "" for i in items]
