"""`rcm fetch` against a real IMAP server (dovecot on loopback, TLS with a private authority):
each returned workbook comes into the round exactly once, however often fetch runs and in however
many folders a message sits, and the mailbox is left exactly as it was (flags and messages)."""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import subprocess
import sys
from email.message import EmailMessage

import pytest
from click.testing import CliRunner
from test_registry import fill, row

from rcm_workbooks.cli import cli
from rcm_workbooks.mail.fetch import folder_name, known_messages
from rcm_workbooks.template.generate import generate

H1 = "2025-H1"
RETURNS = "Devoluciones Pa&AO0-ses"  # "Devoluciones Países" as IMAP spells it
SENT = dt.datetime(2025, 7, 2, 9, 30, tzinfo=dt.timezone.utc)


def reply(sender: str, subject: str, attachments=(), message_id: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "secretariat@example.org", subject
    msg["Date"] = email.utils.format_datetime(SENT)
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content("Adjunto la matriz. / The matrix is attached.")
    for name, data, subtype in attachments:
        msg.add_attachment(data, maintype="application", subtype=subtype, filename=name)
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def mailbox(workspace, plan, imap_server, tmp_path):
    """Replies in two folders: three workbooks, one of them in both folders, one sent twice with
    no Message-ID, a thank-you note, a PDF, and a workbook from before --since."""
    made = {(g.country, g.working_group): g.path
            for g in generate(workspace, plan, H1, groups=["PROT", "LABR"], countries=["GTM", "HND"])}

    def book(country, group, n):
        rows = [row(f"{country} {group} activity {i}", "IN_PROCESS", responsible="MC") for i in range(n)]
        return fill(made[country, group], tmp_path / f"{country}_{group}.xlsx", rows).read_bytes()

    gtm_prot = reply("María <maria@gob.gt>", "Matriz PROT", [("GTM_PROT.xlsx", book("GTM", "PROT", 3), XLSX)],
                     "<gtm-prot@gob.gt>")
    hnd_prot = reply("hn@gob.hn", "PROT", [("matriz.xlsx", book("HND", "PROT", 2), XLSX)], "<hnd-prot@gob.hn>")
    gtm_labr = reply("maria@gob.gt", "LABR", [("labr.xlsx", book("GTM", "LABR", 4), XLSX)], "<gtm-labr@gob.gt>")
    hnd_labr = reply("hn@gob.hn", "LABR", [("Libro1", book("HND", "LABR", 1), "octet-stream")])  # no id, no suffix
    imap_server.append(gtm_prot)
    imap_server.append(hnd_prot, flags=["\\Seen"])
    imap_server.append(gtm_labr, folder=RETURNS, flags=["\\Flagged"])
    imap_server.append(gtm_prot, folder=RETURNS, flags=["\\Seen"])  # filed twice
    imap_server.append(hnd_labr)
    imap_server.append(hnd_labr, flags=["\\Answered"])  # the same message twice
    imap_server.append(reply("hn@gob.hn", "Gracias", message_id="<thanks@gob.hn>"))
    imap_server.append(reply("mx@gob.mx", "Informe", [("informe.pdf", b"%PDF-1.4 report", "pdf")], "<pdf@gob.mx>"))
    imap_server.append(reply("mx@gob.mx", "Old", [("old.xlsx", book("GTM", "PROT", 1), XLSX)], "<old@gob.mx>"),
                       when=dt.datetime(2024, 12, 1, tzinfo=dt.timezone.utc))
    return imap_server


def fetch_args(account, *extra):
    return ["fetch", "--imap-host", account.host, "--imap-port", str(account.port), "--imap-user", account.user,
            "--folder", "INBOX", "--folder", "Devoluciones Países", "--since", "2025-01-01", *extra]


def test_fetch_brings_each_return_once_and_leaves_the_mailbox_as_it_was(mailbox, workspace, plan):
    before = mailbox.snapshot()
    assert len(before["INBOX"]) == 7 and len(before[RETURNS]) == 2
    env = {**mailbox.env(), "RCM_IMAP_PASSWORD": mailbox.password}
    cmd = [sys.executable, "-m", "rcm_workbooks", "-C", str(workspace.root), *fetch_args(mailbox)]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    saved = sorted(p.name for p in (workspace.inbox / "mail").iterdir())
    assert len(saved) == 4, saved
    assert "INBOX, Devoluciones Países: 8 messages since 2025-01-01; 4 saved" in first.stdout, first.stdout
    assert "2 already there, 2 without a workbook" in first.stdout
    assert any(n.startswith("2025-07-02_maria_") for n in saved)
    # again, and over STARTTLS with the authority given as an option: nothing new
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "; 0 saved" in again.stdout and "6 already there" in again.stdout
    res = CliRunner().invoke(cli, ["-C", str(workspace.root), *fetch_args(mailbox, "--starttls", "--imap-port",
                                   str(mailbox.starttls_port), "--imap-ca", str(mailbox.ca_file), "--lang", "es")],
                             env={"RCM_IMAP_PASSWORD": mailbox.password})
    assert res.exit_code == 0, res.output
    assert "guardados en" in res.output and ": 0;" in res.output
    assert sorted(p.name for p in (workspace.inbox / "mail").iterdir()) == saved
    assert mailbox.snapshot() == before
    # the round: each workbook once, accepted
    done = subprocess.run([sys.executable, "-m", "rcm_workbooks", "-C", str(workspace.root), "consolidate",
                           "--period", H1, "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["files_seen"], summary["files_accepted"], summary["rows_accepted"]) == (4, 4, 3 + 2 + 4 + 1)
    assert summary["files_ignored"] == summary["files_superseded"] == summary["files_rejected"] == 0


def test_the_server_must_prove_who_it_is_and_accept_the_login(mailbox, workspace):
    runner = CliRunner()
    args = ["-C", str(workspace.root), *fetch_args(mailbox)]
    res = runner.invoke(cli, args, env={"RCM_IMAP_PASSWORD": mailbox.password, "SSL_CERT_FILE": "/nonexistent"})
    assert res.exit_code == 2 and "did not prove who it is" in res.output and "--imap-ca" in res.output, res.output
    res = runner.invoke(cli, [*args, "--imap-ca", str(mailbox.ca_file)], env={"RCM_IMAP_PASSWORD": "Wrong-Pass-77"})
    assert res.exit_code == 2 and "refused the login" in res.output, res.output
    assert "Wrong-Pass-77" not in res.output and len(res.output.strip().splitlines()) == 1
    res = runner.invoke(cli, ["-C", str(workspace.root), "fetch", "--imap-host", mailbox.host, "--imap-port",
                              str(mailbox.port), "--imap-user", mailbox.user, "--imap-ca", str(mailbox.ca_file),
                              "--folder", "Nowhere"], env={"RCM_IMAP_PASSWORD": mailbox.password})
    assert res.exit_code == 2 and "has no folder Nowhere" in res.output, res.output
    res = runner.invoke(cli, ["-C", str(workspace.root), "fetch", "--imap-host", mailbox.host],
                        env={"RCM_IMAP_USER": None})
    assert res.exit_code == 2 and "the IMAP user is missing" in res.output
    assert not (workspace.inbox / "mail").exists()


def test_folder_names_and_what_is_known():
    assert folder_name("INBOX") == '"INBOX"'
    assert folder_name("Devoluciones Países") == f'"{RETURNS}"'
    assert folder_name('R&D "2025"') == '"R&-D \\"2025\\""'
    assert folder_name("日本") == '"&ZeVnLA-"'


def test_known_messages_reads_ids_and_hashes(tmp_path):
    (tmp_path / "sub").mkdir()
    one = reply("a@b.org", "x", message_id="<one@b.org>")
    (tmp_path / "sub" / "a.eml").write_bytes(one)
    (tmp_path / "b.eml").write_bytes(reply("a@b.org", "y"))
    ids, hashes = known_messages(tmp_path)
    assert ids == {"<one@b.org>"} and len(hashes) == 2
    assert known_messages(tmp_path / "none") == (set(), set())


def test_a_failed_connection_and_a_bad_date_are_said_in_words(tmp_path, monkeypatch):
    import socket

    from rcm_workbooks.mail.fetch import _not_connected

    with socket.socket() as s:  # a port nothing listens on: bound, then closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("RCM_IMAP_PASSWORD", "x")
    base = ["fetch", "--inbox", str(tmp_path / "inbox"), "--imap-user", "x", "--imap-port", str(port)]
    out = {}
    for lang in ("en", "es"):
        for name, host in (("refused", "127.0.0.1"), ("no-host", "nosuch.invalid")):
            result = CliRunner().invoke(cli, [*base, "--imap-host", host, "--lang", lang])
            assert result.exit_code != 0, result.output
            out[lang, name] = result.output
    assert "connection was refused" in out["en", "refused"] and "se rechazó la conexión" in out["es", "refused"]
    assert "nosuch.invalid was not found" in out["en", "no-host"]
    assert "no se encontró el servidor nosuch.invalid" in out["es", "no-host"]
    for text in out.values():  # never the bare errno the socket carries
        assert not any(f": {n}\n" in text or f": {n} " in text for n in ("111", "-2", "-3", "-5"))
    timed_out = _not_connected(TimeoutError("timed out"), {"host": "h", "port": 993})
    assert timed_out.key == "fetch-timeout" and "no respondió a tiempo" in timed_out.render("es")
    bad = CliRunner().invoke(cli, [*base, "--imap-host", "127.0.0.1", "--since", "2026-13-01"])
    assert bad.exit_code != 0 and "--since '2026-13-01' is not a date" in bad.output
    assert "----since" not in bad.output
