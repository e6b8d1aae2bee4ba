"""Commit facts from real git: line numbers, fingerprints, renames, binary, merges, submodules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aicode.attribution.fingerprint import fingerprint
from aicode.hook import facts as wire
from aicode.hook.commits import build_commit_facts
from aicode.hook.git import BranchInfo, current_branch, find_repo
from tests.hook.gitrepo import EMAIL, KEY, GitRepo, make_repo

TS = "2025-06-02T10:00:00Z"


def lines(*numbered: tuple[int, str], trivial: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    return [
        {"line": n, "fp": fingerprint(KEY, text), "trivial": n in trivial} for n, text in numbered
    ]


def fact_of(repo: GitRepo, rev: str = "HEAD") -> dict[str, Any]:
    found = find_repo(repo.root)
    commit = repo.git("rev-parse", rev).strip()
    return build_commit_facts(found, KEY, "acme/app", [(commit, current_branch(found))])[0]


def files_of(repo: GitRepo, rev: str = "HEAD") -> list[dict[str, Any]]:
    return fact_of(repo, rev)["files"]  # type: ignore[no-any-return]


def file_entry(path: str, added: list[Any], deleted: list[Any], **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": path}
    if "oldPath" in extra:
        entry["oldPath"] = extra.pop("oldPath")
    entry |= {
        "binary": extra.pop("binary", False),
        "linesAdded": len(added),
        "linesDeleted": len(deleted),
        "addedLines": added,
        "deletedLines": deleted,
    }
    assert not extra
    return entry


def test_root_commit_is_the_whole_tree_with_binary_files(repo: GitRepo) -> None:
    repo.write("src/a.py", "def f():\n    return 1\n\n}\n")
    repo.write("logo.png", b"\x89PNG\x00\x01\x02")
    commit = repo.commit("first\n\nbody line")
    assert fact_of(repo) == {
        "type": "commit",
        "repo": "acme/app",
        "commitHash": commit,
        "parents": [],
        "branch": "main",
        "isPrimaryBranch": True,
        "message": "first\n\nbody line",
        "ts": TS,
        "committedAt": TS,
        "user": EMAIL,
        "clientVersion": "aicode-hook/0.1.0",
        "files": [
            {
                "path": "logo.png",
                "binary": True,
                "linesAdded": 0,
                "linesDeleted": 0,
                "addedLines": [],
                "deletedLines": [],
            },
            file_entry(
                "src/a.py",
                lines((1, "def f():"), (2, "    return 1"), (3, ""), (4, "}"), trivial=(3, 4)),
                [],
            ),
        ],
    }


def test_added_lines_numbered_in_the_new_file_deleted_in_the_old(repo: GitRepo) -> None:
    repo.write("a.py", "one\ntwo\nthree\nfour\nfive\n")
    first = repo.commit("first")
    repo.write("a.py", "one\nTWO\nthree\nfour\ninserted\n")
    repo.commit("second")
    fact = fact_of(repo)
    assert fact["parents"] == [first]
    assert fact["files"] == [
        file_entry(
            "a.py",
            lines((2, "TWO"), (5, "inserted")),
            lines((2, "two"), (5, "five")),
        )
    ]


def test_rename_with_changes_names_the_old_path(repo: GitRepo) -> None:
    body = "".join(f"line {i}\n" for i in range(1, 11))
    repo.write("old/name.py", body)
    repo.commit("first")
    (repo.root / "new").mkdir()
    repo.git("mv", "old/name.py", "new/name.py")
    repo.write("new/name.py", body.replace("line 3\n", "line three\n"))
    repo.commit("rename")
    assert files_of(repo) == [
        file_entry(
            "new/name.py", lines((3, "line three")), lines((3, "line 3")), oldPath="old/name.py"
        )
    ]


def test_pure_rename_and_deletion(repo: GitRepo) -> None:
    repo.write("a.txt", "alpha\nbeta\n")
    repo.write("gone.txt", "x\n{\n")
    repo.commit("first")
    repo.git("mv", "a.txt", "b.txt")
    repo.git("rm", "-q", "gone.txt")
    repo.commit("second")
    assert files_of(repo) == [
        file_entry("b.txt", [], [], oldPath="a.txt"),
        file_entry("gone.txt", [], lines((1, "x"), (2, "{"), trivial=(2,))),
    ]


def test_merge_commit_is_diffed_against_its_first_parent(repo: GitRepo) -> None:
    repo.write("a.py", "base\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("b.py", "feature line\n")
    feature = repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.write("a.py", "base\nmain line\n")
    main = repo.commit("main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    fact = fact_of(repo)
    assert fact["parents"] == [main, feature]
    assert fact["files"] == [file_entry("b.py", lines((1, "feature line")), [])]


def test_submodule_pointer_is_not_a_file_of_lines(
    repo: GitRepo, tmp_path: Path, git_env: dict[str, str]
) -> None:
    library = make_repo(tmp_path / "library", git_env)
    library.write("lib.py", "x = 1\n")
    library.commit("lib")
    repo.write("a.py", "a\n")
    repo.commit("first")
    repo.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(library.root),
        "vendor/lib",
    )
    repo.commit("add submodule")
    gitmodules = (repo.root / ".gitmodules").read_text().splitlines()
    assert files_of(repo) == [
        file_entry(".gitmodules", lines(*enumerate(gitmodules, start=1)), []),
    ]


def test_type_change_mode_change_and_empty_file(repo: GitRepo) -> None:
    repo.write("link", "was a file\n")
    repo.write("tool.sh", "echo hi\n")
    repo.commit("first")
    (repo.root / "link").unlink()
    (repo.root / "link").symlink_to("target/path")
    (repo.root / "tool.sh").chmod(0o755)
    repo.write("empty.txt", "")
    repo.commit("second")
    assert files_of(repo) == [
        file_entry("empty.txt", [], []),
        file_entry("link", lines((1, "target/path")), lines((1, "was a file"))),
        file_entry("tool.sh", [], []),
    ]


def test_unusual_paths_and_line_endings(repo: GitRepo) -> None:
    name = 'dir with space/naïve "quoted"\\file.txt'
    repo.write(name, "crlf line\r\n  indented  \r\nno newline at end")
    repo.write("latin1.txt", "caf\xe9\n".encode("latin-1"))
    repo.commit("odd")
    assert files_of(repo) == [
        file_entry(
            name,
            lines((1, "crlf line"), (2, "indented"), (3, "no newline at end")),
            [],
        ),
        file_entry(
            "latin1.txt", [{"line": 1, "fp": fingerprint(KEY, "caf\udce9"), "trivial": False}], []
        ),
    ]
    # Surrounding whitespace and the CR do not change a line's fingerprint.
    assert files_of(repo)[0]["addedLines"][0]["fp"] == fingerprint(KEY, "crlf line\r")


def test_lines_that_look_like_diff_headers(repo: GitRepo) -> None:
    repo.write("a.txt", "-- a\n")
    repo.commit("first")
    repo.write("a.txt", "++ b/a.txt\n--- x\ndiff --git a/x b/x\n@@ -1 +1 @@\n")
    repo.commit("second")
    assert files_of(repo) == [
        file_entry(
            "a.txt",
            lines((1, "++ b/a.txt"), (2, "--- x"), (3, "diff --git a/x b/x"), (4, "@@ -1 +1 @@")),
            lines((1, "-- a")),
        )
    ]


def test_branch_and_primary_branch(repo: GitRepo) -> None:
    repo.write("a", "a\n")
    repo.commit("a")
    found = find_repo(repo.root)
    assert current_branch(found) == BranchInfo("main", True)
    repo.git("checkout", "-q", "-b", "topic")
    assert current_branch(found) == BranchInfo("topic", False)
    # Once the remote's default branch is known it decides, not the name.
    repo.git("update-ref", "refs/remotes/origin/topic", "HEAD")
    repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/topic")
    assert current_branch(found) == BranchInfo("topic", True)
    repo.git("checkout", "-q", "main")
    assert current_branch(found) == BranchInfo("main", False)
    repo.git("checkout", "-q", "--detach")
    assert current_branch(found) == BranchInfo(None, False)
    assert fact_of(repo)["branch"] is None


def test_huge_commits_send_counts_past_the_line_budget(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wire, "MAX_NUMBERED_LINES", 3)
    repo.write("a.txt", "1\n2\n")
    repo.write("b.txt", "1\n2\n")
    repo.write("c.txt", "x\n")
    repo.commit("big")
    assert files_of(repo) == [
        file_entry("a.txt", lines((1, "1"), (2, "2")), []),
        {"path": "b.txt", "binary": False, "linesAdded": 2, "linesDeleted": 0},
        file_entry("c.txt", lines((1, "x")), []),
    ]


def test_author_email_and_time_and_committer_time(repo: GitRepo) -> None:
    repo.write("a.py", "x = 1\n")
    repo.commit("a")
    # Someone else amends it an hour later: the author and the author time stay.
    repo.env["GIT_COMMITTER_DATE"] = "2025-06-02T11:00:00Z"
    repo.git("-c", "user.email=lead@acme.dev", "commit", "-q", "--amend", "-m", "a, amended")
    fact = fact_of(repo)
    assert (fact["user"], fact["ts"], fact["committedAt"]) == (EMAIL, TS, "2025-06-02T11:00:00Z")


def test_a_commit_without_an_author_email_is_left_out_and_logged(repo: GitRepo) -> None:
    repo.write("a.py", "x = 1\n")
    named = repo.commit("named")
    repo.write("a.py", "x = 2\n")
    repo.git("-c", "user.email=", "commit", "-q", "-am", "nobody")
    nobody = repo.head()
    found = find_repo(repo.root)
    branch = BranchInfo("main", True)
    built = build_commit_facts(found, KEY, "acme/app", [(nobody, branch), (named, branch)])
    assert [f["commitHash"] for f in built] == [named]
    log = (repo.root / ".git/aicode/hook.log").read_text()
    assert log.endswith(
        f"commit {nobody} has no author email, not sent: the server identifies a person by "
        "the commit's author email: set it with "
        "`git config --global user.email you@example.com`\n"
    )


def test_rewrite_fact() -> None:
    import datetime as dt

    fact = wire.rewrite_fact(
        "github.com/acme/app",
        "rebase",
        [("a" * 40, "b" * 40), ("c" * 40, "b" * 40)],
        EMAIL,
        dt.datetime(2025, 6, 2, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    )
    assert fact == {
        "type": "rewrite",
        "id": "github.com/acme/app:rebase:" + "b" * 40,
        "user": EMAIL,
        "ts": "2025-06-02T10:00:00Z",
        "repo": "github.com/acme/app",
        "kind": "rebase",
        "mappings": [{"old": "a" * 40, "new": "b" * 40}, {"old": "c" * 40, "new": "b" * 40}],
        "clientVersion": "aicode-hook/0.1.0",
    }
