"""On one demo organization, every usage quantity two or more surfaces report agrees, per UTC
day and in total: accepted and suggested completions, their lines, chat turns, active
developers and AI edits across Lingma, Windsurf, Qoder, Cursor and the native daily trend.

Defined differently on purpose (docs/<vendor>.md), so compared with their true counterpart:
- Windsurf `distinct_users` counts completion (USER_DATA) or chat people only: it meets
  Lingma's `activeDeveloperCompletion` / `activeDeveloperChat`, not `activeDeveloper`.
- Qoder `tabCompletionCount` has no lines; Lingma and Windsurf completion lines meet each other.
- Qoder `agentEditCount` is AGENT only; Cursor's COMPOSER also holds quest and inline edits,
  Windsurf COMMAND_DATA holds inline edits only and Lingma gives lines, not edits: it meets
  Qoder's own change list.
- Qoder `acceptedLinesEdit` is added + deleted of every accepted edit (TAB too): it meets
  Cursor's changes; Lingma `totalLinesAcceptedChat` is added lines of non-TAB edits: it meets
  Cursor's COMPOSER changes.
- Cursor's change `createdAt` is when the server received it: its changes are dated by Qoder's.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from aicode.demo import DemoResult
from tests.surfaces.cross_support import (
    by_day,
    change_day,
    cursor_items,
    lingma,
    lingma_day,
    lingma_departments,
    native_daily,
    nonzero_and_equal,
    qoder,
    qoder_days,
    qoder_items,
    windsurf,
    windsurf_days,
)

pytest_plugins = ["tests.surfaces.cursor_fixtures", "tests.surfaces.cross_fixtures"]


def test_completions_agree_between_lingma_windsurf_and_qoder(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    people = lingma(cursor_client, demo, "developerUsage")
    departments = lingma_departments(cursor_client, demo)
    surf = windsurf_days(
        cursor_client,
        demo,
        "USER_DATA",
        accepted=("num_acceptances", "SUM"),
        lines=("num_lines_accepted", "SUM"),
    )
    overview = qoder(cursor_client, demo, "stats/overview")
    next_items = qoder(cursor_client, demo, "stats/daily-trend")["nextItems"]
    accepted = by_day(people, lingma_day, "totalCountAcceptedCompletion")
    nonzero_and_equal(
        accepted,
        by_day(departments, lingma_day, "totalCountAcceptedCompletion"),
        surf["accepted"],
        qoder_days(next_items, "nextAcceptedCount"),
    )
    assert overview["tabCompletionCount"] == sum(accepted.values())
    nonzero_and_equal(
        by_day(people, lingma_day, "totalLinesAcceptedCompletion"),
        by_day(departments, lingma_day, "totalLinesAcceptedCompletion"),
        surf["lines"],
    )
    nonzero_and_equal(
        by_day(people, lingma_day, "totalCountSuggestedCompletion"),
        by_day(departments, lingma_day, "totalCountSuggestedCompletion"),
        qoder_days(next_items, "nextSuggestedCount"),
    )


def test_chat_turns_agree_between_lingma_windsurf_and_qoder(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    people = lingma(cursor_client, demo, "developerUsage")
    departments = lingma_departments(cursor_client, demo)
    surf = windsurf_days(
        cursor_client,
        demo,
        "CHAT_DATA",
        turns=("num_chats_received", "SUM"),
        rows=("chat_accepted", "COUNT"),
        accepted=("chat_accepted", "SUM"),
    )
    turns = by_day(people, lingma_day, "totalChatTurns")
    nonzero_and_equal(
        turns, by_day(departments, lingma_day, "totalChatTurns"), surf["turns"], surf["rows"]
    )
    assert qoder(cursor_client, demo, "stats/overview")["messageCount"] == sum(turns.values())
    nonzero_and_equal(
        by_day(people, lingma_day, "totalChatTurnsAccepted"),
        by_day(departments, lingma_day, "totalChatTurnsAccepted"),
        surf["accepted"],
    )


def test_active_developers_per_day_agree_between_lingma_windsurf_and_native(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    people = lingma(cursor_client, demo, "developerUsage")
    departments = lingma_departments(cursor_client, demo)
    native = native_daily(cursor_client, demo)
    active = {d["date"]: d["activeDevelopers"] for d in native}
    nonzero_and_equal(
        active,
        by_day(departments, lingma_day, "activeDeveloper"),
        by_day(people, lingma_day, "statusActive"),
    )
    completing = windsurf_days(
        cursor_client,
        demo,
        "USER_DATA",
        users=("distinct_users", "COUNT"),
        developer_days=("distinct_developer_days", "COUNT"),
    )
    nonzero_and_equal(
        by_day(departments, lingma_day, "activeDeveloperCompletion"),
        by_day(people, lingma_day, "statusActiveCompletion"),
        completing["users"],
        completing["developer_days"],
    )
    chatters = windsurf(
        cursor_client,
        demo,
        "CHAT_DATA",
        selections=[{"field": "api_key", "name": "key"}],
        aggregations=[{"field": "date", "name": "day"}],
    )
    nonzero_and_equal(
        by_day(departments, lingma_day, "activeDeveloperChat"),
        by_day(people, lingma_day, "statusActiveChat"),
        by_day([c | {"one": 1} for c in chatters], lambda i: i["day"], "one"),
    )


def test_ai_edits_agree_between_qoder_cursor_lingma_and_windsurf(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    suggested = qoder_items(cursor_client, demo, "changes")
    accepted = cursor_items(cursor_client, demo, "changes")
    overview = qoder(cursor_client, demo, "stats/overview")
    agent = [c for c in suggested if c["source"] == "AGENT"]
    assert overview["agentEditCount"] == len(agent) > 0
    assert overview["acceptedLinesEdit"] == sum(
        c["totalLinesAdded"] + c["totalLinesDeleted"] for c in accepted
    )
    # Lingma's assistant lines are the accepted lines added by every non-TAB edit.
    # Cursor's createdAt is when the server received the change: date it by Qoder's edit time.
    edit_time = {c["changeId"]: c["createdAt"] for c in suggested}
    composer = [
        c | {"createdAt": edit_time[c["changeId"]]} for c in accepted if c["source"] == "COMPOSER"
    ]
    nonzero_and_equal(
        by_day(lingma(cursor_client, demo, "developerUsage"), lingma_day, "totalLinesAcceptedChat"),
        by_day(composer, change_day, "totalLinesAdded"),
    )
    inline = [c for c in suggested if c["source"] == "INLINECHAT"]
    commands = windsurf_days(
        cursor_client,
        demo,
        "COMMAND_DATA",
        edits=("accepted", "COUNT"),
        added=("lines_added", "SUM"),
        removed=("lines_removed", "SUM"),
    )
    nonzero_and_equal(
        commands["edits"], by_day([c | {"one": 1} for c in inline], change_day, "one")
    )
    nonzero_and_equal(commands["added"], by_day(inline, change_day, "totalLinesAdded"))
    nonzero_and_equal(commands["removed"], by_day(inline, change_day, "totalLinesDeleted"))
