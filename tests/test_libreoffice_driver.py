"""The LibreOffice driver: type into a protected template as a person would, save, read back.

Needs LibreOffice and a Python that can `import uno` (Debian: libreoffice-calc, python3-uno).
Without them the tests skip locally and FAIL when CI is set, so a CI image that lost LibreOffice
cannot go unnoticed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from tests.support import libreoffice as lo

PASSWORD = "not-known-to-the-driver"

# (cell, value typed, kind) -> what must be read back
EDITS = [
    ("B2", "Café à la crème — ñandú «x»", None),
    ("B3", 1234.5, None),
    ("B4", "a\nb", None),
    ("B5", "Partly", None),            # the cell with the list validation
    ("B6", "=not a formula", None),    # typed as text: must stay text
    ("B7", "=B3*2", "formula"),
    ("B8", "ñ", "string"),
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def office():
    if not lo.available():
        why = (f"LibreOffice not usable: soffice={lo.find_soffice()!r}, "
               f"uno python={lo.find_uno_python()!r}")
        if _in_ci():
            pytest.fail(why + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(why)


def _build_template(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    matrix = wb.add_worksheet("Matrix")
    lists = wb.add_worksheet("Lists")
    meta = wb.add_worksheet("_meta")
    unlocked = wb.add_format({"locked": False})
    matrix.write("A1", "Question")
    for row in range(2, 9):
        matrix.write(f"A{row}", f"Label {row}")
        matrix.write_blank(f"B{row}", None, unlocked)
    lists.write_column("A1", ["Yes", "No", "Partly"])
    wb.define_name("StatusList", "=Lists!$A$1:$A$3")
    matrix.data_validation("B5", {"validate": "list", "source": "=StatusList"})
    lists.hide()
    meta.write_row("A1", ["key", "value"])
    meta.write_row("A2", ["schema", "1"])
    meta.write_row("A3", ["group", "Migración laboral"])
    meta.very_hidden()
    matrix.protect(PASSWORD)
    wb.close()


@pytest.fixture(scope="module")
def filled(office, tmp_path_factory):
    d = tmp_path_factory.mktemp("lo")
    src = d / "template.xlsx"
    _build_template(src)
    edits = [("Matrix", cell, value, kind) for cell, value, kind in EDITS]
    xlsx, ods = lo.fill(src, edits, [d / "out" / "filled.xlsx", d / "out" / "filled.ods"])
    return src, xlsx, ods


def test_fill_writes_both_outputs(filled):
    _, xlsx, ods = filled
    assert xlsx.suffix == ".xlsx" and xlsx.stat().st_size > 0
    assert ods.suffix == ".ods" and ods.stat().st_size > 0


def test_values_exact_in_xlsx_with_openpyxl(filled):
    _, xlsx, _ = filled
    ws = openpyxl.load_workbook(xlsx)["Matrix"]
    got = {cell: ws[cell].value for cell, _, _ in EDITS}
    assert got == {"B2": "Café à la crème — ñandú «x»", "B3": 1234.5, "B4": "a\nb",
                   "B5": "Partly", "B6": "=not a formula", "B7": "=B3*2", "B8": "ñ"}
    assert ws["B6"].data_type == "s"  # text, not a formula
    assert ws["B7"].data_type == "f"


@pytest.mark.parametrize("which", ["xlsx", "ods"])
def test_values_exact_with_calamine(filled, which):
    path = filled[1] if which == "xlsx" else filled[2]
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Matrix").to_python()
    col_b = {f"B{i + 1}": row[1] for i, row in enumerate(rows) if len(row) > 1}
    assert col_b["B2"] == "Café à la crème — ñandú «x»"
    assert col_b["B3"] == 1234.5
    assert col_b["B4"] == "a\nb"
    assert col_b["B5"] == "Partly"
    assert col_b["B6"] == "=not a formula"
    assert col_b["B7"] == 2469.0  # the cached result LibreOffice computed and saved
    assert col_b["B8"] == "ñ"


@pytest.mark.parametrize("which", ["xlsx", "ods"])
def test_meta_sheet_still_readable_and_hidden(filled, which):
    path = filled[1] if which == "xlsx" else filled[2]
    wb = CalamineWorkbook.from_path(str(path))
    visibility = {s.name: str(s.visible) for s in wb.sheets_metadata}
    # LibreOffice has no "very hidden": it saves _meta as plain hidden (user can unhide it).
    assert visibility["_meta"].endswith(("Hidden", "VeryHidden"))
    assert visibility["Lists"].endswith("Hidden")
    assert wb.get_sheet_by_name("_meta").to_python() == [
        ["key", "value"], ["schema", "1"], ["group", "Migración laboral"]]


def test_meta_state_after_libreoffice_save(filled):
    _, xlsx, _ = filled
    states = {ws.title: ws.sheet_state for ws in openpyxl.load_workbook(xlsx).worksheets}
    assert states["Matrix"] == "visible"
    assert states["Lists"] == "hidden"
    assert states["_meta"] in ("hidden", "veryHidden")  # LibreOffice 7.4: "hidden"


def test_data_validation_and_defined_name_survive_in_xlsx(filled):
    _, xlsx, _ = filled
    wb = openpyxl.load_workbook(xlsx)
    dvs = wb["Matrix"].data_validations.dataValidation
    lists = [dv for dv in dvs if dv.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == "StatusList"
    assert "B5" in str(lists[0].sqref)
    assert wb.defined_names["StatusList"].attr_text == "Lists!$A$1:$A$3"


def test_sheet_protection_survives_in_xlsx(filled):
    src, xlsx, _ = filled
    before = openpyxl.load_workbook(src)["Matrix"]
    after = openpyxl.load_workbook(xlsx)["Matrix"]
    assert after.protection.sheet is True
    # LibreOffice keeps the legacy 16-bit hash but writes it in lower case
    assert after.protection.password.upper() == before.protection.password.upper()
    assert after["A2"].protection.locked is True
    assert all(after[f"B{r}"].protection.locked is False for r in range(2, 9))


def test_locked_cell_is_refused_like_a_person_would_be(office, tmp_path):
    src = tmp_path / "template.xlsx"
    _build_template(src)
    with pytest.raises(lo.LibreOfficeError, match=r"Matrix!A2 is locked on a protected sheet"):
        lo.fill(src, [("Matrix", "A2", "overwritten")], [tmp_path / "x.xlsx"])
    assert not (tmp_path / "x.xlsx").exists()


def test_uno_api_does_not_enforce_protection(office, tmp_path):
    src = tmp_path / "template.xlsx"
    _build_template(src)
    (out,) = lo.fill(src, [("Matrix", "A2", "overwritten")], [tmp_path / "x.xlsx"],
                     allow_locked=True)
    ws = openpyxl.load_workbook(out)["Matrix"]
    assert ws["A2"].value == "overwritten"
    assert ws.protection.sheet is True


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
                errors="replace")
        except OSError:
            continue
        if text in cmd:
            found.append(f"{pid}: {cmd}")
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
@pytest.mark.parametrize("bad", [False, True])
def test_office_and_profile_are_cleaned_up(office, tmp_path, monkeypatch, bad):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    src = tmp_path / "template.xlsx"
    _build_template(src)
    edit = ("No such sheet", "B2", "x") if bad else ("Matrix", "B2", "x")
    if bad:
        with pytest.raises(lo.LibreOfficeError, match="no sheet 'No such sheet'"):
            lo.fill(src, [edit], [tmp_path / "x.xlsx"])
    else:
        lo.fill(src, [edit], [tmp_path / "x.xlsx"])
    assert list(scratch.iterdir()) == []
    assert _processes_mentioning(str(scratch)) == []


def test_convert_to_pdf(office, tmp_path):
    src = tmp_path / "template.xlsx"
    _build_template(src)
    pdf = lo.convert(src, "pdf", tmp_path / "pdf")
    assert pdf == (tmp_path / "pdf" / "template.pdf").resolve()
    data = pdf.read_bytes()
    assert len(data) > 1000 and data.startswith(b"%PDF")


def test_convert_all_converts_several_files_with_one_office(office, tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    _build_template(first)
    _build_template(second)
    pdfs = lo.convert_all([second, first], "pdf", tmp_path / "pdf")
    assert pdfs == [(tmp_path / "pdf" / "second.pdf").resolve(), (tmp_path / "pdf" / "first.pdf").resolve()]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    with pytest.raises(lo.LibreOfficeError, match="same file name"):
        lo.convert_all([first, first], "pdf", tmp_path / "pdf")


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_password_encrypts_the_saved_file(office, tmp_path, suffix):
    from rcm_workbooks.intake.reader import ReadFailure, open_return

    src = tmp_path / "template.xlsx"
    _build_template(src)
    (plain, secret) = lo.fill(src, [("Matrix", "B2", "x")], [
        tmp_path / f"plain{suffix}", {"path": tmp_path / f"secret{suffix}", "password": "s3cret"}])
    assert open_return(plain).sheet("Matrix") is not None
    with pytest.raises(ReadFailure) as refused:
        open_return(secret)
    assert refused.value.code == "file-encrypted"


def test_missing_soffice_is_a_clear_error(tmp_path, monkeypatch):
    src = tmp_path / "template.xlsx"
    _build_template(src)
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    with pytest.raises(lo.LibreOfficeError, match="soffice"):
        lo.fill(src, [("Matrix", "B2", "x")], [tmp_path / "x.xlsx"])
    with pytest.raises(lo.LibreOfficeError, match="soffice"):
        lo.convert(src, "pdf", tmp_path)


def test_bad_arguments_are_rejected_before_starting_anything(tmp_path):
    src = tmp_path / "template.xlsx"
    _build_template(src)
    with pytest.raises(lo.LibreOfficeError, match="no known filter"):
        lo.fill(src, [("Matrix", "B2", "x")], [tmp_path / "x.weird"])
    with pytest.raises(lo.LibreOfficeError, match="value must be"):
        lo.fill(src, [("Matrix", "B2", True)], [tmp_path / "x.xlsx"])
    with pytest.raises(lo.LibreOfficeError, match="no such workbook"):
        lo.fill(tmp_path / "missing.xlsx", [], [tmp_path / "x.xlsx"])
