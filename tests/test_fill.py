"""The synthetic focal point (rcm_workbooks.demo.fill): values land where `_meta` says, templates are
never touched, what the template locks stays locked, and each catalogued mistake is what it says."""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import random
import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from rcm_workbooks.core.fields import INPUT_FIELDS
from rcm_workbooks.demo.fill import (
    LAST_MODIFIED_BY,
    MISTAKES,
    apply_mistakes,
    apply_mistakes_at,
    fill_round,
    fill_workbook,
    synthetic_rows,
)
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace

PERIOD = "2025-H1"
SAVED = dt.datetime(2025, 6, 20, 14, 30, 0)


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def meta_of(wb) -> dict[str, str]:
    out = {}
    for key, value, *_ in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True):
        if key is not None:
            out[str(key)] = "" if value is None else str(value)
    return out


def norm(text) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFD", str(text)) if unicodedata.category(c) != "Mn")
    return " ".join(folded.casefold().split())


@pytest.fixture(scope="module")
def round_(tmp_path_factory):
    """A workspace with the full default round (44 templates), its plan and the Generated list."""
    ws = init_workspace(tmp_path_factory.mktemp("fill") / "ws")
    plan = ws.load_plan()
    made = generate(ws, plan, PERIOD, due=dt.date(2025, 6, 30))
    return ws, plan, {(g.country, g.working_group): g for g in made}


@pytest.fixture(scope="module")
def priority_round(tmp_path_factory):
    """A workspace whose PROT templates carry 2 pre-filled priority rows."""
    from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities

    ws = init_workspace(tmp_path_factory.mktemp("fillp") / "ws")
    ws.plan_path.write_text(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML), encoding="utf-8")
    plan = ws.load_plan()
    made = generate(ws, plan, PERIOD, groups=["PROT"], countries=["GTM", "USA"], rows=5)
    return ws, plan, {(g.country, g.working_group): g for g in made}


def expected_cell(value):
    return None if value == "" else value


# --- fill_workbook -------------------------------------------------------------------------


@pytest.mark.parametrize("country,group", [("GTM", "PROT"), ("BLZ", "LABR")])
def test_values_land_in_the_cells_meta_names(round_, tmp_path, country, group):
    _, plan, made = round_
    g = made[(country, group)]
    rows = synthetic_rows(plan, group, country, g.language, random.Random(1), 12)
    before = sha(g.path)
    mtime = g.path.stat().st_mtime_ns
    dst = tmp_path / "out" / "return.xlsx"
    fill_workbook(g.path, dst, rows, saved_at=SAVED)

    assert sha(g.path) == before and g.path.stat().st_mtime_ns == mtime  # the template is untouched
    wb = openpyxl.load_workbook(dst)
    meta = meta_of(wb)
    ws = wb[meta["matrix_sheet"]]
    first = int(meta["first_row"])
    for i, row in enumerate(rows):
        for field in INPUT_FIELDS:
            cell = ws[f"{meta['col.' + field]}{first + i}"]
            assert cell.value == expected_cell(row[field]), (field, first + i)
    # the rows after the last one written stay empty
    for field in INPUT_FIELDS:
        assert ws[f"{meta['col.' + field]}{first + len(rows)}"].value is None
    # the title block and the locked ref column are left alone
    assert ws[meta["title.country"]].value == plan.country(country).label(g.language)
    assert all(ws[f"{meta['col.ref']}{r}"].value is None for r in range(first, int(meta["last_row"]) + 1))


def test_protection_validations_names_and_hidden_sheets_are_kept(round_, tmp_path):
    _, plan, made = round_
    g = made[("MEX", "BORD")]
    dst = tmp_path / "r.xlsx"
    fill_workbook(g.path, dst, synthetic_rows(plan, "BORD", "MEX", "es", random.Random(2), 5), saved_at=SAVED)
    a, b = openpyxl.load_workbook(g.path), openpyxl.load_workbook(dst)

    assert b.sheetnames == a.sheetnames
    assert [ws.sheet_state for ws in b.worksheets] == [ws.sheet_state for ws in a.worksheets]
    assert b["_meta"].sheet_state == "veryHidden" and b["_lists"].sheet_state == "veryHidden"
    assert b.security is not None and b.security.lockStructure
    for name in a.sheetnames:
        pa, pb = a[name].protection, b[name].protection
        assert pb.sheet == pa.sheet and pb.password == pa.password
        if name != "_lists":  # the template leaves only the very hidden lists unprotected
            assert pb.sheet and pb.password
        assert (pb.formatColumns, pb.formatRows, pb.selectLockedCells) == (pa.formatColumns, pa.formatRows, pa.selectLockedCells)
    assert sorted(b.defined_names) == sorted(a.defined_names)
    assert {k: v.attr_text for k, v in b.defined_names.items()} == {k: v.attr_text for k, v in a.defined_names.items()}

    meta = meta_of(a)
    ma, mb = a[meta["matrix_sheet"]], b[meta["matrix_sheet"]]

    def rules(ws):
        return sorted((str(dv.sqref), dv.type, dv.formula1, dv.errorStyle, dv.showErrorMessage, dv.error,
                       dv.prompt, dv.promptTitle) for dv in ws.data_validations.dataValidation)

    assert rules(mb) == rules(ma) and len(rules(mb)) == 13  # 12 fields and the check column
    assert any(r[2] and r[2].startswith("INDIRECT(") for r in rules(mb))  # the dependent theme list
    assert mb.freeze_panes == ma.freeze_panes
    assert mb.print_title_rows == ma.print_title_rows
    first = int(meta["first_row"])
    assert mb[f"{meta['col.status']}{first}"].protection.locked is False
    assert mb[f"{meta['col.ref']}{first}"].protection.locked is True

    # and in the raw XML, as Excel will read it
    with zipfile.ZipFile(dst) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
    assert '<workbookProtection lockStructure="1"/>' in book
    assert book.count('state="veryHidden"') == 2


def test_modified_time_and_author_are_set(round_, tmp_path):
    _, plan, made = round_
    g = made[("CAN", "IRMM")]
    dst = tmp_path / "r.xlsx"
    fill_workbook(g.path, dst, [], saved_at=SAVED)
    props = openpyxl.load_workbook(dst).properties
    assert props.modified == SAVED
    assert props.lastModifiedBy == LAST_MODIFIED_BY
    with zipfile.ZipFile(dst) as z:
        assert "2025-06-20T14:30:00Z" in z.read("docProps/core.xml").decode("utf-8")
    # an aware time is stored in UTC
    aware = dt.datetime(2025, 6, 20, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    fill_workbook(g.path, dst, [], saved_at=aware)
    assert openpyxl.load_workbook(dst).properties.modified == SAVED
    # without saved_at: about now
    fill_workbook(g.path, dst, [])
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert abs(openpyxl.load_workbook(dst).properties.modified - now) < dt.timedelta(minutes=5)


def test_same_input_gives_same_bytes(round_, tmp_path):
    _, plan, made = round_
    g = made[("HND", "PROT")]
    rows = synthetic_rows(plan, "PROT", "HND", "es", random.Random(3), 4)
    fill_workbook(g.path, tmp_path / "a.xlsx", rows, saved_at=SAVED)
    fill_workbook(g.path, tmp_path / "b.xlsx", rows, saved_at=SAVED)
    assert sha(tmp_path / "a.xlsx") == sha(tmp_path / "b.xlsx")


def test_too_many_rows_is_refused_and_writes_nothing(round_, tmp_path):
    ws, plan, _ = round_
    [g] = generate(ws, plan, "2025-H2", groups=["PROT"], countries=["PAN"], rows=3)
    rows = synthetic_rows(plan, "PROT", "PAN", "es", random.Random(4), 4)
    with pytest.raises(ValueError, match="do not fit"):
        fill_workbook(g.path, tmp_path / "r.xlsx", rows)
    assert not (tmp_path / "r.xlsx").exists()
    fill_workbook(g.path, tmp_path / "r.xlsx", rows[:3])  # exactly full is fine
    with pytest.raises(ValueError):
        fill_workbook(g.path, tmp_path / "r.xlsx", [{"row": 99, "status": "Cumplido"}])
    with pytest.raises(ValueError, match="unknown field"):
        fill_workbook(g.path, tmp_path / "r.xlsx", [{"colour": "blue"}])
    with pytest.raises(ValueError):
        fill_workbook(g.path, g.path, rows[:1])  # never over the template


def test_prefilled_rows_are_skipped_unless_targeted(priority_round, tmp_path):
    _, plan, made = priority_round
    g = made[("GTM", "PROT")]
    assert g.meta["prefilled_rows"] == "6,7"
    rows = synthetic_rows(plan, "PROT", "GTM", "es", random.Random(5), 3)
    rows.append({"row": 7, "status": "Cumplido", "progress": "Protocolo adoptado en mayo."})
    dst = tmp_path / "r.xlsx"
    fill_workbook(g.path, dst, rows)
    wb = openpyxl.load_workbook(dst)
    ws = wb[g.meta["matrix_sheet"]]
    col = {f: g.meta[f"col.{f}"] for f in INPUT_FIELDS}
    assert [ws[f"{col['activity']}{r}"].value for r in (8, 9, 10)] == [r["activity"] for r in rows[:3]]
    assert ws[f"{col['activity']}6"].value == "Protocolo regional para niñez migrante no acompañada"
    assert ws[f"{col['status']}6"].value is None
    assert ws[f"{col['status']}7"].value == "Cumplido"
    assert ws[f"{col['progress']}7"].value == "Protocolo adoptado en mayo."
    assert ws[f"{col['pillar']}7"].value == plan.pillar("P1").label.es  # the locked part is unchanged
    # 5 input rows besides the 2 pre-filled ones: a 6th row does not fit
    with pytest.raises(ValueError):
        fill_workbook(g.path, tmp_path / "x.xlsx", synthetic_rows(plan, "PROT", "GTM", "es", random.Random(5), 6))


def test_typed_text_stays_text_and_numbers_stay_numbers(round_, tmp_path):
    _, plan, made = round_
    g = made[("SLV", "LABR")]
    rows = [{"activity": "=SUM(A1:A3) talleres", "indicators": 45, "status": "  en proceso de IMPLEMENTACION ",
             "risks": "+50 % de aumento", "progress": "-"}]
    dst = tmp_path / "r.xlsx"
    fill_workbook(g.path, dst, rows)
    wb = openpyxl.load_workbook(dst)
    ws = wb[g.meta["matrix_sheet"]]
    c = {f: ws[f"{g.meta['col.' + f]}6"] for f in INPUT_FIELDS}
    assert c["activity"].value == "=SUM(A1:A3) talleres" and c["activity"].data_type == "s"
    assert c["indicators"].value == 45 and c["indicators"].data_type == "n"
    assert c["status"].value == "  en proceso de IMPLEMENTACION "  # spaces survive the round trip
    with zipfile.ZipFile(dst) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode("utf-8")
    # the only formulas are the workbook's own check (column M) and its banner (E1)
    refs = re.findall(r'<c r="([A-Z]+[0-9]+)"[^>]*><f>', sheet)
    assert refs and all(ref.startswith("M") or ref == "E1" for ref in refs), refs


# --- synthetic rows ------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["PROT", "IRMM", "LABR", "BORD"])
def test_synthetic_rows_are_valid_and_in_the_templates_language(plan, group):
    for lang, country in (("es", "GTM"), ("en", "USA")):
        rows = synthetic_rows(plan, group, country, lang, random.Random(7), 40)
        assert len(rows) == 40
        other = "en" if lang == "es" else "es"
        for r in rows:
            assert set(r) == set(INPUT_FIELDS)
            pillar = next(p for p in plan.pillars if p.label(lang) == r["pillar"])
            assert r["theme"] in {t.label(lang) for t in pillar.themes}
            assert r["status"] in {s.label(lang) for s in plan.statuses}
            assert r["responsible"] in {c.label(lang) for c in plan.responsible_parties}
            assert r["deadline"] in {c.label(lang) for c in plan.deadlines}
            assert r["activity"] and r["indicators"] and r["progress"]
            if lang == "es":
                assert r["status"] not in {s.label(other) for s in plan.statuses}
        text = " ".join(r["activity"] + " " + r["indicators"] + " " + r["progress"] for r in rows)
        if lang == "es":
            assert any(ch in text for ch in "áéíóúñ")
            assert "Número de" in text or "Porcentaje" in text or "Casos" in text or "Inspecciones" in text \
                or "Planes" in text or "Documentos" in text
        else:
            assert not any(ch in text for ch in "áéíóúñ")


def test_synthetic_rows_are_deterministic(plan):
    a = synthetic_rows(plan, "PROT", "MEX", "es", random.Random(11), 20)
    b = synthetic_rows(plan, "PROT", "MEX", "es", random.Random(11), 20)
    c = synthetic_rows(plan, "PROT", "MEX", "es", random.Random(12), 20)
    assert a == b and a != c


def test_spanish_return_has_spanish_labels(round_, tmp_path):
    _, plan, made = round_
    g = made[("CRI", "IRMM")]
    assert g.language == "es"
    dst = tmp_path / "r.xlsx"
    fill_workbook(g.path, dst, synthetic_rows(plan, "IRMM", "CRI", "es", random.Random(8), 10))
    wb = openpyxl.load_workbook(dst)
    meta = meta_of(wb)
    ws = wb[meta["matrix_sheet"]]
    assert meta["matrix_sheet"] == "Matriz de seguimiento"
    es_status = {s.label.es for s in plan.statuses}
    es_pillars = {p.label.es for p in plan.pillars}
    for r in range(6, 16):
        assert ws[f"{meta['col.status']}{r}"].value in es_status
        assert ws[f"{meta['col.pillar']}{r}"].value in es_pillars


# --- mistakes ------------------------------------------------------------------------------

EXPECTED_VALID = {
    "status_case_spaces": True, "status_other_language": True, "status_invalid": False,
    "theme_other_pillar": False, "missing_pillar_status": False, "formula_like_text": True,
    "number_in_text_cell": True,
}


def test_the_catalog(plan):
    assert {name: m.valid for name, m in MISTAKES.items()} == EXPECTED_VALID
    assert all(m.description for m in MISTAKES.values())


def _labels(items, *, codes=True):
    out = set()
    for c in items:
        out |= {norm(c.label.en), norm(c.label.es)} | ({norm(c.code)} if codes else set())
    return out


@pytest.mark.parametrize("lang,country", [("es", "GTM"), ("en", "CAN")])
@pytest.mark.parametrize("name", sorted(EXPECTED_VALID))
def test_each_mistake_does_what_its_name_says(plan, round_, tmp_path, name, lang, country):
    for seed in range(5):
        rows = synthetic_rows(plan, "PROT", country, lang, random.Random(seed), 6)
        before = copy.deepcopy(rows)
        i = MISTAKES[name](rows, random.Random(seed), plan=plan, language=lang)
        # only that row changed
        assert [r for k, r in enumerate(rows) if k != i] == [r for k, r in enumerate(before) if k != i]
        old, new = before[i], rows[i]
        changed = {f for f in INPUT_FIELDS if old[f] != new[f]}
        status = next(s for s in plan.statuses if s.label(lang) == old["status"])
        if name == "status_case_spaces":
            assert changed == {"status"}
            assert new["status"] != new["status"].strip() and new["status"] != status.label(lang)
            assert norm(new["status"]) == norm(status.label(lang))  # valid after normalization
            assert new["status"] == unicodedata.normalize("NFD", new["status"])  # no accents left
            assert new["status"] != new["status"].lower() or new["status"].strip() != status.label(lang).lower()
        elif name == "status_other_language":
            assert changed <= {"status"}
            other = "en" if lang == "es" else "es"
            assert new["status"] in {s.label(other) for s in plan.statuses}
            assert norm(new["status"]) in _labels(plan.statuses)
        elif name == "status_invalid":
            assert changed == {"status"}
            assert norm(new["status"]) not in _labels(plan.statuses)
        elif name == "theme_other_pillar":
            pillar = next(p for p in plan.pillars if p.label(lang) == new["pillar"])
            assert norm(new["theme"]) not in _labels(pillar.themes)  # not even by its twin label
            assert any(new["theme"] == t.label(lang) for p in plan.pillars if p is not pillar for t in p.themes)
        elif name == "missing_pillar_status":
            assert new["pillar"] == "" and new["status"] == "" and new["activity"]
            assert changed == {"pillar", "status"}
        elif name == "formula_like_text":
            assert changed == {"activity"}
            assert new["activity"] == "=" + old["activity"]
        elif name == "number_in_text_cell":
            assert changed == {"indicators"}
            assert isinstance(new["indicators"], int)

    # and what a mistake typed is what lands in the workbook
    g = round_[2][(country, "PROT")]
    dst = tmp_path / f"{name}.xlsx"
    fill_workbook(g.path, dst, rows)
    ws = openpyxl.load_workbook(dst)[g.meta["matrix_sheet"]]
    for f in INPUT_FIELDS:
        cell = ws[f"{g.meta['col.' + f]}{6 + i}"]
        assert cell.value == expected_cell(rows[i][f])
        if isinstance(rows[i][f], str) and rows[i][f]:
            assert cell.data_type == "s"


def test_apply_mistakes_picks_distinct_mistakes_on_distinct_rows(plan):
    rows = synthetic_rows(plan, "LABR", "DOM", "es", random.Random(1), 10)
    applied = apply_mistakes_at(rows, random.Random(2), 3, plan=plan, language="es")
    names = [n for n, _ in applied]
    assert len(set(names)) == 3 and set(names) <= set(MISTAKES)
    assert len({i for _, i in applied}) == 3
    everything = apply_mistakes(synthetic_rows(plan, "LABR", "DOM", "es", random.Random(1), 10),
                                random.Random(2), 99, plan=plan, language="es")
    assert sorted(everything) == sorted(MISTAKES)
    # deterministic; the plan and language default to the shipped plan and a guess from the rows
    r1 = synthetic_rows(plan, "BORD", "NIC", "es", random.Random(3), 8)
    r2 = copy.deepcopy(r1)
    assert apply_mistakes(r1, random.Random(4), 2) == apply_mistakes(r2, random.Random(4), 2, plan=plan, language="es")
    assert r1 == r2
    assert apply_mistakes([], random.Random(4), 2) == []


# --- a round -------------------------------------------------------------------------------


def _summary(manifest, inbox):
    return [(str(Path(e["path"]).relative_to(inbox)), e["country"], e["group"], e["language"], e["rows"],
             e["mistakes"], e["mistake_rows"], e["renamed"]) for e in manifest]


def test_fill_round_is_deterministic_and_leaves_templates_alone(round_, tmp_path):
    ws, plan, made = round_
    templates = [g.path for g in made.values()]
    hashes = {p: sha(p) for p in templates}
    m1 = fill_round(templates, tmp_path / "in1", plan, seed=5, saved_at=SAVED)
    m2 = fill_round(list(reversed(templates)), tmp_path / "in2", plan, seed=5, saved_at=SAVED)
    m3 = fill_round(templates, tmp_path / "in3", plan, seed=6, saved_at=SAVED)
    assert _summary(m1, tmp_path / "in1") == _summary(m2, tmp_path / "in2")
    assert _summary(m1, tmp_path / "in1") != _summary(m3, tmp_path / "in3")
    for a, b in zip(m1, m2):
        assert sha(a["path"]) == sha(b["path"])
    assert {p: sha(p) for p in templates} == hashes

    # about 10% unreturned by default; every written file is listed, under inbox/<COUNTRY>/
    assert len(m1) == 44 - round(44 * 0.1)
    files = sorted((tmp_path / "in1").rglob("*.xlsx"))
    assert sorted(Path(e["path"]) for e in m1) == files
    for e in m1:
        assert Path(e["path"]).parent.name == e["country"]
        assert 3 <= sum(1 for r in e["rows"]) <= 10
        assert e["language"] == plan.country(e["country"]).language
        assert e["period"] == PERIOD
        assert set(e["mistake_rows"]) == set(e["mistakes"])
    assert any(e["renamed"] for e in m1) and any(not e["renamed"] for e in m1)
    assert any(e["mistakes"] for e in m1) and any(not e["mistakes"] for e in m1)
    assert any(Path(e["path"]).name != Path(e["template"]).name for e in m1)

    # what the manifest says was written is what is in the file
    e = next(e for e in m1 if e["mistakes"])
    wb = openpyxl.load_workbook(e["path"])
    meta = meta_of(wb)
    sheet = wb[meta["matrix_sheet"]]
    for row in e["rows"]:
        for f in INPUT_FIELDS:
            if f in row:
                assert sheet[f"{meta['col.' + f]}{row['row']}"].value == expected_cell(row[f])
    assert wb.properties.modified == SAVED


def test_fill_round_missing_pairs_and_rows(round_, tmp_path):
    ws, plan, made = round_
    templates = [g.path for g in made.values()]
    missing = [("GTM", "PROT"), ("usa", "bord")]
    m = fill_round(templates, tmp_path / "in", plan, seed=1, missing=missing, rows_per_return=(110, 120),
                   mistake_rate=1.0, rename_rate=0.0)
    got = {(e["country"], e["group"]) for e in m}
    assert len(m) == 42 and ("GTM", "PROT") not in got and ("USA", "BORD") not in got
    assert all(len(e["rows"]) == 100 for e in m)  # capped at the template's 100 input rows
    assert all(1 <= len(e["mistakes"]) <= 3 for e in m)
    assert all(Path(e["path"]).name == Path(e["template"]).name for e in m)


def test_fill_round_updates_prefilled_rows(priority_round, tmp_path):
    _, plan, made = priority_round
    m = fill_round([g.path for g in made.values()], tmp_path / "in", plan, seed=2, missing=[], mistake_rate=0)
    assert len(m) == 2
    for e in m:
        targeted = [r for r in e["rows"] if "pillar" not in r]
        assert [r["row"] for r in targeted] == [6, 7]
        assert all(set(r) - {"row"} <= {"measured_by", "responsible", "deadline", "status", "risks",
                                         "progress", "next_steps"} for r in targeted)
        assert min(r["row"] for r in e["rows"] if "pillar" in r) == 8


def test_fill_round_in_processes_gives_the_same_files(round_, tmp_path):
    ws, plan, made = round_
    templates = [g.path for g in made.values()][:6]
    m1 = fill_round(templates, tmp_path / "a", plan, seed=3, missing=[], saved_at=SAVED)
    m2 = fill_round(templates, tmp_path / "b", plan, seed=3, missing=[], saved_at=SAVED, workers=2)
    assert _summary(m1, tmp_path / "a") == _summary(m2, tmp_path / "b")
    assert [sha(e["path"]) for e in m1] == [sha(e["path"]) for e in m2]
