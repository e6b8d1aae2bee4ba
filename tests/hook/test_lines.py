"""Whole lines added and deleted by an agent's string replacements."""

from __future__ import annotations

from aicode.hook.lines import edit_lines, line_diff, split_lines, write_lines


def test_split_lines_counts_like_git() -> None:
    assert split_lines("") == []
    assert split_lines("a\nb\n") == ["a", "b"]
    assert split_lines("a\nb") == ["a", "b"]
    assert split_lines("a\n\n") == ["a", ""]
    # Only \n ends a line: form feeds and the like stay inside it, as in git's diff.
    assert split_lines("a\x0cb\u2028c\n") == ["a\x0cb\u2028c"]


def test_a_fragment_edit_yields_the_whole_lines() -> None:
    after = "x = 1\nvalue = compute(2) + 1\ny = 2\n"
    assert edit_lines(after, "compute(1)", "compute(2)") == (
        ["value = compute(2) + 1"],
        ["value = compute(1) + 1"],
    )


def test_multi_line_edit_keeps_unchanged_lines_out() -> None:
    after = "def f():\n    y = 2\n    return y\n\nz = 0\n"
    assert edit_lines(after, "def f():\n    return 1", "def f():\n    y = 2\n    return y") == (
        ["    y = 2", "    return y"],
        ["    return 1"],
    )


def test_reindenting_is_not_writing() -> None:
    after = "if ok:\n    keep()\n"
    assert edit_lines(after, "keep()", "if ok:\n    keep()") == (["if ok:"], [])


def test_replace_all_counts_every_place() -> None:
    after = "a = LIMIT_B\nb = LIMIT_B\n"
    assert edit_lines(after, "LIMIT_A", "LIMIT_B", replace_all=True) == (
        ["a = LIMIT_B", "b = LIMIT_B"],
        ["a = LIMIT_A", "b = LIMIT_A"],
    )
    assert edit_lines(after, "LIMIT_A", "LIMIT_B") == (["a = LIMIT_B"], ["a = LIMIT_A"])


def test_edit_no_longer_in_the_file_falls_back_to_the_strings() -> None:
    assert edit_lines("unrelated\n", "old line\nsame", "new line\nsame") == (
        ["new line"],
        ["old line"],
    )
    assert edit_lines(None, "a", "b") == (["b"], ["a"])


def test_a_deletion_has_no_new_text_to_find() -> None:
    assert edit_lines("kept\n", "gone\n", "") == ([], ["gone"])


def test_whole_line_edit_ending_in_newline() -> None:
    after = "first\nnew one\nnew two\nlast\n"
    assert edit_lines(after, "old\n", "new one\nnew two\n") == (["new one", "new two"], ["old"])


def test_write_compares_with_the_previous_content() -> None:
    assert write_lines(None, "a\nb\n") == (["a", "b"], [])
    assert write_lines("a\nb\nc\n", "a\nB\nc\nd\n") == (["B", "d"], ["b"])


def test_line_diff_in_order_of_appearance() -> None:
    assert line_diff(["1", "2", "3"], ["0", "1", "3", "4"]) == (["0", "4"], ["2"])
