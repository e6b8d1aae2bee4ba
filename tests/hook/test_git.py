"""The repository identifier and the commit metadata the facts carry."""

from __future__ import annotations

import pytest

from aicode.hook.git import (
    GitError,
    author_email,
    find_repo,
    normalize_remote,
    read_commits,
    repo_id,
    revision_range,
)
from tests.hook.gitrepo import GitRepo


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@github.com:acme/app.git", "github.com/acme/app"),
        ("git@github.com:acme/app", "github.com/acme/app"),
        ("https://github.com/acme/app.git", "github.com/acme/app"),
        ("https://user:secret@GitHub.com/acme/app.git/", "github.com/acme/app"),
        ("ssh://git@gitlab.example.com:2222/group/sub/app.git", "gitlab.example.com/group/sub/app"),
        ("git://example.org/tools/app", "example.org/tools/app"),
        ("github.com:acme/app.git", "github.com/acme/app"),
        ("/srv/git/app.git", None),
        ("file:///srv/git/app.git", None),
        ("../app", None),
    ],
)
def test_normalize_remote(url: str, expected: str | None) -> None:
    assert normalize_remote(url) == expected


def test_repo_id_from_origin_else_directory(repo: GitRepo) -> None:
    assert repo_id(find_repo(repo.root)) == "repo"
    repo.git("remote", "add", "origin", "https://git.acme.dev/platform/api.git")
    assert repo_id(find_repo(repo.root)) == "git.acme.dev/platform/api"
    repo.git("remote", "set-url", "origin", "/srv/mirror/api.git")
    assert repo_id(find_repo(repo.root)) == "repo"


def test_commit_metadata(repo: GitRepo) -> None:
    repo.write("a", "a\n")
    first = repo.commit("subject\n\nbody\x1fwith a unit separator")
    repo.git("-c", "user.email=other@acme.dev", "commit", "-q", "--allow-empty", "-m", "second")
    second = repo.head()
    infos = read_commits(find_repo(repo.root), [second, first])
    assert [(i.hash, i.parents, i.author_email, i.message) for i in infos] == [
        (second, (first,), "other@acme.dev", "second"),
        (first, (), "dev@acme.dev", "subject\n\nbody\x1fwith a unit separator"),
    ]
    assert infos[0].author_time.isoformat() == "2025-06-02T10:00:00+00:00"


def test_author_email_is_the_one_git_would_commit_with(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMAIL", raising=False)
    found = find_repo(repo.root)
    assert author_email(found) == "dev@acme.dev"
    repo.git("config", "author.email", "ann@acme.dev")  # wins over user.email, as in git
    assert author_email(found) == "ann@acme.dev"
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "env@acme.dev")
    assert author_email(found) == "env@acme.dev"
    monkeypatch.delenv("GIT_AUTHOR_EMAIL")
    repo.git("config", "--unset", "author.email")
    repo.git("config", "user.email", "")
    assert author_email(found) is None
    repo.git("config", "--unset", "user.email")
    repo.git("config", "user.useConfigOnly", "true")  # no guessing from the host name
    assert author_email(found) is None


def test_revision_ranges(repo: GitRepo) -> None:
    made = []
    for i in range(3):
        repo.write("a", f"{i}\n")
        made.append(repo.commit(str(i)))
    found = find_repo(repo.root)
    assert revision_range(found, f"{made[0]}..HEAD") == made[1:]
    assert revision_range(found, "HEAD~2") == [made[0]]
    with pytest.raises(GitError, match="'nope' names no commit"):
        revision_range(found, "nope")


def test_not_a_repository(tmp_path: object) -> None:
    with pytest.raises(GitError, match="not in a git working tree"):
        find_repo(str(tmp_path))
