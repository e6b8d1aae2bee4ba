"""A commit's diff against its first parent: files, and added/deleted lines with numbers.

Paths come from ``git diff-tree --raw -z`` (exact bytes, no quoting to undo); lines come from
the ``-U0`` patch of the same diff, whose sections follow the raw entries in order (a type
change, file to symlink, prints two sections: the deletion then the addition).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Final

from aicode.hook.git import GitError, Repo

SUBMODULE_MODE: Final = "160000"
_HUNK: Final = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
# Options that make diff-tree's output independent of the user's diff configuration.
STABLE_DIFF_OPTIONS: Final = (
    "-r",
    "-M",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--submodule=short",
)
_DIFF_OPTIONS: Final = (*STABLE_DIFF_OPTIONS, "--src-prefix=a/", "--dst-prefix=b/")


@dataclasses.dataclass
class FileDiff:
    """One changed path: added lines numbered in the new file, deleted in the old one."""

    path: str
    old_path: str | None = None
    binary: bool = False
    submodule: bool = False
    added: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    deleted: list[tuple[int, str]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class _RawEntry:
    status: str
    old_mode: str
    new_mode: str
    path: str
    old_path: str | None


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _parse_raw(out: bytes) -> list[_RawEntry]:
    tokens = out.split(b"\0")
    entries: list[_RawEntry] = []
    i = 0
    while i < len(tokens):
        head = tokens[i]
        if not head.startswith(b":"):
            i += 1
            continue
        fields = head[1:].split(b" ")
        status = _text(fields[4])[:1]
        if status in ("R", "C"):
            old, new = _text(tokens[i + 1]), _text(tokens[i + 2])
            entries.append(_RawEntry(status, _text(fields[0]), _text(fields[1]), new, old))
            i += 3
        else:
            path = _text(tokens[i + 1])
            entries.append(_RawEntry(status, _text(fields[0]), _text(fields[1]), path, None))
            i += 2
    return entries


@dataclasses.dataclass
class _Section:
    binary: bool = False
    added: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    deleted: list[tuple[int, str]] = dataclasses.field(default_factory=list)


def _parse_sections(patch: bytes) -> list[_Section]:
    sections: list[_Section] = []
    lines = patch.split(b"\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith(b"diff --git "):
            sections.append(_Section())
            continue
        if not sections:
            continue
        section = sections[-1]
        if line.startswith((b"Binary files ", b"GIT binary patch")):
            section.binary = True
            continue
        match = _HUNK.match(line)
        if match is None:
            continue
        old_start, new_start = int(match.group(1)), int(match.group(3))
        deletions = int(match.group(2)) if match.group(2) is not None else 1
        additions = int(match.group(4)) if match.group(4) is not None else 1
        # Consume exactly the hunk's lines: their content may look like any header.
        while (deletions or additions) and i < len(lines):
            body = lines[i]
            i += 1
            if body.startswith(b"-") and deletions:
                section.deleted.append((old_start, _text(body[1:])))
                old_start += 1
                deletions -= 1
            elif body.startswith(b"+") and additions:
                section.added.append((new_start, _text(body[1:])))
                new_start += 1
                additions -= 1
    return sections


def _diff_args(commit: str, parent: str | None) -> list[str]:
    if parent is None:
        return ["--root", "--no-commit-id", commit]
    return [parent, commit]


def commit_diff(repo: Repo, commit: str, first_parent: str | None) -> list[FileDiff]:
    """The files a commit changed relative to its first parent (or, for a root, to nothing)."""
    revs = _diff_args(commit, first_parent)
    raw = repo.git("diff-tree", *_DIFF_OPTIONS, "--raw", "-z", *revs)
    patch = repo.git("diff-tree", *_DIFF_OPTIONS, "-p", "-U0", *revs)
    entries = _parse_raw(raw)
    sections = _parse_sections(patch)
    expected = len(entries) + sum(1 for e in entries if e.status == "T")
    if len(sections) != expected:
        raise GitError(f"diff of {commit}: {len(entries)} paths but {len(sections)} patch sections")
    files: list[FileDiff] = []
    position = 0
    for entry in entries:
        taken = sections[position : position + (2 if entry.status == "T" else 1)]
        position += len(taken)
        submodule = SUBMODULE_MODE in (entry.old_mode, entry.new_mode)
        files.append(
            FileDiff(
                path=entry.path,
                old_path=entry.old_path if entry.status == "R" else None,
                binary=not submodule and any(s.binary for s in taken),
                submodule=submodule,
                added=[] if submodule else [a for s in taken for a in s.added],
                deleted=[] if submodule else [d for s in taken for d in s.deleted],
            )
        )
    return files
