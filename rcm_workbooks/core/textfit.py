"""How many lines a text takes wrapped in a column, and how tall a row must be to show them:
neither Excel nor LibreOffice fits a written row to its wrapped text, so every writer (the
consolidated workbook, the templates) sets the heights from this estimate."""
from __future__ import annotations

import functools

LINE_PT = 15.0  # one line of 11-point text, in points
MAX_ROW_PT = 409.0  # the tallest row Excel allows
# Characters of ordinary text a column of width 1 holds. Where Calibri is missing LibreOffice draws
# a wider substitute (DejaVu Sans: 1.17 to 1.25 characters of prose a unit, measured on the demo's
# pages; Calibri fits more): the estimate stays below both, so a row is at worst a little taller
# than its text needs, never too short to show it.
CHARS_PER_WIDTH = 1.1
BOLD_CHARS_PER_WIDTH = 0.95


def capacity(width: float, bold: bool = False) -> int:
    """Characters of text one line of a column `width` wide holds."""
    return max(1, int(width * (BOLD_CHARS_PER_WIDTH if bold else CHARS_PER_WIDTH)))


def text_lines(value: str, width: float, bold: bool = False) -> int:
    """Lines `value` takes wrapped at word boundaries in a column `width` wide."""
    cap = capacity(width, bold)
    if len(value) <= cap and "\n" not in value:
        return 1
    return _wrapped_lines(value, cap)


@functools.lru_cache(maxsize=16_384)  # labels (themes, pillars, statuses) come back on every row
def _wrapped_lines(value: str, cap: int) -> int:
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
