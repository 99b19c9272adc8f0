"""The focal-point list the ES keeps in Excel: who receives which workbooks, in which language.

`templates/focal_points.xlsx` (or `.csv`), one row per person: name, e-mail, country, working
groups (ALL or codes), language (en|es, default the country's), optional cc. Loading checks every
row and reports every problem at once, each naming the file, the row and the column and saying how
to fix it; a row with an error is left out, and a country/working-group pair nobody covers is a
warning that lists the pairs. The problems are findings (`fp-*` codes of core/findings.py).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import Finding, Severity
from ..core.plan import Plan
from ..core.texts import say

FIELDS = ("name", "email", "country", "groups", "language", "cc")
REQUIRED = ("name", "email", "country", "groups")


def both(key: str, sep: str = " / ", **values) -> str:
    """The list is read by people of either language: its words are shown in both at once."""
    return sep.join(say(key, lang, **values) for lang in ("en", "es"))


SHEET = "Focal points"  # also how the list's sheet is found when it is read
NOTES_SHEET = both("fp.notes_sheet", " - ")
# What the example writes as headings, and every heading accepted when reading (normalized).
HEADINGS = {f: both(f"fp.{f}") for f in FIELDS}
_ALIASES = {
    "name": ["name", "nombre", "full name", "nombre completo", "focal point", "punto focal"],
    "email": ["e-mail", "email", "e mail", "mail", "correo", "correo electronico", "correo-e", "address", "direccion"],
    "country": ["country", "pais", "country code", "codigo de pais"],
    "groups": ["working groups", "working group", "groups", "grupos de trabajo", "grupo de trabajo", "grupos"],
    "language": ["language", "idioma", "lang", "lengua"],
    "cc": ["cc", "copy", "copia", "con copia", "cc (optional / opcional)"],
}
ALL_WORDS = {"all", "todos", "todo", "todas", "*"}
_LANG_WORDS = {"en": "en", "english": "en", "ingles": "en", "es": "es", "spanish": "es", "espanol": "es",
               "castellano": "es"}
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_SPLIT = re.compile(r"[,;\s]+")


def _norm(text) -> str:
    from ..intake.values import norm

    return norm("" if text is None else text).strip(" :*")


_HEADER_LOOKUP = {_norm(a): f for f, aliases in _ALIASES.items() for a in aliases}
_HEADER_LOOKUP.update({_norm(h): f for f, h in HEADINGS.items()})


@dataclass(frozen=True)
class FocalPoint:
    name: str
    email: str
    country: str  # plan code
    groups: tuple[str, ...]  # plan codes, in plan order
    language: str  # en | es
    cc: tuple[str, ...] = ()
    row: int = 0  # row in the list, 1-based, for messages

    def covers(self, group: str) -> bool:
        return group in self.groups


@dataclass
class FocalPointList:
    path: Path
    people: list[FocalPoint] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # fp-* findings

    @property
    def errors(self) -> list[Finding]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def for_pair(self, country: str, group: str) -> list[FocalPoint]:
        return [p for p in self.people if p.country == country and p.covers(group)]


def list_path(templates_dir: Path) -> Path | None:
    """The workspace's list: focal_points.xlsx, else focal_points.csv."""
    for name in ("focal_points.xlsx", "focal_points.csv"):
        p = Path(templates_dir) / name
        if p.is_file():
            return p
    return None


def load_focal_points(path: Path, plan: Plan, expected: list[tuple[str, str]] | None = None) -> FocalPointList:
    """Read and check the list; `expected` (country, group) pairs default to the whole plan."""
    path = Path(path)
    result = FocalPointList(path)
    shown = path.name
    try:
        rows, first_number = _read_rows(path)
    except Exception as exc:  # an unreadable list stops the command with one clear message
        result.problems.append(Finding("fp-unreadable", file=shown,  # the exception: evidence for --debug only
                                       params={"evidence": f"{type(exc).__name__}: {exc}"[:500]}))
        return result
    header_index, columns = _find_header(rows)
    if header_index is None:
        headings = ", ".join(f"'{HEADINGS[f]}'" for f in FIELDS)
        result.problems.append(Finding("fp-no-header", file=shown, params={"expected": headings}))
        return result
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        result.problems.append(Finding(
            "fp-missing-column", file=shown, row=header_index + first_number,
            params={"n": len(missing), "detail": ", ".join(f"'{HEADINGS[f]}'" for f in missing)}))
        return result
    reader = _RowReader(plan, shown)
    for index in range(header_index + 1, len(rows)):
        values = {f: _cell(rows[index], columns.get(f)) for f in FIELDS}
        if not any(values.values()):
            continue
        person, problems = reader.read(values, index + first_number)
        result.problems.extend(problems)
        if person is not None:
            result.people.append(person)
    _check_coverage(result, plan, expected, shown)
    return result


class _RowReader:
    """Checks the rows of one list, one at a time: each row's own problems, and a person listed
    twice for one country."""

    def __init__(self, plan: Plan, shown: str):
        self.plan, self.shown = plan, shown
        self.countries = {}
        for c in plan.countries:
            for spelling in (c.code, c.label.en, c.label.es):
                self.countries.setdefault(_norm(spelling), c)
        self.group_codes = [g.code for g in plan.working_groups]
        self.seen: dict[tuple[str, str], int] = {}

    def read(self, values: dict[str, str], number: int) -> tuple[FocalPoint | None, list[Finding]]:
        """The row's focal point (None when it has an error) and its problems."""
        problems: list[Finding] = []

        def bad(code, f, value="", **params):
            problems.append(Finding(code, file=self.shown, row=number, column=f, heading=HEADINGS[f], value=value,
                                    params=params))

        name = " ".join(values["name"].split())
        if not name:
            bad("fp-missing-value", "name", howto="name")
        email = values["email"].strip()
        if not email:
            bad("fp-missing-value", "email", howto="email")
        elif not _EMAIL.match(email):
            bad("fp-bad-email", "email", email, howto="email-several" if re.search(r"[,;\s]", email) else "email-form")
        country = self._country(values, bad)
        groups = self._groups(values, bad)
        language = self._language(values, country, bad)
        cc = self._cc(values, bad)
        if country and email and _EMAIL.match(email):
            key = (email.casefold(), country.code)
            if key in self.seen:
                bad("fp-duplicate", "email", email, other=country.code, detail=str(self.seen[key]))
            else:
                self.seen[key] = number
        if any(p.severity is Severity.ERROR for p in problems):
            return None, problems
        return FocalPoint(name, email, country.code, tuple(groups), language, tuple(cc), number), problems

    def _country(self, values: dict, bad):
        country_codes = ", ".join(c.code for c in self.plan.countries)
        country = self.countries.get(_norm(values["country"]))
        if not values["country"].strip():
            bad("fp-missing-value", "country", howto="country", codes=country_codes)
        elif country is None:
            bad("fp-unknown-country", "country", values["country"], codes=country_codes)
        return country

    def _groups(self, values: dict, bad) -> list[str]:
        group_codes = self.group_codes
        groups: list[str] = []
        words = [w for w in _SPLIT.split(values["groups"].strip()) if w]
        if not words:
            bad("fp-missing-value", "groups", howto="groups", codes=", ".join(group_codes))
        elif any(_norm(w) in ALL_WORDS for w in words):
            groups = list(group_codes)
            if len(words) > 1:
                bad("fp-all-mixed", "groups", values["groups"])
        else:
            unknown = [w for w in words if w.upper() not in group_codes]
            if unknown:
                bad("fp-unknown-group", "groups", values["groups"], n=len(unknown),
                    detail=", ".join(repr(u) for u in unknown), codes=", ".join(group_codes))
            wanted = {w.upper() for w in words}
            groups = [g for g in group_codes if g in wanted]
        return groups

    def _language(self, values: dict, country, bad) -> str:
        language = country.language if country else "en"
        if values["language"].strip():
            lang = _LANG_WORDS.get(_norm(values["language"]))
            if lang is None:
                bad("fp-bad-language", "language", values["language"])
            else:
                language = lang
        return language

    def _cc(self, values: dict, bad) -> list[str]:
        cc = []
        for addr in _SPLIT.split(values["cc"].strip()):
            if not addr:
                continue
            if _EMAIL.match(addr):
                cc.append(addr)
            else:
                bad("fp-bad-email", "cc", addr, howto="cc")
        return cc


def _check_coverage(result: FocalPointList, plan: Plan, expected, shown: str) -> None:
    pairs = expected
    if pairs is None:
        pairs = [(c.code, g.code) for c in plan.countries for g in plan.working_groups]
    uncovered = [f"{c}/{g}" for c, g in pairs if not result.for_pair(c, g)]
    if uncovered:
        result.problems.append(Finding("fp-uncovered", file=shown,
                                       params={"n": len(uncovered), "detail": ", ".join(uncovered)}))


def _cell(cells: list, index: int | None) -> str:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _find_header(rows: list[list]) -> tuple[int | None, dict[str, int]]:
    """The first of the top 10 rows naming at least three known columns (a note row may precede it)."""
    for i, cells in enumerate(rows[:10]):
        columns: dict[str, int] = {}
        for j, cell in enumerate(cells):
            f = _HEADER_LOOKUP.get(_norm(cell)) if cell not in (None, "") else None
            if f and f not in columns:
                columns[f] = j
        if len(columns) >= 3:
            return i, columns
    return None, {}


def _read_rows(path: Path) -> tuple[list[list], int]:
    """Every row of the list's first sheet (or its 'Focal points' sheet), and the number of rows[0]."""
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        first = text.splitlines()[0] if text.splitlines() else ""
        delimiter = ";" if first.count(";") > first.count(",") else ("\t" if first.count("\t") > first.count(",") else ",")
        return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)], 1
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    names = wb.sheet_names
    sheet = next((n for n in names if _norm(n) == _norm(SHEET)), names[0])
    return wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False), 1


# --- the example `rcm init` writes ----------------------------------------------------------

_EXAMPLE_NAMES = {
    "BLZ": "Jordan Young", "CAN": "Émilie Tremblay", "CRI": "Ana Lucía Jiménez", "DOM": "José Peña",
    "SLV": "María Hernández", "GTM": "Luis Méndez", "HND": "Carmen Zúñiga", "MEX": "Sofía Ramírez",
    "NIC": "Ernesto Chávez", "PAN": "Inés Castillo", "USA": "Michael Brown",
}


def example_rows(plan: Plan) -> list[dict]:
    rows = []
    for c in plan.countries:
        name = _EXAMPLE_NAMES.get(c.code, f"Focal point {c.code}")
        rows.append({"name": name, "email": f"focal.point.{c.code.lower()}@example.org", "country": c.code,
                     "groups": "ALL", "language": c.language, "cc": ""})
    return rows


def write_example(path: Path, plan: Plan) -> Path:
    """A fictitious focal point per country (example.org addresses), and a sheet explaining the columns."""
    import xlsxwriter

    from ..core.files import write_atomic

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    note = wb.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet(SHEET)
    ws.merge_range(0, 0, 0, len(FIELDS) - 1, both("fp.top_note", sheet=NOTES_SHEET), note)
    ws.set_row(0, 45)
    for j, f in enumerate(FIELDS):
        ws.write_string(1, j, HEADINGS[f], head)
    for i, row in enumerate(example_rows(plan), start=2):
        for j, f in enumerate(FIELDS):
            ws.write_string(i, j, row[f])
    last = 1 + 500
    ws.data_validation(2, 2, last, 2, {"validate": "list", "source": [c.code for c in plan.countries],
                                       "error_title": HEADINGS["country"],
                                       "error_message": both("fp.pick_country")})
    ws.data_validation(2, 4, last, 4, {"validate": "list", "source": ["en", "es"], "ignore_blank": True,
                                       "error_title": HEADINGS["language"], "error_message": "en / es"})
    codes = ", ".join(g.code for g in plan.working_groups)
    ws.data_validation(2, 3, last, 3, {"validate": "any", "input_message": both("fp.groups_input", "\n", codes=codes)})
    for j, width in enumerate((24, 36, 16, 30, 16, 36)):
        ws.set_column(j, j, width)
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, 1 + len(plan.countries), len(FIELDS) - 1)

    notes = wb.add_worksheet(NOTES_SHEET)
    groups = "; ".join(f"{g.code} = {g.label.en} / {g.label.es}" for g in plan.working_groups)
    countries = "; ".join(f"{c.code} = {c.label.en} ({c.language})" for c in plan.countries)
    lines = [(both("fp.notes_column"), both("fp.notes_what"))]
    lists = {"country": f": {countries}.", "groups": f": {groups}."}
    lines += [(HEADINGS[f], both(f"fp.notes.{f}") + lists.get(f, "")) for f in FIELDS]
    lines.append(("", both("fp.notes.pairs")))
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for i, (a, b) in enumerate(lines):
        notes.write_string(i, 0, a, head if i == 0 else wrap)
        notes.write_string(i, 1, b, head if i == 0 else wrap)
    notes.set_column(0, 0, 34)
    notes.set_column(1, 1, 110)
    wb.close()
    path = Path(path)
    write_atomic(path, out.getvalue())
    return path
