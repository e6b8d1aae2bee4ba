"""``aicode users``: importing an HR export, listing people and departments, adding aliases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from aicode.cli.main import cli
from aicode.settings import Settings

CSV = (
    "email,name,department,groups,aliases,privacy_mode\n"
    "ann@acme.dev,Ann Lee,Eng/Platform,backend;oncall,ann@gmail.com|user_cursor1,\n"
    "bob@acme.dev,Bob,Eng,,,true\n"
    "carol@acme.dev,Carol,Eng Ops,,,\n"
)


def run(settings: Settings, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", settings.db], input=stdin)


def make_org(settings: Settings, name: str = "acme") -> str:
    result = run(settings, "orgs", "create", name, "--json")
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["organizationId"])


@pytest.fixture
def org(settings: Settings) -> str:
    return make_org(settings)


@pytest.fixture
def people_file(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    return path


def users_json(settings: Settings, org: str) -> list[dict[str, Any]]:
    result = run(settings, "users", "list", "--org", org, "--json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def test_import_then_again(settings: Settings, org: str, people_file: Path) -> None:
    first = run(settings, "users", "import", str(people_file), "--org", org)
    assert (first.exit_code, first.stdout) == (
        0,
        (
            "imported 3 people: 3 created, 0 updated, 0 unchanged, 0 merged; "
            "3 departments created; 2 aliases added\n"
        ),
    )
    second = run(settings, "users", "import", str(people_file), "--org", org, "--json")
    assert second.exit_code == 0
    assert json.loads(second.stdout) == {
        "organizationId": org,
        "people": 3,
        "dryRun": False,
        "usersCreated": 0,
        "usersUpdated": 0,
        "usersUnchanged": 3,
        "usersMerged": 0,
        "departmentsCreated": 0,
        "aliasesAdded": 0,
    }


def test_bad_rows_exit_1_and_write_nothing(settings: Settings, org: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("email,name,department\nann@acme.dev,Ann,Eng\nnope,X,\nbob@acme.dev,,a//b\n")
    result = run(settings, "users", "import", str(bad), "--org", org)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: line 3: invalid email 'nope'\n"
        "error: line 4: department path 'a//b' has an empty part\n"
        "2 problems; nothing was imported\n"
    )
    assert users_json(settings, org) == []
    as_json = run(settings, "users", "import", str(bad), "--org", org, "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout) == {
        "error": {
            "code": "invalid_input",
            "field": "email",
            "message": "line 3: invalid email 'nope' (and 1 more problem)",
        },
        "errors": [
            {"line": 3, "field": "email", "message": "invalid email 'nope'"},
            {
                "line": 4,
                "field": "department",
                "message": "department path 'a//b' has an empty part",
            },
        ],
    }


def test_conflicting_alias_exits_1(settings: Settings, org: str, people_file: Path) -> None:
    run(settings, "users", "import", str(people_file), "--org", org)
    result = run(
        settings,
        "users",
        "import",
        "-",
        "--org",
        org,
        stdin="email,aliases\ndan@acme.dev,ann@gmail.com\n",
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "error: line 2: alias 'ann@gmail.com' already names another person (ann@acme.dev)\n"
    )


def test_dry_run_writes_nothing(settings: Settings, org: str, people_file: Path) -> None:
    result = run(settings, "users", "import", str(people_file), "--org", org, "--dry-run")
    assert (result.exit_code, result.stdout) == (
        0,
        (
            "would import 3 people: 3 created, 0 updated, 0 unchanged, 0 merged; "
            "3 departments created; 2 aliases added (dry run: nothing was written)\n"
        ),
    )
    assert users_json(settings, org) == []


def test_org_is_optional_with_one_organization(
    settings: Settings, org: str, people_file: Path
) -> None:
    assert run(settings, "users", "import", str(people_file)).exit_code == 0
    make_org(settings, "globex")
    ambiguous = run(settings, "users", "list")
    assert ambiguous.exit_code == 2
    assert "the store holds 2 organizations; choose one with --org" in ambiguous.stderr
    unknown = run(settings, "users", "list", "--org", "nope")
    assert unknown.exit_code == 2
    assert "no organization 'nope'" in unknown.stderr


def test_list_show_alias_and_departments(settings: Settings, org: str, people_file: Path) -> None:
    run(settings, "users", "import", str(people_file), "--org", org)
    listed = run(settings, "users", "list", "--org", org)
    assert listed.stdout == (
        "ID  EMAIL           NAME     DEPARTMENT    GROUPS\n"
        "1   ann@acme.dev    Ann Lee  Eng/Platform  backend,oncall\n"
        "2   bob@acme.dev    Bob      Eng\n"
        "3   carol@acme.dev  Carol    Eng Ops\n"
    )
    ann = users_json(settings, org)[0]
    assert {k: ann[k] for k in ("numericId", "email", "displayName", "groups", "privacyMode")} == {
        "numericId": 1,
        "email": "ann@acme.dev",
        "displayName": "Ann Lee",
        "groups": ["backend", "oncall"],
        "privacyMode": False,
    }
    shown = run(settings, "users", "show", "USER_CURSOR1", "--org", org)
    assert shown.stdout == (
        f"id:           {ann['id']}\n"
        "numeric id:   1\n"
        f"encoded id:   {ann['encodedId']}\n"
        "email:        ann@acme.dev\n"
        "name:         Ann Lee\n"
        "department:   Eng/Platform\n"
        "groups:       backend, oncall\n"
        "privacy mode: false\n"
    )
    missing = run(settings, "users", "show", "zed@acme.dev", "--org", org)
    assert (missing.exit_code, missing.stderr) == (1, "error: no user is known as 'zed@acme.dev'\n")
    aliased = run(
        settings, "users", "alias", "bob@acme.dev", "Bob.Git@Gmail.com", "lingma-7", "--org", org
    )
    assert (aliased.exit_code, aliased.stdout) == (0, "2 aliases added to bob@acme.dev\n")
    assert (
        json.loads(run(settings, "users", "show", "lingma-7", "--org", org, "--json").stdout)[
            "email"
        ]
        == "bob@acme.dev"
    )
    taken = run(settings, "users", "alias", "bob@acme.dev", "ann@gmail.com", "--org", org)
    assert (taken.exit_code, taken.stderr) == (
        1,
        "error: alias 'ann@gmail.com' already names another person (ann@acme.dev)\n",
    )
    tree = run(settings, "users", "departments", "--org", org)
    assert tree.stdout == "Eng\n  Platform\nEng Ops\n"
    tree_json = json.loads(run(settings, "users", "departments", "--org", org, "--json").stdout)
    assert [(d["path"], d["name"]) for d in tree_json] == [
        ("Eng", "Eng"),
        ("Eng/Platform", "Platform"),
        ("Eng Ops", "Eng Ops"),
    ]
    assert tree_json[1]["parentId"] == tree_json[0]["id"]


@pytest.mark.parametrize(
    "command",
    [[], ["import"], ["list"], ["show"], ["alias"], ["departments"]],
)
def test_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["users", *command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")


def test_usage_errors_exit_2(settings: Settings, tmp_path: Path) -> None:
    missing = run(settings, "users", "import", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr
    assert run(settings, "users", "list", "--bogus").exit_code == 2
