"""A merge's own lines: git's combined diff read by hook/merges.py, and the commit facts.

A merge's file lists as ``ownAddedLines`` the lines no parent has (numbered in the merge) and
as ``ownDeletedLines`` the lines every parent had that the merge removed (numbered in the
first parent, as ``deletedLines``).
"""

from __future__ import annotations

import subprocess

import pytest

from aicode.hook.git import GitError
from aicode.hook.merges import OwnLines, parse_combined, unquote_path
from tests.hook.gitrepo import GitRepo
from tests.hook.test_commit_facts import fact_of, file_entry, lines

BASE = "".join(f"line {n}\n" for n in range(1, 13))


def _conflict(repo: GitRepo, path: str, ours: str, theirs: str) -> None:
    """Commit BASE, change line 3 on a branch and on main, and start merging: a conflict."""
    repo.write(path, BASE)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(path, BASE.replace("line 3\n", theirs))
    repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.write(path, BASE.replace("line 3\n", ours))
    repo.commit("main")
    done = subprocess.run(
        ["git", "merge", "-q", "feature"],
        cwd=repo.root,
        env=repo.env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout


def test_a_conflict_resolution_is_the_merges_own(repo: GitRepo) -> None:
    _conflict(repo, "src/app.py", "ours\n", "theirs\n")
    # Resolved with a line of its own; the merge also drops line 10, which both sides had.
    repo.write("src/app.py", BASE.replace("line 3\n", "resolved\n").replace("line 10\n", ""))
    repo.commit("merge")
    (app,) = fact_of(repo)["files"]
    assert app == file_entry(
        "src/app.py", lines((3, "resolved")), lines((3, "ours"), (10, "line 10"))
    ) | {"ownAddedLines": [3], "ownDeletedLines": [10]}


def test_a_resolution_taking_one_side_writes_nothing(repo: GitRepo) -> None:
    _conflict(repo, "src/app.py", "ours\n", "theirs\n")
    repo.write("src/app.py", BASE.replace("line 3\n", "theirs\n"))
    repo.commit("merge")
    assert fact_of(repo)["files"] == [
        file_entry("src/app.py", lines((3, "theirs")), lines((3, "ours")))
    ]


def test_own_lines_of_a_renamed_file_with_a_quoted_name(repo: GitRepo) -> None:
    _conflict(repo, "tab\there.py", "ours\n", "theirs\n")
    repo.write("tab\there.py", BASE.replace("line 3\n", "both\n"))
    repo.git("add", "tab\there.py")
    repo.git("mv", "tab\there.py", "sp ace ü.py")
    repo.commit("merge")
    (moved,) = fact_of(repo)["files"]
    assert moved == file_entry(
        "sp ace ü.py", lines((3, "both")), lines((3, "ours")), oldPath="tab\there.py"
    ) | {"ownAddedLines": [3]}


def test_a_clean_merge_and_an_ordinary_commit_have_no_own_lines(repo: GitRepo) -> None:
    repo.write("a.py", BASE)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("b.py", "feature\n")
    repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.write("a.py", BASE + "main\n")
    repo.commit("main")
    assert "ownAddedLines" not in fact_of(repo)["files"][0]
    repo.git("merge", "-q", "--no-ff", "-m", "merge", "feature")
    assert fact_of(repo)["files"] == [file_entry("b.py", lines((1, "feature")), [])]


def test_an_octopus_merge(repo: GitRepo) -> None:
    repo.write("a.py", BASE)
    repo.commit("base")
    for branch in ("one", "two"):
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.write(f"{branch}.py", f"{branch}\n")
        repo.commit(branch)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "one", "two")
    repo.write("a.py", BASE + "evil\n")  # a line of the merge's own, in no parent
    repo.commit("octopus")
    fact = fact_of(repo)
    assert len(fact["parents"]) == 3
    assert fact["files"] == [
        file_entry("a.py", lines((13, "evil")), []) | {"ownAddedLines": [13]},
        file_entry("one.py", lines((1, "one")), []),
        file_entry("two.py", lines((1, "two")), []),
    ]


# the combined diff parser --------------------------------------------------------------------

COMBINED = b"""\
diff --cc src/app.py
index 25bfaaf,5a422c2..6c5347a
--- a/src/app.py
+++ b/src/app.py
@@@ -1,4 -1,4 +1,4 @@@
  l1
 -l2
 -B
 +l2main
- A
++C
  l4
@@@ -8,3 -8,5 +8,4 @@@ l
  l8
--Y
  l10
+ feat1
+ feat2
\\ No newline at end of file
diff --cc "tab\\there \\"q\\" \\303\\274.py"
index 1,2..3
--- "a/tab\\there"
+++ "b/tab\\there"
@@@ -1,1 -1,1 +1,1 @@@
- ours
 -theirs
++--mine
diff --cc logo.png
index 1,2..3
Binary files differ
"""


def test_parse_combined_numbers_own_lines_in_the_merge_and_the_first_parent() -> None:
    assert parse_combined(COMBINED, 2) == {
        # C is line 3 of the merge, Y line 9 of the first parent; "++--mine" is an added line
        # whose text starts with dashes.
        "src/app.py": OwnLines(added={3}, deleted={9}),
        'tab\there "q" ü.py': OwnLines(added={1}),
    }


def test_parse_combined_of_three_parents() -> None:
    patch = b"diff --cc a.py\n@@@@ -1,1 -1,1 -1,1 +1,2 @@@@\n   base\n+++evil\n"
    assert parse_combined(patch, 3) == {"a.py": OwnLines(added={2})}


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (b"diff --cc a.py\n@@@ -1,2 -1,1 +1,1 @@@\n  same\n", "ends early"),
        (b"diff --cc a.py\n@@@ -1,0 -1,0 +1,2 @@@\n++x\n", "ends early"),
        (b"diff --cc a.py\n@@@ -1,1 -1,0 +1,1 @@@\n -x\n", "more rows than it counts"),
        (b"diff --cc a.py\n@@@ -1,1 +1,1 @@@\n  same\n", "expected 3 ranges"),
        (b"diff --cc a.py\n@@@@ -1 -1 -1 +1 @@@@\n   x\n", "not 2 parents"),
        (b"diff --cc a.py\n@@@ -1,1 -1,2 +1,1 @@@\n-\n", "shorter than its marks"),
    ],
)
def test_parse_combined_refuses_what_it_cannot_follow(patch: bytes, message: str) -> None:
    with pytest.raises(GitError, match=message):
        parse_combined(patch, 2)


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        (b"plain name.py", "plain name.py"),
        (b'"tab\\tnew\\nline.py"', "tab\tnew\nline.py"),
        (b'"\\303\\274 \\"quoted\\" back\\\\slash"', 'ü "quoted" back\\slash'),
        (b'"\\a\\b\\v\\f\\r"', "\a\b\v\f\r"),
    ],
)
def test_unquote_path(raw: bytes, path: str) -> None:
    assert unquote_path(raw) == path
