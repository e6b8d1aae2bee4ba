"""Check facts beyond their types and lay them out as the columns the store writes.

The result is backend-neutral: plain column lists per table, each row carrying the user
reference still to be resolved (``user_ref``) and, for top-level facts, its batch index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from aicode.ingest.checks import FactError, to_micros
from aicode.ingest.commit_rows import commit_rows
from aicode.ingest.rows import NormalizedBatch
from aicode.model.attribution import canonical_source
from aicode.model.facts import (
    ChangeFact,
    ChatFact,
    CommitFact,
    CompletionFact,
    Fact,
    RewriteFact,
    TypingFact,
)
from aicode.model.languages import extension_of, language_of, normalize_extension
from aicode.store.base import Rejection

__all__ = ["FactError", "fact_key", "normalize", "to_micros"]


def fact_key(org_num: int, kind: str, identity: str) -> str:
    """The 128-bit idempotency key of a fact: 32 hex digits (the store keeps it as a UUID)."""
    text = f"{org_num}\x1f{kind}\x1f{identity}".encode()
    return hashlib.blake2b(text, digest_size=16).hexdigest()


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
                commit_rows(fact, base, out, now)
        except FactError as exc:
            out.rejected.append(Rejection(index, exc.field, exc.reason))
            continue
        seen.add(key)
    return out
