"""Range annotations: a commit's AI lines per file as groups of line ranges.

The shape is Qoder's commit detail: ``[{filePath, groups: [{conversationId, source,
productType, type, ranges: [{start, end}]}]}]``, every key present (``conversationId`` is null
when the change had none), groups ordered by type then first line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from aicode.model.facts import RangeAnnotation

# (conversationId, source, productType, type) -> line numbers of that group
GroupKey = tuple[str | None, str, str, str]
FileLines = dict[GroupKey, list[int]]


def ranges(lines: Iterable[int]) -> list[dict[str, int]]:
    """Inclusive ranges covering line numbers, ascending: 3, 4, 5, 9 -> [3-5], [9-9]."""
    out: list[dict[str, int]] = []
    for n in sorted(set(lines)):
        if out and out[-1]["end"] == n - 1:
            out[-1]["end"] = n
        else:
            out.append({"start": n, "end": n})
    return out


def _group(key: GroupKey, lines: Iterable[int]) -> dict[str, Any]:
    conversation, source, product_type, kind = key
    return {
        "conversationId": conversation,
        "source": source,
        "productType": product_type,
        "type": kind,
        "ranges": ranges(lines),
    }


def _order(group: dict[str, Any]) -> tuple[str, int, str, str, str]:
    return (
        group["type"],
        group["ranges"][0]["start"],
        group["conversationId"] or "",
        group["source"],
        group["productType"],
    )


def file_annotation(path: str, lines: FileLines) -> dict[str, Any] | None:
    """One file's annotation from its grouped line numbers; None when no group has lines."""
    groups = [_group(key, numbers) for key, numbers in lines.items() if numbers]
    if not groups:
        return None
    return {"filePath": path, "groups": sorted(groups, key=_order)}


def client_annotations(annotations: Sequence[RangeAnnotation]) -> list[dict[str, Any]]:
    """Annotations a client sent, in the same full shape as the server's (defaults spelled out)."""
    return [
        {
            "filePath": a.file_path,
            "groups": [
                {
                    "conversationId": g.conversation_id,
                    "source": g.source,
                    "productType": g.product_type,
                    "type": g.type,
                    "ranges": [{"start": r.start, "end": r.end} for r in g.ranges],
                }
                for g in a.groups
            ],
        }
        for a in annotations
    ]


def encode(annotations: list[dict[str, Any]]) -> str | None:
    """Annotations as the JSON text the store keeps; None when there are none."""
    return msgspec.json.encode(annotations).decode() if annotations else None
