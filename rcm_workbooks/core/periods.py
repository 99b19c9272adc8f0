"""Reporting periods: a year (2025) or a half-year (2025-H1, 2025-H2), and dates typed by people."""
from __future__ import annotations

import datetime as dt
import re

from .errors import Problem, WorkspaceError

_PERIOD = re.compile(r"^(\d{4})(?:-(H1|H2))?$")


def parse_period(text: str) -> str:
    value = (text or "").strip().upper()
    m = _PERIOD.match(value)
    if not m or not 2000 <= int(m.group(1)) <= 2100:
        raise WorkspaceError(Problem.NOT_A_PERIOD, text=text)
    return value


def period_sort_key(period: str) -> tuple[int, int]:
    year, _, half = period.partition("-")
    return int(year), {"": 0, "H1": 1, "H2": 2}.get(half, 0)


def period_start(period: str) -> dt.date:
    """The first day of a period: 1 January, or 1 July for a second half-year."""
    year, _, half = period.partition("-")
    return dt.date(int(year), 7 if half == "H2" else 1, 1)


def parse_date(text: str | None, field: str = "due") -> dt.date | None:
    """`field` names the value for the message (the command line turns it into its option)."""
    if text is None or text == "":
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise WorkspaceError(Problem.NOT_A_DATE, text=text, field=field) from None
