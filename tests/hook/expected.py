"""What the server must answer in the end-to-end tests: commit details and overview totals."""

from __future__ import annotations

from typing import Any, Final

from tests.hook.scene import SESSION, at

CLAUDE: Final = {"conversationId": SESSION, "source": "AGENT", "productType": "cli"}


def origin(source: str, product_type: str, conversation: str | None = None) -> dict[str, Any]:
    """Who wrote lines, as annotation groups name it."""
    return {"conversationId": conversation, "source": source, "productType": product_type}


def group(who: dict[str, Any], kind: str, *spans: tuple[int, int]) -> dict[str, Any]:
    """An annotation group: ``who`` wrote (or deleted) the lines of these inclusive spans."""
    return {**who, "type": kind, "ranges": [{"start": a, "end": b} for a, b in spans]}


def annotation(path: str, *groups: dict[str, Any]) -> dict[str, Any]:
    """One file's range annotation."""
    return {"filePath": path, "groups": list(groups)}


def line_replaced(path: str, who: dict[str, Any], line: int) -> dict[str, Any]:
    """The annotation of a file where ``who`` replaced one line (deleted and added at ``line``)."""
    return annotation(path, group(who, "added", (line, line)), group(who, "deleted", (line, line)))


def pairs(by_source: dict[str, tuple[int, int]]) -> dict[str, dict[str, int]]:
    """``{"cliAgent": (added, deleted)}`` as the API spells it."""
    return {k: {"added": a, "deleted": d} for k, (a, d) in by_source.items()}


def expected_commit(
    branch: str,
    hhmm: str,
    lines: tuple[int, int],
    by_source: dict[str, tuple[int, int]],
    annotations: list[dict[str, Any]],
    *,
    replaced_by: str | None = None,
) -> dict[str, Any]:
    """A commit detail as ``Scene.detail`` returns it (``hhmm``: the author time)."""
    return {
        "branch": branch,
        "isPrimaryBranch": branch == "main",
        "linesAdded": lines[0],
        "linesDeleted": lines[1],
        "aiLinesAdded": sum(a for a, _ in by_source.values()),
        "aiLinesDeleted": sum(d for _, d in by_source.values()),
        "commitTs": at(hhmm),
        "rangeAnnotations": annotations,
        "attributionOrigin": "server",
        "replacedBy": replaced_by,
        "bySource": pairs(by_source),
    }


def expected_totals(
    commits: int, lines: tuple[int, int], by_source: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    """The overview's committed totals as ``Scene.totals`` returns them."""
    ai_added = sum(a for a, _ in by_source.values())
    ai_deleted = sum(d for _, d in by_source.values())
    return {
        "commits": commits,
        "linesAdded": lines[0],
        "linesDeleted": lines[1],
        "aiLinesAdded": ai_added,
        "aiLinesDeleted": ai_deleted,
        "nonAiLinesAdded": lines[0] - ai_added,
        "nonAiLinesDeleted": lines[1] - ai_deleted,
        "bySource": pairs(by_source),
    }
