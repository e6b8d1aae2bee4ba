"""Commits built from a developer's working copy, attributed line by line.

Accepted AI edits leave their lines in the working copy (by fingerprint). A commit takes them,
loses a few (deleted before committing), turns a few into human lines (edited by hand, so the
fingerprint changes), mixes in lines typed by hand and lays everything out in hunks. Its
attribution and range annotations are then computed from which line came from which edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from typing import Final, Literal

from aicode.demo.config import between
from aicode.model.attribution import ATTRIBUTION_PAIRS, attribution_pair
from aicode.model.facts import (
    Attribution,
    CommitFact,
    CommitFile,
    LineRange,
    NumberedLine,
    ProductType,
    RangeAnnotation,
    RangeGroup,
)

# (canonical source, product type, conversation id) of the AI edit a line came from.
Origin = tuple[str, ProductType, str | None]
Kind = Literal["added", "deleted"]
_Line = tuple[str, Origin | None]  # fingerprint, origin (None: written by hand)

DROPPED_SHARE = 0.10  # AI lines removed again before the commit
EDITED_SHARE = 0.10  # AI lines changed by hand before the commit: they count as human


def fingerprint(rng: random.Random) -> str:
    """A fake line fingerprint: 16 hex digits."""
    return f"{rng.getrandbits(64):016x}"


def fingerprints(rng: random.Random, count: int) -> list[str]:
    """``count`` fake fingerprints drawn at once (one big random number, cut in pieces)."""
    if count <= 0:
        return []
    digits = rng.getrandbits(64 * count).to_bytes(8 * count, "big").hex()
    return [digits[i : i + 16] for i in range(0, 16 * count, 16)]


@dataclasses.dataclass
class FileWork:
    """Uncommitted AI lines of one file: per edit, the fingerprints it added and deleted."""

    since: int  # day index of the oldest pending edit
    added: list[tuple[Origin, list[str]]] = dataclasses.field(default_factory=list)
    deleted: list[tuple[Origin, list[str]]] = dataclasses.field(default_factory=list)

    @property
    def lines(self) -> int:
        """How many AI lines wait to be committed."""
        return sum(len(fps) for _, fps in self.added)


class WorkingCopy:
    """A developer's uncommitted AI edits, per repository and file."""

    def __init__(self) -> None:
        self._repos: dict[str, dict[str, FileWork]] = {}

    def record(
        self, repo: str, path: str, origin: Origin, added: list[str], deleted: list[str], day: int
    ) -> None:
        """Keep the lines an accepted AI edit added to (and removed from) a file."""
        work = self._repos.setdefault(repo, {}).setdefault(path, FileWork(since=day))
        if added:
            work.added.append((origin, added))
        if deleted:
            work.deleted.append((origin, deleted))

    def pending(self, repo: str) -> dict[str, FileWork]:
        """The files of a repository with uncommitted AI lines."""
        return self._repos.get(repo, {})

    def take(self, repo: str, paths: list[str]) -> dict[str, FileWork]:
        """Remove and return the pending work of some files (they are being committed)."""
        files = self._repos.get(repo, {})
        taken = {p: files.pop(p) for p in paths if p in files}
        if not files:
            self._repos.pop(repo, None)
        return taken

    def expire(self, day: int, max_age: int) -> None:
        """Forget work older than ``max_age`` days: abandoned experiments never get committed."""
        for repo in list(self._repos):
            files = self._repos[repo]
            for path in [p for p, w in files.items() if day - w.since > max_age]:
                del files[path]
            if not files:
                del self._repos[repo]


def _human_blocks(rng: random.Random, count: int) -> list[list[_Line]]:
    if count <= 0:
        return []
    cuts = sorted(rng.sample(range(1, count), k=min(count - 1, between(rng, 0, 2))))
    bounds = [0, *cuts, count]
    fps = fingerprints(rng, count)
    return [[(fp, None) for fp in fps[bounds[i] : bounds[i + 1]]] for i in range(len(bounds) - 1)]


def _ai_blocks(
    rng: random.Random, edits: list[tuple[Origin, list[str]]], *, may_change: bool
) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    for origin, fps in edits:
        block: list[_Line] = []
        for fp in fps:
            roll = rng.random() if may_change else 1.0
            if roll < DROPPED_SHARE:
                continue
            if roll < DROPPED_SHARE + EDITED_SHARE:
                block.append((fingerprint(rng), None))
            else:
                block.append((fp, origin))
        if block:
            blocks.append(block)
    return blocks


def _layout(rng: random.Random, blocks: list[list[_Line]]) -> list[tuple[int, str, Origin | None]]:
    rng.shuffle(blocks)
    line = between(rng, 1, 180)
    out: list[tuple[int, str, Origin | None]] = []
    for block in blocks:
        for fp, origin in block:
            out.append((line, fp, origin))
            line += 1
        # Unchanged context between hunks; zero joins two hunks into one.
        line += 0 if rng.random() < 0.25 else between(rng, 1, 30)
    return out


def _ranges(lines: list[int]) -> list[LineRange]:
    ranges: list[LineRange] = []
    for n in sorted(lines):
        if ranges and ranges[-1].end == n - 1:
            ranges[-1].end = n
        else:
            ranges.append(LineRange(start=n, end=n))
    return ranges


def _snake(pair: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in pair)


_FIELDS: Final[dict[tuple[str, str], str]] = {
    (pair, kind): f"{_snake(pair)}_lines_{kind}"
    for pair in ATTRIBUTION_PAIRS
    for kind in ("added", "deleted")
}


def attribution_of(counts: Counter[tuple[str, str]]) -> Attribution:
    """An Attribution from line counts keyed by (pair, "added" | "deleted")."""
    return Attribution(**{_FIELDS[key]: n for key, n in counts.items()})


def _annotate(
    path: str, laid: dict[Kind, list[tuple[int, str, Origin | None]]]
) -> RangeAnnotation | None:
    groups: dict[tuple[str | None, str, ProductType, Kind], list[int]] = {}
    for kind, lines in laid.items():
        for line, _, origin in lines:
            if origin is not None:
                source, product, conversation = origin
                groups.setdefault((conversation, source, product, kind), []).append(line)
    if not groups:
        return None
    made = [
        RangeGroup(
            conversation_id=conversation,
            source=source,
            product_type=product,
            type=kind,
            ranges=_ranges(lines),
        )
        for (conversation, source, product, kind), lines in groups.items()
    ]
    made.sort(key=lambda g: (g.type, g.ranges[0].start))
    return RangeAnnotation(file_path=path, groups=made)


def commit_file(
    rng: random.Random, path: str, work: FileWork | None, counts: Counter[tuple[str, str]]
) -> tuple[CommitFile, RangeAnnotation | None]:
    """One file of a commit; adds its AI line counts to the commit's ``counts``."""
    ai_heavy = work is not None and work.lines > 0
    human = int(rng.lognormvariate(2.3, 0.9) if ai_heavy else rng.lognormvariate(2.6, 0.9))
    added = _layout(
        rng,
        [
            *(_ai_blocks(rng, work.added, may_change=True) if work else []),
            *_human_blocks(rng, min(human, 400)),
        ],
    )
    human_deleted = int(rng.lognormvariate(1.2, 0.9)) if rng.random() < 0.5 else 0
    deleted = _layout(
        rng,
        [
            *(_ai_blocks(rng, work.deleted, may_change=False) if work else []),
            *_human_blocks(rng, human_deleted),
        ],
    )
    if not added and not deleted:
        added = _layout(rng, _human_blocks(rng, 1))
    file_counts: Counter[tuple[str, str]] = Counter()
    for kind, lines in (("added", added), ("deleted", deleted)):
        for _, _, origin in lines:
            if origin is not None:
                file_counts[(attribution_pair(origin[0], origin[1]), kind)] += 1
    counts.update(file_counts)
    file = CommitFile(
        path=path,
        lines_added=len(added),
        lines_deleted=len(deleted),
        added_lines=[NumberedLine(line=n, fp=fp) for n, fp, _ in added],
        deleted_lines=[NumberedLine(line=n, fp=fp) for n, fp, _ in deleted],
        attribution=attribution_of(file_counts),
    )
    return file, _annotate(path, {"added": added, "deleted": deleted})


@dataclasses.dataclass(frozen=True)
class CommitHeader:
    """Everything about a commit except its files."""

    fact_id: str
    user: str
    ts: dt.datetime
    repo: str
    commit_hash: str
    branch: str | None
    is_primary_branch: bool | None
    message: str
    parents: tuple[str, ...]
    client_version: str


def assemble_commit(
    rng: random.Random, header: CommitHeader, work: dict[str, FileWork], human_paths: list[str]
) -> CommitFact:
    """A commit of the given AI work plus files edited by hand only, with its attribution."""
    counts: Counter[tuple[str, str]] = Counter()
    files: list[CommitFile] = []
    annotations: list[RangeAnnotation] = []
    for path in [*sorted(work), *human_paths]:
        file, annotation = commit_file(rng, path, work.get(path), counts)
        files.append(file)
        if annotation is not None:
            annotations.append(annotation)
    return CommitFact(
        id=header.fact_id,
        user=header.user,
        ts=header.ts,
        client_version=header.client_version,
        repo=header.repo,
        commit_hash=header.commit_hash,
        branch=header.branch,
        is_primary_branch=header.is_primary_branch,
        message=header.message,
        parents=list(header.parents),
        files=files,
        lines_added=sum(f.lines_added or 0 for f in files),
        lines_deleted=sum(f.lines_deleted or 0 for f in files),
        attribution=attribution_of(counts),
        range_annotations=annotations,
    )
