"""The attribution engine: which AI change wrote each line of a commit (pure, no I/O).

Given a commit's files (added and deleted lines with their fingerprints) and the AI changes
that could have produced them, every line gets an ``Origin`` or ``None`` (written by a person):

- a non-trivial line is AI-written when an AI change inside the window added (or, for a deleted
  line, deleted) a line with the same fingerprint in the same file, following a rename through
  ``old_path`` (and earlier names, ``aliases``); the most recent such change wins;
- each line instance an AI change added or deleted is consumed at most once per commit;
- a trivial line (blank, lone brackets) never matches on its own: it takes the attribution of
  the nearest non-trivial lines of its hunk (see ``_settle_trivial``).

A line a person edited after the AI wrote it has another fingerprint, so it is human.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final, Literal, NamedTuple

from aicode.attribution.annotations import FileLines, file_annotation
from aicode.model.attribution import attribution_pair

Kind = Literal["added", "deleted"]
KINDS: Final[tuple[Kind, Kind]] = ("added", "deleted")


@dataclasses.dataclass(frozen=True)
class Origin:
    """Who wrote a line: the source, product, model and conversation of an AI change."""

    source: str
    product_type: str
    model: str = ""
    conversation_id: str | None = None

    @property
    def pair(self) -> str:
        """The Qoder product x source pair this origin's lines count under."""
        return attribution_pair(self.source, self.product_type)


@dataclasses.dataclass(frozen=True)
class AiEdit:
    """One file of one AI change: when, by what, and the fingerprints it added and deleted.

    ``change_id`` and ``position`` (the file's place in its change) identify the edit; they
    also break ties between changes made at the same instant, so the result never depends on
    the order the changes are given in.
    """

    change_id: str
    ts: dt.datetime
    file: str
    origin: Origin
    added: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    position: int = 0

    def fingerprints(self, kind: Kind) -> tuple[str, ...]:
        """The fingerprints of the lines this edit added or deleted."""
        return self.added if kind == "added" else self.deleted


class CommittedLine(NamedTuple):
    """A line of a commit's diff: its number (new file for added, old file for deleted)."""

    line: int
    fp: str
    trivial: bool = False


@dataclasses.dataclass(frozen=True)
class CommittedFile:
    """One file of a commit: its path, the path it was renamed from, its changed lines.

    ``aliases`` are earlier names of the file known from other commits' renames (a squash of a
    branch that renamed a file shows the file as new, under its last name only).
    """

    path: str
    old_path: str | None = None
    added: Sequence[CommittedLine] = ()
    deleted: Sequence[CommittedLine] = ()
    aliases: tuple[str, ...] = ()

    def lines(self, kind: Kind) -> Sequence[CommittedLine]:
        """The added or the deleted lines."""
        return self.added if kind == "added" else self.deleted

    def names(self) -> list[str]:
        """Every name AI edits of this file may carry, normalized, without repeats."""
        names: list[str] = []
        for name in (self.path, self.old_path, *self.aliases):
            if name and normalize_path(name) not in names:
                names.append(normalize_path(name))
        return names


@dataclasses.dataclass(frozen=True)
class Window:
    """The instants an AI change may fall in to match a commit's lines (both inclusive)."""

    since: dt.datetime
    until: dt.datetime

    @classmethod
    def before(
        cls, commit_ts: dt.datetime, days: int, *, until: dt.datetime | None = None
    ) -> Window:
        """``days`` before the commit up to the commit (or ``until`` when that is later)."""
        end = commit_ts if until is None else max(commit_ts, until)
        return cls(commit_ts - dt.timedelta(days=days), end)

    def __contains__(self, ts: object) -> bool:
        return isinstance(ts, dt.datetime) and self.since <= ts <= self.until


@dataclasses.dataclass(frozen=True)
class FileResult:
    """The AI lines of one file of a commit, by line number, for added and deleted lines."""

    path: str
    added: dict[int, Origin]
    deleted: dict[int, Origin]

    def origins(self, kind: Kind) -> dict[int, Origin]:
        """AI lines of one kind."""
        return self.added if kind == "added" else self.deleted

    def counts(self) -> Counter[tuple[str, Kind]]:
        """AI line counts keyed by (pair, kind)."""
        counts: Counter[tuple[str, Kind]] = Counter()
        for kind in KINDS:
            counts.update((origin.pair, kind) for origin in self.origins(kind).values())
        return counts

    def annotation(self) -> dict[str, object] | None:
        """The file's range annotation in the commit-detail shape, None without AI lines."""
        lines: FileLines = {}
        for kind in KINDS:
            for number, o in self.origins(kind).items():
                lines.setdefault((o.conversation_id, o.source, o.product_type, kind), []).append(
                    number
                )
        return file_annotation(self.path, lines)


@dataclasses.dataclass(frozen=True)
class CommitResult:
    """A commit's attribution: per file, and summed."""

    files: list[FileResult]

    def counts(self) -> Counter[tuple[str, Kind]]:
        """AI line counts of the whole commit keyed by (pair, kind)."""
        total: Counter[tuple[str, Kind]] = Counter()
        for file in self.files:
            total.update(file.counts())
        return total

    def range_annotations(self) -> list[dict[str, object]]:
        """``rangeAnnotations``: one entry per file with AI lines, in the commit's file order."""
        return [a for a in (f.annotation() for f in self.files) if a is not None]


def normalize_path(path: str) -> str:
    """A repository-relative path as files are compared: forward slashes, no leading ``./``."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


class _Pool:
    """The AI line instances still unclaimed in a commit, most recent edit first per line."""

    def __init__(self, edits: Iterable[AiEdit], window: Window) -> None:
        live = [e for e in edits if e.ts in window]
        # Most recent first; ties broken by identity so the input order never matters.
        live.sort(key=lambda e: (e.ts, e.change_id, e.position), reverse=True)
        self._left: list[dict[Kind, Counter[str]]] = []
        self._index: dict[tuple[str, Kind, str], list[int]] = {}
        self._edits = live
        for rank, edit in enumerate(live):
            self._left.append({kind: Counter(edit.fingerprints(kind)) for kind in KINDS})
            for kind in KINDS:
                for fp in set(edit.fingerprints(kind)):
                    self._index.setdefault((normalize_path(edit.file), kind, fp), []).append(rank)

    def claim(self, names: Sequence[str], kind: Kind, fp: str) -> Origin | None:
        """Consume the most recent unclaimed instance of ``fp`` in these files, if any."""
        ranks: list[int] = []
        for name in names:
            ranks.extend(self._index.get((name, kind, fp), ()))
        for rank in sorted(ranks):
            left = self._left[rank][kind]
            if left[fp] > 0:
                left[fp] -= 1
                return self._edits[rank].origin
        return None


_NONE: Final = object()  # "no non-trivial line on this side of the hunk"


def _hunks(lines: Sequence[CommittedLine]) -> list[list[CommittedLine]]:
    """Runs of consecutive line numbers: the hunks of one side of a diff."""
    hunks: list[list[CommittedLine]] = []
    for line in sorted(lines, key=lambda x: x.line):
        if hunks and line.line <= hunks[-1][-1].line + 1:
            hunks[-1].append(line)
        else:
            hunks.append([line])
    return hunks


def _settle_trivial(hunk: list[CommittedLine], found: list[Origin | None]) -> list[Origin | None]:
    """Give each trivial line of a hunk the attribution of the non-trivial lines around it.

    A trivial line is AI-written when the nearest non-trivial lines on both sides are (or the
    one side it has, at the edge of the hunk), and then takes the one before it (the one after
    when it opens the hunk). Between a human and an AI line it is human; a hunk of trivial
    lines only is human: trivial lines never count alone.
    """
    before: list[object] = []
    last: object = _NONE
    for line, origin in zip(hunk, found, strict=True):
        before.append(last)
        if not line.trivial:
            last = origin
    after: list[object] = [_NONE] * len(hunk)
    last = _NONE
    for i in range(len(hunk) - 1, -1, -1):
        after[i] = last
        if not hunk[i].trivial:
            last = found[i]
    settled: list[Origin | None] = []
    for i, line in enumerate(hunk):
        if not line.trivial:
            settled.append(found[i])
            continue
        sides = [s for s in (before[i], after[i]) if s is not _NONE]
        if sides and all(isinstance(s, Origin) for s in sides):
            settled.append(sides[0])  # type: ignore[arg-type]
        else:
            settled.append(None)
    return settled


def _attribute_side(
    lines: Sequence[CommittedLine], names: Sequence[str], kind: Kind, pool: _Pool
) -> dict[int, Origin]:
    result: dict[int, Origin] = {}
    for hunk in _hunks(lines):
        found = [None if x.trivial else pool.claim(names, kind, x.fp) for x in hunk]
        for line, origin in zip(hunk, _settle_trivial(hunk, found), strict=True):
            if origin is not None:
                result[line.line] = origin
    return result


def attribute(
    files: Sequence[CommittedFile], edits: Iterable[AiEdit], window: Window
) -> CommitResult:
    """Attribute every line of a commit's files to the AI edits that wrote or deleted them."""
    pool = _Pool(edits, window)
    results: list[FileResult] = []
    for file in files:
        names = file.names()
        added = _attribute_side(file.added, names, "added", pool)
        deleted = _attribute_side(file.deleted, names, "deleted", pool)
        results.append(FileResult(file.path, added, deleted))
    return CommitResult(results)
