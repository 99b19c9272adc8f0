"""One inline case per finding code of rcm_workbooks.findings.CATALOG.

Each case builds its input here (the generator, openpyxl edits, edits of the zip/XML, or byte
strings), runs it through read_all and checks that the code appears with the expected sheet, cell,
column and severity, and that its message renders in English and Spanish with every placeholder
filled. A code without a case, or a catalog entry missing from docs/findings.md, fails a test.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities

from rcm_workbooks.core.findings import CATALOG, catalog_markdown
from rcm_workbooks.core.plan import DEFAULT_PLAN, load_plan
from rcm_workbooks.intake import consolidate as consolidate_mod
from rcm_workbooks.intake.consolidate import read_all, scan
from rcm_workbooks.intake.reader import ReadLimits
from rcm_workbooks.template.build import TemplateSpec, build, priority_rows
from tests.support.workbooks import rewrite, set_modified, type_rows

# tests/kinds: a sample of every kind of file, built from bytes (its build.py, loaded by path:
# tests/corpus has a build.py of its own)
sys.path.insert(0, str(Path(__file__).resolve().parent / "kinds"))
_spec = importlib.util.spec_from_file_location("kinds_build", Path(__file__).resolve().parent / "kinds" / "build.py")
kinds_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kinds_build)
import kinds_biff  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PERIOD = "2025-H1"
DUE = dt.date(2025, 6, 30)
EN = "Follow-up matrix"


@pytest.fixture(scope="module")
def plan():
    return load_plan(DEFAULT_PLAN)


@pytest.fixture(scope="module")
def priority_plan(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "plan.yaml"
    path.write_text(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML), encoding="utf-8")
    return load_plan(path)


# --- building inputs -----------------------------------------------------------------------


def template(plan, group="PROT", country="BLZ", *, period=PERIOD, rows=30, prefill=False, lang="en") -> bytes:
    g, c = plan.group(group), plan.country(country)
    pre = priority_rows(plan, g, c) if prefill else ()
    data, _ = build(TemplateSpec(plan, period, g, c, lang, DUE, rows, pre))
    return data


def row(plan, **over) -> dict:
    p = plan.pillar("P1")
    values = {"pillar": p.label.en, "theme": p.theme("T1").label.en, "activity": "Regional workshop on data",
              "status": plan.statuses[0].label.en, "responsible": plan.responsible_parties[0].label.en,
              "deadline": plan.deadlines[0].label.en, "progress": "Two sessions held."}
    values.update(over)
    return {k: v for k, v in values.items() if v is not None}


def filled(data: bytes, rows=(), *, edit=None, start=None, when="2025-06-20T10:00:00Z") -> bytes:
    """Type rows into a template with openpyxl (as a program would), apply `edit(wb, meta, ws)`."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    meta = type_rows(wb, rows, start)
    if edit:
        edit(wb, meta, wb[meta["matrix_sheet"]])
    buf = io.BytesIO()
    wb.save(buf)
    return set_modified(buf.getvalue(), when)


def set_meta(key, value):
    def edit(wb, meta, ws):
        for a, b in wb["_meta"].iter_rows(min_col=1, max_col=2):
            if a.value == key:
                b.value = value
    return edit


MATRIX_PART = "xl/worksheets/sheet2.xml"  # Instructions, matrix, lists, _meta: the generator's order


def set_cell_xml(data: bytes, ref: str, t: str, inner: str) -> bytes:
    def fn(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        m = re.search(rf'<c r="{ref}"((?:\s[^>]*?)?)(/>|>.*?</c>)', text, re.S)
        s = re.search(r'\ss="(\d+)"', m.group(1))
        new = f'<c r="{ref}"{(" s=" + chr(34) + s.group(1) + chr(34)) if s else ""} t="{t}">{inner}</c>'
        return (text[:m.start()] + new + text[m.end():]).encode("utf-8")
    return rewrite(data, {MATRIX_PART: fn})


def run(tmp_path, files: dict[str, bytes], plan, *, period=PERIOD, limits=ReadLimits()):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    return {r.name: r for r in read_all(scan([inbox]), plan, period=period, limits=limits)}


# --- the cases -----------------------------------------------------------------------------


@dataclass
class Case:
    severity: str
    sheet: str | None
    cell: str | None
    column: str | None
    verdict: str
    make: object  # (tmp_path, plan, priority_plan, monkeypatch) -> Return
    xfail: str | None = None


CASES: dict[str, Case] = {}


def case(code, severity, sheet=None, cell=None, column=None, verdict="rejected", xfail=None):
    def register(fn):
        CASES[code] = Case(severity, sheet, cell, column, verdict, fn, xfail)
        return fn
    return register


def one(tmp_path, data: bytes, plan, name="return.xlsx", **kw):
    return run(tmp_path, {name: data}, plan, **kw)[name]


@case("file-empty", "error")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, b"", plan)


@case("file-not-spreadsheet", "error")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", plan)


@case("file-damaged", "error")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, template(plan)[:5000], plan)


@case("file-repaired", "warning", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    # the Instructions sheet's part is gone: it holds no data, so the rows are still read
    data = rewrite(filled(template(plan), [row(plan)]), drop=("xl/worksheets/sheet1.xml",))
    ret = one(tmp_path, data, plan)
    assert len(ret.rows) == 1 and ret.rows[0].accepted
    return ret


@case("file-encrypted", "error")
def _(tmp_path, plan, pplan, mp):
    # a compound file holding the streams of an agile-encrypted OOXML package
    ret = one(tmp_path, kinds_build.encrypted_ooxml(kinds_build.encryption_info_agile()), plan)
    assert "Excel 2010" in ret.findings[0].message("en") and "Excel 2010" in ret.findings[0].message("es")
    return ret


@case("file-too-large", "error")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, template(plan), plan, limits=ReadLimits(max_unzipped_mb=0.01))


@case("file-unsafe-xml", "error")
def _(tmp_path, plan, pplan, mp):
    bomb = b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = rewrite(template(plan), {"xl/sharedStrings.xml":
                                    lambda xml: xml.replace(b"?>", b"?>" + bomb, 1).replace(b"<si><t>", b"<si><t>&b;", 1)})
    return one(tmp_path, data, plan)


@case("file-old-format", "error")
def _(tmp_path, plan, pplan, mp):
    ret = one(tmp_path, kinds_biff.biff234(4, kinds_build.CELLS), plan, name="old.xls")
    assert "Excel 4.0" in ret.findings[0].message("en") and "Excel 4.0" in ret.findings[0].message("es")
    return ret


@case("file-other-format", "error")
def _(tmp_path, plan, pplan, mp):
    ret = one(tmp_path, kinds_build.ooxml(binary=True), plan, name="return.xlsb")
    assert ".xlsb" in ret.findings[0].message("en") and "binario" in ret.findings[0].message("es")
    return ret


@case("file-over-limit", "error")
def _(tmp_path, plan, pplan, mp):
    # a return whose matrix holds one long shared text in many cells: counted before it is read
    long_text = "x" * 50_000
    data = filled(template(plan), [row(plan, activity=long_text, progress=long_text) for _ in range(20)])
    ret = one(tmp_path, data, plan, limits=ReadLimits(max_text_mchars=1))
    assert "million" in ret.findings[0].message("en") and "millones" in ret.findings[0].message("es")
    return ret


@case("file-macros", "info", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    def macro_enabled(types: bytes) -> bytes:
        types = types.replace(b"spreadsheetml.sheet.main+xml", b"PLACEHOLDER", 1)
        return types.replace(b"application/vnd.openxmlformats-officedocument.PLACEHOLDER",
                             b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")

    data = rewrite(filled(template(plan), [row(plan)]), {"[Content_Types].xml": macro_enabled},
                   add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)})
    return one(tmp_path, data, plan, name="return.xlsm")


@case("file-converted", "info", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    # LibreOffice's own .ods of a filled return, made by tests/corpus/build.py
    return one(tmp_path, (REPO / "tests" / "corpus" / "resaved-as.ods").read_bytes(), pplan, name="return.ods")


@case("file-ignored", "info", verdict="ignored")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, b"\x0bFocal point" + bytes(150), plan, name="~$return.xlsx")


@case("file-duplicate", "info", verdict="ignored")
def _(tmp_path, plan, pplan, mp):
    data = filled(template(plan), [row(plan)])
    returns = run(tmp_path, {"a.xlsx": data, "b.xlsx": data}, plan)
    assert returns["a.xlsx"].verdict == "accepted"
    return returns["b.xlsx"]


@case("file-superseded", "warning", verdict="superseded")
def _(tmp_path, plan, pplan, mp):
    first = filled(template(plan), [row(plan)], when="2025-06-01T08:00:00Z")
    second = filled(template(plan), [row(plan, status=plan.statuses[1].label.en)], when="2025-06-15T08:00:00Z")
    returns = run(tmp_path, {"a-later.xlsx": second, "b-earlier.xlsx": first}, plan)
    assert returns["a-later.xlsx"].verdict == "accepted"
    return returns["b-earlier.xlsx"]


@case("file-empty-later", "warning", verdict="superseded")
def _(tmp_path, plan, pplan, mp):
    # a blank template saved after the filled return: the filled one stands, the blank is set aside
    first = filled(template(plan), [row(plan)], when="2025-06-01T08:00:00Z")
    blank = filled(template(plan), [], when="2025-06-15T08:00:00Z")
    returns = run(tmp_path, {"a-blank.xlsx": blank, "b-filled.xlsx": first}, plan)
    assert returns["b-filled.xlsx"].verdict == "accepted"
    assert [f.code for f in returns["b-filled.xlsx"].findings if f.code.startswith("file-")] == []
    ret = returns["a-blank.xlsx"]
    assert ret.findings[-1].params["other"] == "b-filled.xlsx" and "b-filled.xlsx" in ret.reason_in("es")
    return ret


@case("file-internal-error", "error")
def _(tmp_path, plan, pplan, mp):
    real = consolidate_mod.read_return

    def flaky(path, name, *a, **kw):
        if name == "boom.xlsx":
            raise RuntimeError("simulated failure")
        return real(path, name, *a, **kw)

    mp.setattr(consolidate_mod, "read_return", flaky)
    data = filled(template(plan), [row(plan)])
    returns = run(tmp_path, {"boom.xlsx": data, "fine.xlsx": template(plan, country="CAN")}, plan)
    assert returns["fine.xlsx"].verdict == "accepted"  # isolation: the next file was read
    ret = returns["boom.xlsx"]
    for lang in ("en", "es"):  # the exception is kept for --debug and the JSON, never in the words
        assert "RuntimeError" not in ret.findings[0].message(lang) and "simulated" not in ret.findings[0].message(lang)
    assert "RuntimeError" not in ret.reason
    assert ret.findings[0].evidence == "RuntimeError: simulated failure"
    assert ret.findings[0].to_dict()["detail"] == "RuntimeError: simulated failure"
    return ret


@case("meta-missing", "error")
def _(tmp_path, plan, pplan, mp):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Item", "Amount"])
    buf = io.BytesIO()
    wb.save(buf)
    return one(tmp_path, buf.getvalue(), plan)


@case("meta-invalid", "error", sheet="_meta", cell="B1")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, filled(template(plan), [row(plan)], edit=set_meta("schema", "someone-else/7")), plan)


@case("meta-other-plan", "error", sheet="_meta")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, filled(template(plan), [row(plan)], edit=set_meta("plan_id", "RCM-SP-2030")), plan)


@case("meta-unknown-code", "error", sheet="_meta")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, filled(template(plan), [row(plan)], edit=set_meta("working_group", "HEALTH")), plan)


@case("meta-other-period", "error", sheet="_meta")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, filled(template(plan, period="2024-H2"), [row(plan)]), plan)


@case("title-mismatch", "error", sheet=EN, cell="C3")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws["C3"] = "Labor migration"
    return one(tmp_path, filled(template(plan), [row(plan)], edit=edit), plan)


@case("matrix-missing", "error")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        del wb[meta["matrix_sheet"]]
    return one(tmp_path, filled(template(plan), edit=edit), plan)


@case("matrix-renamed", "warning", sheet="Belize", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws.title = "Belize"
    return one(tmp_path, filled(template(plan), [row(plan)], edit=edit), plan)


@case("header-changed", "error", sheet=EN, cell="A5")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws["D5"] = "Notes"
    return one(tmp_path, filled(template(plan), [row(plan)], edit=edit), plan)


@case("header-moved", "warning", sheet=EN, cell="A5", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        for r in (5, 6):
            ws[f"J{r}"].value, ws[f"L{r}"].value = ws[f"L{r}"].value, ws[f"J{r}"].value
    ret = one(tmp_path, filled(template(plan), [row(plan, risks="Funds", next_steps="Extend")], edit=edit), plan)
    assert (ret.rows[0].values["risks"], ret.rows[0].values["next_steps"]) == ("Funds", "Extend")
    return ret


@case("protection-removed", "warning", sheet=EN, verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws.protection.sheet = False
    return one(tmp_path, filled(template(plan), [row(plan)], edit=edit), plan)


@case("return-late", "warning", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, filled(template(plan), [row(plan)], when="2025-07-02T09:00:00Z"), plan)


@case("return-empty", "warning", sheet=EN, verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, filled(template(plan)), plan)


@case("required-missing", "error", sheet=EN, cell="D6", column="activity", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, filled(template(plan), [row(plan, activity=None)]), plan)


@case("value-not-in-list", "error", sheet=EN, cell="I6", column="status", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    ret = one(tmp_path, filled(template(plan), [row(plan, status="Done")]), plan)
    f = next(x for x in ret.all_findings() if x.code == "value-not-in-list")
    # the allowed values are listed in the template's language (here English), in both messages
    assert "Completed" in f.message("en") and "Completed" in f.message("es")
    return ret


@case("theme-other-pillar", "error", sheet=EN, cell="C6", column="theme", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    other = plan.pillar("P3").theme("T2").label.en
    return one(tmp_path, filled(template(plan), [row(plan, theme=other)]), plan)


@case("cell-error-value", "error", sheet=EN, cell="I6", column="status", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    data = set_cell_xml(filled(template(plan), [row(plan)]), "I6", "e", "<v>#N/A</v>")
    return one(tmp_path, data, plan)


@case("cell-formula", "warning", sheet=EN, cell="D6", column="activity", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    data = set_cell_xml(filled(template(plan), [row(plan)]), "D6", "str",
                        '<f>"Regional "&amp;"workshop"</f><v>Regional workshop</v>')
    ret = one(tmp_path, data, plan)
    assert ret.rows[0].values["activity"] == "Regional workshop" and ret.rows[0].accepted
    return ret


@case("cell-not-text", "info", sheet=EN, cell="K6", column="progress", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    ret = one(tmp_path, filled(template(plan), [row(plan, progress=75)]), plan)
    assert ret.rows[0].values["progress"] == "75"
    return ret


@case("cell-too-long", "warning", sheet=EN, cell="K6", column="progress", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    # openpyxl itself would cut the text at 32,767 characters: write the long text into the XML.
    data = filled(template(plan), [row(plan, progress="LONG-TEXT-MARKER")])
    data = rewrite(data, {MATRIX_PART: lambda xml: xml.replace(b"LONG-TEXT-MARKER", b"x" * 40_000)})
    ret = one(tmp_path, data, plan)
    assert len(next(r for r in ret.rows).values["progress"]) == 40_000  # read whole, not cut
    return ret


@case("prefilled-changed", "warning", sheet=EN, verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws["D6"] = "Another activity"
        ws["I6"] = "Completed"
        ws["I7"] = "Completed"
    return one(tmp_path, filled(template(pplan, prefill=True), edit=edit), pplan)


@case("prefilled-empty", "warning", sheet=EN, cell="I7", column="status", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws["I6"] = "Completed"
    return one(tmp_path, filled(template(pplan, prefill=True), edit=edit), pplan)


@case("ref-changed", "warning", sheet=EN, cell="A6", column="ref", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws["A6"] = "MY-OWN-REF"
        ws["I6"] = "Completed"
        ws["I7"] = "Completed"
    return one(tmp_path, filled(template(pplan, prefill=True), edit=edit), pplan)


@case("row-outside-range", "warning", sheet=EN, verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    # 5 input rows (6-10); the activity is typed on row 12
    return one(tmp_path, filled(template(plan, rows=5), [row(plan)], start=12), plan)


@case("content-out-of-bounds", "error", sheet=EN, cell="B2000")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws["B2000"] = "far away"
    return one(tmp_path, filled(template(plan, rows=5), [row(plan)], edit=edit), plan)


@case("column-outside-range", "warning", sheet=EN, cell="N6", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    def edit(wb, meta, ws):
        ws["N6"] = "a note beside the matrix"
    return one(tmp_path, filled(template(plan), [row(plan)], edit=edit), plan)


def _eml(attachments: dict[str, bytes]) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Focal point <focal@example.org>"
    msg["To"] = "secretariat@example.org"
    msg["Subject"] = "Matriz de seguimiento 2025-H1"
    msg["Date"] = "Fri, 20 Jun 2025 10:00:00 +0000"
    msg.set_content("Adjunto la matriz.")
    for name, data in attachments.items():
        msg.add_attachment(data, maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    return msg.as_bytes()


@case("email-attachment", "info", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    data = _eml({"RCM_2025-H1_BLZ_PROT.xlsx": filled(template(plan), [row(plan)])})
    return run(tmp_path, {"reply.eml": data}, plan)["reply.eml/RCM_2025-H1_BLZ_PROT.xlsx"]


@case("email-no-attachment", "error")
def _(tmp_path, plan, pplan, mp):
    return one(tmp_path, _eml({}), plan, name="reply.eml")


@case("ref-duplicate", "warning", sheet=EN, cell="A7", column="ref", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    from rcm_workbooks.registry.store import Registry, assign_refs

    def edit(wb, meta, ws):
        ws["A6"] = "BLZ-PROT-0005"
        ws["A7"] = "BLZ-PROT-0005"  # a row copied with its ref
    ret = one(tmp_path, filled(template(plan), [row(plan), row(plan, activity="Copy")], edit=edit), plan)
    with Registry.open(tmp_path / "registry.sqlite") as db:
        assign_refs(db, [ret])
    assert ret.rows[0].values["ref"] == "BLZ-PROT-0005" and ret.rows[1].values["ref"] != "BLZ-PROT-0005"
    return ret


@case("carried-row-missing", "warning", verdict="accepted")
def _(tmp_path, plan, pplan, mp):
    from rcm_workbooks.registry.carry import check_carried
    from rcm_workbooks.registry.store import Registry
    from rcm_workbooks.template.build import (
        PREFILL_LOCKED,
        PrefilledRow,
        _prefill_text,
        row_digest,
    )

    g, c = plan.group("PROT"), plan.country("BLZ")
    carried = PrefilledRow(ref="BLZ-PROT-0003", values={"pillar": "P1", "theme": "T1", "activity": "Shelters",
                                                        "indicators": "Places"})
    data, _ = build(TemplateSpec(plan, PERIOD, g, c, "en", DUE, 10, (carried,)))

    def edit(wb, meta, ws):
        for col in "ABCDE":  # the focal point deleted the carried row
            ws[f"{col}6"] = None
    ret = one(tmp_path, filled(data, [row(plan)], start=7, edit=edit), plan)
    digests = [row_digest([_prefill_text(plan, carried, lg).get(f, "") for f in PREFILL_LOCKED]) for lg in ("en", "es")]
    with Registry.open(tmp_path / "registry.sqlite") as db:
        with db.transaction():
            db.conn.execute("INSERT INTO carried(period, country, grp, ref, from_period, digest_en, digest_es, "
                            "generated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (PERIOD, "BLZ", "PROT", "BLZ-PROT-0003", "2024-H2", *digests, "2025-01-01T00:00:00"))
        check_carried(db, [ret])
    return ret


# --- the tests -----------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", [
    pytest.param(code, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [], id=code)
    for code, c in CASES.items()])
def test_finding_code(code, tmp_path, plan, priority_plan, monkeypatch):
    c = CASES[code]
    ret = c.make(tmp_path, plan, priority_plan, monkeypatch)
    found = [f for f in ret.all_findings() if f.code == code]
    assert found, f"{code} not produced; got {[(f.code, f.sheet, f.cell) for f in ret.all_findings()]}"
    f = found[0]
    assert f.severity.value == c.severity
    assert CATALOG[code].severity.value == c.severity
    assert (f.sheet or None, f.cell or None) == (c.sheet, c.cell)
    if c.column is not None:
        assert f.column == c.column
    assert f.file == ret.name
    assert ret.verdict == c.verdict, ret.reason
    entry = CATALOG[code]
    needed = set().union(*(_placeholders(t) for t in (entry.en, entry.es, entry.fix_en, entry.fix_es,
                                                      entry.fp_en, entry.fp_es)))
    provided = set(f.params) | ({"value"} if f.value else set())
    provided |= {f"{name}_code" for name in entry.spelled if name in provided}
    assert needed <= provided, f"placeholders left blank: {sorted(needed - provided)}"
    for lang in ("en", "es"):
        for text in (f.message(lang), f.for_focal_point(lang)):
            assert text and "{" not in text and "}" not in text, text
        assert f.render(lang)
    assert f.message("en") != f.message("es")


def test_every_catalog_code_has_an_inline_case():
    # the focal-point list's codes (fp-*) are produced by tests/test_mail.py
    assert set(CASES) == {code for code, c in CATALOG.items() if c.about == "return"}


def test_docs_findings_is_the_catalog():
    doc = (REPO / "docs" / "findings.md").read_text(encoding="utf-8")
    assert doc == catalog_markdown(), "regenerate: python3 -m rcm_workbooks.core.findings > docs/findings.md"
    for code in CATALOG:
        assert f"`{code}`" in doc
