"""rcm mail for an Activity Matrix round (Strategic Plan 3.9): the form found from the period's
templates (or named), its templates attached, reminders and receipts from its returns' states,
feedback copies of its returns only, and words about proposing priority activities."""
from __future__ import annotations

import datetime as dt
import email
from email import policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from rcm_workbooks.cli import cli
from rcm_workbooks.core.errors import Problem, WorkspaceError
from rcm_workbooks.demo.fill import fill_workbook
from rcm_workbooks.mail import drafts as mail
from rcm_workbooks.round import consolidate
from rcm_workbooks.template import build
from rcm_workbooks.template.activities import file_name, generate_activities
from rcm_workbooks.template.generate import generate

YEAR = "2026"
DUE = dt.date(2026, 2, 15)
ON_TIME = dt.datetime(2026, 2, 1, 10, 0)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW = {"pillar": "P3", "theme": "P3/T2", "activity": "Regional workshop on consular protection",
       "expected_results": "Consular staff trained", "indicators": "Officials trained"}


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def attached(msg) -> dict[str, bytes]:
    return {a.get_filename(): a.get_content() for a in msg.iter_attachments()}


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content()


def by_country(result) -> dict:
    return {d.focal_point.country: d for d in result.drafts}


@pytest.fixture
def aws(workspace):
    """Activity Matrix templates of PROT and IRMM for CAN, MEX and GTM; one focal point each."""
    generate_activities(workspace, workspace.load_plan(), YEAR, groups=["PROT", "IRMM"],
                        countries=["CAN", "MEX", "GTM"], due=DUE)
    (workspace.root / "templates" / "focal_points.xlsx").unlink(missing_ok=True)
    (workspace.root / "templates" / "focal_points.csv").write_text(
        "name,email,country,working groups,language,cc\n"
        "Émilie Tremblay,emilie@example.org,CAN,ALL,,\n"
        "Sofía Ramírez,sofia@example.org,MEX,ALL,,\n"
        "Luis Méndez,luis@example.org,GTM,ALL,,\n"
        "Zoë Q,zoe@example.org,PAN,ALL,,\n", encoding="utf-8")
    return workspace


def template(ws, country: str, group: str) -> Path:
    return ws.templates_dir(YEAR) / country / file_name(YEAR, group, country)


def other_plan(path: Path) -> Path:
    """An identifiable return rejected as a whole (meta-other-plan)."""
    wb = openpyxl.load_workbook(path)
    for row in wb["_meta"].iter_rows(min_col=1, max_col=2):
        if row[0].value == "plan_id":
            row[1].value = "SOME-OTHER-PLAN"
    wb.save(path)
    return path


@pytest.fixture
def returned(aws):
    """CAN: PROT proposes two activities (accepted), IRMM missing; MEX: PROT rejected (another
    plan), IRMM one proposal with a theme of another pillar; GTM: nothing."""
    fill_workbook(template(aws, "CAN", "PROT"), aws.inbox / "CAN" / "prot.xlsx",
                  [NEW, {**NEW, "activity": "Guide on return", "theme": "P3/T1"}], saved_at=ON_TIME)
    fill_workbook(template(aws, "MEX", "PROT"), aws.inbox / "MEX" / "prot.xlsx", [NEW], saved_at=ON_TIME)
    other_plan(aws.inbox / "MEX" / "prot.xlsx")
    fill_workbook(template(aws, "MEX", "IRMM"), aws.inbox / "MEX" / "irmm.xlsx",
                  [{**NEW, "pillar": "P1", "theme": "Apatridia"}], saved_at=ON_TIME)
    return aws


def test_the_templates_of_an_activity_matrix_round_are_attached(aws, plan):
    result = mail.write_drafts(aws, plan, YEAR, "templates", sender="RCM <es@example.org>")
    assert result.form == "activities"
    folder = aws.period_dir(YEAR) / "mail" / "activities" / "templates"
    assert result.where == folder
    assert sorted(p.name for p in folder.iterdir()) == ["CAN-emilie-tremblay.eml", "GTM-luis-mendez.eml",
                                                        "MEX-sofia-ramirez.eml"]
    assert [fp.name for fp in result.nothing_for] == ["Zoë Q"]  # PAN has no template this round
    drafts = by_country(result)
    for country, d in drafts.items():
        got = attached(parse(d.path))
        assert set(got) == {file_name(YEAR, g, country) for g in ("PROT", "IRMM")}
        assert all(data == template(aws, country, name.split("_")[3]).read_bytes() for name, data in got.items())
        assert d.attachments == [template(aws, country, g) for g in ("PROT", "IRMM")]
    en = parse(drafts["CAN"].path)
    assert str(en["Subject"]) == "RCM: Activity Matrix for Canada, 2026 – due 15 February 2026"
    assert en["X-RCM-Form"] == "activities" and en["X-RCM-Kind"] == "templates"
    text = text_of(en)
    assert "Activity Matrix workbooks of Canada for 2026, one per working group" in text
    assert "propose up to 3 priority activities of the working group for 2026" in text
    assert "choose Keep or Drop for each current priority activity" in text
    assert "follow-up" not in text and "status" not in text
    assert "Due date: 15 February 2026." in text and "Protection (PROT)" in text
    es = parse(drafts["MEX"].path)
    assert str(es["Subject"]) == "CRM: Matriz de Actividades de México, 2026 – fecha límite 15 de febrero de 2026"
    text = text_of(es)
    assert "proponga como máximo 3 actividades prioritarias del grupo de trabajo para 2026" in text
    assert "elija Mantener o Eliminar" in text and "seguimiento" not in text


def test_reminders_for_the_missing_and_rejected_proposals(returned, plan):
    result = mail.write_drafts(returned, plan, YEAR, "reminders", today=dt.date(2026, 3, 1))
    states = {k: v.state for k, v in result.states.items()}
    assert states == {("CAN", "PROT"): "received", ("CAN", "IRMM"): "missing", ("MEX", "PROT"): "rejected",
                      ("MEX", "IRMM"): "received", ("GTM", "PROT"): "missing", ("GTM", "IRMM"): "missing"}
    drafts = by_country(result)
    assert set(drafts) == {"CAN", "MEX", "GTM"}
    assert set(attached(parse(drafts["CAN"].path))) == {file_name(YEAR, "IRMM", "CAN")}
    assert set(attached(parse(drafts["MEX"].path))) == {file_name(YEAR, "PROT", "MEX")}
    assert set(attached(parse(drafts["GTM"].path))) == {file_name(YEAR, g, "GTM") for g in ("PROT", "IRMM")}
    can = parse(drafts["CAN"].path)
    assert str(can["Subject"]) == "Reminder – RCM: Activity Matrix for Canada, 2026 – due 15 February 2026"
    text = text_of(can)
    assert "Activity Matrix workbooks of Canada for 2026 have not been received" in text
    assert "(IRMM): not received, and the due date has passed" in text and "(PROT)" not in text
    mex = text_of(parse(drafts["MEX"].path))
    assert "(PROT): recibido pero no se pudo aceptar" in mex and "(IRMM)" not in mex
    assert result.where == returned.period_dir(YEAR) / "mail" / "activities" / "reminders"


def test_receipts_count_the_proposals(returned, plan):
    result = mail.write_drafts(returned, plan, YEAR, "receipts")
    drafts = by_country(result)
    assert set(drafts) == {"CAN", "MEX"}  # GTM sent nothing
    assert drafts["CAN"].attachments == [] and drafts["CAN"].items == [
        "Protection (PROT): prot.xlsx, saved on 1 February 2026: 2 proposals accepted.",
        "Irregular and mass migration (IRMM): not received yet."]
    mex_prot, mex_irmm = drafts["MEX"].items
    assert mex_prot.startswith("Protección (PROT): prot.xlsx, guardado el ")
    assert mex_prot.endswith(": llegó, pero no se pudo aceptar: El libro pertenece a otro plan. La Secretaría le "
                             "enviará el libro vigente.")
    assert mex_irmm == ("Migración irregular y masiva (IRMM): irmm.xlsx, guardado el 1 de febrero de 2026: 0 de 1 "
                        "propuestas aceptadas; le enviaremos en un correo aparte una copia con lo que hay que "
                        "corregir marcado.")
    can = parse(drafts["CAN"].path)
    assert str(can["Subject"]) == "RCM: receipt of your Activity Matrix for Canada, 2026"
    assert "what we have received of the Activity Matrix workbooks of Canada for 2026" in text_of(can)
    assert "2 proposals accepted" in text_of(can) and "activities accepted" not in text_of(can)
    mex = text_of(parse(drafts["MEX"].path))
    assert "acuse" in str(parse(drafts["MEX"].path)["Subject"]) and "Matriz de Actividades" in mex
    assert "0 de 1 propuestas aceptadas" in mex and "Cuando le llegue una copia con correcciones" in mex


def test_feedback_copies_of_the_proposals(returned, plan):
    consolidate(returned, plan, period=YEAR)
    result = mail.write_drafts(returned, plan, YEAR, "feedback")
    (draft,) = result.drafts  # MEX IRMM: a theme of another pillar; MEX PROT is the Secretariat's (other plan)
    assert draft.focal_point.country == "MEX" and len(draft.attachments) == 1
    (copy,) = draft.attachments
    assert copy.parent == returned.period_dir(YEAR) / "feedback" / "MEX"
    assert draft.items == [f"Migración irregular y masiva (IRMM): {copy.name}"]
    msg = parse(draft.path)
    assert set(attached(msg)) == {copy.name} and attached(msg)[copy.name] == copy.read_bytes()
    assert str(msg["Subject"]) == "CRM: observaciones sobre su Matriz de Actividades de México, 2026"
    assert "Gracias por sus propuestas de la Matriz de Actividades sobre 2026" in text_of(msg)


def test_a_year_with_both_rounds_needs_the_form_named(returned, plan):
    generate(returned, plan, YEAR, groups=["PROT"], countries=["CAN"], due=DUE)
    with pytest.raises(WorkspaceError) as err:
        mail.write_drafts(returned, plan, YEAR, "templates")
    assert err.value.problem is Problem.MAIL_FORM_AMBIGUOUS and err.value.params["period"] == YEAR
    act = mail.write_drafts(returned, plan, YEAR, "templates", form="activities")
    assert {d.focal_point.country: len(d.attachments) for d in act.drafts} == {"CAN": 2, "MEX": 2, "GTM": 2}
    follow = mail.write_drafts(returned, plan, YEAR, "templates", form="followup")
    (can,) = follow.drafts
    assert can.attachments == [returned.templates_dir(YEAR) / "CAN" / build.file_name(YEAR, "PROT", "CAN")]
    assert str(can.message["Subject"]).startswith("RCM: follow-up matrix for Canada, 2026")
    assert can.path.parent == returned.period_dir(YEAR) / "mail" / "templates"
    assert len(list(act.where.glob("*.eml"))) == 3  # each round keeps its own drafts
    # the Activity Matrix's returns are no follow-up returns: its receipts are its own
    receipts = mail.write_drafts(returned, plan, YEAR, "receipts", form="activities")
    assert {d.focal_point.country for d in receipts.drafts} == {"CAN", "MEX"}
    assert mail.write_drafts(returned, plan, YEAR, "receipts", form="followup").drafts == []
    with pytest.raises(WorkspaceError) as err:
        mail.write_drafts(returned, plan, YEAR, "templates", form="the plan")
    assert err.value.problem is Problem.UNKNOWN_MAIL_FORM


def test_the_activity_matrix_is_yearly(aws, plan):
    from rcm_workbooks.mail.forms import round_form

    with pytest.raises(WorkspaceError) as err:
        round_form(aws, "2026-H1", "activities")
    assert err.value.problem is Problem.NOT_A_YEAR and err.value.params["year"] == YEAR


def test_rcm_mail_for_an_activity_matrix_round(aws):
    runner = CliRunner()
    run = runner.invoke(cli, ["-C", str(aws.root), "mail", "--period", YEAR, "--kind", "templates"])
    assert run.exit_code == 0, run.output
    folder = aws.period_dir(YEAR) / "mail" / "activities" / "templates"
    assert f"Wrote 3 template e-mails for {YEAR} into {folder}" in run.output
    assert f"{file_name(YEAR, 'PROT', 'CAN')}" in run.output
    generate(aws, aws.load_plan(), YEAR, groups=["PROT"], countries=["CAN"], due=DUE)
    run = runner.invoke(cli, ["-C", str(aws.root), "mail", "--period", YEAR, "--kind", "reminders", "--lang", "es"])
    assert run.exit_code == 2
    assert "indique de qué ronda tratan los correos: --form followup o --form activities" in run.output
    run = runner.invoke(cli, ["-C", str(aws.root), "mail", "--period", YEAR, "--kind", "reminders",
                              "--form", "activities"])
    assert run.exit_code == 0, run.output
    assert len(list((aws.period_dir(YEAR) / "mail" / "activities" / "reminders").glob("*.eml"))) == 3
