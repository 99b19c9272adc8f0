"""The test servers themselves: a real PostgreSQL and a real IMAP server (dovecot) on loopback.

PostgreSQL: psycopg 3 connects with the password (a wrong one is refused), each test has its own
empty database, the server does not run as root, and two processes at once serialise on a row
lock. IMAP: IMAPS with a certificate only the test CA vouches for (a client without it refuses
the server), STARTTLS, APPEND with flags, EXAMINE and BODY.PEEK[] leave every flag as it was,
while a read-write SELECT and BODY[] mark the message \\Seen (so the flags check can fail).
"""
from __future__ import annotations

import imaplib
import os
import ssl
import subprocess
import sys
import textwrap
from email.message import EmailMessage

import psycopg
import pytest
from tests.support import postgres as pg_mod
from tests.support.servers import ServerUnavailable, unavailable


def message(subject: str, attachment: bytes = b"PK\x03\x04 workbook") -> bytes:
    msg = EmailMessage()
    msg["From"] = "focal.point@example.org"
    msg["To"] = "secretariat@example.org"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{subject.replace(' ', '-')}@example.org>"
    msg.set_content("Adjunto la matriz. / The matrix is attached.")
    msg.add_attachment(attachment, maintype="application", filename="GTM_PROT_2025-H1.xlsx",
                       subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return msg.as_bytes().replace(b"\n", b"\r\n")


# --- PostgreSQL ------------------------------------------------------------------------------


def test_postgres_query_in_an_empty_database(postgres_url):
    with psycopg.connect(postgres_url) as conn:
        assert conn.info.server_version >= 130000
        tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert tables.fetchone()[0] == 0
        conn.execute("CREATE TABLE refs (country text, grp text, last_number integer, PRIMARY KEY (country, grp))")
        conn.execute("INSERT INTO refs VALUES (%s, %s, %s)", ("GTM", "PROT", 7))
        assert conn.execute("SELECT last_number FROM refs").fetchall() == [(7,)]
        assert conn.execute("SHOW server_encoding").fetchone()[0] == "UTF8"


def test_a_wrong_password_is_refused(postgres_server):
    bad = postgres_server.url().replace(postgres_server.password, "not-the-password")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(bad, connect_timeout=5)


def test_each_database_is_new_and_separate(new_database):
    first, second = new_database(), new_database()
    assert first != second
    with psycopg.connect(first) as conn:
        conn.execute("CREATE TABLE only_here (x int)")
    with psycopg.connect(second) as conn:
        found = conn.execute("SELECT to_regclass('only_here')").fetchone()[0]
    assert found is None


def test_databases_sort_text_as_a_real_server_would(postgres_server, new_database):
    """The default database compares by ICU en-US (not SQLite's byte order); icu_locale=None is C."""
    words = ["b", "B", "a-2", "A-1", "a1"]
    orders = {}
    for url in (new_database(), postgres_server.create_database(icu_locale=None)):
        with psycopg.connect(url) as conn:
            orders[url] = [r[0] for r in conn.execute("SELECT w FROM unnest(%s::text[]) w ORDER BY w", (words,))]
            byte_order = [r[0] for r in conn.execute(
                'SELECT w FROM unnest(%s::text[]) w ORDER BY w COLLATE "C"', (words,))]
        assert byte_order == sorted(words)
    icu, c = orders.values()
    assert c == sorted(words) and icu != sorted(words)
    postgres_server.drop_database(list(orders)[1])


def test_postgres_does_not_run_as_root(postgres_server):
    status = open(f"/proc/{postgres_server.process.pid}/status", encoding="ascii").read()
    uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
    assert all(int(u) != 0 for u in uids)
    assert postgres_server.process.poll() is None


INCREMENT = textwrap.dedent("""
    import sys, psycopg
    with psycopg.connect(sys.argv[1]) as conn:
        for _ in range(int(sys.argv[2])):
            with conn.transaction():
                n = conn.execute("SELECT n FROM counter FOR UPDATE").fetchone()[0]
                conn.execute("UPDATE counter SET n = %s", (n + 1,))
""")


def test_two_processes_at_once_lose_no_update(postgres_url):
    """The server is a real one: a read-then-write under FOR UPDATE from two processes adds up."""
    with psycopg.connect(postgres_url) as conn:
        conn.execute("CREATE TABLE counter (n integer NOT NULL)")
        conn.execute("INSERT INTO counter VALUES (0)")
    procs = [subprocess.Popen([sys.executable, "-c", INCREMENT, postgres_url, "200"]) for _ in range(2)]
    assert [p.wait(60) for p in procs] == [0, 0]
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT n FROM counter").fetchone()[0] == 400


def test_missing_postgres_is_reported(monkeypatch):
    monkeypatch.setattr(pg_mod, "which", lambda name, dirs: None)
    with pytest.raises(ServerUnavailable, match="PostgreSQL is not installed"):
        pg_mod.start_postgres()


@pytest.mark.parametrize("ci, outcome", [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_a_missing_server_fails_under_ci_and_skips_elsewhere(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no server here"):
        unavailable("no server here")


# --- IMAP ------------------------------------------------------------------------------------


def test_imaps_examine_and_peek_leave_the_flags(imap_server):
    unread, read = message("return one"), message("return two")
    uid_unread = imap_server.append(unread, folder="Returns", flags=[])
    uid_read = imap_server.append(read, folder="Returns", flags=["\\Seen", "\\Flagged"])
    assert imap_server.flags("Returns") == {uid_unread: frozenset(), uid_read: frozenset({"\\Seen", "\\Flagged"})}
    before = imap_server.snapshot()

    imap = imaplib.IMAP4_SSL(imap_server.host, imap_server.port, ssl_context=imap_server.ssl_context())
    try:
        assert imap.login(imap_server.user, imap_server.password)[0] == "OK"
        typ, data = imap.select('"Returns"', readonly=True)  # EXAMINE
        assert (typ, int(data[0])) == ("OK", 2)
        assert "READ-ONLY" in imap.untagged_responses  # the server's own word that this is EXAMINE
        typ, data = imap.uid("FETCH", f"{uid_unread},{uid_read}", "(BODY.PEEK[])")
        bodies = [part[1] for part in data if isinstance(part, tuple)]
        assert typ == "OK" and bodies == [unread, read]
    finally:
        imap.logout()

    assert imap_server.flags("Returns")[uid_unread] == frozenset()
    assert imap_server.snapshot() == before
    assert set(before) == {"INBOX", "Returns"}


def test_a_read_write_fetch_marks_seen_and_the_check_sees_it(imap_server):
    uid = imap_server.append(message("read me"))
    imap = imap_server.connect()
    try:
        imap.select("INBOX")  # read-write
        imap.uid("FETCH", str(uid), "(BODY[])")
    finally:
        imap.logout()
    assert "\\Seen" in imap_server.flags()[uid]


def test_each_test_has_an_empty_mailbox(imap_daemon):
    one, two = imap_daemon.account(), imap_daemon.account()
    one.append(message("only in one"))
    assert len(one.flags()) == 1 and two.flags() == {}


def test_the_server_is_trusted_only_through_the_test_ca(imap_server):
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(imap_server.host, imap_server.port, ssl_context=ssl.create_default_context(), timeout=10)
    strict = imap_server.ssl_context()
    strict.verify_flags |= ssl.VERIFY_X509_STRICT  # Python 3.13's default: the certificates pass it
    for host in ("localhost", "127.0.0.1"):
        imap = imaplib.IMAP4_SSL(host, imap_server.port, ssl_context=strict, timeout=10)
        assert imap.login(imap_server.user, imap_server.password)[0] == "OK"
        imap.logout()
    with pytest.raises(imaplib.IMAP4.error):
        imaplib.IMAP4_SSL(imap_server.host, imap_server.port, ssl_context=strict).login(imap_server.user, "wrong")


def test_starttls(imap_server):
    imap = imaplib.IMAP4(imap_server.host, imap_server.starttls_port, timeout=10)
    try:
        assert imap.starttls(ssl_context=imap_server.ssl_context())[0] == "OK"
        assert imap.login(imap_server.user, imap_server.password)[0] == "OK"
    finally:
        imap.logout()


def test_a_subprocess_trusts_the_server_through_env(imap_server):
    """A client that uses the default trust store (as the CLI would) is pointed at the CA by env()."""
    code = ("import imaplib, ssl, sys; i = imaplib.IMAP4_SSL(sys.argv[1], int(sys.argv[2]), "
            "ssl_context=ssl.create_default_context()); print(i.login(sys.argv[3], sys.argv[4])[0]); i.logout()")
    args = [sys.executable, "-c", code, imap_server.host, str(imap_server.port), imap_server.user, imap_server.password]
    done = subprocess.run(args, env=imap_server.env(), capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "OK"), done.stderr
    plain = subprocess.run(args, env={k: v for k, v in os.environ.items() if k != "SSL_CERT_FILE"},
                           capture_output=True, text=True, timeout=60)
    assert plain.returncode != 0 and "CERTIFICATE_VERIFY_FAILED" in plain.stderr
