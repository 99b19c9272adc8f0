"""`rcm init`, `rcm plan check|show` and `rcm generate` through click's CliRunner."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PLAN_YAML, read_meta

from rcm_workbooks.cli import cli
from rcm_workbooks.core.plan import DEFAULT_PLAN


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args, cwd: Path | None = None):
    argv = [str(a) for a in args]
    if cwd is not None:
        argv = ["-C", str(cwd), *argv]
    return runner.invoke(cli, argv, catch_exceptions=True)


def all_output(result) -> str:
    out = result.output or ""
    try:
        err = result.stderr or ""
    except (ValueError, AttributeError):
        err = ""
    return out + ("" if err in out else err)


def assert_usage_error(result, *needles: str) -> str:
    text = all_output(result)
    assert result.exit_code == 2, f"exit {result.exit_code}: {text}"
    assert "Traceback" not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for needle in needles:
        assert needle in text, f"{needle!r} not in {text!r}"
    return text


# --- init ----------------------------------------------------------------------------------


def test_init_makes_workspace(runner, tmp_path):
    target = tmp_path / "new-ws"
    result = run(runner, "init", target)
    assert result.exit_code == 0, all_output(result)
    assert (target / "templates" / "plan.yaml").read_bytes() == DEFAULT_PLAN.read_bytes()
    assert (target / "inbox" / ".gitkeep").is_file()
    assert (target / "outbox" / ".gitkeep").is_file()
    gitignore = (target / ".gitignore").read_text()
    assert "inbox/*" in gitignore and "!inbox/.gitkeep" in gitignore and "outbox/*" in gitignore
    assert str(target.resolve()) in result.output


def test_init_into_existing_empty_folder(runner, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    result = run(runner, "init", target)
    assert result.exit_code == 0, all_output(result)
    assert (target / "templates" / "plan.yaml").is_file()


def test_init_refuses_existing_workspace(runner, tmp_path):
    target = tmp_path / "ws"
    assert run(runner, "init", target).exit_code == 0
    plan = target / "templates" / "plan.yaml"
    plan.write_text(plan.read_text() + "\n# edited by the ES\n")
    before = plan.read_bytes()
    text = assert_usage_error(run(runner, "init", target))
    assert "already" in text and "workspace" in text
    assert plan.read_bytes() == before, "init must not overwrite an existing plan"


def test_init_refuses_a_file(runner, tmp_path):
    target = tmp_path / "afile"
    target.write_text("x")
    result = run(runner, "init", target)
    assert result.exit_code == 2
    assert "Traceback" not in all_output(result)


# --- plan check / show ---------------------------------------------------------------------


@pytest.fixture
def ws(runner, tmp_path) -> Path:
    root = tmp_path / "ws"
    assert run(runner, "init", root).exit_code == 0
    return root


def test_plan_check_ok(runner, ws):
    result = run(runner, "plan", "check", cwd=ws)
    assert result.exit_code == 0, all_output(result)
    text = result.output
    assert "OK" in text
    assert "3 pillars" in text and "35 themes" in text and "4 working groups" in text and "11 countries" in text


def test_plan_check_file_option(runner, tmp_path):
    result = run(runner, "plan", "check", "--file", PLAN_YAML)
    assert result.exit_code == 0, all_output(result)


def test_plan_check_broken(runner, ws):
    plan = ws / "templates" / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("{code: BLZ,", "{code: BZ,").replace(
        "{en: Return, es: Retorno}", "{en: Return}")
    plan.write_text(text, encoding="utf-8")
    line_bz = next(i for i, l in enumerate(text.splitlines(), 1) if "code: BZ," in l)
    line_ret = next(i for i, l in enumerate(text.splitlines(), 1) if "{en: Return}" in l)
    result = run(runner, "plan", "check", cwd=ws)
    out = assert_usage_error(result, "plan.yaml")
    problem_lines = [l for l in out.splitlines() if "plan.yaml" in l and "line" in l]
    assert len(problem_lines) == 2, out
    assert any(re.search(rf"line {line_bz}\b", l) and "countries[0].code" in l for l in problem_lines), out
    assert any(re.search(rf"line {line_ret}\b", l) and "pillars[0].themes[7].label" in l for l in problem_lines), out
    assert str(plan) in out


def test_plan_check_invalid_yaml(runner, ws):
    plan = ws / "templates" / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace('version: "1"', 'version: "1')
    plan.write_text(text, encoding="utf-8")
    out = assert_usage_error(run(runner, "plan", "check", cwd=ws), str(plan))
    assert re.search(r"line \d+", out), out


def test_plan_show_json(runner, ws):
    result = run(runner, "plan", "show", "--format", "json", cwd=ws)
    assert result.exit_code == 0, all_output(result)
    data = json.loads(result.output)
    assert data["id"] == "RCM-SP-2019-2022"
    assert [p["code"] for p in data["pillars"]] == ["P1", "P2", "P3"]
    assert [len(p["themes"]) for p in data["pillars"]] == [9, 11, 15]
    for p in data["pillars"]:
        assert set(p["label"]) == {"en", "es"} and all(p["label"].values())
        for t in p["themes"]:
            assert set(t["label"]) == {"en", "es"} and all(t["label"].values())
    assert data["pillars"][0]["label"] == {"en": "Migration governance", "es": "Gobernanza migratoria"}
    assert data["pillars"][0]["themes"][0] == {
        "code": "T1", "label": {"en": "Generation and use of migration data", "es": "Generación y uso de datos migratorios"}}
    assert [g["code"] for g in data["working_groups"]] == ["PROT", "IRMM", "LABR", "BORD"]
    assert len(data["countries"]) == 11 and {c["language"] for c in data["countries"]} == {"en", "es"}
    assert [s["done"] for s in data["statuses"]] == [True, False, False]
    assert len(data["deadlines"]) == 3


def test_plan_show_text_spanish(runner, ws):
    result = run(runner, "plan", "show", "--lang", "es", cwd=ws)
    assert result.exit_code == 0, all_output(result)
    assert "Gobernanza migratoria" in result.output and "P3/T15" in result.output
    assert "Migration governance" not in result.output


def test_plan_show_broken_plan_exit_2(runner, ws):
    (ws / "templates" / "plan.yaml").write_text("", encoding="utf-8")
    assert_usage_error(run(runner, "plan", "show", "--format", "json", cwd=ws), "plan.yaml")


# --- generate ------------------------------------------------------------------------------


def test_generate_full_round(runner, ws):
    result = run(runner, "generate", "--period", "2025-H1", "--due", "2025-06-30", cwd=ws)
    assert result.exit_code == 0, all_output(result)
    folder = ws / "outbox" / "2025-H1" / "templates"
    files = sorted(folder.rglob("*.xlsx"))
    assert len(files) == 44
    assert "44" in result.output
    countries = {p.parent.name for p in files}
    assert len(countries) == 11
    for p in files:
        m = re.fullmatch(r"RCM_2025-H1_([A-Z]{3})_([A-Z]+)\.xlsx", p.name)
        assert m, p.name
        assert m.group(1) == p.parent.name
        assert m.group(2) in {"PROT", "IRMM", "LABR", "BORD"}
    meta = read_meta(folder / "GTM" / "RCM_2025-H1_GTM_PROT.xlsx")
    assert (meta["period"], meta["country"], meta["working_group"], meta["language"], meta["due_date"]) == (
        "2025-H1", "GTM", "PROT", "es", "2025-06-30")
    assert not list(folder.rglob(".tmp-*"))


def test_generate_selection_and_case(runner, ws):
    result = run(runner, "generate", "--period", "2025-h2", "--group", "prot", "--group", "BORD",
                 "--country", "gtm", "--country", "CAN", "--rows", "5", cwd=ws)
    assert result.exit_code == 0, all_output(result)
    files = sorted(p.relative_to(ws / "outbox" / "2025-H2" / "templates").as_posix()
                   for p in (ws / "outbox").rglob("*.xlsx"))
    assert files == ["CAN/RCM_2025-H2_CAN_BORD.xlsx", "CAN/RCM_2025-H2_CAN_PROT.xlsx",
                     "GTM/RCM_2025-H2_GTM_BORD.xlsx", "GTM/RCM_2025-H2_GTM_PROT.xlsx"]
    meta = read_meta(ws / "outbox" / "2025-H2" / "templates" / "CAN" / "RCM_2025-H2_CAN_BORD.xlsx")
    assert meta["period"] == "2025-H2" and meta["language"] == "en" and meta["due_date"] == ""
    assert int(meta["last_row"]) - int(meta["first_row"]) + 1 == 5


def test_generate_year_period(runner, ws):
    result = run(runner, "generate", "--period", "2025", "--group", "LABR", "--country", "MEX", cwd=ws)
    assert result.exit_code == 0, all_output(result)
    assert (ws / "outbox" / "2025" / "templates" / "MEX" / "RCM_2025_MEX_LABR.xlsx").is_file()


def test_generate_lang_override(runner, ws):
    result = run(runner, "generate", "--period", "2025-H1", "--country", "GTM", "--group", "PROT",
                 "--lang", "en", cwd=ws)
    assert result.exit_code == 0, all_output(result)
    meta = read_meta(ws / "outbox" / "2025-H1" / "templates" / "GTM" / "RCM_2025-H1_GTM_PROT.xlsx")
    assert meta["language"] == "en" and meta["matrix_sheet"] == "Follow-up matrix"
    assert "GTM (en)" in result.output


@pytest.mark.parametrize("period", ["2025-H3", "25-H1", "2025H1", "H1-2025", "2025-Q1", "1999", "next"])
def test_generate_bad_period(runner, ws, period):
    text = assert_usage_error(run(runner, "generate", "--period", period, cwd=ws), "2025-H1")
    assert period in text
    assert not list((ws / "outbox").rglob("*.xlsx"))


def test_generate_missing_period(runner, ws):
    assert_usage_error(run(runner, "generate", cwd=ws), "--period")


def test_generate_unknown_group(runner, ws):
    text = assert_usage_error(run(runner, "generate", "--period", "2025-H1", "--group", "XYZ", cwd=ws), "XYZ")
    for code in ("PROT", "IRMM", "LABR", "BORD"):
        assert code in text
    assert not list((ws / "outbox").rglob("*.xlsx"))


def test_generate_unknown_country(runner, ws):
    text = assert_usage_error(
        run(runner, "generate", "--period", "2025-H1", "--country", "GTM", "--country", "ARG", cwd=ws), "ARG")
    for code in ("BLZ", "CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "USA"):
        assert code in text
    assert not list((ws / "outbox").rglob("*.xlsx")), "nothing is written when a code is refused"


@pytest.mark.parametrize("due", ["30/06/2025", "2025-13-01", "2025-06-31", "tomorrow"])
def test_generate_bad_due(runner, ws, due):
    text = assert_usage_error(run(runner, "generate", "--period", "2025-H1", "--due", due, cwd=ws), due)
    assert "YYYY-MM-DD" in text or "2025-06-30" in text


@pytest.mark.parametrize("rows", ["-1", "10001", "many"])
def test_generate_rows_out_of_range(runner, ws, rows):
    assert_usage_error(run(runner, "generate", "--period", "2025-H1", "--rows", rows, cwd=ws), "--rows")


def test_generate_bad_lang(runner, ws):
    assert_usage_error(run(runner, "generate", "--period", "2025-H1", "--lang", "fr", cwd=ws), "--lang")


def test_generate_outside_workspace(runner, tmp_path):
    empty = tmp_path / "not-a-workspace"
    empty.mkdir()
    text = assert_usage_error(run(runner, "generate", "--period", "2025-H1", cwd=empty), "rcm init")
    assert "workspace" in text
    assert not (empty / "outbox").exists()


def test_generate_outside_workspace_cwd(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_usage_error(run(runner, "generate", "--period", "2025-H1"), "workspace")


def test_generate_with_broken_plan(runner, ws):
    plan = ws / "templates" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("{code: BLZ,", "{code: bz,"), encoding="utf-8")
    assert_usage_error(run(runner, "generate", "--period", "2025-H1", cwd=ws), "plan.yaml", "countries[0].code")
    assert not list((ws / "outbox").rglob("*.xlsx"))


def test_help_for_every_command(runner):
    for args in ([], ["init"], ["plan"], ["plan", "check"], ["plan", "show"], ["generate"]):
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.output
    out = runner.invoke(cli, ["generate", "--help"]).output
    for opt in ("--period", "--group", "--country", "--lang", "--due", "--rows"):
        assert opt in out


def _console_script() -> str:
    candidate = Path(sys.executable).parent / "rcm"
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("rcm")
    assert found, "the `rcm` console script is not installed (pip install -e .)"
    return found


def test_console_script_help():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([_console_script(), "--help"], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Usage: rcm" in proc.stdout
    for command in ("init", "plan", "generate"):
        assert re.search(rf"^\s+{command}\b", proc.stdout, re.M), proc.stdout
    assert proc.stderr == ""


def test_console_script_usage_error(tmp_path):
    proc = subprocess.run([_console_script(), "-C", str(tmp_path), "generate", "--period", "2025-H9"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.strip().count("\n") == 0, "one-line message"


def test_generate_repeated_codes_once(runner, ws):
    result = run(runner, "generate", "--period", "2025-H1", "--country", "GTM", "--country", "gtm",
                 "--group", "PROT", "--group", " prot ", cwd=ws)
    assert result.exit_code == 0, all_output(result)
    assert [p.name for p in (ws / "outbox").rglob("*.xlsx")] == ["RCM_2025-H1_GTM_PROT.xlsx"]


def test_help_does_not_import_heavy_libraries():
    """DESIGN 9: pandas and openpyxl cost ~0.8 s to import; keep them off the path of --help (and
    psycopg, an optional extra, off every path but a postgresql:// registry's)."""
    code = (
        "import sys\n"
        "from rcm_workbooks.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='rcm')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('pandas', 'openpyxl', 'xlsxwriter', 'python_calamine', 'psycopg') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
