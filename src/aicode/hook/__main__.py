"""``python -m aicode.hook``: the light entry point the installed hooks call.

The same work as ``aicode hook ...`` and ``aicode agent-hook ...`` without loading the server's
command line (store, HTTP client, ...). Whatever happens it exits 0 and prints nothing, so
neither git nor a coding agent is ever disturbed; problems go to ``.git/aicode/hook.log``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

USAGE = """usage: python -m aicode.hook COMMAND

  post-commit [COMMIT [REF]]  spool COMMIT (default HEAD), made on REF, and deliver
  post-rewrite KIND [REF]     spool a rewrite read from stdin (amend|rebase), deliver
  flush                    deliver the spool
  agent claude-code|cursor read an agent hook's JSON on stdin and send the change
"""


def _detach() -> None:
    # Leave the terminal's session so that ^C in the shell that ran `git commit` does not
    # interrupt a delivery in progress.
    with contextlib.suppress(OSError):
        os.setsid()


def main(argv: list[str]) -> int:
    """Run one hook command; returns the exit status (always 0 for the hooks themselves)."""
    if not argv or argv[0] in ("-h", "--help"):
        sys.stderr.write(USAGE)
        return 0 if argv else 2
    command, args = argv[0], argv[1:]
    if command == "agent":
        from aicode.hook.agent import run_agent_hook

        run_agent_hook(args[0] if args else "", sys.stdin.buffer)
        return 0
    _detach()
    from aicode.hook import run, spool
    from aicode.hook.git import GitError, find_repo
    from aicode.hook.state import log
    from aicode.hook.transport import load_config

    try:
        repo = find_repo(Path.cwd())
    except GitError:
        return 0
    try:
        if command == "post-commit":
            commit = args[0] if args and args[0] else None
            run.post_commit(repo, commit, args[1] if len(args) > 1 else None)
        elif command == "post-rewrite":
            text = sys.stdin.read()
            ref = args[1] if len(args) > 1 else None
            run.post_rewrite(repo, args[0] if args else "", text, ref)
        elif command == "flush":
            spool.flush(repo, load_config(repo))
        else:
            sys.stderr.write(USAGE)
            return 2
    except Exception as exc:
        log(repo.state_dir, f"{command} failed: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
