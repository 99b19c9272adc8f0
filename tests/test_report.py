"""The annual report draft: a .docx opened with python-docx, its numbers checked against the registry
(on both backends: SQLite and PostgreSQL)."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from test_registry import H1, H2, Scenario  # the two-period scenario

from rcm_workbooks.registry.report import report_data, write_report
from rcm_workbooks.registry.store import Registry

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, module_registries):
    from rcm_workbooks.core.plan import DEFAULT_PLAN, load_plan
    from rcm_workbooks.workspace import init_workspace

    plan = load_plan(DEFAULT_PLAN)
    ws = init_workspace(tmp_path_factory.mktemp("rep") / "ws")
    return Scenario(ws, plan, plan.responsible_parties[0].code, module_registries)


def registry_counts(target, year: int) -> dict[str, dict[str, int]]:
    """Independently of report.py: each ref's status in the latest period of the year, counted."""
    with Registry.open(target) as db:
        rows = db.q(
            "SELECT r.grp, r.pillar, r.status FROM rows r WHERE r.current = 1 AND r.period LIKE ? AND NOT EXISTS ("
            " SELECT 1 FROM rows s WHERE s.ref = r.ref AND s.current = 1 AND s.period LIKE ? AND s.period > r.period)",
            f"{year}%", f"{year}%")
    out: dict[str, dict[str, int]] = {}
    for grp, pillar, status in rows:
        cat = {"COMPLETED": "achieved", "IN_PROCESS": "in_process"}.get(status, "pending")
        for key in (("group", grp), ("pillar", pillar)):
            c = out.setdefault(key, {"achieved": 0, "in_process": 0, "pending": 0, "total": 0})
            c[cat] += 1
            c["total"] += 1
    return out


def table_values(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


@pytest.fixture(scope="module")
def reports(scenario, tmp_path_factory):
    out = {}
    folder = tmp_path_factory.mktemp("docx")
    with Registry.open(scenario.db) as db:
        for lang in ("en", "es"):
            data = report_data(db, scenario.plan, 2025)
            out[lang] = write_report(folder / f"report_{lang}.docx", data, scenario.plan, lang), data
    return out


def test_commitment_tables_match_the_registry(scenario, reports):
    import docx

    path, data = reports["en"]
    doc = docx.Document(str(path))
    expected = registry_counts(scenario.db, 2025)
    by_group = table_values(doc.tables[0])
    assert by_group[0] == ["Working group", "Completed", "In process", "Pending", "Total"]
    labels = {g.label("en"): g.code for g in scenario.plan.working_groups}
    body = {labels[r[0]]: [int(x) for x in r[1:]] for r in by_group[1:-1]}
    assert body == {g: [c["achieved"], c["in_process"], c["pending"], c["total"]]
                    for (kind, g), c in expected.items() if kind == "group"}
    # the scenario by hand: PROT A, C completed; B, D, F, H in process. LABR E not achieved, G no status.
    assert body == {"PROT": [2, 4, 0, 6], "LABR": [0, 0, 2, 2]}
    assert by_group[-1] == ["Total", "2", "4", "2", "8"]
    by_pillar = table_values(doc.tables[1])
    plabels = {p.label("en"): p.code for p in scenario.plan.pillars}
    pbody = {plabels[r[0]]: [int(x) for x in r[1:]] for r in by_pillar[1:-1]}
    assert pbody == {p: [c["achieved"], c["in_process"], c["pending"], c["total"]]
                     for (kind, p), c in expected.items() if kind == "pillar"}


def returns_tables(doc, lang="en"):
    heading = {"en": "Country", "es": "País"}[lang]
    return [t for t in doc.tables if t.rows[0].cells[0].text == heading]


def test_returns_record(scenario, reports):
    import docx

    doc = docx.Document(str(reports["en"][0]))
    tables = returns_tables(doc)
    assert len(tables) == 2
    for table, period in zip(tables, (H1, H2)):
        values = table_values(table)
        assert values[0] == ["Country"] + [g.label("en") for g in scenario.plan.working_groups]
        assert len(values) == 1 + len(scenario.plan.countries)
        code = dict(zip(values[0][1:], [g.code for g in scenario.plan.working_groups]))
        rows = {r[0]: {code[h]: v for h, v in zip(values[0][1:], r[1:])} for r in values[1:]}
        assert rows["Guatemala"]["PROT"] == "✓" and rows["Guatemala"]["LABR"] == "✓"
        assert rows["Honduras"]["PROT"] == "✓" and rows["Honduras"]["LABR"] == "—"
        assert rows["Mexico"]["PROT"] == "—"
        with Registry.open(scenario.db) as db:
            n = db.q("SELECT count(*) FROM standing WHERE period = ?", period)[0][0]
        assert sum(v == "✓" for r in rows.values() for v in r.values()) == n == 3
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "First half of 2025: 3 of 44 returns received." in text  # the period in words
    assert "Did not report: " in text and "Honduras (Labor migration)" in text
    assert "✓ received, ✗ rejected" in text


def test_sections_texts_and_lists(scenario, reports):
    import docx

    doc = docx.Document(str(reports["en"][0]))
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("Annual report 2025", "a) Commitments achieved, in process and pending",
                    "b) Description of the work carried out", "c) Recommendations and next steps",
                    "Returns received in 2025"):
        assert heading in text
    # a) one table per working group: Ref., Country, Activity, Status, Period
    activities = [t for t in doc.tables if t.rows[0].cells[2].text == "Activity"]
    assert len(activities) == 2  # PROT and LABR have activities
    assert [c.text for c in activities[0].rows[0].cells] == ["Ref.", "Country", "Activity", "Status", "Period"]
    # an activity's status as the plan and the workbooks name it, not a count's heading
    assert ["GTM-PROT-0003", "Guatemala", "Activity C: data exchange", "Completed", "first half of 2025"] in \
        table_values(activities[0])
    for lang, none in (("en", "(no status)"), ("es", "(sin estado)")):
        tables = docx.Document(str(reports[lang][0])).tables
        statuses = {r[3] for t in tables if len(t.rows[0].cells) == 5 and t.rows[0].cells[0].text == "Ref."
                    for r in table_values(t)[1:]}
        # the scenario: completed, in process, not achieved, and one row with no status
        assert statuses == {*(s.label(lang) for s in scenario.plan.statuses), none}, statuses
    # b) every progress text of the year, with its period, under its pillar; c) the latest next steps
    work = [r for t in doc.tables if t.rows[0].cells[-1].text == "Work carried out" for r in table_values(t)]
    assert ["GTM-PROT-0001", "Guatemala", "first half of 2025", "Draft protocol written."] in work
    assert ["GTM-PROT-0001", "Guatemala", "second half of 2025", "Protocol adopted."] in work
    assert "(first half of 2025, second half of 2025)" in text and H1 not in text and H2 not in text
    assert ["Migration governance"] * 4 in work  # a pillar's sub-heading spans the row
    steps = [r for t in doc.tables if t.rows[0].cells[-1].text == "Recommendation / next step"
             for r in table_values(t)]
    assert ["GTM-PROT-0002", "Guatemala", "Train 40 officials."] in steps
    assert not any("Find a trainer." in r[-1] for r in steps)  # superseded by H2's next steps


def test_native_charts_with_labels(scenario, reports):
    """Two Word charts (no picture): categories are the working groups' labels in the report's
    language, one series per category of status, each with its numbers' workbook embedded."""
    for lang, names in (("en", ["Completed", "In process", "Pending"]),
                        ("es", ["Cumplidos", "En proceso", "Pendientes"])):
        with zipfile.ZipFile(reports[lang][0]) as z:
            parts = z.namelist()
            charts = sorted(n for n in parts if n.startswith("word/charts/chart") and n.endswith(".xml"))
            assert charts == ["word/charts/chart1.xml", "word/charts/chart2.xml"]
            assert not [n for n in parts if n.startswith("word/media/")]
            first = z.read(charts[0]).decode()
            assert '<c:externalData r:id="rId1">' in first
            for g in scenario.plan.working_groups:
                if g.code in ("PROT", "LABR"):
                    assert f"<c:v>{g.label(lang)}</c:v>" in first and f"<c:v>{g.code}</c:v>" not in first
            for name in names:
                assert f"<c:v>{name}</c:v>" in first
            rels = z.read("word/charts/_rels/chart1.xml.rels").decode()
            assert "../embeddings/Microsoft_Excel_Worksheet1.xlsx" in rels
            book = z.read("word/embeddings/Microsoft_Excel_Worksheet1.xlsx")
            assert zipfile.ZipFile(io.BytesIO(book)).testzip() is None
            said = {"en": "first half of 2025", "es": "primer semestre de 2025"}[lang]
            assert f"<c:v>{said}</c:v>" in z.read(charts[1]).decode()  # the period in words


def test_tables_look_like_tables(reports):
    """Header shaded, bold and repeated on each page; rows never split; numbers right-aligned; the
    total bold; the label column wider than the numbers'."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for lang in ("en", "es"):
        doc = docx.Document(str(reports[lang][0]))
        assert len(doc.tables) >= 8
        for table in doc.tables:
            head = table.rows[0]
            assert head._tr.trPr.find(W + "tblHeader") is not None
            assert all(r._tr.trPr.find(W + "cantSplit") is not None for r in table.rows)
            for cell in head.cells:
                assert cell._tc.tcPr.find(W + "shd").get(W + "fill") == "1F3864"
                assert all(run.bold for run in cell.paragraphs[0].runs)
        counts = doc.tables[0]
        widths = [c.width for c in counts.columns]
        assert widths[0] > 2 * max(widths[1:])
        assert all(run.bold for c in counts.rows[-1].cells for run in c.paragraphs[0].runs)
        for row in counts.rows[1:]:
            assert all(c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for c in row.cells[1:])
            assert row.cells[0].paragraphs[0].alignment is None


def test_table_of_contents_and_page_numbers(reports):
    """A TOC field after the introduction lists every heading of levels 1 and 2, before a); the
    page number is in the footer; Word is asked to update the fields when it opens the file."""
    import docx

    for lang in ("en", "es"):
        doc = docx.Document(str(reports[lang][0]))
        assert doc.element.body.xml.count('TOC \\o "1-2"') == 1
        headings = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
        paras = [p.text for p in doc.paragraphs]
        start = next(i for i, p in enumerate(doc.paragraphs) if "instrText" in p._p.xml)
        assert paras[start:start + len(headings)] == headings
        assert paras.index(headings[0], start + len(headings)) > start  # a) comes after its entry
        assert "PAGE" in doc.sections[0].footer.paragraphs[0]._p.xml
        assert doc.settings.element.find(W + "updateFields") is not None


def test_spanish_report_is_built_like_the_english_one(reports):
    import docx

    en, es = (docx.Document(str(reports[lang][0])) for lang in ("en", "es"))
    assert len(en.tables) == len(es.tables)
    assert [len(t.rows) for t in en.tables] == [len(t.rows) for t in es.tables]
    assert [len(t.columns) for t in en.tables] == [len(t.columns) for t in es.tables]
    assert [p.style.name for p in en.paragraphs] == [p.style.name for p in es.paragraphs]


def test_spanish_report(reports):
    import docx

    doc = docx.Document(str(reports["es"][0]))
    assert table_values(doc.tables[0])[0] == ["Grupo de trabajo", "Cumplidos", "En proceso", "Pendientes", "Total"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Informe anual 2025" in text and "c) Recomendaciones y próximos pasos" in text
    assert "Contenido" in text and "✓ recibida, ✗ rechazada" in text
    assert "Primer semestre de 2025: se recibieron 3 de 44 respuestas." in text
    assert re.search(r"Borrador generado el \d{1,2} de \w+ de \d{4} a partir del registro \(primer semestre de "
                     r"2025, segundo semestre de 2025\)\.", text)
    assert "2025-H" not in text
    assert table_values(returns_tables(doc, "es")[0])[1][1] in ("✓", "—")


def test_report_cli(scenario, tmp_path):
    import docx
    from click.testing import CliRunner

    from rcm_workbooks.cli import cli

    out = tmp_path / "informe.docx"
    res = CliRunner().invoke(cli, ["-C", str(scenario.ws.root), "report", "--year", "2025", "--lang", "es",
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"Se escribió {out}\n  2025 ({H1}, {H2}): 8 actividades: logradas: ")
    assert table_values(docx.Document(str(out)).tables[0])[-1] == ["Total", "2", "4", "2", "8"]
    res = CliRunner().invoke(cli, ["-C", str(scenario.ws.root), "report", "--year", "2031"])
    assert res.exit_code == 2 and "no period of 2031" in res.output
