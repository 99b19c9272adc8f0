"""A1 references: the one module that parses and converts them (core.cells)."""
from __future__ import annotations

import pytest

from rcm_workbooks.core.cells import cell_rc, col_index, col_letter, is_column, parse_cell, parse_range


@pytest.mark.parametrize("index, letters", [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")])
def test_letters_and_indexes_convert_both_ways(index, letters):
    assert col_letter(index) == letters and col_index(letters) == index


def test_cells():
    assert parse_cell("C14") == cell_rc("C14") == (13, 2)
    assert parse_cell("XFD1048576") == (1048575, 16383)
    for bad in ("", "c14", "C0", "C014", "14C", "ABCD1", "C14:D15", "$C$14", "C99999999", None):
        assert parse_cell(bad) is None, bad
    with pytest.raises(ValueError, match="not an A1 cell reference"):
        cell_rc("C0")


def test_columns():
    assert all(is_column(x) for x in ("A", "XFD", "AB"))
    assert not any(is_column(x) for x in ("", "a", "A1", "ABCD", "A B"))


def test_ranges():
    assert parse_range("B2:D9") == (1, 1, 8, 3)
    assert parse_range("B2") == (1, 1, 1, 1)
    assert parse_range("A1:XFD1048576") == (0, 0, 1048575, 16383)
    for bad in ("", "B2:", ":D9", "B2:D", "B2-D9", "b2:d9"):
        assert parse_range(bad) is None, bad
