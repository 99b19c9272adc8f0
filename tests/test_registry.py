"""The registry: stable refs, carry-forward, supersession, idempotence, migrations, Progress, history.

Every test runs on both backends: an SQLite file and a database on a real PostgreSQL server
(`registries` / `module_registries`, tests/support/registries.py)."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from rcm_workbooks.outputs.progress import progress, write_progress_sheet
from rcm_workbooks.registry.carry import carry_forward
from rcm_workbooks.registry.schema import MIGRATIONS, SCHEMA_VERSION, TABLES
from rcm_workbooks.registry.store import (
    Registry,
    default_db_path,
    history,
    registry_target,
    render_history,
)
from rcm_workbooks.round import consolidate
from rcm_workbooks.template.generate import generate
from tests.support.printing import assert_prints_one_page_wide
from tests.support.workbooks import meta_of, set_modified

H1, H2 = "2025-H1", "2025-H2"


# --- helpers: fill a generated template as a focal point would, through its _meta ------------------


def set_saved_at(path: Path, when: dt.datetime) -> None:
    """Rewrite docProps/core.xml's modified time (openpyxl stamps 'now' on save)."""
    path.write_bytes(set_modified(path.read_bytes(), when.strftime("%Y-%m-%dT%H:%M:%SZ")))


def fill(template: Path, dest: Path, new_rows=(), by_ref=None, clear_refs=(), saved_at=None) -> Path:
    """Fill `template` into `dest`: `new_rows` (dicts of field -> text) into the first empty input
    rows; `by_ref` {ref: {field: text}} onto the pre-filled rows carrying that ref; `clear_refs`:
    every cell of those rows emptied (as if the row had been deleted)."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    meta = meta_of(wb)
    ws = wb[meta["matrix_sheet"]]
    col = {k[4:]: v for k, v in meta.items() if k.startswith("col.")}
    first, last = int(meta["first_row"]), int(meta["last_row"])
    refs = {ws[f"{col['ref']}{r}"].value: r for r in range(first, last + 1) if ws[f"{col['ref']}{r}"].value}
    for ref, values in (by_ref or {}).items():
        for f, v in values.items():
            ws[f"{col[f]}{refs[ref]}"] = v
    for ref in clear_refs:
        for f, letter in col.items():
            ws[f"{letter}{refs[ref]}"] = None
    free = [r for r in range(first, last + 1) if r not in refs.values()]
    for r, values in zip(free, new_rows):
        for f, v in values.items():
            ws[f"{col[f]}{r}"] = v
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    set_saved_at(dest, saved_at or dt.datetime(2025, 7, 1, 12, 0))
    return dest


def row(activity, status, pillar="P1", theme="T1", progress="", next_steps="", **kw):
    return {"pillar": pillar, "theme": theme, "activity": activity, "status": status, "progress": progress,
            "next_steps": next_steps, "responsible": kw.get("responsible", "MEMBER_COUNTRIES"),
            "deadline": kw.get("deadline", "Y1"), "indicators": kw.get("indicators", ""),
            "measured_by": kw.get("measured_by", ""), "risks": kw.get("risks", "")}


def current_rows(target, period: str | None = None) -> list[dict]:
    """The current rows of a registry (a path or a URL), read without rcm's own queries."""
    sql = "SELECT * FROM rows WHERE current = 1" + (" AND period = ?" if period else "")
    with Registry.open(target, upgrade=False) as db:
        out = [dict(r) for r in db.q(sql, *((period,) if period else ()))]
    return sorted(out, key=lambda r: (r["period"], r["ref"]))


def refs_by_activity(rows: list[dict]) -> dict[str, str]:
    return {r["activity"]: r["ref"] for r in rows}


@pytest.fixture
def responsible(plan):
    return plan.responsible_parties[0].code


# --- the two-period scenario ------------------------------------------------------------------------


class Scenario:
    """H1: three returns consolidated. H2: generated with carry-forward, filled with status changes,
    one carried row cleared out and one carried row left without status, consolidated."""

    def __init__(self, ws, plan, responsible, registries):
        self.ws, self.plan = ws, plan
        self.db = registries.attach(ws)
        r = lambda *a, **k: row(*a, responsible=responsible, **k)  # noqa: E731
        made = generate(ws, plan, H1, groups=["PROT", "LABR"], countries=["GTM", "HND"])
        self.h1_templates = {(g.country, g.working_group): g.path for g in made}
        inbox = ws.inbox
        fill(self.h1_templates["GTM", "PROT"], inbox / "h1" / "gtm_prot.xlsx", [
            r("Activity A: regional protocol", "IN_PROCESS", progress="Draft protocol written.",
              next_steps="Validate with the countries.", indicators="Protocol adopted", risks="Funding"),
            r("Activity B: training of officials", "No alcanzado", pillar="P2", theme="T1",
              progress="Postponed.", next_steps="Find a trainer."),
            r("Activity C: data exchange", "Completed", progress="Agreement signed."),
        ])
        fill(self.h1_templates["HND", "PROT"], inbox / "h1" / "hnd_prot.xlsx", [
            r("Activity D: shelters", "En proceso de implementación", progress="Two shelters open."),
        ])
        fill(self.h1_templates["GTM", "LABR"], inbox / "h1" / "gtm_labr.xlsx", [
            r("Activity E: labour mobility pilot", "IN_PROCESS", progress="Pilot designed."),
            r("Activity G: job fairs", "IN_PROCESS", progress="One fair held.", next_steps="Hold two more."),
        ])
        self.c1 = consolidate(ws, plan, period=H1, lang="en")
        self.h1_rows = current_rows(self.db, H1)
        self.h1_refs = refs_by_activity(self.h1_rows)

        with Registry.open(self.db) as db:
            made2 = generate(ws, plan, H2, groups=["PROT", "LABR"], countries=["GTM", "HND"],
                             prefill=carry_forward(db, plan, H2))
        self.h2_templates = {(g.country, g.working_group): g.path for g in made2}
        ref = self.h1_refs
        shutil.rmtree(inbox / "h1")
        fill(self.h2_templates["GTM", "PROT"], inbox / "h2" / "gtm_prot.xlsx",
             [r("Activity F: new campaign", "IN_PROCESS", pillar="P3", theme="T2", progress="Campaign launched.")],
             by_ref={ref["Activity A: regional protocol"]: {"status": "Cumplido", "progress": "Protocol adopted."},
                     ref["Activity B: training of officials"]: {"status": "IN_PROCESS", "progress": "Trainer found.",
                                                               "next_steps": "Train 40 officials."}},
             saved_at=dt.datetime(2026, 1, 10))
        fill(self.h2_templates["HND", "PROT"], inbox / "h2" / "hnd_prot.xlsx",
             [r("Activity H: hotline", "IN_PROCESS")], clear_refs=[ref["Activity D: shelters"]],
             saved_at=dt.datetime(2026, 1, 10))
        fill(self.h2_templates["GTM", "LABR"], inbox / "h2" / "gtm_labr.xlsx",
             by_ref={ref["Activity E: labour mobility pilot"]: {"status": "NOT_ACHIEVED", "progress": "Stopped."},
                     ref["Activity G: job fairs"]: {"progress": "Two fairs held."}},
             saved_at=dt.datetime(2026, 1, 10))
        self.c2 = consolidate(ws, plan, period=H2, lang="en")
        self.h2_rows = current_rows(self.db, H2)
        self.h2_refs = refs_by_activity(self.h2_rows)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, module_registries):
    from rcm_workbooks.core.plan import DEFAULT_PLAN, load_plan
    from rcm_workbooks.workspace import init_workspace

    plan = load_plan(DEFAULT_PLAN)
    ws = init_workspace(tmp_path_factory.mktemp("reg") / "ws")
    return Scenario(ws, plan, plan.responsible_parties[0].code, module_registries)


def test_h1_refs_are_sequential_per_country_and_group(scenario):
    assert scenario.h1_refs == {
        "Activity A: regional protocol": "GTM-PROT-0001",
        "Activity B: training of officials": "GTM-PROT-0002",
        "Activity C: data exchange": "GTM-PROT-0003",
        "Activity D: shelters": "HND-PROT-0001",
        "Activity E: labour mobility pilot": "GTM-LABR-0001",
        "Activity G: job fairs": "GTM-LABR-0002",
    }
    matrix = scenario.c1.periods[H1].matrix
    assert sorted(matrix["ref"]) == sorted(scenario.h1_refs.values())
    # codes for coded fields, texts as typed
    a = next(r for r in scenario.h1_rows if r["ref"] == "GTM-PROT-0001")
    assert (a["pillar"], a["theme"], a["status"], a["risks"]) == ("P1", "T1", "IN_PROCESS", "Funding")
    b = next(r for r in scenario.h1_rows if r["ref"] == "GTM-PROT-0002")
    assert b["status"] == "NOT_ACHIEVED" and json.loads(b["typed"])["status"] == "No alcanzado"


def test_carry_forward_prefills_latest_rows_with_refs(scenario):
    import openpyxl

    wb = openpyxl.load_workbook(scenario.h2_templates["GTM", "PROT"])
    meta = meta_of(wb)
    ws = wb[meta["matrix_sheet"]]
    first = int(meta["first_row"])
    pre = [int(x) for x in meta["prefilled_rows"].split(",") if x]
    got = {ws[f"A{r}"].value: {f: ws[f"{meta['col.' + f]}{r}"].value for f in ("activity", "status", "theme", "risks")}
           for r in pre}
    # A and B carried (C was completed: not carried); status left for the focal point
    assert set(got) == {"GTM-PROT-0001", "GTM-PROT-0002"}
    assert pre == [first, first + 1]
    assert got["GTM-PROT-0001"]["activity"] == "Activity A: regional protocol"
    assert got["GTM-PROT-0001"]["status"] in (None, "")
    assert got["GTM-PROT-0001"]["risks"] == "Funding"
    # GTM's templates are in Spanish: the theme code became its Spanish label
    assert got["GTM-PROT-0001"]["theme"] == scenario.plan.pillar("P1").theme("T1").label("es")
    # HND LABR had nothing to carry
    wb2 = openpyxl.load_workbook(scenario.h2_templates["HND", "LABR"])
    assert meta_of(wb2)["prefilled_rows"] == ""


def test_refs_are_stable_across_periods(scenario):
    h1, h2 = scenario.h1_refs, scenario.h2_refs
    for activity in ("Activity A: regional protocol", "Activity B: training of officials",
                     "Activity E: labour mobility pilot", "Activity G: job fairs"):
        assert h2[activity] == h1[activity]
    # new rows continue the counter; D's number is never handed out again
    assert h2["Activity F: new campaign"] == "GTM-PROT-0004"
    assert h2["Activity H: hotline"] == "HND-PROT-0002"
    assert "Activity D: shelters" not in h2


def test_warnings_for_the_carried_rows(scenario):
    findings = [f for r in scenario.c2.files for f in r.all_findings()]
    missing = [f for f in findings if f.code == "carried-row-missing"]
    assert [(f.value, f.file, f.severity.value) for f in missing] == [("HND-PROT-0001", "h2/hnd_prot.xlsx", "warning")]
    assert "Activity D: shelters" in missing[0].message("en") and "first half of 2025" in missing[0].message("en")
    empty = [f for f in findings if f.code == "prefilled-empty"]
    # G left without status; the cleared-out row D is named by the ref the template gave it
    assert sorted((f.file, f.value) for f in empty) == [("h2/gtm_labr.xlsx", "GTM-LABR-0002"), ("h2/hnd_prot.xlsx", "HND-PROT-0001")]
    # the row left without status is kept, with its new progress text
    g = next(r for r in scenario.h2_rows if r["ref"] == "GTM-LABR-0002")
    assert (g["status"], g["progress"]) == ("", "Two fairs held.")
    # and nothing of H1 was lost
    assert current_rows(scenario.db, H1) == scenario.h1_rows


def test_progress_frame(scenario):
    with Registry.open(scenario.db) as db:
        frame, counts = progress(db, H2, scenario.plan)
    change = dict(zip(frame["ref"], frame["change"]))
    assert change == {
        "GTM-PROT-0001": "completed_since",
        "GTM-PROT-0002": "still_in_process",
        "GTM-PROT-0003": "completed_earlier",  # completed in H1, so not carried into H2
        "GTM-PROT-0004": "new",
        "HND-PROT-0001": "not_reported",
        "HND-PROT-0002": "new",
        "GTM-LABR-0001": "regressed",
        "GTM-LABR-0002": "not_reported",
    }
    assert set(frame["previous_period"]) == {H1} and set(frame["period"]) == {H2}
    c = counts.to_pandas().set_index("working_group")
    assert c.loc["PROT"].to_dict() == {"completed_since": 1, "still_in_process": 1, "regressed": 0, "new": 2,
                                       "not_reported": 1, "completed_earlier": 1, "unchanged": 0, "total": 6}
    assert c.loc["LABR", "regressed"] == 1 and c.loc["LABR", "not_reported"] == 1 and c.loc["LABR", "total"] == 2
    assert c.loc["TOTAL", "total"] == 8 and c.loc["IRMM", "total"] == 0
    # the consolidation attached the same frame for the workbook writer
    attached = scenario.c2.periods[H2].progress
    assert attached is not None and attached[0] == frame


def test_progress_of_the_first_period_is_all_new(scenario):
    with Registry.open(scenario.db) as db:
        frame, counts = progress(db, H1, scenario.plan)
    assert set(frame["change"]) == {"new"} and len(frame) == 6


def test_write_progress_sheet(scenario, tmp_path):
    import openpyxl
    import xlsxwriter

    with Registry.open(scenario.db) as db:
        frame, counts = progress(db, H2, scenario.plan)
    path = tmp_path / "p.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    write_progress_sheet(wb, "Avance", frame, counts, scenario.plan, "es")
    wb.close()
    ws = openpyxl.load_workbook(path)["Avance"]
    values = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    flat = [c for r in values for c in r if c is not None]
    assert "Cumplido desde entonces" in flat and "Retrocedió" in flat and "GTM-PROT-0001" in flat
    prot = next(r for r in values if r[0] == "Protección")
    assert list(prot[1:9]) == [1, 1, 0, 2, 1, 1, 0, 6]
    # completed in H1 and so not carried: it says so, in words, where its status would be
    done = next(r for r in values if r[0] == "GTM-PROT-0003")
    assert done[-3:] == [H2, f"cumplido en {H1}", "Cumplido antes"]
    # a legend under the title says what each change means
    legend = values[1][0]
    assert legend.startswith("Qué significa cada cambio.") and "Cumplido antes: cumplido en el período anterior" in legend
    assert [str(r) for r in ws.merged_cells.ranges] == ["A2:K2"]
    assert ws.row_dimensions[2].height > 15  # tall enough for its lines
    # it prints: landscape, one page wide, the activities' header row on every page
    header_row = next(i for i, r in enumerate(values, 1) if r[0] == "Ref.")
    assert_prints_one_page_wide(ws, header_row, footer="segundo semestre de 2025")  # the period in words


def test_history(scenario):
    with Registry.open(scenario.db) as db:
        items = history(db, ref="GTM-PROT-0001")
        assert [(p["period"], p["status"]) for p in items[0]["periods"]] == [(H1, "IN_PROCESS"), (H2, "COMPLETED")]
        gtm = history(db, country="gtm", group="PROT")
        assert [i["ref"] for i in gtm] == ["GTM-PROT-0001", "GTM-PROT-0002", "GTM-PROT-0003", "GTM-PROT-0004"]
        text = render_history(history(db, group="LABR"), scenario.plan)
    lines = text.splitlines()
    assert lines[0].split()[:5] == ["ref", "country", "group", H1, H2]
    assert re.search(r"GTM-LABR-0001\s+GTM\s+LABR\s+In process of being implemented\s+Not achieved", text)
    assert re.search(r"GTM-LABR-0002 .*\(no status\)", text)
    with Registry.open(scenario.db) as db:
        texto = render_history(history(db, group="LABR"), scenario.plan, "es")
        assert render_history(history(db, ref="NONE-0001"), scenario.plan, "es") == "Ninguna actividad del registro coincide."
    assert texto.splitlines()[0].split()[:5] == ["ref.", "país", "grupo", H1, H2]
    assert re.search(r"GTM-LABR-0002 .*\(sin estado\)", texto)


def test_history_cli(scenario):
    from click.testing import CliRunner

    from rcm_workbooks.cli import cli

    res = CliRunner().invoke(cli, ["-C", str(scenario.ws.root), "history", "--ref", "HND-PROT-0001",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [p["period"] for p in data[0]["periods"]] == [H1]  # missing in H2: history shows where it stopped
    res = CliRunner().invoke(cli, ["-C", str(scenario.ws.root), "history", "--country", "GTM"])
    assert res.exit_code == 0 and "GTM-PROT-0004" in res.output


# --- idempotence and supersession -------------------------------------------------------------


@pytest.fixture
def one_round(workspace, plan, responsible, registries):
    registries.attach(workspace)
    made = generate(workspace, plan, H1, groups=["PROT"], countries=["GTM"])
    return workspace, made[0].path, responsible


def test_consolidating_twice_changes_nothing(one_round, plan):
    ws, template, resp = one_round
    fill(template, ws.inbox / "a.xlsx", [row("One", "IN_PROCESS", responsible=resp),
                                         row("Two", "COMPLETED", responsible=resp)])
    consolidate(ws, plan, period=H1)
    first = current_rows(registry_target(ws))
    second_result = consolidate(ws, plan, period=H1)
    assert current_rows(registry_target(ws)) == first  # same ids, refs, values, run ids
    assert list(second_result.periods[H1].matrix["ref"]) == ["GTM-PROT-0001", "GTM-PROT-0002"]
    with Registry.open(registry_target(ws)) as db:
        assert db.q("SELECT count(*) FROM runs")[0][0] == 2
        assert db.q("SELECT count(*) FROM rows")[0][0] == 2
        assert db.q("SELECT count(*) FROM files")[0][0] == 2  # one per run
        assert db.q("SELECT last_number FROM refs WHERE country='GTM' AND grp='PROT'")[0][0] == 2


def test_supersession_replaces_rows_and_keeps_history(one_round, plan):
    ws, template, resp = one_round
    db_path = registry_target(ws)
    fill(template, ws.inbox / "first.xlsx", [row("One", "IN_PROCESS", responsible=resp),
                                             row("Two", "IN_PROCESS", responsible=resp)],
         saved_at=dt.datetime(2025, 7, 1))
    consolidate(ws, plan, period=H1)
    old = current_rows(db_path)
    # a corrected re-send of the same template: row 2 changed, a third row added
    fill(template, ws.inbox / "second.xlsx", [row("One", "IN_PROCESS", responsible=resp),
                                              row("Two (corrected)", "COMPLETED", responsible=resp),
                                              row("Three", "NOT_ACHIEVED", responsible=resp)],
         saved_at=dt.datetime(2025, 7, 5))
    result = consolidate(ws, plan, period=H1)
    assert {r.name: r.verdict for r in result.files} == {"first.xlsx": "superseded", "second.xlsx": "accepted"}
    new = current_rows(db_path)
    assert [(r["ref"], r["activity"], r["status"]) for r in new] == [
        ("GTM-PROT-0001", "One", "IN_PROCESS"), ("GTM-PROT-0002", "Two (corrected)", "COMPLETED"),
        ("GTM-PROT-0003", "Three", "NOT_ACHIEVED")]
    assert {r["source_name"] for r in new} == {"second.xlsx"}
    with Registry.open(db_path) as db:
        kept = [dict(r) for r in db.q("SELECT * FROM rows WHERE current = 0 ORDER BY ref")]
        assert [(r["ref"], r["activity"], r["source_name"]) for r in kept] == [
            ("GTM-PROT-0001", "One", "first.xlsx"), ("GTM-PROT-0002", "Two", "first.xlsx")]
        assert [r["id"] for r in kept] == [r["id"] for r in old]
        assert db.q("SELECT name FROM standing")[0][0] == "second.xlsx"
        verdicts = [tuple(r) for r in db.q("SELECT run_id, name, verdict FROM files ORDER BY run_id, name")]
        assert verdicts == [(1, "first.xlsx", "accepted"), (2, "first.xlsx", "superseded"), (2, "second.xlsx", "accepted")]
    # the older file alone, later on, does not take the place of the newer one
    (ws.inbox / "second.xlsx").unlink()
    consolidate(ws, plan, period=H1)
    assert current_rows(db_path) == new


def test_a_foreign_or_repeated_ref_gets_a_new_one(one_round, plan):
    ws, template, resp = one_round
    r1 = dict(row("One", "IN_PROCESS", responsible=resp), ref="HND-PROT-0009")
    r2 = dict(row("Two", "IN_PROCESS", responsible=resp), ref="GTM-PROT-0042")
    r3 = dict(row("Three", "IN_PROCESS", responsible=resp), ref="GTM-PROT-0042")
    fill(template, ws.inbox / "a.xlsx", [r1, r2, r3])
    result = consolidate(ws, plan, period=H1)
    dup = [f for r in result.files for f in r.all_findings() if f.code == "ref-duplicate"]
    assert [(f.value, f.row) for f in dup] == [("HND-PROT-0009", 6), ("GTM-PROT-0042", 8)]
    refs = [(r["activity"], r["ref"]) for r in current_rows(registry_target(ws))]
    # GTM-PROT-0042 is kept, and numbers up to it are never handed out
    assert sorted(refs) == [("One", "GTM-PROT-0043"), ("Three", "GTM-PROT-0044"), ("Two", "GTM-PROT-0042")]


def test_write_false_records_nothing(one_round, plan):
    ws, template, resp = one_round
    fill(template, ws.inbox / "a.xlsx", [row("One", "IN_PROCESS", responsible=resp)])
    result = consolidate(ws, plan, period=H1, write=False)
    assert list(result.periods[H1].matrix["ref"]) == ["GTM-PROT-0001"]
    assert current_rows(registry_target(ws)) == []


def test_db_option_puts_the_registry_elsewhere(one_round, plan, registries):
    ws, template, resp = one_round
    fill(template, ws.inbox / "a.xlsx", [row("One", "IN_PROCESS", responsible=resp)])
    other = registries.new_target()
    consolidate(ws, plan, period=H1, db=other)
    assert len(current_rows(other)) == 1
    if registries.kind == "sqlite":
        assert not default_db_path(ws).exists()
    else:  # the workspace's own database was not touched
        with Registry.open(registry_target(ws), upgrade=False) as db:
            assert db.conn.tables() == []


# --- the schema ---------------------------------------------------------------------------------


def test_migration_from_the_first_schema_keeps_data(registries):
    target = registries.new_target()
    with Registry.open(target, migrations=MIGRATIONS[:1]) as v1:
        assert v1.version == 1
        v1.conn.execute("INSERT INTO runs(started_at, periods, tool_version) VALUES ('2025-07-01 00:00:00', '2025-H1', '0.1.0')")
        v1.conn.execute("INSERT INTO standing VALUES ('2025-H1', 'GTM', 'PROT', 'abc', 'a.xlsx', NULL, 1)")
        v1.conn.execute("INSERT INTO rows(ref, period, country, grp, pillar, theme, activity, status, source_sha256, "
                        "source_name, source_row, run_id) VALUES ('GTM-PROT-0001', '2025-H1', 'GTM', 'PROT', 'P1', "
                        "'T1', 'Old activity', 'IN_PROCESS', 'abc', 'a.xlsx', 6, 1)")
        v1.conn.execute("INSERT INTO refs VALUES ('GTM', 'PROT', 1)")
        assert "carried" not in v1.conn.tables() and "runs" in v1.conn.tables()
    with Registry.open(target) as db:
        assert db.version == SCHEMA_VERSION == 3
        assert [tuple(r) for r in db.q("SELECT ref, activity, status FROM rows")] == [
            ("GTM-PROT-0001", "Old activity", "IN_PROCESS")]
        assert db.q("SELECT count(*) FROM carried")[0][0] == 0
        assert db.q("SELECT count(*) FROM blobs")[0][0] == 0
        assert "rows_ref" in db.conn.indexes()
        assert set(db.conn.tables()) == {*TABLES, "schema_version"}
        assert [tuple(r) for r in db.q("SELECT version FROM schema_version")] == [(3,)]
        # and it works: the counter goes on from the migrated one, the run ids after the old one
        assert db.new_ref("GTM", "PROT", "2025-H2", None) == "GTM-PROT-0002"
        with db.transaction():
            assert db.conn.insert("INSERT INTO runs(started_at, periods, tool_version) VALUES (?, ?, ?)",
                                  ("2026-01-01 00:00:00", "2025-H2", "0.1.0")) == 2


def test_an_sqlite_file_of_an_earlier_version_gets_the_version_table(tmp_path):
    """A file written before the version table existed holds its version in user_version only."""
    path = tmp_path / "before.sqlite"
    conn = sqlite3.connect(path)
    for sql in MIGRATIONS[0] + MIGRATIONS[1]:
        conn.execute(sql)
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    with Registry.open(path) as db:
        assert db.version == SCHEMA_VERSION
        assert "blobs" in db.conn.tables()
    conn = sqlite3.connect(path)
    # older versions of the tool read user_version to refuse a newer schema
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    conn.close()


def test_a_newer_schema_or_a_broken_file_is_refused(tmp_path, registries):
    from rcm_workbooks.core.files import WorkspaceError

    target = registries.new_target()
    with Registry.open(target) as db, db.transaction():
        db.conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(WorkspaceError, match="newer"):
        Registry.open(target)
    if registries.kind == "sqlite":  # a file of an older rcm, and a file that is no database
        path = tmp_path / "new.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
        with pytest.raises(WorkspaceError, match="newer"):
            Registry.open(path)
        bad = tmp_path / "bad.sqlite"
        bad.write_bytes(b"this is not a database" * 100)
        with pytest.raises(WorkspaceError, match="not a usable registry"):
            Registry.open(bad)


def test_two_first_openings_at_once_migrate_once(registries):
    """Two processes opening a new registry at the same moment: each migration runs once."""
    import multiprocessing

    target = registries.new_target()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        versions = pool.map(_open_version, [str(target)] * 4)
    assert versions == [SCHEMA_VERSION] * 4
    with Registry.open(target) as db:
        assert [tuple(r) for r in db.q("SELECT version FROM schema_version")] == [(SCHEMA_VERSION,)]


def _open_version(target: str) -> int:
    with Registry.open(target) as db:
        return db.version


def test_record_is_one_transaction(one_round, plan, monkeypatch):
    """A failure while recording leaves the registry as it was."""
    import rcm_workbooks.registry.store as registry

    ws, template, resp = one_round
    fill(template, ws.inbox / "a.xlsx", [row("One", "IN_PROCESS", responsible=resp)])
    real = registry._iso

    def boom(value):
        if value is not None and value.year == 2025 and value.month == 7:
            boom.calls += 1
            if boom.calls > 1:  # the file row passes, the first data row fails
                raise RuntimeError("disk full")
        return real(value)

    boom.calls = 0
    monkeypatch.setattr(registry, "_iso", boom)
    with pytest.raises(RuntimeError):
        consolidate(ws, plan, period=H1)
    with Registry.open(registry_target(ws)) as db:
        assert db.q("SELECT count(*) FROM runs")[0][0] == 0
        assert db.q("SELECT count(*) FROM files")[0][0] == 0
        assert db.q("SELECT count(*) FROM rows")[0][0] == 0


def test_generate_carry_forward_cli(scenario):
    from click.testing import CliRunner

    from rcm_workbooks.cli import cli

    res = CliRunner().invoke(cli, ["-C", str(scenario.ws.root), "generate", "--period", "2026-H1", "--group", "PROT",
                                   "--country", "GTM", "--carry-forward"])
    assert res.exit_code == 0, res.output
    assert "carried forward 2 activities" in res.output  # B and F: A is completed now, C was before
    with Registry.open(scenario.db) as db:
        assert [r[0] for r in db.q("SELECT ref FROM carried WHERE period = '2026-H1' ORDER BY ref")] == [
            "GTM-PROT-0002", "GTM-PROT-0004"]
