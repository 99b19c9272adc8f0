"""The plan as a bilingual workbook the Secretariat edits in Excel, and the way back to plan.yaml.

`export_plan` writes every part of the plan on its own sheet: codes of entries already in the plan
are locked (workbooks and the registry refer to them), names are editable, and blank rows at the
bottom of each sheet take new entries, codes included. `import_plan_workbook` reads such a workbook
back and returns the Plan, or every problem at once, each naming its sheet, cell and rule.
`codes_removed` refuses a plan that drops a code workbooks already carry, and `apply_plan_workbook`
puts it all together for `rcm plan import`: the plan file changes only when nothing is wrong.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.plan import Label, Plan, load_plan
from ..core.plan_words import PLANBOOK, both
from .sheets import (ACTIVITIES, BY_KIND, DEADLINES, FIRST_ROW, GROUPS, HEADING_ROW, META_SHEET, PILLARS, PLAN,
                     PLAN_FIELDS, README_SHEET, RESPONSIBLE, SCHEMA, SHEETS, STATUSES, THEMES, Problem,
                     PlanWorkbookError, Rule, SheetSpec)

NEW_ROWS = 20  # blank rows left at the bottom of each sheet for new entries
_ROWS_OF = {"pillars": lambda p: [(p_, None) for p_ in p.pillars],
            "themes": lambda p: [(t, pl) for pl in p.pillars for t in pl.themes],
            "working_groups": lambda p: [(g, None) for g in p.working_groups],
            "activities": lambda p: [(a, g) for g in p.working_groups for a in g.priority_activities],
            "countries": lambda p: [(c, None) for c in p.countries],
            "responsible_parties": lambda p: [(c, None) for c in p.responsible_parties],
            "statuses": lambda p: [(c, None) for c in p.statuses],
            "deadlines": lambda p: [(c, None) for c in p.deadlines]}


def _values(spec: SheetSpec, item, parent) -> dict[str, str]:
    """What one row of a sheet shows for one entry of the plan."""
    out: dict[str, str] = {}
    if spec is ACTIVITIES:
        out.update(group=parent.code, pillar=item.pillar, theme=item.theme, responsible=item.responsible,
                   deadline=item.deadline, ref=item.ref)
        for name in ("activity", "results", "indicators"):
            label = getattr(item, "expected_results" if name == "results" else name)
            out[f"{name}_en"], out[f"{name}_es"] = label.en, label.es
        return out
    out.update(code=item.code, en=item.label.en, es=item.label.es, retired="x" if item.retired else "")
    if spec is THEMES:
        out["pillar"] = parent.code
    if spec is GROUPS:
        out.update(objective_en=item.objective.en, objective_es=item.objective.es)
    if spec.key == "countries":
        out["language"] = item.language
    if spec is STATUSES:
        out["done"] = "x" if item.done else ""
    return out


def export_plan(plan: Plan, new_rows: int = NEW_ROWS) -> bytes:
    """The whole plan as an .xlsx workbook (bytes), ready for `import_plan_workbook`."""
    import xlsxwriter

    from ..template.build import _lock_structure, source_time

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"title": f"{plan.title.en} / {plan.title.es}", "subject": "plan",
                       "created": source_time() or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                       "comments": f"{SCHEMA} {plan.id} {plan.version}"})
    fmt = {
        "title": wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F3864", "text_wrap": True, "valign": "top"}),
        "heading": wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864"}),
        "head": wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "bg_color": "#1F3864",
                               "font_color": "#FFFFFF", "border": 1}),
        "locked": wb.add_format({"text_wrap": True, "valign": "top", "bg_color": "#E7E6E6", "border": 1,
                                 "border_color": "#BFBFBF", "num_format": "@"}),
        # An input cell's format must say locked: False itself, or protection locks it again.
        "input": wb.add_format({"locked": False, "text_wrap": True, "valign": "top", "border": 1,
                                "border_color": "#BFBFBF", "num_format": "@"}),
    }
    _write_readme(wb, plan, fmt)
    _write_plan_sheet(wb, plan, fmt)
    sheets = {}
    for spec in SHEETS[1:]:
        sheets[spec.key] = _write_list_sheet(wb, spec, _ROWS_OF[spec.key](plan), new_rows, fmt)
    _dropdowns(wb, sheets)
    meta = wb.add_worksheet(META_SHEET)
    for r, (k, v) in enumerate((("schema", SCHEMA), ("plan_id", plan.id), ("plan_version", plan.version))):
        meta.write_string(r, 0, k)
        meta.write_string(r, 1, v)
    meta.very_hidden()
    meta.protect("")
    wb.worksheets()[1].activate()
    wb.close()
    return _lock_structure(buf.getvalue())


_CODE_LISTS = {"pillar": ("PlanPillarCodes", PILLARS), "group": ("PlanGroupCodes", GROUPS),
               "responsible": ("PlanResponsibleCodes", RESPONSIBLE), "deadline": ("PlanDeadlineCodes", DEADLINES)}


def _dropdowns(wb, sheets: dict[str, int]) -> None:
    """Dropdowns of codes, pointed at defined names over the code columns, new rows included."""
    for name, spec in _CODE_LISTS.values():
        wb.define_name(name, f"='{spec.name}'!$A${FIRST_ROW}:$A${sheets[spec.key]}")
    _code_dropdown(wb.get_worksheet_by_name(THEMES.name), THEMES, "pillar", "=PlanPillarCodes", sheets["themes"])
    act = wb.get_worksheet_by_name(ACTIVITIES.name)
    for key, (name, _spec) in _CODE_LISTS.items():
        _code_dropdown(act, ACTIVITIES, key, f"={name}", sheets["activities"])
    keys = [c.key for c in ACTIVITIES.columns]
    for key, title, message in (("theme", "prompt.theme_title", "prompt.theme"), ("ref", "col.ref", "prompt.ref")):
        _validate(act, keys.index(key), sheets["activities"], {
            "validate": "any", "input_title": both(title)[:32], "input_message": both(message)[:255]})


def _sheet_head(ws, spec: SheetSpec, fmt) -> None:
    ws.merge_range(0, 0, 0, len(spec.columns) - 1, f"{spec.what_en}\n{spec.what_es}", fmt["title"])
    ws.set_row(0, 36)
    ws.set_row(HEADING_ROW - 1, 32)
    for c, col in enumerate(spec.columns):
        ws.write_string(HEADING_ROW - 1, c, col.heading, fmt["head"])
        ws.set_column(c, c, col.width)
    ws.freeze_panes(HEADING_ROW, 0)


def _fit(ws, r: int, spec: SheetSpec, values: dict[str, str]) -> None:
    # Neither Excel nor LibreOffice fits a written row to wrapped text: give it the lines it needs.
    lines = max(-(-len(values.get(col.key, "")) * 11 // (10 * col.width)) for col in spec.columns)
    if lines > 1:
        ws.set_row(r, 15 * lines)


def _protect(ws) -> None:
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    # No password: a guard rail for the codes, which the Secretariat can lift if it must.
    ws.protect("", {"insert_rows": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})


def _write_list_sheet(wb, spec: SheetSpec, rows: list, new_rows: int, fmt) -> int:
    """Write one sheet; return the 1-based number of its last row (new rows included)."""
    ws = wb.add_worksheet(spec.name)
    _sheet_head(ws, spec, fmt)
    r = FIRST_ROW - 1
    for item, parent in rows:
        values = _values(spec, item, parent)
        for c, col in enumerate(spec.columns):
            locked = col.identity and (spec is not ACTIVITIES or col.key == "ref")
            ws.write_string(r, c, values.get(col.key, ""), fmt["locked" if locked else "input"])
        _fit(ws, r, spec, values)
        r += 1
    for _ in range(new_rows):
        for c in range(len(spec.columns)):
            ws.write_blank(r, c, None, fmt["input"])
        r += 1
    last = max(r, FIRST_ROW)
    for c, col in enumerate(spec.columns):
        if col.kind == "flag":
            _validate(ws, c, last, {"validate": "list", "source": ["x"], "ignore_blank": True,
                                    "error_type": "warning", "error_title": "x",
                                    "error_message": both("prompt.flag")})
        elif col.kind == "language":
            _validate(ws, c, last, {"validate": "list", "source": ["en", "es"], "error_type": "stop",
                                    "error_title": "en / es", "error_message": both("prompt.language")})
    _protect(ws)
    return last


def _code_dropdown(ws, spec: SheetSpec, key: str, source: str, last: int) -> None:
    c = [col.key for col in spec.columns].index(key)
    _validate(ws, c, last, {"validate": "list", "source": source, "error_type": "warning",
                            "error_title": both("prompt.code_title"), "error_message": both("prompt.code")})


def _validate(ws, col: int, last: int, options: dict) -> None:
    # XlsxWriter reports bad input with a negative code, not an exception.
    rc = ws.data_validation(FIRST_ROW - 1, col, last - 1, col, options)
    if rc not in (0, None):
        raise ValueError(f"XlsxWriter refused a data validation (code {rc})")


def _write_plan_sheet(wb, plan: Plan, fmt) -> None:
    ws = wb.add_worksheet(PLAN.name)
    _sheet_head(ws, PLAN, fmt)
    for r, (key, (editable, bilingual)) in enumerate(PLAN_FIELDS.items(), FIRST_ROW - 1):
        value = getattr(plan, key)
        en, es = (value.en, value.es) if isinstance(value, Label) else (value, "")
        ws.write_string(r, 0, key, fmt["locked"])
        ws.write_string(r, 1, both(f"field.{key}"), fmt["locked"])
        ws.write_string(r, 2, en, fmt["input" if editable else "locked"])
        ws.write_string(r, 3, es, fmt["input" if editable and bilingual else "locked"])
        _fit(ws, r, PLAN, {"what": both(f"field.{key}"), "en": en, "es": es})
    _protect(ws)


README_RULES = 10  # readme.1 ... readme.10 of the catalog


def _write_readme(wb, plan: Plan, fmt) -> None:
    ws = wb.add_worksheet(README_SHEET)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 80)
    ws.set_column(2, 2, 26)
    ws.set_column(3, 3, 80)
    ws.write_string(0, 0, f"{plan.title.en} / {plan.title.es}", fmt["heading"])
    en, es = PLANBOOK["en"], PLANBOOK["es"]
    for c, text in enumerate((en["readme.rule"], en["readme.text"], es["readme.rule"], es["readme.text"])):
        ws.write_string(2, c, text, fmt["head"])
    for r, n in enumerate(range(1, README_RULES + 1), 3):
        texts = [words[key].format(title=plan.title(lang), version=plan.version, activities=ACTIVITIES.name)
                 for words, lang in ((en, "en"), (es, "es")) for key in (f"readme.{n}.name", f"readme.{n}")]
        for c, text in enumerate(texts):
            ws.write_string(r, c, text, fmt["locked"])
        ws.set_row(r, 64 if n != 7 else 96)
    _protect(ws)


# --- reading back, codes in use, applying -------------------------------------------------------


def import_plan_workbook(source: bytes | str | Path, current: Plan | None = None,
                         in_use: Iterable[tuple[str, str]] = ()) -> Plan | list[Problem]:
    """The plan a workbook holds, or every problem found in it (never a partial plan).

    With `current` (the workspace's plan) the workbook must hold the same plan id and have been
    exported from its present version, so an old export cannot undo later changes. A new priority
    activity gets a ref no activity of its group had: not in `current`, nor among the
    ("activity", "GROUP/REF") entries of `in_use`."""
    from .read import read_plan_workbook

    return read_plan_workbook(source, current, activity_refs(in_use))


def activity_refs(in_use: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (group, ref) pairs of the ("activity", "GROUP/REF") entries of codes in use."""
    return {tuple(code.split("/", 1)) for kind, code in in_use if kind == "activity" and "/" in code}


def plan_codes(plan: Plan) -> set[tuple[str, str]]:
    """Every code of a plan as (kind, code); a theme as ("theme", "P1/T9")."""
    out = {("pillar", p.code) for p in plan.pillars}
    out |= {("theme", f"{p.code}/{t.code}") for p in plan.pillars for t in p.themes}
    for kind, items in (("working_group", plan.working_groups), ("country", plan.countries),
                        ("responsible", plan.responsible_parties), ("status", plan.statuses),
                        ("deadline", plan.deadlines)):
        out |= {(kind, i.code) for i in items}
    return out


def _label_of(plan: Plan, kind: str, code: str) -> Label:
    if kind == "theme":
        p, _, t = code.partition("/")
        pillar = plan.pillar(p)
        theme = pillar.theme(t) if pillar else None
        return theme.label if theme else Label(code, code)
    items = {"pillar": plan.pillars, "working_group": plan.working_groups, "country": plan.countries,
             "responsible": plan.responsible_parties, "status": plan.statuses, "deadline": plan.deadlines}[kind]
    item = next((i for i in items if i.code == code), None)
    return item.label if item else Label(code, code)


def codes_removed(old: Plan, new: Plan, in_use: Iterable[tuple[str, str]]) -> list[Problem]:
    """A problem for each code workbooks carry (`in_use`, as `plan_codes` names them) that the
    old plan had and the new one lacks: removed, or renamed, which is the same to a return."""
    gone = (set(in_use) & plan_codes(old)) - plan_codes(new)
    order = {kind: i for i, kind in enumerate(BY_KIND)}
    out = []
    for kind, code in sorted(gone, key=lambda kc: (order.get(kc[0], 99), kc[1])):
        label = _label_of(old, kind, code)
        out.append(Problem(Rule.CODE_REMOVED, BY_KIND[kind].name, "",
                           {"value": code, "kind": kind, "label": label.to_dict()}))
    return out


@dataclass(frozen=True)
class Applied:
    """What `apply_plan_workbook` did: the plan now in force, and whether the file changed."""

    plan: Plan
    changed: bool
    backup: Path | None = None


def apply_plan_workbook(plan_path: Path, source: bytes | str | Path, in_use: Iterable[tuple[str, str]] = (),
                        now: dt.datetime | None = None) -> Applied:
    """Check a plan workbook against the plan file and, when nothing is wrong and something
    changed, write it (atomically, version raised, the previous file kept as a dated backup).
    Raise PlanWorkbookError with every problem otherwise; the plan file is then untouched."""
    from ..core.plan_yaml import save_plan

    current = load_plan(plan_path)
    in_use = set(in_use)
    result = import_plan_workbook(source, current, in_use)
    if isinstance(result, list):
        raise PlanWorkbookError(result)
    problems = codes_removed(current, result, in_use)
    if problems:
        raise PlanWorkbookError(problems)
    if result == current:  # a round trip, or only cosmetic edits: the file stays as it is
        return Applied(current, False)
    saved, backup = save_plan(Path(plan_path), result, now=now)
    return Applied(saved, True, backup)
