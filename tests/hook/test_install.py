"""``aicode hook install`` / ``uninstall``: chaining hooks, core.hooksPath, exact restore."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from aicode.hook import install as installer
from aicode.hook.git import find_repo
from tests.hook.gitrepo import GitRepo, cache_key, wait_for
from tests.hook.recorder import TOKEN, Recorder

Snapshot = dict[str, tuple[int, bytes]]


def snapshot(folder: Path) -> Snapshot:
    """Every entry of a directory: its mode and content (a symlink: its target)."""
    if not folder.exists():
        return {}
    result = {}
    for entry in sorted(folder.iterdir()):
        info = entry.lstat()
        body = os.readlink(entry).encode() if entry.is_symlink() else entry.read_bytes()
        result[entry.name] = (stat.S_IMODE(info.st_mode) | stat.S_IFMT(info.st_mode), body)
    return result


def write_hook(path: Path, text: str, mode: int = 0o755) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


@pytest.fixture
def served(repo: GitRepo, recorder: Recorder) -> GitRepo:
    repo.configure(recorder.url, TOKEN)
    cache_key(repo, recorder.url)
    return repo


def test_install_then_uninstall_leaves_the_hooks_directory_as_it_was(repo: GitRepo) -> None:
    hooks = repo.root / ".git/hooks"
    before = snapshot(hooks)
    changes = installer.install(find_repo(repo.root), python="/usr/bin/python3")
    assert [(c.name, c.action) for c in changes] == [
        ("post-commit", "installed"),
        ("post-rewrite", "installed"),
    ]
    for name in installer.HOOKS:
        assert installer.is_ours(hooks / name)
        assert (hooks / name).stat().st_mode & 0o777 == 0o755
        assert "'/usr/bin/python3'" not in (hooks / name).read_text()  # no quoting needed
        assert "aicode_python=/usr/bin/python3\n" in (hooks / name).read_text()
    again = installer.install(find_repo(repo.root))
    assert [c.action for c in again] == ["updated", "updated"]
    assert not (hooks / "post-commit.aicode-previous").exists()
    removed = installer.uninstall(find_repo(repo.root))
    assert [c.action for c in removed] == ["removed", "removed"]
    assert snapshot(hooks) == before
    assert [c.action for c in installer.uninstall(find_repo(repo.root))] == ["absent", "absent"]


PREVIOUS_POST_COMMIT = """#!/bin/sh
# an existing hook that finds a helper next to itself, as husky's do
. "$(dirname "$0")/helper.sh"
echo "post-commit $(basename "$0") args=$#" >> "$(git rev-parse --git-dir)/previous.log"
helper_says
"""
PREVIOUS_POST_REWRITE = """#!/usr/bin/env python3
import sys, pathlib
pathlib.Path(".git/previous-rewrite.log").write_text(sys.argv[1] + "\\n" + sys.stdin.read())
sys.exit(3)
"""


def test_existing_hooks_are_chained_and_restored(served: GitRepo, recorder: Recorder) -> None:
    hooks = served.root / ".git/hooks"
    write_hook(hooks / "helper.sh", "helper_says() { echo helper >> .git/previous.log; }\n", 0o644)
    write_hook(hooks / "post-commit", PREVIOUS_POST_COMMIT)
    write_hook(hooks / "post-rewrite", PREVIOUS_POST_REWRITE)
    before = snapshot(hooks)
    changes = installer.install(find_repo(served.root))
    assert [c.action for c in changes] == ["chained", "chained"]
    assert (hooks / "post-commit.aicode-previous").read_text() == PREVIOUS_POST_COMMIT

    served.write("a.txt", "one\n")
    first = served.commit("first")
    wait_for(lambda: len(recorder.facts) == 1, "the commit to arrive")
    assert recorder.facts[0]["commitHash"] == first
    # $0 is the hook's own path, so the helper next to it was found and the name is right.
    assert (
        served.root / ".git/previous.log"
    ).read_text() == "post-commit post-commit args=0\nhelper\n"

    served.git("commit", "-q", "--amend", "-m", "amended")
    amended = served.head()
    wait_for(lambda: len(recorder.facts) == 3, "the amended commit and the rewrite")
    assert (served.root / ".git/previous-rewrite.log").read_text() == f"amend\n{first} {amended}\n"
    kinds = sorted(
        (f["type"], f.get("commitHash") or f["mappings"][0]["new"]) for f in recorder.facts
    )
    assert kinds == sorted([("commit", first), ("commit", amended), ("rewrite", amended)])

    assert [c.action for c in installer.uninstall(find_repo(served.root))] == [
        "restored",
        "restored",
    ]
    assert snapshot(hooks) == before


def test_the_previous_hooks_exit_status_is_kept(repo: GitRepo) -> None:
    hooks = repo.root / ".git/hooks"
    write_hook(hooks / "post-commit", "#!/bin/sh\nexit 7\n")
    installer.install(find_repo(repo.root), python="/nonexistent/python")
    done = subprocess.run([str(hooks / "post-commit")], cwd=repo.root, env=repo.env, check=False)
    assert done.returncode == 7


def test_a_non_executable_previous_hook_stays_ignored(repo: GitRepo) -> None:
    hooks = repo.root / ".git/hooks"
    write_hook(hooks / "post-commit", "#!/bin/sh\ntouch ran\n", 0o644)
    before = snapshot(hooks)
    installer.install(find_repo(repo.root), python="/nonexistent/python")
    repo.write("a", "a\n")
    repo.commit("a")
    assert not (repo.root / "ran").exists()  # git would not have run it either
    installer.uninstall(find_repo(repo.root))
    assert snapshot(hooks) == before


def test_core_hooks_path_is_honoured(served: GitRepo, recorder: Recorder) -> None:
    shared = served.root / ".githooks"
    write_hook(shared / "post-commit", "#!/bin/sh\necho shared >> .git/shared.log\n")
    served.git("config", "core.hooksPath", ".githooks")
    before = snapshot(shared)
    default_before = snapshot(served.root / ".git/hooks")
    changes = installer.install(find_repo(served.root))
    assert [(c.path, c.action) for c in changes] == [
        (str(shared / "post-commit"), "chained"),
        (str(shared / "post-rewrite"), "installed"),
    ]
    served.write("a.txt", "a\n")
    served.commit("a")
    wait_for(lambda: len(recorder.facts) == 1, "the commit to arrive")
    assert (served.root / ".git/shared.log").read_text() == "shared\n"
    assert snapshot(served.root / ".git/hooks") == default_before
    installer.uninstall(find_repo(served.root))
    assert snapshot(shared) == before


def test_a_hooks_directory_created_by_install_goes_away_on_uninstall(repo: GitRepo) -> None:
    repo.git("config", "core.hooksPath", "tools/hooks")
    installer.install(find_repo(repo.root))
    assert (repo.root / "tools/hooks/post-commit").exists()
    installer.uninstall(find_repo(repo.root))
    assert not (repo.root / "tools/hooks").exists()
    assert (repo.root / "tools").exists()  # only what install created


def test_a_hook_replaced_after_install_is_left_alone(repo: GitRepo) -> None:
    hooks = repo.root / ".git/hooks"
    write_hook(hooks / "post-commit", "#!/bin/sh\necho original\n")
    installer.install(find_repo(repo.root))
    write_hook(hooks / "post-commit", "#!/bin/sh\necho someone else\n")
    changes = installer.uninstall(find_repo(repo.root))
    assert [c.action for c in changes] == ["foreign", "removed"]
    assert (hooks / "post-commit").read_text() == "#!/bin/sh\necho someone else\n"
    assert (hooks / "post-commit.aicode-previous").read_text() == "#!/bin/sh\necho original\n"


def test_shell_detection_for_chained_hooks(tmp_path: Path) -> None:
    cases = {
        "#!/bin/sh\n": ["/bin/sh"],
        "#!/bin/bash -e\n": ["/bin/bash", "-e"],
        "#!/usr/bin/env bash\n": ["/usr/bin/env", "bash"],
        "#!/usr/bin/env sh\n": ["/usr/bin/env", "sh"],
        "echo no shebang\n": ["/bin/sh"],
        "#!/usr/bin/env python3\n": [],
        "#!/usr/bin/node\n": [],
    }
    for text, expected in cases.items():
        script = tmp_path / "hook"
        script.write_text(text)
        assert installer.shell_of(script) == expected, text
