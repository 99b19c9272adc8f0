"""One feedback copy: a return annotated with the corrections to make.

The copy is the return itself (never the inbox file: its bytes are loaded into memory), with

- each cell at fault filled light red (error) or amber (warning) -- only the fill changes, so
  the cell keeps its protection (input cells stay unlocked) and its number format -- and a note
  by "RCM" in the template's language saying what is wrong and what to do;
- a new first sheet, "Corrections" / "Correcciones", listing every correction (file-level
  problems first), made the active sheet;
- everything else kept: sheet order, data validations (INDIRECT ones included), defined names,
  sheet protection with its password hash, hidden and very hidden sheets, the workbook structure
  lock and the untouched `_meta` sheet, so the copy is itself a valid return to send back.

What an openpyxl load/save round trip changes, and what is done about it (see outputs.repack):

- the cached results of formulas are dropped (openpyxl writes `<f>` with an empty `<v>`): they
  are copied back from the original, so a reader that does not recalculate (python-calamine,
  i.e. the consolidator) sees what the focal point saw;
- `workbook.save()` would stamp `docProps/core.xml` with "modified = now": the copy is saved
  without that stamp (and the original's text put back should openpyxl word it otherwise), so
  it neither supersedes its original nor turns late by being annotated;
- macros (.xlsm) are dropped (keep_vba=False): the copy is saved as .xlsx, and its Corrections
  sheet says so;
- shared strings become inline strings, docProps/app.xml loses its sheet list and company,
  empty styled cells inside merged ranges lose their style: harmless for a return.
"""
from __future__ import annotations

import hashlib
import io
import logging
import warnings
import zipfile

from ..core.cells import parse_cell
from ..core.findings import Finding, Severity
from ..core.plan import Plan
from ..core.texts import FEEDBACK, HEADERS
from ..core.verdicts import Verdict
from ..intake.validate import Return
from ..intake.values import to_text
from ..template.build import LISTS_SHEET, META_SHEET
from .repack import repack

log = logging.getLogger(__name__)

AUTHOR = "RCM"
SHEET_NAME = {lang: words["sheet"] for lang, words in FEEDBACK.items()}
# Excel's own "Bad" fill, and a light amber.
FILL = {Severity.ERROR: "FFFFC7CE", Severity.WARNING: "FFFFE699"}
MAX_UNZIPPED_MB = 64  # a genuine return is far smaller; openpyxl holds every cell in memory
WIDTHS = (24, 7, 9, 28, 32, 80, 13)


class FeedbackSkipped(Exception):
    """This return gets no feedback copy; the reason is logged."""


def corrections(ret: Return) -> list[Finding]:
    return [f for f in ret.all_findings() if f.severity in (Severity.ERROR, Severity.WARNING)]


def _order(ret: Return, findings: list[Finding]) -> list[Finding]:
    """File-level findings first (as found), then row by row, left to right."""
    def key(item):
        i, f = item
        if f.row is None:
            return (0, i, 0, 0)
        rc = parse_cell(f.cell)
        return (1, f.row, rc[1] if rc else -1, i)

    return [f for _, f in sorted(enumerate(findings), key=key)]


def feedback_bytes(ret: Return, plan: Plan) -> bytes:
    """The annotated copy of one return, as .xlsx bytes. The source file is only read."""
    import openpyxl

    from ..intake.eml import source_bytes

    try:
        data = source_bytes(ret)  # the file itself, or the attachment of a saved e-mail
    except (OSError, KeyError) as exc:
        raise FeedbackSkipped(f"cannot read it again: {getattr(exc, 'strerror', None) or exc}") from None
    if ret.sha256 and hashlib.sha256(data).hexdigest() != ret.sha256:
        raise FeedbackSkipped("the file changed after it was checked; run consolidate again")
    if ret.kind in ("ods", "xls"):
        # openpyxl cannot annotate these formats: rebuild the workbook the focal point was sent,
        # as .xlsx, with their values in it, and annotate that.
        data = rebuild_as_xlsx(ret, plan)
    try:
        total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile as exc:
        raise FeedbackSkipped(f"not a zip package ({exc})") from None
    if total > MAX_UNZIPPED_MB * 2**20:
        raise FeedbackSkipped(f"it unpacks to {total / 2**20:,.0f} MB, beyond {MAX_UNZIPPED_MB} MB")

    lang = ret.language if ret.language in FEEDBACK else "en"
    findings = _order(ret, corrections(ret))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, rich_text=True)
    for w in caught:  # e.g. "Data Validation extension is not supported and will be removed"
        log.info("feedback: %s: openpyxl: %s", ret.name, w.message)
    _clear_previous(wb)
    _mark_cells(wb, findings, lang)
    _corrections_sheet(wb, ret, plan, findings, lang)
    return repack(_save(wb), data)


def _save(wb) -> bytes:
    """openpyxl's save, less two costs: wb.save() stamps "modified = now" (put back afterwards by
    a second pass over the package), and deflates at level 6, for a copy of ~40 KB."""
    from openpyxl.writer.excel import ExcelWriter

    out = io.BytesIO()
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1)
    ExcelWriter(wb, archive).save()  # writes every part and closes the archive
    return out.getvalue()


def rebuild_as_xlsx(ret: Return, plan: Plan) -> bytes:
    """The template of an .ods/.xls return, generated again from its `_meta`, holding its rows."""
    import openpyxl

    from ..template.build import COLUMNS, TemplateSpec, build

    group, country = plan.group(ret.working_group), plan.country(ret.country)
    if not (group and country and ret.period and ret.meta):
        raise FeedbackSkipped(f"a {ret.kind} file that is not an identified return cannot be rebuilt")
    first, last = int(float(ret.meta["first_row"])), int(float(ret.meta["last_row"]))
    last = max([last] + [r.number for r in ret.rows])
    spec = TemplateSpec(plan, ret.period, group, country, ret.language, ret.due_date, rows=last - first + 1)
    data, meta = build(spec)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[meta["matrix_sheet"]]
    for row in ret.rows:
        for name, value in row.values.items():
            if value and name in COLUMNS:
                ws[f"{COLUMNS[name]}{row.number}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _annotatable(wb, sheet: str):
    """The worksheet findings on `sheet` may be marked on: never `_meta`/`_lists` or a hidden one."""
    if not sheet or sheet in (META_SHEET, LISTS_SHEET) or sheet not in wb.sheetnames:
        return None
    ws = wb[sheet]
    if ws.sheet_state != "visible" or not hasattr(ws, "merged_cells"):
        return None
    return ws


def _anchor(ws, ref: str) -> str:
    """A cell inside a merged range is marked on the range's top-left cell."""
    for rng in ws.merged_cells.ranges:
        if ref in rng and ref != rng.start_cell.coordinate:
            return rng.start_cell.coordinate
    return ref


def _clear_previous(wb) -> None:
    """A feedback copy sent back and fed again: drop the earlier Corrections sheet, notes and fills."""
    from openpyxl.styles import PatternFill

    for name in SHEET_NAME.values():
        if name in wb.sheetnames and len(wb.sheetnames) > 1:
            del wb[name]
    ours = set(FILL.values())
    for ws in wb.worksheets:
        if ws.title in (META_SHEET, LISTS_SHEET):
            continue
        for cell in list(ws._cells.values()):
            if cell.comment is not None and cell.comment.author == AUTHOR:
                cell.comment = None
                if cell.fill is not None and cell.fill.fgColor is not None and cell.fill.fgColor.rgb in ours:
                    cell.fill = PatternFill()


def _note_size(text: str) -> tuple[int, int]:
    lines = sum(max(1, len(part) // 48 + 1) for part in text.split("\n"))
    return 320, min(600, 20 + 15 * lines)


def _mark_cells(wb, findings: list[Finding], lang: str) -> set[tuple[str, str]]:
    """Fill and annotate every cell at fault; several findings on one cell share one note."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        ws = _annotatable(wb, f.sheet)
        if ws is None or parse_cell(f.cell) is None:
            continue
        by_cell.setdefault((f.sheet, _anchor(ws, f.cell)), []).append(f)
    words = FEEDBACK[lang]
    for (sheet, ref), items in by_cell.items():
        cell = wb[sheet][ref]
        severity = Severity.ERROR if any(f.severity is Severity.ERROR for f in items) else Severity.WARNING
        # Only the fill changes: protection (locked False on input cells), number format,
        # font, borders and alignment stay the cell's own.
        cell.fill = PatternFill(fill_type="solid", fgColor=FILL[severity], bgColor=FILL[severity])
        text = "\n\n".join(f"{words[f.severity.value]}: {f.message(lang)}" for f in dict.fromkeys(items))
        if cell.comment is not None and cell.comment.author != AUTHOR and cell.comment.text:
            text = f"{cell.comment.text}\n\n{text}"  # keep the focal point's own note
        text = _clean(text)[:30_000]
        width, height = _note_size(text)
        cell.comment = Comment(text, AUTHOR, height=height, width=width)
    return set(by_cell)


def _clean(text: str) -> str:
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
        text = _clean(str(value))[:32_767]
        cell.value = text
        cell.data_type = "s"
    for k, v in (style or {}).items():
        setattr(cell, k, v)
    return cell


def _lines(text: str, width: float) -> int:
    return sum(max(1, -(-len(part) // max(1, int(width)))) for part in text.split("\n"))


def _value_found(wb, ret: Return, f: Finding) -> str:
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


def _corrections_sheet(wb, ret: Return, plan: Plan, findings: list[Finding], lang: str):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.properties import PageSetupProperties

    words = FEEDBACK[lang]
    ws = wb.create_sheet(words["sheet"], 0)
    wrap = Alignment(wrap_text=True, vertical="top")
    ncols = len(words["headers"])
    _put(ws, 1, 1, words["title"], {"font": Font(bold=True, size=14, color="FF1F3864")})
    file_rejected = ret.verdict == Verdict.REJECTED
    _put(ws, 2, 1, words["intro_file" if file_rejected else "intro_rows"], {"alignment": wrap})
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.row_dimensions[2].height = 62
    row = 3
    if ret.kind in ("xlsm", "ods", "xls"):
        note = words["macros"] if ret.kind == "xlsm" else words["converted"].format(kind=f".{ret.kind}")
        _put(ws, row, 1, note, {"alignment": wrap, "font": Font(italic=True)})
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.row_dimensions[row].height = 32
        row += 1
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    _put(ws, row, 1, words["counts"].format(errors=errors, warnings=len(findings) - errors),
         {"font": Font(bold=True)})
    header_row = row + 2
    head = {"font": Font(bold=True, color="FFFFFFFF"), "alignment": wrap,
            "fill": PatternFill(fill_type="solid", fgColor="FF1F3864", bgColor="FF1F3864")}
    for c, text in enumerate(words["headers"], 1):
        _put(ws, header_row, c, text, head)
    for i, f in enumerate(findings, header_row + 1):
        sev = {"alignment": wrap, "font": Font(bold=f.severity is Severity.ERROR),
               "fill": PatternFill(fill_type="solid", fgColor=FILL[f.severity], bgColor=FILL[f.severity])}
        values = [f.sheet or (words["whole_file"] if f.row is None else ""), f.row, f.cell,
                  _column_heading(wb, ret, f, lang), _value_found(wb, ret, f)[:1000], f.message(lang)]
        for c, value in enumerate(values, 1):
            _put(ws, i, c, value, {"alignment": wrap})
        _put(ws, i, 7, words[f.severity.value], sev)
        # Wrapped text: set the height, as not every spreadsheet fits rows to their text on opening.
        lines = max(_lines(str(v or ""), w) for v, w in zip(values, WIDTHS))
        ws.row_dimensions[i].height = min(409, 15 * lines + 2)
    for c, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[chr(64 + c)].width = width
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
