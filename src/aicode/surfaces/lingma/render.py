"""Lingma's JSON objects and pagination headers, field for field as the seed documents them.

Keys are in the order of the documented examples. ``date`` is the epoch milliseconds of the
UTC day's start; ``statusActiveLastedTime`` is the epoch milliseconds of the day's last
activity (documented as a string, shown as a number in the example, sent as a number).
``chatType`` is Lingma's own type when upper-case (``EXPLAIN_CODE``) and otherwise a custom
command, which Lingma reports as a lower-case string: ``chat_type`` is the one place that
maps what a client sent onto that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from aicode.metrics import ChatBreakdown, DayUsage, Page

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DAY_MS = 86_400_000


def epoch_ms_of_day(day: dt.date) -> int:
    """Epoch milliseconds of a UTC day's first instant."""
    return (day - _EPOCH.date()).days * _DAY_MS


def epoch_ms(instant: dt.datetime) -> int:
    """Epoch milliseconds of a stored (naive UTC) instant, rounded down."""
    # Stored instants are naive UTC.
    delta = (instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)) - _EPOCH
    return delta.days * _DAY_MS + delta.seconds * 1000 + delta.microseconds // 1000


def chat_type(sent: str) -> str:
    """Lingma's chatType for what a client sent: a custom command (not upper-case) lower-cased."""
    return sent if sent == sent.upper() else sent.lower()


def chatting(chats: Sequence[ChatBreakdown]) -> list[ChatBreakdown]:
    """The chat breakdown by Lingma's chatType and ide, spellings of one command as one entry.

    Turns add up exactly. ``activeDeveloper`` of a merged entry is the sum of its spellings'
    counts, which counts twice a person who used two spellings the same day in the same IDE.
    """
    merged: dict[tuple[str, str], ChatBreakdown] = {}
    for chat in chats:
        key = (chat_type(chat.chat_type), chat.ide)
        seen = merged.get(key)
        merged[key] = ChatBreakdown(
            key[0],
            chat.ide,
            chat.turns + (seen.turns if seen else 0),
            chat.accepted + (seen.accepted if seen else 0),
            chat.loc_used + (seen.loc_used if seen else 0),
            chat.active_developers + (seen.active_developers if seen else 0),
        )
    return sorted(merged.values(), key=lambda c: (c.chat_type, c.ide))


def developer_day(usage: DayUsage) -> dict[str, Any]:
    """One person's day as a developerUsage item."""
    last = usage.last_active
    return {
        "breakdown": {
            "chatting": [
                {
                    "chatTurns": c.turns,
                    "chatTurnsAccepted": c.accepted,
                    "chatType": c.chat_type,
                    "ide": c.ide,
                }
                for c in chatting(usage.chats)
            ],
            "coding": [
                {
                    "acceptAssistantNewlineCount": c.assistant_lines_accepted,
                    "language": c.language,
                    "linesAccepted": c.lines_accepted,
                    "linesChanged": c.lines_changed,
                }
                for c in usage.coding
            ],
            "completion": [
                {
                    "countAccepted": c.count_accepted,
                    "countSuggested": c.count_suggested,
                    "ide": c.ide,
                    "language": c.language,
                    "linesAccepted": c.lines_accepted,
                    "linesChanged": c.lines_changed,
                    "linesSuggested": c.lines_suggested,
                }
                for c in usage.completions
            ],
        },
        "date": epoch_ms_of_day(usage.day),
        "statusActive": usage.active_developers > 0,
        "statusActiveChat": usage.active_chat > 0,
        "statusActiveCompletion": usage.active_completion > 0,
        "statusActiveLastedTime": epoch_ms(last) if last is not None else None,
        "totalChatTurns": usage.chat_turns,
        "totalChatTurnsAccepted": usage.chat_turns_accepted,
        "totalCountAcceptedCompletion": usage.count_accepted,
        "totalCountSuggestedCompletion": usage.count_suggested,
        "totalLinesAccepted": usage.lines_accepted,
        "totalLinesAcceptedChat": usage.assistant_lines_accepted,
        "totalLinesAcceptedCompletion": usage.completion_lines_accepted,
        "totalLinesChanged": usage.lines_changed,
        "totalLinesSuggestedCompletion": usage.completion_lines_suggested,
        "userId": usage.user_id,
    }


def department_day(department_id: str, usage: DayUsage) -> dict[str, Any]:
    """A department's day (sub-departments included) as a departmentUsage item."""
    return {
        "date": epoch_ms_of_day(usage.day),
        "departmentId": department_id,
        "activeDeveloper": usage.active_developers,
        "activeDeveloperChat": usage.active_chat,
        "activeDeveloperCompletion": usage.active_completion,
        "totalChatTurns": usage.chat_turns,
        "totalChatTurnsAccepted": usage.chat_turns_accepted,
        "totalCountAcceptedCompletion": usage.count_accepted,
        "totalCountSuggestedCompletion": usage.count_suggested,
        "totalLinesAccepted": usage.lines_accepted,
        "totalLinesAcceptedCompletion": usage.completion_lines_accepted,
        "totalLinesChanged": usage.lines_changed,
        "totalLinesSuggestedCompletion": usage.completion_lines_suggested,
        "breakdown": {
            "chatting": [
                {
                    "chatTurns": c.turns,
                    "chatTurnsAccepted": c.accepted,
                    "chatType": c.chat_type,
                    "activeDeveloper": c.active_developers,
                    "ide": c.ide,
                }
                for c in chatting(usage.chats)
            ],
            "coding": [
                {
                    "language": c.language,
                    "linesAccepted": c.lines_accepted,
                    "linesChanged": c.lines_changed,
                    "activeDeveloper": c.active_developers,
                }
                for c in usage.coding
            ],
            "completion": [
                {
                    "countAccepted": c.count_accepted,
                    "countSuggested": c.count_suggested,
                    "ide": c.ide,
                    "activeDeveloper": c.active_developers,
                    "language": c.language,
                    "linesAccepted": c.lines_accepted,
                    "linesSuggested": c.lines_suggested,
                }
                for c in usage.completions
            ],
        },
    }


def page_headers(page: Page[Any]) -> dict[str, str]:
    """Yunxiao's pagination headers.

    Without a next page ``x-next-page`` repeats the current page, and the first page's
    ``x-prev-page`` is 1, as the captured departmentUsage response header shows
    (``x-next-page: 1``, ``x-prev-page: 1`` on a single page).
    """
    return {
        "x-page": str(page.page),
        "x-per-page": str(page.per_page),
        "x-next-page": str(page.page + 1 if page.page < page.total_pages else page.page),
        "x-prev-page": str(max(page.page - 1, 1)),
        "x-total": str(page.total),
        "x-total-pages": str(page.total_pages),
    }
