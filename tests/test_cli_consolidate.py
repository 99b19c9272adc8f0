"""`rcm consolidate` and `rcm validate` from the command line: exit codes, the --json object and its
arithmetic, --period, one folder per period, idempotence, and --debug as the only way to a traceback.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from rcm_workbooks.cli import cli
from rcm_workbooks.demo.fill import fill_workbook, synthetic_rows
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace
from tests.support.cli import one_line_exit_2

H1, H2 = "2025-H1", "2025-H2"
KEYS = {"files_seen", "files_accepted", "files_rejected", "files_superseded", "files_ignored", "rows_accepted",
        "rows_rejected", "findings", "outputs", "files"}
FILE_KEYS = {"path", "verdict", "reason", "country", "working_group", "period", "rows_accepted", "rows_rejected"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A workspace, and a few returns kept aside to be copied into each test's inbox."""
    root = tmp_path_factory.mktemp("cli")
    ws = init_workspace(root / "ws")
    plan = ws.load_plan()
    tpl = {(g.country, g.working_group, H1): g for g in generate(ws, plan, H1, groups=["PROT", "IRMM"],
                                                                  countries=["GTM", "USA"], rows=6)}
    tpl.update({(g.country, g.working_group, H2): g for g in generate(ws, plan, H2, groups=["PROT"],
                                                                       countries=["GTM"], rows=6)})
    files = root / "returns"
    saved = dt.datetime(2025, 5, 1)

    def make(key, name, n, seed, tweak=None):
        g = tpl[key]
        rows = synthetic_rows(plan, key[1], key[0], g.language, random.Random(seed), n)
        if tweak:
            tweak(rows)
        fill_workbook(g.path, files / name, rows, saved_at=saved)
        return files / name

    def bad_status(rows):
        rows[1]["status"] = "Done"

    made = {
        "good_es": make(("GTM", "PROT", H1), "Guatemala protección.xlsx", 4, 1),
        "good_en": make(("USA", "IRMM", H1), "usa irmm.xlsx", 3, 2),
        "bad_row": make(("USA", "PROT", H1), "usa prot.xlsx", 3, 3, bad_status),
        "h2": make(("GTM", "PROT", H2), "gtm segundo semestre.xlsx", 2, 4),
    }
    (files / "informe.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    made["stray"] = files / "informe.pdf"
    meta = {k: g.meta for k, g in tpl.items()}
    return {"ws": ws, "plan": plan, "files": made, "meta": meta, "root": root}


@pytest.fixture
def case(world, tmp_path):
    """Runs the CLI on an inbox of chosen returns, with its own output folder and registry."""

    class Case:
        inbox = tmp_path / "inbox"
        out = tmp_path / "out"
        db = tmp_path / "registry.sqlite"

        def put(self, *keys, sub=""):
            (self.inbox / sub).mkdir(parents=True, exist_ok=True)
            for k in keys:
                shutil.copy2(world["files"][k], self.inbox / sub / world["files"][k].name)
            return self

        def run(self, *args, base=None):
            base = ["-C", str(world["ws"].root), "consolidate", "--inbox", str(self.inbox), "--out", str(self.out),
                    "--db", str(self.db)] if base is None else base
            return CliRunner().invoke(cli, [*base, *args])

        def json(self, *args):
            res = self.run("--json", *args)
            assert "Traceback" not in res.output
            return res, json.loads(res.stdout)  # exactly one JSON object on stdout

    c = Case()
    c.inbox.mkdir()
    return c


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def sheet_values(path: Path, sheet: str) -> list[tuple]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


# --- exit codes ------------------------------------------------------------------------------


def test_exit_0_when_everything_is_accepted(case):
    res, data = case.put("good_es", "good_en").json()
    assert res.exit_code == 0, res.output
    assert (data["files_accepted"], data["files_rejected"], data["rows_rejected"]) == (2, 0, 0)
    assert data["rows_accepted"] == 4 + 3
    assert data["findings"]["error"] == 0


def test_exit_1_with_a_rejected_row(case):
    res, data = case.put("good_es", "bad_row").json()
    assert res.exit_code == 1, res.output
    assert (data["files_accepted"], data["files_rejected"], data["rows_rejected"]) == (2, 0, 1)
    entry = next(f for f in data["files"] if f["path"] == "usa prot.xlsx")
    assert (entry["verdict"], entry["rows_accepted"], entry["rows_rejected"]) == ("accepted", 2, 1)


def test_exit_1_with_a_rejected_file(case):
    res, data = case.put("good_es", "stray").json()
    assert res.exit_code == 1, res.output
    assert (data["files_accepted"], data["files_rejected"], data["rows_rejected"]) == (1, 1, 0)
    entry = next(f for f in data["files"] if f["path"] == "informe.pdf")
    assert entry["verdict"] == "rejected" and "PDF" in entry["reason"]


def test_exit_2_outside_a_workspace(case, tmp_path):
    (tmp_path / "not a workspace").mkdir()
    res = case.run(base=["-C", str(tmp_path / "not a workspace"), "consolidate"])
    one_line_exit_2(res, "not a workspace")


def test_exit_2_outside_a_workspace_by_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["consolidate", "--json"])
    one_line_exit_2(res, "not a workspace")
    assert res.stdout == ""  # no half JSON


@pytest.mark.parametrize("period", ["2025-H3", "25", "H1-2025", "1999", "2025-h1x", "", "  "])
def test_exit_2_bad_period(case, period):
    res = case.put("good_es").run("--period", period)
    one_line_exit_2(res, "not a reporting period")
    assert not case.out.exists()


def test_exit_2_missing_inbox(world, case, tmp_path):
    res = case.run(base=["-C", str(world["ws"].root), "consolidate", "--inbox", str(tmp_path / "nope"),
                         "--out", str(case.out), "--db", str(case.db)])
    one_line_exit_2(res, str(tmp_path / "nope"))
    assert not case.out.exists()


# --- the --json object ---------------------------------------------------------------------------


def test_json_numbers_agree_with_each_other_and_the_csv(case):
    import openpyxl

    case.put("good_es", "good_en", "bad_row", "stray")
    case.put("good_en", sub="again")  # the same bytes twice: ignored as a duplicate
    (case.inbox / "~$usa irmm.xlsx").write_bytes(b"lock")
    res, data = case.json()
    assert res.exit_code == 1
    assert KEYS <= set(data), KEYS - set(data)
    files = data["files"]
    assert sorted(f["path"] for f in files) == sorted(
        str(p.relative_to(case.inbox)) for p in case.inbox.rglob("*") if p.is_file())
    for f in files:
        assert FILE_KEYS <= set(f), FILE_KEYS - set(f)
        assert f["verdict"] in {"accepted", "rejected", "superseded", "ignored"} and f["reason"].strip()
    verdicts = [f["verdict"] for f in files]
    assert data["files_seen"] == len(files) == 6
    for v in ("accepted", "rejected", "superseded", "ignored"):
        assert data[f"files_{v}"] == verdicts.count(v), v
    assert (data["files_accepted"], data["files_rejected"], data["files_ignored"]) == (3, 1, 2)
    assert data["rows_accepted"] == sum(f["rows_accepted"] for f in files) == 4 + 3 + 2
    assert data["rows_rejected"] == sum(f["rows_rejected"] for f in files) == 1
    by_path = {f["path"]: f for f in files}
    assert (by_path["usa prot.xlsx"]["country"], by_path["usa prot.xlsx"]["working_group"],
            by_path["usa prot.xlsx"]["period"]) == ("USA", "PROT", H1)
    twins = sorted((by_path[p]["verdict"], p) for p in ("again/usa irmm.xlsx", "usa irmm.xlsx"))
    assert [v for v, _ in twins] == ["accepted", "ignored"], twins
    assert twins[0][1] in by_path[twins[1][1]]["reason"]  # "same content as <the other>"
    assert by_path["~$usa irmm.xlsx"]["verdict"] == "ignored"
    # findings: per severity, and at least one error per rejected row or file
    assert set(data["findings"]) == {"error", "warning", "info"}
    assert all(isinstance(n, int) and n >= 0 for n in data["findings"].values())
    assert data["findings"]["error"] >= data["rows_rejected"] + data["files_rejected"]
    # outputs: paths that exist, the CSV among them, whose rows are the accepted rows
    outputs = [Path(p) for p in data["outputs"]]
    assert outputs and all(p.exists() for p in outputs), data["outputs"]
    csv_path = case.out / H1 / f"consolidated_{H1}.csv"
    book = case.out / H1 / f"consolidated_{H1}.xlsx"
    assert csv_path in outputs and book in outputs
    rows = csv_rows(csv_path)
    assert len(rows) == data["rows_accepted"]
    for f in files:
        assert sum(1 for r in rows if r["source_file"] == f["path"]) == f["rows_accepted"], f["path"]
    # Rejected rows sheet: the rejected row, and the Matrix sheet has as many rows as the CSV.
    wb = openpyxl.load_workbook(book, read_only=True)
    rejected = [r for r in wb["Rejected rows"].iter_rows(min_row=2, values_only=True) if any(r)]
    matrix = [r for r in wb["Matrix"].iter_rows(min_row=2, values_only=True) if any(r)]
    wb.close()
    assert len(rejected) == data["rows_rejected"]
    assert len(matrix) == len(rows)


def test_text_output_without_json_is_not_json(case):
    res = case.put("good_es").run()
    assert res.exit_code == 0
    assert "ACCEPTED" in res.stdout and "1 file: 1 accepted" in res.stdout  # "1 file", not "1 files"
    with pytest.raises(json.JSONDecodeError):
        json.loads(res.stdout)


# --- periods ---------------------------------------------------------------------------------------


def test_period_option_reports_other_periods_without_merging(case):
    res, data = case.put("good_es", "h2").json("--period", H1)
    assert res.exit_code == 1, res.output
    by_path = {f["path"]: f for f in data["files"]}
    other = by_path["gtm segundo semestre.xlsx"]
    assert other["verdict"] == "rejected" and H2 in other["reason"] and other["period"] == H2
    assert other["rows_accepted"] == 0
    assert by_path["Guatemala protección.xlsx"]["verdict"] == "accepted"
    rows = csv_rows(case.out / H1 / f"consolidated_{H1}.csv")
    assert {r["period"] for r in rows} == {H1} and len(rows) == 4
    assert not (case.out / H2).exists()
    assert data.get("periods", [H1]) == [H1]
    findings = sheet_values(case.out / H1 / f"consolidated_{H1}.xlsx", "Findings")
    assert any("meta-other-period" in map(str, r) for r in findings), findings[:5]


def test_without_period_each_period_gets_its_own_folder(case):
    res, data = case.put("good_es", "good_en", "h2").json()
    assert res.exit_code == 0, res.output
    h1 = csv_rows(case.out / H1 / f"consolidated_{H1}.csv")
    h2 = csv_rows(case.out / H2 / f"consolidated_{H2}.csv")
    assert {r["period"] for r in h1} == {H1} and len(h1) == 7
    assert {r["period"] for r in h2} == {H2} and len(h2) == 2
    assert {r["source_file"] for r in h2} == {"gtm segundo semestre.xlsx"}
    assert data["rows_accepted"] == 9
    for p in (H1, H2):
        assert str(case.out / p / f"consolidated_{p}.xlsx") in data["outputs"]


# --- idempotence -----------------------------------------------------------------------------------


def test_two_runs_on_the_same_inbox_write_the_same_csv_and_matrix(case):
    case.put("good_es", "good_en", "bad_row", "stray")
    first = case.run("--json")
    csv1 = (case.out / H1 / f"consolidated_{H1}.csv").read_bytes()
    matrix1 = sheet_values(case.out / H1 / f"consolidated_{H1}.xlsx", "Matrix")
    second = case.run("--json")
    csv2 = (case.out / H1 / f"consolidated_{H1}.csv").read_bytes()
    matrix2 = sheet_values(case.out / H1 / f"consolidated_{H1}.xlsx", "Matrix")
    assert first.exit_code == second.exit_code == 1
    assert csv1 == csv2
    assert matrix1 == matrix2 and len(matrix1) == 1 + 4 + 3 + 2
    assert json.loads(first.stdout)["files"] == json.loads(second.stdout)["files"]


# --- rcm validate -------------------------------------------------------------------------------------


def flat(data) -> set[tuple]:
    return {(f["file"], f["code"], f["sheet"], f["cell"]) for e in data["files"] for f in e["findings"]
            if f["severity"] in ("error", "warning")}


def test_validate_file_and_dir_json(world, tmp_path):
    d = tmp_path / "dir"
    d.mkdir()
    for k in ("bad_row", "stray"):
        shutil.copy2(world["files"][k], d / world["files"][k].name)
    good = world["files"]["good_en"]
    res = CliRunner().invoke(cli, ["-C", str(world["ws"].root), "validate", str(good), str(d), "--format", "json"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert set(data) >= {"files", "findings"}
    names = {e["path"]: e for e in data["files"]}
    assert set(names) == {"usa irmm.xlsx", "usa prot.xlsx", "informe.pdf"}
    assert names["usa irmm.xlsx"]["verdict"] == "accepted"
    assert names["usa prot.xlsx"]["verdict"] == "accepted" and names["usa prot.xlsx"]["rows_rejected"] == 1
    assert names["informe.pdf"]["verdict"] == "rejected"
    meta = world["meta"][("USA", "PROT", H1)]
    status_cell = f"{meta['col.status']}{int(meta['first_row']) + 1}"
    assert flat(data) == {
        ("usa prot.xlsx", "value-not-in-list", meta["matrix_sheet"], status_cell),
        ("informe.pdf", "file-not-spreadsheet", "", ""),
    }
    every = [f for e in data["files"] for f in e["findings"]]
    assert data["findings"] == {s: sum(1 for f in every if f["severity"] == s) for s in ("error", "warning", "info")}
    for f in every:
        assert f["message"].strip()


def test_validate_exit_0_and_exit_2(world, tmp_path):
    good = world["files"]["good_es"]
    res = CliRunner().invoke(cli, ["validate", str(good), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert flat(json.loads(res.stdout)) == set()
    res = CliRunner().invoke(cli, ["validate", str(tmp_path / "missing.xlsx")])
    one_line_exit_2(res, "missing.xlsx")
    for bad in ("2025-H9", ""):  # an empty --period is a mistake, not "any period"
        res = CliRunner().invoke(cli, ["validate", str(good), "--period", bad])
        one_line_exit_2(res, "not a reporting period")


def test_validate_other_period_is_an_error(world):
    res = CliRunner().invoke(cli, ["validate", str(world["files"]["h2"]), "--period", H1, "--format", "json"])
    assert res.exit_code == 1
    assert flat(json.loads(res.stdout)) == {("gtm segundo semestre.xlsx", "meta-other-period", "_meta", "")}


# --- isolation and --debug ---------------------------------------------------------------------------


def test_an_exception_in_one_file_is_that_files_finding(case, monkeypatch):
    import rcm_workbooks.intake.validate as validate

    real = validate.validate_workbook

    def flaky(ret, wb, plan, period):
        if "usa" in ret.name:
            raise RuntimeError("boom in one file")
        return real(ret, wb, plan, period)

    monkeypatch.setattr(validate, "validate_workbook", flaky)
    res, data = case.put("good_es", "good_en").json()
    assert res.exit_code == 1
    by_path = {f["path"]: f for f in data["files"]}
    assert by_path["usa irmm.xlsx"]["verdict"] == "rejected"
    assert "internal error" in by_path["usa irmm.xlsx"]["reason"]
    assert by_path["Guatemala protección.xlsx"]["verdict"] == "accepted"
    assert data["rows_accepted"] == 4


def test_internal_error_without_debug_isone_line_exit_2(world, case, monkeypatch):
    import rcm_workbooks.intake.consolidate as cons

    def broken(*a, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(cons, "frames", broken)
    res = case.put("good_es").run()
    one_line_exit_2(res, "internal error (RuntimeError: boom)", "--debug")
    dbg = CliRunner().invoke(cli, ["--debug", "-C", str(world["ws"].root), "consolidate", "--inbox", str(case.inbox),
                                   "--out", str(case.out), "--db", str(case.db)])
    assert isinstance(dbg.exception, RuntimeError) and str(dbg.exception) == "boom"


SCRIPT = textwrap.dedent("""
    import sys
    import rcm_workbooks.intake.consolidate as cons
    def broken(*a, **kw):
        raise RuntimeError("boom")
    cons.frames = broken
    from rcm_workbooks.cli import cli
    cli(sys.argv[1:], prog_name="rcm")
""")


def test_debug_is_the_only_way_to_a_traceback(world, case):
    case.put("good_es")
    args = ["-C", str(world["ws"].root), "consolidate", "--inbox", str(case.inbox), "--out", str(case.out), "--db", str(case.db)]
    plain = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=120)
    assert plain.returncode == 2
    assert "Traceback" not in plain.stdout + plain.stderr
    assert plain.stderr.strip().count("\n") == 0 and "RuntimeError: boom" in plain.stderr
    debug = subprocess.run([sys.executable, "-c", SCRIPT, "--debug", *args], capture_output=True, text=True, timeout=120)
    assert debug.returncode not in (0, 2)
    assert "Traceback" in debug.stderr and "RuntimeError: boom" in debug.stderr
