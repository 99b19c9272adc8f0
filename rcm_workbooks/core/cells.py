"""A1 references: column letters and numbers, the one place they are converted."""
from __future__ import annotations

import functools
import re

_A1 = re.compile(r"^([A-Z]{1,3})(\d+)$")


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


def cell_rc(cell: str) -> tuple[int, int]:
    """'C14' -> (13, 2), zero-based row and column."""
    m = _A1.match(cell)
    if not m:
        raise ValueError(f"not an A1 cell reference: {cell!r}")
    return int(m.group(2)) - 1, col_index(m.group(1))
