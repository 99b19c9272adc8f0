"""The focal-point list the ES keeps in Excel: who receives which workbooks, in which language.

`templates/focal_points.xlsx` (or `.csv`), one row per person: name, e-mail, country, working
groups (ALL or codes), language (en|es, default the country's), optional cc. Loading checks every
row and reports every problem at once, each naming the file, the row and the column and saying how
to fix it; a row with an error is left out, and a country/working-group pair nobody covers is a
warning that lists the pairs.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.plan import Plan

SHEET = "Focal points"
NOTES_SHEET = "How to fill - Cómo llenar"
FIELDS = ("name", "email", "country", "groups", "language", "cc")
REQUIRED = ("name", "email", "country", "groups")

# What the example writes as headings, and every heading accepted when reading (normalized).
HEADINGS = {
    "name": "Name / Nombre",
    "email": "E-mail / Correo electrónico",
    "country": "Country / País",
    "groups": "Working groups / Grupos de trabajo",
    "language": "Language / Idioma",
    "cc": "Cc (optional / opcional)",
}
_ALIASES = {
    "name": ["name", "nombre", "full name", "nombre completo", "focal point", "punto focal"],
    "email": ["e-mail", "email", "e mail", "mail", "correo", "correo electronico", "correo-e", "address", "direccion"],
    "country": ["country", "pais", "country code", "codigo de pais"],
    "groups": ["working groups", "working group", "groups", "grupos de trabajo", "grupo de trabajo", "grupos"],
    "language": ["language", "idioma", "lang", "lengua"],
    "cc": ["cc", "copy", "copia", "con copia"],
}
ALL_WORDS = {"all", "todos", "todo", "todas", "*"}
_LANG_WORDS = {"en": "en", "english": "en", "ingles": "en", "es": "es", "spanish": "es", "espanol": "es",
               "castellano": "es"}
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_SPLIT = re.compile(r"[,;\s]+")


def _norm(text) -> str:
    from ..intake.validate import norm

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


@dataclass(frozen=True)
class Problem:
    """One finding about the list: where it is, what is wrong and how to fix it."""

    code: str
    severity: str  # error | warning
    file: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str = ""  # the heading of the column, as the person sees it

    def render(self) -> str:
        where = ", ".join(x for x in (f"row {self.row}" if self.row else "",
                                      f"column '{self.column}'" if self.column else "") if x)
        return f"{self.file}: {where + ': ' if where else ''}{self.message}{' ' + self.fix if self.fix else ''}"


@dataclass
class FocalPointList:
    path: Path
    people: list[FocalPoint] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

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
        result.problems.append(Problem(
            "fp-unreadable", "error", shown, f"the list cannot be read ({type(exc).__name__}: {exc}).",
            "Save it again from Excel as .xlsx (or as CSV UTF-8) and run the command again."))
        return result
    header_index, columns = _find_header(rows)
    if header_index is None:
        result.problems.append(Problem(
            "fp-no-header", "error", shown,
            "no heading row was found (expected Name, E-mail, Country, Working groups, Language, Cc).",
            "Keep the heading row of the example that `rcm init` writes."))
        return result
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        result.problems.append(Problem(
            "fp-missing-column", "error", shown,
            f"the heading row (row {header_index + first_number}) lacks the column(s) "
            f"{', '.join(repr(HEADINGS[f]) for f in missing)}.",
            "Add them, with the headings of the example that `rcm init` writes.", row=header_index + first_number))
        return result
    countries = {}
    for c in plan.countries:
        for spelling in (c.code, c.label.en, c.label.es):
            countries.setdefault(_norm(spelling), c)
    group_codes = [g.code for g in plan.working_groups]
    seen: dict[tuple[str, str], int] = {}
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        number = index + first_number
        values = {f: _cell(cells, columns.get(f)) for f in FIELDS}
        if not any(values.values()):
            continue
        problems: list[Problem] = []

        def bad(code, f, message, fix, severity="error"):
            problems.append(Problem(code, severity, shown, message, fix, number, HEADINGS[f]))

        name = " ".join(values["name"].split())
        if not name:
            bad("fp-missing-value", "name", "the name is empty.", "Write the focal point's name (used to greet them).")
        email = values["email"].strip()
        if not email:
            bad("fp-missing-value", "email", "the e-mail address is empty.", "Write one address, e.g. ana.perez@example.org.")
        elif not _EMAIL.match(email):
            fix = ("Write one address per row; put further addresses in the Cc column."
                   if re.search(r"[,;\s]", email) else "Write it as name@domain, e.g. ana.perez@example.org.")
            bad("fp-bad-email", "email", f"'{email}' is not a valid e-mail address.", fix)
        country = countries.get(_norm(values["country"]))
        if not values["country"].strip():
            bad("fp-missing-value", "country", "the country is empty.",
                f"Write a country code: {', '.join(c.code for c in plan.countries)}.")
        elif country is None:
            bad("fp-unknown-country", "country", f"'{values['country']}' is not a country of the plan.",
                f"Write one of the codes {', '.join(c.code for c in plan.countries)}.")
        groups: list[str] = []
        words = [w for w in _SPLIT.split(values["groups"].strip()) if w]
        if not words:
            bad("fp-missing-value", "groups", "the working groups are empty.",
                f"Write ALL, or one or more codes separated by commas: {', '.join(group_codes)}.")
        elif any(_norm(w) in ALL_WORDS for w in words):
            groups = list(group_codes)
            if len(words) > 1:
                bad("fp-unknown-group", "groups", f"'{values['groups']}' mixes ALL with other codes.",
                    "Write either ALL or a list of codes.")
        else:
            unknown = [w for w in words if w.upper() not in group_codes]
            if unknown:
                bad("fp-unknown-group", "groups",
                    f"{', '.join(repr(u) for u in unknown)} {'is not a working group' if len(unknown) == 1 else 'are not working groups'} of the plan.",
                    f"Write ALL, or codes among {', '.join(group_codes)} separated by commas.")
            wanted = {w.upper() for w in words}
            groups = [g for g in group_codes if g in wanted]
        language = country.language if country else "en"
        if values["language"].strip():
            lang = _LANG_WORDS.get(_norm(values["language"]))
            if lang is None:
                bad("fp-bad-language", "language", f"'{values['language']}' is not a language of the templates.",
                    "Write en or es, or leave it empty for the country's language.")
            else:
                language = lang
        cc = []
        for addr in _SPLIT.split(values["cc"].strip()):
            if not addr:
                continue
            if _EMAIL.match(addr):
                cc.append(addr)
            else:
                bad("fp-bad-email", "cc", f"'{addr}' is not a valid e-mail address.",
                    "Write addresses as name@domain, separated by commas or semicolons.")
        if country and email and _EMAIL.match(email):
            key = (email.casefold(), country.code)
            if key in seen:
                bad("fp-duplicate", "email", f"{email} is listed again for {country.code} (first on row {seen[key]}).",
                    "Keep one row per person and country, with all their working groups in it.")
            else:
                seen[key] = number
        result.problems.extend(problems)
        if any(p.severity == "error" for p in problems):
            continue
        result.people.append(FocalPoint(name, email, country.code, tuple(groups), language, tuple(cc), number))
    pairs = expected if expected is not None else [(c.code, g) for c in plan.countries for g in group_codes]
    uncovered = [f"{c}/{g}" for c, g in pairs if not result.for_pair(c, g)]
    if uncovered:
        result.problems.append(Problem(
            "fp-uncovered", "warning", shown,
            f"{len(uncovered)} country/working-group pair(s) have no focal point and will receive no e-mail: "
            f"{', '.join(uncovered)}.",
            "Add a row for each, or give an existing focal point those working groups."))
    return result


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
    ws.merge_range(0, 0, 0, len(FIELDS) - 1,
                   "One row per person. Replace these fictitious examples with your focal points; see the sheet "
                   f"'{NOTES_SHEET}'. / Una fila por persona. Reemplace estos ejemplos ficticios por sus puntos "
                   "focales; vea la hoja de instrucciones.", note)
    ws.set_row(0, 45)
    for j, f in enumerate(FIELDS):
        ws.write_string(1, j, HEADINGS[f], head)
    for i, row in enumerate(example_rows(plan), start=2):
        for j, f in enumerate(FIELDS):
            ws.write_string(i, j, row[f])
    last = 1 + 500
    ws.data_validation(2, 2, last, 2, {"validate": "list", "source": [c.code for c in plan.countries],
                                       "error_title": "Country / País",
                                       "error_message": "Pick a country code. / Elija un código de país."})
    ws.data_validation(2, 4, last, 4, {"validate": "list", "source": ["en", "es"], "ignore_blank": True,
                                       "error_title": "Language / Idioma", "error_message": "en / es"})
    ws.data_validation(2, 3, last, 3, {"validate": "any", "input_title": "Working groups",
                                       "input_message": "ALL, or codes: " + ", ".join(g.code for g in plan.working_groups)})
    for j, width in enumerate((24, 36, 16, 30, 16, 36)):
        ws.set_column(j, j, width)
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, 1 + len(plan.countries), len(FIELDS) - 1)

    notes = wb.add_worksheet(NOTES_SHEET)
    groups = "; ".join(f"{g.code} = {g.label.en} / {g.label.es}" for g in plan.working_groups)
    countries = "; ".join(f"{c.code} = {c.label.en} ({c.language})" for c in plan.countries)
    lines = [
        ("Column / Columna", "What to write / Qué escribir"),
        (HEADINGS["name"], "The person's name, used to greet them. / El nombre de la persona, para el saludo."),
        (HEADINGS["email"], "One address. Further addresses go in Cc. / Una dirección; las demás van en Cc."),
        (HEADINGS["country"], f"The country code. / El código del país: {countries}."),
        (HEADINGS["groups"], f"ALL, or codes separated by commas. / TODOS, o códigos separados por comas: {groups}."),
        (HEADINGS["language"], "en or es; empty = the country's language. / en o es; vacío = el idioma del país."),
        (HEADINGS["cc"], "Optional addresses in copy, separated by commas. / Direcciones en copia, opcionales, separadas por comas."),
        ("", "Each country and working group needs at least one focal point; `rcm mail` warns about the pairs "
             "nobody covers. / Cada país y grupo de trabajo necesita al menos un punto focal."),
    ]
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
