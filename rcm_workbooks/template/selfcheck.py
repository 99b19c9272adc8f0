"""The workbook checks itself: a check column, marked cells and a banner, all by formulas.

What the focal point sees while typing, in Excel 2010+ and LibreOffice, without macros: for each
input row a locked cell that is empty (row empty), "OK", or what is wrong ("Falta: Estado"); the
cells at fault filled in the feedback copies' colours; a banner above the matrix and on the
Instructions sheet ("Listo para enviar" / "3 filas requieren atención").

The formulas are built to be *never more lenient* than the consolidator (intake.validate):

- a listed value counts as inside only when LOWER(TRIM(cell)) is EXACTly one of its spellings
  (code, English and Spanish labels) lower-cased; the consolidator accepts all of those and more
  (accents, inner spaces other than runs of blanks), so the workbook may only be stricter;
- EXACT is used, never MATCH, COUNTIF or VLOOKUP, whose wildcards (* ? ~) and LibreOffice's
  regular-expression and whole-cell settings would change what matches;
- the required free-text cell (the activity) is empty when every character is white space in
  Python's sense (the consolidator's str.strip), counted against a hidden list of those
  characters, plus U+0001: LibreOffice hands formulas a tab as U+0001 in a cell with line breaks;
- a row is empty for the formulas only when it holds nothing but spaces, line breaks and tabs:
  never a row the consolidator would read;
- a theme is judged only once the pillar is recognised, against the spellings of that pillar's
  themes (the pillar found by its index beside its spellings), as the consolidator does; which
  pillar a spelling names follows the consolidator's first-wins index.

Only functions of Excel 2003 and earlier are used (IF, AND, OR, NOT, SUMPRODUCT, EXACT, LOWER,
TRIM, LEN, SUBSTITUTE, ISERROR, CHAR), so no _xlfn prefixes and no dynamic arrays. The same rules
are written in Python (`evaluate`, `faults`, `banner`) for the cached values a file shows before any
recalculation, and for tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..core.cells import cell_rc, col_index, col_letter
from ..core.fields import CODED, FIELDS, INPUT_FIELDS, REQUIRED
from ..core.plan import Plan
from ..core.spelling import norm
from ..core.texts import CHECK, HEADERS

EXCEL_CELL_LIMIT = 32_767
# The feedback copies' fills (outputs.feedback.FILL) and Excel's own Good / Bad styles.
ERROR_FILL, WARNING_FILL = "#FFC7CE", "#FFE699"
GOOD = {"bg_color": "#C6EFCE", "font_color": "#006100"}
BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
# What the consolidator strips (str.isspace), and U+0001 (see the module's docstring).
WHITE_SPACE = tuple(chr(c) for c in range(0x3001) if chr(c).isspace()) + ("\x01",)
_ROW_BLANKS = "\n\r\t"  # what a row may hold and still be empty to the formulas, with spaces


class SelfCheckError(Exception):
    pass


@dataclass(frozen=True)
class Form:
    """The fields a check covers: the follow-up matrix's by default; the Activity Matrix
    (template/activities.py) gives its own, and the spellings of a listed field outside the plan."""

    fields: tuple[str, ...] = FIELDS
    inputs: tuple[str, ...] = INPUT_FIELDS  # side by side: the row's content
    required: tuple[str, ...] = REQUIRED
    coded: tuple[str, ...] = CODED
    headers: Mapping = field(default_factory=lambda: HEADERS)  # lang -> field -> heading
    lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # field -> its spellings, lower-cased


FOLLOWUP = Form()


@dataclass(frozen=True)
class Layout:
    """Where the matrix is and where the check goes (rows 1-based, columns as letters)."""

    matrix_sheet: str
    header_row: int
    first_row: int
    last_row: int
    columns: Mapping[str, str]  # every field of FIELDS -> its column letter
    language: str
    check_col: str  # the check column, right of the matrix
    banner_cell: str  # top-left cell of the banner on the matrix
    banner_span: int = 3  # columns the banner is merged over
    instructions_cell: str | None = "A2"  # the banner repeated on the Instructions sheet
    instructions_span: int = 3
    form: Form = FOLLOWUP


@dataclass(frozen=True)
class Spellings:
    """What the formulas accept, lower-cased as Python lowers; see the module's docstring."""

    lists: Mapping[str, tuple[str, ...]]  # pillar, responsible, deadline, status -> spellings
    pillar_index: tuple[int, ...]  # the pillar (1-based) each of lists["pillar"] names
    themes: tuple[tuple[str, int], ...]  # (theme spelling, the pillar it is a theme of)
    themes_anywhere: tuple[str, ...]  # labels and P/T of every theme: "of another pillar"


def spellings(plan: Plan, form: Form = FOLLOWUP) -> Spellings:
    """Every spelling the consolidator accepts, each under the value its index gives it (and the
    form's own lists)."""

    def index(items) -> dict[str, list[str]]:
        owner: dict[str, str] = {}  # norm -> code, first wins as in intake.validate.Vocabulary
        out: dict[str, list[str]] = {}
        for code, spells in items:
            out.setdefault(code, [])
            for s in spells:
                owner.setdefault(norm(s), code)
                if s and owner[norm(s)] == code and s.lower() not in out[code]:
                    out[code].append(s.lower())
        return out

    def choices(items):
        return [(c.code, (c.code, c.label.en, c.label.es)) for c in items]

    pillars = index((p.code, (p.code, p.label.en, p.label.es)) for p in plan.pillars)
    owned = dict.fromkeys((s, k) for k, p in enumerate(plan.pillars, 1) for s in pillars[p.code])
    lists = {"pillar": tuple(s for s, _ in owned)}
    for f, items in (("responsible", plan.responsible_parties), ("deadline", plan.deadlines),
                     ("status", plan.statuses)):
        lists[f] = tuple(dict.fromkeys(s for g in index(choices(items)).values() for s in g))
    themes = dict.fromkeys((s.lower(), k) for k, p in enumerate(plan.pillars, 1) for t in p.themes
                           for s in (t.code, t.label.en, t.label.es, f"{p.code}/{t.code}") if s)
    anywhere = dict.fromkeys(s.lower() for p in plan.pillars for t in p.themes
                             for s in (t.label.en, t.label.es, f"{p.code}/{t.code}") if s)
    lists.update(form.lists)
    return Spellings(lists, tuple(k for _, k in owned), tuple(themes), tuple(anywhere))


# --- the formulas --------------------------------------------------------------------------
# Each is written once, as a defined name whose rows are relative: .xlsx stores such a name as
# seen from row 1, so its references say "$B1" and mean "column B of the row that uses it".

NAMES = {"pillar": "_CK_pillar", "pillar_index": "_CK_pillar_index", "theme": "_CK_theme",
         "theme_index": "_CK_theme_index", "anywhere": "_CK_theme_any", "responsible": "_CK_responsible",
         "deadline": "_CK_deadline", "status": "_CK_status", "space": "_CK_space", "check": "_CK_check",
         "decision": "_CK_decision"}
FAULT = "_CK_fault_"  # + field: the name that says a cell of that field is at fault


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _low(cell: str) -> str:
    return f"LOWER(TRIM({cell}))"


def _listed(cell: str, name: str) -> str:
    return f"SUMPRODUCT(--EXACT({_low(cell)},{name}))>0"


def _filled(cell: str) -> str:
    return f"LEN(TRIM({cell}))>0"


def _blank(cell: str, field: str, coded=CODED) -> str:
    if field in coded:  # a listed value is never blank: only runs of spaces need to count as empty
        return f"LEN(TRIM({cell}))=0"
    return f'LEN({cell})=SUMPRODUCT(LEN({cell})-LEN(SUBSTITUTE({cell},{NAMES["space"]},"")))'


def _pair(pillar: str, theme: str) -> str:
    """The theme is one of the themes of the pillar the pillar cell names (0 when it names none)."""
    index = f"SUMPRODUCT(EXACT({_low(pillar)},{NAMES['pillar']})*{NAMES['pillar_index']})"
    return f"SUMPRODUCT(EXACT({_low(theme)},{NAMES['theme']})*({NAMES['theme_index']}={index}))>0"


def _theme_wrong(cells: Mapping[str, str]) -> str:
    """The theme is judged (pillar recognised, theme given) and is not one of the pillar's."""
    return (f"AND({_listed(cells['pillar'], NAMES['pillar'])},{_filled(cells['theme'])},"
            f"NOT({_pair(cells['pillar'], cells['theme'])}))")


def _outside(f: str, cells: Mapping[str, str]) -> str:
    if f == "theme":
        return f"AND({_theme_wrong(cells)},NOT({_listed(cells['theme'], NAMES['anywhere'])}))"
    return f"AND({_filled(cells[f])},NOT({_listed(cells[f], NAMES[f])}))"


def _listing(prefix: str, items: Sequence[tuple[str, str]]) -> str:
    """'; prefix a, b' for the items whose condition holds, else '' (no TEXTJOIN in Excel 2010)."""
    joined = "&".join(f'IF({cond},{_q(", " + label)},"")' for cond, label in items)
    return f'SUBSTITUTE(SUBSTITUTE("|"&{joined},"|, ",{_q("; " + prefix)}),"|","")'


def _sheet(layout: Layout) -> str:
    return "'" + layout.matrix_sheet.replace("'", "''") + "'!"


def _cells(layout: Layout) -> dict[str, str]:
    return {f: f"{_sheet(layout)}${layout.columns[f]}1" for f in layout.form.fields}


def _input_range(layout: Layout) -> str:
    idx = sorted(col_index(layout.columns[f]) for f in layout.form.inputs)
    if idx != list(range(idx[0], idx[0] + len(idx))):
        raise SelfCheckError("the input columns of the matrix must be side by side")
    return f"{_sheet(layout)}${col_letter(idx[0])}1:${col_letter(idx[-1])}1"


def check_formula(layout: Layout) -> str:
    """_CK_check: '' when the row is empty, else 'OK' or what is wrong on it."""
    form = layout.form
    words, label, cells = CHECK[layout.language], _labels(layout.language, form), _cells(layout)
    rng = _input_range(layout)
    blanks = rng
    for ch in _ROW_BLANKS:
        blanks = f'SUBSTITUTE({blanks},CHAR({ord(ch)})," ")'
    missing = _listing(words["missing"], [(_blank(cells[f], f, form.coded), label[f]) for f in form.required])
    outside = _listing(words["outside"], [(_outside(f, cells), label[f]) for f in form.coded])
    other = (f"IF(AND({_theme_wrong(cells)},{_listed(cells['theme'], NAMES['anywhere'])}),"
             f"{_q('; ' + words['other_pillar'])},\"\")")
    long = f"IF(SUMPRODUCT(--(LEN({rng})>{EXCEL_CELL_LIMIT})),{_q('; ' + words['too_long'])},\"\")"
    verdict = f'SUBSTITUTE(SUBSTITUTE("@"&{missing}&{outside}&{other}&{long},"@; ",""),"@",{_q(words["ok"])})'
    return (f"=IF(SUMPRODUCT(--ISERROR({rng})),{_q(words['error'])},"
            f'IF(SUMPRODUCT(LEN(TRIM({blanks})))=0,"",{verdict}))')


def fault_formula(layout: Layout, field: str) -> str:
    """_CK_fault_<field>: the field's cell on the row is at fault (an error, not a warning)."""
    cells, form = _cells(layout), layout.form
    cell, faults = cells[field], []
    if field in form.required:
        faults.append(f'AND({_sheet(layout)}${layout.check_col}1<>"",{_blank(cell, field, form.coded)})')
    if field == "theme":
        faults.append(_theme_wrong(cells))
    elif field in form.coded:
        faults.append(_outside(field, cells))
    # TRUE() and FALSE() rather than the constants, which LibreOffice rewrites so on saving.
    return f"=IF(ISERROR({cell}),TRUE(),{'OR(' + ','.join(faults) + ')' if faults else 'FALSE()'})"


def banner_formula(layout: Layout) -> str:
    """The banner, written once in its cell: how many rows need attention, or ready, or empty."""
    words = CHECK[layout.language]
    rng = f"${layout.check_col}${layout.first_row}:${layout.check_col}${layout.last_row}"
    n = f'SUMPRODUCT(({rng}<>"")*({rng}<>{_q(words["ok"])}))'
    filled = f'SUMPRODUCT(--({rng}<>""))'
    head, tail = words["many"].format(col=layout.check_col, n="\0").split("\0")
    many = f"{_q(head)}&{n}&{_q(tail)}" if head else f"{n}&{_q(tail)}"
    return (f"=IF({n}>0,IF({n}=1,{_q(words['one'].format(col=layout.check_col))},{many}),"
            f"IF({filled}=0,{_q(words['empty'])},{_q(words['ready'])}))")


def _labels(lang: str, form: Form = FOLLOWUP) -> dict[str, str]:
    return {f: form.headers[lang][f].replace(" ▾", "") for f in form.fields}


# --- the same rules in Python --------------------------------------------------------------

def _trim(text: str) -> str:
    return re.sub(" +", " ", text.strip(" "))


def _facts(values: Mapping[str, str], sp: Spellings, form: Form = FOLLOWUP) -> dict:
    """What the formulas find on a row of text values."""
    v = {f: str(values.get(f) or "") for f in form.fields}
    low = {f: _trim(v[f]).lower() for f in form.fields}
    index = dict(zip(sp.lists["pillar"], sp.pillar_index)).get(low["pillar"], 0)
    wrong = bool(index) and bool(_trim(v["theme"])) and (low["theme"], index) not in set(sp.themes)
    other = wrong and low["theme"] in sp.themes_anywhere
    outside = {f: bool(_trim(v[f])) and low[f] not in sp.lists[f] for f in form.coded if f != "theme"}
    outside["theme"] = wrong and not other
    return {
        "content": any(_trim(re.sub("[\n\r\t]", " ", v[f])) for f in form.inputs),
        "blank": {f: not _trim(v[f]) if f in form.coded else all(ch in WHITE_SPACE for ch in v[f])
                  for f in form.required},
        "outside": outside, "theme_wrong": wrong, "other_pillar": other,
        "too_long": [f for f in form.inputs if len(v[f]) > EXCEL_CELL_LIMIT],
    }


def evaluate(values: Mapping[str, str], sp: Spellings, lang: str, form: Form = FOLLOWUP) -> str:
    """What the check cell shows for a row of text values (the cached value, and a test oracle)."""
    words, label, facts = CHECK[lang], _labels(lang, form), _facts(values, sp, form)
    if not facts["content"]:
        return ""
    parts = []
    missing = [label[f] for f in form.required if facts["blank"][f]]
    if missing:
        parts.append(words["missing"] + ", ".join(missing))
    wrong = [label[f] for f in form.coded if facts["outside"][f]]
    if wrong:
        parts.append(words["outside"] + ", ".join(wrong))
    if facts["other_pillar"]:
        parts.append(words["other_pillar"])
    if facts["too_long"]:
        parts.append(words["too_long"])
    return "; ".join(parts) or words["ok"]


def faults(values: Mapping[str, str], sp: Spellings, form: Form = FOLLOWUP) -> tuple[set[str], set[str]]:
    """The fields whose cells are marked on a row of text values: (errors, warnings)."""
    facts = _facts(values, sp, form)
    bad = {f for f in form.required if facts["content"] and facts["blank"][f]}
    bad |= {f for f in form.coded if f != "theme" and facts["outside"][f]}
    if facts["theme_wrong"]:
        bad.add("theme")
    return bad, set(facts["too_long"])


def banner(checks: Sequence[str], lang: str, check_col: str) -> str:
    words = CHECK[lang]
    n = sum(1 for c in checks if c not in ("", words["ok"]))
    if n:
        return words["one"].format(col=check_col) if n == 1 else words["many"].format(col=check_col, n=n)
    return words["ready"] if any(checks) else words["empty"]


# --- writing it into a workbook ------------------------------------------------------------

def add(wb, ws, ws_lists, layout: Layout, plan: Plan, *, lists_col: int, ws_instructions=None,
        initial: Mapping[int, Mapping[str, str]] | None = None, header_format=None) -> dict[str, str]:
    """Write the self-check into an XlsxWriter workbook being built; return the `_meta` keys.

    ws: the matrix; ws_lists: the hidden lists sheet, written from column `lists_col` (0-based)
    on; ws_instructions: where the banner is repeated (Layout.instructions_cell); initial:
    {row: {field: text}} of rows the template fills in, for the values shown before any
    recalculation (a viewer that never calculates, Excel's Protected View).
    """
    sp = spellings(plan, layout.form)
    _write_lists(wb, ws_lists, sp, lists_col)
    _define(wb, NAMES["check"], check_formula(layout))
    for f in layout.form.inputs:
        _define(wb, FAULT + f, fault_formula(layout, f))
    checks = _write_check_column(wb, ws, layout, sp, initial or {}, header_format)
    _write_faults(wb, ws, layout)
    text = banner(checks, layout.language, layout.check_col)
    _write_banner(wb, ws, layout.banner_cell, layout.banner_span, banner_formula(layout), text,
                  layout.language)
    if ws_instructions is not None and layout.instructions_cell:
        row, col = cell_rc(layout.banner_cell)
        _write_banner(wb, ws_instructions, layout.instructions_cell, layout.instructions_span,
                      f"={_sheet(layout)}${col_letter(col)}${row + 1}", text, layout.language)
    return {"col.check": layout.check_col, "check_cell": layout.banner_cell}


def _define(wb, name: str, formula: str) -> None:
    if len(formula) > 8000:  # Excel refuses formulas over 8,192 characters
        raise SelfCheckError(f"the formula of {name} is {len(formula)} characters long")
    # XlsxWriter reports a bad name with a warning and -1, not an exception.
    if wb.define_name(name, formula) not in (0, None):
        raise SelfCheckError(f"XlsxWriter refused the name {name} = {formula[:200]}")


def _write_lists(wb, ws_lists, sp: Spellings, first_col: int) -> None:
    columns = [(NAMES[f], sp.lists[f]) for f in ("pillar", "responsible", "deadline", "status", "decision")
               if f in sp.lists]
    columns += [(NAMES["pillar_index"], sp.pillar_index), (NAMES["theme"], [t for t, _ in sp.themes]),
                (NAMES["theme_index"], [k for _, k in sp.themes]),
                (NAMES["anywhere"], sp.themes_anywhere), (NAMES["space"], WHITE_SPACE)]
    for i, (name, values) in enumerate(columns):
        col = first_col + i
        ws_lists.write_string(0, col, name)
        for r, value in enumerate(values, 1):
            if isinstance(value, int):
                ws_lists.write_number(r, col, value)
            else:
                ws_lists.write_string(r, col, value)
        letter = col_letter(col)
        _define(wb, name, f"='{ws_lists.name}'!${letter}$2:${letter}${len(values) + 1}")


def _write_check_column(wb, ws, layout: Layout, sp: Spellings, initial, header_format) -> list[str]:
    words = CHECK[layout.language]
    col = col_index(layout.check_col)
    head = header_format or wb.add_format({
        "bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
        "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1})
    ws.write_string(layout.header_row - 1, col, words["header"], head)
    ws.set_column(col, col, 40)
    fmt = wb.add_format({"text_wrap": True, "valign": "top", "bg_color": "#F2F2F2", "border": 1,
                         "border_color": "#BFBFBF", "locked": True})
    checks = []
    for row in range(layout.first_row, layout.last_row + 1):
        text = evaluate(initial[row], sp, layout.language, layout.form) if row in initial else ""
        checks.append(text)
        ws.write_formula(row - 1, col, "=" + NAMES["check"], fmt, text)
    r0, r1 = layout.first_row - 1, layout.last_row - 1
    title, message = words["help"]
    ws.data_validation(r0, col, r1, col, {"validate": "any", "input_title": title[:32],
                                          "input_message": message[:255]})
    ok = _q(words["ok"])
    cell = f"${layout.check_col}{layout.first_row}"
    ws.conditional_format(r0, col, r1, col, {"type": "formula", "criteria": f"={cell}={ok}",
                                             "format": wb.add_format(GOOD)})
    ws.conditional_format(r0, col, r1, col, {"type": "formula",
                                             "criteria": f'=AND({cell}<>"",{cell}<>{ok})',
                                             "format": wb.add_format(BAD)})
    return checks


def _write_faults(wb, ws, layout: Layout) -> None:
    error = wb.add_format({"bg_color": ERROR_FILL})
    warning = wb.add_format({"bg_color": WARNING_FILL})
    r0, r1 = layout.first_row - 1, layout.last_row - 1
    for f in layout.form.inputs:
        col = col_index(layout.columns[f])
        long = f"=LEN({layout.columns[f]}{layout.first_row})>{EXCEL_CELL_LIMIT}"
        for criteria, fmt in ((f"={FAULT}{f}", error), (long, warning)):
            rc = ws.conditional_format(r0, col, r1, col, {"type": "formula", "criteria": criteria,
                                                          "format": fmt})
            if rc not in (0, None):
                raise SelfCheckError(f"XlsxWriter refused the conditional format of {f} (code {rc})")


def _write_banner(wb, ws, cell: str, span: int, formula: str, text: str, lang: str) -> None:
    row, col = cell_rc(cell)
    fmt = wb.add_format({"bold": True, "font_size": 12, "align": "center", "valign": "vcenter",
                         "border": 1, "border_color": "#BFBFBF", "text_wrap": True})
    if span > 1:
        ws.merge_range(row, col, row, col + span - 1, "", fmt)
    ws.write_formula(row, col, formula, fmt, text)
    # Coloured by its own text, so the Instructions' copy needs no reference to another sheet.
    here, words = f"${col_letter(col)}${row + 1}", CHECK[lang]
    ready, empty = _q(words["ready"]), _q(words["empty"])
    ws.conditional_format(row, col, row, col + span - 1, {
        "type": "formula", "criteria": f'=AND({here}<>"",{here}<>{ready},{here}<>{empty})',
        "format": wb.add_format(BAD)})
    ws.conditional_format(row, col, row, col + span - 1, {
        "type": "formula", "criteria": f"={here}={ready}", "format": wb.add_format(GOOD)})
