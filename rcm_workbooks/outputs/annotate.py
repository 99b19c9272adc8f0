"""One feedback copy: a return annotated with the corrections to make.

The copy is the return itself (never the inbox file: its bytes are loaded into memory), with

- each cell at fault filled light red (error) or amber (warning) -- only the fill changes, so
  the cell keeps its protection (input cells stay unlocked) and its number format -- and a note
  by "RCM" in the template's language saying what is wrong and what to do;
- the height of each marked row set to fit its wrapped text, so that no text of it is drawn over
  the (perhaps empty) cell at fault below it;
- a new first sheet, "Corrections" / "Correcciones", listing every correction (file-level
  problems first), made the active sheet.

Only what the focal point can correct in the file is shown (intake.actions.corrections): never a
note (info), lateness or what the Secretariat acts on, and every text is worded for the focal
point (`Finding.for_focal_point`: no command, option or hidden sheet).
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
from ..core.texts import FEEDBACK
from ..intake.actions import corrections
from ..intake.bounds import package_size
from ..intake.validate import Return
from ..template.build import LISTS_SHEET, META_SHEET
from .corrections import FILL as CORRECTION_FILL
from .corrections import clean as _clean
from .corrections import corrections_sheet
from .repack import repack

log = logging.getLogger(__name__)

AUTHOR = "RCM"
SHEET_NAME = {lang: words["sheet"] for lang, words in FEEDBACK.items()}
FILL = CORRECTION_FILL  # Excel's own "Bad" fill, and a light amber
MAX_UNZIPPED_MB = 64  # a genuine return is far smaller; openpyxl holds every cell in memory
MAX_TEXT_MCHARS = 16  # millions of characters in all the cells of a copy, shared texts counted where used
MAX_CELLS = 1_000_000  # cells openpyxl would hold (about 1 KB of memory each)


class FeedbackSkipped(Exception):
    """This return gets no feedback copy; the reason is logged."""


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
    chars, cells = package_size(data, int(MAX_TEXT_MCHARS * 1e6))
    if chars > MAX_TEXT_MCHARS * 1e6 or cells > MAX_CELLS:  # the copy would be as large as its cells
        raise FeedbackSkipped(f"its cells hold {chars / 1e6:,.0f} million characters in {cells:,} cells, beyond "
                              f"{MAX_TEXT_MCHARS} million in {MAX_CELLS:,}")

    lang = ret.language if ret.language in FEEDBACK else "en"
    findings = _order(ret, corrections(ret))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, rich_text=True)
    for w in caught:  # e.g. "Data Validation extension is not supported and will be removed"
        log.info("feedback: %s: openpyxl: %s", ret.name, w.message)
    _clear_previous(wb)
    marked = _mark_cells(wb, findings, lang)
    _fit_rows(wb, ret, marked)
    corrections_sheet(wb, ret, plan, findings, lang)
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
    if ret.form != "followup":  # its findings stay in the round's workbook
        raise FeedbackSkipped(f"an Activity Matrix return in {ret.kind} is not rebuilt as .xlsx")
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
        text = "\n\n".join(f"{words[f.severity.value]}: {f.for_focal_point(lang)}" for f in dict.fromkeys(items))
        if cell.comment is not None and cell.comment.author != AUTHOR and cell.comment.text:
            text = f"{cell.comment.text}\n\n{text}"  # keep the focal point's own note
        text = _clean(text)[:30_000]
        width, height = _note_size(text)
        cell.comment = Comment(text, AUTHOR, height=height, width=width)
    return set(by_cell)


LINE_PT = 15.0  # the height of a line of 11-point text, in points
MAX_ROW_PT = 409.0  # Excel's highest row


def _text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide: a conservative count (a
    word that does not fit moves whole to the next line), so the row is rather too tall than
    too short."""
    per_line = max(1, int(width) - 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _fit_rows(wb, ret: Return, marked: set[tuple[str, str]]) -> None:
    """Make each row of the matrix with content, and each row with a marked cell, tall enough for
    its wrapped text. A row left at the default height draws the rest of its text over the rows
    below (LibreOffice), so an empty cell at fault there looked filled; Excel does not fit rows
    to their text on opening either. A row is never made lower than it was."""
    rows: dict[str, set[int]] = {}
    if ret.matrix_sheet in wb.sheetnames:
        rows[ret.matrix_sheet] = {r.number for r in ret.rows}
    for sheet, ref in marked:
        rc = parse_cell(ref)
        if rc:
            rows.setdefault(sheet, set()).add(rc[0] + 1)
    for sheet, numbers in rows.items():
        ws = _annotatable(wb, sheet)
        if ws is None:
            continue
        widths: dict[int, float] = {}
        lines: dict[int, int] = {}
        for (number, col), cell in list(ws._cells.items()):  # reading never adds a cell
            if number not in numbers or cell.value is None or cell.data_type == "f" or not cell.alignment.wrap_text:
                continue
            if col not in widths:
                dim = ws.column_dimensions.get(cell.column_letter)
                widths[col] = dim.width if dim is not None and dim.width else 8.43
            lines[number] = max(lines.get(number, 1), _text_lines(str(cell.value), widths[col]))
        for number, n in lines.items():
            height = min(MAX_ROW_PT, LINE_PT * n + 3)
            current = ws.row_dimensions[number].height
            if n > 1 and (current is None or current < height):
                ws.row_dimensions[number].height = height
