"""Golden test: a regenerated template equals, part by part, the XML kept in tests/golden/.

After an intended change to the template: `python3 tests/golden/refresh.py`, then review the diff.
"""
from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("golden_refresh", HERE / "golden" / "refresh.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

HINT = "if the change is intended, run `python3 tests/golden/refresh.py` and review the diff"
GOLDEN_PARTS = sorted(golden.golden_members()) if golden.GOLDEN_DIR.is_dir() else []


@pytest.fixture(scope="module")
def actual() -> dict[str, list[str]]:
    return golden.normalized(golden.xlsx_members(golden.build_golden()))


@pytest.fixture(scope="module")
def expected() -> dict[str, list[str]]:
    assert golden.GOLDEN_DIR.is_dir(), f"no golden files in {golden.GOLDEN_DIR}: {HINT}"
    return golden.normalized(golden.golden_members())


def test_golden_files_exist_and_are_small():
    assert GOLDEN_PARTS, f"no golden files in {golden.GOLDEN_DIR}: {HINT}"
    for name in ("[Content_Types].xml", "xl/workbook.xml", "xl/sharedStrings.xml", "docProps/core.xml"):
        assert name in GOLDEN_PARTS
    total = sum(p.stat().st_size for p in golden.GOLDEN_DIR.rglob("*") if p.is_file())
    assert total < 200_000


def test_same_parts(actual, expected):
    assert sorted(actual) == sorted(expected), HINT


@pytest.mark.parametrize("part", GOLDEN_PARTS)
def test_part_matches_golden(actual, expected, part):
    assert part in actual, f"the regenerated workbook has no {part}; {HINT}"
    assert actual[part] == expected[part], f"{part} differs from the golden file; {HINT}"


def test_regenerated_bytes_are_reproducible():
    assert golden.build_golden() == golden.build_golden()


def test_normalization_strips_only_volatile_values():
    """The comparison must not be blind: it strips the volatile values and nothing else."""
    members = golden.xlsx_members(golden.build_golden())
    lines = golden.normalized(members)
    sst = "\n".join(lines["xl/sharedStrings.xml"])
    for key in golden.VOLATILE_META:
        assert f"{golden.VOLATILE} {key}" in sst
    assert sst.count(golden.VOLATILE) == len(golden.VOLATILE_META)
    assert "GTM" in sst and "2025-H1" in sst and "2025-06-30" in sst and "Protección" in sst
    core = "\n".join(lines["docProps/core.xml"])
    assert core.count(golden.VOLATILE) == 2 and "2025-01-01" not in core
    # a real change is seen: alter one status label in the shared strings
    changed = dict(members)
    changed["xl/sharedStrings.xml"] = members["xl/sharedStrings.xml"].replace(
        "En proceso de implementación".encode(), "En proceso".encode())
    assert golden.normalized(changed)["xl/sharedStrings.xml"] != lines["xl/sharedStrings.xml"]
    # the lock, too
    changed = dict(members)
    changed["xl/workbook.xml"] = members["xl/workbook.xml"].replace(b'<workbookProtection lockStructure="1"/>', b"")
    assert golden.normalized(changed)["xl/workbook.xml"] != lines["xl/workbook.xml"]


def test_pretty_round_trip():
    """A pretty-printed part reads back to the same lines (text, newlines and spaces kept)."""
    members = golden.xlsx_members(golden.build_golden())
    for name, data in members.items():
        once = golden.Part(data).lines()
        again = golden.Part(golden.pretty(data).encode("utf-8")).lines()
        assert once == again, name
    data = b'<?xml version="1.0"?><a xmlns="urn:x" xmlns:q="urn:q"><t xml:space="preserve"> two\nlines </t><q:b k="1"/></a>'
    text = golden.pretty(data)
    assert "<t xml:space=\"preserve\"> two&#10;lines </t>" in text
    assert "<q:b k=\"1\"/>" in text


def test_golden_workbook_opens(tmp_path):
    """The golden parts, zipped back, make a workbook openpyxl reads (sanity of the golden set)."""
    import openpyxl

    path = tmp_path / golden.GOLDEN_NAME
    with zipfile.ZipFile(path, "w") as z:
        order = ["[Content_Types].xml"] + [p for p in GOLDEN_PARTS if p != "[Content_Types].xml"]
        for name in order:
            z.writestr(name, (golden.GOLDEN_DIR / name).read_bytes())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instrucciones", "Matriz de seguimiento", "_lists", "_meta"]
    assert wb.security.lockStructure
