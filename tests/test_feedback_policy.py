"""Only feedback a focal point can act on: who acts on each finding code, which returns get a
feedback copy (intake.actions.needs_feedback), and no message that reaches a focal point names a
command, an option, `_meta` or a path of the Secretariat's machine."""
from __future__ import annotations

import datetime as dt
import email
import random
import re
import string
from email import policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from rcm_workbooks.cli import cli
from rcm_workbooks.core.findings import _CATALOG, CATALOG, Actor, Finding
from rcm_workbooks.core.texts import FEEDBACK, WORDS
from rcm_workbooks.demo.fill import fill_workbook, synthetic_rows
from rcm_workbooks.intake.actions import corrections, needs_feedback, secretariat_steps
from rcm_workbooks.intake.validate import Return, Row
from rcm_workbooks.template.build import file_name
from rcm_workbooks.template.generate import generate

H1, H2 = "2025-H1", "2025-H2"
LANGS = ("en", "es")
# What a focal point must never read: a command, an option, the hidden sheet, a path of the
# Secretariat's machine (absolute, a drive, the home folder, a folder of the workspace).
FORBIDDEN = re.compile(r"\brcm |--|_meta|(?:^|[\s(\"'«])(?:/[\w.-]+/|[A-Za-z]:\\|~/)|\b(?:inbox|outbox|feedback)/")
FOCAL_POINT_CODES = {
    "required-missing", "value-not-in-list", "theme-other-pillar", "cell-error-value", "cell-formula",
    "cell-not-text", "cell-too-long", "prefilled-empty", "row-outside-range", "content-out-of-bounds",
    "column-outside-range",
}


def placeholders(text) -> set[str]:
    texts = text if isinstance(text, tuple) else (text,)
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name}


def sample(code: str, path_like: str = "X") -> Finding:
    """A finding of `code` with every placeholder given: neutral data, or `path_like` where a
    parameter may carry a name of the Secretariat's files."""
    entry = CATALOG[code]
    names = set().union(*(placeholders(t) for t in (entry.en, entry.es, entry.fix_en, entry.fix_es,
                                                      entry.fp_en, entry.fp_es)))
    params = {n: "X" for n in names}
    params.update({"n": "2", "expected": "2025-06-30" if entry.spelled.get("expected") == "date" else "2025-H1"})
    if "other" in entry.spelled:
        params["other"] = "2024-H2"
    elif entry.actor is Actor.SECRETARIAT:  # the Secretariat's codes name a file of the inbox with it
        params["other"] = path_like
    value = "2025-07-03" if entry.spelled.get("value") == "date" else "2025-H2" if "value" in entry.spelled else "X"
    return Finding(code, value=value, params=params)


# --- who acts ----------------------------------------------------------------------------------


def test_every_code_says_who_acts():
    assert all(isinstance(c.actor, Actor) for c in _CATALOG)
    assert {c.code for c in _CATALOG if c.actor is Actor.FOCAL_POINT} == FOCAL_POINT_CODES
    # The Secretariat's: the wrong period consolidated, another plan, a duplicate, a superseded file,
    # not a return, a file damaged in transit, lateness.
    for code in ("meta-other-period", "meta-other-plan", "file-duplicate", "file-superseded", "meta-missing",
                 "file-not-spreadsheet", "file-damaged", "return-late", "file-ignored"):
        assert CATALOG[code].actor is Actor.SECRETARIAT, code
    # the list of focal points is the Secretariat's own
    assert all(c.actor is Actor.SECRETARIAT for c in _CATALOG if c.about == "list")


def test_docs_show_who_acts():
    text = (Path(__file__).resolve().parents[1] / "docs" / "findings.md").read_text(encoding="utf-8")
    assert "| who acts |" in text
    for code in FOCAL_POINT_CODES:
        assert re.search(rf"\| `{re.escape(code)}` \| \w+ \| [^|]+ \| focal point \|", text), code
    assert re.search(r"\| `meta-other-period` \| error \| the whole file \| secretariat \|", text)


# --- no command, option, hidden sheet or path -----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", sorted(c.code for c in _CATALOG if c.about == "return"))
def test_what_a_focal_point_reads_of_every_code(code, lang):
    text = sample(code).for_focal_point(lang)
    assert text and "{" not in text and not FORBIDDEN.search(text), text
    # a file name of the Secretariat's inbox (a duplicate's, a superseded one's) is never shown
    with_path = sample(code, path_like="/home/es/rcm/inbox/GTM/otro.xlsx").for_focal_point(lang)
    assert not FORBIDDEN.search(with_path), with_path
    if CATALOG[code].actor is Actor.FOCAL_POINT:  # their own: what is wrong and what to do
        assert sample(code).fix(lang) in text or CATALOG[code].fp_en


def test_the_secretariat_is_still_told_what_to_do():
    f = Finding("meta-other-period", value=H2, params={"expected": H1})
    assert "rcm consolidate --period 2025-H2" in f.message("en")
    assert "second half of 2025 (2025-H2)" in f.message("en")
    assert f.for_focal_point("es") == ("El libro informa sobre el segundo semestre de 2025, no sobre el primer "
                                       "semestre de 2025. Si envió por error el archivo de un período anterior, "
                                       "envíe el de este período, por favor.")
    missing = Finding("meta-missing")
    assert "`_meta`" in missing.message("en") and "_meta" not in missing.for_focal_point("en")


@pytest.mark.parametrize("lang", LANGS)
def test_feedback_and_email_words_name_no_command(lang):
    texts = [v for v in FEEDBACK[lang].values() if isinstance(v, str)] + list(FEEDBACK[lang]["headers"])
    for key, entry in WORDS[lang].items():
        if key.startswith(("email.", "receipt.", "date.", "period.")):
            texts.extend(entry if isinstance(entry, tuple) else (entry,))
    assert len(texts) > 30
    bad = [t for t in texts if FORBIDDEN.search(t)]
    assert bad == []


# --- who gets a feedback copy ----------------------------------------------------------------------


def judged(plan, *codes, verdict="accepted", kind="xlsx", period=H1, country="GTM", group="PROT") -> Return:
    ret = Return(path=Path("x.xlsx"), name="x.xlsx", kind=kind, period=period, country=country,
                 working_group=group, verdict=verdict)
    row = Row(7, {})
    for code in codes:
        if CATALOG[code].scope in ("row", "cell"):
            row.findings.append(Finding(code, file="x.xlsx", sheet="Matrix", cell="B7", row=7))
        else:
            ret.add(code)
    ret.rows.append(row)
    return ret


def test_needs_feedback(plan):
    assert needs_feedback(judged(plan, "required-missing"), plan)
    assert needs_feedback(judged(plan, "cell-formula"), plan)  # a warning of theirs
    assert needs_feedback(judged(plan, "content-out-of-bounds", verdict="rejected"), plan)
    assert needs_feedback(judged(plan, "required-missing", "return-late"), plan)  # late too: still a copy
    # lateness, notes or the Secretariat's warnings alone: nothing to correct
    assert not needs_feedback(judged(plan, "return-late"), plan)
    assert not needs_feedback(judged(plan, "cell-not-text", "file-macros"), plan)
    assert not needs_feedback(judged(plan, "protection-removed", "prefilled-changed"), plan)
    # the Secretariat acts first
    assert not needs_feedback(judged(plan, "required-missing", "meta-other-period", verdict="rejected"), plan)
    assert not needs_feedback(judged(plan, "required-missing", "meta-other-plan", verdict="rejected"), plan)
    # not an identified return of the plan, not a workbook, not standing
    assert not needs_feedback(judged(plan, "required-missing", period=""), plan)
    assert not needs_feedback(judged(plan, "required-missing", country="XXX"), plan)
    assert not needs_feedback(judged(plan, "required-missing", group="NOPE"), plan)
    assert not needs_feedback(judged(plan, "required-missing", kind="pdf"), plan)
    assert not needs_feedback(judged(plan, "required-missing", verdict="superseded"), plan)
    assert not needs_feedback(judged(plan, "required-missing", verdict="ignored"), plan)
    mixed = judged(plan, "required-missing", "return-late", "cell-not-text", "protection-removed")
    assert [f.code for f in corrections(mixed)] == ["required-missing"]


def test_secretariat_steps(plan):
    late = judged(plan, "return-late", "required-missing")
    assert secretariat_steps(late, plan, "en") == [
        "Send the feedback copy to the focal point (1 correction): rcm mail --period 2025-H1 --kind feedback."]
    other = judged(plan, "meta-other-period", "required-missing", verdict="rejected")
    other.findings[0] = Finding("meta-other-period", value=H2, params={"expected": H1})
    (step,) = secretariat_steps(other, plan, "es")
    assert step.startswith("Para consolidar el segundo semestre de 2025, ejecute rcm consolidate --period 2025-H2")


# --- the wrong period and a stranger's file, end to end ----------------------------------------------


@pytest.fixture
def panama(workspace, plan):
    """Panama's second-half return (a status missing) and someone else's spreadsheet in the inbox."""
    made = {(g.country, g.working_group, p): g for p in (H1, H2)
            for g in generate(workspace, plan, p, groups=["PROT"], countries=["PAN"], due=dt.date(2025, 12, 31))}
    rows = synthetic_rows(plan, "PROT", "PAN", "es", random.Random(7), 3)
    rows[1]["status"] = ""
    fill_workbook(made["PAN", "PROT", H2].path, workspace.inbox / "panama.xlsx", rows,
                  saved_at=dt.datetime(2025, 11, 3, 9, 0))
    stranger = openpyxl.Workbook()
    stranger.active["A1"] = "presupuesto"
    stranger.save(workspace.inbox / "otro.xlsx")
    (workspace.root / "templates" / "focal_points.xlsx").unlink(missing_ok=True)
    (workspace.root / "templates" / "focal_points.csv").write_text(
        "name,email,country,working groups,language,cc\nAna Ruiz,ana@example.org,PAN,PROT,,\n", encoding="utf-8")
    return workspace


def test_wrong_period_and_stranger_get_no_copy_and_the_cli_says_what_to_do(panama):
    ws = panama
    run = CliRunner().invoke(cli, ["-C", str(ws.root), "consolidate", "--period", H1])
    assert run.exit_code == 1, run.output
    assert "rcm consolidate --period 2025-H2" in run.output  # what the Secretariat does
    assert "fill in the workbook they were sent" in run.output  # the stranger's file
    feedback = ws.outbox / H1 / "feedback"
    assert not feedback.exists() or [p for p in feedback.rglob("*") if p.is_file()] == []
    assert not list(ws.outbox.rglob("_unidentified"))
    # the Returns sheet says it too, in the Secretariat's words
    wb = openpyxl.load_workbook(ws.outbox / H1 / f"consolidated_{H1}.xlsx", read_only=True)
    rows = [r for r in wb["Returns"].iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r and r[0] == "File")
    todo = rows[head].index("What to do")
    by_file = {r[0]: r[todo] for r in rows[head + 1:] if r and r[0]}
    assert "rcm consolidate --period 2025-H2" in by_file["panama.xlsx"]
    assert "Ask the focal point to fill in the workbook they were sent" in by_file["otro.xlsx"]
    # the mail finds nothing to send as feedback, even with a copy an earlier run left behind
    stale = feedback / "PAN"
    stale.mkdir(parents=True, exist_ok=True)
    (stale / "panama.xlsx").write_bytes((ws.inbox / "panama.xlsx").read_bytes())
    run = CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "--period", H1, "--kind", "feedback"])
    assert run.exit_code == 0, run.output
    assert "not attached" in run.output and "Wrote 0 feedback e-mails" in run.output
    # the same return consolidated in its own round gets its copy, and the CLI says to send it
    run = CliRunner().invoke(cli, ["-C", str(ws.root), "consolidate", "--period", H2])
    copies = [p for p in (ws.outbox / H2 / "feedback").rglob("*.xlsx")]
    assert [p.relative_to(ws.outbox / H2 / "feedback").as_posix() for p in copies] == ["PAN/panama.xlsx"]
    assert "rcm mail --period 2025-H2 --kind feedback" in run.output
    assert "rcm mail --period 2025-H2 --kind receipts" in run.output
    run = CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "--period", H2, "--kind", "feedback"])
    (draft,) = list((ws.outbox / H2 / "mail" / "feedback").glob("*.eml"))
    msg = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert [a.get_filename() for a in msg.iter_attachments()] == ["panama.xlsx"]
    body = msg.get_body(("plain",)).get_content()
    assert "segundo semestre de 2025" in body and "2025-H2" not in body and not FORBIDDEN.search(body)
    assert file_name(H2, "PROT", "PAN") not in body
