"""Rewrites git reports oddly or not at all: reset squashes, a rebase's internal amends."""

from __future__ import annotations

import pytest

from aicode.hook import install as installer
from aicode.hook import run, spool
from aicode.hook.git import find_repo
from aicode.hook.resets import replaced_by_reset
from tests.hook.gitrepo import EMAIL, GitRepo, cache_key, wait_for
from tests.hook.recorder import TOKEN, Recorder


def history(repo: GitRepo, *names: str) -> list[str]:
    """One commit per name, each adding a file of that name."""
    made = []
    for name in names:
        repo.write(f"{name}.txt", f"{name}\n")
        made.append(repo.commit(name))
    return made


def dropped(repo: GitRepo, branch: str | None = "main") -> list[str]:
    return replaced_by_reset(find_repo(repo.root), repo.head(), branch)


def test_a_soft_reset_squash_reports_the_commits_it_replaced(
    repo: GitRepo, recorder: Recorder
) -> None:
    repo.configure(recorder.url, TOKEN)
    cache_key(repo, recorder.url)
    installer.install(find_repo(repo.root))
    base, one, two = history(repo, "base", "one", "two")
    wait_for(lambda: len(recorder.facts) == 3, "three commits")
    repo.git("reset", "-q", "--soft", "HEAD~2")
    squashed = repo.commit("one and two")
    wait_for(lambda: len(recorder.facts) == 5, "the squash")
    assert recorder.batches[-1][1] == {
        "type": "rewrite",
        "id": f"repo:rebase:{squashed}",
        "user": EMAIL,
        "ts": "2025-06-02T10:00:00Z",
        "repo": "repo",
        "kind": "rebase",
        "mappings": [{"old": one, "new": squashed}, {"old": two, "new": squashed}],
        "clientVersion": "aicode-hook/0.1.0",
    }
    assert recorder.batches[-1][0]["commitHash"] == squashed
    assert base not in str(recorder.batches[-1][1])


def test_an_interactive_rebase_sends_its_mapping_not_its_internal_amends(
    repo: GitRepo, recorder: Recorder
) -> None:
    repo.configure(recorder.url, TOKEN)
    cache_key(repo, recorder.url)
    installer.install(find_repo(repo.root))
    history(repo, "base")
    one, two = history(repo, "one", "two")
    repo.write("one.txt", "one, fixed\n")
    fixup = repo.commit("fixup! one")
    wait_for(lambda: len(recorder.facts) == 4, "four commits")
    repo.env["GIT_SEQUENCE_EDITOR"] = "true"
    # The fixup is an amend inside the rebase, which runs post-rewrite "amend" for it.
    repo.git("rebase", "-q", "-i", "--autosquash", "HEAD~3")
    new_one, new_two = repo.git("rev-list", "--reverse", "HEAD~2..HEAD").split()
    wait_for(lambda: len(recorder.facts) >= 7, "the rebase")
    assert [(f["type"], f.get("commitHash"), f.get("mappings")) for f in recorder.facts[4:]] == [
        ("commit", new_one, None),
        ("commit", new_two, None),
        (
            "rewrite",
            None,
            [
                {"old": one, "new": new_one},
                {"old": fixup, "new": new_one},
                {"old": two, "new": new_two},
            ],
        ),
    ]
    repo.git("commit", "-q", "--amend", "-m", "two, amended")  # outside a rebase: reported
    wait_for(lambda: len(recorder.facts) >= 9, "the amend")
    # post-commit and post-rewrite deliver in either order
    assert sorted((f["type"], f.get("kind")) for f in recorder.facts[7:]) == [
        ("commit", None),
        ("rewrite", "amend"),
    ]


def test_a_mixed_reset_then_add_is_a_squash_too(repo: GitRepo) -> None:
    _, one = history(repo, "base", "one")
    repo.git("reset", "-q", "HEAD~1")
    repo.commit("one again")
    assert dropped(repo) == [one]


def test_ordinary_commits_and_amends_replace_nothing(repo: GitRepo) -> None:
    history(repo, "base")
    assert dropped(repo) == []  # a root commit
    history(repo, "next")
    assert dropped(repo) == []
    repo.git("commit", "-q", "--amend", "-m", "next, amended")  # post-rewrite reports it
    assert dropped(repo) == []
    assert dropped(repo, None) == []  # a detached HEAD has no branch reflog


def test_a_reset_without_a_commit_right_after_it_replaces_nothing(repo: GitRepo) -> None:
    history(repo, "base", "one")
    repo.git("reset", "-q", "--soft", "HEAD~1")
    repo.git("commit", "-q", "-m", "first")
    history(repo, "later")
    # The first commit after the reset was the one that replaced; this one is ordinary.
    assert dropped(repo) == []


def test_commits_another_branch_holds_are_not_replaced(repo: GitRepo) -> None:
    history(repo, "base")
    one, two = history(repo, "one", "two")
    repo.git("branch", "backup", one)
    repo.git("reset", "-q", "--soft", "HEAD~2")
    repo.commit("squash")
    assert dropped(repo) == [two]


@pytest.mark.parametrize("target", ["side", "HEAD"])
def test_a_reset_sideways_or_in_place_replaces_nothing(repo: GitRepo, target: str) -> None:
    history(repo, "base")
    repo.git("checkout", "-q", "-b", "side")
    history(repo, "side")
    repo.git("checkout", "-q", "main")
    history(repo, "main")
    repo.git("reset", "-q", "--soft", target)
    repo.git("commit", "-q", "--allow-empty", "-m", "after a reset")
    assert dropped(repo) == []


def test_a_rewrite_by_nobody_is_logged_not_sent(repo: GitRepo) -> None:
    repo.write("a.txt", "a\n")
    repo.git("add", "-A")
    repo.git("-c", "user.email=", "commit", "-q", "-m", "a")
    old = repo.head()
    repo.git("-c", "user.email=", "commit", "-q", "--amend", "-m", "a, amended")
    new = repo.head()
    found = find_repo(repo.root)
    assert run.post_rewrite(found, "amend", f"{old} {new}\n") is None
    assert spool.pending(found) == []
    log = (repo.root / ".git/aicode/hook.log").read_text()
    assert log.endswith(
        f"amend of {new} not sent: the server identifies a person by the commit's author "
        "email: set it with `git config --global user.email you@example.com`\n"
    )


def test_a_commit_rewritten_into_itself_replaces_nothing(repo: GitRepo) -> None:
    # An amend that changes nothing within the same second gives the very same commit, and
    # git still reports it: the server refuses a mapping of a commit to itself.
    history(repo, "base")
    same = repo.head()
    repo.git("commit", "-q", "--amend", "--no-edit")
    assert repo.head() == same
    assert run.parse_mappings(f"{same} {same}\nAB12 ab12\n{same} {'f' * 40} extra\n") == [
        (same, "f" * 40)
    ]
    found = find_repo(repo.root)
    assert run.post_rewrite(found, "amend", f"{same} {same}\n") is None
    assert spool.pending(found) == []
