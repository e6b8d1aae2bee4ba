"""A view's filters read from a URL and written back."""

import pytest
from starlette.datastructures import QueryParams

from aicode.errors import InvalidInput
from aicode.web.params import View, parse_bool, parse_page, parse_search


def test_filters_read_from_a_query_string() -> None:
    view = View.from_query(
        QueryParams("start=2025-06-01&repo=&source=TAB&source=AGENT,TAB&primaryBranchOnly=on")
    )
    assert view == View(start="2025-06-01", source="TAB,AGENT", primary_branch_only=True)
    assert view.params() == {
        "start": "2025-06-01",
        "source": "TAB,AGENT",
        "primaryBranchOnly": "true",
    }
    assert View.from_query(QueryParams("")) == View()


def test_links_keep_the_filters_and_change_some() -> None:
    view = View(start="2025-06-01", end="2025-06-30", repo="core")
    assert view.query() == "?start=2025-06-01&end=2025-06-30&repo=core"
    assert view.query(page=2, repo=None) == "?start=2025-06-01&end=2025-06-30&page=2"
    assert view.replace(repo="a b&c").query() == ("?start=2025-06-01&end=2025-06-30&repo=a+b%26c")
    assert View().query() == ""


def test_bad_values_name_their_field() -> None:
    with pytest.raises(InvalidInput, match="primaryBranchOnly must be true or false") as bad:
        parse_bool("maybe", "primaryBranchOnly")
    assert bad.value.field == "primaryBranchOnly"
    assert parse_bool(None, "x") is False
    assert parse_bool("FALSE", "x") is False
    assert parse_page(None) == parse_page("") == 1
    assert parse_page("7") == 7
    for value in ("0", "-1", "1.5", "2000000"):
        with pytest.raises(InvalidInput, match="page must be a whole number from 1"):
            parse_page(value)
    assert parse_search("  core ") == "core"
    assert parse_search("   ") is None
    with pytest.raises(InvalidInput, match="q may be at most 200 characters"):
        parse_search("x" * 201)
