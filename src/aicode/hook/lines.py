"""Which lines an agent's edit added and deleted, from the strings its hook reports.

An edit hook sees ``old_string`` and ``new_string``, often fragments of lines. The edit is
found in the file as it is after the edit and widened to whole lines, and those are compared
with the same lines before the edit: the result is whole lines, as a commit's diff has them.
Lines are compared without surrounding whitespace, as fingerprints are: re-indenting a line
is not writing it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from aicode.attribution.fingerprint import normalize

Lines = list[str]


def split_lines(text: str) -> Lines:
    """A text's lines as git counts them (on ``\\n`` only; no empty line after the last one)."""
    if not text:
        return []
    parts = text.split("\n")
    return parts[:-1] if parts[-1] == "" else parts


def line_diff(before: Sequence[str], after: Sequence[str]) -> tuple[Lines, Lines]:
    """(added, deleted) lines turning ``before`` into ``after``, each in order of appearance."""
    matcher = difflib.SequenceMatcher(
        None, [normalize(x) for x in before], [normalize(x) for x in after], autojunk=False
    )
    added: Lines = []
    deleted: Lines = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            deleted.extend(before[i1:i2])
        if tag in ("replace", "insert"):
            added.extend(after[j1:j2])
    return added, deleted


def _occurrences(text: str, needle: str, every: bool) -> list[int]:
    found = []
    start = text.find(needle)
    while start >= 0:
        found.append(start)
        if not every:
            break
        start = text.find(needle, start + len(needle))
    return found


def edit_lines(
    current: str | None, old: str, new: str, *, replace_all: bool = False
) -> tuple[Lines, Lines]:
    """(added, deleted) whole lines of one ``old -> new`` replacement in ``current`` (after it).

    When the new text cannot be found in the file (edited again since, or unreadable), the
    strings' own lines are compared instead.
    """
    places = _occurrences(current, new, replace_all) if current is not None and new else []
    if not places:
        return line_diff(split_lines(old), split_lines(new))
    assert current is not None
    added: Lines = []
    deleted: Lines = []
    for place in places:
        start = current.rfind("\n", 0, place) + 1
        end = current.find("\n", place + len(new))
        end = len(current) if end < 0 else end
        after = current[start:end]
        before = current[start:place] + old + current[place + len(new) : end]
        more_added, more_deleted = line_diff(before.split("\n"), after.split("\n"))
        added.extend(more_added)
        deleted.extend(more_deleted)
    return added, deleted


def write_lines(previous: str | None, content: str) -> tuple[Lines, Lines]:
    """(added, deleted) lines of a whole-file write over ``previous`` (None: a new file)."""
    return line_diff(split_lines(previous or ""), split_lines(content))
