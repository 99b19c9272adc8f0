"""What every sheet of the consolidated workbook is written with: words, cell texts, checked
XlsxWriter calls and Excel tables.

XlsxWriter reports a bad table, name or range with a warning and a negative return code instead of
an exception, so every call's return code goes through check() (and workbook.build_workbook turns
any warning into an error).

Every text from a return is written with write_string (strings_to_* off), so "=SUM(1,1)" typed
by a focal point stays text. Texts longer than an Excel cell holds (32,767 UTF-16 units) are cut
with a trailing "…"; the CSV keeps them whole.

The data rows of the big row sheets (Matrix, Findings, Rejected rows) do not go through
XlsxWriter's cell store: XlsxWriter writes their header, table, widths and panes, and
sheetxml.splice streams the rows into the finished file as inline strings and numbers (STREAM_ROWS;
see sheetxml for why and how). Off, XlsxWriter writes them as well; both read back the same.
"""
from __future__ import annotations

import math

from ..core.cells import col_letter
from ..core.files import Problem, WorkspaceError
from ..core.plan import Plan
from ..core.texts import CONSOLIDATED, HEADERS

EXCEL_CELL_LIMIT = 32_767
EXCEL_MAX_ROWS = 1_048_576
ELLIPSIS = "…"


class WorkbookOutputError(WorkspaceError):
    """XlsxWriter refused something while building the consolidated workbook."""


def words(lang: str) -> dict:
    return CONSOLIDATED["es" if lang == "es" else "en"]


def field_header(name: str, lang: str) -> str:
    """The heading of a column in `lang`: the template's own headings, without the ▾ mark."""
    lang = "es" if lang == "es" else "en"
    if name in HEADERS[lang]:
        return HEADERS[lang][name].replace(" ▾", "").replace("▾", "").strip()
    return CONSOLIDATED[lang][name]


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def clip(text: str) -> str:
    """Text that fits an Excel cell: longer ones end with '…' within 32,767 UTF-16 units."""
    if len(text) <= EXCEL_CELL_LIMIT // 2 or utf16_len(text) <= EXCEL_CELL_LIMIT:
        return text
    room, used = EXCEL_CELL_LIMIT - 1, 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > room:
            return text[:i] + ELLIPSIS
    return text  # pragma: no cover - unreachable: the text is longer than the limit


def text(value) -> str:
    """Any frame value as the text to show: None/NaN as empty, numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    try:  # pandas.NA, NaT
        if value != value:
            return ""
    except (TypeError, ValueError):
        return ""
    return clip(str(value))


def check(rc, what: str) -> None:
    if rc not in (None, 0):
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail=f"XlsxWriter refused {what} (code {rc})")


def _fast_writers(ws):
    """XlsxWriter's undecorated cell writers, when this version has them with the known signature.

    write_row() dispatches every token through write() (type checks, the strings_to_* options,
    the cell-reference decorator); for a table of 800,000 plain cells that dispatch costs more than
    storing the cells. The undecorated writers do the same checks that matter (dimensions, the
    string length) and return the same codes. Without them, write_row() is used.
    """
    import xlsxwriter

    if not str(getattr(xlsxwriter, "__version__", "")).startswith("3."):
        return None
    ws_string, ws_number = getattr(ws, "_write_string", None), getattr(ws, "_write_number", None)
    if not callable(ws_string) or not callable(ws_number):
        return None
    return ws_string, ws_number


FAST_WRITE = True  # tests turn it off to check that both paths write the same workbook
STREAM_ROWS = True  # the big row sheets' data rows spliced in by sheetxml; off: all by XlsxWriter
STREAMED = "_rcm_streamed_rows"  # the worksheet attribute holding them until the file is written


def write_rows(ws, first_row: int, rows: list[list], name: str) -> None:
    """Plain rows (str, int/float, datetime or '' for empty) from `first_row`, every code checked."""
    fast = _fast_writers(ws) if FAST_WRITE else None
    r = first_row
    if fast is None:
        write_row = ws.write_row
        for values in rows:
            rc = write_row(r, 0, values)
            if rc:
                check(rc, f"row {r + 1} of the table {name}")
            r += 1
        return
    write_string, write_number = fast
    write = ws.write
    for values in rows:
        for c, v in enumerate(values):
            if v.__class__ is str:
                rc = write_string(r, c, v) if v else 0
            elif v.__class__ is int or v.__class__ is float:
                rc = write_number(r, c, v)
            else:
                rc = write(r, c, v)
            if rc:
                check(rc, f"row {r + 1} of the table {name}")
        r += 1


def printable(ws) -> None:
    """Landscape, one page wide: the tables and charts print whole instead of cut at the margin."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def write_table(ws, first_row: int, headers: list[str], rows: list[list], name: str,
                 widths: list[int], stream: bool = False) -> tuple[int, int]:
    """Rows under a header as an Excel table with filters; return the table's (first, last) row.

    Excel has no table without a data row: an empty one gets a single blank row, as Excel does.
    With `stream` (and STREAM_ROWS) the data rows are left to workbook.build_workbook, which splices them
    into the written file; only for the last rows of a sheet, without per-cell formats.
    """
    from .sheetxml import SheetRows, simple_rows

    last_col = len(headers) - 1
    last_row = first_row + max(len(rows), 1)
    columns = [{"header": h} for h in headers]
    options = {"name": name, "columns": columns, "style": "Table Style Light 9", "banded_rows": True}
    if (stream and STREAM_ROWS and rows and getattr(ws, STREAMED, None) is None
            and simple_rows(rows, len(headers))):
        if last_row >= EXCEL_MAX_ROWS:
            check(-1, f"the table {name} (row {last_row + 1} is beyond the last row of a sheet)")
        # XlsxWriter gets the header and first row; sheetxml.splice sets the full range.
        check(ws.add_table(first_row, 0, first_row + 1, last_col, options), f"the table {name}")
        full = f"A{first_row + 1}:{col_letter(last_col)}{last_row + 1}"
        setattr(ws, STREAMED, SheetRows(first_row + 1, rows, len(headers), clip, table=(name, full)))
    else:
        check(ws.add_table(first_row, 0, last_row, last_col, options), f"the table {name}")
        write_rows(ws, first_row + 1, rows, name)
    for i, w in enumerate(widths):
        check(ws.set_column(i, i, w), f"the width of column {i + 1} of the table {name}")
    return first_row, last_row


class Labels:
    """Plan codes -> labels in one language; unknown codes show as they are."""

    def __init__(self, plan: Plan, lang: str):
        self.group = {g.code: g.label(lang) for g in plan.working_groups}
        self.country = {c.code: c.label(lang) for c in plan.countries}
        self.pillar = {p.code: p.label(lang) for p in plan.pillars}
        self.theme = {(p.code, t.code): t.label(lang) for p in plan.pillars for t in p.themes}
        self.responsible = {c.code: c.label(lang) for c in plan.responsible_parties}
        self.deadline = {c.code: c.label(lang) for c in plan.deadlines}
        self.status = {c.code: c.label(lang) for c in plan.statuses}


def texts_of(values: list) -> list[str]:
    """text() of each value; a column of plain strings that fit a cell (the usual case) as it is."""
    if not values:
        return values
    if set(map(type, values)) == {str} and max(map(len, values)) <= EXCEL_CELL_LIMIT // 2:
        return values
    return list(map(text, values))
