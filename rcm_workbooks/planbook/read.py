"""Reading a plan workbook back: every cell checked, every problem named by sheet, cell and rule.

Built for what Excel users do to a workbook: extra and non-breaking spaces, codes typed in lower
case or as numbers, empty rows anywhere, columns moved, sheets renamed or deleted. Nothing is
guessed silently: what cannot be read for certain is a problem, and all of them come back at once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.cells import col_letter
from ..core.plan import _CODE, _COUNTRY, MAX_PRIORITY_ACTIVITIES  # the plan file's own rules, not a copy
from ..core.plan import (Choice, Country, Label, Pillar, Plan, PlanError, PriorityActivity, Theme, WorkingGroup,
                         next_ref, parse_plan, tidy)
from ..core.plan_words import each
from .sheets import (BY_KIND, COUNTRIES, FALSE_WORDS, ISO_ALPHA3, LANGUAGE_WORDS, META_SHEET, PILLARS, PLAN_FIELDS,
                     README_SHEET, SHEETS, STATUSES, TRUE_WORDS, Problem, Rule, SheetSpec)
from ..intake.validate import norm

MAX_ROWS = 5000  # far beyond any plan; a sheet is never read further
_MULTILINE = ("results_", "indicators_")  # one expected result or indicator a line
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def _text(value, lines: bool = False) -> str:
    """A cell as the text a person typed: numbers without '.0', dates as ISO, spaces collapsed (with
    `lines`, line breaks kept between non-empty lines)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        value = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        value = value.isoformat()
    return tidy(str(value).translate(_INVISIBLE), lines)


@dataclass
class _Row:
    number: int  # 1-based
    values: dict[str, str]
    sheet: _Sheet

    def cell(self, key: str) -> str:
        return f"{col_letter(self.sheet.cols[key])}{self.number}"

    def __getitem__(self, key: str) -> str:
        return self.values[key]


@dataclass
class _Sheet:
    spec: SheetSpec
    name: str
    heading_row: int  # 1-based
    cols: dict[str, int]
    data: list

    def rows(self) -> list[_Row]:
        out = []
        for i in range(self.heading_row, len(self.data)):
            cells = self.data[i]
            values = {k: _text(cells[c], k.startswith(_MULTILINE)) if c < len(cells) else ""
                      for k, c in self.cols.items()}
            if any(values.values()):
                out.append(_Row(i + 1, values, self))
        return out

    def heading_cell(self, key: str) -> str:
        return f"{col_letter(self.cols[key])}{self.heading_row}"


def _heading_map(data: list, spec: SheetSpec) -> tuple[int | None, dict[str, int]]:
    """The first of the top rows naming at least half the sheet's columns, and where each is."""
    names = {k: {norm(c.heading), norm(c.en), norm(c.es)} for c in spec.columns for k in [c.key]}
    for i, cells in enumerate(data[:6]):
        cols: dict[str, int] = {}
        for j, cell in enumerate(cells):
            text = norm(_text(cell))
            key = next((k for k, n in names.items() if text and text in n and k not in cols), None)
            if key:
                cols[key] = j
        if len(cols) >= max(2, (len(spec.columns) + 1) // 2):
            return i + 1, cols
    return None, {}


class _Reader:
    """One reading of one workbook: the problems found so far, and what each sheet gave."""

    def __init__(self, wb):
        self.wb = wb
        self.problems: list[Problem] = []

    def add(self, rule: Rule, sheet: str = "", cell: str = "", **params) -> None:
        self.problems.append(Problem(rule, sheet, cell, params))

    def data(self, name: str) -> list:
        return self.wb.rows(name, MAX_ROWS)

    def locate(self) -> dict[str, _Sheet] | None:
        """Every sheet of the layout that can be read; None when no sheet is a plan sheet at all."""
        by_norm = {norm(s.name): s.name for s in self.wb.sheets}
        named = {spec.key: by_norm[norm(spec.name)] for spec in SHEETS if norm(spec.name) in by_norm}
        skip = set(named.values()) | {by_norm.get(norm(README_SHEET)), by_norm.get(norm(META_SHEET))}
        others = [s.name for s in self.wb.sheets if s.name not in skip]
        renamed: dict[str, str] = {}
        for spec in SHEETS:
            if spec.key in named:
                continue
            hit = next((n for n in others if n not in renamed.values() and _heading_map(self.data(n), spec)[0]), None)
            if hit:
                renamed[spec.key] = hit
        if not named and not renamed and self.wb.sheet(META_SHEET) is None:
            return None
        out = {}
        for spec in SHEETS:
            if spec.key in renamed:
                self.add(Rule.SHEET_RENAMED, renamed[spec.key], expected=spec.name)
            elif spec.key not in named:
                self.add(Rule.SHEET_MISSING, expected=spec.name)
            else:
                sheet = self.sheet(spec, named[spec.key])
                if sheet:
                    out[spec.key] = sheet
        return out

    def sheet(self, spec: SheetSpec, name: str) -> _Sheet | None:
        data = self.data(name)
        row, cols = _heading_map(data, spec)
        if row is None:
            self.add(Rule.HEADINGS_MISSING, name, "A2", headings=", ".join(c.heading for c in spec.columns))
            return None
        missing = [c for c in spec.columns if c.key not in cols]
        for c in missing:
            self.add(Rule.COLUMN_MISSING, name, f"A{row}", heading=c.heading)
        return None if missing else _Sheet(spec, name, row, cols, data)

    # --- cells ------------------------------------------------------------------------------

    def code(self, row: _Row, seen: dict, key: str = "code", scope: dict | str = "") -> str:
        code = row[key].upper()
        sheet = row.sheet.name
        if not code:
            self.add(Rule.CODE_MISSING, sheet, row.cell(key))
        elif row.sheet.spec is COUNTRIES and not (_COUNTRY.match(code) and (code in ISO_ALPHA3 or code[0] == "X")):
            self.add(Rule.COUNTRY_INVALID, sheet, row.cell(key), value=row[key])
        elif not _CODE.match(code):
            self.add(Rule.CODE_INVALID, sheet, row.cell(key), value=row[key])
        if code and code in seen:
            self.add(Rule.CODE_DUPLICATE, sheet, row.cell(key), value=code, first=seen[code], scope=scope)
        elif code:
            seen[code] = row.cell(key)
        return code

    def label(self, row: _Row, prefix: str = "", required: bool = True) -> Label:
        en, es = row[f"{prefix}en"], row[f"{prefix}es"]
        if required or en or es:
            for lang, text in (("en", en), ("es", es)):
                if not text:
                    self.add(Rule.LABEL_MISSING, row.sheet.name, row.cell(f"{prefix}{lang}"),
                             language=each(f"lang.{lang}"))
        return Label(en, es)

    def unique_labels(self, rows: list[_Row], labels: list[Label]) -> None:
        for lang in ("en", "es"):
            first: dict[str, str] = {}
            for row, label in zip(rows, labels):
                key = norm(getattr(label, lang))
                if key and key in first:
                    self.add(Rule.LABEL_DUPLICATE, row.sheet.name, row.cell(lang), value=getattr(label, lang),
                             first=first[key])
                elif key:
                    first[key] = row.cell(lang)

    def flag(self, row: _Row, key: str) -> bool:
        text = norm(row[key])
        if text in TRUE_WORDS:
            return True
        if text not in FALSE_WORDS:
            self.add(Rule.FLAG_INVALID, row.sheet.name, row.cell(key), value=row[key])
        return False


def read_plan_workbook(source: bytes | str | Path, current: Plan | None = None,
                       taken=()) -> Plan | list[Problem]:
    """See write.import_plan_workbook."""
    from ..intake.reader import ReadFailure, open_return

    name = "plan.xlsx" if isinstance(source, (bytes, bytearray)) else str(source)
    try:
        wb = (open_return(Path(name), data=bytes(source)) if isinstance(source, (bytes, bytearray))
              else open_return(Path(source)))
        r = _Reader(wb)
        sheets = r.locate()
    except ReadFailure as exc:
        return [_unreadable(exc.code, exc.params)]
    except OSError as exc:
        return [Problem(Rule.FILE_UNREADABLE, "", "", {"detail": f"{exc.strerror or exc}."})]
    if sheets is None:
        return [Problem(Rule.NOT_A_PLAN)]
    plan = build_plan(r, sheets, current, taken)
    if r.problems:
        return r.problems
    return replace(plan, source=name)


def _unreadable(code: str, params: dict) -> Problem:
    from ..core.findings import CATALOG, Finding

    if code not in CATALOG:
        return Problem(Rule.FILE_UNREADABLE, "", "", {"detail": code})
    finding = Finding(code, params=params)
    return Problem(Rule.FILE_UNREADABLE, "", "", {"detail": {lang: finding.message(lang, with_fix=False)
                                                             for lang in ("en", "es")}})


def check_loads(r: _Reader, plan: Plan) -> None:
    """The last guard: the plan, written as YAML, must load back to itself."""
    from ..core.plan_yaml import dump_plan

    try:
        again = parse_plan(dump_plan(plan), "plan.yaml")
    except PlanError as exc:
        for p in exc.problems:
            r.add(Rule.PLAN_INVALID, detail=p)
        return
    if again != plan:
        r.add(Rule.PLAN_INVALID, detail=each("detail.reads_back"))


# --- from sheets to a plan ------------------------------------------------------------------


def build_plan(r: _Reader, sheets: dict[str, _Sheet], current: Plan | None, taken=()) -> Plan | None:
    """The plan the sheets describe (None when a sheet is missing); problems go to `r`. A new
    priority activity gets the next ref of its group, after the current plan's and `taken`'s
    ((group, ref) pairs workbooks and the registry carry)."""
    fields = _plan_fields(r, sheets.get("plan"), current)
    pillars = _pillars(r, sheets.get("pillars"), sheets.get("themes"))
    countries = _entries(r, sheets.get("countries"))
    lists = {key: _entries(r, sheets.get(key)) for key in ("responsible_parties", "statuses", "deadlines")}
    used = set(taken) | {(g.code, a.ref) for g in (current.working_groups if current else ()) for a in g.priority_activities}
    groups = _groups(r, sheets, {p.code: p for p in pillars} if "pillars" in sheets and "themes" in sheets else None,
                     {k: lists[k] if k in sheets else None for k in ("responsible_parties", "deadlines")}, used)
    statuses = sheets.get("statuses")
    if statuses and lists["statuses"] and not any(s.done and not s.retired for s in lists["statuses"]):
        r.add(Rule.NO_DONE_STATUS, statuses.name, statuses.heading_cell("done"))
    if len(sheets) < len(SHEETS) or len(fields) < len(PLAN_FIELDS):
        return None
    plan = Plan(id=fields["id"], version=fields["version"], title=fields["title"],
                organization=fields["organization"], return_to=fields["return_to"],
                protection_password=fields["protection_password"], pillars=tuple(pillars),
                working_groups=tuple(groups), countries=tuple(countries), **{k: tuple(v) for k, v in lists.items()})
    if not r.problems:
        check_loads(r, plan)
    return plan


def _plan_fields(r: _Reader, sheet: _Sheet | None, current: Plan | None) -> dict:
    if sheet is None:
        return {}
    rows = {norm(row["key"]).replace(" ", "_"): row for row in sheet.rows()}
    out: dict = {}
    for key, (_editable, bilingual) in PLAN_FIELDS.items():
        row = rows.get(key)
        if row is None:
            r.add(Rule.FIELD_MISSING, sheet.name, f"A{sheet.heading_row + 1}", key=key, what=each(f"field.{key}"))
        elif bilingual:
            out[key] = r.label(row, required=key == "title")
        else:
            out[key] = row["en"]
    if current is not None and "id" in out and out["id"] != current.id:
        r.add(Rule.OTHER_PLAN, sheet.name, rows["id"].cell("en"), found=out["id"], expected=current.id)
    elif current is not None and "version" in out and out["version"] != current.version:
        r.add(Rule.OUTDATED, sheet.name, rows["version"].cell("en"), found=out["version"], expected=current.version)
    return out


def _list_empty(r: _Reader, sheet: _Sheet, items: list) -> None:
    if not any(not i.retired for i in items):
        r.add(Rule.LIST_EMPTY, sheet.name, f"A{sheet.heading_row + 1}")


def _entries(r: _Reader, sheet: _Sheet | None) -> list:
    """Countries, responsible parties, statuses or deadlines: one entry a row, in sheet order."""
    if sheet is None:
        return []
    seen: dict = {}
    out, rows = [], sheet.rows()
    for row in rows:
        code, label, retired = r.code(row, seen), r.label(row), r.flag(row, "retired")
        if sheet.spec is COUNTRIES:
            lang = LANGUAGE_WORDS.get(norm(row["language"]))
            if lang is None:
                r.add(Rule.LANGUAGE_INVALID, sheet.name, row.cell("language"), value=row["language"])
            out.append(Country(code, label, lang or "en", retired))
        else:
            done = r.flag(row, "done") if sheet.spec is STATUSES else False
            out.append(Choice(code, label, done, retired))
    r.unique_labels(rows, [i.label for i in out])
    _list_empty(r, sheet, out)
    return out


def _pillars(r: _Reader, psheet: _Sheet | None, tsheet: _Sheet | None) -> list[Pillar]:
    if psheet is None:
        return []
    seen: dict = {}
    prow = psheet.rows()
    heads = [(r.code(row, seen), r.label(row), r.flag(row, "retired"), row) for row in prow]
    r.unique_labels(prow, [h[1] for h in heads])
    themes: dict[str, list[tuple[Theme, _Row]]] = {h[0]: [] for h in heads if h[0]}
    seen_t: dict[str, dict] = {}
    for row in tsheet.rows() if tsheet else []:
        pcode = row["pillar"].upper()
        tcode = r.code(row, seen_t.setdefault(pcode, {}), scope=each("scope.pillar", pillar=pcode))
        theme = Theme(pcode, tcode, r.label(row), r.flag(row, "retired"))
        if not pcode:
            r.add(Rule.CODE_MISSING, tsheet.name, row.cell("pillar"))
        elif pcode not in themes:
            r.add(Rule.PILLAR_UNKNOWN, tsheet.name, row.cell("pillar"), value=row["pillar"],
                  sheet_of=psheet.name, allowed=", ".join(themes))
        else:
            themes[pcode].append((theme, row))
    out = []
    for code, label, retired, row in heads:
        own = themes.get(code, [])
        r.unique_labels([t[1] for t in own], [t[0].label for t in own])
        if tsheet and code and (not own or (not retired and all(t.retired for t, _ in own))):
            r.add(Rule.PILLAR_EMPTY, psheet.name, row.cell("code"), value=code, sheet_of=tsheet.name)
        out.append(Pillar(code, label, tuple(t for t, _ in own), retired))
    _list_empty(r, psheet, out)
    return out


def _groups(r: _Reader, sheets: dict, pillars: dict | None, lists: dict, used: set) -> list[WorkingGroup]:
    gsheet, asheet = sheets.get("working_groups"), sheets.get("activities")
    if gsheet is None:
        return []
    seen: dict = {}
    grow = gsheet.rows()
    groups = [WorkingGroup(r.code(row, seen), r.label(row), (), r.label(row, "objective_", required=False),
                           r.flag(row, "retired")) for row in grow]
    r.unique_labels(grow, [g.label for g in groups])
    _list_empty(r, gsheet, groups)
    by_code = {g.code: g for g in groups if g.code}
    acts: dict[str, list[PriorityActivity]] = {code: [] for code in by_code}
    rows: dict[str, list[_Row]] = {code: [] for code in by_code}
    for row in asheet.rows() if asheet else []:
        act = _activity(r, row, by_code, pillars, lists, gsheet.name)
        if act is None:
            continue
        group, activity = act
        acts[group].append(activity)
        rows[group].append(row)
        if len(acts[group]) == MAX_PRIORITY_ACTIVITIES + 1:
            count = sum(1 for x in asheet.rows() if x["group"].upper() == group)
            r.add(Rule.TOO_MANY_ACTIVITIES, asheet.name, row.cell("group"), value=group, count=count,
                  limit=MAX_PRIORITY_ACTIVITIES)
    return [replace(g, priority_activities=_refs(r, acts.get(g.code, []), rows.get(g.code, []),
                                                 {ref for code, ref in used if code == g.code}))
            for g in groups]


def _refs(r: _Reader, acts: list[PriorityActivity], rows: list[_Row], used: set[str]) -> tuple[PriorityActivity, ...]:
    """A group's activities with their refs checked, and a new ref for each activity without one."""
    first: dict[str, str] = {}
    for act, row in zip(acts, rows):
        if act.ref and not _CODE.match(act.ref):
            r.add(Rule.REF_INVALID, row.sheet.name, row.cell("ref"), value=row["ref"])
        elif act.ref in first:
            r.add(Rule.REF_DUPLICATE, row.sheet.name, row.cell("ref"), value=act.ref, first=first[act.ref])
        elif act.ref:
            first[act.ref] = row.cell("ref")
    taken = used | set(first)
    out = []
    for act in acts:
        if not act.ref:
            act = replace(act, ref=next_ref(taken))
            taken.add(act.ref)
        out.append(act)
    return tuple(out)


def _activity(r: _Reader, row: _Row, groups: dict, pillars: dict | None, lists: dict, group_sheet: str):
    """One priority activity and its group's code; None when it names no known group."""
    sheet = row.sheet.name
    gcode, pcode, tcode = row["group"].upper(), row["pillar"].upper(), row["theme"].upper()
    if "/" in tcode:  # "P3/T8" names the theme on its own, as in returns
        p, _, tcode = (x.strip() for x in tcode.partition("/"))
        pcode = pcode or p
    label = r.label(row, "activity_")
    results, indicators = r.label(row, "results_", required=False), r.label(row, "indicators_", required=False)
    for key, code in (("group", gcode), ("pillar", pcode), ("theme", tcode)):
        if not code:
            r.add(Rule.CODE_MISSING, sheet, row.cell(key))
    group = groups.get(gcode)
    if gcode and group is None:
        r.add(Rule.GROUP_UNKNOWN, sheet, row.cell("group"), value=row["group"], sheet_of=group_sheet,
              allowed=", ".join(groups))
    pillar = pillars.get(pcode) if pillars is not None else None
    if pillars is not None and pcode and pillar is None:
        r.add(Rule.PILLAR_UNKNOWN, sheet, row.cell("pillar"), value=row["pillar"], sheet_of=PILLARS.name,
              allowed=", ".join(pillars))
    theme = pillar.theme(tcode) if pillar else None
    if pillar and tcode and theme is None:
        r.add(Rule.THEME_UNKNOWN, sheet, row.cell("theme"), value=row["theme"], pillar=pcode,
              allowed=", ".join(t.code for t in pillar.themes))
    if group and not group.retired:
        for key, item in (("pillar", pillar), ("theme", theme)):
            if item is not None and item.retired:
                r.add(Rule.RETIRED_REFERENCE, sheet, row.cell(key), value=row[key], what=each(f"what.{key}"))
    coded = {key: _listed(r, row, key, lists[sheet_key], group) for key, sheet_key in
             (("responsible", "responsible_parties"), ("deadline", "deadlines"))}
    if group is None:
        return None
    return group.code, PriorityActivity(pcode, tcode, label, results, indicators, row["ref"].upper(), **coded)


def _listed(r: _Reader, row: _Row, key: str, items: list | None, group) -> str:
    """An activity's responsible party or deadline: empty, or a code of its sheet (not retired)."""
    code = row[key].upper()
    if not code or items is None:
        return code
    item = next((i for i in items if i.code == code), None)
    if item is None:
        r.add(Rule.CODE_UNKNOWN, row.sheet.name, row.cell(key), value=row[key], sheet_of=BY_KIND[key].name,
              allowed=", ".join(i.code for i in items if not i.retired))
    elif item.retired and group is not None and not group.retired:
        r.add(Rule.RETIRED_REFERENCE, row.sheet.name, row.cell(key), value=row[key], what=each(f"what.{key}"))
    return code
