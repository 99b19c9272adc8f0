"""Feedback copies: each focal point's own workbook sent back with the cells to correct marked.

For every standing or rejected return that has an error or a warning, `write_feedback_folder`
writes `<folder>/<COUNTRY>/<original name>`: the return itself (never the inbox file: its bytes
are loaded into memory), with

- each cell at fault filled light red (error) or amber (warning) -- only the fill changes, so
  the cell keeps its protection (input cells stay unlocked) and its number format -- and a note
  by "RCM" in the template's language saying what is wrong and what to do;
- a new first sheet, "Corrections" / "Correcciones", listing every correction (file-level
  problems first), made the active sheet;
- everything else kept: sheet order, data validations (INDIRECT ones included), defined names,
  sheet protection with its password hash, hidden and very hidden sheets, the workbook structure
  lock and the untouched `_meta` sheet, so the copy is itself a valid return to send back.

What an openpyxl load/save round trip changes, and what is done about it (see `_finish`):

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

The folder is replaced as a unit: copies are written into a temporary sibling folder that is
then swapped into place, so a crash leaves the previous feedback intact and stale copies vanish.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
import warnings
import zipfile
from pathlib import Path

from ..core.cells import col_index
from ..core.findings import Finding, Severity
from ..core.parallel import Background
from ..core.plan import Plan
from ..core.texts import HEADERS
from ..intake.validate import Return, to_text
from ..template.build import LISTS_SHEET, META_SHEET

log = logging.getLogger(__name__)

AUTHOR = "RCM"
UNIDENTIFIED = "_unidentified"
SHEET_NAME = {"en": "Corrections", "es": "Correcciones"}
# Excel's own "Bad" fill, and a light amber.
FILL = {Severity.ERROR: "FFFFC7CE", Severity.WARNING: "FFFFE699"}
PARALLEL_FROM_COPIES = 8  # fewer are done here: forking costs more than it saves
MAX_UNZIPPED_MB = 64  # a genuine return is far smaller; openpyxl holds every cell in memory
_A1 = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")

TEXT = {
    "en": {
        "title": "Corrections to make in this workbook",
        "intro_rows": ("The cells to correct are highlighted in the other sheets: light red for errors (the row "
                       "was left out of the consolidated matrix until it is corrected), amber for warnings (the row "
                       "was kept, but please check it). Point at a highlighted cell to read its note. Correct the "
                       "cells in this same workbook, save it and send it back; do not copy the rows into another file."),
        "intro_file": ("This workbook could not be accepted as a whole: the first lines below say why. Cells to "
                       "correct, if any, are highlighted in the other sheets (light red: error, amber: warning)."),
        "macros": ("This copy was saved as .xlsx, without the macros of the .xlsm file you sent (the follow-up "
                   "matrix needs none). Please send this .xlsx back."),
        "converted": ("This copy is an Excel workbook (.xlsx) rebuilt from the {kind} file you sent, with your "
                      "values in it. Please correct it here, save it as .xlsx and send this file back."),
        "counts": "{errors} error(s), {warnings} warning(s).",
        "headers": ("Sheet", "Row", "Cell", "Column", "Value found", "What is wrong and what to do", "Severity"),
        Severity.ERROR: "Error",
        Severity.WARNING: "Warning",
        "whole_file": "(whole file)",
    },
    "es": {
        "title": "Correcciones que hacer en este libro",
        "intro_rows": ("Las celdas que corregir están resaltadas en las otras hojas: en rojo claro los errores (la "
                       "fila quedó fuera de la matriz consolidada hasta que se corrija), en ámbar las advertencias "
                       "(la fila se conservó, pero revísela). Pase el puntero sobre una celda resaltada para leer su "
                       "nota. Corrija las celdas en este mismo libro, guárdelo y envíelo de vuelta; no copie las "
                       "filas en otro archivo."),
        "intro_file": ("Este libro no se pudo aceptar en su conjunto: las primeras líneas de abajo dicen por qué. "
                       "Las celdas que corregir, si las hay, están resaltadas en las otras hojas (rojo claro: error, "
                       "ámbar: advertencia)."),
        "macros": ("Esta copia se guardó como .xlsx, sin las macros del archivo .xlsm que envió (la matriz de "
                   "seguimiento no necesita ninguna). Envíe de vuelta este .xlsx."),
        "converted": ("Esta copia es un libro de Excel (.xlsx) reconstruido a partir del archivo {kind} que envió, "
                      "con sus valores. Corríjalo aquí, guárdelo como .xlsx y envíe de vuelta este archivo."),
        "counts": "{errors} error(es), {warnings} advertencia(s).",
        "headers": ("Hoja", "Fila", "Celda", "Columna", "Valor encontrado", "Qué está mal y qué hacer", "Gravedad"),
        Severity.ERROR: "Error",
        Severity.WARNING: "Advertencia",
        "whole_file": "(todo el archivo)",
    },
}
WIDTHS = (24, 7, 9, 28, 32, 80, 13)


class FeedbackSkipped(Exception):
    """This return gets no feedback copy; the reason is logged."""


# --- the folder ------------------------------------------------------------------------------


def needs_feedback(ret: Return) -> bool:
    """A standing or rejected return with at least one error or warning."""
    return ret.verdict in ("accepted", "rejected") and bool(_corrections(ret))


def write_feedback_folder(folder: Path, result, plan: Plan) -> list[Path]:
    """Write one feedback copy per return with corrections to make; replace `folder` as a unit.

    Returns the written paths, sorted. A return that cannot be annotated is logged and skipped:
    it never stops the others.
    """
    return start_feedback(folder, result.returns, plan).finish()


class PendingFeedback:
    """Feedback copies being made (in worker processes, for a round with many) into a temporary
    sibling of `folder`; finish() swaps them in, abandon() throws them away."""

    def __init__(self, folder: Path, returns, plan: Plan):
        self.folder = Path(folder)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.folder)
        self.tmp = tmp = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}-new-", dir=self.folder.parent))
        try:
            used: set[str] = set()
            self.jobs = [(ret, _target(ret, plan, used)) for ret in returns
                         if needs_feedback(ret) and ret.kind in ("xlsx", "xlsm", "ods", "xls")]  # else: no workbook
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

        def write_one(job) -> tuple[Path, str | None, float]:
            ret, rel = job
            started = time.perf_counter()
            try:
                data = feedback_bytes(ret, plan)
            except FeedbackSkipped as why:
                return rel, str(why), 0.0
            except Exception as exc:  # isolation: one odd workbook never stops the others
                return rel, f"{type(exc).__name__}: {exc}", 0.0
            _write_file(tmp / rel, data)  # a full disk stops the run; the old folder stays
            return rel, None, time.perf_counter() - started

        # About 50 ms of openpyxl a copy: a round with many to correct spreads them over the cores.
        workers = None if len(self.jobs) >= PARALLEL_FROM_COPIES else 1
        self.work = Background(write_one, self.jobs, workers=workers)

    def finish(self) -> list[Path]:
        try:
            written: list[Path] = []
            for (ret, _), (rel, problem, seconds) in zip(self.jobs, self.work.results()):
                if problem:
                    log.warning("feedback: no copy of %s: %s", ret.name, problem)
                else:
                    written.append(self.folder / rel)
                    log.info("feedback: %s in %.3f s", rel, seconds)
            _fsync_dir(self.tmp)
            _swap(self.tmp, self.folder)
        except BaseException:
            self.abandon()
            raise
        return sorted(written)

    def abandon(self) -> None:
        self.work.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def start_feedback(folder: Path, returns, plan: Plan) -> PendingFeedback:
    """Begin the feedback copies of `returns` for `folder`; the caller goes on meanwhile."""
    return PendingFeedback(folder, returns, plan)


def _target(ret: Return, plan: Plan, used: set[str]) -> Path:
    """<COUNTRY>/<original name>, .xlsx; a second file of the same name gets " (2)"."""
    country = ret.country if ret.country and plan.country(ret.country) else UNIDENTIFIED
    name = Path(ret.name).name or "return.xlsx"
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        stem, suffix = name[: -len(suffix)], name[-len(suffix):]
    elif suffix in (".xlsm", ".xltx", ".xltm", ".xls", ".ods"):
        stem, suffix = Path(name).stem, ".xlsx"  # macros and other formats: written as .xlsx
    else:
        stem, suffix = name, ".xlsx"
    candidate, n = f"{stem}{suffix}", 1
    while f"{country}/{candidate}".casefold() in used:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    used.add(f"{country}/{candidate}".casefold())
    return Path(country) / candidate


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    for d in [*sorted(p for p in folder.iterdir() if p.is_dir()), folder]:
        try:
            fd = os.open(d, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where not available."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap(new: Path, folder: Path) -> None:
    """Put the new folder in place of the old one, then delete the old one. Where the system can
    exchange two paths in one step there is no moment without a feedback folder."""
    if folder.is_dir() and not folder.is_symlink() and _exchange(new, folder):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old copies
        return
    old = None
    if folder.exists() or folder.is_symlink():
        old = folder.parent / f".{folder.name}-old-{uuid.uuid4().hex[:12]}"
        os.rename(folder, old)
    os.rename(new, folder)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def _recover(folder: Path) -> None:
    """Undo what a crash in an earlier run left: a half-written new folder, an old one renamed away."""
    parent = folder.parent
    for leftover in parent.glob(f".{folder.name}-new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    olds = sorted(parent.glob(f".{folder.name}-old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not folder.exists():
        os.rename(olds.pop(), folder)  # the crash fell between the two renames: put it back
    for leftover in olds:
        shutil.rmtree(leftover, ignore_errors=True)


# --- one copy --------------------------------------------------------------------------------


def _corrections(ret: Return) -> list[Finding]:
    return [f for f in ret.all_findings() if f.severity in (Severity.ERROR, Severity.WARNING)]


def _order(ret: Return, findings: list[Finding]) -> list[Finding]:
    """File-level findings first (as found), then row by row, left to right."""
    def key(item):
        i, f = item
        if f.row is None:
            return (0, i, 0, 0)
        m = _A1.match(f.cell)
        return (1, f.row, col_index(m.group(1)) if m else -1, i)

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

    lang = ret.language if ret.language in TEXT else "en"
    findings = _order(ret, _corrections(ret))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, rich_text=True)
    for w in caught:  # e.g. "Data Validation extension is not supported and will be removed"
        log.info("feedback: %s: openpyxl: %s", ret.name, w.message)
    _clear_previous(wb)
    _mark_cells(wb, findings, lang)
    _corrections_sheet(wb, ret, plan, findings, lang)
    return _finish(_save(wb), data)


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
        if ws is None or not _A1.match(f.cell):
            continue
        by_cell.setdefault((f.sheet, _anchor(ws, f.cell)), []).append(f)
    words = TEXT[lang]
    for (sheet, ref), items in by_cell.items():
        cell = wb[sheet][ref]
        severity = Severity.ERROR if any(f.severity is Severity.ERROR for f in items) else Severity.WARNING
        # Only the fill changes: protection (locked False on input cells), number format,
        # font, borders and alignment stay the cell's own.
        cell.fill = PatternFill(fill_type="solid", fgColor=FILL[severity], bgColor=FILL[severity])
        text = "\n\n".join(f"{words[f.severity]}: {f.message(lang)}" for f in dict.fromkeys(items))
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
    m = _A1.match(f.cell)
    if not m or f.sheet not in wb.sheetnames or not hasattr(wb[f.sheet], "_cells"):
        return ""
    cell = wb[f.sheet]._cells.get((int(m.group(2)), col_index(m.group(1)) + 1))  # reading never adds a cell
    return to_text(cell.value)[0] if cell is not None and cell.data_type != "f" else ""


def _column_heading(wb, ret: Return, f: Finding, lang: str) -> str:
    if f.column in HEADERS[lang]:
        return HEADERS[lang][f.column].replace(" ▾", "")
    m = _A1.match(f.cell)
    try:
        header_row = int(ret.meta.get("header_row", "0"))
    except ValueError:
        header_row = 0
    if m and f.sheet == ret.matrix_sheet and f.sheet in wb.sheetnames and int(m.group(2)) > header_row > 0:
        cell = wb[f.sheet]._cells.get((header_row, col_index(m.group(1)) + 1))
        return to_text(cell.value)[0].replace(" ▾", "") if cell is not None else ""
    return ""


def _corrections_sheet(wb, ret: Return, plan: Plan, findings: list[Finding], lang: str):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.properties import PageSetupProperties

    words = TEXT[lang]
    ws = wb.create_sheet(SHEET_NAME[lang], 0)
    wrap = Alignment(wrap_text=True, vertical="top")
    ncols = len(words["headers"])
    _put(ws, 1, 1, words["title"], {"font": Font(bold=True, size=14, color="FF1F3864")})
    file_rejected = ret.verdict == "rejected"
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
        _put(ws, i, 7, words[f.severity], sev)
        # Wrapped text: set the height, as not every spreadsheet fits rows to their text on opening.
        lines = max(_lines(str(v or ""), w) for v, w in zip(values, WIDTHS))
        ws.row_dimensions[i].height = min(409, 15 * lines + 2)
    for c, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
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


# --- after openpyxl --------------------------------------------------------------------------


_CORE_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)([^<]*)(</dcterms:modified>)")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(rb'\st="([a-zA-Z]+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)


def _formula_cache(xml: bytes) -> dict[bytes, tuple[bytes | None, bytes]]:
    """{ref: (t, cached value)} of the formula cells of one sheet's XML."""
    out = {}
    if b"<f" not in xml:
        return out
    for m in _CELL.finditer(xml):
        body = m.group(2) or b""
        if b"<f" not in body:
            continue
        ref, v = _REF.search(m.group(1)), _VALUE.search(body)
        if ref and v and v.group(1):
            t = _TYPE.search(m.group(1))
            out[ref.group(1)] = (t.group(1) if t else None, v.group(1))
    return out


def _restore_cache(xml: bytes, cache: dict) -> bytes:
    def repl(m):
        attrs, body = m.group(1), m.group(2)
        ref = _REF.search(attrs)
        if body is None or b"<f" not in body or not ref or ref.group(1) not in cache:
            return m.group(0)
        t, value = cache[ref.group(1)]
        attrs = _TYPE.sub(b"", attrs)
        if t in (b"str", b"b", b"e"):
            attrs += b' t="' + t + b'"'
        body = re.sub(rb"<v\s*/>|<v>\s*</v>", b"", body)
        if b"<v>" not in body:
            body += b"<v>" + value + b"</v>"
        return b"<c" + attrs + b">" + body + b"</c>"

    return _CELL.sub(repl, xml)


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    from ..intake.reader import _workbook_sheets

    sheets, _ = _workbook_sheets(zf)
    return {s.name: s.part for s in sheets if s.part}


def _finish(saved: bytes, original: bytes) -> bytes:
    """Put back what openpyxl drops: formulas' cached values and the workbook's saved time."""
    src = zipfile.ZipFile(io.BytesIO(original))
    dst_in = zipfile.ZipFile(io.BytesIO(saved))
    replace: dict[str, bytes] = {}
    src_names = set(src.namelist())
    if "docProps/core.xml" in src_names and "docProps/core.xml" in dst_in.namelist():
        m = _CORE_MODIFIED.search(src.read("docProps/core.xml"))
        core = dst_in.read("docProps/core.xml")
        kept = _CORE_MODIFIED.search(core)
        if m and (kept is None or kept.group(2) != m.group(2)):  # as written, unless openpyxl reworded it
            replace["docProps/core.xml"] = _CORE_MODIFIED.sub(
                lambda x: x.group(1) + m.group(2) + x.group(3), core, count=1)
    try:
        src_parts = _sheet_parts(src)
        dst_parts = _sheet_parts(dst_in)
    except Exception:  # an odd package: keep openpyxl's output as it is
        src_parts, dst_parts = {}, {}
    for name, part in src_parts.items():
        if part not in src_names or name not in dst_parts:
            continue
        cache = _formula_cache(src.read(part))
        if cache:
            replace[dst_parts[name]] = _restore_cache(dst_in.read(dst_parts[name]), cache)
    if not replace:
        return saved
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in dst_in.infolist():
            dst.writestr(info, replace.get(info.filename, dst_in.read(info.filename)))
    return out.getvalue()
