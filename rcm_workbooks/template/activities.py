"""The Activity Matrix (Strategic Plan 3.9): one locked workbook per working group and country in
which member countries propose the group's priority activities for a year.

The same guard rails as the follow-up template (template.build): sheets protected, structure
locked, dropdowns that refuse typed values (the theme list depends on the pillar), a title block
in the template's language and a self-describing `_meta` (`form: activities`). Above the rows
stands the group's specific objective; the group's current priority activities come pre-filled
with their refs, so a country can keep, change or drop each, and blank rows take new proposals.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import uuid
from dataclasses import dataclass

from ..core.cells import cell_rc, col_letter
from ..core.errors import Problem
from ..core.fields import ACTIVITY_CODED, ACTIVITY_FIELDS, ACTIVITY_REQUIRED
from ..core.files import Workspace, WorkspaceError, write_atomic
from ..core.periods import period_start
from ..core.plan import MAX_PRIORITY_ACTIVITIES, Country, Plan, WorkingGroup
from ..core.texts import ACT_HEADERS, ACT_HELP, ACT_UI, ERROR_ALERT, UI, format_date, period_words
from ..core.version import __version__
from .build import LISTS_SHEET, META_SHEET, SCHEMA, TemplateError, _check, _formats, _lock_structure, _write_lists
from . import selfcheck
from .build import row_digest, source_time, write_instructions_page
from .generate import DueBeforePeriod, Generated, TemplatesExist, select

FORM = "activities"
HEADER_ROW = 6
TITLE_CELLS = {"plan": "C2", "period": "F2", "working_group": "C3", "country": "F3", "due_date": "H3"}
OBJECTIVE_CELL = "C4"
COLUMNS = {f: col_letter(i) for i, f in enumerate(ACTIVITY_FIELDS)}
WIDTHS = {"ref": 16, "decision": 16, "pillar": 26, "theme": 34, "activity": 44, "expected_results": 36,
          "indicators": 36, "responsible": 26, "deadline": 14}
DEFAULT_PROPOSALS = MAX_PRIORITY_ACTIVITIES  # blank rows for new proposals
MAX_PROPOSALS = 50
# What a pre-filled row's digest covers: a row that comes back different was changed, not kept.
COMPARED = ("pillar", "theme", "activity", "expected_results", "indicators", "responsible", "deadline")
CHECK_COLUMN = col_letter(len(ACTIVITY_FIELDS))  # the workbook's own check, right of the rows
BANNER_CELL = "F1"
# What the check covers: the proposal's columns, and keep/drop as the consolidator reads them.
CHECKED = selfcheck.Form(fields=ACTIVITY_FIELDS, inputs=ACTIVITY_FIELDS[1:], required=ACTIVITY_REQUIRED,
                         coded=ACTIVITY_CODED, headers=ACT_HEADERS,
                         lists={"decision": tuple(dict.fromkeys(
                             s.lower() for key in ("keep", "drop") for s in (key, ACT_UI["en"][key], ACT_UI["es"][key])))})


@dataclass(frozen=True)
class ActivitySpec:
    plan: Plan
    period: str
    group: WorkingGroup
    country: Country
    language: str
    due_date: dt.date | None = None
    rows: int = DEFAULT_PROPOSALS


def file_name(period: str, group: str, country: str) -> str:
    return f"RCM_{period}_{country}_{group}_activities.xlsx"


def prefilled(spec: ActivitySpec) -> list[dict[str, str]]:
    """The group's current priority activities as the template shows them, in its language."""
    plan, lang = spec.plan, spec.language
    out = []
    for act in spec.group.priority_activities:
        values = {"ref": f"{spec.country.code}-{spec.group.code}-{act.ref}", "decision": ACT_UI[lang]["keep"],
                  "pillar": plan.label_of("pillar", act.pillar, lang),
                  "theme": plan.label_of("theme", act.theme, lang, act.pillar),
                  "activity": act.activity(lang), "expected_results": act.expected_results(lang),
                  "indicators": act.indicators(lang)}
        for key, field in (("responsible", "responsible"), ("deadline", "deadline")):
            code = getattr(act, key)
            values[key] = plan.label_of(field, code, lang) if code else ""
        out.append(values)
    return out


def build_activities(spec: ActivitySpec) -> tuple[bytes, dict]:
    """Write one Activity Matrix; return its bytes and its `_meta` mapping."""
    import xlsxwriter

    if not 0 <= spec.rows <= MAX_PROPOSALS:
        raise TemplateError(Problem.ROWS_OUT_OF_RANGE, low=0, high=MAX_PROPOSALS)
    plan, lang = spec.plan, spec.language
    ui = {**UI[lang], **ACT_UI[lang]}
    fixed_time = source_time()
    pre = prefilled(spec)
    first_row = HEADER_ROW + 1
    last_row = HEADER_ROW + len(pre) + max(spec.rows, 0 if pre else 1)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    created = fixed_time or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    wb.set_properties({
        "title": f"{plan.title(lang)} — {spec.group.label(lang)} — {spec.country.label(lang)} — {spec.period}",
        "subject": ui["matrix_title"], "author": plan.organization(lang) or plan.title(lang),
        "company": plan.organization(lang), "created": created,
        "comments": f"{SCHEMA} {FORM} {plan.id} {spec.period} {spec.group.code} {spec.country.code}",
    })
    fmt = _formats(wb)
    fmt["label_top"] = wb.add_format({"bold": True, "align": "right", "valign": "top", "font_color": "#44546A"})
    fmt["pre"] = wb.add_format({"locked": False, "text_wrap": True, "valign": "top", "border": 1,
                                "border_color": "#BFBFBF", "num_format": "@", "bg_color": "#FFF2CC"})
    ws_i = wb.add_worksheet(UI[lang]["instructions_sheet"])
    ws = wb.add_worksheet(ui["matrix_sheet"])
    ws_l = wb.add_worksheet(LISTS_SHEET)
    ws_m = wb.add_worksheet(META_SHEET)
    _write_lists(wb, ws_l, plan, lang)
    _decisions_list(wb, ws_l, 4 + len(plan.current().pillars), lang)
    due_text = format_date(spec.due_date, lang) if spec.due_date else ""  # in words, as the follow-up template
    _title_block(ws, spec, ui, fmt, due_text)
    _rows(ws, pre, first_row, last_row, fmt)
    _validations(ws, lang, first_row, last_row, len(pre))
    _protect(ws, plan, last_row)
    _instructions(wb, ws_i, spec, ui, due_text)
    checked = _self_check(wb, ws, ws_l, ws_i, spec, pre, first_row, last_row)
    meta = _meta(spec, pre, first_row, last_row, created, fixed_time, checked)
    for r, (k, v) in enumerate(meta.items()):
        ws_m.write_string(r, 0, k)
        ws_m.write_string(r, 1, v)
    ws_m.very_hidden()
    ws_m.protect(plan.protection_password)
    wb.close()
    return _lock_structure(buf.getvalue()), meta


def _self_check(wb, ws, ws_l, ws_i, spec: ActivitySpec, pre: list[dict], first_row: int,
                last_row: int) -> dict[str, str]:
    """The workbook checks itself as the follow-up template does (template/selfcheck.py): a check
    column right of the rows, a banner above them and on the Instructions; returns its `_meta` keys."""
    layout = selfcheck.Layout(
        matrix_sheet=ACT_UI[spec.language]["matrix_sheet"], header_row=HEADER_ROW, first_row=first_row,
        last_row=last_row, columns=COLUMNS, language=spec.language, check_col=CHECK_COLUMN,
        banner_cell=BANNER_CELL, banner_span=4, form=CHECKED)
    initial = {first_row + k: values for k, values in enumerate(pre)}
    # Its lists go right of the dropdowns' (four lists, one per pillar offered, then Decisions).
    return selfcheck.add(wb, ws, ws_l, layout, spec.plan, lists_col=5 + len(spec.plan.current().pillars),
                         ws_instructions=ws_i, initial=initial)


def _decisions_list(wb, ws_l, col: int, lang: str) -> None:
    ws_l.write_string(0, col, "Decisions")
    for r, key in enumerate(("keep", "drop"), 1):
        ws_l.write_string(r, col, ACT_UI[lang][key])
    letter = col_letter(col)
    wb.define_name("Decisions", f"='{LISTS_SHEET}'!${letter}$2:${letter}$3")


def _title_block(ws, spec: ActivitySpec, ui: dict, fmt: dict, due_text: str) -> None:
    plan, lang = spec.plan, spec.language
    ws.write_string("A1", f"{plan.title(lang)} — {ui['matrix_title']}", fmt["title"])
    values = {"plan": plan.title(lang), "period": period_words(spec.period, lang), "working_group": spec.group.label(lang),
              "country": spec.country.label(lang), "due_date": due_text or ui["no_due_date"]}
    for key, cell in TITLE_CELLS.items():
        row, col = cell_rc(cell)
        ws.write_string(row, col - 1, ui[key] + ":", fmt["label"])
        ws.write_string(row, col, values[key], fmt["value"])
    row, col = cell_rc(OBJECTIVE_CELL)
    objective = spec.group.objective(lang) or ui["no_objective"]
    ws.write_string(row, col - 1, ui["objective"] + ":", fmt["label_top"])
    ws.merge_range(row, col, row, len(ACTIVITY_FIELDS) - 1, objective, fmt["hint"])
    ws.set_row(row, 15 * max(2, -(-len(objective) // 150)))
    ws.merge_range(HEADER_ROW - 2, 0, HEADER_ROW - 2, len(ACTIVITY_FIELDS) - 1,
                   ui["hint"].format(limit=MAX_PRIORITY_ACTIVITIES), fmt["hint"])
    ws.set_row(HEADER_ROW - 2, 30)
    ws.set_row(HEADER_ROW - 1, 36)
    for c, name in enumerate(ACTIVITY_FIELDS):
        ws.write_string(HEADER_ROW - 1, c, ACT_HEADERS[lang][name], fmt["head"])
        ws.set_column(c, c, WIDTHS[name])


def _rows(ws, pre: list[dict], first_row: int, last_row: int, fmt: dict) -> None:
    """Pre-filled rows (only the ref locked), then blank rows (ref and decision locked)."""
    for i in range(first_row - 1, last_row):
        k = i - (first_row - 1)
        if k < len(pre):
            for c, name in enumerate(ACTIVITY_FIELDS):
                ws.write_string(i, c, pre[k].get(name, ""), fmt["locked" if name == "ref" else "pre"])
            ws.set_row(i, 15 * max(2, *(wrapped(pre[k].get(f, ""), WIDTHS[f]) for f in ACTIVITY_FIELDS)))
        else:
            for c, name in enumerate(ACTIVITY_FIELDS):
                ws.write_blank(i, c, None, fmt["locked" if name in ("ref", "decision") else "input"])
            ws.set_row(i, 45)


def wrapped(text: str, width: int) -> int:
    """The lines a text takes in a column `width` characters wide (neither Excel nor LibreOffice
    fits a written row's height to wrapped text)."""
    return sum(max(1, -(-len(line) * 11 // (10 * width))) for line in text.splitlines() or [""])


def _validations(ws, lang: str, first_row: int, last_row: int, n_pre: int) -> None:
    """A help message on every column; dropdowns that refuse typed values on the coded ones (the
    decision only on the pre-filled rows, the others' cells being locked)."""
    r0, r1 = first_row - 1, last_row - 1
    alert_title, alert_msg = ERROR_ALERT[lang]
    sources = {"decision": "=Decisions", "pillar": "=Pillars", "responsible": "=Responsible",
               "deadline": "=Deadlines",
               "theme": f'=INDIRECT("_T"&MATCH(${COLUMNS["pillar"]}{first_row},Pillars,0))'}
    for c, name in enumerate(ACTIVITY_FIELDS):
        title, message = ACT_HELP[lang][name]
        options = {"input_title": title[:32], "input_message": message[:255]}
        last = r0 + n_pre - 1 if name == "decision" else r1
        if name == "decision" and not n_pre:
            continue
        if name in ACTIVITY_CODED:
            options.update({"validate": "list", "source": sources[name], "error_type": "stop",
                            "error_title": alert_title[:32], "error_message": alert_msg[:255]})
        else:
            options["validate"] = "any"
        _check(ws.data_validation(r0, c, last, c, options), f"validation of {name}")


def _protect(ws, plan: Plan, last_row: int) -> None:
    ws.freeze_panes(HEADER_ROW, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW - 1)
    ws.print_area(0, 0, last_row - 1, len(ACTIVITY_FIELDS))  # the check column too
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&L&F&R&P / &N")
    ws.protect(plan.protection_password, {"format_columns": True, "format_rows": True,
                                          "select_locked_cells": True, "select_unlocked_cells": True})
    ws.activate()


def _meta(spec: ActivitySpec, pre: list[dict], first_row: int, last_row: int, created: dt.datetime,
          fixed_time: dt.datetime | None, checked: dict) -> dict:
    plan, lang = spec.plan, spec.language
    key = f"{FORM}/{plan.id}/{spec.period}/{spec.group.code}/{spec.country.code}"
    template_id = (str(uuid.uuid5(uuid.NAMESPACE_URL, f"{fixed_time.isoformat()}/{key}")) if fixed_time
                   else str(uuid.uuid4()))
    meta = {"schema": SCHEMA, "form": FORM, "plan_id": plan.id, "plan_version": plan.version,
            "period": spec.period, "working_group": spec.group.code, "country": spec.country.code,
            "language": lang, "due_date": spec.due_date.isoformat() if spec.due_date else "",
            "matrix_sheet": ACT_UI[lang]["matrix_sheet"], "instructions_sheet": UI[lang]["instructions_sheet"],
            "lists_sheet": LISTS_SHEET, "header_row": str(HEADER_ROW), "first_row": str(first_row),
            "last_row": str(last_row), "proposals": str(spec.rows)}
    meta.update({f"col.{f}": COLUMNS[f] for f in ACTIVITY_FIELDS})
    meta.update({f"title.{k}": v for k, v in TITLE_CELLS.items()})
    meta.update(checked)
    meta["prefilled_rows"] = ",".join(str(first_row + k) for k in range(len(pre)))
    for k, values in enumerate(pre):
        meta[f"ref.{first_row + k}"] = values["ref"]
        meta[f"orig.{first_row + k}"] = row_digest([values.get(f, "") for f in COMPARED])
    meta.update({"generator": f"rcm-workbooks {__version__}", "generated_at": created.isoformat(timespec="seconds"),
                 "template_id": template_id})
    locked = {k: v for k, v in meta.items() if k not in ("template_id", "generated_at")}
    locked.update(headers=[ACT_HEADERS[lang][f] for f in ACTIVITY_FIELDS], prefilled=pre)
    meta["fingerprint"] = hashlib.sha256(json.dumps(locked, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return meta


def _instructions(wb, ws, spec: ActivitySpec, ui: dict, due_text: str) -> None:
    plan, lang = spec.plan, spec.language
    due = due_text or ui["no_due_date"]
    info = [(ui["plan"], plan.title(lang)), (ui["working_group"], spec.group.label(lang)),
            (ui["objective"], spec.group.objective(lang) or ui["no_objective"]),
            (ui["country"], spec.country.label(lang)), (ui["period"], period_words(spec.period, lang)),
            (ui["due_date"], due)]
    values = {"matrix": ui["matrix_sheet"], "period": period_words(spec.period, lang), "due": due,
              "decision": ACT_HEADERS[lang]["decision"].replace(" ▾", ""),
              "return_to": plan.return_to(lang) or plan.organization(lang)}
    columns = [(COLUMNS[name], ACT_HEADERS[lang][name],
                ACT_HELP[lang][name][1] + (" " + ui["pick_list"] if name in ACTIVITY_CODED else ""),
                ui["yes"] if name in ACTIVITY_REQUIRED else ui["no"]) for name in ACTIVITY_FIELDS]
    write_instructions_page(wb, ws, ui, info, [step.format(**values) for step in ui["steps"]], columns)
    ws.protect(plan.protection_password, {"select_locked_cells": True, "select_unlocked_cells": True})


# --- a round of them ----------------------------------------------------------------------------


class NotAYear(WorkspaceError):
    """The Activity Matrix is proposed once a year (Strategic Plan 3.9): its period is a year."""

    def __init__(self, period: str):
        super().__init__(Problem.NOT_A_YEAR, period=period, year=period.partition("-")[0])


def generate_activities(ws: Workspace, plan: Plan, period: str, *, groups=None, countries=None,
                        lang: str | None = None, due: dt.date | None = None, rows: int = DEFAULT_PROPOSALS,
                        force: bool = False) -> list[Generated]:
    """Write one Activity Matrix per working group and country for the year `period`, as
    template.generate writes follow-up templates (same refusals: an existing file without
    `force`, a due date before the year begins)."""
    if "-" in period:
        raise NotAYear(period)
    chosen_groups, chosen_countries = select(plan, groups, countries)
    if due is not None and due < period_start(period):
        raise DueBeforePeriod(due, period, period_start(period))
    path = lambda g, c: ws.templates_dir(period) / c.code / file_name(period, g.code, c.code)  # noqa: E731
    existing = [path(g, c) for c in chosen_countries for g in chosen_groups if path(g, c).exists()]
    if existing and not force:
        raise TemplatesExist(period, existing)
    out = []
    for country in chosen_countries:
        language = lang or country.language
        for group in chosen_groups:
            data, meta = build_activities(ActivitySpec(plan, period, group, country, language, due, rows))
            write_atomic(path(group, country), data)
            out.append(Generated(path(group, country), country.code, group.code, language, meta,
                                 replaced=path(group, country) in existing))
    return out
