"""The estimate of wrapped text (core/textfit.py) that sets every written row's height: letters
measured by their width, in the width the column shows."""
from __future__ import annotations

from rcm_workbooks.core import textfit as T


def test_narrow_letters_take_less_room_than_wide_ones():
    assert T.text_width("iiii") == 2.0 and T.text_width("0000") == 4.0
    assert T.text_width("MMMM") > 6.8
    # counted as whole characters, a line of 17 in a column of 16 made this three lines; it shows in two
    assert T.text_lines("Migración irregular y masiva", 16) == 2
    assert T.text_lines("recibido; 1 reemplazado", 16) == 2


def test_never_fewer_lines_than_the_widest_letters_need():
    assert T.text_lines("M" * 30, 16) == 4  # 51.6 digits in lines of 16.11
    assert T.text_lines("MMMMMMMMM MMMMMMMMM", 16) == 2  # each word 15.5: one a line
    assert T.text_lines("a\nb\nc", 40) == 3
    assert T.text_lines("", 10) == 1


def test_the_column_shows_its_stored_width():
    """A column set to 10 shows 10.71 digits (XlsxWriter, as Excel, adds the padding)."""
    assert T.room(10) == 10 + T.STORED_EXTRA - 2 * T.PADDING
    assert T.text_lines("0" * 10, 10) == 1 and T.text_lines("0" * 11, 10) == 2
