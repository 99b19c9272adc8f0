"""Plan -> one locked, self-describing follow-up workbook per working group, country and period."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import uuid
import zipfile
from dataclasses import dataclass, field

from ..core.cells import cell_rc, col_letter
from ..core.errors import Problem, RcmError
from ..core.fields import CODED, DEFAULT_ROWS, FIELDS, MAX_ROWS, REQUIRED
from ..core.plan import Country, Plan, WorkingGroup
from ..core.textfit import row_height, text_lines
from ..core.texts import CHECK, ERROR_ALERT, HEADERS, HELP, UI, format_date, period_words
from ..core.version import __version__
from . import selfcheck

SCHEMA = "rcm-workbooks/1"
META_SHEET = "_meta"
LISTS_SHEET = "_lists"
HEADER_ROW = 5
TITLE_CELLS = {"plan": "C2", "working_group": "C3", "country": "E3", "period": "H3", "due_date": "K3"}
COLUMNS = {f: chr(ord("A") + i) for i, f in enumerate(FIELDS)}
CHECK_COLUMN = col_letter(len(FIELDS))  # the workbook's own check, right of the matrix
BANNER_CELL = "E1"  # in the first screen, right of the title
WIDTHS = {"ref": 13, "pillar": 26, "theme": 34, "activity": 44, "indicators": 32, "measured_by": 22,
          "responsible": 26, "deadline": 13, "status": 22, "risks": 28, "progress": 44, "next_steps": 34}
# Columns that a pre-filled row fixes; the focal point updates the rest.
PREFILL_LOCKED = ("ref", "pillar", "theme", "activity", "indicators")


class TemplateError(RcmError):
    """A template could not be made: `problem` and `params` say why."""


@dataclass(frozen=True)
class PrefilledRow:
    """A row the template carries already filled in: a priority activity or a carried-forward row."""

    ref: str
    values: dict  # field -> display text (codes resolved to labels by the writer)


@dataclass(frozen=True)
class TemplateSpec:
    plan: Plan
    period: str
    group: WorkingGroup
    country: Country
    language: str
    due_date: dt.date | None = None
    rows: int = DEFAULT_ROWS
    prefilled: tuple[PrefilledRow, ...] = field(default=())


def file_name(period: str, group: str, country: str) -> str:
    return f"RCM_{period}_{country}_{group}.xlsx"


def source_time() -> dt.datetime | None:
    """The fixed time of a reproducible build (SOURCE_DATE_EPOCH), if one is asked for."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip().isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)


def row_digest(values: list[str]) -> str:
    """Digest of a pre-filled row's locked cells, so an edit to them can be seen on return."""
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:16]


def priority_rows(spec_plan: Plan, group: WorkingGroup, country: Country) -> tuple[PrefilledRow, ...]:
    rows = []
    for i, act in enumerate(group.priority_activities, 1):
        coded = {k: getattr(act, k) for k in ("responsible", "deadline") if getattr(act, k)}
        rows.append(PrefilledRow(
            ref=f"{country.code}-{group.code}-{act.ref or f'P{i}'}",  # the activity's own ref: stable
            values={"pillar": act.pillar, "theme": act.theme, "activity": act.activity,
                    "indicators": (act.expected_results, act.indicators), **coded},
        ))
    return tuple(rows)


def _prefill_text(plan: Plan, row: PrefilledRow, lang: str) -> dict[str, str]:
    """Resolve a pre-filled row's codes and bilingual texts to what the template shows."""
    out = {"ref": row.ref}
    v = row.values
    for key, value in v.items():
        if key in ("pillar", "theme", "responsible", "deadline", "status"):
            out[key] = plan.label_of(key, value, lang, v.get("pillar"))
        elif key == "indicators" and isinstance(value, tuple):
            results, indicators = (x(lang) if callable(x) else str(x) for x in value)
            label_r, label_i = UI[lang]["expected_results"], UI[lang]["indicators"]
            # One result or indicator a line: a list starts on the line after its label.
            parts = [f"{label}:{chr(10) if chr(10) in text else ' '}{text}" if text else ""
                     for label, text in ((label_r, results), (label_i, indicators))]
            out[key] = "\n".join(p for p in parts if p)
        else:
            out[key] = value(lang) if callable(value) else ("" if value is None else str(value))
    return out


@functools.lru_cache(maxsize=1)
def sheet_class():
    """XlsxWriter's worksheet, less its rewriting of formulas. Before storing a formula, XlsxWriter
    runs some 30 regular expressions over it (130 over a conditional format's) to prefix the
    functions newer versions of Excel added (_xlfn.): a fifth of a template's build, with a check
    formula in each of 100 rows and 28 conditional formats. The template's formulas use only
    functions of Excel 2003 and earlier (the self-check's by design), so there is nothing to
    prefix; test_template checks that the package is the same byte for byte with XlsxWriter's own
    rewriting."""
    from xlsxwriter.worksheet import Worksheet

    class Sheet(Worksheet):
        def _prepare_formula(self, formula, *args, **kwargs):
            return formula[1:] if formula.startswith("=") else formula

    return Sheet


def build(spec: TemplateSpec) -> tuple[bytes, dict]:
    """Write one template; return its bytes and its `_meta` mapping."""
    import xlsxwriter

    if not 0 <= spec.rows <= MAX_ROWS:
        raise TemplateError(Problem.ROWS_OUT_OF_RANGE, low=0, high=MAX_ROWS)
    plan, lang = spec.plan, spec.language
    ui = UI[lang]
    fixed_time = source_time()
    prefilled = [_prefill_text(plan, r, lang) for r in spec.prefilled]
    first_row = HEADER_ROW + 1
    last_row = HEADER_ROW + len(prefilled) + max(spec.rows, 1 if not prefilled else 0)

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    created = fixed_time or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    wb.set_properties({
        "title": f"{plan.title(lang)} — {spec.group.label(lang)} — {spec.country.label(lang)} — "
                 f"{period_words(spec.period, lang)}",
        "subject": ui["matrix_title"],
        "author": plan.organization(lang) or plan.title(lang),
        "company": plan.organization(lang),
        "created": created,
        "comments": f"{SCHEMA} {plan.id} {spec.period} {spec.group.code} {spec.country.code}",
    })
    fmt = _formats(wb)
    # Sheet order: Instructions first (what a person reads), then the matrix, then the hidden ones.
    ws_i, ws, ws_l, ws_m = (wb.add_worksheet(name, worksheet_class=sheet_class()) for name in
                            (ui["instructions_sheet"], ui["matrix_sheet"], LISTS_SHEET, META_SHEET))
    _write_lists(wb, ws_l, plan, lang)

    # For people: the period and the due date in words (the codes stay in `_meta` and the file name).
    due_text = format_date(spec.due_date, lang) if spec.due_date else ""
    _write_title_block(ws, spec, fmt, due_text)
    _write_hint(ws, ui, first_row, last_row, fmt)
    _write_matrix_rows(ws, prefilled, first_row, last_row, fmt)
    _add_validations(ws, lang, first_row, last_row)
    _print_and_protect(ws, plan, last_row)
    _write_instructions(wb, ws_i, spec, ui, HEADERS[lang], due_text, (first_row, last_row))
    check = _self_check(wb, ws, ws_l, ws_i, spec, prefilled, first_row, last_row)
    ws_i.protect(plan.protection_password, {"select_locked_cells": True, "select_unlocked_cells": True})
    meta = _meta(spec, prefilled, first_row, last_row, created, fixed_time, check)
    _write_meta(ws_m, meta, plan)
    wb.close()
    return _lock_structure(buf.getvalue()), meta


def _formats(wb) -> dict:
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864"}),
        "label": wb.add_format({"bold": True, "align": "right", "font_color": "#44546A"}),
        "value": wb.add_format({"bold": True, "font_color": "#1F3864"}),
        "hint": wb.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}),
        "head": wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                               "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1}),
        "locked": wb.add_format({"text_wrap": True, "valign": "top", "bg_color": "#E7E6E6", "border": 1,
                                 "border_color": "#BFBFBF", "num_format": "@"}),
        # An input cell's format must say locked: False itself, or protection locks it again.
        "input": wb.add_format({"locked": False, "text_wrap": True, "valign": "top", "border": 1,
                                "border_color": "#BFBFBF", "num_format": "@"}),
    }


def _write_lists(wb, ws_l, plan: Plan, lang: str) -> None:
    """The dropdowns' lists, pointed at by defined names (never direct cross-sheet refs: openpyxl
    drops those)."""
    def put_list(col: int, name: str, labels: list[str]) -> None:
        ws_l.write_string(0, col, name)
        for r, text in enumerate(labels, 1):
            ws_l.write_string(r, col, text)
        letter = col_letter(col)
        wb.define_name(name, f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}")

    offered = plan.current()  # retired codes stay valid in returns but are no longer offered
    put_list(0, "Pillars", [p.label(lang) for p in offered.pillars])
    put_list(1, "Responsible", [c.label(lang) for c in offered.responsible_parties])
    put_list(2, "Deadlines", [c.label(lang) for c in offered.deadlines])
    put_list(3, "Statuses", [c.label(lang) for c in offered.statuses])
    # Child lists are named by position and picked with MATCH: labels make bad names.
    for i, p in enumerate(offered.pillars, 1):
        put_list(3 + i, f"_T{i}", [t.label(lang) for t in p.themes])
    ws_l.very_hidden()


def _write_title_block(ws, spec: TemplateSpec, fmt: dict, due_text: str) -> None:
    """The matrix's title, the cells naming the plan, group, country, period and due date, the
    hint and the column headings."""
    plan, lang = spec.plan, spec.language
    ui, headers = UI[lang], HEADERS[lang]
    ws.write_string("A1", f"{plan.title(lang)} — {ui['matrix_title']}", fmt["title"])
    title_values = {
        "plan": plan.title(lang), "working_group": spec.group.label(lang),
        "country": spec.country.label(lang), "period": period_words(spec.period, lang),
        "due_date": due_text or ui["no_due_date"],
    }
    for key, cell in TITLE_CELLS.items():
        row, col = cell_rc(cell)
        ws.write_string(row, col - 1, ui[key] + ":", fmt["label"])
        ws.write_string(row, col, title_values[key], fmt["value"])
    hr = HEADER_ROW - 1
    ws.set_row(hr, header_row_height([headers[name] for name in FIELDS]))
    for c, name in enumerate(FIELDS):
        ws.write_string(hr, c, headers[name], fmt["head"])
        ws.set_column(c, c, WIDTHS[name])


def header_row_height(headings: list[str]) -> float:
    """The column headings' row: as tall as the longest wrapped heading, plus a line. The
    headings are bold and centred in their row, and the bold font LibreOffice draws where Calibri
    is missing is wider than the estimate's: without the spare line a two-line heading is cut at
    its top ("Quién mide los indicadores")."""
    lines = max(text_lines(h, WIDTHS[name], bold=True) for h, name in zip(headings, FIELDS))
    return max(36.0, row_height(lines + 1))


def prefilled_row_height(values: dict) -> float | None:
    """A pre-filled row's height: its longest wrapped text's lines (pillar, activity, "Expected
    results: ..."); neither Excel nor LibreOffice grows a written row to fit. None for one line."""
    lines = max((text_lines(values.get(name, ""), WIDTHS[name]) for name in FIELDS), default=1)
    return row_height(lines) if lines > 1 else None


def _write_hint(ws, ui: dict, first_row: int, last_row: int, fmt: dict) -> None:
    """The line under the title block: where to write, and the rows there are (no row can be inserted)."""
    hint = ui["hint"].format(first=first_row, last=last_row, check=CHECK_COLUMN)
    ws.merge_range(3, 0, 3, len(FIELDS) - 1, hint, fmt["hint"])
    ws.set_row(3, 30)


def _write_matrix_rows(ws, prefilled: list[dict], first_row: int, last_row: int, fmt: dict) -> None:
    """The input rows: pre-filled ones first (their fixed columns locked), then empty ones."""
    for i in range(first_row - 1, last_row):
        k = i - (first_row - 1)
        if k < len(prefilled):
            values = prefilled[k]
            height = prefilled_row_height(values)
            if height is not None:
                ws.set_row(i, height)
            for c, name in enumerate(FIELDS):
                ws.write_string(i, c, values.get(name, ""), fmt["locked" if name in PREFILL_LOCKED else "input"])
        else:
            ws.write_blank(i, 0, None, fmt["locked"])
            for c in range(1, len(FIELDS)):
                ws.write_blank(i, c, None, fmt["input"])


def _add_validations(ws, lang: str, first_row: int, last_row: int) -> None:
    """A help message on every column; a dropdown that refuses typed values on coded ones."""
    r0, r1 = first_row - 1, last_row - 1
    alert_title, alert_msg = ERROR_ALERT[lang]
    col = {f: FIELDS.index(f) for f in FIELDS}
    sources = {"pillar": "=Pillars", "responsible": "=Responsible", "deadline": "=Deadlines",
               "status": "=Statuses",
               "theme": f'=INDIRECT("_T"&MATCH(${COLUMNS["pillar"]}{first_row},Pillars,0))'}
    for name in FIELDS:
        title, message = HELP[lang][name]
        options = {"input_title": title[:32], "input_message": message[:255]}
        if name in CODED:
            options.update({"validate": "list", "source": sources[name], "error_type": "stop",
                            "error_title": alert_title[:32], "error_message": alert_msg[:255]})
        else:
            options.update({"validate": "any"})
        _check(ws.data_validation(r0, col[name], r1, col[name], options), f"validation of {name}")


def _print_and_protect(ws, plan: Plan, last_row: int) -> None:
    ws.freeze_panes(HEADER_ROW, 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4; fit-to-width keeps it on Letter too
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW - 1)
    ws.print_area(0, 0, last_row - 1, len(FIELDS))  # the check column is printed too
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&L&F&R&P / &N")
    protect = {"format_columns": True, "format_rows": True, "select_locked_cells": True,
               "select_unlocked_cells": True}
    ws.protect(plan.protection_password, protect)
    ws.activate()


def _meta(spec: TemplateSpec, prefilled: list[dict], first_row: int, last_row: int,
          created: dt.datetime, fixed_time: dt.datetime | None, check: dict) -> dict:
    """Everything a program needs to find every input cell, and the fingerprint of what is locked."""
    plan, lang = spec.plan, spec.language
    ui, headers = UI[lang], HEADERS[lang]
    template_id = (str(uuid.uuid5(uuid.NAMESPACE_URL, f"{fixed_time.isoformat()}/{plan.id}/{spec.period}/{spec.group.code}/{spec.country.code}"))
                   if fixed_time else str(uuid.uuid4()))
    meta = {
        "schema": SCHEMA,
        "plan_id": plan.id,
        "plan_version": plan.version,
        "period": spec.period,
        "working_group": spec.group.code,
        "country": spec.country.code,
        "language": lang,
        "due_date": spec.due_date.isoformat() if spec.due_date else "",
        "matrix_sheet": ui["matrix_sheet"],
        "instructions_sheet": ui["instructions_sheet"],
        "lists_sheet": LISTS_SHEET,
        "header_row": str(HEADER_ROW),
        "first_row": str(first_row),
        "last_row": str(last_row),
    }
    meta.update({f"col.{f}": COLUMNS[f] for f in FIELDS})
    meta.update({f"title.{k}": v for k, v in TITLE_CELLS.items()})
    meta.update(check)
    meta["prefilled_rows"] = ",".join(str(first_row + k) for k in range(len(prefilled)))
    for k, values in enumerate(prefilled):
        meta[f"ref.{first_row + k}"] = values.get("ref", "")
        meta[f"locked.{first_row + k}"] = row_digest([values.get(f, "") for f in PREFILL_LOCKED])
    meta["generator"] = f"rcm-workbooks {__version__}"
    meta["generated_at"] = created.isoformat(timespec="seconds")
    meta["template_id"] = template_id
    locked_content = {k: v for k, v in meta.items() if k not in ("template_id", "generated_at", "fingerprint")}
    locked_content["headers"] = [headers[f] for f in FIELDS]
    locked_content["prefilled"] = prefilled
    meta["fingerprint"] = hashlib.sha256(
        json.dumps(locked_content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return meta


def _self_check(wb, ws, ws_l, ws_i, spec: TemplateSpec, prefilled: list[dict], first_row: int,
                last_row: int) -> dict[str, str]:
    """The workbook checks itself (template/selfcheck.py); returns its `_meta` keys."""
    ui = UI[spec.language]
    layout = selfcheck.Layout(
        matrix_sheet=ui["matrix_sheet"], header_row=HEADER_ROW, first_row=first_row, last_row=last_row,
        columns=COLUMNS, language=spec.language, check_col=CHECK_COLUMN, banner_cell=BANNER_CELL)
    initial = {first_row + k: values for k, values in enumerate(prefilled)}
    # Its lists go right of the dropdowns' (_write_lists: four lists, then one per pillar offered).
    return selfcheck.add(wb, ws, ws_l, layout, spec.plan, lists_col=4 + len(spec.plan.current().pillars),
                         ws_instructions=ws_i, initial=initial)


def _write_meta(ws_m, meta: dict, plan: Plan) -> None:
    for r, (k, v) in enumerate(meta.items()):
        ws_m.write_string(r, 0, k)
        ws_m.write_string(r, 1, v)
    ws_m.very_hidden()
    ws_m.protect(plan.protection_password)


def _write_instructions(wb, ws, spec: TemplateSpec, ui: dict, headers: dict, due_text: str,
                        rows: tuple[int, int]) -> None:
    """The Instructions sheet: what the workbook is about, the steps, and what each column means.

    Its row 2 is left for the banner of the workbook's own check (_self_check)."""
    plan, lang = spec.plan, spec.language
    due = due_text or ui["no_due_date"]
    info = [(ui["plan"], plan.title(lang)), (ui["working_group"], spec.group.label(lang)),
            (ui["country"], spec.country.label(lang)), (ui["period"], period_words(spec.period, lang)),
            (ui["due_date"], due)]
    values = {"matrix": ui["matrix_sheet"], "due": due, "return_to": plan.return_to(lang) or plan.organization(lang),
              "check": CHECK_COLUMN, "check_header": CHECK[lang]["header"], "ready": CHECK[lang]["ready"],
              "first": rows[0], "last": rows[1]}
    columns = [(COLUMNS[name], headers[name], HELP[lang][name][1] + (" " + ui["pick_list"] if name in CODED else ""),
                ui["yes"] if name in REQUIRED else ui["no"]) for name in FIELDS]
    # The check column: the workbook fills it in, so it is neither required nor optional.
    columns.append((CHECK_COLUMN, CHECK[lang]["header"], CHECK[lang]["help"][1], ""))
    write_instructions_page(wb, ws, ui, info, [step.format(**values) for step in ui["steps"]], columns)


def write_instructions_page(wb, ws, ui: dict, info: list[tuple[str, str]], steps: list[str],
                            columns: list[tuple[str, str, str, str]]) -> None:
    """An Instructions sheet of either form: its title, what the workbook is about (info), the
    numbered steps, and a table of the columns (letter, heading, help, required); printed landscape."""
    f_title = wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864"})
    f_sub = wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F3864"})
    f_text = wb.add_format({"text_wrap": True, "valign": "top"})
    f_head = wb.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1,
                            "text_wrap": True, "valign": "top"})
    f_cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"})
    for c, width in enumerate((10, 34, 80, 12)):
        ws.set_column(c, c, width)
    ws.write_string(0, 0, ui["instructions_title"], f_title)
    r = 2
    for label, value in info:
        ws.write_string(r, 1, label, f_sub)
        ws.write_string(r, 2, value, f_text)
        r += 1
    r += 1
    for n, text in enumerate(steps, 1):
        ws.write_number(r, 0, n, f_text)
        ws.merge_range(r, 1, r, 2, text, f_text)
        # Merged cells never grow to fit their text: as tall as it is wrapped over columns B and C.
        ws.set_row(r, max(32.0, row_height(text_lines(text, 34 + 80))))
        r += 1
    r += 1
    ws.write_string(r, 0, ui["columns_title"], f_sub)
    r += 1
    for c, key in enumerate(("col_column", "col_header", "col_help", "col_required")):
        ws.write_string(r, c, ui[key], f_head)
    for row in columns:
        r += 1
        for c, text in enumerate(row):
            ws.write_string(r, c, text, f_cell)
        ws.set_row(r, 30)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _lock_structure(data: bytes) -> bytes:
    """Add the workbook structure lock (XlsxWriter cannot) and fix zip times for reproducibility."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = body.decode("utf-8")
                text, n = re.subn(r"(<workbookPr[^>]*/>)", r'\1<workbookProtection lockStructure="1"/>', text, count=1)
                if n != 1:
                    raise TemplateError(Problem.TEMPLATE_NOT_WRITTEN,
                                        detail="cannot lock the workbook structure: no <workbookPr/> in workbook.xml")
                body = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def _check(rc: int, what: str) -> None:
    # XlsxWriter reports bad input with a warning and a negative code, not an exception.
    if rc not in (0, None):
        raise TemplateError(Problem.TEMPLATE_NOT_WRITTEN, detail=f"XlsxWriter refused the {what} (code {rc})")
