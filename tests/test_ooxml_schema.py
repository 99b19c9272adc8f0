"""Every file the tool writes validates against the ECMA-376 schemas (Transitional), part by part.

The files come from a demo round run through the command line (two periods: templates with and
without carried-forward rows, the consolidated workbooks with charts, tables and the Progress
sheet, feedback copies in both languages, the annual report in both languages). The schemas live
outside the repository (../shared/ooxml-schemas): without them the tests skip, except under CI,
where that is a failure.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.ooxml import schemas_folder, validate_package, validate_part

REPO = Path(__file__).resolve().parents[1]
FIRST, SECOND = "2025-H1", "2025-H2"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def schemas() -> Path:
    folder = schemas_folder()
    if folder is None:
        why = "no ECMA-376 schemas at ../shared/ooxml-schemas (or $RCM_OOXML_SCHEMAS)"
        if _in_ci():
            pytest.fail(why + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(why)
    return folder


def rcm(*args: str, cwd: Path) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "rcm_workbooks", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    assert done.returncode in (0, 1), f"rcm {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}"


def _one(folder: Path, country: str) -> Path:
    found = sorted((folder / country).glob("*.xlsx"))
    assert found, f"nothing in {folder / country}"
    return found[0]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """One file of each kind the tool writes, from a demo round: {kind: path}."""
    tmp = tmp_path_factory.mktemp("ooxml")
    ws = tmp / "demo"
    rcm("demo", str(ws), cwd=tmp)
    out = ws / "outbox"
    rcm("-C", str(ws), "report", "--year", "2025", "--lang", "es", "--out", str(out / "report_2025_es.docx"),
        cwd=tmp)
    es = tmp / "outbox-es"
    es.mkdir()
    rcm("-C", str(ws), "consolidate", "--period", SECOND, "--lang", "es", "--out", str(es), cwd=tmp)
    rcm("-C", str(ws), "plan", "export", str(tmp / "plan.xlsx"), cwd=tmp)
    year = FIRST.split("-")[0]  # the demo's Activity Matrix round
    return {
        "activity-matrix-template": _one(out / year / "templates", "MEX"),
        "activities-workbook": out / year / f"activities_{year}.xlsx",
        "plan-workbook": tmp / "plan.xlsx",
        "template-en": _one(out / FIRST / "templates", "USA"),
        "template-es": _one(out / FIRST / "templates", "MEX"),
        "template-carried-forward": _one(out / SECOND / "templates", "GTM"),
        "consolidated-first-period": out / FIRST / f"consolidated_{FIRST}.xlsx",
        "consolidated-with-progress": out / SECOND / f"consolidated_{SECOND}.xlsx",
        "consolidated-es": es / SECOND / f"consolidated_{SECOND}.xlsx",
        "feedback-en": _one(out / FIRST / "feedback", "USA"),
        "feedback-es": _one(out / FIRST / "feedback", "MEX"),
        "report-en": out / "report_2025_en.docx",
        "report-es": out / "report_2025_es.docx",
    }


# Files known to fail today, with the reason: xfail(strict=True), so a fix shows as XPASS->fail
# and the entry is removed with it.
KNOWN_INVALID: dict[str, str] = {}

KINDS = ["activity-matrix-template", "activities-workbook", "plan-workbook", "template-en", "template-es", "template-carried-forward", "consolidated-first-period",
         "consolidated-with-progress", "consolidated-es", "feedback-en", "feedback-es", "report-en", "report-es"]


@pytest.mark.parametrize("kind", [
    pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=KNOWN_INVALID[k])) if k in KNOWN_INVALID else k
    for k in KINDS])
def test_every_part_is_schema_valid(schemas, outputs, kind):
    path = outputs[kind]
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
    assert "[Content_Types].xml" in parts and len(parts) >= 8, parts  # the package was read, not skipped
    problems = validate_package(path, schemas)
    assert not problems, f"{path.name}:\n" + "\n".join(map(str, problems[:20]))


def test_the_consolidated_workbook_holds_the_parts_worth_checking(outputs):
    """The validation above covers charts, drawings and tables, not only cells."""
    with zipfile.ZipFile(outputs["consolidated-with-progress"]) as z:
        names = z.namelist()
    assert any(n.startswith("xl/charts/chart") for n in names)
    assert any(n.startswith("xl/drawings/drawing") for n in names)
    assert any(n.startswith("xl/tables/table") for n in names)
    assert len([n for n in names if n.startswith("xl/worksheets/sheet")]) == 6


def test_the_report_zoom_carries_its_percent(outputs):
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for kind in ("report-en", "report-es"):
        with zipfile.ZipFile(outputs[kind]) as z:
            zoom = etree.fromstring(z.read("word/settings.xml")).find(f"{{{w}}}zoom")
        assert zoom is not None and zoom.get(f"{{{w}}}percent") == "100", kind


# --- the checker itself can fail ------------------------------------------------------------------

SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _sheet(inner: str, extra_ns: str = "", root_attrs: str = "") -> bytes:
    return (f'<worksheet xmlns="{SML}" xmlns:mc="{MC}" {extra_ns} {root_attrs}>'
            f"<sheetData>{inner}</sheetData></worksheet>").encode()


def test_a_valid_sheet_passes(schemas):
    assert validate_part("s.xml", _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'),
                         schemas) == []


@pytest.mark.parametrize("bad, expected", [
    ('<row r="1" bogus="1"/>', "bogus"),                                  # unknown attribute
    ('<row r="1"><c r="A1" t="nonsense"/></row>', "nonsense"),            # value outside the enumeration
    ('<c r="A1"/>', "not expected"),                                      # element in the wrong place
])
def test_an_invalid_sheet_fails(schemas, bad, expected):
    problems = validate_part("s.xml", _sheet(bad), schemas)
    assert problems and expected in problems[0].message and problems[0].part == "s.xml"


def test_markup_compatibility_is_applied(schemas):
    x14 = 'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
    ignorable = _sheet('<row r="1" x14ac:dyDescent="0.25"/>', x14, 'mc:Ignorable="x14ac"')
    assert validate_part("s.xml", ignorable, schemas) == []
    not_ignorable = _sheet('<row r="1" x14ac:dyDescent="0.25"/>', x14)
    assert validate_part("s.xml", not_ignorable, schemas)
    alternate = _sheet(f'<mc:AlternateContent><mc:Choice Requires="x14ac"><row r="1" x14ac:dyDescent="1"/>'
                       f'</mc:Choice><mc:Fallback><row r="2"/></mc:Fallback></mc:AlternateContent>', x14)
    assert validate_part("s.xml", alternate, schemas) == []


def test_a_root_without_schema_and_a_broken_part_are_reported(schemas):
    assert "no schema" in validate_part("x.xml", b'<x xmlns="urn:nothing"/>', schemas)[0].message
    assert "not well-formed" in validate_part("x.xml", b"<worksheet>", schemas)[0].message


def test_xml_space_tolerated_only_on_spreadsheet_text(schemas):
    ok = _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> x</t></is></c></row>')
    assert validate_part("s.xml", ok, schemas) == []
    bad = _sheet('<row r="1" xml:space="preserve"/>')
    assert validate_part("s.xml", bad, schemas)
