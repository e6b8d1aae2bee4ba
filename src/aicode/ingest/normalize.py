"""Check facts beyond their types and lay them out as the columns the store writes.

The result is backend-neutral: plain column lists per table, each row carrying the user
reference still to be resolved (``user_ref``) and, for top-level facts, its batch index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any, Final

from aicode.attribution.annotations import client_annotations, encode
from aicode.ingest.rows import NormalizedBatch
from aicode.model.attribution import AI_COLUMNS, ATTRIBUTION_PAIRS, canonical_source, pair_column
from aicode.model.facts import (
    Attribution,
    ChangeFact,
    ChatFact,
    CommitFact,
    CommitFile,
    CompletionFact,
    Fact,
    RewriteFact,
    TypingFact,
)
from aicode.model.languages import extension_of, language_of, normalize_extension
from aicode.store.base import Rejection

EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EARLIEST: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_SLACK: Final = dt.timedelta(days=1)
_MICRO: Final = dt.timedelta(microseconds=1)


class FactError(Exception):
    """A fact that decoded but does not make sense; names the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def fact_key(org_num: int, kind: str, identity: str) -> str:
    """The 128-bit idempotency key of a fact: 32 hex digits (the store keeps it as a UUID)."""
    text = f"{org_num}\x1f{kind}\x1f{identity}".encode()
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def to_micros(value: dt.datetime | int, field: str, now: dt.datetime) -> int:
    """Epoch microseconds of a fact time, refusing times before 2000 or in the future."""
    if isinstance(value, int):
        if not 0 <= value <= 10**14:
            raise FactError(field, "epoch milliseconds out of range")
        when = EPOCH + dt.timedelta(milliseconds=value)
    else:
        when = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if when < EARLIEST:
        raise FactError(field, "date is before 2000-01-01")
    if when > now + FUTURE_SLACK:
        raise FactError(field, "date is in the future")
    return (when - EPOCH) // _MICRO


def _text(value: str | None) -> str:
    return value.strip() if value else ""


def _common(fact: Fact, key: str, org_num: int, index: int, ts: int) -> dict[str, Any]:
    return {
        "_index": index,
        "k": key,
        "org_num": org_num,
        "fact_id": fact.id,
        "user_ref": fact.user.strip().lower(),
        "ts": ts,
        "ide": _text(fact.ide).lower(),
        "client_version": _text(fact.client_version),
    }


def _completion(fact: CompletionFact, base: dict[str, Any], out: NormalizedBatch) -> None:
    if fact.count_accepted > fact.count_suggested:
        raise FactError("countAccepted", "countAccepted exceeds countSuggested")
    out.table("completions").add(
        base
        | {
            "language": _text(fact.language).lower(),
            "model": _text(fact.model),
            "product_type": fact.product_type,
            "count_suggested": fact.count_suggested,
            "count_accepted": fact.count_accepted,
            "lines_suggested": fact.lines_suggested,
            "lines_accepted": fact.lines_accepted,
            "bytes_accepted": fact.bytes_accepted,
        }
    )


def _chat(fact: ChatFact, base: dict[str, Any], out: NormalizedBatch) -> None:
    chat_type = fact.chat_type.strip()
    if not chat_type:
        raise FactError("chatType", "chatType is empty")
    out.table("chats").add(
        base
        | {
            "chat_type": chat_type,
            "language": _text(fact.language).lower(),
            "model": _text(fact.model),
            "product_type": fact.product_type,
            "conversation_id": fact.conversation_id,
            "accepted": fact.accepted,
            "inserted_at_cursor": fact.inserted_at_cursor,
            "applied": fact.applied,
            "loc_used": fact.loc_used,
        }
    )


def _change(fact: ChangeFact, base: dict[str, Any], out: NormalizedBatch) -> None:
    source = canonical_source(fact.source)
    if source is None:
        raise FactError("source", f"unknown source {fact.source!r}")
    files: list[dict[str, Any]] = []
    totals = [0, 0, 0, 0]
    languages: list[str] = []
    for position, file in enumerate(fact.files):
        ext = (
            normalize_extension(file.file_extension)
            if file.file_extension
            else extension_of(file.file_name)
        )
        language = _text(file.language).lower() or language_of(ext)
        added = len(file.added_fingerprints) if file.lines_added is None else file.lines_added
        deleted = (
            len(file.deleted_fingerprints) if file.lines_deleted is None else file.lines_deleted
        )
        if file.added_fingerprints and len(file.added_fingerprints) > added:
            raise FactError(f"files[{position}].addedFingerprints", "more fingerprints than lines")
        totals = [
            totals[0] + added,
            totals[1] + deleted,
            totals[2] + file.bytes_added,
            totals[3] + file.bytes_removed,
        ]
        languages.append(language)
        files.append(
            {
                "k": base["k"],
                "org_num": base["org_num"],
                "user_ref": base["user_ref"],
                "ts": base["ts"],
                "position": position,
                "file_name": file.file_name,
                "extension": ext,
                "language": language,
                "lines_added": added,
                "lines_deleted": deleted,
                "bytes_added": file.bytes_added,
                "bytes_removed": file.bytes_removed,
                "added_fingerprints": list(file.added_fingerprints),
                "deleted_fingerprints": list(file.deleted_fingerprints),
            }
        )
    if files:
        out.table("change_files").add_all(files)
    out.table("changes").add(
        base
        | {
            "source": source,
            "repo": _text(fact.repo) or None,
            "product_type": fact.product_type,
            "model": _text(fact.model),
            "conversation_id": fact.conversation_id,
            "accepted": fact.accepted,
            "language": _text(fact.language).lower() or next((x for x in languages if x), ""),
            "command_source": _text(fact.command_source),
            "provider_source": _text(fact.provider_source),
            "selection_lines": fact.selection_lines,
            "selection_bytes": fact.selection_bytes,
            "lines_added": totals[0],
            "lines_deleted": totals[1],
            "bytes_added": totals[2],
            "bytes_removed": totals[3],
        }
    )


def _snake(pair: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in pair)


# (storage column, Attribution attribute) for every pair and kind, computed once.
_ATTRIBUTION_FIELDS: Final[tuple[tuple[str, str], ...]] = tuple(
    (pair_column(pair, kind), f"{_snake(pair)}_lines_{kind}")  # type: ignore[arg-type]
    for pair in ATTRIBUTION_PAIRS
    for kind in ("added", "deleted")
)


def _attribution_values(attribution: Attribution | None) -> dict[str, int]:
    if attribution is None:
        return dict.fromkeys(AI_COLUMNS, 0)
    return {column: getattr(attribution, attr) for column, attr in _ATTRIBUTION_FIELDS}


_ADDED_COLUMNS: Final = tuple(c for c in AI_COLUMNS if c.endswith("_added"))
_DELETED_COLUMNS: Final = tuple(c for c in AI_COLUMNS if c.endswith("_deleted"))


def _ai_totals(values: dict[str, int]) -> tuple[int, int]:
    return sum([values[c] for c in _ADDED_COLUMNS]), sum([values[c] for c in _DELETED_COLUMNS])


def _own_lines(
    fact: CommitFact, file: CommitFile, where: str, added: int, deleted: int
) -> dict[str, Any]:
    """A file's own-line columns: the lines a merge wrote itself; None unless a merge."""
    own: dict[str, Any] = dict.fromkeys(_OWN_COLUMNS)
    for kind, numbers, listed, count in (
        ("added", file.own_added_lines, file.added_lines, added),
        ("deleted", file.own_deleted_lines, file.deleted_lines, deleted),
    ):
        field = f"{where}.own{kind.title()}Lines"
        if len(fact.parents) < 2:
            if numbers:
                raise FactError(field, "only a merge commit (2+ parents) has own lines")
            continue
        wanted = sorted(set(numbers))
        known = {x.line for x in listed}
        stray = next((n for n in wanted if listed and n not in known), None)
        if stray is not None:
            raise FactError(field, f"line {stray} is not one of {kind}Lines")
        if len(wanted) > count:
            raise FactError(field, f"more own lines than lines{kind.title()}")
        own[f"own_{kind}_lines"], own[f"own_lines_{kind}"] = wanted, len(wanted)
    return own


_OWN_COLUMNS: Final = (
    "own_added_lines",
    "own_deleted_lines",
    "own_lines_added",
    "own_lines_deleted",
)


def _commit(fact: CommitFact, base: dict[str, Any], out: NormalizedBatch, now: dt.datetime) -> None:
    files: list[dict[str, Any]] = []
    commit_ai = dict.fromkeys(AI_COLUMNS, 0)
    total_added = total_deleted = 0
    for position, file in enumerate(fact.files):
        where = f"files[{position}]"
        added = len(file.added_lines) if file.lines_added is None else file.lines_added
        deleted = len(file.deleted_lines) if file.lines_deleted is None else file.lines_deleted
        if len(file.added_lines) > added:
            raise FactError(f"{where}.addedLines", "more added lines listed than linesAdded")
        if len(file.deleted_lines) > deleted:
            raise FactError(f"{where}.deletedLines", "more deleted lines listed than linesDeleted")
        file_ai = _attribution_values(file.attribution)
        ai_added, ai_deleted = _ai_totals(file_ai)
        if ai_added > added or ai_deleted > deleted:
            raise FactError(f"{where}.attribution", "AI lines exceed the file's lines")
        for column, value in file_ai.items():
            commit_ai[column] += value
        total_added += added
        total_deleted += deleted
        ext = extension_of(file.path)
        files.append(
            {
                "k": base["k"],
                "org_num": base["org_num"],
                "user_ref": base["user_ref"],
                "ts": base["ts"],
                "repo": fact.repo,
                "commit_hash": fact.commit_hash.lower(),
                "is_primary_branch": fact.is_primary_branch,
                "position": position,
                "path": file.path,
                "old_path": file.old_path,
                "extension": ext,
                "language": language_of(ext),
                "is_binary": file.binary,
                "lines_added": added,
                "lines_deleted": deleted,
                **file_ai,
                "ai_lines_added": ai_added,
                "ai_lines_deleted": ai_deleted,
                # The wire structs themselves: arrow_rows lays them out column by column.
                "added_lines": file.added_lines,
                "deleted_lines": file.deleted_lines,
                **_own_lines(fact, file, where, added, deleted),
            }
        )
    lines_added = total_added if fact.lines_added is None else fact.lines_added
    lines_deleted = total_deleted if fact.lines_deleted is None else fact.lines_deleted
    if fact.files and (lines_added < total_added or lines_deleted < total_deleted):
        raise FactError("linesAdded", "commit totals are smaller than the sum of its files")
    ai = _attribution_values(fact.attribution) if fact.attribution else commit_ai
    ai_added, ai_deleted = _ai_totals(ai)
    if ai_added > lines_added:
        raise FactError("attribution", "AI lines added exceed the commit's lines added")
    if ai_deleted > lines_deleted:
        raise FactError("attribution", "AI lines deleted exceed the commit's lines deleted")
    annotations = encode(client_annotations(fact.range_annotations))
    has_attribution = bool(fact.attribution or any(f.attribution for f in fact.files))
    committed_at = (
        None if fact.committed_at is None else to_micros(fact.committed_at, "committedAt", now)
    )
    if files:
        out.table("commit_files").add_all(files)
    out.table("commits").add(
        base
        | {
            "repo": fact.repo,
            "commit_hash": fact.commit_hash.lower(),
            "branch": fact.branch,
            "is_primary_branch": fact.is_primary_branch,
            "message": fact.message,
            "parents": [p.lower() for p in fact.parents],
            "committed_at": committed_at,
            "lines_added": lines_added,
            "lines_deleted": lines_deleted,
            **ai,
            "ai_lines_added": ai_added,
            "ai_lines_deleted": ai_deleted,
            "range_annotations": annotations,
            "attribution_origin": "client" if has_attribution or annotations else "none",
            # A merge's own lines; None for any other commit (see commit_parts.py).
            "own_lines_added": _own_total(fact, files, "own_lines_added"),
            "own_lines_deleted": _own_total(fact, files, "own_lines_deleted"),
        }
    )


def _own_total(fact: CommitFact, files: list[dict[str, Any]], column: str) -> int | None:
    return sum(f[column] for f in files) if len(fact.parents) > 1 else None


def _typing(fact: TypingFact, base: dict[str, Any], out: NormalizedBatch) -> None:
    out.table("typing").add(
        base
        | {
            "language": _text(fact.language).lower(),
            "user_bytes": fact.user_bytes,
            "ai_bytes_autocomplete": fact.ai_bytes_autocomplete,
            "ai_bytes_command": fact.ai_bytes_command,
        }
    )


def _rewrite(fact: RewriteFact, base: dict[str, Any], out: NormalizedBatch) -> None:
    repo = fact.repo.strip()
    if not repo:
        raise FactError("repo", "repo is empty")
    replaced: dict[str, str] = {}
    mappings: list[dict[str, Any]] = []
    for position, mapping in enumerate(fact.mappings):
        old, new = mapping.old.lower(), mapping.new.lower()
        if old == new:
            raise FactError(f"mappings[{position}].new", "new hash equals the old hash")
        if replaced.setdefault(old, new) != new:
            raise FactError(f"mappings[{position}].old", "old hash mapped to two new hashes")
        mappings.append(
            {
                "k": base["k"],
                "org_num": base["org_num"],
                "user_ref": base["user_ref"],
                "repo": repo,
                "position": position,
                "old_hash": old,
                "new_hash": new,
            }
        )
    if mappings:
        out.table("rewrite_mappings").add_all(mappings)
    out.table("rewrites").add(base | {"repo": repo, "kind": fact.kind})


def _identity(fact: Fact) -> tuple[str, str]:
    if isinstance(fact, CommitFact):
        return "commit", f"{fact.repo}\x1f{fact.commit_hash.lower()}"
    return type(fact).__struct_config__.tag or "", fact.id  # type: ignore[return-value]


def normalize(
    org_num: int, items: Iterable[tuple[int, Fact]], *, now: dt.datetime | None = None
) -> NormalizedBatch:
    """Validate facts and lay them out as table rows; a bad fact is rejected alone."""
    now = now or dt.datetime.now(dt.UTC)
    out = NormalizedBatch()
    seen: set[str] = set()
    for index, fact in items:
        kind, identity = _identity(fact)
        key = fact_key(org_num, kind, identity)
        if key in seen:
            out.duplicates_in_batch += 1
            continue
        try:
            ts = to_micros(fact.ts, "ts", now)
            base = _common(fact, key, org_num, index, ts)
            if isinstance(fact, CommitFact) and not fact.id:
                base["fact_id"] = fact.commit_hash.lower()
            # Every fact is checked whole before any of its rows is added (facts with files
            # stage them), so a bad file leaves no orphan rows behind.
            if isinstance(fact, ChangeFact):
                _change(fact, base, out)
            elif isinstance(fact, CompletionFact):
                _completion(fact, base, out)
            elif isinstance(fact, ChatFact):
                _chat(fact, base, out)
            elif isinstance(fact, TypingFact):
                _typing(fact, base, out)
            elif isinstance(fact, RewriteFact):
                _rewrite(fact, base, out)
            else:
                _commit(fact, base, out, now)
        except FactError as exc:
            out.rejected.append(Rejection(index, exc.field, exc.reason))
            continue
        seen.add(key)
    return out
