"""The annual report draft: a .docx opened with python-docx, its numbers checked against the registry
(on both backends: SQLite and PostgreSQL)."""
from __future__ import annotations

import struct
import zlib

import pytest
from test_registry import H1, H2, Scenario  # the two-period scenario

from rcm_workbooks.registry.report import bar_chart, report_data, write_report
from rcm_workbooks.registry.store import Registry


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
    assert by_group[0] == ["Working group", "Achieved", "In process", "Pending", "Total"]
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


def test_returns_record(scenario, reports):
    import docx

    doc = docx.Document(str(reports["en"][0]))
    for table, period in ((doc.tables[2], H1), (doc.tables[3], H2)):
        values = table_values(table)
        assert values[0] == ["Country"] + [g.code for g in scenario.plan.working_groups]
        assert len(values) == 1 + len(scenario.plan.countries)
        rows = {r[0]: dict(zip(values[0][1:], r[1:])) for r in values[1:]}
        assert rows["Guatemala"]["PROT"] == "received" and rows["Guatemala"]["LABR"] == "received"
        assert rows["Honduras"]["PROT"] == "received" and rows["Honduras"]["LABR"] == "—"
        assert rows["Mexico"]["PROT"] == "—"
        with Registry.open(scenario.db) as db:
            n = db.q("SELECT count(*) FROM standing WHERE period = ?", period)[0][0]
        assert sum(v == "received" for r in rows.values() for v in r.values()) == n == 3
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Period {H1}: 3 of 44 returns received." in text
    assert "Did not report: " in text and "Honduras (LABR)" in text


def test_sections_texts_and_charts(reports):
    import docx

    doc = docx.Document(str(reports["en"][0]))
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("Annual report 2025", "a) Commitments achieved, in process and pending",
                    "b) Description of the work carried out", "c) Recommendations and next steps",
                    "Returns received in 2025"):
        assert heading in text
    # b) every progress text of the year, with its period; c) the latest next steps
    assert "GTM-PROT-0001 (Guatemala, 2025-H1): Draft protocol written." in text
    assert "GTM-PROT-0001 (Guatemala, 2025-H2): Protocol adopted." in text
    assert "GTM-PROT-0002 (Guatemala): Train 40 officials." in text
    assert "Find a trainer." not in text.split("c) Recommendations")[1]  # superseded by H2's next steps
    assert len(doc.inline_shapes) == 2
    blobs = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(blobs) == 2 and all(b.startswith(b"\x89PNG\r\n\x1a\n") for b in blobs)


def test_spanish_report(reports):
    import docx

    doc = docx.Document(str(reports["es"][0]))
    assert table_values(doc.tables[0])[0] == ["Grupo de trabajo", "Cumplidos", "En proceso", "Pendientes", "Total"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Informe anual 2025" in text and "c) Recomendaciones y próximos pasos" in text
    assert table_values(doc.tables[2])[1][1] in ("recibida", "—")


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


def test_png_chart_is_a_valid_png():
    png = bar_chart([("PROT", [2, 4, 0]), ("LABR", [0, 0, 2])], stacked=True, width=300, height=200)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # walk the chunks, check the CRCs and decompress the image
    pos, idat = 8, b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind, body = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            assert struct.unpack(">II", body[:8]) == (300, 200)
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    raw = zlib.decompress(idat)
    assert len(raw) == 200 * (1 + 300 * 3)
    assert bytes([0x2E, 0x7D, 0x32]) in raw  # the achieved colour is drawn
