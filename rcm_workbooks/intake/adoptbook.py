"""Reading back the workbook of an Activity Matrix round (outputs.activities writes it): the rows of
its Proposals sheet as the Secretariat left them, found by their headings in either language."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.fields import PROPOSALS_BOOK
from ..core.texts import ACT_OUT
from .reader import ReadLimits, open_return
from .values import norm, to_text

BOOK_SCHEMA = "rcm-activities/1"
BOOK_SHEET = "_proposals"  # very hidden: schema, plan_id, plan_version, period, language
_HEADINGS = {norm(ACT_OUT[lang][k]): k for lang in ACT_OUT for k in PROPOSALS_BOOK}


class NotABook(Exception):
    """The workbook is not one of outputs.activities (no `_proposals` sheet of ours, or no table)."""


@dataclass
class BookRow:
    number: int  # 1-based row of the sheet
    values: dict[str, str]  # PROPOSALS_BOOK key -> the text of the cell, lines kept


@dataclass
class Book:
    meta: dict[str, str]
    sheet: str
    columns: dict[str, int]  # key -> 0-based column
    rows: list[BookRow] = field(default_factory=list)

    def by_key(self) -> dict[str, dict[str, str]]:
        return {r.values["key"]: r.values for r in self.rows if r.values.get("key")}


def _text(value) -> str:
    text, _ = to_text(value)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def read_book(source: Path | bytes, limits: ReadLimits = ReadLimits()) -> Book:
    """The proposals of an activities workbook; ReadFailure if it cannot be read, NotABook if it is
    not one."""
    data = bytes(source) if isinstance(source, (bytes, bytearray)) else None
    wb = open_return(Path("activities.xlsx") if data is not None else Path(source), limits, data)
    rows = wb.meta(BOOK_SHEET)
    meta = {to_text(r[0])[0].strip(): to_text(r[1])[0].strip() for r in rows or [] if len(r) >= 2}
    if meta.get("schema") != BOOK_SCHEMA:
        raise NotABook(str(source) if data is None else "")
    for s in wb.sheets:
        if s.name == BOOK_SHEET:
            continue
        cells = wb.rows(s.name, 100_000)
        for i, head in enumerate(cells[:8]):
            columns: dict[str, int] = {}
            for j, c in enumerate(head):
                key = _HEADINGS.get(norm(to_text(c)[0]))
                if key and key not in columns:
                    columns[key] = j
            if {"adopt", "working_group", "key"} <= set(columns):
                book = Book(meta, s.name, columns)
                for n in range(i + 1, len(cells)):
                    values = {k: _text(cells[n][c]) if c < len(cells[n]) else "" for k, c in columns.items()}
                    if any(values.values()):
                        book.rows.append(BookRow(n + 1, values))
                return book
    raise NotABook(str(source) if data is None else "")
