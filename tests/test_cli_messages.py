"""The command line's messages where a round finds nothing of its period, where a validation finds no
file, where the plan is missing or not YAML; and the two spellings of the JSON option."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rcm_workbooks.cli import cli
from rcm_workbooks.core.findings import Severity
from rcm_workbooks.core.plan import PlanError, parse_plan
from rcm_workbooks.core.texts import TERMS, say
from rcm_workbooks.core.verdicts import Verdict
from rcm_workbooks.intake.consolidate import judge
from rcm_workbooks.intake.report import Report
from rcm_workbooks.intake.validate import Return
from tests.test_cli_report import FILE_KEYS, PERIOD, SUMMARY_KEYS, _identified, _row


def _other_period(name: str, plan, period: str) -> Return:
    """A return of `period` found in a round of PERIOD: rejected for that, with a cell error too."""
    ret = Return(path=Path(name), name=name, sha256=name.encode().hex(), period=period, working_group="PROT",
                 country="GTM", matrix_sheet="Matriz")
    ret.add("meta-other-period", sheet="_meta", value=period, params={"expected": PERIOD})
    ret.rows = [_row(7, plan, bad=True)]
    ret.set_verdict(Verdict.REJECTED, "finding")
    return ret


@pytest.mark.parametrize("lang", ["en", "es"])
def test_returns_of_another_period_are_one_line(plan, lang):
    returns = [_identified("uno.xlsx", plan, 1)] + [_other_period(f"h2_{i}.xlsx", plan, "2025-H2") for i in range(3)]
    report = judge(None, plan, returns, PERIOD)
    lines = report.to_text(lang).splitlines()
    assert say("consolidate.other_period", lang, n=3, periods="2025-H2", period=PERIOD, first="2025-H2") in lines
    assert not any("h2_" in line or "meta-other-period" in line or "required-missing" in line for line in lines)
    assert report.exit_code == 1  # still rejected
    data = report.to_dict()  # the JSON keeps every file
    assert set(data) == SUMMARY_KEYS and all(set(f) == FILE_KEYS for f in data["files"])
    assert data["files_rejected"] == 3 and [f["path"] for f in data["files"]][1:] == ["h2_0.xlsx", "h2_1.xlsx",
                                                                                      "h2_2.xlsx"]


def test_several_other_periods_and_no_return_of_the_asked_one(plan):
    returns = [_other_period("a.xlsx", plan, "2025-H2"), _other_period("b.xlsx", plan, "2025-H2"),
               _other_period("c.xlsx", plan, "2024")]
    report = judge(None, plan, returns, PERIOD)
    report.outputs = [Path("outbox/2025-H1/consolidated_2025-H1.xlsx")]
    lines = report.to_text("en").splitlines()
    assert say("consolidate.other_periods", "en", n=3, periods="2025-H2: 2, 2024: 1", period=PERIOD,
               first="2025-H2") in lines
    assert say("consolidate.none_of_period_written", "en", period=PERIOD) in lines
    assert "empty" in say("consolidate.none_of_period_written", "en", period=PERIOD)
    report.outputs = []
    assert say("consolidate.none_of_period", "es", period=PERIOD) in report.to_text("es").splitlines()
    # a round with a return of its period says nothing of the kind
    ok = judge(None, plan, [_identified("uno.xlsx", plan, 1)], PERIOD)
    assert not any("2025-H1" in line and "No return" in line for line in ok.to_text("en").splitlines())


def test_set_aside_is_worded_as_other_rounds():
    for lang in ("en", "es"):
        text = say("consolidate.set_aside", lang, n=2, periods="2025, 2025-H2")
        assert "earlier" not in text and "anterior" not in text
    assert TERMS["ignored"]["en"]["earlier-round"].format(period="2025-H2") == "consolidated in the round of 2025-H2"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_validation_prints_every_note_it_counts(plan, lang):
    ret = _identified("uno.xlsx", plan, 1)
    ret.add("file-macros")
    report = Report.of_validation([ret])
    notes = [f for f in report.findings if f.severity is Severity.INFO]
    assert notes
    text = report.to_text(lang)
    assert say("n.notes", lang, n=len(notes)) in text.splitlines()[-1]
    assert all(f.code in text for f in notes)


def test_both_json_spellings_on_validate_and_consolidate(tmp_path, monkeypatch):
    runner = CliRunner()
    folder = tmp_path / "none"
    folder.mkdir()
    for spelling in (["--json"], ["--format", "json"]):
        out = runner.invoke(cli, ["validate", *spelling, str(folder)])
        assert out.exit_code == 1
        assert json.loads(out.stdout)["files"] == []
    ws = tmp_path / "ws"
    assert runner.invoke(cli, ["init", str(ws)]).exit_code == 0
    for spelling in (["--json"], ["--format", "json"]):
        out = runner.invoke(cli, ["-C", str(ws), "consolidate", *spelling])
        assert out.exit_code == 1 and json.loads(out.stdout)["files_seen"] == 0


@pytest.mark.parametrize("lang", ["en", "es"])
def test_validate_of_an_empty_folder_says_where_and_fails(tmp_path, lang):
    out = CliRunner().invoke(cli, ["validate", "--lang", lang, str(tmp_path)])
    assert out.exit_code == 1
    assert out.stdout.strip() == say("validate.nothing", lang, paths=str(tmp_path.resolve()))


def test_a_lost_plan_is_named(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["init", str(ws)]).exit_code == 0
    (ws / "templates" / "plan.yaml").unlink()
    monkeypatch.chdir(ws / "inbox")
    for args in (["consolidate"], ["-C", str(ws), "consolidate"]):
        out = CliRunner().invoke(cli, args)
        assert out.exit_code == 2
        assert "templates/plan.yaml is missing" in out.stderr and "rcm plan import" in out.stderr
        assert "not a workspace" not in out.stderr


def test_plan_help_names_every_subcommand():
    first = CliRunner().invoke(cli, ["plan", "--help"]).stdout.split("\n\n")[1]
    assert all(word in first for word in ("Check", "print", "export", "import", "adopt"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_yaml_syntax_error_is_worded(tmp_path, lang):
    with pytest.raises(PlanError) as caught:
        parse_plan("id: x\nversion: [1,\n", "plan.yaml")
    assert caught.value.syntax == {"name": "plan.yaml", "line": 3, "column": 1, "word": "plan.yaml_syntax"}
    ws = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["init", str(ws)]).exit_code == 0
    (ws / "templates" / "plan.yaml").write_text("id: x\npillars:\n  - code: P1\n    label: [\n")
    out = CliRunner().invoke(cli, ["-C", str(ws), "consolidate", "--lang", lang])
    assert out.exit_code == 2
    expected = say("plan.yaml_syntax", lang, name=ws / "templates" / "plan.yaml", line=5, column=1)
    assert out.stderr.strip() == f"Error: {expected}"
    assert "expected" not in out.stderr and "stream end" not in out.stderr
