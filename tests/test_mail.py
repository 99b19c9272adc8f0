"""rcm mail: the focal-point list, the .eml drafts (parsed back), reminders, feedback, SMTP on loopback."""
from __future__ import annotations

import datetime as dt
import email
import random
import re
import shutil
import socket
from email import policy
from pathlib import Path

import pytest

from rcm_workbooks.demo.fill import fill_workbook, synthetic_rows
from rcm_workbooks.intake.consolidate import read_all, scan
from rcm_workbooks.mail import drafts as mail
from rcm_workbooks.mail.focal_points import HEADINGS, load_focal_points, write_example
from rcm_workbooks.round import consolidate
from rcm_workbooks.template.build import file_name
from rcm_workbooks.template.generate import generate

PERIOD = "2025-H1"
DUE = dt.date(2025, 6, 30)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_HEAD = "name,email,country,working groups,language,cc\n"


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def attachments(msg) -> dict[str, tuple[str, bytes]]:
    return {a.get_filename(): (a.get_content_type(), a.get_content()) for a in msg.iter_attachments()}


def bodies(msg) -> tuple[str, str]:
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def write_list(ws, text: str) -> Path:
    path = ws.root / "templates" / "focal_points.csv"
    (ws.root / "templates" / "focal_points.xlsx").unlink(missing_ok=True)  # the example `rcm init` writes
    path.write_text(CSV_HEAD + text, encoding="utf-8")
    return path


def fill(ws, plan, country, group, dst: Path, saved: dt.datetime, n: int = 3) -> Path:
    src = ws.templates_dir(PERIOD) / country / file_name(PERIOD, group, country)
    lang = plan.country(country).language
    rows = synthetic_rows(plan, group, country, lang, random.Random(f"{country}{group}"), n)
    dst.parent.mkdir(parents=True, exist_ok=True)
    fill_workbook(src, dst, rows, saved_at=saved)
    return dst


def break_plan_id(path: Path) -> None:
    """Make a return identifiable but rejected (meta-other-plan)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["_meta"]
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value == "plan_id":
            row[1].value = "SOME-OTHER-PLAN"
    wb.save(path)


@pytest.fixture
def ws(workspace):
    plan = workspace.load_plan()
    generate(workspace, plan, PERIOD, countries=["CAN", "MEX", "GTM"], due=DUE)
    return workspace


# --- the focal-point list ------------------------------------------------------------------


def test_example_list_is_valid_and_covers_every_country(workspace, plan):
    path = write_example(workspace.root / "templates" / "focal_points.xlsx", plan)
    people = load_focal_points(path, plan)
    assert people.problems == []
    assert sorted(p.country for p in people.people) == sorted(c.code for c in plan.countries)
    for p in people.people:
        assert p.email.endswith("@example.org")
        assert p.language == plan.country(p.country).language
        assert p.groups == tuple(g.code for g in plan.working_groups)
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    assert len(wb.sheet_names) == 2  # the list and the sheet explaining its columns
    rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    assert [str(x) for x in rows[1]] == list(HEADINGS.values())


def test_list_problems_name_row_column_and_fix(workspace, plan):
    path = write_list(workspace, "\n".join([
        "Ana Pérez,ana@example.org,MEX,ALL,,",                     # row 2: fine, language from the country
        "Bob Smith,bob@example.org,Canada,PROT; labr,es,x@example.org",  # row 3: label, list, cc
        "Carla,carla(at)example.org,GTM,ALL,,",                    # row 4: bad address
        "Dan,dan@example.org,XYZ,ALL,,",                           # row 5: unknown country
        "Eve,eve@example.org,HND,PROT FOO,,",                      # row 6: unknown group
        "Ana P.,ANA@example.org,México,IRMM,,",                    # row 7: duplicate of row 2
        "Fay,fay@example.org,PAN,ALL,fr,",                         # row 8: bad language
        ",gil@example.org,BLZ,ALL,,",                              # row 9: no name
        "Hal,hal@example.org,USA,ALL,,not-an-address",             # row 10: bad cc
        ",,,,,",                                                   # empty: ignored
    ]) + "\n")
    result = load_focal_points(path, plan)
    errors = {(p.row, p.code, p.column, p.heading) for p in result.errors}
    assert errors == {
        (4, "fp-bad-email", "email", HEADINGS["email"]),
        (5, "fp-unknown-country", "country", HEADINGS["country"]),
        (6, "fp-unknown-group", "groups", HEADINGS["groups"]),
        (7, "fp-duplicate", "email", HEADINGS["email"]),
        (8, "fp-bad-language", "language", HEADINGS["language"]),
        (9, "fp-missing-value", "name", HEADINGS["name"]),
        (10, "fp-bad-email", "cc", HEADINGS["cc"]),
    }
    for p in result.problems:
        for lang in ("en", "es"):  # every problem says how to fix it, in either language
            assert len(p.message(lang)) > len(p.message(lang, with_fix=False)) > 0
            assert p.render(lang).startswith("focal_points.csv: ")
    six = next(p for p in result.errors if p.row == 6)
    assert "Row 6, column 'Working groups / Grupos de trabajo': 'FOO' is not a working group of the plan." in six.render()
    assert "Fila 6, columna 'Working groups / Grupos de trabajo': 'FOO' no es un grupo de trabajo del plan." in six.render("es")
    assert next(p for p in result.errors if p.row == 4).message().endswith("Write it as name@domain, e.g. ana.perez@example.org.")
    people = {p.row: p for p in result.people}
    assert set(people) == {2, 3}
    assert people[2].language == "es" and people[2].groups == ("PROT", "IRMM", "LABR", "BORD")
    assert people[3].country == "CAN" and people[3].groups == ("PROT", "LABR") and people[3].language == "es"
    assert people[3].cc == ("x@example.org",)
    (uncovered,) = result.warnings
    assert uncovered.code == "fp-uncovered"
    text = uncovered.message()
    assert "CAN/IRMM" in text and "CAN/BORD" in text and "MEX/" not in text and "CAN/PROT" not in text
    assert re.match(r"\d+ country/working-group pairs have no focal point", text)


def test_every_focal_point_code_is_produced(workspace, plan):
    from rcm_workbooks.core.findings import CATALOG

    lists = {
        "rows": "\n".join(["Ana,ana@example.org,MEX,ALL,,", ",,,,,", "Al,al@x y.org,GTM,ALL,,", "Bo,bo@example.org,XYZ,ALL,,",
                           "Cy,cy@example.org,HND,FOO,,", "Di,di@example.org,PAN,ALL PROT,,", "Ed,ed@example.org,BLZ,ALL,fr,",
                           "Ana,ana@example.org,MEX,PROT,,", ",fi@example.org,USA,ALL,,"]) + "\n",
        "no header": None, "missing column": None, "unreadable": None,
    }
    found = set()
    for name, text in lists.items():
        path = workspace.root / "templates" / f"{name}.csv"
        if text is not None:
            path.write_text(CSV_HEAD + text, encoding="utf-8")
        elif name == "no header":
            path.write_text("a,b\n1,2\n", encoding="utf-8")
        elif name == "missing column":
            path.write_text("name,country,working groups\nAna,MEX,ALL\n", encoding="utf-8")
        else:
            path = path.with_suffix(".xlsx")
            path.write_bytes(b"PK\x03\x04 not a zip")
        problems = load_focal_points(path, plan).problems
        assert problems, name
        for p in problems:
            assert p.message("en") != p.message("es") and p.render("en") and p.render("es")
        found |= {p.code for p in problems}
    assert found == {code for code, c in CATALOG.items() if c.about == "list"}


def test_semicolon_csv_and_missing_column(workspace, plan):
    path = workspace.root / "templates" / "focal_points.csv"
    path.write_text("Nombre;Correo electrónico;País;Grupos de trabajo\nAna;ana@example.org;MEX;todos\n", encoding="utf-8-sig")
    result = load_focal_points(path, plan, expected=[("MEX", "PROT")])
    assert result.problems == [] and result.people[0].groups == ("PROT", "IRMM", "LABR", "BORD")
    path.write_text("Name,Country,Working groups\nAna,MEX,ALL\n", encoding="utf-8")
    (problem,) = load_focal_points(path, plan).problems
    assert problem.code == "fp-missing-column" and problem.message().startswith(
        "The heading row lacks the column 'E-mail / Correo electrónico'.")


# --- templates -----------------------------------------------------------------------------


def test_template_messages_parse_back(ws, plan):
    write_list(ws, "\n".join([
        "Émilie Tremblay,emilie@example.org,CAN,ALL,,",
        "Sofía Ramírez,sofia@example.org,MEX,PROT IRMM,,jefa@example.org",
        "Zoë Q,zoe@example.org,PAN,ALL,,",  # PAN has no templates this round: no message
    ]) + "\n")
    result = mail.write_drafts(ws, plan, PERIOD, "templates", sender="Secretaría CRM <es@example.org>")
    assert result.focal_points.errors == []
    folder = ws.period_dir(PERIOD) / "mail" / "templates"
    assert sorted(p.name for p in folder.iterdir()) == ["CAN-emilie-tremblay.eml", "MEX-sofia-ramirez.eml"]
    assert [p.name for p in result.nothing_for] == ["Zoë Q"]

    raw = (folder / "MEX-sofia-ramirez.eml").read_bytes()
    raw.decode("ascii")  # every non-ASCII header and body is encoded
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    es = parse(folder / "MEX-sofia-ramirez.eml")
    assert es["To"].addresses[0].display_name == "Sofía Ramírez"
    assert es["To"].addresses[0].addr_spec == "sofia@example.org"
    assert str(es["Cc"]) == "jefa@example.org"
    assert es["From"].addresses[0].display_name == "Secretaría CRM"
    assert str(es["Subject"]) == "CRM: matriz de seguimiento de México, primer semestre de 2025 – fecha límite 30 de junio de 2025"
    assert "=?utf-8?" in raw.split(b"\r\n\r\n")[0].decode()  # RFC 2047 encoded words in the header block
    assert es["Message-ID"] and es["Date"] and es["X-Unsent"] == "1"
    assert es.get_content_type() == "multipart/mixed"
    text, page = bodies(es)
    assert text.startswith("Estimado/a Sofía Ramírez:")
    assert "sobre el primer semestre de 2025, uno por grupo de trabajo" in text and "2025-H1" not in text
    assert "Fecha límite: 30 de junio de 2025." in text and "Protección (PROT)" in text
    assert "Migración laboral" not in text  # not her group
    assert "<li>Protección (PROT)</li>" in page and 'lang="es"' in page
    got = attachments(es)
    tdir = ws.templates_dir(PERIOD) / "MEX"
    assert set(got) == {file_name(PERIOD, g, "MEX") for g in ("PROT", "IRMM")}
    for name, (ctype, data) in got.items():
        assert ctype == XLSX
        assert data == (tdir / name).read_bytes()

    en = parse(folder / "CAN-emilie-tremblay.eml")
    assert en["To"].addresses[0].display_name == "Émilie Tremblay"
    assert str(en["Subject"]) == "RCM: follow-up matrix for Canada, first half of 2025 – due 30 June 2025"
    text, page = bodies(en)
    assert text.startswith("Dear Émilie Tremblay,") and "Due date: 30 June 2025." in text
    assert "for the first half of 2025, one per working group" in text and "2025-H1" not in text
    assert "How to return it" in text and "reply to this e-mail" in text
    assert len(attachments(en)) == 4


def test_lang_option_and_stale_drafts_removed(ws, plan):
    write_list(ws, "Ana,ana@example.org,MEX,ALL,,\nBo,bo@example.org,CAN,ALL,,\n")
    mail.write_drafts(ws, plan, PERIOD, "templates")
    write_list(ws, "Ana,ana@example.org,MEX,ALL,,\n")
    result = mail.write_drafts(ws, plan, PERIOD, "templates", lang="en")
    assert [p.name for p in result.removed] == ["CAN-bo.eml"]
    (draft,) = result.drafts
    msg = parse(draft.path)
    assert str(msg["Subject"]).startswith("RCM: follow-up matrix for Mexico, first half of 2025")
    assert msg["From"] is None  # no sender given: the mail program fills it in when the draft is sent


def test_broken_list_writes_nothing(ws, plan):
    write_list(ws, "Ana,ana@example,MEX,ALL,,\n")
    result = mail.write_drafts(ws, plan, PERIOD, "templates")
    assert [p.code for p in result.focal_points.errors] == ["fp-bad-email"]
    assert result.drafts == [] and not (ws.period_dir(PERIOD) / "mail").exists()


# --- reminders -----------------------------------------------------------------------------


@pytest.fixture
def returned(ws, plan):
    """CAN: PROT accepted on time, IRMM rejected (other plan), LABR accepted late; MEX: all four in; GTM: none."""
    on_time = dt.datetime(2025, 6, 20, 12, 0)
    fill(ws, plan, "CAN", "PROT", ws.inbox / "CAN" / "prot.xlsx", on_time)
    break_plan_id(fill(ws, plan, "CAN", "IRMM", ws.inbox / "CAN" / "irmm.xlsx", on_time))
    fill(ws, plan, "CAN", "LABR", ws.inbox / "CAN" / "labr.xlsx", dt.datetime(2025, 7, 9, 12, 0))
    for g in ("PROT", "IRMM", "LABR", "BORD"):
        fill(ws, plan, "MEX", g, ws.inbox / "MEX" / f"{g}.xlsx", on_time)
    write_list(ws, "\n".join([
        "Émilie Tremblay,emilie@example.org,CAN,ALL,,",
        "Paul Roy,paul@example.org,CAN,PROT,,",
        "Sofía Ramírez,sofia@example.org,MEX,ALL,,",
        "Luis Méndez,luis@example.org,GTM,ALL,,",
    ]) + "\n")
    return ws


def test_reminders_match_the_returns_states(returned, plan):
    ws = returned
    today = dt.date(2025, 7, 15)
    result = mail.write_drafts(ws, plan, PERIOD, "reminders", today=today)
    # The states of the Returns sheet: a late return is received, its lateness counted apart.
    states = {k: (v.state, v.late, v.overdue(today)) for k, v in result.states.items()}
    assert states[("CAN", "PROT")] == ("received", False, False)
    assert states[("CAN", "IRMM")] == ("rejected", False, False)
    assert states[("CAN", "LABR")] == ("received", True, False)
    assert states[("CAN", "BORD")] == ("missing", False, True)  # still missing after the due date
    assert all(states[("MEX", g)] == ("received", False, False) for g in ("PROT", "IRMM", "LABR", "BORD"))
    assert all(states[("GTM", g)] == ("missing", False, True) for g in ("PROT", "IRMM", "LABR", "BORD"))
    # the same verdicts as a consolidation of the inbox
    con = consolidate(ws, plan, period=PERIOD, write=False)
    verdict = {(r.country, r.working_group): r.verdict for r in con.files if r.identified}
    assert verdict == {k: ("accepted" if v == "received" else v) for k, (v, _, _) in states.items()
                       if v != "missing"}

    by_name = {d.focal_point.name: d for d in result.drafts}
    assert set(by_name) == {"Émilie Tremblay", "Luis Méndez"}  # Paul (PROT only) and Sofía have nothing due
    can = parse(by_name["Émilie Tremblay"].path)
    tdir = ws.templates_dir(PERIOD) / "CAN"
    got = attachments(can)
    assert set(got) == {file_name(PERIOD, "IRMM", "CAN"), file_name(PERIOD, "BORD", "CAN")}
    for name, (ctype, data) in got.items():
        assert ctype == XLSX and data == (tdir / name).read_bytes()
    text, _ = bodies(can)
    assert str(can["Subject"]).startswith("Reminder – RCM")
    # why, in words for the focal point: no plan id, no command
    assert "(IRMM): received but could not be accepted: The workbook belongs to another plan. The Secretariat " \
           "will send you the current workbook." in text
    assert "SOME-OTHER-PLAN" not in text
    assert "(BORD): not received, and the due date has passed" in text
    assert "(PROT)" not in text and "(LABR)" not in text
    gtm = parse(by_name["Luis Méndez"].path)
    assert str(gtm["Subject"]).startswith("Recordatorio – CRM")
    assert len(attachments(gtm)) == 4
    assert "no recibido, y la fecha límite ya pasó" in bodies(gtm)[0]

    before = mail.write_drafts(ws, plan, PERIOD, "reminders", today=dt.date(2025, 6, 1))
    assert before.states[("CAN", "BORD")].state == "missing"
    assert "(BORD): not received yet" in bodies(parse(next(d.path for d in before.drafts if d.focal_point.country == "CAN")))[0]


# --- feedback ------------------------------------------------------------------------------


def test_feedback_copies_go_to_the_right_focal_points(returned, plan):
    ws = returned
    # CAN PROT with a status the list does not have: the focal point's to correct
    rows = synthetic_rows(plan, "PROT", "CAN", "en", random.Random("CANPROT"), 3)
    rows[0]["status"] = "Done"
    fill_workbook(ws.templates_dir(PERIOD) / "CAN" / file_name(PERIOD, "PROT", "CAN"), ws.inbox / "CAN" / "prot.xlsx",
                  rows, saved_at=dt.datetime(2025, 6, 20, 12, 0))
    fb = ws.period_dir(PERIOD) / "feedback" / "CAN"
    fb.mkdir(parents=True)
    # copies named after the original return (the consolidator's feedback writer may add a suffix)
    (fb / "prot.xlsx").write_bytes(b"PROT feedback")
    # copies an earlier run left of returns that need none: IRMM is the Secretariat's to act on
    # (another plan), LABR is only late
    shutil.copyfile(ws.inbox / "CAN" / "irmm.xlsx", fb / "irmm_feedback.xlsx")
    shutil.copyfile(ws.inbox / "CAN" / "labr.xlsx", fb / "labr.xlsx")
    result = mail.write_drafts(ws, plan, PERIOD, "feedback")
    by_name = {d.focal_point.name: d for d in result.drafts}
    assert set(by_name) == {"Émilie Tremblay", "Paul Roy"}
    assert set(attachments(parse(by_name["Paul Roy"].path))) == {"prot.xlsx"}
    got = attachments(parse(by_name["Émilie Tremblay"].path))
    assert got == {"prot.xlsx": (XLSX, b"PROT feedback")}
    assert sorted((n.code, n.path.name) for n in result.notes) == [("not_needed", "irmm_feedback.xlsx"),
                                                                    ("not_needed", "labr.xlsx")]
    text, _ = bodies(parse(by_name["Paul Roy"].path))
    assert "Protection (PROT): prot.xlsx" in text and "Irregular" not in text
    assert "Thank you for your returns for the first half of 2025." in text


# --- receipts ------------------------------------------------------------------------------


def test_receipts_say_what_arrived_and_what_follows(returned, plan):
    ws = returned
    rows = synthetic_rows(plan, "PROT", "MEX", "es", random.Random("MEXPROT"), 4)
    rows[2]["status"] = "Hecho"  # not a status of the list: this row is rejected, a copy follows
    fill_workbook(ws.templates_dir(PERIOD) / "MEX" / file_name(PERIOD, "PROT", "MEX"), ws.inbox / "MEX" / "PROT.xlsx",
                  rows, saved_at=dt.datetime(2025, 6, 20, 12, 0))
    result = mail.write_drafts(ws, plan, PERIOD, "receipts")
    by_name = {d.focal_point.name: d for d in result.drafts}
    # every focal point with a return, and nobody else (GTM sent nothing)
    assert set(by_name) == {"Émilie Tremblay", "Paul Roy", "Sofía Ramírez"}
    assert [fp.name for fp in result.nothing_for] == ["Luis Méndez"]
    assert all(d.attachments == [] for d in result.drafts)

    mex = parse(by_name["Sofía Ramírez"].path)
    assert str(mex["Subject"]) == "CRM: acuse de recibo de su matriz de seguimiento de México, primer semestre de 2025"
    assert mex["X-RCM-Kind"] == "receipts" and mex["Content-Language"] == "es"
    text, page = bodies(mex)
    assert "sobre el primer semestre de 2025:" in text
    assert ("  - Protección (PROT): PROT.xlsx, guardado el 20 de junio de 2025: 3 de 4 actividades aceptadas; le "
            "enviaremos en un correo aparte una copia con lo que hay que corregir marcado.") in text
    assert "  - Migración laboral (LABR): LABR.xlsx, guardado el 20 de junio de 2025: 3 actividades aceptadas." in text
    assert "Cuando le llegue una copia con correcciones" in text
    assert "<li>Protección (PROT): PROT.xlsx" in page

    can = bodies(parse(by_name["Émilie Tremblay"].path))[0]
    assert "Protection (PROT): prot.xlsx, saved on 20 June 2025: 3 activities accepted." in can
    # rejected for the Secretariat to act on: said in the focal point's words, and no copy follows
    assert re.search(r"Irregular and mass migration \(IRMM\): irmm\.xlsx, saved on \d+ \w+ \d{4}: it arrived, but it "
                     r"could not be accepted: The workbook belongs to another plan\. The Secretariat will send you the "
                     r"current workbook\.\r?\n", can)
    assert "Labor migration (LABR): labr.xlsx, saved on 9 July 2025: 3 activities accepted." in can  # late: only received
    assert "Border management (BORD): not received yet." in can
    assert "Nothing more is needed from you for the workbooks received." in can and "follows" not in can
    paul = bodies(parse(by_name["Paul Roy"].path))[0]
    assert "(PROT)" in paul and "(IRMM)" not in paul  # his working group alone
    for d in result.drafts:
        for part in bodies(parse(d.path)):
            assert "2025-H1" not in part and "rcm " not in part and "_meta" not in part and "--" not in part
    # the CLI writes them too
    from click.testing import CliRunner

    from rcm_workbooks.cli import cli

    run = CliRunner().invoke(cli, ["-C", str(ws.root), "mail", "--period", PERIOD, "--kind", "receipts"])
    assert run.exit_code == 0, run.output
    assert "Wrote 3 receipt e-mails for 2025-H1" in run.output
    # a receipt carries no file: its line says so, not "0 files attached ()"
    lines = [x for x in run.output.splitlines() if x.startswith("  ") and ": to " in x]
    assert len(lines) == 3 and all(x.endswith("; nothing attached") for x in lines), run.output


# --- sending -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    pytest.importorskip("aiosmtpd")
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    class Handler:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content, session.authenticated))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"es" and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def test_smtp_round_trip_on_loopback(ws, plan, smtp_server):
    controller, handler = smtp_server
    write_list(ws, "Sofía Ramírez,sofia@example.org,MEX,PROT,,jefa@example.org\nBo,bo@example.org,CAN,ALL,,\n")
    result = mail.write_drafts(ws, plan, PERIOD, "templates")
    settings = mail.SmtpSettings("127.0.0.1", controller.port, starttls=False, user="es",
                                 sender="RCM ES <es@example.org>", timeout=10)
    log = ws.period_dir(PERIOD) / "mail" / "sent.log"
    outcomes = mail.send(result.drafts, settings, "s3cret", log)
    assert [o.ok for o in outcomes] == [True, True], [o.detail for o in outcomes]
    assert len(handler.envelopes) == 2
    sent = {tuple(rcpt): (frm, content, auth) for frm, rcpt, content, auth in handler.envelopes}
    frm, content, auth = sent[("sofia@example.org", "jefa@example.org")]
    assert frm == "es@example.org" and auth
    msg = email.message_from_bytes(content, policy=policy.default)
    assert msg["X-Unsent"] is None and str(msg["From"]) == "RCM ES <es@example.org>"
    assert msg["To"].addresses[0].display_name == "Sofía Ramírez"
    (name, (ctype, data)), = attachments(msg).items()
    assert ctype == XLSX and data == (ws.templates_dir(PERIOD) / "MEX" / name).read_bytes()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["time", "kind", "to", "subject", "attachments", "result"]
    assert len(lines) == 3 and all(line.endswith("ok: sent") for line in lines[1:])
    assert any("sofia@example.org, jefa@example.org" in line and name in line for line in lines[1:])

    # a wrong password: nothing is sent, and the log says why
    outcomes = mail.send(result.drafts, settings, "wrong", log)
    assert not any(o.ok for o in outcomes) and len(handler.envelopes) == 2
    assert log.read_text(encoding="utf-8").count("FAILED: cannot connect or log in") == 2


def test_send_to_a_closed_port_is_logged(ws, plan):
    write_list(ws, "Bo,bo@example.org,CAN,PROT,,\n")
    result = mail.write_drafts(ws, plan, PERIOD, "templates", sender="es@example.org")
    log = ws.period_dir(PERIOD) / "mail" / "sent.log"
    outcomes = mail.send(result.drafts, mail.SmtpSettings("127.0.0.1", _free_port(), starttls=False, timeout=5), None, log)
    assert [o.ok for o in outcomes] == [False]
    assert "FAILED: cannot connect or log in to 127.0.0.1" in log.read_text(encoding="utf-8")


def test_reminders_read_the_inbox_like_consolidate(returned, plan):
    files = read_all(scan([returned.inbox]), plan, period=PERIOD)
    states = mail.returns_states(returned, plan, PERIOD, due=DUE)
    assert len(files) == 7 and states[("CAN", "IRMM")].returns[0].name == "CAN/irmm.xlsx"


# --- the command ---------------------------------------------------------------------------


def test_cli_init_writes_the_example_and_mail_sends_on_loopback(tmp_path, smtp_server, monkeypatch):
    from click.testing import CliRunner

    from rcm_workbooks.cli import cli

    controller, handler = smtp_server
    runner = CliRunner()
    root = tmp_path / "ws"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    assert (root / "templates" / "focal_points.xlsx").is_file()
    r = runner.invoke(cli, ["-C", str(root), "generate", "--period", PERIOD, "--country", "MEX", "--country", "CAN",
                            "--due", DUE.isoformat()])
    assert r.exit_code == 0, r.output
    # dry run: drafts only, the 9 focal points of countries without templates get nothing
    r = runner.invoke(cli, ["-C", str(root), "mail", "--period", PERIOD, "--kind", "templates"])
    assert r.exit_code == 0, r.output
    assert "Wrote 2 template e-mails for" in r.output and len(handler.envelopes) == 0
    assert "pair(s) have no focal point" not in r.output
    send = ["-C", str(root), "mail", "--period", PERIOD, "--kind", "templates", "--send", "--smtp-host", "127.0.0.1",
            "--smtp-port", str(controller.port), "--no-starttls", "--smtp-user", "es", "--from", "es@example.org"]
    monkeypatch.setenv("RCM_SMTP_PASSWORD", "s3cret")
    r = runner.invoke(cli, [*send, "--yes"])
    assert r.exit_code == 0, r.output
    assert "Sent 2 of 2 messages" in r.output and len(handler.envelopes) == 2
    assert sorted(rcpt for _, (rcpt,), _, _ in handler.envelopes) == ["focal.point.can@example.org", "focal.point.mex@example.org"]
    # no password in the environment: asked for (hidden), after the confirmation
    monkeypatch.delenv("RCM_SMTP_PASSWORD")
    r = runner.invoke(cli, send, input="y\nwrong\n")
    assert r.exit_code == 1 and "Sent 0 of 2 messages" in r.output and len(handler.envelopes) == 2
    log = (root / "outbox" / PERIOD / "mail" / "sent.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 5 and sum("ok: sent" in line for line in log) == 2
    # --send without a host, a broken list: one line, exit 2
    r = runner.invoke(cli, ["-C", str(root), "mail", "--period", PERIOD, "--kind", "templates", "--send"])
    assert r.exit_code == 2 and "--smtp-host" in r.output
    (root / "templates" / "focal_points.xlsx").unlink()
    (root / "templates" / "focal_points.csv").write_text(CSV_HEAD + "Ana,ana@,MEX,ALL,,\n", encoding="utf-8")
    r = runner.invoke(cli, ["-C", str(root), "mail", "--period", PERIOD, "--kind", "reminders"])
    assert r.exit_code == 2 and "fp" not in r.output.split("Error:")[-1]
    assert "error: focal_points.csv: Row 2, column 'E-mail / Correo electrónico': 'ana@' is not a valid e-mail address." in r.output
    assert "the focal-point list has 1 error; fix it and run again." in r.output
    r = runner.invoke(cli, ["-C", str(root), "mail", "--period", PERIOD, "--kind", "reminders", "--lang", "es"])
    assert r.exit_code == 2
    assert ("error: focal_points.csv: Fila 2, columna 'E-mail / Correo electrónico': 'ana@' no es una dirección "
            "de correo electrónico válida.") in r.output
    assert "la lista de puntos focales tiene 1 error; corríjalo" in r.output
