"""Normalization: checks beyond types, and the rows each fact type becomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from aicode.ingest.decode import decode_item
from aicode.ingest.normalize import fact_key, normalize
from aicode.ingest.rows import NormalizedBatch
from aicode.model.facts import Fact
from aicode.store.base import Rejection

NOW = dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC)
TS = "2025-06-01T10:00:00Z"
TS_MICROS = 1748772000 * 1_000_000


def facts(*items: dict[str, Any]) -> list[tuple[int, Fact]]:
    out: list[tuple[int, Fact]] = []
    for index, item in enumerate(items):
        fact = decode_item(msgspec.json.encode(item), index)
        assert not isinstance(fact, Rejection), fact
        out.append((index, fact))
    return out


def run(*items: dict[str, Any], org_num: int = 1) -> NormalizedBatch:
    return normalize(org_num, facts(*items), now=NOW)


def rows(batch: NormalizedBatch, table: str) -> list[dict[str, Any]]:
    columns = batch.tables[table].columns
    return [{c: v[i] for c, v in columns.items()} for i in range(len(batch.tables[table]))]


def completion(**extra: Any) -> dict[str, Any]:
    return {"type": "completion", "id": "c1", "user": "Ann@Acme.dev", "ts": TS} | extra


def commit(**extra: Any) -> dict[str, Any]:
    base = {"type": "commit", "user": "ann@acme.dev", "ts": TS, "repo": "acme/app"}
    return base | {"commitHash": "ABCD1234"} | extra


def change(**extra: Any) -> dict[str, Any]:
    return {"type": "change", "id": "ch1", "user": "ann@acme.dev", "ts": TS, "source": "AGENT"} | (
        extra
    )


def rejected(*items: dict[str, Any]) -> list[Rejection]:
    batch = run(*items)
    assert not batch.tables or all(len(t) == 0 for t in batch.tables.values())
    return batch.rejected


# times ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ts",
    [TS, "2025-06-01T12:00:00+02:00", "2025-06-01T10:00:00", 1748772000000],
)
def test_every_time_form_lands_on_the_same_utc_instant(ts: object) -> None:
    (row,) = rows(run(completion(ts=ts)), "completions")
    assert row["ts"] == TS_MICROS


@pytest.mark.parametrize(
    ("ts", "reason"),
    [
        ("1999-12-31T23:59:59Z", "date is before 2000-01-01"),
        (946684799999, "date is before 2000-01-01"),
        (1748772000, "date is before 2000-01-01"),  # epoch seconds, not milliseconds
        (-1, "epoch milliseconds out of range"),
        (10**14 + 1, "epoch milliseconds out of range"),
        ("2025-06-03T12:00:00.000001Z", "date is in the future"),
        ("2099-01-01T00:00:00Z", "date is in the future"),
    ],
)
def test_out_of_range_times_are_rejected(ts: object, reason: str) -> None:
    assert rejected(completion(ts=ts)) == [Rejection(0, "ts", reason)]


def test_a_day_of_clock_skew_and_2000_itself_are_fine() -> None:
    assert run(completion(ts="2025-06-03T12:00:00Z")).rejected == []
    assert run(completion(ts="2000-01-01T00:00:00Z")).rejected == []


# completions, chats, typing ------------------------------------------------------------------


def test_completion_row() -> None:
    batch = run(
        completion(
            ide=" VSCode ",
            clientVersion=" 1.2.3 ",
            language="Python",
            model=" gpt-x ",
            countSuggested=4,
            countAccepted=3,
            linesAccepted=5,
            bytesAccepted=120,
        )
    )
    (row,) = rows(batch, "completions")
    assert row == {
        "_index": 0,
        "k": fact_key(1, "completion", "c1"),
        "org_num": 1,
        "fact_id": "c1",
        "user_ref": "ann@acme.dev",
        "ts": TS_MICROS,
        "ide": "vscode",
        "client_version": "1.2.3",
        "language": "python",
        "model": "gpt-x",
        "product_type": "ide",
        "count_suggested": 4,
        "count_accepted": 3,
        "lines_suggested": 0,
        "lines_accepted": 5,
        "bytes_accepted": 120,
    }


def test_accepted_more_than_suggested_is_rejected() -> None:
    assert rejected(completion(countSuggested=1, countAccepted=2)) == [
        Rejection(0, "countAccepted", "countAccepted exceeds countSuggested")
    ]
    # countSuggested defaults to 1: one event shown.
    assert rejected(completion(countAccepted=2)) == [
        Rejection(0, "countAccepted", "countAccepted exceeds countSuggested")
    ]


def test_chat_row_and_empty_chat_type() -> None:
    chat = {"type": "chat", "id": "h1", "user": "ann@acme.dev", "ts": TS}
    (row,) = rows(run(chat | {"accepted": True, "locUsed": 7}), "chats")
    assert (row["chat_type"], row["accepted"], row["loc_used"], row["conversation_id"]) == (
        "FREE_INPUT",
        True,
        7,
        None,
    )
    assert rejected(chat | {"chatType": "  "}) == [Rejection(0, "chatType", "chatType is empty")]


def test_typing_row() -> None:
    typing = {"type": "typing", "id": "t1", "user": "ann@acme.dev", "ts": TS, "userBytes": 10}
    (row,) = rows(run(typing | {"aiBytesCommand": 5, "language": "Go"}), "typing")
    assert (row["user_bytes"], row["ai_bytes_autocomplete"], row["ai_bytes_command"]) == (10, 0, 5)
    assert row["language"] == "go"


# changes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("TAB", "TAB"),
        ("NEXT", "TAB"),
        ("completion", "TAB"),
        ("AGENT", "AGENT"),
        ("COMPOSER", "AGENT"),
        ("QUEST", "QUEST"),
        ("INLINECHAT", "INLINECHAT"),
        ("inline_chat", "INLINECHAT"),
        (" COMMAND ", "INLINECHAT"),
    ],
)
def test_change_sources_are_canonical(source: str, canonical: str) -> None:
    (row,) = rows(run(change(source=source)), "changes")
    assert row["source"] == canonical


def test_unknown_source_is_rejected() -> None:
    assert rejected(change(source="MAGIC")) == [Rejection(0, "source", "unknown source 'MAGIC'")]


def test_change_files_derive_lines_extension_and_language() -> None:
    batch = run(
        change(
            productType="cli",
            files=[
                {"fileName": "src/App.TSX", "addedFingerprints": ["a", "b"], "bytesAdded": 30},
                {"fileName": "Makefile", "fileExtension": "GO", "linesAdded": 4, "linesDeleted": 1},
                {"fileName": "notes", "language": "Text", "deletedFingerprints": ["z"]},
            ],
        )
    )
    (parent,) = rows(batch, "changes")
    assert (parent["lines_added"], parent["lines_deleted"], parent["bytes_added"]) == (6, 2, 30)
    assert parent["language"] == "typescript"
    assert parent["product_type"] == "cli"
    files = rows(batch, "change_files")
    assert [(f["position"], f["extension"], f["language"]) for f in files] == [
        (0, ".tsx", "typescript"),
        (1, ".go", "go"),
        (2, "", "text"),
    ]
    assert [(f["lines_added"], f["lines_deleted"]) for f in files] == [(2, 0), (4, 1), (0, 1)]
    assert {f["k"] for f in files} == {parent["k"]}


def test_more_fingerprints_than_lines_rejects_the_change_and_its_files() -> None:
    files = [
        {"fileName": "ok.py", "linesAdded": 1},
        {"fileName": "bad.py", "linesAdded": 1, "addedFingerprints": ["a", "b"]},
    ]
    batch = run(change(files=files), change(id="ch2"))
    assert batch.rejected == [
        Rejection(0, "files[1].addedFingerprints", "more fingerprints than lines")
    ]
    assert [r["fact_id"] for r in rows(batch, "changes")] == ["ch2"]
    assert "change_files" not in batch.tables or len(batch.tables["change_files"]) == 0


# commits -------------------------------------------------------------------------------------


def test_commit_row_defaults_id_to_hash_and_sums_files() -> None:
    batch = run(
        commit(
            parents=["FFFF0000"],
            files=[
                {
                    "path": "a.py",
                    "addedLines": [{"line": 1, "fp": "x"}, {"line": 2, "fp": "y"}],
                    "attribution": {"ideAgentLinesAdded": 2},
                },
                {"path": "b.go", "linesAdded": 3, "linesDeleted": 1},
            ],
        )
    )
    (row,) = rows(batch, "commits")
    assert row["fact_id"] == "abcd1234"
    assert row["commit_hash"] == "abcd1234"
    assert row["k"] == fact_key(1, "commit", "acme/app\x1fabcd1234")
    assert row["parents"] == ["ffff0000"]
    assert (row["lines_added"], row["lines_deleted"]) == (5, 1)
    assert (row["ide_agent_added"], row["ai_lines_added"]) == (2, 2)
    assert row["attribution_origin"] == "client"
    files = rows(batch, "commit_files")
    assert [(f["path"], f["lines_added"], f["ai_lines_added"]) for f in files] == [
        ("a.py", 2, 2),
        ("b.go", 3, 0),
    ]
    added = [(x.line, x.fp, x.trivial) for x in files[0]["added_lines"]]
    assert added == [(1, "x", False), (2, "y", False)]


def test_commit_without_attribution_is_marked_none() -> None:
    (row,) = rows(run(commit(linesAdded=4)), "commits")
    assert (row["lines_added"], row["ai_lines_added"], row["attribution_origin"]) == (4, 0, "none")


@pytest.mark.parametrize(
    ("item", "field", "reason"),
    [
        (
            commit(linesAdded=3, attribution={"ideAgentLinesAdded": 2, "cliAgentLinesAdded": 2}),
            "attribution",
            "AI lines added exceed the commit's lines added",
        ),
        (
            commit(linesDeleted=0, attribution={"ideNextLinesDeleted": 1}),
            "attribution",
            "AI lines deleted exceed the commit's lines deleted",
        ),
        (
            commit(
                files=[{"path": "a.py", "linesAdded": 1, "attribution": {"ideAgentLinesAdded": 2}}]
            ),
            "files[0].attribution",
            "AI lines exceed the file's lines",
        ),
        (
            commit(
                files=[
                    {
                        "path": "a.py",
                        "linesAdded": 1,
                        "addedLines": [{"line": 1, "fp": "x"}, {"line": 2, "fp": "y"}],
                    }
                ]
            ),
            "files[0].addedLines",
            "more added lines listed than linesAdded",
        ),
        (
            commit(
                files=[
                    {"path": "a.py", "linesDeleted": 0, "deletedLines": [{"line": 1, "fp": "x"}]}
                ]
            ),
            "files[0].deletedLines",
            "more deleted lines listed than linesDeleted",
        ),
        (
            commit(linesAdded=1, files=[{"path": "a.py", "linesAdded": 2}]),
            "linesAdded",
            "commit totals are smaller than the sum of its files",
        ),
    ],
)
def test_inconsistent_commits_are_rejected(item: dict[str, Any], field: str, reason: str) -> None:
    assert rejected(item) == [Rejection(0, field, reason)]


def test_a_commit_rejected_for_its_commit_time_leaves_no_file_rows() -> None:
    files = [{"path": "a.py", "linesAdded": 1}]
    batch = run(commit(files=files, committedAt="2099-01-01T00:00:00Z"))
    assert batch.rejected == [Rejection(0, "committedAt", "date is in the future")]
    assert not batch.tables


def test_commit_identity_is_repo_and_hash() -> None:
    batch = run(
        commit(id="a"),
        commit(id="b", commitHash="abcd1234"),
        commit(id="c", repo="acme/other"),
    )
    assert batch.duplicates_in_batch == 1
    assert [(r["fact_id"], r["repo"]) for r in rows(batch, "commits")] == [
        ("a", "acme/app"),
        ("c", "acme/other"),
    ]


# batches -------------------------------------------------------------------------------------


def test_in_batch_duplicates_are_counted_once() -> None:
    batch = run(completion(), completion(countSuggested=9), completion(id="c2"))
    assert batch.duplicates_in_batch == 1
    assert [r["count_suggested"] for r in rows(batch, "completions")] == [1, 1]


def test_a_rejected_fact_does_not_make_its_resend_a_duplicate() -> None:
    batch = run(completion(countAccepted=5), completion())
    assert batch.rejected == [Rejection(0, "countAccepted", "countAccepted exceeds countSuggested")]
    assert batch.duplicates_in_batch == 0
    assert [r["_index"] for r in rows(batch, "completions")] == [1]


def test_ids_are_per_fact_type() -> None:
    chat = {"type": "chat", "id": "c1", "user": "ann@acme.dev", "ts": TS}
    batch = run(completion(), chat)
    assert batch.duplicates_in_batch == 0
    assert set(batch.tables) == {"completions", "chats"}


def test_fact_key_depends_on_organization_kind_and_id() -> None:
    key = fact_key(1, "completion", "c1")
    assert key == fact_key(1, "completion", "c1")
    assert len({key, fact_key(2, "completion", "c1"), fact_key(1, "chat", "c1")}) == 3


def test_user_refs_are_trimmed_and_lower_case() -> None:
    batch = run(completion(user="  Ann@Acme.DEV "), completion(id="c2", user="user_ABC"))
    assert batch.user_refs == {"ann@acme.dev", "user_abc"}
