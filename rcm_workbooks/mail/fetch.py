"""Returns straight from the shared mailbox: `rcm fetch` reads it over IMAP, read-only.

- Encrypted from the first byte (IMAPS, port 993) by default, or STARTTLS (port 143). The
  server's certificate is checked against the system's authorities, or against the private
  authority's certificate given as `ca_file`.
- Read-only: each folder is opened with EXAMINE and messages are read with BODY.PEEK[], so the
  mailbox is left as it was: nothing deleted, moved, or marked as read.
- Each message that carries a workbook is saved as an .eml under inbox/mail/, where the .eml
  intake takes it as any saved reply; each message once, however often fetch runs: a message
  whose Message-ID, or whose bytes (SHA-256), are already in inbox/mail/ is not saved again.
"""
from __future__ import annotations

import base64
import datetime as dt
import email
import email.utils
import imaplib
import re
import socket
import ssl
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

from ..core.files import WordedError, write_atomic
from ..intake.eml import attachments
from ..intake.reader import ignore_reason, sha256_of

MAIL_FOLDER = "mail"  # under the inbox
USER_ENV, PASSWORD_ENV, CA_ENV = "RCM_IMAP_USER", "RCM_IMAP_PASSWORD", "RCM_IMAP_CA"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xls", ".xlsb", ".ods")
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (xlsx, ods) and OLE (xls, encrypted xlsx)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BATCH = 200


@dataclass(frozen=True)
class ImapSettings:
    host: str
    user: str
    port: int | None = None  # default: 993, or 143 with STARTTLS
    starttls: bool = False
    ca_file: str | None = None  # a private certificate authority's certificate (PEM)
    timeout: float = 60.0

    @property
    def the_port(self) -> int:
        return self.port or (143 if self.starttls else 993)


def imap_settings(host: str, user: str | None = None, port: int | None = None, starttls: bool = False,
                  ca_file: str | None = None, environ=None) -> ImapSettings:
    """The settings given, completed from the environment (RCM_IMAP_USER, RCM_IMAP_CA)."""
    import os

    environ = os.environ if environ is None else environ
    user = (user or environ.get(USER_ENV, "")).strip()
    if not user:
        raise WordedError("fetch-no-user", env=USER_ENV)
    return ImapSettings(host, user, port, starttls, ca_file or environ.get(CA_ENV) or None)


@dataclass
class Saved:
    path: Path
    folder: str
    message_id: str
    sender: str
    subject: str
    workbooks: list[str]


@dataclass
class FetchReport:
    folders: list[str]
    since: dt.date | None
    seen: int = 0  # messages looked at
    saved: list[Saved] = field(default_factory=list)
    known: int = 0  # already in inbox/mail/ (or twice in the mailbox)
    without_workbook: int = 0


def fetch(inbox: Path, settings: ImapSettings, password: str, *, folders=("INBOX",),
          since: dt.date | None = None) -> FetchReport:
    """Save into `inbox`/mail/ every message of `folders` (since `since`) that carries a workbook
    and is not there yet. Raises WordedError when the server cannot be reached or refuses."""
    target = Path(inbox) / MAIL_FOLDER
    ids, hashes = known_messages(target)
    report = FetchReport(list(folders), since)
    conn = _connect(settings, password)
    try:
        for folder in folders:
            _examine(conn, folder)
            uids = _search(conn, since)
            report.seen += len(uids)
            heads = _message_ids(conn, uids)
            for uid in uids:
                message_id = heads.get(uid, "")
                if message_id and message_id in ids:
                    report.known += 1
                    continue
                data = _body(conn, uid)
                digest = sha256_of(data)
                if digest in hashes:
                    report.known += 1
                    continue
                saved = _save(target, folder, data, digest, message_id)
                if saved is None:
                    report.without_workbook += 1
                    continue
                report.saved.append(saved)
                hashes.add(digest)
                if message_id:
                    ids.add(message_id)
    except (imaplib.IMAP4.abort, OSError) as exc:
        raise WordedError("fetch-failed", host=settings.host, detail=_one_line(exc)) from None
    finally:
        _logout(conn)
    return report


# --- what is already in inbox/mail/ ------------------------------------------------------------


def _message_id(value) -> str:
    return " ".join(str(value or "").split())


def known_messages(folder: Path) -> tuple[set[str], set[str]]:
    """The Message-IDs and the SHA-256 of the .eml files under `folder` (any sub-folder)."""
    ids: set[str] = set()
    hashes: set[str] = set()
    if not folder.is_dir():
        return ids, hashes
    parser = BytesHeaderParser(policy=policy.compat32)
    for path in folder.rglob("*.eml"):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        hashes.add(sha256_of(data))
        message_id = _message_id(parser.parsebytes(data).get("Message-ID"))
        if message_id:
            ids.add(message_id)
    return ids, hashes


# --- IMAP --------------------------------------------------------------------------------------


def _one_line(exc) -> str:
    text = exc.args[0] if getattr(exc, "args", None) else exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split()) or type(exc).__name__


def _connect(s: ImapSettings, password: str) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=s.ca_file) if s.ca_file else ssl.create_default_context()
    where = {"host": s.host, "port": s.the_port}
    try:
        if s.starttls:
            conn = imaplib.IMAP4(s.host, s.the_port, timeout=s.timeout)
            conn.starttls(ssl_context=context)
        else:
            conn = imaplib.IMAP4_SSL(s.host, s.the_port, ssl_context=context, timeout=s.timeout)
    except ssl.SSLCertVerificationError as exc:
        raise WordedError("fetch-tls", **where, detail=_one_line(exc.verify_message or exc)) from None
    except (OSError, socket.timeout, imaplib.IMAP4.error) as exc:
        raise _not_connected(exc, where) from None
    try:
        conn.login(s.user, password)
    except imaplib.IMAP4.error as exc:
        _logout(conn)
        raise WordedError("fetch-login", host=s.host, user=s.user, detail=_one_line(exc)) from None
    return conn


def _not_connected(exc: BaseException, where: dict) -> WordedError:
    """Why the connection failed, in words: the socket's errors carry only an errno in args[0]."""
    if isinstance(exc, socket.gaierror):
        return WordedError("fetch-no-host", **where)
    if isinstance(exc, ConnectionRefusedError):
        return WordedError("fetch-refused", **where)
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return WordedError("fetch-timeout", **where)
    if isinstance(exc, OSError) and exc.strerror:
        return WordedError("fetch-connect", **where, detail=exc.strerror)
    return WordedError("fetch-connect", **where, detail=_one_line(exc))


def _logout(conn) -> None:
    try:
        conn.logout()
    except (imaplib.IMAP4.error, OSError):
        pass


def folder_name(name: str) -> str:
    """A folder's name as IMAP spells it (RFC 3501's modified UTF-7), quoted."""
    out, wide = [], []

    def flush():
        if wide:
            code = base64.b64encode("".join(wide).encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            out.append("&" + code.decode("ascii") + "-")
            wide.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            wide.append(ch)
    flush()
    text = "".join(out)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _examine(conn, folder: str) -> None:
    typ, data = conn.select(folder_name(folder), readonly=True)  # EXAMINE: read-only
    if typ != "OK":
        raise WordedError("fetch-folder", folder=folder, detail=_one_line(data[0] if data else typ))


def _search(conn, since: dt.date | None) -> list[str]:
    criteria = ("SINCE", f"{since.day:02d}-{_MONTHS[since.month - 1]}-{since.year}") if since else ("ALL",)
    typ, data = conn.uid("SEARCH", *criteria)
    if typ != "OK":
        raise imaplib.IMAP4.abort(f"SEARCH: {data}")
    return [u.decode("ascii") for u in (data[0] or b"").split()]


def _uid_of(head: bytes) -> str | None:
    m = re.search(rb"\bUID (\d+)", head)
    return m.group(1).decode("ascii") if m else None


def _message_ids(conn, uids: list[str]) -> dict[str, str]:
    """uid -> Message-ID, read with BODY.PEEK (no flag changes), a batch of messages at a time."""
    parser = BytesHeaderParser(policy=policy.compat32)
    out: dict[str, str] = {}
    for i in range(0, len(uids), _BATCH):
        typ, data = conn.uid("FETCH", ",".join(uids[i:i + _BATCH]), "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        if typ != "OK":
            raise imaplib.IMAP4.abort(f"FETCH: {data}")
        for part in data:
            if isinstance(part, tuple) and (uid := _uid_of(part[0])):
                out[uid] = _message_id(parser.parsebytes(part[1]).get("Message-ID"))
    return out


def _body(conn, uid: str) -> bytes:
    typ, data = conn.uid("FETCH", uid, "(UID BODY.PEEK[])")
    if typ != "OK":
        raise imaplib.IMAP4.abort(f"FETCH {uid}: {data}")
    for part in data:
        if isinstance(part, tuple) and _uid_of(part[0]) == uid:
            return part[1]
    raise imaplib.IMAP4.abort(f"FETCH {uid}: no message body in the answer")


# --- saving ------------------------------------------------------------------------------------


def workbooks_in(msg) -> list[str]:
    """The names of the attachments that are workbooks (by their name, or by their first bytes
    when the name says nothing): what makes a message a return worth saving."""
    names = []
    for a in attachments(msg):
        if ignore_reason(Path(a.name)):
            continue
        suffix = Path(a.name).suffix.lower()
        if suffix in WORKBOOK_SUFFIXES or (suffix in ("", ".bin", ".dat") and a.data.startswith(_MAGIC)):
            names.append(a.name)
    return names


def _save(folder: Path, mailbox: str, data: bytes, digest: str, message_id: str) -> Saved | None:
    msg = email.message_from_bytes(data, policy=policy.default)
    books = workbooks_in(msg)
    if not books:
        return None
    sender = _header(msg, "from")
    try:
        sent = email.utils.parsedate_to_datetime(_header(msg, "date")).date().isoformat()
    except (TypeError, ValueError, IndexError):
        sent = "undated"
    local = email.utils.parseaddr(sender)[1].split("@", 1)[0]
    local = re.sub(r"[^A-Za-z0-9._-]+", "-", local).strip(".-")[:40] or "sender"
    path = folder / f"{sent}_{local}_{digest[:12]}.eml"
    write_atomic(path, data)
    return Saved(path, mailbox, message_id, sender, _header(msg, "subject"), books)


def _header(msg, name: str) -> str:
    try:
        return " ".join(str(msg.get(name) or "").split())
    except Exception:  # a malformed header
        return ""


def render_fetch(r: FetchReport, inbox: Path, lang: str = "en") -> list[str]:
    from ..core.texts import registry_words as w

    lines = [w("fetch-saved", lang, name=s.path.name, sender=s.sender or "—", subject=s.subject or "—")
             for s in r.saved]
    lines.append(w("fetch-summary", lang, folders=", ".join(r.folders), n=r.seen,
                   since=r.since.isoformat() if r.since else w("fetch-since-all", lang), saved=len(r.saved),
                   inbox=Path(inbox) / MAIL_FOLDER, known=r.known, other=r.without_workbook))
    if r.saved:
        lines.append(w("fetch-next", lang))
    return lines
