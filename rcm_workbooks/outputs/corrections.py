"""The Corrections sheet of a feedback copy: what to correct in this workbook, one line a finding,
in the focal point's language (outputs.annotate marks the cells themselves).

Every column keeps one alignment from its heading down (numbers and cell names centred, text
left, all from the top), every font is named (a spreadsheet without the template's fonts would
otherwise fall back to its own serif), and each line is as tall as its wrapped text.
"""
from __future__ import annotations

from ..core.cells import parse_cell
from ..core.findings import Finding, Severity
from ..core.plan import Plan
from ..core.texts import FEEDBACK, HEADERS, counted, format_date, period_words
from ..core.verdicts import Verdict
from ..intake.validate import Return
from ..intake.values import to_text

# Sheet, Row, Cell, Column, Value found, What is wrong and what to do, Severity.
WIDTHS = (24, 7, 9, 28, 32, 80, 13)
ALIGN = ("left", "center", "center", "left", "left", "left", "center")
FONT = "Calibri"
NAVY = "FF1F3864"
FILL = {Severity.ERROR: "FFFFC7CE", Severity.WARNING: "FFFFE699"}  # as on the marked cells


def clean(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _put(ws, row: int, col: int, value, style: dict | None = None):
    """Write text as text: a value starting with '=' stays a string, never a formula."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
    else:
        text = clean(str(value))[:32_767]
        cell.value = text
        cell.data_type = "s"
    for k, v in (style or {}).items():
        setattr(cell, k, v)
    return cell


def _lines(text: str, width: float) -> int:
    """Lines of a wrapped text in a column `width` characters wide, counted on the safe side."""
    per_line = max(1, int(width) - 2)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _value_found(wb, f: Finding) -> str:
    if f.value:
        return f.value
    rc = parse_cell(f.cell)
    if not rc or f.sheet not in wb.sheetnames or not hasattr(wb[f.sheet], "_cells"):
        return ""
    cell = wb[f.sheet]._cells.get((rc[0] + 1, rc[1] + 1))  # reading never adds a cell
    return to_text(cell.value)[0] if cell is not None and cell.data_type != "f" else ""


def _column_heading(wb, ret: Return, f: Finding, lang: str) -> str:
    if f.column in HEADERS[lang]:
        return HEADERS[lang][f.column].replace(" ▾", "")
    rc = parse_cell(f.cell)
    try:
        header_row = int(ret.meta.get("header_row", "0"))
    except ValueError:
        header_row = 0
    if rc and f.sheet == ret.matrix_sheet and f.sheet in wb.sheetnames and rc[0] + 1 > header_row > 0:
        cell = wb[f.sheet]._cells.get((header_row, rc[1] + 1))
        return to_text(cell.value)[0].replace(" ▾", "") if cell is not None else ""
    return ""


def _about(ret: Return, plan: Plan, lang: str) -> str:
    """Which workbook this is, as its title block says it: group, country, period, due date."""
    group, country = plan.group(ret.working_group), plan.country(ret.country)
    words = FEEDBACK[lang]
    text = words["about"].format(group=group.label(lang) if group else ret.working_group,
                                 country=country.label(lang) if country else ret.country,
                                 period=period_words(ret.period, lang))
    if ret.due_date:
        text += " · " + words["about_due"].format(due=format_date(ret.due_date, lang))
    return text


def _head(ws, ret: Return, plan: Plan, findings: list[Finding], lang: str) -> int:
    """Title, the workbook's identity, what the colours mean, the counts; the header row's number."""
    from openpyxl.styles import Alignment, Font

    words = FEEDBACK[lang]
    ncols = len(words["headers"])
    wrap = Alignment(wrap_text=True, vertical="top", horizontal="left")
    _put(ws, 1, 1, words["title"], {"font": Font(name=FONT, bold=True, size=14, color=NAVY)})
    _put(ws, 2, 1, _about(ret, plan, lang), {"font": Font(name=FONT, bold=True, color=NAVY)})
    rows = [words["intro_file" if ret.verdict == Verdict.REJECTED else "intro_rows"]]
    if ret.kind in ("xlsm", "ods", "xls"):
        rows.append(words["macros"] if ret.kind == "xlsm" else words["converted"].format(kind=f".{ret.kind}"))
    row = 3
    total = sum(WIDTHS)
    for k, text in enumerate(rows):
        _put(ws, row, 1, text, {"alignment": wrap, "font": Font(name=FONT, italic=k > 0)})
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.row_dimensions[row].height = 15 * _lines(text, total * 0.9) + 4
        row += 1
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    _put(ws, row, 1, words["counts"].format(errors=counted(words["errors"], errors),
                                              warnings=counted(words["warnings"], len(findings) - errors)),
         {"font": Font(name=FONT, bold=True)})
    return row + 2


def corrections_sheet(wb, ret: Return, plan: Plan, findings: list[Finding], lang: str):
    """Add the Corrections sheet as the first, active sheet, read-only like the Instructions."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    words = FEEDBACK[lang]
    ws = wb.create_sheet(words["sheet"], 0)
    header_row = _head(ws, ret, plan, findings, lang)
    align = [Alignment(wrap_text=True, vertical="top", horizontal=h) for h in ALIGN]
    navy = PatternFill(fill_type="solid", fgColor=NAVY, bgColor=NAVY)
    for c, text in enumerate(words["headers"], 1):
        _put(ws, header_row, c, text, {"font": Font(name=FONT, bold=True, color="FFFFFFFF"),
                                       "alignment": align[c - 1], "fill": navy})
    ws.row_dimensions[header_row].height = 15 * max(_lines(t, w) for t, w in zip(words["headers"], WIDTHS)) + 4
    for i, f in enumerate(findings, header_row + 1):
        values = [f.sheet or (words["whole_file"] if f.row is None else ""), f.row, f.cell,
                  _column_heading(wb, ret, f, lang), _value_found(wb, f)[:1000], f.for_focal_point(lang),
                  words[f.severity.value]]
        for c, value in enumerate(values, 1):
            _put(ws, i, c, value, {"alignment": align[c - 1], "font": Font(name=FONT)})
        fill = PatternFill(fill_type="solid", fgColor=FILL[f.severity], bgColor=FILL[f.severity])
        _put(ws, i, 7, values[6], {"alignment": align[6], "fill": fill,
                                   "font": Font(name=FONT, bold=f.severity is Severity.ERROR)})
        # Wrapped text: set the height, as not every spreadsheet fits rows to their text on opening.
        lines = max(_lines(str(v or ""), w) for v, w in zip(values, WIDTHS))
        ws.row_dimensions[i].height = min(409, 15 * lines + 4)
    for c, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4  # as the template's sheets beside it
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    # Read-only like the template's Instructions; columns and rows may still be resized.
    ws.protection.sheet = True
    if plan.protection_password:
        ws.protection.password = plan.protection_password
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    # The first thing the focal point sees; only one selected tab (several would group them).
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
    return ws
