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
from ..core.textfit import (  # noqa: F401  (the estimate of wrapped text, shared with the templates)
    LINE_PT,
    MAX_ROW_PT,
    STORED_EXTRA,
    _wrapped_lines,
    capacity,
    room,
    row_height,
    text_lines,
)

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


def write_rows(ws, first_row: int, rows: list[list], name: str, formats: list | None = None,
               look: Styles | None = None) -> None:
    """Plain rows (str, int/float, datetime or '' for empty) from `first_row`, every code checked;
    `formats`: one per column (None: no format)."""
    fast = _fast_writers(ws) if FAST_WRITE else None
    formats = formats or []
    fmt = formats + [None] * (max(map(len, rows), default=0) - len(formats))
    date = look.date if look is not None else None
    r = first_row
    if fast is None:
        for values in rows:
            for c, v in enumerate(values):
                if v is None or (v.__class__ is str and not v):
                    continue  # no cell, as the fast writers and the streamed rows leave it
                f = fmt[c] if isinstance(v, (str, int, float)) or date is None else date
                rc = ws.write(r, c, v, f)
                if rc:
                    check(rc, f"row {r + 1} of the table {name}")
            r += 1
        return
    write_string, write_number = fast
    write = ws.write
    for values in rows:
        for c, v in enumerate(values):
            f = fmt[c]
            if v.__class__ is str:
                rc = write_string(r, c, v, f) if v else 0
            elif v.__class__ is int or v.__class__ is float:
                rc = write_number(r, c, v, f)
            elif v is None:
                rc = 0
            else:
                rc = write(r, c, v, date if date is not None else f)
            if rc:
                check(rc, f"row {r + 1} of the table {name}")
        r += 1


def fit_words(headings: list[str], widths: list[float]) -> list[float]:
    """`widths`, each widened where needed for the longest word of its heading to fit on a line in
    bold: a heading may wrap between words, never inside one ("Supersede/d")."""
    out = list(widths)
    for i, heading in enumerate(headings[:len(out)]):
        longest = max(map(len, str(heading).split()), default=0)
        while capacity(out[i], bold=True) < longest:
            out[i] += 1
    return out


def doc_title(w: dict, period: str, lang: str) -> str:
    """The workbook's title as the printed footers say it: the period in words."""
    from ..core.texts import period_words

    return w["doc_title"].format(period=period_words(period, lang))


def printable(ws, title: str, header_row: int | None = None, columns: int | None = None,
              last_row: int | None = None) -> None:
    """Landscape A4, one page wide, the header row on every page, the title, sheet and page in
    the footer; `columns`: the print area's width (columns beyond it are not printed)."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    footer = title.replace("&", "&&")[:120]
    check(ws.set_footer(f"&L{footer}&C&A&R&P / &N"), "the footer")
    if header_row is not None:
        check(ws.repeat_rows(header_row), "the header rows to repeat")
    if columns is not None and last_row is not None:
        check(ws.print_area(0, 0, last_row, columns - 1), "the print area")


HEAD_FILL, HEAD_FONT, GRID = "#1F3864", "#FFFFFF", "#BFBFBF"


class Styles:
    """The cell formats every sheet shares, written on the cells themselves: LibreOffice does not
    draw an Excel table style, so the header and the grid would show plain there."""

    def __init__(self, wb):
        def add(**props):
            return wb.add_format(props)

        grid = {"border": 1, "border_color": GRID, "valign": "top"}
        self.head = add(bold=True, bg_color=HEAD_FILL, font_color=HEAD_FONT, text_wrap=True, valign="top",
                        border=1, border_color=GRID)
        # A count column stands centred, heading and numbers alike: set right, its numbers touched
        # the text of a left-aligned column beside it ("07 filas aceptadas").
        self.head_number = add(bold=True, bg_color=HEAD_FILL, font_color=HEAD_FONT, text_wrap=True, valign="top",
                               align="center", border=1, border_color=GRID)
        self.cell = add(**grid)
        self.number = add(align="center", text_wrap=True, **grid)
        self.wrap = add(text_wrap=True, **grid)
        self.date = add(num_format="yyyy-mm-dd hh:mm", **grid)
        self.title = add(bold=True, font_size=14, font_color=HEAD_FILL)
        self.bold = add(bold=True)


def styles(wb) -> Styles:
    """The workbook's shared Styles, made once."""
    found = getattr(wb, "_rcm_styles", None)
    if found is None:
        found = Styles(wb)
        setattr(wb, "_rcm_styles", found)
    return found


def header_height(headers: list[str], widths: list[float]) -> float:
    """Points the header row needs to show every heading whole, wrapped in its column."""
    return row_height(max((text_lines(h, w, bold=True) for h, w in zip(headers, widths)), default=1))


def row_heights(rows: list, widths: list[float], wrap: list[int]) -> list[float | None]:
    """Each row's height for the wrapped columns' texts; None for a row of one line."""
    lines = [1] * len(rows)
    for c in wrap:
        fits, space = room(widths[c]) / 1.8, room(widths[c])  # text_lines' short case, then its measure
        for i, row in enumerate(rows):
            v = row[c] if c < len(row) else ""
            if v.__class__ is str and (len(v) > fits or "\n" in v):
                n = _wrapped_lines(v, space)
                if n > lines[i]:
                    lines[i] = n
    return [row_height(n) if n > 1 else None for n in lines]


def _numeric_columns(rows: list, ncols: int) -> list[bool]:
    """For each column: True when it holds numbers and nothing else but empty cells."""
    out = []
    for c in range(ncols):
        numeric = False
        for row in rows:
            v = row[c] if c < len(row) else ""
            if v.__class__ is int or v.__class__ is float:
                numeric = True
            elif v != "" and v is not None:
                numeric = False
                break  # a text column: found at its first text
        out.append(numeric)
    return out


def _xf_index(fmt) -> int | None:
    """The index XlsxWriter gives `fmt` in styles.xml, reserved now for cells it does not write:
    XlsxWriter lists a format in styles.xml only once a cell of its own has used it, and the
    streamed rows' cells are not its own. None where this XlsxWriter has no such method: the rows
    are then written by XlsxWriter itself."""
    reserve = getattr(fmt, "_get_xf_index", None)
    return reserve() if callable(reserve) else None


def write_table(ws, first_row: int, headers: list[str], rows: list[list], name: str,
                widths: list[int], stream: bool = False, look: Styles | None = None,
                wrap: list[int] | None = None) -> tuple[int, int]:
    """Rows under a header as an Excel table with filters; return the table's (first, last) row.

    Excel has no table without a data row: an empty one gets a single blank row, as Excel does.
    With `stream` (and STREAM_ROWS) the data rows are left to workbook.build_workbook, which splices them
    into the written file; only for the last rows of a sheet.
    With `look`, the header and the cells carry its formats, the columns in `wrap` (default: all)
    wrap their text and every row is as tall as its text (LibreOffice does not fit rows itself).
    """
    from .sheetxml import SheetRows, simple_rows

    last_col = len(headers) - 1
    last_row = first_row + max(len(rows), 1)
    widths = fit_words(headers, widths)
    columns = [{"header": h} for h in headers]
    formats, heights = [None] * len(headers), [None] * len(rows)
    if look is not None:
        wrap = list(range(len(headers))) if wrap is None else wrap
        numeric = _numeric_columns(rows, len(headers))  # centred, their headings over them
        formats = [look.number if numeric[i] else look.wrap if i in wrap else look.cell for i in range(len(headers))]
        columns = [{"header": h, "header_format": look.head_number if numeric[i] else look.head}
                   for i, h in enumerate(headers)]
        heights = row_heights(rows, widths, wrap)
        check(ws.set_row(first_row, header_height(headers, widths)), f"the header height of the table {name}")
    options = {"name": name, "columns": columns, "style": "Table Style Light 9", "banded_rows": True}
    indexes = [_xf_index(f) if f is not None else None for f in formats]
    if (stream and STREAM_ROWS and rows and getattr(ws, STREAMED, None) is None
            and None not in [i for i, f in zip(indexes, formats) if f is not None]
            and simple_rows(rows, len(headers))):
        if last_row >= EXCEL_MAX_ROWS:
            check(-1, f"the table {name} (row {last_row + 1} is beyond the last row of a sheet)")
        # XlsxWriter gets the header and first row; sheetxml.splice sets the full range.
        check(ws.add_table(first_row, 0, first_row + 1, last_col, options), f"the table {name}")
        full = f"A{first_row + 1}:{col_letter(last_col)}{last_row + 1}"
        setattr(ws, STREAMED, SheetRows(first_row + 1, rows, len(headers), clip, table=(name, full),
                                        styles=indexes if look is not None else None,
                                        heights=heights if any(heights) else None))
    else:
        check(ws.add_table(first_row, 0, last_row, last_col, options), f"the table {name}")
        write_rows(ws, first_row + 1, rows, name, formats if look is not None else None, look)
        for i, h in enumerate(heights):
            if h is not None:
                check(ws.set_row(first_row + 1 + i, h), f"the height of row {first_row + i + 2} of the table {name}")
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
