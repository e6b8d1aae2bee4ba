"""``aicode attribute``: the commits of a range, as the hook would have sent them."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result

from aicode.cli.main import cli
from aicode.hook.commits import build_commit_facts
from aicode.hook.git import BranchInfo, find_repo
from tests.hook import conftest as hook_fixtures
from tests.hook.gitrepo import KEY, GitRepo
from tests.hook.recorder import TOKEN, Recorder

# The git repository, environment and recording server fixtures of tests/hook.
git_env = hook_fixtures.git_env
repo = hook_fixtures.repo
recorder = hook_fixtures.recorder


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def history(repo: GitRepo) -> list[str]:
    made = []
    for i in range(3):
        repo.write(f"f{i}.py", f"value = {i}\n")
        made.append(repo.commit(f"commit {i}"))
    return made


def test_a_range_is_sent_oldest_first(repo: GitRepo, recorder: Recorder) -> None:
    made = history(repo)
    repo.git("checkout", "-q", "--detach")  # as in CI
    result = run(
        "attribute", "--repo", str(repo.root), "--url", recorder.url, "--token", TOKEN,
        "--branch", "main", "--json", f"{made[0]}..HEAD",
    )  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "commits": 2,
        "accepted": 2,
        "duplicates": 0,
        "rejected": [],
    }
    expected = build_commit_facts(
        find_repo(repo.root), KEY, "repo", [(h, BranchInfo("main", True)) for h in made[1:]]
    )
    assert recorder.batches == [expected]


def test_one_commit_and_configuration_from_git(repo: GitRepo, recorder: Recorder) -> None:
    made = history(repo)
    repo.configure(recorder.url, TOKEN)
    result = run("attribute", "--repo", str(repo.root), "HEAD~1")
    assert result.stdout == "1 commit(s) sent: 1 stored, 0 already known, 0 refused\n"
    assert [(f["commitHash"], f["branch"]) for f in recorder.facts] == [(made[1], "main")]


def test_dry_run_prints_the_facts(repo: GitRepo, recorder: Recorder) -> None:
    made = history(repo)
    repo.configure(recorder.url, TOKEN)
    result = run("attribute", "--repo", str(repo.root), "--dry-run", "HEAD")
    assert result.exit_code == 0
    expected = build_commit_facts(
        find_repo(repo.root), KEY, "repo", [(made[2], BranchInfo("main", True))]
    )
    assert [json.loads(line) for line in result.stdout.splitlines()] == expected
    assert recorder.batches == []


def test_errors(repo: GitRepo, recorder: Recorder) -> None:
    history(repo)
    result = run("attribute", "--repo", str(repo.root), "nope")
    assert result.exit_code == 2
    assert "'nope' names no commit" in result.stderr
    result = run("attribute", "--repo", str(repo.root), "HEAD")
    assert result.exit_code == 1
    assert result.stderr == "Error: aicode.url and aicode.token are not configured\n"
    result = run(
        "attribute", "--repo", str(repo.root), "--url", "http://127.0.0.1:9", "--token", "t", "HEAD"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: server unreachable:")
    result = run(
        "attribute", "--repo", str(repo.root), "--url", recorder.url, "--token", "bad", "HEAD"
    )
    assert result.exit_code == 1
    assert result.stderr == "Error: server answered 401: invalid API token\n"


def test_commits_without_an_author_email_are_named_and_fail_the_run(
    repo: GitRepo, recorder: Recorder
) -> None:
    made = history(repo)
    repo.git("-c", "user.email=", "commit", "-q", "--allow-empty", "-m", "nobody")
    repo.configure(recorder.url, TOKEN)
    result = run("attribute", "--repo", str(repo.root), f"{made[1]}..HEAD")
    assert result.exit_code == 1
    assert result.stdout == "1 commit(s) sent: 1 stored, 0 already known, 0 refused\n"
    assert result.stderr == (
        "1 commit(s) have no author email, not sent: the server identifies a person by the "
        "commit's author email: set it with `git config --global user.email you@example.com`\n"
    )
    assert [f["commitHash"] for f in recorder.facts] == [made[2]]
