"""The consolidated workbook of a period: Matrix, Summary, [Progress,] Returns, Findings, Rejected rows.

The Progress sheet (outputs.progress) is added after Summary when consolidate has set
`result.progress` from the registry.

Built in memory with XlsxWriter and written atomically. XlsxWriter reports a bad table, name or
range with a warning and a negative return code instead of an exception, so every call's return
code is checked and any warning it emits while building is turned into an error.

Every text from a return is written with write_string (strings_to_* off), so "=SUM(1,1)" typed
by a focal point stays text. Texts longer than an Excel cell holds (32,767 UTF-16 units) are cut
with a trailing "…"; the CSV keeps them whole.

The data rows of the big row sheets (Matrix, Findings, Rejected rows) do not go through
XlsxWriter's cell store: XlsxWriter writes their header, table, widths and panes, and
sheetxml.splice streams the rows into the finished file as inline strings and numbers (STREAM_ROWS;
see sheetxml for why and how). Off, XlsxWriter writes them as well; both read back the same.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import warnings
from collections import Counter
from pathlib import Path

from ..core.fields import FIELDS
from ..core.files import WorkspaceError, write_atomic
from ..core.findings import Severity
from ..core.plan import Plan
from ..core.table import Table
from ..core.texts import HEADERS

EXCEL_CELL_LIMIT = 32_767
EXCEL_MAX_ROWS = 1_048_576
ELLIPSIS = "…"

# --- words ---------------------------------------------------------------------------------

WORDS = {
    "en": {
        # sheets
        "sheet_matrix": "Matrix",
        "sheet_summary": "Summary",
        "sheet_progress": "Progress",
        "sheet_returns": "Returns",
        "sheet_findings": "Findings",
        "sheet_rejected": "Rejected rows",
        # matrix columns beyond the template's headings
        "working_group": "Working group",
        "country": "Country",
        "source_file": "Source file",
        "source_row": "Source row",
        "period": "Period",
        "sheet": "Sheet",
        "row": "Row",
        "codes": "Finding codes",
        "reasons": "Reasons",
        "source_sha256": "SHA-256 of the file",
        # summary
        "summary_title": "Status of the activities, period {period}",
        "by_group": "By working group",
        "by_pillar": "By programmatic pillar",
        "by_theme": "By theme",
        "by_country": "By country",
        "pillar": "Programmatic pillar",
        "theme": "Theme",
        "other_status": "(other status)",
        "total": "Total",
        "completion": "Completion rate",
        "chart_status": "Status of the activities by working group",
        "chart_completion": "Completion rate by country",
        "activities": "Activities",
        "no_rows": "No activity was accepted for this period.",
        # returns
        "returns_title": "Returns of period {period}: country × working group",
        "due": "Due date: {due}",
        "no_due": "Due date: (none set)",
        "state_received": "received",
        "state_late": "late",
        "state_rejected": "rejected",
        "state_missing": "missing",
        "state_superseded": "{n} superseded",
        "state_also_rejected": "{n} rejected",
        "received": "Received",
        "late": "Late",
        "rejected": "Rejected",
        "missing": "Missing",
        "superseded": "Superseded files",
        "nothing_expected": "No return is expected for this period.",
        "files_title": "Every file in the inbox",
        "file": "File",
        "verdict": "Verdict",
        "reason": "Reason",
        "received_at": "Saved / received",
        "rows_accepted": "Rows accepted",
        "rows_rejected": "Rows rejected",
        "errors": "Errors",
        "warnings": "Warnings",
        "sha256": "SHA-256",
        "verdict_accepted": "accepted",
        "verdict_rejected": "rejected",
        "verdict_superseded": "superseded",
        "verdict_ignored": "ignored",
        "reason_accepted": "{ok} rows accepted",
        "reason_accepted_bad": "{ok} rows accepted, {bad} rejected",
        # findings
        "code": "Code",
        "severity": "Severity",
        "cell": "Cell",
        "column": "Column",
        "value": "Value",
        "message": "Message",
        "severity_error": "error",
        "severity_warning": "warning",
        "severity_info": "info",
        # properties
        "doc_title": "Consolidated follow-up matrix — {period}",
        "doc_subject": "Consolidated returns of period {period}",
    },
    "es": {
        "sheet_matrix": "Matriz",
        "sheet_summary": "Resumen",
        "sheet_progress": "Avance",
        "sheet_returns": "Respuestas",
        "sheet_findings": "Hallazgos",
        "sheet_rejected": "Filas rechazadas",
        "working_group": "Grupo de trabajo",
        "country": "País",
        "source_file": "Archivo de origen",
        "source_row": "Fila de origen",
        "period": "Período",
        "sheet": "Hoja",
        "row": "Fila",
        "codes": "Códigos de hallazgo",
        "reasons": "Motivos",
        "source_sha256": "SHA-256 del archivo",
        "summary_title": "Estado de las actividades, período {period}",
        "by_group": "Por grupo de trabajo",
        "by_pillar": "Por pilar programático",
        "by_theme": "Por tema",
        "by_country": "Por país",
        "pillar": "Pilar programático",
        "theme": "Tema",
        "other_status": "(otro estado)",
        "total": "Total",
        "completion": "Tasa de cumplimiento",
        "chart_status": "Estado de las actividades por grupo de trabajo",
        "chart_completion": "Tasa de cumplimiento por país",
        "activities": "Actividades",
        "no_rows": "No se aceptó ninguna actividad en este período.",
        "returns_title": "Respuestas del período {period}: país × grupo de trabajo",
        "due": "Fecha límite: {due}",
        "no_due": "Fecha límite: (sin fecha)",
        "state_received": "recibido",
        "state_late": "tardío",
        "state_rejected": "rechazado",
        "state_missing": "falta",
        "state_superseded": "{n} reemplazado(s)",
        "state_also_rejected": "{n} rechazado(s)",
        "received": "Recibidos",
        "late": "Tardíos",
        "rejected": "Rechazados",
        "missing": "Faltan",
        "superseded": "Archivos reemplazados",
        "nothing_expected": "No se espera ninguna respuesta en este período.",
        "files_title": "Todos los archivos de la bandeja de entrada",
        "file": "Archivo",
        "verdict": "Veredicto",
        "reason": "Motivo",
        "received_at": "Guardado / recibido",
        "rows_accepted": "Filas aceptadas",
        "rows_rejected": "Filas rechazadas",
        "errors": "Errores",
        "warnings": "Advertencias",
        "sha256": "SHA-256",
        "verdict_accepted": "aceptado",
        "verdict_rejected": "rechazado",
        "verdict_superseded": "reemplazado",
        "verdict_ignored": "ignorado",
        "reason_accepted": "{ok} filas aceptadas",
        "reason_accepted_bad": "{ok} filas aceptadas, {bad} rechazadas",
        "code": "Código",
        "severity": "Gravedad",
        "cell": "Celda",
        "column": "Columna",
        "value": "Valor",
        "message": "Mensaje",
        "severity_error": "error",
        "severity_warning": "advertencia",
        "severity_info": "información",
        "doc_title": "Matriz de seguimiento consolidada — {period}",
        "doc_subject": "Respuestas consolidadas del período {period}",
    },
}

MATRIX_COLUMNS = ("working_group", "country", "ref", "pillar", "theme", "activity", "indicators",
                  "measured_by", "responsible", "deadline", "status", "risks", "progress", "next_steps",
                  "source_file", "source_row")
MATRIX_WIDTHS = {"working_group": 24, "country": 18, "ref": 20, "pillar": 28, "theme": 36, "activity": 50,
                 "indicators": 34, "measured_by": 24, "responsible": 28, "deadline": 13, "status": 24,
                 "risks": 30, "progress": 50, "next_steps": 36, "source_file": 34, "source_row": 10}
DONE_COLOUR = "#70AD47"  # statuses that count as done: green; the others amber, red, grey, ...
SERIES_COLOURS = ("#FFC000", "#C00000", "#A5A5A5", "#5B9BD5", "#7030A0")
STATES = ("received", "late", "rejected", "missing")
FILLS = {  # state -> (fill, font): Excel's own good / neutral / bad / grey styles
    "received": ("#C6EFCE", "#006100"),
    "late": ("#FFEB9C", "#9C5700"),
    "rejected": ("#FFC7CE", "#9C0006"),
    "missing": ("#D9D9D9", "#404040"),
}


class WorkbookOutputError(WorkspaceError):
    """XlsxWriter refused something while building the consolidated workbook."""


def words(lang: str) -> dict:
    return WORDS["es" if lang == "es" else "en"]


def field_header(name: str, lang: str) -> str:
    """The heading of a column in `lang`: the template's own headings, without the ▾ mark."""
    lang = "es" if lang == "es" else "en"
    if name in HEADERS[lang]:
        return HEADERS[lang][name].replace(" ▾", "").replace("▾", "").strip()
    return WORDS[lang][name]


# --- cells ---------------------------------------------------------------------------------


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def clip(text: str) -> str:
    """Text that fits an Excel cell: longer ones end with '…' within 32,767 UTF-16 units."""
    if len(text) <= EXCEL_CELL_LIMIT // 2 or _utf16_len(text) <= EXCEL_CELL_LIMIT:
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


def _ok(rc, what: str) -> None:
    if rc not in (None, 0):
        raise WorkbookOutputError(f"could not write the consolidated workbook: XlsxWriter refused {what} (code {rc})")


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
_STREAMED = "_rcm_streamed_rows"  # the worksheet attribute holding them until the file is written


def _write_rows(ws, first_row: int, rows: list[list], name: str) -> None:
    """Plain rows (str, int/float, datetime or '' for empty) from `first_row`, every code checked."""
    fast = _fast_writers(ws) if FAST_WRITE else None
    r = first_row
    if fast is None:
        write_row = ws.write_row
        for values in rows:
            rc = write_row(r, 0, values)
            if rc:
                _ok(rc, f"row {r + 1} of the table {name}")
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
                _ok(rc, f"row {r + 1} of the table {name}")
        r += 1


def _printable(ws) -> None:
    """Landscape, one page wide: the tables and charts print whole instead of cut at the margin."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _write_table(ws, first_row: int, headers: list[str], rows: list[list], name: str,
                 widths: list[int], stream: bool = False) -> tuple[int, int]:
    """Rows under a header as an Excel table with filters; return the table's (first, last) row.

    Excel has no table without a data row: an empty one gets a single blank row, as Excel does.
    With `stream` (and STREAM_ROWS) the data rows are left to build_workbook, which splices them
    into the written file; only for the last rows of a sheet, without per-cell formats.
    """
    from ..core.cells import col_letter as column_letters
    from .sheetxml import SheetRows, simple_rows

    last_col = len(headers) - 1
    last_row = first_row + max(len(rows), 1)
    columns = [{"header": h} for h in headers]
    options = {"name": name, "columns": columns, "style": "Table Style Light 9", "banded_rows": True}
    if (stream and STREAM_ROWS and rows and getattr(ws, _STREAMED, None) is None
            and simple_rows(rows, len(headers))):
        if last_row >= EXCEL_MAX_ROWS:
            _ok(-1, f"the table {name} (row {last_row + 1} is beyond the last row of a sheet)")
        # XlsxWriter gets the header and first row; sheetxml.splice sets the full range.
        _ok(ws.add_table(first_row, 0, first_row + 1, last_col, options), f"the table {name}")
        full = f"A{first_row + 1}:{column_letters(last_col)}{last_row + 1}"
        setattr(ws, _STREAMED, SheetRows(first_row + 1, rows, len(headers), clip, table=(name, full)))
    else:
        _ok(ws.add_table(first_row, 0, last_row, last_col, options), f"the table {name}")
        _write_rows(ws, first_row + 1, rows, name)
    for i, w in enumerate(widths):
        _ok(ws.set_column(i, i, w), f"the width of column {i + 1} of the table {name}")
    return first_row, last_row


# --- the sheets ------------------------------------------------------------------------------


class _Labels:
    """Plan codes -> labels in one language; unknown codes show as they are."""

    def __init__(self, plan: Plan, lang: str):
        self.group = {g.code: g.label(lang) for g in plan.working_groups}
        self.country = {c.code: c.label(lang) for c in plan.countries}
        self.pillar = {p.code: p.label(lang) for p in plan.pillars}
        self.theme = {(p.code, t.code): t.label(lang) for p in plan.pillars for t in p.themes}
        self.responsible = {c.code: c.label(lang) for c in plan.responsible_parties}
        self.deadline = {c.code: c.label(lang) for c in plan.deadlines}
        self.status = {c.code: c.label(lang) for c in plan.statuses}


def _texts(values: list) -> list[str]:
    """text() of each value; a column of plain strings that fit a cell (the usual case) as it is."""
    if not values:
        return values
    if set(map(type, values)) == {str} and max(map(len, values)) <= EXCEL_CELL_LIMIT // 2:
        return values
    return list(map(text, values))


def _source_row(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return text(value)


def _matrix_rows(matrix, labels: _Labels) -> list[tuple]:
    """The Matrix's rows (text() of each value, codes shown with their labels), column by column."""
    if len(matrix) == 0:
        return []
    cols = ["working_group", "country", "ref", "pillar", "theme", "activity", "indicators", "measured_by",
            "responsible", "deadline", "status", "risks", "progress", "next_steps", "source_file", "source_row"]
    frame = Table.of(matrix)
    v = {name: _texts(frame[name]) for name in cols[:-1]}
    pillar, theme = v["pillar"], v["theme"]

    def shown(name: str, table: dict) -> list[str]:
        return list(map(table.get, v[name], v[name]))

    return list(zip(
        shown("working_group", labels.group), shown("country", labels.country), v["ref"],
        shown("pillar", labels.pillar), list(map(labels.theme.get, zip(pillar, theme), theme)),
        v["activity"], v["indicators"], v["measured_by"], shown("responsible", labels.responsible),
        shown("deadline", labels.deadline), shown("status", labels.status), v["risks"], v["progress"],
        v["next_steps"], v["source_file"], list(map(_source_row, frame["source_row"])),
    ))


def _write_matrix(wb, result, plan: Plan, lang: str, labels: _Labels) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_matrix"])
    headers = [field_header(f, lang) for f in MATRIX_COLUMNS]
    rows = _matrix_rows(result.matrix, labels)
    _write_table(ws, 0, headers, rows, "Matrix", [MATRIX_WIDTHS[f] for f in MATRIX_COLUMNS], stream=True)
    ws.freeze_panes(1, 0)


def summary_counts(matrix, plan: Plan) -> dict[str, Counter]:
    """Rows per (dimension key, status code); keys: group, pillar, theme ((pillar, theme)), country."""
    out = {"group": Counter(), "pillar": Counter(), "theme": Counter(), "country": Counter()}
    if len(matrix) == 0:
        return out
    frame = Table.of(matrix)
    group, country, pillar, theme, status = (_texts(frame[c]) for c in ["working_group", "country", "pillar", "theme", "status"])
    out["group"].update(zip(group, status))
    out["pillar"].update(zip(pillar, status))
    out["theme"].update(zip(zip(pillar, theme), status))
    out["country"].update(zip(country, status))
    return out


def _keys(plan_keys: list, counter: Counter) -> list:
    """The plan's entries in plan order, then any code the data has that the plan does not."""
    seen = set(plan_keys)
    extra = []
    for key, _ in counter:
        if key not in seen:
            seen.add(key)
            extra.append(key)
    return list(plan_keys) + sorted(extra)


def _write_summary(wb, result, plan: Plan, lang: str, labels: _Labels) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_summary"])
    _printable(ws)
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
    total_fmt = wb.add_format({"bold": True, "top": 1})
    pct = wb.add_format({"num_format": "0.0%"})
    pct_total = wb.add_format({"num_format": "0.0%", "bold": True, "top": 1})
    sheet = w["sheet_summary"]

    counts = summary_counts(result.matrix, plan)
    status_codes = [s.code for s in plan.statuses]
    done = {s.code for s in plan.statuses if s.done}
    known = set(status_codes)
    other = any(st not in known for c in counts.values() for (_, st) in c)
    status_headers = [s.label(lang) for s in plan.statuses] + ([w["other_status"]] if other else [])

    _ok(ws.write_string(0, 0, w["summary_title"].format(period=result.period), title), "the summary title")
    if len(result.matrix) == 0:
        _ok(ws.write_string(1, 0, w["no_rows"]), "the summary note")

    blocks = [
        ("group", w["by_group"], [w["working_group"]], [g.code for g in plan.working_groups],
         lambda k: [labels.group.get(k, k)]),
        ("pillar", w["by_pillar"], [w["pillar"]], [p.code for p in plan.pillars],
         lambda k: [labels.pillar.get(k, k)]),
        ("theme", w["by_theme"], [w["pillar"], w["theme"]], [(p.code, t.code) for p in plan.pillars for t in p.themes],
         lambda k: [labels.pillar.get(k[0], k[0]), labels.theme.get(k, k[1])]),
        ("country", w["by_country"], [w["country"]], [c.code for c in plan.countries],
         lambda k: [labels.country.get(k, k)]),
    ]
    row = 2
    where = {}  # block -> (first data row, last data row, first status col, label cols)
    for key, block_title, label_headers, plan_keys, show in blocks:
        counter = counts[key]
        nlab = len(label_headers)
        _ok(ws.write_string(row, 0, block_title, bold), f"the title of {block_title}")
        row += 1
        headers = label_headers + status_headers + [w["total"], w["completion"]]
        _ok(ws.write_row(row, 0, headers, head), f"the headers of {block_title}")
        row += 1
        first = row
        sums = [0] * (len(status_headers) + 1)
        done_sum = 0
        for k in _keys(plan_keys, counter):
            per = [counter.get((k, s), 0) for s in status_codes]
            if other:
                per.append(sum(n for (kk, s), n in counter.items() if kk == k and s not in known))
            total = sum(per)
            finished = sum(counter.get((k, s), 0) for s in done)
            _ok(ws.write_row(row, 0, [text(x) for x in show(k)]), f"the labels of {block_title}")
            _ok(ws.write_row(row, nlab, per + [total]), f"the counts of {block_title}")
            if total:
                _ok(ws.write_number(row, nlab + len(per) + 1, finished / total, pct), f"a rate of {block_title}")
            for i, n in enumerate(per + [total]):
                sums[i] += n
            done_sum += finished
            row += 1
        last = row - 1
        _ok(ws.write_string(row, 0, w["total"], total_fmt), f"the total of {block_title}")
        for i in range(1, nlab):
            _ok(ws.write_blank(row, i, None, total_fmt), f"the total of {block_title}")
        _ok(ws.write_row(row, nlab, sums, total_fmt), f"the total of {block_title}")
        if sums[-1]:
            _ok(ws.write_number(row, nlab + len(sums), done_sum / sums[-1], pct_total), f"the total rate of {block_title}")
        else:
            _ok(ws.write_blank(row, nlab + len(sums), None, pct_total), f"the total rate of {block_title}")
        where[key] = (first, last, nlab, len(status_headers))
        row += 2

    _ok(ws.set_column(0, 0, 34), "the width of the summary labels")
    _ok(ws.set_column(1, 1, 40), "the width of the summary labels")
    _ok(ws.set_column(2, 2 + len(status_headers) + 2, 16), "the width of the summary counts")

    # Charts, to the right of the blocks.
    chart_col = 2 + len(status_headers) + 3
    first, last, nlab, nstat = where["group"]
    if last >= first:
        chart = wb.add_chart({"type": "column", "subtype": "stacked"})
        if chart is None:
            raise WorkbookOutputError("could not write the consolidated workbook: XlsxWriter refused the status chart")
        others = iter(SERIES_COLOURS)
        kinds = [s.done for s in plan.statuses] + [False] * (nstat - len(plan.statuses))
        for i in range(nstat):
            colour = DONE_COLOUR if kinds[i] else next(others, "#7F7F7F")
            chart.add_series({
                "name": [sheet, first - 1, nlab + i],
                "categories": [sheet, first, 0, last, 0],
                "values": [sheet, first, nlab + i, last, nlab + i],
                "fill": {"color": colour},
                "gap": 60,
            })
        chart.set_title({"name": w["chart_status"]})
        chart.set_y_axis({"name": w["activities"], "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 720, "height": 400})
        _ok(ws.insert_chart(2, chart_col, chart), "the status chart")
    first, last, nlab, nstat = where["country"]
    if last >= first:
        chart = wb.add_chart({"type": "bar"})
        if chart is None:
            raise WorkbookOutputError("could not write the consolidated workbook: XlsxWriter refused the completion chart")
        chart.add_series({
            "name": w["completion"],
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, nlab + nstat + 1, last, nlab + nstat + 1],
            "fill": {"color": DONE_COLOUR},
            "data_labels": {"value": True, "num_format": "0%"},
        })
        chart.set_title({"name": w["chart_completion"]})
        chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1, "major_unit": 0.25,
                          "major_gridlines": {"visible": True}})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 460})
        _ok(ws.insert_chart(24, chart_col, chart), "the completion chart")


def return_states(result, plan: Plan) -> dict[tuple[str, str], dict]:
    """For each (country, group) pair expected or seen: its state and the other files for it.

    state: received | late | rejected | missing; plus counts of superseded and rejected files.
    """
    groups = {g.code for g in plan.working_groups}
    countries = {c.code for c in plan.countries}
    pairs: dict[tuple[str, str], dict] = {}
    for pair in result.expected:
        pairs[tuple(pair)] = {"state": "missing", "superseded": 0, "rejected": 0, "expected": True, "files": []}
    for r in result.returns:
        if not r.identified or r.period != result.period or r.verdict == "ignored":
            continue
        if r.country not in countries or r.working_group not in groups:
            continue
        entry = pairs.setdefault((r.country, r.working_group),
                                 {"state": "missing", "superseded": 0, "rejected": 0, "expected": False, "files": []})
        entry["files"].append(r)
        if r.verdict == "superseded":
            entry["superseded"] += 1
        elif r.verdict == "rejected":
            entry["rejected"] += 1
    for entry in pairs.values():
        standing = [r for r in entry["files"] if r.verdict == "accepted"]
        if standing:
            r = standing[-1]
            due = r.due_date or result.due_date
            received = r.received_at
            entry["state"] = "late" if due and received and received.date() > due else "received"
        elif entry["rejected"]:
            entry["state"] = "rejected"
            entry["rejected"] -= 1  # the state says it; the note counts only the others
    return pairs


def _state_text(entry: dict, w: dict) -> str:
    words_ = [w["state_" + entry["state"]]]
    if entry["superseded"]:
        words_.append(w["state_superseded"].format(n=entry["superseded"]))
    if entry["rejected"]:
        words_.append(w["state_also_rejected"].format(n=entry["rejected"]))
    return "; ".join(words_)


def _reason(r, lang: str, w: dict) -> str:
    if lang == "en" or not r.verdict:
        return r.reason
    if r.verdict == "accepted":
        bad = sum(1 for x in r.rows if not x.accepted)
        ok = len(r.rows) - bad
        return (w["reason_accepted_bad"] if bad else w["reason_accepted"]).format(ok=ok, bad=bad)
    code = {"superseded": ("file-superseded",), "ignored": ("file-ignored", "file-duplicate")}.get(r.verdict)
    if code:
        f = next((f for f in r.findings if f.code in code), None)
    else:
        f = next(iter(r.file_errors), None)
    return f.message(lang, with_fix=False) if f else r.reason


def _write_returns(wb, result, plan: Plan, lang: str, labels: _Labels) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_returns"])
    _printable(ws)
    title = wb.add_format({"bold": True, "font_size": 14})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top",
                          "align": "center"})
    side = wb.add_format({"bold": True, "right": 1})
    total_fmt = wb.add_format({"bold": True, "top": 1})
    fills = {s: wb.add_format({"bg_color": f, "font_color": c, "border": 1, "border_color": "#FFFFFF",
                               "align": "center"}) for s, (f, c) in FILLS.items()}

    _ok(ws.write_string(0, 0, w["returns_title"].format(period=result.period), title), "the returns title")
    due = result.due_date
    _ok(ws.write_string(1, 0, w["due"].format(due=due.isoformat()) if due else w["no_due"]), "the due date")

    states = return_states(result, plan)
    country_codes = [c.code for c in plan.countries if any(k[0] == c.code for k in states)]
    group_codes = [g.code for g in plan.working_groups if any(k[1] == g.code for k in states)]
    row = 3
    if not states:
        _ok(ws.write_string(row, 0, w["nothing_expected"]), "the returns note")
        row += 2
    else:
        total_headers = [w[s] for s in STATES] + [w["superseded"]]
        headers = [w["country"]] + [labels.group.get(g, g) for g in group_codes] + total_headers
        _ok(ws.write_row(row, 0, headers, head), "the returns grid headers")
        _ok(ws.set_row(row, 32), "the height of the grid headers")
        row += 1
        per_group = {g: Counter() for g in group_codes}
        for c in country_codes:
            _ok(ws.write_string(row, 0, labels.country.get(c, c), side), "a country of the returns grid")
            per_country = Counter()
            for j, g in enumerate(group_codes, 1):
                entry = states.get((c, g))
                if entry is None:
                    continue  # not expected and nothing came back
                _ok(ws.write_string(row, j, _state_text(entry, w), fills[entry["state"]]), "a cell of the returns grid")
                per_country[entry["state"]] += 1
                per_country["superseded"] += entry["superseded"]
                per_group[g][entry["state"]] += 1
                per_group[g]["superseded"] += entry["superseded"]
            _ok(ws.write_row(row, len(group_codes) + 1, [per_country[s] for s in (*STATES, "superseded")]),
                "the totals of a country")
            row += 1
        for k, s in enumerate((*STATES, "superseded")):
            _ok(ws.write_string(row, 0, w[s], total_fmt), "a total of the returns grid")
            _ok(ws.write_row(row, 1, [per_group[g][s] for g in group_codes], total_fmt), "the totals of the groups")
            _ok(ws.write_number(row, len(group_codes) + 1 + k, sum(per_group[g][s] for g in group_codes), total_fmt),
                "a grand total")
            row += 1
        row += 1

    _ok(ws.write_string(row, 0, w["files_title"], bold), "the files title")
    row += 1
    headers = [w[k] for k in ("file", "verdict", "reason", "period", "country", "working_group", "received_at",
                              "rows_accepted", "rows_rejected", "errors", "warnings", "sha256")]
    rows = []
    for r in result.returns:
        accepted = r.verdict == "accepted"
        ok = sum(1 for x in r.rows if x.accepted) if accepted else 0
        bad = len(r.rows) - ok
        found = r.all_findings()
        received = r.received_at
        rows.append([
            text(r.name), w.get("verdict_" + r.verdict, r.verdict), text(_reason(r, lang, w)), text(r.period),
            labels.country.get(r.country, text(r.country)), labels.group.get(r.working_group, text(r.working_group)),
            received if isinstance(received, dt.datetime) else "",
            ok, bad,
            sum(1 for f in found if f.severity is Severity.ERROR),
            sum(1 for f in found if f.severity is Severity.WARNING),
            text(r.sha256),
        ])
    _write_table(ws, row, headers, rows, "Files", [36, 22, 50, 22, 22, 24, 18, 12, 12, 10, 12, 66])
    _ok(ws.set_column(0, 0, 36), "the width of the first column")


def _write_findings(wb, result, lang: str) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_findings"])
    headers = [w[k] for k in ("code", "severity", "file", "sheet", "cell", "row", "column", "value", "message")]
    rows = []
    for f in result.findings:
        column = field_header(f.column, lang) if f.column in FIELDS else text(f.column)
        rows.append([
            f.code, w.get("severity_" + f.severity.value, f.severity.value), text(f.file), text(f.sheet),
            text(f.cell), f.row if isinstance(f.row, int) else "", column, text(f.value), text(f.message(lang)),
        ])
    _write_table(ws, 0, headers, rows, "Findings", [22, 12, 34, 20, 8, 7, 24, 30, 90], stream=True)
    ws.freeze_panes(1, 0)


def _write_rejected(wb, result, lang: str) -> None:
    from ..core.fields import REJECTED_COLUMNS

    w = words(lang)
    ws = wb.add_worksheet(w["sheet_rejected"])
    frame = Table.of(result.rejected)
    headers = [field_header(c, lang) for c in REJECTED_COLUMNS]
    rows = []
    if len(frame):  # the reasons are already in `lang`: consolidate.frames(period, returns, lang)
        rows = [[text(v) for v in rec] for rec in frame.records(REJECTED_COLUMNS)]
    widths = {"period": 10, "working_group": 12, "country": 10, "source_file": 34, "sheet": 20, "row": 7,
              "activity": 40, "progress": 40, "codes": 28, "reasons": 70, "source_sha256": 66}
    _write_table(ws, 0, headers, rows, "RejectedRows", [widths.get(c, 22) for c in REJECTED_COLUMNS],
                 stream=True)
    ws.freeze_panes(1, 0)


# --- the workbook ----------------------------------------------------------------------------


def build_workbook(result, plan: Plan, lang: str = "en") -> bytes:
    """The consolidated workbook of one period, as bytes."""
    import xlsxwriter

    from ..template.build import source_time

    lang = "es" if lang == "es" else "en"
    w = words(lang)
    labels = _Labels(plan, lang)
    buf = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                       "strings_to_numbers": False, "strings_to_urls": False,
                                       "default_date_format": "yyyy-mm-dd hh:mm"})
        created = source_time() or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        wb.set_properties({
            "title": w["doc_title"].format(period=result.period),
            "subject": w["doc_subject"].format(period=result.period),
            "author": plan.organization(lang) or plan.title(lang),
            "company": plan.organization(lang),
            "created": created,
            "comments": f"{plan.id} {plan.version} {result.period}",
        })
        _write_matrix(wb, result, plan, lang, labels)
        _write_summary(wb, result, plan, lang, labels)
        if getattr(result, "progress", None) is not None:  # (frame, counts) from the registry
            from .progress import write_progress_sheet

            frame, counts = result.progress
            write_progress_sheet(wb, w["sheet_progress"], frame, counts, plan, lang)
        _write_returns(wb, result, plan, lang, labels)
        _write_findings(wb, result, lang)
        _write_rejected(wb, result, lang)
        wb.close()
    problems = [str(x.message) for x in caught if "xlsxwriter" in (x.filename or "").replace("\\", "/").lower()]
    if problems:
        raise WorkbookOutputError(f"could not write the consolidated workbook: XlsxWriter warned: {problems[0]}")
    return _splice_rows(wb, buf.getvalue())


def _splice_rows(wb, data: bytes) -> bytes:
    """The written file with the rows _write_table left out written into their sheets."""
    from .sheetxml import splice

    sheets = {}
    number = 0
    for ws in wb.worksheets():
        if ws.is_chartsheet:
            continue
        number += 1  # XlsxWriter's packager names worksheets sheet1.xml, ... in this order
        spec = getattr(ws, _STREAMED, None)
        if spec is not None:
            sheets[f"xl/worksheets/sheet{number}.xml"] = spec
            setattr(ws, _STREAMED, None)
    if not sheets:
        return data
    try:
        return splice(data, sheets)
    except (ValueError, TypeError) as exc:
        raise WorkbookOutputError(f"could not write the consolidated workbook: {exc}") from None


def write_workbook(path: Path, result, plan: Plan, lang: str = "en") -> Path:
    """Write `consolidated_<period>.xlsx` atomically; a failure leaves the previous file intact."""
    path = Path(path)
    write_atomic(path, build_workbook(result, plan, lang))
    return path
