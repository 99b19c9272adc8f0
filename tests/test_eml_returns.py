"""Saved reply e-mails (.eml) in inbox/ are consolidated exactly like their attached workbooks."""
from __future__ import annotations

import datetime as dt
import random
import shutil
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from rcm_workbooks.demo.fill import fill_workbook, synthetic_rows
from rcm_workbooks.intake import eml
from rcm_workbooks.intake.consolidate import frames, read_all, scan
from rcm_workbooks.template.build import file_name
from rcm_workbooks.template.generate import generate

PERIOD = "2025-H1"
DUE = dt.date(2025, 6, 30)
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ON_TIME = dt.datetime(2025, 6, 20, 12, 0)
LATE = dt.datetime(2025, 7, 5, 12, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def reply(sender: str, subject: str, when: dt.datetime, files: list[tuple[str, bytes]], *,
          logo: bool = False, forwarded: EmailMessage | None = None) -> bytes:
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    msg["To"] = "Secretaría CRM <es@example.org>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when.replace(tzinfo=dt.timezone(dt.timedelta(hours=-6))))
    msg.set_content("Adjunto la matriz.\n")
    if logo:  # a signature picture shown inside the message: not an attachment
        msg.add_alternative('<p>Adjunto la matriz.</p><img src="cid:logo1">', subtype="html")
        msg.get_payload()[1].add_related(PNG, "image", "png", cid="<logo1>", filename="image001.png")
    for name, data in files:
        if name.endswith(".pdf"):
            msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
        else:
            msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    if forwarded is not None:
        msg.add_attachment(forwarded)
    return msg.as_bytes()


@pytest.fixture
def round_(workspace, tmp_path):
    """Returns as files in `files/`, and the same returns as saved replies in the workspace's inbox/."""
    ws, plan = workspace, workspace.load_plan()
    generate(ws, plan, PERIOD, countries=["CAN", "MEX"], due=DUE)
    files = tmp_path / "files"

    def make(country, group, saved, bad_status=False, name=None):
        src = ws.templates_dir(PERIOD) / country / file_name(PERIOD, group, country)
        rows = synthetic_rows(plan, group, country, plan.country(country).language, random.Random(group + country), 4)
        if bad_status:
            rows[1]["status"] = "más o menos"
        dst = files / (name or src.name)
        fill_workbook(src, dst, rows, saved_at=saved)
        return dst

    can_prot = make("CAN", "PROT", ON_TIME)
    can_irmm = make("CAN", "IRMM", ON_TIME, name="Canada IRMM final.xlsx")
    mex_irmm = make("MEX", "IRMM", ON_TIME, bad_status=True, name="Matriz IRMM México.xlsx")
    mex_prot = make("MEX", "PROT", LATE)
    mex_labr = make("MEX", "LABR", ON_TIME)
    # a second, later return for CAN PROT supersedes the first, whichever way it arrives
    can_prot2 = make("CAN", "PROT", ON_TIME + dt.timedelta(days=2), bad_status=True, name="CAN PROT v2.xlsx")
    pdf = files / "acta.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% minutes\n%%EOF\n")

    b = lambda p: (p.name, p.read_bytes())  # noqa: E731
    inbox = ws.inbox
    (inbox / "CAN").mkdir()
    (inbox / "CAN" / "RE Matrices RCM.eml").write_bytes(
        reply("Émilie Tremblay <emilie@example.org>", "RE: RCM follow-up matrix 2025-H1", ON_TIME,
              [b(can_prot), b(can_irmm)], logo=True))
    (inbox / "CAN" / "v2.eml").write_bytes(
        reply("emilie@example.org", "corrected", ON_TIME + dt.timedelta(days=2), [b(can_prot2)]))
    inner = EmailMessage(policy=policy.default)
    inner["From"], inner["Subject"] = "Colega <colega@example.org>", "Matriz laboral"
    inner.set_content("Va la de laboral.")
    inner.add_attachment(mex_labr.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=mex_labr.name)
    (inbox / "RV respuesta México.eml").write_bytes(
        reply("Sofía Ramírez <sofia@example.org>", "RV: Matriz de seguimiento – México", LATE,
              [b(mex_irmm), b(mex_prot), b(pdf)], forwarded=inner))
    (inbox / "olvidé el adjunto.eml").write_bytes(
        reply("Sofía Ramírez <sofia@example.org>", "Matriz", ON_TIME, []))
    return ws, plan, files


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()} | {"dirs": sorted(str(p) for p in folder.rglob("*") if p.is_dir())}


def _rows(r):
    return [(x.number, x.values, x.codes, x.accepted, sorted(f.code for f in x.findings)) for x in r.rows]


def test_eml_returns_consolidate_like_the_attached_files(round_):
    ws, plan, files = round_
    before = snapshot(ws.inbox)
    from_files = {r.name: r for r in read_all(scan([files]), plan, period=PERIOD)}
    from_mail = read_all(scan([ws.inbox]), plan, period=PERIOD)
    assert snapshot(ws.inbox) == before  # nothing written, moved or changed in inbox/

    names = [r.name for r in from_mail]
    assert sorted(names) == sorted([
        "CAN/RE Matrices RCM.eml/RCM_2025-H1_CAN_PROT.xlsx",
        "CAN/RE Matrices RCM.eml/Canada IRMM final.xlsx",
        "CAN/v2.eml/CAN PROT v2.xlsx",
        "RV respuesta México.eml/Matriz IRMM México.xlsx",
        "RV respuesta México.eml/RCM_2025-H1_MEX_PROT.xlsx",
        "RV respuesta México.eml/acta.pdf",
        "RV respuesta México.eml/RCM_2025-H1_MEX_LABR.xlsx",
        "olvidé el adjunto.eml",
    ])
    assert not any("image001" in n for n in names)  # the signature logo is not a return
    for r in from_mail:
        if r.name == "olvidé el adjunto.eml":
            continue
        twin = from_files[r.name.rsplit("/", 1)[1]]
        reason = r.reason
        for other in names:  # "superseded by <name>" names the other entry
            reason = reason.replace(other, other.rsplit("/", 1)[-1])
        assert (r.verdict, reason, r.sha256, r.saved_at) == (twin.verdict, twin.reason, twin.sha256, twin.saved_at), r.name
        assert (r.period, r.working_group, r.country, r.language, r.due_date) == \
               (twin.period, twin.working_group, twin.country, twin.language, twin.due_date)
        assert _rows(r) == _rows(twin)
        codes = [f.code for f in r.all_findings()]
        assert codes[0] == "email-attachment"
        assert sorted(codes[1:]) == sorted(f.code for f in twin.all_findings())
    verdicts = {r.name.rsplit("/", 1)[-1]: r.verdict for r in from_mail}
    assert verdicts["RCM_2025-H1_CAN_PROT.xlsx"] == "superseded"
    assert verdicts["CAN PROT v2.xlsx"] == "accepted"
    assert verdicts["acta.pdf"] == "rejected"
    assert any(f.code == "return-late" for f in next(r for r in from_mail if r.name.endswith("MEX_PROT.xlsx")).findings)

    m_files, x_files = (t.to_pandas() for t in frames(PERIOD, list(from_files.values())))
    m_mail, x_mail = (t.to_pandas() for t in frames(PERIOD, from_mail))
    drop = ["source_file"]
    assert len(m_files) > 0 and len(x_files) > 0
    assert m_mail.drop(columns=drop).equals(m_files.drop(columns=drop))
    def canon(x):
        x = x.drop(columns=drop).sort_values(["source_sha256", "row"]).reset_index(drop=True)
        for other in names:  # a superseded return's reason names the return that superseded it
            x["reasons"] = x["reasons"].str.replace(other, other.rsplit("/", 1)[-1], regex=False)
        return x

    assert canon(x_mail).equals(canon(x_files))
    assert {"value-not-in-list", "file-superseded"} <= set(x_mail["codes"])


def test_sender_and_date_are_recorded(round_):
    ws, plan, _ = round_
    by_name = {r.name: r for r in read_all(scan([ws.inbox]), plan, period=PERIOD)}
    r = by_name["RV respuesta México.eml/Matriz IRMM México.xlsx"]
    assert r.sender == "Sofía Ramírez <sofia@example.org>"
    assert r.sent_at == LATE + dt.timedelta(hours=6)  # the Date header, in UTC
    origin = r.findings[0]
    assert origin.code == "email-attachment"
    assert "Sofía Ramírez <sofia@example.org>" in origin.message("en") and "2025-07-05 18:00:00" in origin.message("es")
    assert "RV: Matriz de seguimiento – México" in origin.message("en")
    fwd = by_name["RV respuesta México.eml/RCM_2025-H1_MEX_LABR.xlsx"]
    assert fwd.verdict == "accepted" and fwd.sender == "Sofía Ramírez <sofia@example.org>"


def test_reply_without_attachment_is_rejected(round_):
    ws, plan, _ = round_
    r = next(r for r in read_all(scan([ws.inbox]), plan, period=PERIOD) if r.name == "olvidé el adjunto.eml")
    assert r.verdict == "rejected" and not r.identified
    (f,) = r.findings
    assert f.code == "email-no-attachment" and f.severity.value == "error"
    assert f.message("en").startswith("The e-mail from Sofía Ramírez <sofia@example.org>, sent 2025-06-20 18:00:00 (subject: Matriz), has no attached workbook.")
    assert "adjunto" in f.message("es")
    assert r.sender == "Sofía Ramírez <sofia@example.org>"


def test_same_workbook_as_file_and_in_an_email_counts_once(round_):
    ws, plan, files = round_
    shutil.copyfile(files / "RCM_2025-H1_MEX_LABR.xlsx", ws.inbox / "RCM_2025-H1_MEX_LABR.xlsx")
    out = read_all(scan([ws.inbox]), plan, period=PERIOD)
    labr = [r for r in out if r.name.endswith("MEX_LABR.xlsx")]
    assert sorted(r.verdict for r in labr) == ["accepted", "ignored"]
    ignored = next(r for r in labr if r.verdict == "ignored")
    assert any(f.code == "file-duplicate" for f in ignored.findings)


def test_parse_leaves_out_inline_pictures_and_names_duplicates():
    data = reply("a@example.org", "x", ON_TIME, [("a.xlsx", b"PK1"), ("a.xlsx", b"PK2"), ("../b.xlsx", b"PK3")], logo=True)
    parsed = eml.parse(data)
    assert [a.name for a in parsed.attachments] == ["a.xlsx", "a (2).xlsx", "_b.xlsx"]
    assert parsed.sender == "a@example.org" and parsed.sent_at == ON_TIME + dt.timedelta(hours=6)


def test_an_eml_that_is_not_an_email_is_a_no_attachment_verdict(tmp_path, plan):
    path = tmp_path / "notes.eml"
    path.write_bytes(b"just some text\n")
    (r,) = eml.read_email_returns(path, "notes.eml", path.read_bytes(), plan)
    assert r.verdict == "rejected" and r.findings[0].code == "email-no-attachment"


def test_source_bytes_gives_the_attachment_back(round_):
    ws, plan, files = round_
    out = read_all(scan([ws.inbox]), plan, period=PERIOD)
    r = next(r for r in out if r.name.endswith("/Matriz IRMM México.xlsx"))
    assert eml.source_bytes(r) == (files / "Matriz IRMM México.xlsx").read_bytes()
    plain = read_all(scan([files]), plan, period=PERIOD)[0]
    assert eml.source_bytes(plain) == plain.path.read_bytes()
