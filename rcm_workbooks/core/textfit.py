"""How many lines a text takes wrapped in a column, and how tall a row must be to show them:
neither Excel nor LibreOffice fits a written row to its wrapped text, so every writer (the
consolidated workbook, the templates) sets the heights from this estimate."""
from __future__ import annotations

import functools

LINE_PT = 15.0  # one line of 11-point text, in points
MAX_ROW_PT = 409.0  # the tallest row Excel allows
# Characters of text a column of width 1 holds, for bold headings: the widest bold letters of
# Calibri and of the DejaVu Sans LibreOffice draws where Calibri is missing.
CHARS_PER_WIDTH = 1.1
BOLD_CHARS_PER_WIDTH = 0.95
# Ordinary text is measured letter by letter, in widths of a digit: a column's width counts digits
# ("0") of the workbook's font, in Excel (Calibri) and in LibreOffice (the font it draws instead)
# alike, and letters differ (an "i" is half a digit, an "M" nearly two). Each letter counts as the
# wider of its Calibri and DejaVu Sans widths, so a line estimated to fit does in both; counting
# every letter as a whole character made rows of short texts ("Migración irregular y masiva",
# file names) a line or two taller than their text.
_NARROW = dict.fromkeys(" .,:;'!|iljIJ\"", 0.5) | dict.fromkeys("f()[]-", 0.62) | dict.fromkeys("tr", 0.7)
_MIDDLE = dict.fromkeys("/", 0.76) | dict.fromkeys("scz", 0.86)
_WIDE = dict.fromkeys("mMW", 1.72) | dict.fromkeys("w", 1.42) | dict.fromkeys("NODHGQU", 1.31) \
    | {"_": 0.98, "@": 1.8, "%": 1.5, "&": 1.3}
LETTER = _NARROW | _MIDDLE | _WIDE
UPPER = 1.14  # another capital letter (A, B, R, Z)
# The padding a cell keeps either side of its text, in digits.
PADDING = 0.3
# XlsxWriter (as Excel) stores a column set to width w as w + 0.71 (w*7+5 pixels): that is what shows.
STORED_EXTRA = 0.71


def capacity(width: float, bold: bool = False) -> int:
    """Characters one line of a column `width` wide holds, counted whole: of a bold heading, or
    of ordinary text counted as in the estimate before it measured letters."""
    return max(1, int(width * (BOLD_CHARS_PER_WIDTH if bold else CHARS_PER_WIDTH)))


def room(width: float) -> float:
    """Digits of text one line of a column set to `width` holds."""
    return max(1.0, width + STORED_EXTRA - 2 * PADDING)


def text_width(value: str) -> float:
    """The width of `value` on one line, in digits (see LETTER)."""
    get = LETTER.get
    return sum(get(ch) or (UPPER if ch.isupper() else 1.0) for ch in value)


def text_lines(value: str, width: float, bold: bool = False) -> int:
    """Lines `value` takes wrapped at word boundaries in a column `width` wide."""
    if bold:
        cap = capacity(width, bold)
        if len(value) <= cap and "\n" not in value:
            return 1
        return _bold_lines(value, cap)
    if "\n" not in value and len(value) * 1.8 <= room(width):
        return 1  # short enough whatever its letters
    return _wrapped_lines(value, room(width))


@functools.lru_cache(maxsize=16_384)  # labels (themes, pillars, statuses) come back on every row
def _wrapped_lines(value: str, room: float) -> int:
    space = LETTER[" "]
    lines = 0
    for para in value.split("\n"):
        lines += 1
        used = -1.0  # nothing on the line yet
        for word in para.split():
            n = text_width(word)
            if used >= 0 and used + space + n <= room:
                used += space + n
                continue
            if used >= 0:
                lines += 1
            while n > room:  # a word longer than a line is broken
                lines += 1
                n -= room
            used = n
    return lines


@functools.lru_cache(maxsize=4_096)
def _bold_lines(value: str, cap: int) -> int:
    lines = 0
    for para in value.split("\n"):
        lines += 1
        used = -1  # nothing on the line yet
        for word in para.split():
            n = len(word)
            if used >= 0 and used + 1 + n <= cap:
                used += 1 + n
                continue
            if used >= 0:
                lines += 1
            lines += (n - 1) // cap if n else 0  # a word longer than a line is broken
            used = (n - 1) % cap + 1 if n else 0
    return lines


def row_height(lines: int) -> float:
    """Points a row of `lines` lines of text needs (LibreOffice does not grow rows by itself), on
    the grid of whole pixels XlsxWriter rounds its own heights to, so both writers agree."""
    points = min(MAX_ROW_PT, LINE_PT * max(1, lines) + 2)
    return int(points * 4 / 3 + 0.5) * 0.75
