"""A dovecot IMAP server of our own (rootless, TLS with a throw-away CA), and one mailbox on it."""
from __future__ import annotations

import grp
import hashlib
import imaplib
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .processes import (LOOPBACK, RunAs, ServerUnavailable, free_port, run, spawn, stop, wait_until, which,
                        workdir, write_owned)


def make_certificates(root: Path, owner: RunAs) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate it signs, for localhost and 127.0.0.1.

    Two certificates rather than one self-signed: a strict verifier (Python 3.13's default
    context) refuses a CA certificate used as the server's own.
    """
    openssl = shutil.which("openssl")
    if not openssl:
        raise ServerUnavailable("openssl is not installed (it comes with dovecot's ssl-cert dependency)")
    ca_key, ca, key, csr, cert = (root / n for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    me = RunAs(os.geteuid(), os.getegid(), "")
    run([openssl, "req", "-x509", *ec, "-keyout", str(ca_key), "-out", str(ca), "-days", "3",
         "-subj", "/CN=rcm-workbooks test CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"], me, "openssl (CA)")
    run([openssl, "req", *ec, "-keyout", str(key), "-out", str(csr), "-subj", "/CN=localhost"], me, "openssl (CSR)")
    ext = root / "server.ext"
    ext.write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                   "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
                   "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n", encoding="utf-8")
    run([openssl, "x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
         "-days", "3", "-extfile", str(ext), "-out", str(cert)], me, "openssl (sign)")
    for p in (key, cert, ca):
        if owner.switch:
            os.chown(p, owner.uid, owner.gid)
    os.chmod(ca, 0o644)
    return ca, cert, key


DOVECOT_CONF = """\
# A test server: everything runs as {user}, nothing outside {root} is read or written.
protocols = imap
listen = {host}
base_dir = {root}/run
state_dir = {root}/state
instance_name = rcm-test-{imaps}
log_path = {root}/dovecot.log
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
first_valid_gid = {gid}
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login
# Any user name logs in with the one password: each test takes a new name, hence an empty mailbox.
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
mail_fsync = never
# No delay after a wrong password, and no growing per-IP penalty: tests log in wrongly on purpose.
auth_failure_delay = 0
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {starttls}
  }}
  inet_listener imaps {{
    address = {host}
    port = {imaps}
    ssl = yes
  }}
}}
"""


@dataclass
class ImapDaemon:
    """One dovecot for the session; `account()` gives a new, empty mailbox."""

    host: str
    port: int
    starttls_port: int
    password: str
    ca_file: Path
    root: Path
    process: subprocess.Popen
    started_in: float = 0.0
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    def account(self, user: str | None = None) -> ImapAccount:
        user = user or f"secretariat{next(self._names)}"
        return ImapAccount(self.host, self.port, self.starttls_port, user, self.password, self.ca_file)

    def stop(self) -> None:
        # The whole group at once: the master alone takes a second to wind its children down.
        stop(self.process, signal.SIGTERM, group=True)
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot() -> ImapDaemon:
    began = time.monotonic()
    dovecot = which("dovecot", ["/usr/sbin"])
    if not dovecot:
        raise ServerUnavailable("dovecot is not installed (apt-get install dovecot-imapd)")
    owner = RunAs.service("dovecot")
    root, proc = workdir("rcm-imap-", owner), None
    try:
        ca, cert, key = make_certificates(root, owner)
        for sub in ("run", "state", "home"):
            (root / sub).mkdir()
            if owner.switch:
                os.chown(root / sub, owner.uid, owner.gid)
        imaps, starttls, password = free_port(), free_port(), secrets.token_hex(12)
        conf = write_owned(root / "dovecot.conf", DOVECOT_CONF.format(
            user=owner.name, group=_group_name(owner.gid), uid=owner.uid, gid=owner.gid, root=root,
            host=LOOPBACK, imaps=imaps, starttls=starttls, cert=cert, key=key, password=password), owner)
        log = root / "dovecot.log"
        write_owned(log, "", owner)
        proc = spawn([dovecot, "-F", "-c", str(conf)], owner, log, signal.SIGTERM, cwd=root)
        daemon = ImapDaemon(LOOPBACK, imaps, starttls, password, ca, root, proc)
        wait_until(lambda: _imap_ready(daemon), proc, log, "dovecot")
    except BaseException:
        if proc is not None:
            stop(proc, signal.SIGTERM, group=True)
        shutil.rmtree(root, ignore_errors=True)
        raise
    daemon.started_in = time.monotonic() - began
    return daemon


def _group_name(gid: int) -> str:
    return grp.getgrgid(gid).gr_name


def _imap_ready(daemon: ImapDaemon) -> bool:
    with socket.create_connection((daemon.host, daemon.starttls_port), timeout=2) as s:
        ok = s.recv(256).startswith(b"* OK")
        s.sendall(b"a LOGOUT\r\n")
        return ok


_UID, _FLAGS = re.compile(rb"\bUID (\d+)"), re.compile(rb"\bFLAGS \(([^)]*)\)")


@dataclass(frozen=True)
class ImapAccount:
    """One mailbox on the test server, and what a test needs to fill it and inspect it."""

    host: str
    port: int  # IMAPS (TLS from the first byte)
    starttls_port: int
    user: str
    password: str
    ca_file: Path

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def env(self) -> dict[str, str]:
        """Environment for a subprocess whose TLS client uses the default trust store."""
        return {**os.environ, "SSL_CERT_FILE": str(self.ca_file)}

    def connect(self) -> imaplib.IMAP4_SSL:
        imap = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.ssl_context(), timeout=10)
        imap.login(self.user, self.password)
        return imap

    def append(self, message: bytes, folder: str = "INBOX", flags=(), when=None) -> int:
        """Put a message into `folder` (created if need be) with `flags` (e.g. ["\\\\Seen"]); its UID."""
        imap = self.connect()
        try:
            if folder.upper() != "INBOX":
                imap.create(_quote(folder))  # NO if it exists: fine
            date = imaplib.Time2Internaldate(when if when is not None else time.time())
            typ, data = imap.append(_quote(folder), f"({' '.join(flags)})", date, message)
            if typ != "OK":
                raise AssertionError(f"APPEND to {folder} failed: {data}")
            uid = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
            return int(uid.group(1)) if uid else 0
        finally:
            imap.logout()

    def flags(self, folder: str = "INBOX") -> dict[int, frozenset[str]]:
        """{UID: flags} of every message in `folder`, read through EXAMINE (which changes nothing).

        \\Recent is left out: it belongs to a session, not to the message.
        """
        return {uid: flags for uid, (flags, _) in self._examine(folder, "(UID FLAGS)").items()}

    def snapshot(self) -> dict[str, dict[int, tuple[frozenset[str], str]]]:
        """{folder: {UID: (flags, SHA-256 of the message)}} of the whole account, read without
        changing anything: equal before and after a run means it left the mailbox as it was."""
        return {f: self._examine(f, "(UID FLAGS BODY.PEEK[])") for f in self.folders()}

    def _examine(self, folder: str, items: str) -> dict[int, tuple[frozenset[str], str]]:
        imap = self.connect()
        try:
            typ, data = imap.select(_quote(folder), readonly=True)
            if typ != "OK":
                raise AssertionError(f"EXAMINE {folder} failed: {data}")
            if int(data[0]) == 0:
                return {}
            typ, data = imap.uid("FETCH", "1:*", items)
            out = {}
            for item in data:
                head, body = (item, b"") if isinstance(item, bytes) else item
                uid, flags = _UID.search(head), _FLAGS.search(head)
                if uid and flags:
                    out[int(uid.group(1))] = (frozenset(flags.group(1).decode().split()) - {"\\Recent"},
                                              hashlib.sha256(body).hexdigest())
            return out
        finally:
            imap.logout()

    def folders(self) -> list[str]:
        imap = self.connect()
        try:
            _, data = imap.list()
            return sorted(_unquote(_LIST.match(line).group(1)) for line in data if line)
        finally:
            imap.logout()


_LIST = re.compile(rb'\([^)]*\) (?:"(?:[^"\\]|\\.)*"|NIL) (.+)$')


def _unquote(name: bytes) -> str:
    text = name.decode()
    if text.startswith('"'):
        text = re.sub(r'\\(.)', r'\1', text[1:-1])
    return text


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
