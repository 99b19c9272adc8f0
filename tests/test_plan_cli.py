"""`rcm plan export | import | adopt` and `rcm generate --form activities` on the command line, the
codes in use, and retired groups and countries left out of what is expected."""
from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner
from support.cli import one_line_exit_2

from rcm_workbooks.cli import cli
from rcm_workbooks.planbook.sheets import COUNTRIES, GROUPS, THEMES
from rcm_workbooks.workspace import init_workspace


def rcm(ws, *args):
    return CliRunner().invoke(cli, ["-C", str(ws.root), *map(str, args)])


@pytest.fixture
def ws(tmp_path):
    return init_workspace(tmp_path / "ws")


def test_export_then_import_changes_nothing(ws, tmp_path):
    res = rcm(ws, "plan", "export", tmp_path / "plan.xlsx")
    assert res.exit_code == 0 and res.output.startswith(f"Wrote {tmp_path / 'plan.xlsx'} (plan RCM-SP-2019-2022, version 1)")
    before = ws.plan_path.read_bytes()
    res = rcm(ws, "plan", "import", tmp_path / "plan.xlsx", "--lang", "es")
    assert res.exit_code == 0 and res.output == "Nada cambió: el libro contiene el plan tal como está.\n"
    assert ws.plan_path.read_bytes() == before
    res = rcm(ws, "plan", "import", tmp_path / "plan.xlsx", "--json")
    assert json.loads(res.output) == {"changed": False, "version": "1", "backup": None, "problems": []}


def edited(ws, tmp_path, change):
    path = tmp_path / "edit.xlsx"
    rcm(ws, "plan", "export", path)
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def test_every_problem_in_the_readers_language_and_exit_2(ws, tmp_path):
    def change(wb):
        wb[THEMES.name]["A38"], wb[THEMES.name]["B38"], wb[THEMES.name]["C38"] = "P9", "T1", "New"
        wb[COUNTRIES.name]["D3"] = "fr"

    path = edited(ws, tmp_path, change)
    before = ws.plan_path.read_bytes()
    res = rcm(ws, "plan", "import", path, "--lang", "es")
    assert res.exit_code == 2 and "Traceback" not in res.output
    lines = res.stderr.splitlines()
    assert lines[0] == f"El plan no se cambió: {path} tiene 3 problemas."
    assert f"  Hoja '{THEMES.name}', celda A38: 'P9' no es un código de pilar" in res.stderr
    assert "El texto en español está vacío" in res.stderr and "'fr' no es un idioma de plantilla" in res.stderr
    assert ws.plan_path.read_bytes() == before
    res = rcm(ws, "plan", "import", path, "--json")
    out = json.loads(res.output)
    assert res.exit_code == 2 and out["changed"] is False
    assert {(p["rule"], p["cell"]) for p in out["problems"]} == {
        ("plan-pillar-unknown", "A38"), ("plan-label-missing", "D38"), ("plan-language-invalid", "D3")}


def test_a_code_templates_carry_cannot_be_removed(ws, tmp_path):
    assert rcm(ws, "generate", "--period", "2025-H1", "--group", "BORD", "--country", "MEX").exit_code == 0
    path = edited(ws, tmp_path, lambda wb: wb[GROUPS.name].__setitem__("A6", "BRDR"))  # BORD renamed
    res = rcm(ws, "plan", "import", path)
    assert res.exit_code == 2 and "The code BORD (Border management) is no longer in the plan" in res.stderr
    # Retired instead: allowed, and the version goes up with a backup kept.
    path = edited(ws, tmp_path, lambda wb: wb[GROUPS.name].__setitem__("F6", "x"))
    res = rcm(ws, "plan", "import", path)
    assert res.exit_code == 0 and res.output.startswith("templates/plan.yaml is now version 2; the previous plan is kept as ")
    assert len(list((ws.plan_path.parent / "backups").glob("plan_v1_*.yaml"))) == 1


def test_codes_in_use_come_from_templates_and_the_registry(ws):
    from rcm_workbooks.demo.fill import fill_workbook
    from rcm_workbooks.planbook.in_use import codes_in_use
    from rcm_workbooks.round import consolidate
    from rcm_workbooks.template.generate import generate

    plan = ws.load_plan()
    assert codes_in_use(ws, plan) == set()
    (made,) = generate(ws, plan, "2025-H1", groups=["PROT"], countries=["GTM"])
    used = codes_in_use(ws, plan)
    assert ("working_group", "PROT") in used and ("theme", "P3/T15") in used and ("country", "GTM") in used
    fill_workbook(made.path, ws.inbox / "r.xlsx", [{"pillar": "P1", "theme": "P1/T8", "activity": "x",
                                                    "status": "COMPLETED", "deadline": "Y3"}])
    for p in ws.outbox.glob("*/templates/*/*.xlsx"):  # the registry alone, now
        p.unlink()
    consolidate(ws, plan, period="2025-H1")
    used = codes_in_use(ws, plan)
    assert {("theme", "P1/T8"), ("deadline", "Y3"), ("status", "COMPLETED"), ("country", "GTM")} <= used
    assert ("theme", "P3/T15") not in used


def test_generate_activities_on_the_command_line(ws):
    res = rcm(ws, "generate", "--form", "activities", "--period", "2026", "--country", "GTM", "--lang", "es")
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[:2] == [
        f"Se escribieron 4 libros de 2026 en {ws.templates_dir('2026')}",
        "  Matriz de Actividades: 0 actividades prioritarias vigentes precompletadas en total; filas en blanco para "
        "propuestas nuevas en cada libro: 3"]
    one_line_exit_2(rcm(ws, "generate", "--form", "activities", "--period", "2026-H2"), "--period 2026", "2026-H2")
    one_line_exit_2(rcm(ws, "generate", "--form", "activities", "--period", "2026", "--carry-forward"), "--carry-forward")
    res = rcm(ws, "generate", "--form", "activities", "--period", "2026", "--country", "GTM")
    assert res.exit_code == 2 and "4 templates of 2026 exist already" in res.stderr


def test_retired_groups_and_countries_are_not_expected(ws, tmp_path):
    from rcm_workbooks.intake.consolidate import expected_pairs

    path = edited(ws, tmp_path, lambda wb: (wb[GROUPS.name].__setitem__("F6", "x"),
                                            wb[COUNTRIES.name].__setitem__("E4", "x")))
    assert rcm(ws, "plan", "import", path).exit_code == 0
    plan = ws.load_plan()
    pairs = expected_pairs(None, plan, "2026-H1")
    assert len(pairs) == 10 * 3 and ("CAN", "PROT") not in pairs and ("MEX", "BORD") not in pairs
    res = rcm(ws, "generate", "--period", "2026-H1")
    assert res.exit_code == 0 and res.output.startswith("Wrote 30 workbooks")
