"""The workbook checks itself (issue 13): the check column, the marked cells and the banner.

The check is written as formulas (template/selfcheck.py) and, rule for rule, in Python
(`selfcheck.evaluate`). Three things are proven here:

- the formulas, calculated by LibreOffice on templates filled through UNO as a person types and
  pastes (labels in either language, codes, other case, values typed over the dropdowns, a
  theme of another pillar, every required cell left out, white space, an error value, a text
  longer than a cell), give exactly what `evaluate` gives, and the banner counts them;
- the check never says "OK" (nor leaves empty) a row that `rcm validate` rejects, and says
  what validate says; it is stricter only on spellings the consolidator forgives;
- the same on a few thousand random rows, in Python against validate (no office needed).

Needs LibreOffice Calc and python3-uno; without them the office tests skip locally and FAIL
when CI is set.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest

from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities
from rcm_workbooks.core.cells import col_index, col_letter
from rcm_workbooks.core.fields import FIELDS, INPUT_FIELDS
from rcm_workbooks.core.findings import Severity
from rcm_workbooks.core.plan import parse_plan
from rcm_workbooks.core.texts import CHECK, HEADERS, UI
from rcm_workbooks.intake.validate import read_return, to_text
from rcm_workbooks.template import selfcheck as sc
from rcm_workbooks.template.build import BANNER_CELL, CHECK_COLUMN, COLUMNS, TemplateSpec, build
from tests.support import libreoffice as lo

PERIOD, DUE = "2025-H1", dt.date(2025, 6, 30)
ROW_ERRORS = {"required-missing", "value-not-in-list", "theme-other-pillar", "cell-error-value"}
FORGIVEN = "forgiven"  # a tag: the row carries a spelling the consolidator forgives, the check not


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def office():
    if not lo.available():
        why = f"LibreOffice not usable: soffice={lo.find_soffice()!r}, uno python={lo.find_uno_python()!r}"
        if _in_ci():
            pytest.fail(why + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(why)


# --- building, reading back ----------------------------------------------------------------


def make(tmp: Path, plan, lang: str, group: str, country: str, rows: int = 100) -> tuple[Path, dict]:
    spec = TemplateSpec(plan, PERIOD, plan.group(group), plan.country(country), lang, DUE, rows,
                        _priority(plan, group, country))
    data, meta = build(spec)
    path = tmp / f"{lang}-{group}-{country}.xlsx"
    path.write_bytes(data)
    return path, meta


def _priority(plan, group, country):
    from rcm_workbooks.template.build import priority_rows

    return priority_rows(plan, plan.group(group), plan.country(country))


def read_back(path: Path, meta: dict) -> dict:
    """What the saved workbook shows: each row's values and check, and both banners."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[meta["matrix_sheet"]]
    check = col_index(meta["col.check"]) + 1
    rows = {}
    for r in range(int(meta["first_row"]), int(meta["last_row"]) + 1):
        values = {f: to_text(ws.cell(r, col_index(meta[f"col.{f}"]) + 1).value)[0] for f in FIELDS}
        rows[r] = (values, ws.cell(r, check).value or "")
    wi = wb[meta["instructions_sheet"]]
    marked = {r: {f for f, c in PROBES.items() if wi[f"{c}{r}"].value is True} for r in rows}
    return {"rows": rows, "banner": ws[meta["check_cell"]].value, "instructions": wi["A2"].value,
            "marked": marked}


def verdicts(path: Path, plan) -> dict:
    ret = read_return(path, path.name, plan)
    assert ret.verdict == "accepted", [f.code for f in ret.findings]
    return {row.number: row for row in ret.rows}


def codes(row) -> set[str]:
    return {f.code for f in row.findings if f.severity is not Severity.INFO} if row else set()


def disagreement(check: str, row, lang: str, forgiven: bool = False) -> str | None:
    """Why a check cell and validate's verdict on the same row disagree, or None."""
    words, label = CHECK[lang], {f: HEADERS[lang][f].replace(" ▾", "") for f in FIELDS}
    errors = [f for f in (row.findings if row else []) if f.severity is Severity.ERROR]
    if errors and check in ("", words["ok"]):
        return f"check {check!r} on a row validate rejects: {[f.code for f in errors]}"
    if row is None and check and not forgiven:
        return f"check {check!r} on a row validate ignores"
    if check == "" and row is not None:
        return "no check on a row validate reads"
    if forgiven:
        return None  # stricter is allowed here; the message may name another fault
    for f in errors:
        wanted = {"required-missing": words["missing"], "value-not-in-list": words["outside"],
                  "theme-other-pillar": words["other_pillar"], "cell-error-value": words["error"]}[f.code]
        piece = next((p for p in check.split("; ") if p.startswith(wanted)), None)
        if piece is None or (f.code in ("required-missing", "value-not-in-list") and label[f.column] not in piece):
            return f"validate says {f.code} on {f.column}, the check says {check!r}"
    if check not in ("", words["ok"]) and not errors and not row.findings:
        return f"check {check!r} on a row validate accepts as it is"
    return None


# --- random rows: the same generator feeds Python and LibreOffice ----------------------------


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _accent(text: str) -> str:
    return re.sub("[aeiou]", lambda m: {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}[m.group()], text, count=1)


def _mutate(rng: random.Random, text: str, tags: set) -> str:
    how = rng.choice(["same"] * 6 + ["upper", "lower", "swap", "pad", "inner", "accents", "accent",
                                     "nbsp", "arrow", "tab"])
    if how in ("accents", "accent", "nbsp", "arrow", "tab"):
        changed = {"accents": _strip_accents, "accent": _accent, "nbsp": lambda t: t + "\u00a0",
                   "arrow": lambda t: t + " ▾", "tab": lambda t: "\t" + t}[how](text)
        if changed != text:
            tags.add(FORGIVEN)
        return changed
    return {"same": text, "upper": text.upper(), "lower": text.lower(), "swap": text.swapcase(),
            "pad": f"  {text} ", "inner": text.replace(" ", "  ", 1)}[how]


def random_row(rng: random.Random, plan) -> tuple[dict, set]:
    tags: set = set()
    kind = rng.random()
    if kind < 0.08:  # a row that only looks filled
        spaces = rng.choice([" ", "  ", "\n", " \n ", "\u00a0", "\u2003"])
        if spaces.strip(" \n"):
            tags.add(FORGIVEN)
        return {rng.choice(INPUT_FIELDS): spaces}, tags
    pillar = rng.choice(plan.pillars)
    other = rng.choice([p for p in plan.pillars if p is not pillar])
    t_own, t_other = rng.choice(pillar.themes), rng.choice(other.themes)

    def spell(code, label):
        return _mutate(rng, rng.choice([code, label.en, label.es]), tags)

    def pick(good, bad):  # two rows in five are right in every cell, spelled in any accepted way
        return rng.choice(good if clean else good * 3 + bad)

    clean = rng.random() < 0.4
    values = {
        "pillar": pick([spell(pillar.code, pillar.label)], ["", "Governance", "P9"]),
        "theme": pick([spell(t_own.code, t_own.label), f"{pillar.code}/{t_own.code}"],
                      ["", spell(t_other.code, t_other.label), f"{other.code}/{t_other.code}", "Other"]),
        "activity": pick([f"Activity {rng.randrange(1000)}"], ["", " ", "\n", "\u2003", "\n\t"]),
        "status": pick([spell(c.code, c.label) for c in plan.statuses], ["", "Done", "50%"]),
        "responsible": pick([spell(c.code, c.label) for c in plan.responsible_parties] + [""], ["Ministry"]),
        "deadline": pick([spell(c.code, c.label) for c in plan.deadlines] + [""], ["2024"]),
    }
    for f in ("indicators", "measured_by", "risks", "progress", "next_steps"):
        values[f] = rng.choice(["", "", f"Some {f}", "Línea 1\nLínea 2"])
    return values, tags


# --- Python only: the rules of the formulas against validate, on many rows -----------------------


def test_rules_are_never_more_lenient_than_validate(tmp_path, plan):
    rng = random.Random(13)
    path, meta = make(tmp_path, plan, "en", "LABR", "USA", rows=3000)
    sp = sc.spellings(plan)
    wb = openpyxl.load_workbook(path)
    ws = wb[meta["matrix_sheet"]]
    cases = {}
    for r in range(6, 6 + 3000):
        values, tags = random_row(rng, plan)
        for f, v in values.items():
            ws.cell(r, col_index(COLUMNS[f]) + 1).value = v or None
        cases[r] = (values, tags)
    wb.save(path)
    rows = verdicts(path, plan)
    seen = {"OK": 0, "faults": 0, "stricter": 0}
    for r, (values, tags) in cases.items():
        check = sc.evaluate(values, sp, "en")
        problem = disagreement(check, rows.get(r), "en", FORGIVEN in tags)
        assert problem is None, (r, values, problem)
        seen["OK" if check == "OK" else "faults"] += 1
        seen["stricter"] += check not in ("", "OK") and not codes(rows.get(r))
    # the sample exercised every side: accepted rows, rejected rows, forgiven spellings
    assert seen["OK"] > 300 and seen["faults"] > 300 and seen["stricter"] > 20, seen


def test_formulas_use_only_excel_2010_functions(plan):
    layout = sc.Layout("Follow-up matrix", 5, 6, 105, COLUMNS, "es", "M", "E1")
    formulas = [sc.check_formula(layout), sc.banner_formula(layout)]
    formulas += [sc.fault_formula(layout, f) for f in INPUT_FIELDS]
    allowed = {"IF", "AND", "OR", "NOT", "SUMPRODUCT", "EXACT", "LOWER", "TRIM", "LEN", "SUBSTITUTE",
               "ISERROR", "CHAR", "TRUE", "FALSE"}
    for formula in formulas:
        used = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', '""', formula)))
        assert used <= allowed, used - allowed
        assert len(formula) < 8192 and formula.count("(") == formula.count(")")
        assert not re.search(r"MATCH|COUNTIF|LOOKUP|_xlfn", formula)


def test_template_carries_the_check(tmp_path, plan):
    path, meta = make(tmp_path, parse_plan(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML)),
                      "es", "PROT", "GTM", rows=100)
    assert (meta["col.check"], meta["check_cell"]) == (CHECK_COLUMN, BANNER_CELL) == ("M", "E1")
    assert int(meta["last_row"]) - int(meta["first_row"]) + 1 == 102  # 2 pre-filled + 100 open
    wb = openpyxl.load_workbook(path)
    ws = wb[meta["matrix_sheet"]]
    assert ws["M5"].value == "Revisión" and ws["M5"].protection.locked
    for r in (6, 60, 107):
        assert ws[f"M{r}"].value == "=_CK_check"
        assert ws[f"M{r}"].protection.locked
    assert ws["M108"].value is None
    assert ws["E1"].value.startswith('=IF(SUMPRODUCT(($M$6:$M$107<>"")*($M$6:$M$107<>"OK"))>0,')
    assert wb[meta["instructions_sheet"]]["A2"].value == f"='{meta['matrix_sheet']}'!$E$1"
    names = {n: next(iter(d.destinations), None) for n, d in wb.defined_names.items()}
    assert wb.defined_names["_CK_check"].attr_text.startswith(
        "IF(SUMPRODUCT(--ISERROR('Matriz de seguimiento'!$B1:$L1)),")  # rows relative, as from row 1
    for name in ("_CK_pillar", "_CK_pillar_index", "_CK_status", "_CK_theme", "_CK_theme_index",
                 "_CK_theme_any", "_CK_space"):
        assert names[name][0] == "_lists", name
    assert wb.defined_names["_CK_fault_theme"].attr_text.startswith(
        "IF(ISERROR('Matriz de seguimiento'!$C1),TRUE(),OR(AND('Matriz de seguimiento'!$M1<>\"\",")
    ranges = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    assert ranges["C6:C107"] == ["_CK_fault_theme", "LEN(C6)>32767"]
    assert ranges["M6:M107"] == ['$M6="OK"', 'AND($M6<>"",$M6<>"OK")']
    # before any recalculation (a viewer that never calculates) the cached values are right
    cached = openpyxl.load_workbook(path, data_only=True)[meta["matrix_sheet"]]
    assert [cached[f"M{r}"].value for r in (6, 7, 8)] == ["Falta: Estado", "Falta: Estado", None]
    assert cached["E1"].value == "2 filas requieren atención (vea la columna M)"


def test_a_check_column_pasted_over_is_not_trusted(tmp_path, plan):
    """validate judges the cells: text or formulas in the check column change nothing."""
    path, meta = make(tmp_path, plan, "en", "LABR", "USA", rows=10)
    wb = openpyxl.load_workbook(path)
    ws = wb[meta["matrix_sheet"]]
    good = {"pillar": "P1", "theme": "T8", "activity": "Fine", "status": "Y1"}  # Y1: no status
    for f, v in good.items():
        ws[f"{COLUMNS[f]}6"] = v
    ws["M6"], ws["M7"], ws["M8"] = "OK", "OK", "=1/0"  # pasted over, on a row and on empty rows
    ws["E1"] = "Ready to send"
    wb.save(path)
    ret = read_return(path, path.name, plan)
    assert [r.number for r in ret.rows] == [6]
    assert [(f.code, f.column) for f in ret.rows[0].findings] == [("value-not-in-list", "status")]
    assert not [f for f in ret.all_findings() if f.cell.startswith("M") or f.code == "column-outside-range"]


def test_specials_skip_the_check_column_and_find_the_rest(tmp_path):
    from rcm_workbooks.intake.reader import ReadLimits, open_return

    path = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "M"
    ws["B2"], ws["C2"], ws["M2"], ws["M3"], ws["M10"] = "=1+1", "text", "=_CK_check", "=_CK_check", "=2"
    wb.save(path)
    raw = open_return(path, ReadLimits())
    assert raw.specials("M") == {"B2": ("formula", "=1+1"), "M2": ("formula", "=_CK_check"),
                                 "M3": ("formula", "=_CK_check"), "M10": ("formula", "=2")}
    assert raw.specials("M", "M") == {"B2": ("formula", "=1+1")}


# --- LibreOffice: the formulas themselves -----------------------------------------------------


def en_cases(plan) -> dict[int, tuple[dict, str, set]]:
    """Rows typed into an English PROT template with 2 pre-filled rows: values, check, codes."""
    P = {p.code: p for p in plan.pillars}
    st = {c.code: c.label for c in plan.statuses}
    valid = {"pillar": P["P1"].label.en, "theme": P["P1"].theme("T8").label.en, "activity": "Workshop",
             "status": st["COMPLETED"].en}
    miss = "Missing: "
    out = "Value outside the list: "
    return {
        6: ({"status": st["IN_PROCESS"].en}, "OK", set()),
        7: ({"progress": "Drafting"}, "Missing: Status", {"prefilled-empty"}),
        8: ({**valid, "responsible": plan.responsible_parties[0].label.en, "deadline": plan.deadlines[0].label.en}, "OK", set()),
        9: ({"pillar": P["P2"].label.es, "theme": P["P2"].theme("T6").label.es, "activity": "Taller",
             "status": st["NOT_ACHIEVED"].es, "deadline": plan.deadlines[1].label.es}, "OK", set()),
        10: ({"pillar": "P2", "theme": "T6", "activity": "Codes", "status": "COMPLETED", "deadline": "Y2",
              "responsible": "ES"}, "OK", set()),
        11: ({"pillar": "p1", "theme": "p1/t8", "activity": "Case", "status": "completed",
              "responsible": plan.responsible_parties[1].label.en.upper()}, "OK", set()),
        12: ({**valid, "pillar": " Migration  governance ", "status": "  Completed  "}, "OK", set()),
        13: ({**valid, "pillar": ""}, miss + "Programmatic pillar", {"required-missing"}),
        14: ({**valid, "theme": ""}, miss + "Theme", {"required-missing"}),
        15: ({**valid, "activity": ""}, miss + "Description of the activity", {"required-missing"}),
        16: ({**valid, "status": ""}, miss + "Status", {"required-missing"}),
        17: ({**valid, "theme": "", "status": ""}, miss + "Theme, Status", {"required-missing"}),
        18: ({"risks": "Rain"}, miss + "Programmatic pillar, Theme, Description of the activity, Status",
             {"required-missing"}),
        19: ({**valid, "pillar": "Governance"}, out + "Programmatic pillar", {"value-not-in-list"}),
        20: ({**valid, "status": "Done"}, out + "Status", {"value-not-in-list"}),
        21: ({**valid, "responsible": "Ministry of Foreign Affairs", "deadline": "2024"},
             out + "Responsible party, Deadline", {"value-not-in-list"}),
        22: ({**valid, "theme": P["P2"].theme("T6").label.en}, "The theme does not belong to the pillar",
             {"theme-other-pillar"}),
        23: ({**valid, "pillar": P["P3"].label.en, "theme": P["P1"].theme("T9").label.en},
             "The theme does not belong to the pillar", {"theme-other-pillar"}),
        24: ({**valid, "theme": "Border crossings"}, out + "Theme", {"value-not-in-list"}),
        25: ({**valid, "theme": "T15"}, out + "Theme", {"value-not-in-list"}),
        26: ({**valid, "activity": "\n\t"}, miss + "Description of the activity", {"required-missing"}),
        27: ({**valid, "activity": "\u2003\u00a0"}, miss + "Description of the activity", {"required-missing"}),
        28: ({"risks": "   ", "progress": "\n"}, "", set()),
        29: ({**valid, "risks": ("=1/0", "formula")}, "A cell shows an error value",
             {"cell-error-value"}),
        # LibreOffice holds the text while the person types, then cuts it to 32,767 characters
        # when it saves as .xlsx: the check warned in time, the saved file is within the limit.
        30: ({**valid, "progress": "x" * 33_000}, "Text longer than a cell holds (32,767 characters)", set()),
        31: ({**valid, "activity": (2025, "number")}, "OK", set()),
        32: ({**valid, "activity": "", "status": "Done", "theme": P["P3"].theme("T2").label.es},
             "Missing: Description of the activity; Value outside the list: Status; "
             "The theme does not belong to the pillar", {"required-missing", "value-not-in-list", "theme-other-pillar"}),
        33: ({**valid, "pillar": "Governance", "theme": P["P2"].theme("T1").label.en},
             out + "Programmatic pillar", {"value-not-in-list"}),
        # stricter than validate, on spellings it forgives: an accent, a no-break space
        34: ({**valid, "status": "Complétéd"}, out + "Status", set()),
        35: ({"risks": "\u00a0"}, miss + "Programmatic pillar, Theme, Description of the activity, Status", set()),
    }


def _edits(sheet: str, rows: dict[int, dict]) -> list[dict]:
    edits = []
    for r, values in rows.items():
        for f, v in values.items():
            value, kind = v if isinstance(v, tuple) else (v, "string")
            if value != "":
                edits.append({"sheet": sheet, "cell": f"{COLUMNS[f]}{r}", "value": value, "kind": kind})
    return edits


PROBES = {f: col_letter(25 + i) for i, f in enumerate(INPUT_FIELDS)}  # Z, AA, ...


def _fill(template: Path, meta: dict, rows: dict[int, dict], out: Path) -> Path:
    """Type the rows, plus on the Instructions sheet, far right, a probe per row and field that
    shows what the conditional formats of the matrix see: =_CK_fault_<field>, row for row."""
    probes = [{"sheet": meta["instructions_sheet"], "cell": f"{PROBES[f]}{r}", "value": f"={sc.FAULT}{f}",
               "kind": "formula"} for r in rows for f in INPUT_FIELDS]
    # No recalculation asked for: what is saved is what LibreOffice showed as each cell was typed.
    return lo.fill(template, _edits(meta["matrix_sheet"], rows) + probes, [out], timeout=240,
                   calculate=False, allow_locked=True)[0]


def as_libreoffice_sees(values: dict) -> dict:
    # In a cell with a line break LibreOffice hands formulas a tab as U+0001 (the file keeps the tab).
    return {f: v.replace("\t", "\x01") if "\n" in v else v for f, v in values.items()}


@pytest.fixture(scope="module")
def filled(office, plan, tmp_path_factory):
    """Five templates typed into by LibreOffice: English cases, Spanish one fault, ready, empty,
    and 100 random Spanish rows."""
    tmp = tmp_path_factory.mktemp("selfcheck")
    pplan = parse_plan(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML))
    rng = random.Random(2025)
    random_rows = {r: random_row(rng, plan) for r in range(6, 106)}
    st = plan.statuses[0]
    jobs = {
        "cases": (pplan, "en", "PROT", "USA", {r: v for r, (v, _, _) in en_cases(pplan).items()}),
        "one": (plan, "es", "LABR", "GTM", {
            6: {"pillar": plan.pillars[1].label.es, "theme": plan.pillars[1].themes[0].label.es,
                "activity": "Feria de empleo", "status": st.label.es},
            7: {"pillar": plan.pillars[0].label.en, "theme": plan.pillars[0].themes[7].label.en,
                "activity": "Retorno digno", "status": st.label.en},
            8: {"pillar": plan.pillars[0].label.es, "theme": plan.pillars[0].themes[7].label.es,
                "activity": "Sin estado"},
            9: {"risks": "   "}}),
        "ready": (plan, "en", "BORD", "MEX", {
            6: {"pillar": "P3", "theme": "P3/T4", "activity": "Mixed flows", "status": "In process of being implemented"}}),
        "empty": (plan, "es", "IRMM", "HND", {}),
        "random": (plan, "es", "IRMM", "CRI", {r: v for r, (v, _) in random_rows.items()}),
    }

    def run(name):
        p, lang, group, country, rows = jobs[name]
        template, meta = make(tmp, p, lang, group, country)
        out = _fill(template, meta, rows, tmp / f"filled-{name}.xlsx")
        return name, (out, meta, p, rows)

    with ThreadPoolExecutor(2) as pool:
        result = dict(pool.map(run, jobs))
    result["random_tags"] = {r: tags for r, (_, tags) in random_rows.items()}
    return result


def test_each_mistake_shows_in_its_check_cell_as_validate_sees_it(filled):
    path, meta, plan, _ = filled["cases"]
    shown, rows = read_back(path, meta), verdicts(path, plan)
    sp = sc.spellings(plan)
    for r, (values, expected, expected_codes) in en_cases(plan).items():
        seen_values, check = shown["rows"][r]
        assert check == expected, (r, values)
        assert codes(rows.get(r)) == expected_codes, (r, [f.code for f in rows[r].findings] if r in rows else None)
        if r == 30:
            assert len(seen_values["progress"]) == 32_767
            continue
        if r != 29:  # an error value reads back as its text
            assert check == sc.evaluate(as_libreoffice_sees(seen_values), sp, "en"), r
            assert shown["marked"][r] == sc.faults(as_libreoffice_sees(seen_values), sp)[0], r
        else:
            assert shown["marked"][r] == {"risks"}
        assert disagreement(check, rows.get(r), "en", forgiven=r in (34, 35)) is None, r
    for r in range(36, 108):  # untouched rows stay empty
        assert shown["rows"][r][1] == "" and r not in rows
    marked = shown["marked"]
    assert (marked[7], marked[13], marked[21], marked[22], marked[32], marked[33]) == (
        {"status"}, {"pillar"}, {"responsible", "deadline"}, {"theme"}, {"activity", "status", "theme"},
        {"pillar"})
    assert not marked[8] and not marked[28]
    assert sum(1 for _, (_, c, _) in en_cases(plan).items() if c not in ("", "OK")) == 22
    assert shown["banner"] == shown["instructions"] == "22 rows need attention (see column M)"


def test_random_rows_agree_with_the_rules_and_validate(filled):
    path, meta, plan, typed = filled["random"]
    shown, rows = read_back(path, meta), verdicts(path, plan)
    sp = sc.spellings(plan)
    checks = []
    for r in typed:
        values, check = shown["rows"][r]
        checks.append(check)
        assert check == sc.evaluate(as_libreoffice_sees(values), sp, "es"), (r, typed[r], values)
        assert shown["marked"][r] == sc.faults(as_libreoffice_sees(values), sp)[0], (r, values)
        assert disagreement(check, rows.get(r), "es", FORGIVEN in filled["random_tags"][r]) is None, (r, values)
    assert {"", "OK"} < set(checks) and len(set(checks)) > 8
    assert shown["banner"] == sc.banner(checks, "es", "M") == shown["instructions"]


def test_banner_words_in_both_languages(filled):
    path, meta, plan, _ = filled["one"]
    shown, rows = read_back(path, meta), verdicts(path, plan)
    assert [shown["rows"][r][1] for r in (6, 7, 8, 9)] == ["OK", "OK", "Falta: Estado", ""]
    assert codes(rows[8]) == {"required-missing"} and sorted(rows) == [6, 7, 8]
    assert shown["banner"] == shown["instructions"] == "1 fila requiere atención (vea la columna M)"
    path, meta, *_ = filled["ready"]
    shown = read_back(path, meta)
    assert shown["rows"][6][1] == "OK" and shown["banner"] == shown["instructions"] == "Ready to send"
    path, meta, *_ = filled["empty"]
    shown = read_back(path, meta)
    assert {c for _, c in shown["rows"].values()} == {""}
    assert shown["banner"] == shown["instructions"] == "Aún no hay actividades"
    assert UI["es"]["matrix_sheet"] == meta["matrix_sheet"]
