"""The spool: commits never wait for the server, and every batch arrives exactly once."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from aicode.attribution.fingerprint import encode_key
from aicode.hook import install as installer
from aicode.hook import spool
from aicode.hook.git import find_repo
from aicode.hook.transport import load_config
from tests.hook.gitrepo import KEY, GitRepo, cache_key, hook_command, wait_for
from tests.hook.recorder import TOKEN, Recorder


@pytest.fixture
def hooked(repo: GitRepo, recorder: Recorder) -> GitRepo:
    repo.configure(recorder.url, TOKEN)
    cache_key(repo, recorder.url)
    installer.install(find_repo(repo.root))
    return repo


def log_lines(repo: GitRepo, text: str) -> int:
    path = repo.root / ".git/aicode/hook.log"
    return path.read_text().count(text) if path.exists() else 0


def spooled(repo: GitRepo) -> list[Path]:
    return spool.pending(find_repo(repo.root))


def test_commits_are_spooled_while_the_server_fails_then_delivered_once(
    hooked: GitRepo, recorder: Recorder
) -> None:
    recorder.status = 503
    made = []
    for i in range(3):
        hooked.write(f"f{i}.txt", f"line {i}\n")
        made.append(hooked.commit(f"commit {i}"))
        # One at a time: each hook run tries the whole spool before the next commit.
        wait_for(lambda n=i: log_lines(hooked, "delivery postponed") == n + 1, "the hook run")
    assert len(spooled(hooked)) == 3
    assert recorder.facts == []

    recorder.status = 200
    done = subprocess.run(hook_command("flush"), cwd=hooked.root, env=hooked.env, check=False)
    assert done.returncode == 0
    assert [f["commitHash"] for f in recorder.facts] == made
    assert [len(b) for b in recorder.batches] == [1, 1, 1]
    assert spooled(hooked) == []
    result = spool.flush(find_repo(hooked.root), load_config(find_repo(hooked.root)))
    assert (result.delivered, result.remaining, result.error) == (0, 0, None)
    assert len(recorder.facts) == 3
    log = (hooked.root / ".git/aicode/hook.log").read_text()
    assert log.count("delivered") == 3
    assert TOKEN not in log
    assert encode_key(KEY) not in log


def test_a_refused_batch_is_set_aside_and_not_retried(hooked: GitRepo, recorder: Recorder) -> None:
    recorder.status = 400
    hooked.write("a.txt", "a\n")
    hooked.commit("a")
    wait_for(lambda: log_lines(hooked, "refused, kept in rejected/") == 1, "the refusal")
    assert spooled(hooked) == []
    rejected = list((hooked.root / ".git/aicode/rejected").iterdir())
    assert len(rejected) == 1
    assert json.loads(rejected[0].read_text())["commits"][0]["hash"] == hooked.head()


def test_a_wrong_token_keeps_the_batch(hooked: GitRepo, recorder: Recorder) -> None:
    hooked.git("config", "aicode.token", "aic_wrong")
    hooked.write("a.txt", "a\n")
    hooked.commit("a")
    wait_for(lambda: log_lines(hooked, "server answered 401") == 1, "the 401")
    assert len(spooled(hooked)) == 1
    hooked.git("config", "aicode.token", TOKEN)
    result = spool.flush(find_repo(hooked.root), load_config(find_repo(hooked.root)))
    assert (result.delivered, result.facts, result.remaining) == (1, 1, 0)
    assert [f["commitHash"] for f in recorder.facts] == [hooked.head()]


def test_environment_variables_win_over_git_config(hooked: GitRepo, recorder: Recorder) -> None:
    hooked.git("config", "aicode.token", "aic_wrong")
    found = find_repo(hooked.root)
    config = load_config(found, environ={"AICODE_TOKEN": TOKEN})
    assert (config.url, config.token) == (recorder.url, TOKEN)
    config = load_config(found, environ={"AICODE_URL": "http://other:1/", "AICODE_TOKEN": "x"})
    assert (config.url, config.token) == ("http://other:1", "x")


def test_unconfigured_commits_wait_in_the_spool(repo: GitRepo, recorder: Recorder) -> None:
    installer.install(find_repo(repo.root))
    repo.write("a.txt", "a\n")
    first = repo.commit("a")
    wait_for(lambda: len(spooled(repo)) == 1, "the spool file")
    repo.configure(recorder.url, TOKEN)
    result = spool.flush(find_repo(repo.root), load_config(find_repo(repo.root)))
    assert (result.delivered, result.remaining) == (1, 0)
    assert recorder.key_requests == 1
    assert [f["commitHash"] for f in recorder.facts] == [first]
    assert (repo.root / ".git/aicode/key").stat().st_mode & 0o777 == 0o600


def test_damaged_batches_and_vanished_commits(repo: GitRepo, recorder: Recorder) -> None:
    repo.configure(recorder.url, TOKEN)
    cache_key(repo, recorder.url)
    repo.write("a.txt", "a\n")
    kept = repo.commit("a")
    found = find_repo(repo.root)
    folder = spool.spool_dir(found)
    folder.mkdir(parents=True)
    (folder / "00000000000000000001-1-aaaaaa.json").write_text("{not json")
    document = {
        "version": 1,
        "repo": "repo",
        "commits": [
            {"hash": "0" * 40, "branch": "main", "isPrimaryBranch": True},
            {"hash": kept, "branch": "main", "isPrimaryBranch": True},
        ],
        "facts": [],
    }
    (folder / "00000000000000000002-1-bbbbbb.json").write_text(json.dumps(document))
    result = spool.flush(found, load_config(found))
    assert (result.delivered, result.rejected, result.remaining) == (1, 1, 0)
    assert [f["commitHash"] for f in recorder.facts] == [kept]
    assert log_lines(repo, "1 spooled commit(s) no longer exist; skipped") == 1


def test_concurrent_deliveries_send_each_batch_once(repo: GitRepo, recorder: Recorder) -> None:
    repo.configure(recorder.url, TOKEN)
    cache_key(repo, recorder.url)
    found = find_repo(repo.root)
    made = []
    for i in range(6):
        repo.write(f"f{i}", f"{i}\n")
        made.append(repo.commit(str(i)))
        spool.enqueue(found, "repo", commits=[(made[-1], spool.BranchInfo("main", True))])
    runs = [subprocess.Popen(hook_command("flush"), cwd=repo.root, env=repo.env) for _ in range(3)]
    assert [r.wait(timeout=60) for r in runs] == [0, 0, 0]
    assert [f["commitHash"] for f in recorder.facts] == made
    assert spooled(repo) == []


def test_a_rebase_sends_its_commits_on_their_branch_and_the_mapping(
    hooked: GitRepo, recorder: Recorder
) -> None:
    hooked.write("base.txt", "base\n")
    hooked.commit("base")
    hooked.git("checkout", "-q", "-b", "topic")
    hooked.write("t1.txt", "one\n")
    old1 = hooked.commit("t1")
    hooked.write("t2.txt", "two\n")
    old2 = hooked.commit("t2")
    hooked.git("checkout", "-q", "main")
    hooked.write("m.txt", "main\n")
    hooked.commit("m")
    wait_for(lambda: len(recorder.facts) == 4, "the four commits")
    hooked.git("checkout", "-q", "topic")
    hooked.git("rebase", "-q", "main")
    new1, new2 = hooked.git("rev-list", "--reverse", "main..topic").split()
    wait_for(lambda: len(recorder.facts) == 7, "the rebase")
    batch = recorder.batches[-1]
    assert [(f["type"], f.get("commitHash"), f.get("branch")) for f in batch] == [
        ("commit", new1, "topic"),
        ("commit", new2, "topic"),
        ("rewrite", None, None),
    ]
    assert batch[2] == {
        "type": "rewrite",
        "id": f"repo:rebase:{new1}",
        "user": "dev@acme.dev",
        "ts": "2025-06-02T10:00:00Z",
        "repo": "repo",
        "kind": "rebase",
        "mappings": [{"old": old1, "new": new1}, {"old": old2, "new": new2}],
        "clientVersion": "aicode-hook/0.1.0",
    }
    # Nothing was sent for the commits while HEAD was detached mid-rebase.
    assert [f.get("commitHash") for f in recorder.facts].count(new1) == 1


def test_cherry_pick_is_a_commit_like_any_other(hooked: GitRepo, recorder: Recorder) -> None:
    hooked.write("a.txt", "a\n")
    hooked.commit("a")
    hooked.git("checkout", "-q", "-b", "topic")
    hooked.write("b.txt", "b\n")
    hooked.commit("b")
    hooked.git("checkout", "-q", "main")
    wait_for(lambda: len(recorder.facts) == 2, "two commits")
    hooked.git("cherry-pick", "topic")
    picked = hooked.head()
    wait_for(lambda: len(recorder.facts) == 3, "the cherry-pick")
    fact = recorder.facts[2]
    assert (fact["commitHash"], fact["branch"], fact["isPrimaryBranch"]) == (picked, "main", True)


def test_a_worktree_shares_the_hooks_and_the_spool(
    hooked: GitRepo, recorder: Recorder, tmp_path: Path
) -> None:
    hooked.write("a.txt", "a\n")
    hooked.commit("a")
    wait_for(lambda: len(recorder.facts) == 1, "the first commit")
    hooked.git("worktree", "add", "-q", "-b", "side", str(tmp_path / "side"))
    side = GitRepo(tmp_path / "side", hooked.env)
    side.write("b.txt", "b\n")
    made = side.commit("b")
    wait_for(lambda: len(recorder.facts) == 2, "the worktree's commit")
    fact = recorder.facts[1]
    assert (fact["commitHash"], fact["branch"], fact["repo"]) == (made, "side", "repo")
    assert not (tmp_path / "side/.git/aicode").exists()  # .git is a file in a worktree
