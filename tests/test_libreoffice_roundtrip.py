"""Round trips through a real spreadsheet program: generate, type in LibreOffice, save, consolidate.

Focal points fill the templates in Excel or LibreOffice, not in openpyxl. These tests generate an
English (USA) and a Spanish (GTM) template, type into them with LibreOffice Calc through UNO the
way a person would (labels picked exactly as the dropdowns show them, free text with accents, ñ,
line breaks, a text starting with "=", digits in a text column), save each as .xlsx and .ods, and
consolidate the results. They also pin down what survives a LibreOffice save of our template
(see docs/compatibility.md): change a fact here and there together.

Needs LibreOffice Calc, python3-uno and poppler-utils (Debian packages; .ci/run installs them).
Without them the tests skip locally and FAIL when CI is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities

from rcm_workbooks.core.fields import FIELDS, MACHINE_COLUMNS
from rcm_workbooks.core.texts import ERROR_ALERT
from rcm_workbooks.intake import consolidate as cons
from rcm_workbooks.round import consolidate as run_round
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace
from tests.support import libreoffice as lo
from tests.support.workbooks import dropdowns

PERIOD = "2025-H1"
GROUP = "PROT"  # the group that carries 2 priority (pre-filled) rows in the test plan
MISTAKES_GROUP = "LABR"
COUNTRIES = {"USA": "en", "GTM": "es"}
COL = {f: chr(ord("A") + i) for i, f in enumerate(FIELDS)}

# What a person types into the free-text columns, per language.  Digits typed into a text column
# (formatted "@") stay text in Excel and LibreOffice alike, so they are typed as strings here.
TEXTS = {
    "en": {
        "progress_p1": "Draft protocol reviewed by 4 countries; next meeting in Tegucigalpa.",
        "next_steps_p2": "Train a second group\n(border posts of the south).",
        "activity": "Workshop in Petén — «migración segura», niñez y ñandutí\nsecond line\n\nafter a blank line",
        "indicators": "=Number of officials trained (target: 120)",
        "measured_by": "2025",
        "risks": "Rain season; budget cut of 15 % → delay; ¿sí? ¡no! € 3,000",
        "progress": "Done:\n- 2 workshops\n- 1 manual",
        "next_steps": "Share the manual with the RCM's Executive Secretariat",
        "activity_9": "Rapid-response drill with Mexico's and Guatemala's agencies",
        "activity_10": "Ñandutí fair for migrant entrepreneurs",
        "indicators_10": "0042",
    },
    "es": {
        "progress_p1": "Borrador revisado por 4 países; próxima reunión en Tegucigalpa.",
        "next_steps_p2": "Capacitar a un segundo grupo\n(puestos fronterizos del sur).",
        "activity": "Taller en Petén — «migración segura», niñez, señal y acción\nsegunda línea\n\ntras una línea vacía",
        "indicators": "=Número de funcionarios capacitados (meta: 120)",
        "measured_by": "2025",
        "risks": "Temporada de lluvias; recorte del 15 % → retraso; ¿sí? ¡no! € 3.000",
        "progress": "Hecho:\n- 2 talleres\n- 1 manual",
        "next_steps": "Compartir el manual con la Secretaría Ejecutiva de la CRM",
        "activity_9": "Simulacro de respuesta rápida con las instituciones de México y Guatemala",
        "activity_10": "Feria de ñandutí para emprendedores migrantes",
        "indicators_10": "0042",
    },
}


# --- environment ---------------------------------------------------------------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(why: str):
    if _in_ci():
        pytest.fail(why + " (CI is set, so this is a failure, not a skip)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def office():
    if not lo.available():
        _missing(f"LibreOffice not usable: soffice={lo.find_soffice()!r}, "
                 f"uno python={lo.find_uno_python()!r}")


def _pdftotext(pdf: Path) -> list[str]:
    """The text of each page of a PDF (poppler-utils)."""
    if shutil.which("pdftotext") is None:
        _missing("pdftotext not found (Debian: apt install poppler-utils)")
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         check=True, timeout=60).stdout.decode("utf-8", "replace")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


# --- the round: generate, type in LibreOffice, save as .xlsx and .ods ---------------------------


def typed_rows(lists: dict, lang: str) -> dict[int, dict[str, str]]:
    """{row: {field: what is typed}}; rows 6-7 are the pre-filled ones (only updatable columns)."""
    t = TEXTS[lang]
    pillars, statuses = lists["Pillars"], lists["Statuses"]
    return {
        6: {"status": statuses[1], "progress": t["progress_p1"]},
        7: {"status": statuses[0], "next_steps": t["next_steps_p2"], "deadline": lists["Deadlines"][2]},
        # pillar first, then a theme of that pillar (P1 T9), then the rest of the row
        8: {"pillar": pillars[0], "theme": lists["_T1"][8], "activity": t["activity"],
            "indicators": t["indicators"], "measured_by": t["measured_by"],
            "responsible": lists["Responsible"][0], "deadline": lists["Deadlines"][1],
            "status": statuses[1], "risks": t["risks"], "progress": t["progress"],
            "next_steps": t["next_steps"]},
        # P3 T15 reads almost like P1 T9: a theme is told apart by its pillar
        9: {"pillar": pillars[2], "theme": lists["_T3"][14], "activity": t["activity_9"],
            "status": statuses[2]},
        # only what is required, plus digits with a leading zero in a text column
        10: {"pillar": pillars[1], "theme": lists["_T2"][0], "activity": t["activity_10"],
             "indicators": t["indicators_10"], "status": statuses[0],
             "responsible": lists["Responsible"][-1]},
    }


EXPECTED_CODES = {
    6: {"status": "IN_PROCESS"},
    7: {"status": "COMPLETED", "deadline": "Y3"},
    8: {"pillar": "P1", "theme": "T9", "responsible": "MC", "deadline": "Y2", "status": "IN_PROCESS"},
    9: {"pillar": "P3", "theme": "T15", "status": "NOT_ACHIEVED"},
    10: {"pillar": "P2", "theme": "T1", "status": "COMPLETED", "responsible": "RNCOM"},
}


def mistakes(lists: dict, lang: str) -> dict[int, dict]:
    """What a careless focal point leaves behind (UNO, like a paste, ignores the validation)."""
    return {
        # typed instead of picked: not a label of the list
        6: {"pillar": "Gobernanza" if lang == "es" else "Governance", "theme": lists["_T1"][0],
            "activity": "Fila con un pilar escrito a mano", "status": lists["Statuses"][0]},
        # a real number (pasted) in a text column: kept, with a warning
        7: {"pillar": lists["Pillars"][1], "theme": lists["_T2"][0], "activity": "Feria de empleo",
            "measured_by": 2025, "status": lists["Statuses"][1]},
        # a formula pasted into a text column: its value is kept, with a warning
        "7f": {"indicators": ("=100+20", "formula")},
        # a theme of another pillar
        8: {"pillar": lists["Pillars"][1], "theme": lists["_T1"][1], "activity": "Capacitación",
            "status": lists["Statuses"][1]},
    }


def _edits(sheet: str, rows: dict) -> list[tuple]:
    out = []
    for row, values in rows.items():
        row = int(str(row).rstrip("f"))
        for f, value in values.items():
            value, kind = value if isinstance(value, tuple) else (value, None)
            out.append((sheet, f"{COL[f]}{row}", value, kind))
    return out


class Round:
    def __init__(self, ws, plan, made, folder: Path):
        self.ws, self.plan, self.folder = ws, plan, folder
        self.templates = {(g.country, g.working_group): g for g in made}
        self.lists: dict[str, dict] = {}
        self.typed: dict[str, dict] = {}
        self.saved: dict[tuple[str, str], Path] = {}  # (country or "mistakes", ext) -> file

    def template(self, country: str, group: str = GROUP):
        return self.templates[(country, group)]


@pytest.fixture(scope="module")
def rnd(office, tmp_path_factory) -> Round:
    folder = tmp_path_factory.mktemp("lo-round")
    ws = init_workspace(folder / "ws")
    ws.plan_path.write_text(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML), encoding="utf-8")
    plan = ws.load_plan()
    made = generate(ws, plan, PERIOD, groups=[GROUP, MISTAKES_GROUP], countries=list(COUNTRIES))
    r = Round(ws, plan, made, folder)
    jobs = {}
    for country, lang in COUNTRIES.items():
        g = r.template(country)
        assert g.language == lang
        r.lists[country] = dropdowns(g.path)
        r.typed[country] = typed_rows(r.lists[country], lang)
        out = folder / "lo" / country
        jobs[country] = (g.path, _edits(g.meta["matrix_sheet"], r.typed[country]),
                         [out / f"{country}-filled.xlsx", out / f"{country}-filled.ods"])
    g = r.template("GTM", MISTAKES_GROUP)
    out = folder / "lo" / "mistakes"
    jobs["mistakes"] = (g.path, _edits(g.meta["matrix_sheet"], mistakes(dropdowns(g.path), "es")),
                        [out / "GTM-LABR-errores.xlsx", out / "GTM-LABR-errores.ods"])
    # each call runs its own office with its own profile, so the three fills can run side by side
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        done = {key: pool.submit(lo.fill, *job) for key, job in jobs.items()}
        for key, future in done.items():
            r.saved[(key, "xlsx")], r.saved[(key, "ods")] = future.result()
    return r


def _inbox(rnd: Round, name: str, keys: list[tuple[str, str]]) -> Path:
    inbox = rnd.folder / name
    inbox.mkdir()
    for key in keys:
        shutil.copy2(rnd.saved[key], inbox / rnd.saved[key].name)
    return inbox


@pytest.fixture(scope="module", params=["xlsx", "ods"])
def consolidated(request, rnd):
    ext = request.param
    inbox = _inbox(rnd, f"inbox-{ext}", [(c, ext) for c in COUNTRIES])
    returns = cons.read_all(cons.scan([inbox]), rnd.plan, period=PERIOD)
    matrix, rejected = (t.to_pandas() for t in cons.frames(PERIOD, returns))
    return ext, returns, matrix, rejected


# --- the typed rows come out exactly -------------------------------------------------------------


def test_dropdown_labels_are_the_plans_in_the_templates_language(rnd):
    for country, lang in COUNTRIES.items():
        lists = rnd.lists[country]
        assert lists["Pillars"] == [p.label(lang) for p in rnd.plan.pillars]
        for i, p in enumerate(rnd.plan.pillars, 1):
            assert lists[f"_T{i}"] == [t.label(lang) for t in p.themes]
        assert lists["Statuses"] == [s.label(lang) for s in rnd.plan.statuses]
    # the near-twins of the plan: only the pillar tells them apart
    assert rnd.lists["USA"]["_T1"][8] != rnd.lists["USA"]["_T3"][14]


def test_libreoffice_returns_are_accepted_without_findings(consolidated):
    ext, returns, matrix, rejected = consolidated
    assert [(r.verdict, r.country, r.working_group, r.kind) for r in returns] == [
        ("accepted", "GTM", GROUP, ext), ("accepted", "USA", GROUP, ext)]
    # .ods is read with python-calamine and gets only the info note that it was converted
    expected = [] if ext == "xlsx" else ["file-converted"]
    for r in returns:
        assert [f.code for f in r.all_findings()] == expected, r.name
        assert all(row.accepted for row in r.rows)
    assert len(rejected) == 0
    assert len(matrix) == 2 * 5


def test_rows_come_out_exactly_as_typed_with_the_right_codes(consolidated, rnd):
    ext, returns, matrix, _ = consolidated
    for country, lang in COUNTRIES.items():
        template = openpyxl.load_workbook(rnd.template(country).path)[
            rnd.template(country).meta["matrix_sheet"]]
        got = {int(rec["source_row"]): rec for rec in matrix[matrix.country == country].to_dict("records")}
        assert sorted(got) == [6, 7, 8, 9, 10]
        for row, typed in rnd.typed[country].items():
            rec = got[row]
            assert rec["period"] == PERIOD and rec["working_group"] == GROUP
            assert rec["language"] == lang
            for f in FIELDS[1:]:
                if f in EXPECTED_CODES[row]:
                    assert rec[f] == EXPECTED_CODES[row][f], (country, row, f)
                elif f in typed:
                    assert rec[f] == typed[f], (country, row, f)  # byte-equal text
                    assert rec[f].encode("utf-8") == typed[f].encode("utf-8")
                elif f in ("pillar", "theme", "responsible", "deadline", "status"):
                    if row in (6, 7) and f in ("pillar", "theme"):
                        continue  # the pre-filled rows' codes are checked below
                    assert rec[f] == "", (country, row, f)
                else:
                    # untouched: what the template held (pre-filled text) or empty
                    assert rec[f] == (template[f"{COL[f]}{row}"].value or ""), (country, row, f)
        # the pre-filled rows keep their ref and their codes
        assert got[6]["ref"] == f"{country}-{GROUP}-P1" and (got[6]["pillar"], got[6]["theme"]) == ("P3", "T8")
        assert got[7]["ref"] == f"{country}-{GROUP}-P2" and (got[7]["pillar"], got[7]["theme"]) == ("P1", "T6")
        assert got[8]["indicators"].startswith("=") and "\n\n" in got[8]["activity"]
        assert got[8]["measured_by"] == "2025" and got[10]["indicators"] == "0042"


def test_the_csv_columns_hold_codes_and_texts(consolidated):
    _, _, matrix, _ = consolidated
    assert list(matrix.columns[:17]) == MACHINE_COLUMNS
    assert set(matrix.pillar) == {"P1", "P2", "P3"}
    assert all(isinstance(v, str) for col in MACHINE_COLUMNS for v in matrix[col])


@pytest.mark.parametrize("ext", [
    "xlsx",
    "ods",
])
def test_mistakes_typed_in_libreoffice_are_found(rnd, ext):
    (ret,) = cons.read_all([(rnd.saved[("mistakes", ext)], f"errores.{ext}")], rnd.plan, period=PERIOD)
    assert ret.verdict == "accepted"
    found = sorted((f.code, f.cell) for f in ret.all_findings() if f.code != "file-converted")
    assert found == [("cell-formula", "E7"), ("cell-not-text", "E7"), ("cell-not-text", "F7"),
                     ("theme-other-pillar", "C8"), ("value-not-in-list", "B6")]
    assert [row.accepted for row in ret.rows] == [False, True, False]
    assert ret.rows[1].values["indicators"] == "120"  # the value the formula showed


def test_ods_keeps_the_cell_locks(rnd, tmp_path):
    sheet = rnd.template("GTM").meta["matrix_sheet"]
    # reopened from the .ods, the input cell takes text and the ref cell is still locked
    with pytest.raises(lo.LibreOfficeError, match=rf"{sheet}!A12 is locked on a protected sheet"):
        lo.fill(rnd.saved[("GTM", "ods")], [(sheet, "D12", "ok"), (sheet, "A12", "no")],
                [tmp_path / "again.ods"])


# --- what survives LibreOffice's save of our template -------------------------------------------


def _validations(ws) -> dict[str, tuple]:
    out = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        i = ord(col) - ord("A")
        field = FIELDS[i] if i < len(FIELDS) else "check"  # the workbook's own check column
        out[field] = (dv.type, dv.formula1, str(dv.sqref), dv.errorStyle, bool(dv.showErrorMessage),
                      dv.error, dv.promptTitle)
    return out


@pytest.mark.parametrize("country", list(COUNTRIES))
def test_xlsx_save_keeps_validations_names_and_protection(rnd, country):
    g = rnd.template(country)
    lang, sheet = g.language, g.meta["matrix_sheet"]
    before = openpyxl.load_workbook(g.path)
    after = openpyxl.load_workbook(rnd.saved[(country, "xlsx")])
    first, last = g.meta["first_row"], g.meta["last_row"]
    dv_after = _validations(after[sheet])
    formulas = {"pillar": "Pillars", "theme": 'INDIRECT("_T"&MATCH($B6,Pillars,0))',
                "responsible": "Responsible", "deadline": "Deadlines", "status": "Statuses"}
    for field, formula in formulas.items():
        kind, formula1, sqref, style, shows, message, _ = dv_after[field]
        assert (kind, formula1) == ("list", formula), field
        assert sqref == f"{COL[field]}{first}:{COL[field]}{last}"
        assert (style, shows, message) == ("stop", True, ERROR_ALERT[lang][1])
    # every column keeps its input message (free-text columns: an "any" rule carries it)
    assert set(dv_after) == set(FIELDS) | {"check"}
    assert {f: v[-1] for f, v in dv_after.items()} == {f: v[-1] for f, v in _validations(before[sheet]).items()}
    # the defined names behind the lists, unchanged
    names = lambda wb: {n: d.attr_text.replace("'", "") for n, d in wb.defined_names.items()}  # noqa: E731
    assert names(after) == names(before)
    # sheet protection with its (legacy 16-bit) password hash, and the lock flag of every cell kind
    for name in (sheet, g.meta["instructions_sheet"], "_meta"):
        assert after[name].protection.sheet is True, name
        assert after[name].protection.password.upper() == before[name].protection.password.upper()
    assert after["_lists"].protection.sheet is before["_lists"].protection.sheet is False
    m = after[sheet]
    assert m["A1"].protection.locked and m[f"B{g.meta['header_row']}"].protection.locked
    assert m["A8"].protection.locked  # the ref column
    assert m["B6"].protection.locked and m["E7"].protection.locked  # pre-filled, fixed columns
    assert not m["I6"].protection.locked  # pre-filled, updatable column
    assert all(not m[f"{COL[f]}{last}"].protection.locked for f in FIELDS[1:])
    assert m[f"D{last}"].number_format == "@"  # so digits typed there stay text
    # printing: landscape, fit to width, header row repeated, print area
    assert m.page_setup.orientation == "landscape" and m.sheet_properties.pageSetUpPr.fitToPage
    assert m.print_title_rows == f"${g.meta['header_row']}:${g.meta['header_row']}"
    # the workbook's own check: its formulas and the conditional formats that mark the cells
    check = g.meta["col.check"]
    assert m[f"{check}{last}"].value == "=_CK_check"
    marked = {str(cf.sqref) for cf in m.conditional_formatting}
    assert {f"{COL[f]}{first}:{COL[f]}{last}" for f in FIELDS[1:]} | {f"{check}{first}:{check}{last}"} <= marked


@pytest.mark.parametrize("country", list(COUNTRIES))
def test_xlsx_save_loses_very_hidden_the_structure_lock_and_frozen_panes(rnd, country):
    g = rnd.template(country)
    before = openpyxl.load_workbook(g.path)
    after = openpyxl.load_workbook(rnd.saved[(country, "xlsx")])
    states = lambda wb: {ws.title: ws.sheet_state for ws in wb.worksheets}  # noqa: E731
    assert states(before) == {g.meta["instructions_sheet"]: "visible", g.meta["matrix_sheet"]: "visible",
                              "_lists": "veryHidden", "_meta": "veryHidden"}
    # LibreOffice has no "very hidden": both come back as plain hidden (a person could unhide them)
    assert states(after) == {g.meta["instructions_sheet"]: "visible", g.meta["matrix_sheet"]: "visible",
                             "_lists": "hidden", "_meta": "hidden"}
    assert before.security.lockStructure is True
    # LibreOffice 7.4 does not even import the structure lock; it writes an empty <workbookProtection/>
    assert not (after.security and after.security.lockStructure)
    with zipfile.ZipFile(rnd.saved[(country, "xlsx")]) as z:
        assert re.search(rb"<workbookProtection\s*/>", z.read("xl/workbook.xml"))
    # frozen header rows are a view setting; a headless save has no view and drops them
    assert before[g.meta["matrix_sheet"]].freeze_panes == "B6"
    assert after[g.meta["matrix_sheet"]].freeze_panes is None
    # the _meta sheet is unchanged, whatever its visibility
    meta = {r[0]: ("" if r[1] is None else str(r[1]))
            for r in after["_meta"].iter_rows(min_col=1, max_col=2, values_only=True)}
    assert meta == g.meta


@pytest.mark.parametrize("country", list(COUNTRIES))
def test_ods_save_keeps_validations_and_protection_but_no_structure_lock(rnd, country):
    g = rnd.template(country)
    with zipfile.ZipFile(rnd.saved[(country, "ods")]) as z:
        content = z.read("content.xml").decode("utf-8")
    conditions = re.findall(r'table:condition="of:cell-content-is-in-list\(([^"]*)\)"', content)
    assert sorted(c.replace("&quot;", '"').replace("&amp;", "&") for c in conditions) == sorted([
        "Pillars", 'INDIRECT("_T"&MATCH([.$B6];Pillars;0))', "Responsible", "Deadlines", "Statuses"])
    tables = dict(re.findall(r'<table:table table:name="([^"]+)"([^>]*)>', content))
    protected = {name for name, attrs in tables.items() if 'table:protected="true"' in attrs}
    assert protected == {g.meta["instructions_sheet"], g.meta["matrix_sheet"], "_meta"}
    styles = dict(re.findall(r'<table:table table:name="([^"]+)" table:style-name="([^"]+)"', content))
    hidden = {name for name, style in styles.items()
              if re.search(rf'style:name="{style}"[^>]*>\s*<style:table-properties table:display="false"',
                           content)}
    assert hidden == {"_lists", "_meta"}
    assert re.search(r"<office:spreadsheet>", content)  # no table:structure-protected="true"


# --- consolidated workbook and feedback copies in LibreOffice -----------------------------------


@pytest.fixture(scope="module")
def full_round(rnd):
    """`consolidate` on the workspace: USA's .xlsx, GTM's .ods, and GTM's return with mistakes."""
    for key in (("USA", "xlsx"), ("GTM", "ods"), ("mistakes", "xlsx")):
        shutil.copy2(rnd.saved[key], rnd.ws.inbox / rnd.saved[key].name)
    result = run_round(rnd.ws, rnd.plan, period=PERIOD)
    return result


def test_consolidate_accepts_the_libreoffice_returns(full_round):
    s = full_round.summary()
    assert (s["files_seen"], s["files_accepted"], s["files_rejected"]) == (3, 3, 0)
    assert (s["rows_accepted"], s["rows_rejected"]) == (2 * 5 + 1, 2)
    verdicts = {f["path"]: (f["verdict"], f["rows_accepted"]) for f in s["files"]}
    assert verdicts == {"USA-filled.xlsx": ("accepted", 5), "GTM-filled.ods": ("accepted", 5),
                        "GTM-LABR-errores.xlsx": ("accepted", 1)}


def test_consolidated_workbook_converts_to_pdf_with_its_charts(full_round, tmp_path):
    (book,) = [p for p in full_round.outputs if p.name == f"consolidated_{PERIOD}.xlsx"]
    pdf = lo.convert(book, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = _pdftotext(pdf)
    text = "\n".join(pages)
    # LibreOffice draws the charts with their titles as text; on the Summary sheet's default
    # page setup a chart may straddle two pages, so only the start of each title is looked for.
    for title in ("Status of the activities by", "Completion rate by"):
        assert title in text, f"chart {title!r} not rendered"
    summary = [i for i, p in enumerate(pages) if "Status of the activities, first half of 2025" in p]
    charts = [i for i, p in enumerate(pages) if "Status of the activities by" in p]
    assert summary and charts and charts[0] >= summary[0]
    # the typed texts reach the PDF too (the Matrix sheet)
    assert "Ñandutí fair for migrant entrepreneurs" in text


def test_feedback_copy_converts_to_pdf_and_is_still_a_valid_return(full_round, rnd, tmp_path):
    copies = [p for p in full_round.outputs if "feedback" in p.parts]
    assert [(p.parent.name, p.name) for p in copies] == [("GTM", "GTM-LABR-errores.xlsx")]
    pdf = lo.convert(copies[0], "pdf", tmp_path)
    text = "\n".join(_pdftotext(pdf))
    assert "Correcciones" in text or "Corrections" in text
    # the annotated copy of a LibreOffice-saved return reads back with the same findings
    (ret,) = cons.read_all([(copies[0], copies[0].name)], rnd.plan, period=PERIOD)
    assert ret.verdict == "accepted"
    assert sorted(f.code for f in ret.all_findings()) == [
        "cell-formula", "cell-not-text", "cell-not-text", "theme-other-pillar", "value-not-in-list"]


def test_ods_return_gets_an_xlsx_feedback_copy(rnd, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(rnd.saved[("mistakes", "ods")], inbox)
    result = run_round(rnd.ws, rnd.plan, period=PERIOD, inbox=inbox, out=tmp_path / "out")
    copies = [p for p in result.outputs if "feedback" in p.parts]
    assert [(p.parent.name, p.suffix) for p in copies] == [("GTM", ".xlsx")]
    wb = openpyxl.load_workbook(copies[0])
    text = " ".join(str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value)
    assert ".ods" in text
