"""The workbook of an Activity Matrix round: outbox/<period>/activities_<period>.xlsx.

Proposals (every accepted proposal, grouped by working group, proposals of the same activity
sharing an activity number and counted together, an "adopt" column for the Secretariat and the
activity's texts in English and Spanish, the missing language left for the Secretariat to write),
Returns, Findings and Rejected proposals. `rcm plan adopt` reads the marked workbook back
(intake.adoptbook). Written again by a later consolidation, it keeps the marks and texts the
Secretariat added to the proposals that did not change (matched by their key).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import warnings
from pathlib import Path

from ..core.errors import Problem
from ..core.fields import ACTIVITY_FIELDS, PROPOSALS_BOOK
from ..core.files import write_atomic
from ..core.plan import MAX_PRIORITY_ACTIVITIES, Plan
from ..core.texts import ACT_HEADERS, ACT_OUT, CONSOLIDATED
from ..intake.adoptbook import BOOK_SCHEMA, BOOK_SHEET, read_book
from ..intake.proposals import REJECTED_PROPOSAL_COLUMNS
from .returns import write_returns
from .sheets import (GRID, Labels, WorkbookOutputError, check, clip, doc_title, fit_words, header_height, printable,
                     row_height, row_heights, styles, text, text_lines, write_table)

WIDTHS = {"adopt": 10, "working_group": 22, "activity_no": 11, "countries": 11, "country": 16, "decision": 12,
          "ref": 7, "pillar": 26, "theme": 28, "activity_en": 40, "activity_es": 40, "results_en": 32,
          "results_es": 32, "indicators_en": 32, "indicators_es": 32, "responsible": 22, "deadline": 12,
          "source_file": 30, "row": 6, "key": 24}
EDITABLE = ("adopt", "activity_en", "activity_es", "results_en", "results_es", "indicators_en", "indicators_es")
FIRST_ROW = 3  # 0-based row of the table's header: a title and a note above it
NOTE_COLUMNS = 10  # the note spans the first columns, the width of a printed page's left part
CENTRED = ("activity_no", "countries", "row")
PRINTED = PROPOSALS_BOOK.index("source_file")  # the columns before the tracing ones


def proposal_key(p: dict) -> str:
    """Country, group, sheet row and a digest of what was proposed: a mark stays with its proposal
    only while the proposal stays the same."""
    what = "\x1f".join(str(p.get(f, "")) for f in ("decision", "pillar", "theme", "activity", "expected_results",
                                                      "indicators", "responsible", "deadline"))
    return f"{p['country']}-{p['working_group']}-{p['source_row']}-{hashlib.sha256(what.encode()).hexdigest()[:6]}"


def book_rows(result, plan: Plan, lang: str, previous: dict[str, dict] | None = None) -> list[dict]:
    """One dict per proposal, keyed by PROPOSALS_BOOK, in the language of the workbook."""
    labels, w = Labels(plan, lang), ACT_OUT[lang]
    out = []
    for p in result.proposals.dicts():
        group = plan.group(p["working_group"])
        act = next((a for a in (group.priority_activities if group else ()) if a.ref == p["ref"]), None)
        texts = {}
        for key, field in (("activity", "activity"), ("results", "expected_results"), ("indicators", "indicators")):
            for side in ("en", "es"):
                mine = side == p["language"]
                plan_text = getattr(act, field)(side) if act is not None and p["decision"] == "keep" else ""
                texts[f"{key}_{side}"] = p[field] if mine else plan_text
        row = {"adopt": "", "working_group": labels.group.get(p["working_group"], p["working_group"]),
               "activity_no": p["cluster"], "countries": p["countries"],
               "country": labels.country.get(p["country"], p["country"]), "decision": w[p["decision"]],
               "ref": p["ref"], "pillar": labels.pillar.get(p["pillar"], p["pillar"]),
               "theme": labels.theme.get((p["pillar"], p["theme"]), p["theme"]), **texts,
               "responsible": labels.responsible.get(p["responsible"], p["responsible"]),
               "deadline": labels.deadline.get(p["deadline"], p["deadline"]),
               "source_file": p["source_file"], "row": p["source_row"], "key": proposal_key(p)}
        kept = (previous or {}).get(row["key"], {})
        row.update({k: kept[k] for k in EDITABLE if kept.get(k) and not row[k]})
        out.append(row)
    return out


def write_proposals(folder: Path, result, plan: Plan, lang: str = "en", feedback=None) -> list[Path]:
    """Write the round's workbook (atomically) and finish its feedback copies; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"activities_{result.period}.xlsx"
    try:
        previous = read_book(path).by_key() if path.exists() else {}
    except Exception:  # an unreadable earlier copy has no marks to keep
        previous = {}
    try:
        write_atomic(path, build_proposals(result, plan, lang, previous))
    except BaseException:
        if feedback is not None:
            feedback.abandon()
        raise
    return [path] + (feedback.finish() if feedback is not None else [])


def build_proposals(result, plan: Plan, lang: str = "en", previous: dict | None = None) -> bytes:
    import xlsxwriter

    from ..template.build import source_time

    lang = "es" if lang == "es" else "en"
    w = ACT_OUT[lang]
    buf = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                       "strings_to_numbers": False, "strings_to_urls": False,
                                       "default_date_format": "yyyy-mm-dd hh:mm"})
        created = source_time() or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        wb.set_properties({"title": w["doc_title"].format(period=result.period), "created": created,
                           "author": plan.organization(lang) or plan.title(lang),
                           "comments": f"{BOOK_SCHEMA} {plan.id} {plan.version} {result.period}"})
        _proposals_sheet(wb, result, plan, lang, previous)
        write_returns(wb, result, plan, lang, Labels(plan, lang))
        _findings_sheet(wb, result, lang)
        _rejected_sheet(wb, result, lang)
        meta = wb.add_worksheet(BOOK_SHEET)
        for r, (k, v) in enumerate((("schema", BOOK_SCHEMA), ("plan_id", plan.id), ("plan_version", plan.version),
                                    ("period", result.period), ("language", lang))):
            meta.write_string(r, 0, k)
            meta.write_string(r, 1, v)
        meta.very_hidden()
        wb.close()
    problems = [str(x.message) for x in caught if "xlsxwriter" in (x.filename or "").replace("\\", "/").lower()]
    if problems:
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail=f"XlsxWriter warned: {problems[0]}")
    return buf.getvalue()


def _proposals_sheet(wb, result, plan: Plan, lang: str, previous: dict | None) -> None:
    w, look = ACT_OUT[lang], styles(wb)
    ws = wb.add_worksheet(w["sheet_proposals"])
    rows = book_rows(result, plan, lang, previous)
    data = [[clip(v) if isinstance(v, str) else v for v in (r[k] for k in PROPOSALS_BOOK)] for r in rows]
    headers = [w[k] for k in PROPOSALS_BOOK]
    widths = fit_words(headers, [WIDTHS[k] for k in PROPOSALS_BOOK])
    last_col, last = len(PROPOSALS_BOOK) - 1, FIRST_ROW + max(len(data), 1)
    check(ws.write_string(0, 0, w["title"].format(period=result.period), look.title), "the title")
    note = w["note"].format(adopt=w["adopt"], limit=MAX_PRIORITY_ACTIVITIES, file=f"activities_{result.period}.xlsx")
    note_fmt = wb.add_format({"italic": True, "text_wrap": True, "valign": "top", "font_color": "#595959"})
    check(ws.merge_range(1, 0, 1, NOTE_COLUMNS - 1, note, note_fmt), "the note")
    check(ws.set_row(1, row_height(text_lines(note, sum(widths[:NOTE_COLUMNS])))), "the height of the note")
    mark = wb.add_format({"valign": "top", "align": "center", "bold": True, "bg_color": "#FFF2CC",
                          "border": 1, "border_color": GRID})
    # Numbers stand centred, away from the next column's text ("3 Costa Rica" read as one).
    centred = wb.add_format({"valign": "top", "align": "center", "border": 1, "border_color": GRID})
    formats = [mark if k == "adopt" else centred if k in CENTRED else look.wrap for k in PROPOSALS_BOOK]
    columns = [{"header": h, "format": f, "header_format": look.head} for h, f in zip(headers, formats)]
    options = {"name": "Proposals", "columns": columns, "style": "Table Style Light 9", "banded_rows": True}
    if data:
        options["data"] = data
    check(ws.add_table(FIRST_ROW, 0, last, last_col, options), "the table Proposals")
    wrap = [i for i, k in enumerate(PROPOSALS_BOOK) if k not in CENTRED and k != "adopt"]
    texts = [[v if isinstance(v, str) else str(v) for v in row] for row in data]
    for i, h in enumerate(row_heights(texts, widths, wrap), FIRST_ROW + 1):
        check(ws.set_row(i, h) if h is not None else 0, "a row's height")
    for i, width in enumerate(widths):
        check(ws.set_column(i, i, width), f"the width of {PROPOSALS_BOOK[i]}")
    check(ws.set_row(FIRST_ROW, header_height(headers, widths)), "the height of the headings")
    check(ws.data_validation(FIRST_ROW + 1, 0, last, 0, {
        "validate": "list", "source": ["x"], "ignore_blank": True, "error_type": "warning",
        "error_title": w["adopt"][:32], "error_message": w["adopt_prompt"].format(limit=MAX_PRIORITY_ACTIVITIES)[:255],
        "input_title": w["adopt"][:32], "input_message": w["adopt_prompt"].format(limit=MAX_PRIORITY_ACTIVITIES)[:255]}),
        "the adopt column's list")
    if not data:
        check(ws.write_string(last + 2, 0, w["none"]), "the note on no proposals")
    # Printed for the meeting that adopts: the tracing columns (file, row, key) stay on screen only.
    printable(ws, doc_title(w, result.period, lang), header_row=FIRST_ROW, columns=PRINTED,
              last_row=last + (2 if not data else 0))
    ws.freeze_panes(FIRST_ROW + 1, 2)
    ws.activate()


def _findings_sheet(wb, result, lang: str) -> None:
    w, c = ACT_OUT[lang], CONSOLIDATED[lang]
    ws = wb.add_worksheet(c["sheet_findings"])
    headers = [c[k] for k in ("code", "severity", "file", "sheet", "cell", "row", "column", "value", "message")]
    rows = []
    for f in result.findings:
        column = ACT_HEADERS[lang][f.column].replace(" ▾", "") if f.column in ACTIVITY_FIELDS else text(f.column)
        rows.append([f.code, c.get("severity_" + f.severity.value, f.severity.value), text(f.file), text(f.sheet),
                     text(f.cell), f.row if isinstance(f.row, int) else "", column, text(f.value),
                     text(f.message(lang))])
    _, last = write_table(ws, 0, headers, rows, "Findings", [22, 12, 34, 20, 8, 7, 24, 30, 90], look=styles(wb))
    ws.freeze_panes(1, 0)
    printable(ws, doc_title(w, result.period, lang), header_row=0, columns=len(headers), last_row=last)


def _rejected_sheet(wb, result, lang: str) -> None:
    w, c = ACT_OUT[lang], CONSOLIDATED[lang]
    ws = wb.add_worksheet(w["sheet_rejected"])
    headers = [ACT_HEADERS[lang][k].replace(" ▾", "") if k in ACTIVITY_FIELDS else w.get(k) or c[k]
               for k in REJECTED_PROPOSAL_COLUMNS]
    rows = [[text(v) for v in rec] for rec in result.rejected.records(REJECTED_PROPOSAL_COLUMNS)] \
        if len(result.rejected) else []
    _, last = write_table(ws, 0, headers, rows, "RejectedProposals",
                          [10 if k in ("period", "row") else 40 if k in ("activity", "reasons") else 22
                           for k in REJECTED_PROPOSAL_COLUMNS], look=styles(wb))
    ws.freeze_panes(1, 0)
    printable(ws, doc_title(w, result.period, lang), header_row=0, columns=len(headers), last_row=last)
