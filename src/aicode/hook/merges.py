"""A merge commit's own lines, from git's combined diff of the merge against all its parents.

A merge is sent with its diff against its first parent, which carries every line the merged
branches brought; the server counts those only on the primary branch, where the branches' own
commits are not. The lines the merge wrote itself, such as a conflict resolution, count
everywhere: they are the lines the combined diff (``git diff-tree --cc``) marks as added
relative to every parent (``++`` for two parents), and the lines every parent had that the
merge removed (``--``). Hunks where the merge took one side as it was are not shown at all.

The combined diff is read with one line of context: with none, git joins nearby hunks
without showing the lines between them, and the line numbers could not be followed.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Final

from aicode.hook.diff import STABLE_DIFF_OPTIONS
from aicode.hook.git import GitError, Repo

_HEADER: Final = re.compile(rb"^diff --(?:cc|combined) (.+)$")
_HUNK: Final = re.compile(rb"^(@@@+) (.*?) \1")
_RANGE: Final = re.compile(rb"[-+](\d+)(?:,(\d+))?")
_OPTIONS: Final = (*STABLE_DIFF_OPTIONS, "--cc", "-U1", "--no-commit-id")
# git's C-style quoting of a path (quote_c_style): these escapes, and octal for other bytes.
_ESCAPES: Final = {
    ord("a"): 7,
    ord("b"): 8,
    ord("t"): 9,
    ord("n"): 10,
    ord("v"): 11,
    ord("f"): 12,
    ord("r"): 13,
    ord('"'): 34,
    ord("\\"): 92,
}


@dataclasses.dataclass
class OwnLines:
    """Lines of one file a merge wrote itself: added (numbered in the merge) and deleted
    (numbered in the first parent, as the first-parent diff numbers them)."""

    added: set[int] = dataclasses.field(default_factory=set)
    deleted: set[int] = dataclasses.field(default_factory=set)


def unquote_path(raw: bytes) -> str:
    """A path as git prints it in a diff header, quoted or not, back to the path."""
    if not (len(raw) >= 2 and raw.startswith(b'"') and raw.endswith(b'"')):
        return raw.decode("utf-8", "surrogateescape")
    out = bytearray()
    i, end = 1, len(raw) - 1
    while i < end:
        byte = raw[i]
        if byte != ord("\\") or i + 1 >= end:
            out.append(byte)
            i += 1
        elif raw[i + 1 : i + 2].isdigit():
            out.append(int(raw[i + 1 : i + 4], 8))
            i += 4
        else:
            out.append(_ESCAPES.get(raw[i + 1], raw[i + 1]))
            i += 2
    return bytes(out).decode("utf-8", "surrogateescape")


def _ranges(header: bytes, parents: int) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """(start, count) of each parent's lines and of the merge's, from a hunk header."""
    found = [
        (int(m.group(1)), int(m.group(2)) if m.group(2) is not None else 1)
        for m in _RANGE.finditer(header)
    ]
    if len(found) != parents + 1:
        raise GitError(f"combined diff hunk {header!r}: expected {parents + 1} ranges")
    return found[:parents], found[parents]


def parse_combined(patch: bytes, parents: int) -> dict[str, OwnLines]:
    """Own lines per path from a combined diff of a merge with ``parents`` parents."""
    files: dict[str, OwnLines] = {}
    lines = patch.removesuffix(b"\n").split(b"\n")
    current: OwnLines | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        header = _HEADER.match(line)
        if header is not None:
            current = files.setdefault(unquote_path(header.group(1)), OwnLines())
            continue
        hunk = _HUNK.match(line)
        if hunk is None or current is None:
            continue
        if len(hunk.group(1)) != parents + 1:
            raise GitError(f"combined diff hunk {line!r}: not {parents} parents")
        sides, (number, left) = _ranges(hunk.group(2), parents)
        first = sides[0][0]
        owed = [count for _, count in sides]
        # Consume exactly the hunk's rows: their content may look like any header.
        while (left or any(owed)) and i < len(lines):
            row = lines[i]
            i += 1
            if row.startswith(b"\\"):
                continue  # "\ No newline at end of file"
            marks = row[:parents]
            if len(marks) < parents:
                raise GitError(f"combined diff row {row!r} is shorter than its marks")
            if b"-" in marks:  # a line of some parents that the merge does not have
                for p in range(parents):
                    owed[p] -= marks[p] == ord("-")
                if marks[0] == ord("-"):
                    if marks == b"-" * parents:
                        current.deleted.add(first)
                    first += 1
            else:  # a line of the merge, in the parents marked ' '
                for p in range(parents):
                    owed[p] -= marks[p] == ord(" ")
                if marks == b"+" * parents:
                    current.added.add(number)
                first += marks[0] == ord(" ")
                number += 1
                left -= 1
            if left < 0 or min(owed) < 0:
                raise GitError(f"combined diff hunk {line!r} has more rows than it counts")
        if left or any(owed):
            raise GitError(f"combined diff hunk {line!r} ends early")
    return {path: own for path, own in files.items() if own.added or own.deleted}


def merge_own_lines(repo: Repo, commit: str, parents: int) -> dict[str, OwnLines]:
    """The lines a merge commit wrote itself, per path (as the merge names the file)."""
    return parse_combined(repo.git("diff-tree", *_OPTIONS, commit), parents)
