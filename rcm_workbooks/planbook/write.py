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
from .sheets import (ACTIVITIES, BY_KIND, FIRST_ROW, GROUPS, HEADING_ROW, META_SHEET, PILLARS, PLAN,
                          PLAN_FIELDS, README_SHEET, SCHEMA, SHEETS, STATUSES, THEMES, Problem,
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
        out.update(group=parent.code, pillar=item.pillar, theme=item.theme)
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
    # Dropdowns of codes point at defined names over the code columns, new rows included.
    for name, spec in (("PlanPillarCodes", PILLARS), ("PlanGroupCodes", GROUPS)):
        last = sheets[spec.key]
        wb.define_name(name, f"='{spec.name}'!$A${FIRST_ROW}:$A${last}")
    _code_dropdown(wb.get_worksheet_by_name(THEMES.name), THEMES, "pillar", "=PlanPillarCodes", sheets["themes"])
    act = wb.get_worksheet_by_name(ACTIVITIES.name)
    _code_dropdown(act, ACTIVITIES, "group", "=PlanGroupCodes", sheets["activities"])
    _code_dropdown(act, ACTIVITIES, "pillar", "=PlanPillarCodes", sheets["activities"])
    _validate(act, [c.key for c in ACTIVITIES.columns].index("theme"), sheets["activities"], {
        "validate": "any", "input_title": "Theme / Tema",
        "input_message": "The theme's code within the pillar, e.g. T8. / El código del tema dentro del pilar, p. ej. T8."})
    meta = wb.add_worksheet(META_SHEET)
    for r, (k, v) in enumerate((("schema", SCHEMA), ("plan_id", plan.id), ("plan_version", plan.version))):
        meta.write_string(r, 0, k)
        meta.write_string(r, 1, v)
    meta.very_hidden()
    meta.protect("")
    wb.worksheets()[1].activate()
    wb.close()
    return _lock_structure(buf.getvalue())


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
            locked = col.identity and spec is not ACTIVITIES
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
                                    "error_message": "Write x or leave empty. / Escriba x o deje vacío."})
        elif col.kind == "language":
            _validate(ws, c, last, {"validate": "list", "source": ["en", "es"], "error_type": "stop",
                                    "error_title": "en / es",
                                    "error_message": "Pick en or es. / Elija en o es."})
    _protect(ws)
    return last


def _code_dropdown(ws, spec: SheetSpec, key: str, source: str, last: int) -> None:
    c = [col.key for col in spec.columns].index(key)
    _validate(ws, c, last, {"validate": "list", "source": source, "error_type": "warning",
                            "error_title": "Code / Código",
                            "error_message": "Pick a code of the list. / Elija un código de la lista."})


def _validate(ws, col: int, last: int, options: dict) -> None:
    # XlsxWriter reports bad input with a negative code, not an exception.
    rc = ws.data_validation(FIRST_ROW - 1, col, last - 1, col, options)
    if rc not in (0, None):
        raise ValueError(f"XlsxWriter refused a data validation (code {rc})")


def _write_plan_sheet(wb, plan: Plan, fmt) -> None:
    ws = wb.add_worksheet(PLAN.name)
    _sheet_head(ws, PLAN, fmt)
    for r, (key, (what_en, what_es, editable, bilingual)) in enumerate(PLAN_FIELDS.items(), FIRST_ROW - 1):
        value = getattr(plan, key)
        en, es = (value.en, value.es) if isinstance(value, Label) else (value, "")
        ws.write_string(r, 0, key, fmt["locked"])
        ws.write_string(r, 1, f"{what_en} / {what_es}", fmt["locked"])
        ws.write_string(r, 2, en, fmt["input" if editable else "locked"])
        ws.write_string(r, 3, es, fmt["input" if editable and bilingual else "locked"])
        _fit(ws, r, PLAN, {"what": f"{what_en} / {what_es}", "en": en, "es": es})
    _protect(ws)


_README = [
    ("What this is", "Qué es esto",
     "The plan {title}, version {version}, as a workbook. Edit it, then run `rcm plan import` with this file: the plan changes only when every check passes.",
     "El plan {title_es}, versión {version}, como libro. Edítelo y luego ejecute `rcm plan import` con este archivo: el plan cambia solo si pasan todas las comprobaciones."),
    ("Grey and white cells", "Celdas grises y blancas",
     "Grey cells are fixed: the codes of entries already in the plan, which workbooks and the registry refer to. White cells can be edited.",
     "Las celdas grises son fijas: los códigos de las entradas que ya están en el plan, a los que se refieren los libros y el registro. Las celdas blancas se pueden editar."),
    ("Adding an entry", "Agregar una entrada",
     "Fill a blank row at the bottom of a sheet, code included. Empty rows are ignored; more rows can be inserted at the bottom.",
     "Llene una fila en blanco al final de una hoja, con su código. Las filas vacías se ignoran; se pueden insertar más filas al final."),
    ("Codes", "Códigos",
     "Capital letters, digits and _ only, starting with a letter, at most 16 (ASCII: no accents, no spaces), unique in their sheet. A theme's code is unique within its pillar: a theme is its pillar and its code together. Countries use ISO 3166 alpha-3 codes (e.g. GTM).",
     "Solo mayúsculas, dígitos y _, comenzando por una letra, como máximo 16 (ASCII: sin acentos ni espacios), únicos en su hoja. El código de un tema es único dentro de su pilar: un tema es su pilar y su código juntos. Los países usan códigos ISO 3166 alfa-3 (p. ej. GTM)."),
    ("Retiring instead of deleting", "Retirar en lugar de eliminar",
     "A code that workbooks already carry cannot be removed or renamed. Mark it retired (x): new templates no longer offer it, and returns that use it still validate.",
     "Un código que ya llevan los libros no se puede eliminar ni cambiar. Márquelo como retirado (x): las plantillas nuevas ya no lo ofrecen, y las respuestas que lo usan siguen siendo válidas."),
    ("Names", "Nombres",
     "Every name needs English and Spanish; names in one list must differ, so a dropdown can tell them apart.",
     "Cada nombre necesita inglés y español; los nombres de una lista deben ser distintos, para que una lista desplegable los distinga."),
    ("Working groups", "Grupos de trabajo",
     "The specific objective is optional (if given, in both languages). Each group has at most 3 priority activities (Strategic Plan 3.9): one row each on the sheet '{activities}', naming the group, the pillar and the theme by their codes, the activity in both languages, and optionally expected results and indicators (both languages).",
     "El objetivo específico es opcional (si se da, en ambos idiomas). Cada grupo tiene como máximo 3 actividades prioritarias (Plan Estratégico 3.9): una fila cada una en la hoja '{activities}', con el grupo, el pilar y el tema por sus códigos, la actividad en ambos idiomas y, opcionalmente, resultados esperados e indicadores (ambos idiomas)."),
    ("Countries and statuses", "Países y estados",
     "A country's template language is en or es. At least one status in use is marked as counting as completed.",
     "El idioma de plantilla de un país es en o es. Al menos un estado en uso está marcado como cumplido."),
    ("Sheets", "Hojas",
     "Do not rename or delete sheets or headings. If the plan changed since this export, the import refuses this workbook: export again.",
     "No cambie el nombre ni elimine hojas o encabezados. Si el plan cambió después de esta exportación, la importación rechaza este libro: exporte de nuevo."),
    ("After the import", "Después de la importación",
     "Every problem is listed with its sheet and cell. When there is none, templates/plan.yaml is replaced, its version raised, and the previous plan kept in templates/backups/.",
     "Cada problema se indica con su hoja y celda. Si no hay ninguno, templates/plan.yaml se reemplaza, su versión aumenta y el plan anterior se guarda en templates/backups/."),
]


def _write_readme(wb, plan: Plan, fmt) -> None:
    ws = wb.add_worksheet(README_SHEET)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 80)
    ws.set_column(2, 2, 26)
    ws.set_column(3, 3, 80)
    ws.write_string(0, 0, f"{plan.title.en} / {plan.title.es}", fmt["heading"])
    for c, text in enumerate(("Rule", "English", "Regla", "Español")):
        ws.write_string(2, c, text, fmt["head"])
    values = {"title": plan.title.en, "title_es": plan.title.es, "version": plan.version,
              "activities": ACTIVITIES.name}
    for r, (name_en, name_es, en, es) in enumerate(_README, 3):
        for c, text in enumerate((name_en, en.format(**values), name_es, es.format(**values))):
            ws.write_string(r, c, text, fmt["locked"])
        ws.set_row(r, 64)
    _protect(ws)


# --- reading back, codes in use, applying -------------------------------------------------------


def import_plan_workbook(source: bytes | str | Path, current: Plan | None = None) -> Plan | list[Problem]:
    """The plan a workbook holds, or every problem found in it (never a partial plan).

    With `current` (the workspace's plan) the workbook must hold the same plan id and have been
    exported from its present version, so an old export cannot undo later changes."""
    from .read import read_plan_workbook

    return read_plan_workbook(source, current)


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
                           {"value": code, "kind": kind, "label": label.en, "label_es": label.es}))
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
    result = import_plan_workbook(source, current)
    if isinstance(result, list):
        raise PlanWorkbookError(result)
    problems = codes_removed(current, result, in_use)
    if problems:
        raise PlanWorkbookError(problems)
    if result == current:  # a round trip, or only cosmetic edits: the file stays as it is
        return Applied(current, False)
    saved, backup = save_plan(Path(plan_path), result, now=now)
    return Applied(saved, True, backup)
