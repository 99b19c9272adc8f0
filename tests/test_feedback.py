"""Feedback copies: the focal point's own workbook back, cells at fault marked, still a valid return."""
from __future__ import annotations

import datetime as dt
import hashlib
import time
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from rcm_workbooks.core.findings import Severity
from rcm_workbooks.intake.actions import corrections
from rcm_workbooks.intake.consolidate import PeriodResult, frames, read_all, scan
from rcm_workbooks.intake.validate import read_return
from rcm_workbooks.outputs import annotate, feedback
from rcm_workbooks.outputs.annotate import AUTHOR, FILL, SHEET_NAME, FeedbackSkipped, feedback_bytes
from rcm_workbooks.outputs.feedback import start_feedback
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace
from tests.support.workbooks import rewrite, set_modified

PERIOD = "2025-H1"
DUE = dt.date(2099, 12, 31)  # never late: lateness must not blur the comparisons (MEX alone is late)
PAST_DUE = dt.date(2025, 1, 31)
RED, AMBER = FILL[Severity.ERROR], FILL[Severity.WARNING]


# --- building an inbox -------------------------------------------------------------------------


def fill(src: Path, dst: Path, rows: dict[int, dict[str, object]]) -> Path:
    """Type values (by field name) into input rows (0 = first input row) of a template."""
    wb = openpyxl.load_workbook(src)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}
    ws = wb[meta["matrix_sheet"]]
    first = int(meta["first_row"])
    for k, values in rows.items():
        for field, value in values.items():
            cell = ws[f"{meta['col.' + field]}{first + k}"]
            if isinstance(value, str) and value.startswith("'="):  # text that looks like a formula
                cell.value, cell.data_type = value[1:], "s"
            else:
                cell.value = value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def set_saved(path: Path, when: str = "2025-05-01T10:00:00Z") -> Path:
    """Give the workbook a saved time in the past, as a focal point's Excel would have."""
    path.write_bytes(set_modified(path.read_bytes(), when))
    return path


def as_xlsm(path: Path, dst: Path) -> Path:
    """The same workbook as a macro-enabled package (a dummy vbaProject.bin)."""
    def macro_enabled(types: bytes) -> bytes:
        return types.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                             b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")

    dst.write_bytes(rewrite(path.read_bytes(), {"[Content_Types].xml": macro_enabled},
                            add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0not really vba"}))
    return dst


GOOD_EN = {"pillar": "Migration governance", "theme": "Return", "activity": "Training of border officials",
           "status": "Completed", "responsible": "Focal Points", "deadline": "1st year"}
GOOD_ES = {"pillar": "Gobernanza migratoria", "theme": "Retorno", "activity": "Capacitación de funcionarios",
           "status": "Cumplido"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("fb")
    ws = init_workspace(root / "ws")
    plan = ws.load_plan()
    made = generate(ws, plan, PERIOD, groups=["PROT", "IRMM"], countries=["GTM", "USA", "CAN"], due=DUE)
    made += generate(ws, plan, PERIOD, groups=["PROT", "IRMM"], countries=["MEX"], due=PAST_DUE)
    tpl = {(g.country, g.working_group): g.path for g in made}
    inbox = ws.inbox
    files = {
        # Spanish: errors (status "Done", theme of another pillar, activity missing), a warning
        # (a formula), an info (a number in a text column), two findings on one cell.
        "gtm": fill(tpl["GTM", "PROT"], inbox / "Guatemala" / "matriz GTM.xlsx", {
            0: {**GOOD_ES, "status": "Done"},
            1: {**GOOD_ES, "theme": "Remesas"},
            2: {**GOOD_ES, "activity": None},
            3: {**GOOD_ES, "progress": '=CONCATENATE("a","b")', "indicators": 42},
            4: {**GOOD_ES, "status": '="Done"'},
            5: {**GOOD_ES, "status": "'=Hecho"},
        }),
        # English, warnings only: a formula in a text column (and an info: a number).
        "can": fill(tpl["CAN", "PROT"], inbox / "canada.xlsx", {
            0: {**GOOD_EN, "next_steps": "=1+1", "indicators": 7},
        }),
        # Clean apart from an info finding: no copy.
        "usa": fill(tpl["USA", "PROT"], inbox / "usa.xlsx", {0: {**GOOD_EN, "indicators": 12}}),
        # Not a template at all: rejected, unidentified: no copy (it is not the focal point's workbook).
        "stray": inbox / "notes.xlsx",
        # Rejected for what the focal point can fix: text far below the matrix.
        "far": fill(tpl["CAN", "IRMM"], inbox / "canada irmm.xlsx", {0: GOOD_EN, 3000: {"activity": "old notes"}}),
        # Late and nothing else: no copy. Late with a mistake: a copy listing the mistake alone.
        "late": fill(tpl["MEX", "PROT"], inbox / "mexico prot.xlsx", {0: GOOD_ES}),
        "late_bad": fill(tpl["MEX", "IRMM"], inbox / "mexico irmm.xlsx", {0: {**GOOD_ES, "status": "Done"}}),
    }
    stray = openpyxl.Workbook()
    stray.active["A1"] = "my own notes"
    stray.save(files["stray"])
    tmp = fill(tpl["USA", "IRMM"], root / "tmp.xlsx", {0: {**GOOD_EN, "deadline": "next year"}})
    files["xlsm"] = as_xlsm(tmp, inbox / "usa irmm.xlsm")
    for key in ("gtm", "can", "usa", "xlsm", "far", "late", "late_bad"):
        set_saved(files[key])
    digests = {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in files.items()}
    returns = read_all(scan([inbox]), plan)
    matrix, rejected = frames(PERIOD, returns)
    result = PeriodResult(PERIOD, returns, matrix, rejected, [])
    out = ws.outbox / PERIOD / "feedback"
    started = time.perf_counter()
    paths = start_feedback(out, result.returns, plan).finish()
    elapsed = time.perf_counter() - started
    by_name = {r.name: r for r in returns}
    return dict(ws=ws, plan=plan, files=files, digests=digests, returns=returns, result=result, out=out,
                paths=paths, elapsed=elapsed, by_name=by_name, tpl=tpl)


def copy_of(world, key):
    rel = {"gtm": "GTM/matriz GTM.xlsx", "can": "CAN/canada.xlsx", "xlsm": "USA/usa irmm.xlsx",
           "far": "CAN/canada irmm.xlsx", "late_bad": "MEX/mexico irmm.xlsx"}[key]
    return world["out"] / rel


def ret_of(world, key):
    return world["by_name"][{"gtm": "Guatemala/matriz GTM.xlsx", "can": "canada.xlsx", "usa": "usa.xlsx",
                             "stray": "notes.xlsx", "xlsm": "usa irmm.xlsm", "far": "canada irmm.xlsx",
                             "late": "mexico prot.xlsx", "late_bad": "mexico irmm.xlsx"}[key]]


def listed(ws):
    """(sheet, row, cell, severity word) rows of a Corrections sheet, below its header row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] in ("Sheet", "Hoja")) + 1
    return [r for r in rows[start:] if any(v is not None for v in r)]


# --- which files get a copy ----------------------------------------------------------------------


def test_the_inbox_as_expected(world):
    codes = {k: Counter(f.code for f in ret_of(world, k).all_findings()) for k in ("gtm", "can", "usa", "xlsm")}
    assert codes["gtm"]["value-not-in-list"] == 2 and codes["gtm"]["theme-other-pillar"] == 1
    assert codes["gtm"]["required-missing"] == 2 and codes["gtm"]["cell-formula"] == 2
    assert codes["can"]["cell-formula"] == 1 and corrections(ret_of(world, "can"))
    assert all(f.severity is Severity.WARNING for f in corrections(ret_of(world, "can")))
    assert corrections(ret_of(world, "usa")) == [] and codes["usa"]["cell-not-text"] == 1
    assert ret_of(world, "stray").verdict == "rejected" and ret_of(world, "xlsm").kind == "xlsm"
    assert ret_of(world, "far").verdict == "rejected"
    assert [f.code for f in ret_of(world, "far").file_errors] == ["content-out-of-bounds"]
    assert [f.code for f in ret_of(world, "late").all_findings()] == ["return-late"]
    assert Counter(f.code for f in ret_of(world, "late_bad").all_findings()) == \
           Counter({"return-late": 1, "value-not-in-list": 1})


def test_one_copy_per_return_with_corrections(world):
    expected = sorted(copy_of(world, k) for k in ("gtm", "can", "xlsm", "far", "late_bad"))
    assert world["paths"] == expected
    assert sorted(p for p in world["out"].rglob("*") if p.is_file()) == expected
    assert not (world["out"] / "USA" / "usa.xlsx").exists()  # info findings only: nothing to correct
    assert not (world["out"] / "MEX" / "mexico prot.xlsx").exists()  # late, and nothing else
    assert not (world["out"] / "_unidentified").exists()  # not a return: not the focal point's workbook
    for key in ("gtm", "can", "xlsm", "far", "late_bad"):  # bounded by what came in
        size, source = copy_of(world, key).stat().st_size, world["files"][key].stat().st_size
        print(f"{key}: {source:,} bytes in, {size:,} out")
        assert size <= 3 * source, (key, source, size)
    print(f"\nfeedback: {len(expected)} copies in {world['elapsed']:.2f} s "
          f"({world['elapsed'] / len(expected):.3f} s per copy)")


def test_inbox_files_unchanged(world):
    for key, path in world["files"].items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == world["digests"][key], key


def test_no_temporary_folders_left(world):
    assert [p.name for p in world["out"].parent.iterdir() if p.name.startswith(".feedback")] == []


# --- the Corrections sheet ---------------------------------------------------------------------


@pytest.mark.parametrize("key,lang", [("gtm", "es"), ("can", "en"), ("far", "en"), ("late_bad", "es")])
def test_corrections_sheet_lists_exactly_the_findings(world, key, lang):
    wb = openpyxl.load_workbook(copy_of(world, key))
    assert wb.sheetnames[0] == SHEET_NAME[lang]
    assert wb.active.title == SHEET_NAME[lang]
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [SHEET_NAME[lang]]
    ret = ret_of(world, key)
    found = corrections(ret)
    rows = listed(wb[SHEET_NAME[lang]])
    assert Counter((r[2] or "") for r in rows) == Counter(f.cell for f in found)
    words = {"es": {"error": "Error", "warning": "Advertencia"}, "en": {"error": "Error", "warning": "Warning"}}[lang]
    assert Counter((r[2] or "", r[6]) for r in rows) == Counter((f.cell, words[f.severity.value]) for f in found)
    assert Counter(r[5] for r in rows) == Counter(f.for_focal_point(lang) for f in found)
    assert "return-late" not in {f.code for f in found} and "cell-not-text" not in {f.code for f in found}
    # file-level findings first
    file_level = sum(1 for f in found if f.row is None)
    assert all(r[1] is None for r in rows[:file_level]) and all(r[1] is not None for r in rows[file_level:])


def test_corrections_columns_in_spanish(world):
    wb = openpyxl.load_workbook(copy_of(world, "gtm"))
    rows = listed(wb["Correcciones"])
    done = next(r for r in rows if r[4] == "Done")
    assert done[3] == "Estado" and done[0] == "Matriz de seguimiento"
    assert "no es uno de los valores permitidos" in done[5] and "Elija uno de la lista" in done[5]
    typed = next(r for r in rows if r[4] == "=Hecho")  # text stays text, never a formula
    assert typed[3] == "Estado"
    theme = next(r for r in rows if r[4] == "Remesas")
    assert theme[3] == "Tema" and "no pertenece al pilar" in theme[5]
    setup = wb["Correcciones"].page_setup  # prints like the template's sheets beside it
    assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9")  # A4


def test_rejected_file_listed_first(world):
    wb = openpyxl.load_workbook(copy_of(world, "far"))
    ws = wb["Corrections"]
    rows = listed(ws)
    assert rows[0][1] is None and "far outside the matrix" in rows[0][5] and "Please delete it" in rows[0][5]
    assert ws["A3"].value.startswith("This workbook could not be accepted as a whole")
    assert ws["A2"].value == "Irregular and mass migration · Canada · first half of 2025 · due 31 December 2099"


def test_xlsm_written_as_xlsx_without_macros(world):
    path = copy_of(world, "xlsm")
    z = zipfile.ZipFile(path)
    assert "xl/vbaProject.bin" not in z.namelist()
    assert b"macroEnabled" not in z.read("[Content_Types].xml")
    wb = openpyxl.load_workbook(path)
    text = " ".join(str(v) for row in wb["Corrections"].iter_rows(max_row=4, values_only=True) for v in row if v)
    assert ".xlsx" in text and "macros" in text
    again = read_return(path, path.name, world["plan"])
    assert again.kind == "xlsx" and again.verdict == "accepted"


# --- the marked cells -----------------------------------------------------------------------


def marked(wb):
    out = {}
    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows():
            for c in row:
                if c.fill is not None and c.fill.fill_type == "solid" and c.fill.fgColor.rgb in (RED, AMBER):
                    out[(ws.title, c.coordinate)] = c.fill.fgColor.rgb
    return out


@pytest.mark.parametrize("key,lang", [("gtm", "es"), ("can", "en"), ("late_bad", "es")])
def test_highlighted_cells_are_exactly_the_finding_cells(world, key, lang):
    wb = openpyxl.load_workbook(copy_of(world, key))
    found = [f for f in corrections(ret_of(world, key)) if f.cell]
    expected = {}
    for f in found:
        color = RED if f.severity is Severity.ERROR else AMBER
        if expected.get((f.sheet, f.cell)) != RED:
            expected[(f.sheet, f.cell)] = color
    assert marked(wb) == expected
    assert marked(openpyxl.load_workbook(world["files"][key])) == {}
    for (sheet, ref) in expected:
        note = wb[sheet][ref].comment
        assert note is not None and note.author == AUTHOR
        for f in found:
            if (f.sheet, f.cell) == (sheet, ref):
                assert f.for_focal_point(lang) in note.text
    # every note is ours and on a marked cell
    notes = {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment}
    assert notes == set(expected)


def test_several_findings_on_one_cell_share_one_note(world):
    ret = ret_of(world, "gtm")
    per_cell = Counter(f.cell for f in corrections(ret) if f.cell)
    cell, n = per_cell.most_common(1)[0]
    assert n >= 2
    wb = openpyxl.load_workbook(copy_of(world, "gtm"))
    note = wb[ret.matrix_sheet][cell].comment.text
    assert note.count("Error:") + note.count("Advertencia:") == n
    assert wb[ret.matrix_sheet][cell].fill.fgColor.rgb == RED  # an error wins over a warning


def test_only_the_fill_changes(world):
    ret = ret_of(world, "gtm")
    src = openpyxl.load_workbook(world["files"]["gtm"])[ret.matrix_sheet]
    dst = openpyxl.load_workbook(copy_of(world, "gtm"))[ret.matrix_sheet]
    cells = {f.cell for f in corrections(ret) if f.cell}
    assert cells
    for ref in cells:
        a, b = src[ref], dst[ref]
        assert b.protection.locked is False and a.protection.locked is False
        assert repr((b.number_format, b.font, b.border, b.alignment, b.protection)) == \
               repr((a.number_format, a.font, a.border, a.alignment, a.protection))
        assert repr(b.fill) != repr(a.fill)
        assert a.value == b.value


# --- everything else kept ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["gtm", "can", "xlsm"])
def test_workbook_machinery_kept(world, key):
    src = openpyxl.load_workbook(world["files"][key])
    dst = openpyxl.load_workbook(copy_of(world, key))
    assert dst.sheetnames[1:] == src.sheetnames
    assert [ws.sheet_state for ws in dst.worksheets[1:]] == [ws.sheet_state for ws in src.worksheets]
    assert dst["_meta"].sheet_state == "veryHidden" and dst["_lists"].sheet_state == "veryHidden"
    assert dst.security is not None and dst.security.lockStructure
    assert {n: d.attr_text for n, d in dst.defined_names.items()} == {n: d.attr_text for n, d in src.defined_names.items()}
    for ws in src.worksheets:
        other = dst[ws.title]
        assert other.protection.sheet == ws.protection.sheet
        assert other.protection.password == ws.protection.password
        assert ws.protection.password or ws.title == "_lists"
        def rules(sheet):
            return [(str(v.sqref), v.type, v.formula1, v.showErrorMessage, v.errorStyle, v.error, v.prompt)
                    for v in sheet.data_validations.dataValidation]

        assert rules(other) == rules(ws)
        assert other.freeze_panes == ws.freeze_panes
        assert other.print_title_rows == ws.print_title_rows
        assert other.print_area == ws.print_area
        assert list(other.values) == list(ws.values)
    matrix = dst[ret_of(world, key).matrix_sheet]
    assert any("INDIRECT" in (v.formula1 or "") for v in matrix.data_validations.dataValidation)
    z = zipfile.ZipFile(copy_of(world, key))
    assert b'lockStructure="1"' in z.read("xl/workbook.xml")


def test_meta_sheet_untouched(world):
    dst = openpyxl.load_workbook(copy_of(world, "gtm"))
    original = openpyxl.load_workbook(world["files"]["gtm"])
    assert list(dst["_meta"].values) == list(original["_meta"].values)
    assert dst["_meta"].max_row == original["_meta"].max_row and dst["_meta"].max_column == 2
    assert not any(c.comment or c.fill.fill_type for row in dst["_meta"].iter_rows() for c in row)


@pytest.mark.parametrize("key", ["gtm", "can", "far", "xlsm"])
def test_copy_is_still_the_same_return(world, key):
    path = copy_of(world, key)
    before = ret_of(world, key)
    after = read_return(path, path.name, world["plan"])
    assert (after.country, after.working_group, after.period, after.verdict) == \
           (before.country, before.working_group, before.period, before.verdict)
    assert Counter(f.code for f in after.all_findings() if f.code != "file-macros") == \
           Counter(f.code for f in before.all_findings() if f.code != "file-macros")
    assert [(f.cell, f.value) for f in after.all_findings() if f.row] == \
           [(f.cell, f.value) for f in before.all_findings() if f.row]
    assert after.saved_at == before.saved_at
    assert before.saved_at == dt.datetime(2025, 5, 1, 10, 0)
    assert [(r.number, r.values, r.codes) for r in after.rows] == [(r.number, r.values, r.codes) for r in before.rows]


def test_formula_results_kept_for_readers_that_do_not_calculate(world, tmp_path):
    # openpyxl stores no formula results; Excel does. Give the inbox workbook results, as Excel
    # would have, and check the copy keeps them for the consolidator (which does not calculate).
    import re

    src = zipfile.ZipFile(world["files"]["gtm"])
    part = "xl/worksheets/sheet2.xml"
    results = {b'CONCATENATE("a","b")': b' t="str"><f>CONCATENATE("a","b")</f><v>ab</v>',
               b'"Done"': b' t="str"><f>"Done"</f><v>Done</v>'}

    hits = []

    def cached(m):  # the template's own check formulas are left as they are
        if m.group(2) not in results:
            return m.group(0)
        hits.append(m.group(2))
        return m.group(1) + results[m.group(2)] + b"</c>"

    xml = re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>', cached,
                 src.read(part))
    assert len(hits) == 2
    path = tmp_path / "cached.xlsx"
    path.write_bytes(rewrite(world["files"]["gtm"].read_bytes(), {part: lambda _: xml}))
    before = read_return(path, "cached.xlsx", world["plan"])
    formulas = sorted(f.value for f in before.all_findings() if f.code == "cell-formula")
    assert formulas == ["Done", "ab"]
    out = tmp_path / "copy.xlsx"
    out.write_bytes(annotate.feedback_bytes(before, world["plan"]))
    after = read_return(out, "copy.xlsx", world["plan"])
    assert [r.values for r in after.rows] == [r.values for r in before.rows]
    assert Counter(f.code for f in after.all_findings()) == Counter(f.code for f in before.all_findings())
    assert sorted(f.value for f in after.all_findings() if f.code == "cell-formula") == formulas
    wb = openpyxl.load_workbook(out)
    assert sum(1 for row in wb["Matriz de seguimiento"].iter_rows() for c in row
               if c.data_type == "f" and c.column_letter != "M" and c.coordinate != "E1") == 2


def test_ods_and_xls_returns_get_a_rebuilt_xlsx_copy(world, tmp_path):
    import copy

    ret = copy.copy(ret_of(world, "gtm"))
    ret.kind = "ods"  # its values come from the Return, so the .xlsx bytes behind it do not matter
    returns = [ret]
    (path,) = start_feedback(tmp_path / "feedback", returns, world["plan"]).finish()
    assert path.suffix == ".xlsx" and path.parent.name == "GTM"
    wb = openpyxl.load_workbook(path)
    first = wb.worksheets[0]
    assert ".ods" in " ".join(str(c.value) for row in first.iter_rows() for c in row if c.value)
    ws = wb[ret.matrix_sheet]
    for row in ret.rows:  # every value the focal point typed is in the rebuilt copy, where it was
        for name in ("activity", "status"):
            col = ret.meta[f"col.{name}"]
            assert (ws[f"{col}{row.number}"].value or "") == row.values[name]


def test_unidentified_ods_is_skipped(world, tmp_path):
    import copy

    ret = copy.copy(ret_of(world, "gtm"))
    ret.kind, ret.country, ret.meta = "ods", "", {}
    returns = [ret]
    assert start_feedback(tmp_path / "feedback", returns, world["plan"]).finish() == []


def test_superseded_and_ignored_get_no_copy(world, tmp_path):
    import copy

    a, b = copy.copy(ret_of(world, "gtm")), copy.copy(ret_of(world, "can"))
    a.verdict, b.verdict = "superseded", "ignored"
    returns = [a, b]
    assert start_feedback(tmp_path / "feedback", returns, world["plan"]).finish() == []


def test_a_changed_source_is_not_annotated(world, tmp_path):
    import copy

    ret = copy.copy(ret_of(world, "gtm"))
    ret.sha256 = "0" * 64
    returns = [ret, ret_of(world, "can")]
    paths = start_feedback(tmp_path / "feedback", returns, world["plan"]).finish()
    assert paths == [tmp_path / "feedback" / "CAN" / "canada.xlsx"]


def test_a_copy_whose_cells_would_hold_too_much_text_is_not_made(world, tmp_path):
    # One long shared text used by 40 cells of the Instructions sheet: the copy, written cell by
    # cell, would hold it once per cell. It is refused before openpyxl loads anything.
    import copy
    import re

    template = world["tpl"]["CAN", "PROT"].read_bytes()  # as XlsxWriter wrote it: with shared texts
    index = len(re.findall(rb"<si>", zipfile.ZipFile(world["tpl"]["CAN", "PROT"]).read("xl/sharedStrings.xml")))
    cells = "".join(f'<row r="{100 + i}"><c r="A{100 + i}" t="s"><v>{index}</v></c></row>' for i in range(40))
    data = rewrite(template, {
        "xl/sharedStrings.xml": lambda xml: xml.replace(b"</sst>", b"<si><t>" + b"ab" * 500_000 + b"</t></si></sst>"),
        "xl/worksheets/sheet1.xml": lambda xml: xml.replace(b"</sheetData>", cells.encode() + b"</sheetData>")})
    path = tmp_path / "canada.xlsx"
    path.write_bytes(data)
    ret = copy.copy(ret_of(world, "can"))
    ret.path, ret.sha256 = path, hashlib.sha256(data).hexdigest()
    assert len(data) < 100_000  # 40 MB of text once expanded
    with pytest.raises(FeedbackSkipped, match="million characters"):
        feedback_bytes(ret, world["plan"])
    assert start_feedback(tmp_path / "feedback", [ret], world["plan"]).finish() == []


# --- the folder as a unit ----------------------------------------------------------------------


def test_second_run_replaces_the_folder(world, tmp_path):
    out = tmp_path / "2025-H1" / "feedback"
    first = start_feedback(out, world["result"].returns, world["plan"]).finish()
    stale = out / "HND" / "old.xlsx"
    stale.parent.mkdir()
    stale.write_bytes(b"stale")
    (out / "GTM" / "left over.xlsx").write_bytes(b"stale")
    second = start_feedback(out, world["result"].returns, world["plan"]).finish()
    assert second == first
    assert not stale.exists() and not (out / "HND").exists() and not (out / "GTM" / "left over.xlsx").exists()
    assert sorted(p for p in out.rglob("*") if p.is_file()) == second
    assert [p.name for p in out.parent.iterdir()] == ["feedback"]


def test_a_crash_leaves_the_previous_feedback_intact(world, tmp_path, monkeypatch):
    out = tmp_path / "feedback"
    first = start_feedback(out, world["result"].returns, world["plan"]).finish()
    before = {p: p.read_bytes() for p in first}
    calls = []

    def crash(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt("power cut")
        return real(path, data)

    real = feedback._write_file
    monkeypatch.setattr(feedback, "_write_file", crash)
    with pytest.raises(KeyboardInterrupt):
        start_feedback(out, world["result"].returns, world["plan"]).finish()
    assert {p: p.read_bytes() for p in sorted(p for p in out.rglob("*") if p.is_file())} == before
    assert [p.name for p in tmp_path.iterdir()] == ["feedback"]


def test_a_crash_between_the_renames_is_recovered(world, tmp_path):
    out = tmp_path / "feedback"
    first = start_feedback(out, world["result"].returns, world["plan"]).finish()
    # as if the run crashed after renaming the old folder away and before renaming the new one in
    out.rename(tmp_path / ".feedback-old-123")
    (tmp_path / ".feedback-new-456").mkdir()
    second = start_feedback(out, world["result"].returns, world["plan"]).finish()
    assert second == first
    assert [p.name for p in tmp_path.iterdir()] == ["feedback"]


def test_a_feedback_copy_sent_back_is_annotated_afresh(world, tmp_path):
    # the focal point fixes the status "Done" and sends the feedback copy back
    ret = ret_of(world, "gtm")
    wb = openpyxl.load_workbook(copy_of(world, "gtm"))
    ws = wb[ret.matrix_sheet]
    done = next(f for f in corrections(ret) if f.value == "Done")
    ws[done.cell] = "Cumplido"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    wb.save(inbox / "matriz GTM.xlsx")
    returns = read_all(scan([inbox]), world["plan"])
    assert returns[0].verdict == "accepted"
    returns = returns
    (path,) = start_feedback(tmp_path / "feedback", returns, world["plan"]).finish()
    again = openpyxl.load_workbook(path)
    assert again.sheetnames.count("Correcciones") == 1 and again.sheetnames[0] == "Correcciones"
    cells = {(f.sheet, f.cell) for f in corrections(returns[0]) if f.cell}
    assert (ret.matrix_sheet, done.cell) not in cells
    assert set(marked(again)) == cells
    assert again[ret.matrix_sheet][done.cell].comment is None


def test_same_name_twice_in_one_country(world, tmp_path):
    import copy

    a, b = copy.copy(ret_of(world, "gtm")), copy.copy(ret_of(world, "gtm"))
    a.name, b.name = "first/Matriz.xlsx", "second/matriz.XLSX"
    returns = [a, b]
    paths = start_feedback(tmp_path / "feedback", returns, world["plan"]).finish()
    assert [p.relative_to(tmp_path / "feedback").as_posix() for p in paths] == \
           ["GTM/Matriz.xlsx", "GTM/matriz (2).XLSX"]
