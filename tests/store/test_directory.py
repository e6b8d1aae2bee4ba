"""People imports: the shared CSV/JSON parser, the planner's rules and the DuckDB store."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
import sqlglot

from aicode.directory.people import InvalidPeople, people_from_csv, people_from_json
from aicode.directory.plan import preview_import
from aicode.errors import Conflict, InvalidInput
from aicode.ingest.decode import decode_item
from aicode.ingest.service import ingest_items
from aicode.model.tenancy import Organization
from aicode.store.base import DirectoryResult, PersonRecord, Store
from tests.conftest import Tenant

HEADER = "email,name,department,groups,aliases\n"


def send(store: Store, org: Organization, user: str, fact_id: str) -> None:
    item = {
        "type": "completion",
        "id": fact_id,
        "user": user,
        "ts": "2025-06-01T10:00:00Z",
        "countSuggested": 1,
        "countAccepted": 1,
    }
    outcome = ingest_items(store, org, [decode_item(msgspec.json.encode(item), 0)])
    assert outcome.accepted == 1


def completions_of(store: Store, org: Organization) -> list[tuple[str, int]]:
    rows = store.query(
        sqlglot.select("fact_id", "user_num")
        .from_("completions")
        .where(f"org_num = {org.num}")
        .order_by("fact_id")
    )
    return [(r["fact_id"], r["user_num"]) for r in rows]


def result(**counts: int) -> DirectoryResult:
    values = {
        "users_created": 0,
        "users_updated": 0,
        "departments_created": 0,
        "aliases_added": 0,
        "users_unchanged": 0,
        "users_merged": 0,
    } | counts
    return DirectoryResult(**values)


def problems(data: str | bytes) -> list[str]:
    with pytest.raises(InvalidPeople) as caught:
        people_from_csv(data)
    return [str(e) for e in caught.value.errors]


# parsing -------------------------------------------------------------------------------------


def test_csv_rows_are_normalized() -> None:
    data = (
        "\ufeffEmail , Name,Department,Groups,Aliases,Privacy Mode\n"
        "  Ann@Acme.DEV , Ann Lee , Eng / Platform ,backend; oncall|backend, ANN@gmail.com|user_x;"
        " ann@acme.dev ,yes\n"
        "\n"
        "bob@acme.dev,,,,,\n"
    )
    assert people_from_csv(data.encode()) == [
        PersonRecord(
            email="ann@acme.dev",
            name="Ann Lee",
            department="Eng/Platform",
            groups=("backend", "oncall"),
            aliases=("ann@gmail.com", "user_x"),
            privacy_mode=True,
            source="line 2",
        ),
        PersonRecord(email="bob@acme.dev", source="line 4"),
    ]


def test_csv_only_email_column_and_fewer_cells() -> None:
    assert people_from_csv("email,name\ncarol@acme.dev\n") == [
        PersonRecord(email="carol@acme.dev", source="line 2")
    ]


def test_csv_reports_every_bad_line_with_its_number() -> None:
    data = (
        HEADER
        + "ann@acme.dev,Ann,Eng,,\n"
        + "not-an-email,X,,,\n"
        + '"dan@acme.dev","Dan\nDe Vito","Eng//Ops",,\n'  # a quoted cell spans two lines
        + ",Nobody,,,\n"
        + 'eve@acme.dev,Eve,,,"a@x.dev, b@x.dev"\n'
        + "ANN@acme.dev,Ann again,,,\n"
        + "fay@acme.dev,,,,ann@acme.dev\n"
        + "gus@acme.dev,,,,x@y.dev\n"
        + "hal@acme.dev,,,,x@y.dev\n"
        + "ian@acme.dev,,,,,extra\n"
    )
    assert problems(data) == [
        "line 3: invalid email 'not-an-email'",
        "line 4: name contains a control character",
        "line 4: department path 'Eng//Ops' has an empty part",
        "line 6: email is required",
        "line 7: alias 'a@x.dev, b@x.dev' contains a space or comma; separate aliases with"
        " ';' or '|'",
        "line 8: email 'ann@acme.dev' is also on line 2",
        "line 9: alias 'ann@acme.dev' is the email of line 2",
        "line 11: alias 'x@y.dev' is also listed on line 10",
        "line 12: 6 cells but the header has 5 columns (quote cells that contain commas)",
    ]


def test_csv_privacy_mode_must_be_a_boolean() -> None:
    assert problems("email,privacy_mode\nann@acme.dev,maybe\n") == [
        "line 2: privacy_mode must be true or false, not 'maybe'"
    ]


def test_csv_header_problems() -> None:
    assert problems("email,departmnet\n") == [
        "line 1: unknown column 'departmnet' (known: email, name, department, groups, aliases,"
        " privacy_mode)"
    ]
    assert problems("name,name\n") == [
        "line 1: column 'name' appears twice",
        "line 1: the header has no 'email' column",
    ]


def test_csv_that_is_not_csv() -> None:
    with pytest.raises(InvalidInput) as empty:
        people_from_csv(b"\n\n")
    assert (empty.value.message, empty.value.field) == (
        "the CSV is empty; expected a header row (email,name,department,groups,aliases,"
        "privacy_mode)",
        "body",
    )
    with pytest.raises(InvalidInput) as binary:
        people_from_csv(b"email\n\xff\xfe\n")
    assert binary.value.message == "the CSV is not UTF-8 text (bad byte at offset 6)"
    assert problems('email\n"ann@acme.dev\n') == ["line 2: malformed CSV: unexpected end of data"]


def test_invalid_people_summarizes_the_first_problem() -> None:
    with pytest.raises(InvalidPeople) as caught:
        people_from_csv(HEADER + "x,,,,\ny,,,,\n")
    assert caught.value.message == "line 2: invalid email 'x' (and 1 more problem)"
    assert caught.value.field == "email"
    assert [e.as_dict() for e in caught.value.errors] == [
        {"line": 2, "field": "email", "message": "invalid email 'x'"},
        {"line": 3, "field": "email", "message": "invalid email 'y'"},
    ]


def test_json_people() -> None:
    body = {
        "people": [
            {
                "email": "Ann@acme.dev",
                "name": "Ann",
                "department": "Eng",
                "groups": [],
                "aliases": ["A@x.dev"],
                "privacyMode": False,
            },
            {"email": "bob@acme.dev", "name": None, "department": ""},
        ]
    }
    assert people_from_json(body) == [
        PersonRecord(
            email="ann@acme.dev",
            name="Ann",
            department="Eng",
            groups=(),
            aliases=("a@x.dev",),
            privacy_mode=False,
            source="people[0]",
        ),
        PersonRecord(email="bob@acme.dev", source="people[1]"),
    ]


def test_json_errors_name_the_field_by_index() -> None:
    body: dict[str, Any] = {
        "people": [
            {"email": "ann@acme.dev", "groups": "eng", "privacyMode": "yes"},
            "bob@acme.dev",
            {"email": "carol@acme.dev", "team": "x"},
            {"email": 7},
        ]
    }
    with pytest.raises(InvalidPeople) as caught:
        people_from_json(body)
    assert [e.as_dict() for e in caught.value.errors] == [
        {"index": 0, "field": "people[0].groups", "message": "groups must be a list of strings"},
        {
            "index": 0,
            "field": "people[0].privacyMode",
            "message": "privacyMode must be true or false",
        },
        {"index": 1, "field": "people[1]", "message": "each person must be a JSON object"},
        {"index": 2, "field": "people[2].team", "message": "unknown field 'team'"},
        {"index": 3, "field": "people[3].email", "message": "email must be a string"},
    ]
    with pytest.raises(InvalidInput, match='expected a JSON object with a "people" list'):
        people_from_json([{"email": "ann@acme.dev"}])


# importing -----------------------------------------------------------------------------------


def test_import_creates_people_departments_groups_and_aliases(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    people = people_from_csv(
        HEADER + "ann@acme.dev,Ann,Eng/Platform,backend;oncall,ann@gmail.com"
        "|user_cursor1\nbob@acme.dev,Bob,Eng,,\n"
    )
    assert store.import_people(org, people) == result(
        users_created=2, departments_created=2, aliases_added=2
    )
    departments = {d.path: d for d in store.list_departments(org)}
    assert sorted(departments) == ["Eng", "Eng/Platform"]
    assert departments["Eng/Platform"].parent_id == departments["Eng"].id
    ann = store.find_user(org, "USER_CURSOR1")
    assert ann is not None
    assert (ann.email, ann.display_name, ann.groups) == (
        "ann@acme.dev",
        "Ann",
        ("backend", "oncall"),
    )
    assert ann.department_id == departments["Eng/Platform"].id
    assert store.find_user(org, "Ann@Gmail.com") == ann
    assert store.find_user(org, str(ann.num)) == ann
    assert store.find_user(org, ann.encoded_id) == ann


def test_reimporting_the_same_file_changes_nothing(store: Store, tenant: Tenant) -> None:
    data = HEADER + "ann@acme.dev,Ann,Eng/Platform,backend;oncall,ann@gmail.com\nbob@acme.dev,,,,\n"
    store.import_people(tenant.org, people_from_csv(data))
    before = store.list_users(tenant.org)
    assert store.import_people(tenant.org, people_from_csv(data)) == result(users_unchanged=2)
    assert store.list_users(tenant.org) == before
    assert len(store.list_departments(tenant.org)) == 2


def test_empty_cells_keep_values_and_given_groups_replace(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    store.import_people(
        org,
        people_from_csv(
            "email,name,department,groups,privacy_mode\nann@acme.dev,Ann,Eng,a;b,true\n"
        ),
    )
    assert store.import_people(
        org, people_from_csv("email,name,department,groups,privacy_mode\nann@acme.dev,,,,\n")
    ) == result(users_unchanged=1)
    ann = store.find_user(org, "ann@acme.dev")
    assert ann is not None
    assert (ann.display_name, ann.groups, ann.privacy_mode) == ("Ann", ("a", "b"), True)
    assert store.import_people(org, people_from_csv("email,groups\nann@acme.dev,b;c\n")) == result(
        users_updated=1
    )
    assert store.find_user(org, "ann@acme.dev").groups == ("b", "c")  # type: ignore[union-attr]
    store.import_people(
        org, people_from_json({"people": [{"email": "ann@acme.dev", "groups": []}]})
    )
    assert store.find_user(org, "ann@acme.dev").groups == ()  # type: ignore[union-attr]


def test_moving_a_person_and_case_insensitive_departments(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    store.import_people(org, people_from_csv("email,department\nann@acme.dev,Eng/Platform\n"))
    assert store.import_people(
        org, people_from_csv("email,department\nann@acme.dev,eng/platform\n")
    ) == result(users_unchanged=1)
    assert store.import_people(
        org, people_from_csv("email,department\nann@acme.dev,ENG/Data\n")
    ) == result(users_updated=1, departments_created=1)
    paths = {d.id: d.path for d in store.list_departments(org)}
    assert sorted(paths.values()) == ["Eng", "Eng/Data", "Eng/Platform"]
    ann = store.find_user(org, "ann@acme.dev")
    assert ann is not None
    assert paths[ann.department_id or ""] == "Eng/Data"


def test_a_user_ingest_created_is_updated_in_place(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    send(store, org, "Ann@Acme.dev", "c1")
    (auto,) = store.list_users(org)
    assert store.import_people(org, people_from_csv(HEADER + "ann@acme.dev,Ann,Eng,,\n")) == (
        result(users_updated=1, departments_created=1)
    )
    (ann,) = store.list_users(org)
    assert (ann.id, ann.display_name) == (auto.id, "Ann")
    assert completions_of(store, org) == [("c1", auto.num)]


def test_an_alias_takes_over_the_user_ingest_created(store: Store, tenant: Tenant) -> None:
    # Git facts arrived under a personal email before HR listed the person.
    org = tenant.org
    send(store, org, "ann.dev@gmail.com", "c1")
    (auto,) = store.list_users(org)
    assert store.import_people(
        org, people_from_csv(HEADER + "ann@acme.dev,Ann,Eng,,ann.dev@gmail.com\n")
    ) == result(users_updated=1, departments_created=1)
    (ann,) = store.list_users(org)
    assert (ann.id, ann.email, ann.display_name) == (auto.id, "ann@acme.dev", "Ann")
    assert store.find_user(org, "ann.dev@gmail.com") == ann
    send(store, org, "ann@acme.dev", "c2")
    assert completions_of(store, org) == [("c1", ann.num), ("c2", ann.num)]


def test_a_placeholder_without_facts_is_merged(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    store.import_people(org, people_from_csv("email\nann@acme.dev\nann.old@acme.dev\n"))
    store.import_people(org, people_from_csv("email,name\nann@acme.dev,Ann\n"))
    placeholder = store.find_user(org, "ann.old@acme.dev")
    assert placeholder is not None
    assert store.import_people(
        org, people_from_csv("email,aliases\nann@acme.dev,ann.old@acme.dev\n")
    ) == result(users_updated=1, users_merged=1, aliases_added=1)
    ann = store.find_user(org, "ann@acme.dev")
    assert [u.email for u in store.list_users(org)] == ["ann@acme.dev"]
    # Every identity of the merged user now names Ann, and new facts follow.
    for ref in ("ann.old@acme.dev", placeholder.id, placeholder.encoded_id, str(placeholder.num)):
        assert store.find_user(org, ref) == ann
    send(store, org, "ann.old@acme.dev", "c1")
    assert ann is not None
    assert completions_of(store, org) == [("c1", ann.num)]


def test_an_alias_naming_a_user_with_facts_is_a_conflict(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    send(store, org, "ann.dev@gmail.com", "c1")
    store.import_people(org, people_from_csv("email,name\nann@acme.dev,Ann\n"))
    with pytest.raises(Conflict) as caught:
        store.import_people(org, people_from_csv("email,aliases\nann@acme.dev,ann.dev@gmail.com\n"))
    assert caught.value.message == (
        "line 2: alias 'ann.dev@gmail.com' already names a user with facts; merging users that"
        " have facts is not supported"
    )
    assert caught.value.field == "aliases"


def test_an_alias_naming_someone_described_is_a_conflict_and_nothing_is_written(
    store: Store, tenant: Tenant
) -> None:
    org = tenant.org
    store.import_people(
        org, people_from_csv(HEADER + "bob@acme.dev,Bob,Sales,,bob.git@gmail.com\n")
    )
    before = (store.list_users(org), store.list_departments(org))
    with pytest.raises(Conflict) as caught:
        store.import_people(
            org,
            people_from_csv(
                HEADER + "carol@acme.dev,Carol,Eng,,\ndan@acme.dev,Dan,Ops,,bob.git@gmail.com\n"
            ),
        )
    assert caught.value.message == (
        "line 3: alias 'bob.git@gmail.com' already names another person (bob@acme.dev)"
    )
    assert (store.list_users(org), store.list_departments(org)) == before
    with pytest.raises(
        Conflict,
        match=r"^line 2: alias 'bob@acme.dev' already names another "
        r"person$",
    ):
        store.import_people(org, people_from_csv(HEADER + "dan@acme.dev,,,,bob@acme.dev\n"))


def test_two_rows_naming_one_person_conflict(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    store.import_people(org, people_from_csv(HEADER + "ann@acme.dev,Ann,,,ann@gmail.com\n"))
    with pytest.raises(Conflict) as caught:
        store.import_people(
            org, people_from_csv(HEADER + "ann@acme.dev,Ann,,,\nann@gmail.com,Ann G,,,\n")
        )
    assert caught.value.message == (
        "line 3: 'ann@gmail.com' and 'ann@acme.dev' (line 2) name the same person"
    )


def test_add_alias_follows_the_same_rules(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    store.import_people(org, people_from_csv("email,name\nann@acme.dev,Ann\nbob@acme.dev,Bob\n"))
    ann = store.find_user(org, "ann@acme.dev")
    assert ann is not None
    store.add_alias(org, ann, " Lingma-42 ")
    store.add_alias(org, ann, "lingma-42")
    assert store.find_user(org, "LINGMA-42") == ann
    with pytest.raises(Conflict, match=r"^alias 'bob@acme\.dev' already names another person$"):
        store.add_alias(org, ann, "bob@acme.dev")


def test_organizations_do_not_share_identities(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    data = HEADER + "ann@acme.dev,Ann,Eng,,ann@gmail.com\n"
    store.import_people(tenant.org, people_from_csv(data))
    assert store.import_people(other_tenant.org, people_from_csv(data)) == result(
        users_created=1, departments_created=1, aliases_added=1
    )
    assert store.find_user(tenant.org, "ann@gmail.com") != store.find_user(
        other_tenant.org, "ann@gmail.com"
    )


def test_preview_predicts_the_import_and_writes_nothing(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    send(store, org, "ann.dev@gmail.com", "c1")
    store.import_people(org, people_from_csv("email,name,department\nbob@acme.dev,Bob,Eng\n"))
    people = people_from_csv(
        HEADER + "ann@acme.dev,Ann,Eng/Platform,,ann.dev@gmail.com|user_a\n"
        "bob@acme.dev,Bob,Eng,,\ncarol@acme.dev,Carol,Sales,x,\n"
    )
    before = store.list_users(org)
    predicted = preview_import(store, org, people).result()
    assert store.list_users(org) == before
    assert predicted == result(
        users_created=1, users_updated=1, users_unchanged=1, departments_created=2, aliases_added=1
    )
    assert store.import_people(org, people) == predicted
