"""Bounded work for any input, and no library's words in a reason (issue 16).

A sheet's cells and text are counted from its XML before python-calamine reads it; the time spent
on a file is checked between steps; a reader's exception becomes a finding that names the part
that failed, with the exception kept only as evidence (--debug, the JSON's detail).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import re
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from rcm_workbooks.cli import cli
from rcm_workbooks.intake.consolidate import read_all, scan
from rcm_workbooks.intake.reader import RawWorkbook, ReadFailure, ReadLimits, open_return
from rcm_workbooks.intake.validate import read_return
from rcm_workbooks.template.build import TemplateSpec, build

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "kinds"))
_spec = importlib.util.spec_from_file_location("kinds_build", HERE / "kinds" / "build.py")
kinds_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kinds_build)
from bombs import share_text, shared_text_bomb  # noqa: E402

PERIOD = "2025-H1"
# What a Python exception looks like in a text: its class name, a parser's position, a traceback.
PYTHON_ERROR = re.compile(r"\b[A-Z]\w*(Error|Exception|Warning)\b|line \d+, column \d+|Traceback|\bErrno\b|"
                          r"\bmissing \d+ required\b|object has no attribute|<[a-z_.]+ object at 0x")


def filled(plan, rows: dict[int, dict[str, str]], *, country="BLZ") -> tuple[bytes, dict]:
    """The template of BLZ/PROT with `rows` typed in (by input row index and field), as openpyxl
    saves it (inline texts)."""
    data, meta = build(TemplateSpec(plan, PERIOD, plan.group("PROT"), plan.country(country), "en",
                                    dt.date(2025, 6, 30), 30))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[meta["matrix_sheet"]]
    first = int(meta["first_row"])
    for i, values in rows.items():
        for field, value in values.items():
            ws[f"{meta['col.' + field]}{first + i}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), meta


def good_row(plan) -> dict[str, str]:
    p = plan.pillar("P1")
    return {"pillar": p.label.en, "theme": p.theme("T1").label.en, "activity": "Regional workshop",
            "status": plan.statuses[0].label.en}


# --- cells and text counted before calamine reads a sheet -------------------------------------------


def test_a_return_carrying_a_shared_text_bomb_is_refused_before_its_matrix_is_read(plan, tmp_path):
    # 12 columns x 1,000 rows of the matrix all show one shared text of 1 MB: 12 GB once copied
    # into each cell. The file itself is small.
    rows = {i: {f: "BOMB" for f in ("activity", "indicators", "measured_by", "risks", "progress", "next_steps")}
            for i in range(30)}
    data, meta = filled(plan, rows)
    data = share_text(data, "BOMB", "ab" * 2**19)
    assert len(data) < 200_000
    path = tmp_path / "return.xlsx"
    path.write_bytes(data)
    wb = open_return(path)
    with pytest.raises(ReadFailure) as caught:
        wb.rows(meta["matrix_sheet"], 200)
    assert caught.value.code == "file-over-limit" and caught.value.params["bound"] == "text"
    assert wb._cal is None  # calamine never opened the package
    started = time.monotonic()
    ret = read_return(path, "return.xlsx", plan)
    assert time.monotonic() - started < 5
    (f,) = ret.file_errors
    assert f.code == "file-over-limit" and ret.verdict == "rejected"
    assert "189 million characters" in f.message("en") and "189 millones de caracteres" in f.message("es")
    assert meta["matrix_sheet"] in f.message("en")


def test_the_same_return_with_short_texts_is_read(plan, tmp_path):
    data, meta = filled(plan, {0: good_row(plan)})
    data = share_text(data, "Regional workshop", "Regional workshop")
    path = tmp_path / "return.xlsx"
    path.write_bytes(data)
    ret = read_return(path, "return.xlsx", plan)
    assert ret.verdict == "accepted" and ret.rows[0].values["activity"] == "Regional workshop"


def test_a_cell_far_to_the_right_is_refused_when_the_rectangle_is_too_large(plan, tmp_path):
    # one value at XFD250: calamine would build 250 x 16,384 cells (32 bytes each) from A1
    data, meta = filled(plan, {0: good_row(plan)})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[meta["matrix_sheet"]]["XFD250"] = "stray"
    out = io.BytesIO()
    wb.save(out)
    path = tmp_path / "wide.xlsx"
    path.write_bytes(out.getvalue())
    ret = read_return(path, "wide.xlsx", plan)
    (f,) = ret.file_errors
    assert f.code == "file-over-limit" and f.params["bound"] == "cells"
    assert "4,096,000 cells" in f.message("en") and "4,096,000 celdas" in f.message("es")
    # the bound is a limit of its own: raised, the same file is read
    ret = read_return(path, "wide.xlsx", plan, limits=ReadLimits(max_cells=5_000_000))
    assert not any(f.code == "file-over-limit" for f in ret.findings)


def test_a_file_over_its_time_is_refused_between_steps(plan, tmp_path, monkeypatch):
    data, meta = filled(plan, {0: good_row(plan)})
    path = tmp_path / "slow.xlsx"
    path.write_bytes(data)
    real = RawWorkbook.meta

    def slow_meta(self, name="_meta"):
        time.sleep(0.3)
        return real(self, name)

    monkeypatch.setattr(RawWorkbook, "meta", slow_meta)
    ret = read_return(path, "slow.xlsx", plan, limits=ReadLimits(max_seconds=0.2))
    (f,) = ret.file_errors
    assert f.code == "file-over-limit" and f.params["bound"] == "time"
    assert "0.2 seconds" in f.message("en") and "0.2 segundos" in f.message("es")
    assert read_return(path, "slow.xlsx", plan, limits=ReadLimits(max_seconds=5)).verdict == "accepted"


def test_an_unidentified_bomb_is_rejected_quickly(plan, tmp_path):
    path = tmp_path / "poc-shared-strings.xlsx"
    path.write_bytes(shared_text_bomb())
    started = time.monotonic()
    ret = read_return(path, path.name, plan)
    assert time.monotonic() - started < 2
    assert [f.code for f in ret.file_errors] == ["meta-missing"]


# --- a library's exception is evidence, never a reason ----------------------------------------------


def _edit(data: bytes, member: str, fn, *, stored=False) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, fn(body) if info.filename == member else body)
    return out.getvalue()


def _with_damaged_member(data: bytes, member: str) -> bytes:
    """`data` with one more member, stored, whose bytes no longer match its checksum."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as z:
        z.writestr(zipfile.ZipInfo(member), b"<pivotTableDefinition/>" * 20, zipfile.ZIP_STORED)
    raw = bytearray(out.getvalue())
    at = raw.find(b"<pivotTableDefinition/>")
    raw[at + 3] ^= 0xFF
    return bytes(raw)


def odd_inputs(plan) -> dict[str, bytes]:
    data, meta = filled(plan, {0: good_row(plan)})
    files = {name: body for name, body, _ in kinds_build.samples()}
    files["syntax-error.xlsx"] = _edit(data, "xl/workbook.xml", lambda xml: b"<?xml version='1.0'?>\n<<<" + xml[60:])
    files["no-sheet-part.xlsx"] = _edit(data, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(b"sheet2.xml", b"sheet9.xml"))
    files["pivot-damaged.xlsx"] = _with_damaged_member(data, "xl/pivotTables/pivotTable1.xml")
    files["bad-calamine.xlsx"] = _edit(data, "xl/styles.xml", lambda xml: b"<styleSheet><<<")
    return files


def test_no_reason_quotes_a_library(plan, tmp_path):
    for name, body in odd_inputs(plan).items():
        (tmp_path / name).write_bytes(body)
    returns = read_all(scan([tmp_path]), plan, period=PERIOD)
    assert len(returns) == len(odd_inputs(plan))
    evidence = {}
    for ret in returns:
        assert not PYTHON_ERROR.search(ret.reason), (ret.name, ret.reason)
        for f in ret.all_findings():
            for lang in ("en", "es"):
                assert not PYTHON_ERROR.search(f.message(lang)), (ret.name, f.message(lang))
            if f.evidence:
                evidence[ret.name] = f.evidence
    by_name = {r.name: r for r in returns}
    syntax = by_name["syntax-error.xlsx"].file_errors[0]
    assert syntax.code == "file-damaged" and "its list of sheets could not be read" in syntax.message("en")
    assert "no se pudo leer su lista de hojas" in syntax.message("es")
    assert "ParseError" in evidence["syntax-error.xlsx"] and "ParseError" in syntax.to_dict()["detail"]
    matrix = by_name["no-sheet-part.xlsx"].file_errors[0]
    assert matrix.code == "file-damaged" and "is missing or could not be read" in matrix.message("en")
    pivot = by_name["pivot-damaged.xlsx"]
    assert pivot.verdict == "accepted" and len(pivot.rows) == 1
    (repaired,) = [f for f in pivot.findings if f.code == "file-repaired"]
    assert "the pivot-table definitions" in repaired.message("en")
    assert "las definiciones de las tablas dinámicas" in repaired.message("es")


def test_debug_shows_the_evidence_and_the_json_carries_it(plan, tmp_path):
    path = tmp_path / "syntax-error.xlsx"
    path.write_bytes(odd_inputs(plan)["syntax-error.xlsx"])
    plain = CliRunner().invoke(cli, ["validate", str(path)])
    assert plain.exit_code == 1 and "ParseError" not in plain.output and "list of sheets" in plain.output
    debug = CliRunner().invoke(cli, ["--debug", "validate", str(path)])
    assert debug.exit_code == 1 and "debug: ParseError" in debug.output
    as_json = json.loads(CliRunner().invoke(cli, ["validate", str(path), "--format", "json"]).output)
    (entry,) = as_json["files"]
    assert "ParseError" in entry["detail"] and "ParseError" in entry["findings"][0]["detail"]
    assert "ParseError" not in entry["reason"] and "ParseError" not in entry["findings"][0]["message"]


def test_an_ods_whose_repeated_cells_would_explode_is_refused_before_calamine_opens_it(plan, tmp_path):
    # 800 bytes: one cell of 10,000 characters repeated over 100 columns and 1,000 rows (2 GB read)
    text = "ab" * 5000
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="Hoja1"><table:table-row table:number-rows-repeated="1000">'
               '<table:table-cell office:value-type="string" table:number-columns-repeated="100">'
               f'<text:p>{text}</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    manifest = ('<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    path = tmp_path / "repeated.ods"
    path.write_bytes(out.getvalue())
    started = time.monotonic()
    ret = read_return(path, path.name, plan)
    assert time.monotonic() - started < 2
    (f,) = ret.file_errors
    assert f.code == "file-over-limit" and f.params["bound"] == "text" and "Hoja1" in f.message("es")
    assert "1,002 million characters" in f.message("en")  # the text and its markup


def test_an_xls_whose_shared_text_fills_many_cells_is_refused_before_calamine_opens_it(plan, tmp_path):
    from bombs import xls_shared_text_bomb

    path = tmp_path / "shared.xls"
    path.write_bytes(xls_shared_text_bomb(cells=2_000, size=30_000))  # 60 million characters once read
    assert path.stat().st_size < 100_000
    ret = read_return(path, path.name, plan)
    (f,) = ret.file_errors
    assert f.code == "file-over-limit" and f.params["bound"] == "text" and "Hoja1" in f.message("en")
    assert "60 million characters" in f.message("en")


@pytest.mark.parametrize("room", [8224, 100, 7])
def test_the_lengths_of_an_sst_split_across_continue_records(room):
    from bombs import sst_records

    from rcm_workbooks.intake.biff import SST, _sst_lengths, records

    texts = ["a" * 5, "ñandú" * 900, "x" * 20_000, "", "日本語" * 3000, "z"]
    parts = [body for rid, body in records(sst_records(texts, room))]
    assert len(parts) > (1 if room == 8224 else 100)
    assert records(sst_records(texts, room)).__next__()[0] == SST
    assert _sst_lengths(parts) == [len(t) for t in texts]


def test_an_unreadable_focal_point_list_says_so_in_words(plan, tmp_path):
    from rcm_workbooks.mail.focal_points import load_focal_points

    path = tmp_path / "focal_points.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    (f,) = load_focal_points(path, plan).problems
    assert f.code == "fp-unreadable" and f.evidence
    for lang in ("en", "es"):
        assert not PYTHON_ERROR.search(f.message(lang)), f.message(lang)


def test_sheets_under_the_rough_bound_one_by_one_are_counted_when_together_over_it():
    """package_size bounds a sheet's text by counting each shared-text reference as the whole
    shared-text part. A LibreOffice save of a 100-row template with a few rows typed, four sheets
    each under the feedback copy's limit by that bound, was over it together: its copy was not
    written though its texts are a few thousand characters. Over the limit together, they are
    counted."""
    from rcm_workbooks.intake.bounds import package_size

    shared = "".join(f"<si><t>text {i}</t></si>" for i in range(2000))  # ~40 KB of short texts
    sheet = ('<worksheet><sheetData><row r="1">'
             + "".join(f'<c r="A{i}" t="s"><v>{i}</v></c>' for i in range(1, 101)) + "</row></sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("xl/sharedStrings.xml", f"<sst>{shared}</sst>")
        for k in range(1, 5):
            zf.writestr(f"xl/worksheets/sheet{k}.xml", sheet)
    whole, limit = len(f"<sst>{shared}</sst>"), 10_000_000
    assert 100 * whole < limit < 4 * 100 * whole  # each sheet under by the rough bound, the four over
    chars, cells = package_size(out.getvalue(), limit)
    assert chars < 4 * (len(sheet) + 100 * len("<t>text 999</t>")) and cells >= 400  # not 16 million
