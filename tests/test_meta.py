"""The one reader of a workbook's `_meta` (intake.meta), for returns and for files that are not
judged (templates, feedback copies)."""
from __future__ import annotations

import io

import openpyxl
from conftest import read_meta as read_meta_with_openpyxl

from rcm_workbooks.intake.meta import layout_of, read_meta


def test_a_templates_meta_reads_as_openpyxl_reads_it(generated):
    path = generated.path("GTM", "PROT")
    meta = read_meta(path)
    assert meta == read_meta_with_openpyxl(path)
    assert (meta["country"], meta["working_group"], meta["period"]) == ("GTM", "PROT", generated.period)
    rows, columns, problems = layout_of(meta)
    assert problems == [] and rows["first_row"] > rows["header_row"] and columns["ref"] == 0


def test_files_without_a_usable_meta_read_as_empty(generated, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "no _meta here"
    buf = io.BytesIO()
    wb.save(buf)
    (tmp_path / "plain.xlsx").write_bytes(buf.getvalue())
    for name in ("notes.pdf", "plain.xlsx", "not there.xlsx"):
        assert read_meta(tmp_path / name) == {}, name


def test_a_broken_layout_is_named(generated):
    meta = dict(read_meta(generated.path("GTM", "PROT")), **{"col.status": "b", "first_row": "x"})
    _, columns, problems = layout_of(meta)
    assert "status" not in columns
    assert problems == ["first_row is 'x', not a row number", "col.status is 'b', not a column letter"]
