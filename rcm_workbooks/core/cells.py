"""A1 references: column letters, cells and ranges, the one place they are parsed and converted."""
from __future__ import annotations

import functools
import re

# Excel's limits: columns A..XFD (three letters), rows 1..1,048,576 (seven digits).
_COLUMN = r"[A-Z]{1,3}"
_ROW = r"[1-9][0-9]{0,6}"
_LETTERS = re.compile(rf"^{_COLUMN}$")
_A1 = re.compile(rf"^({_COLUMN})({_ROW})$")
_RANGE = re.compile(rf"^({_COLUMN})({_ROW})(?::({_COLUMN})({_ROW}))?$")


@functools.lru_cache(maxsize=1024)
def col_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def is_column(letters: str) -> bool:
    """'C' and 'XFD' are column letters; 'c', 'C1' and '' are not."""
    return bool(_LETTERS.match(letters))


def parse_cell(cell: str) -> tuple[int, int] | None:
    """'C14' -> (13, 2), zero-based row and column; None for anything that is not one cell."""
    m = _A1.match(cell or "")
    return (int(m.group(2)) - 1, col_index(m.group(1))) if m else None


def cell_rc(cell: str) -> tuple[int, int]:
    """'C14' -> (13, 2), zero-based row and column; a ValueError for anything else."""
    rc = parse_cell(cell)
    if rc is None:
        raise ValueError(f"not an A1 cell reference: {cell!r}")
    return rc


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """'B2:D9' -> (1, 1, 8, 3) and 'B2' -> (1, 1, 1, 1): zero-based first row, first column, last
    row, last column; None for anything else."""
    m = _RANGE.match(ref or "")
    if not m:
        return None
    r1, c1 = int(m.group(2)) - 1, col_index(m.group(1))
    if not m.group(3):
        return r1, c1, r1, c1
    return r1, c1, int(m.group(4)) - 1, col_index(m.group(3))
