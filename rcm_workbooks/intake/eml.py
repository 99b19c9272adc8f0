"""Saved reply e-mails (.eml) in inbox/: each attachment is a return of its own.

A focal point's reply, saved from Outlook or Thunderbird into inbox/, is expanded in memory into
its attachments (nothing is written into inbox/). Each attachment is read and validated exactly
like a file dropped there, under the name `reply.eml/<attachment name>`, with the sender and the
date of the e-mail recorded on it; a reply with no attachment gets a verdict of its own.
Signature pictures shown inside the message (inline images) are not attachments.
"""
from __future__ import annotations

import datetime as dt
import email
import email.utils
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path

from ..core.plan import Plan
from ..core.verdicts import Verdict
from .reader import ReadLimits, ignore_reason, sha256_of
from .validate import Return, read_return

MAX_ATTACHMENTS = 50


def is_email(path: Path) -> bool:
    return Path(path).suffix.lower() == ".eml"


@dataclass
class Attachment:
    name: str  # safe to show and to use in a return's name
    data: bytes
    content_type: str


@dataclass
class Reply:
    sender: str
    sent_at: dt.datetime | None  # UTC, naive
    subject: str
    attachments: list[Attachment]


def parse(data: bytes) -> Reply:
    msg = email.message_from_bytes(data, policy=policy.default)
    sender = _header(msg, "from")
    try:
        when = email.utils.parsedate_to_datetime(_header(msg, "date")) if _header(msg, "date") else None
    except (TypeError, ValueError, IndexError):
        when = None
    if when is not None:
        if when.tzinfo is not None:
            when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
        when = when.replace(microsecond=0)
    return Reply(sender, when, _header(msg, "subject"), attachments(msg))


def _header(msg, name: str) -> str:
    try:
        value = msg.get(name)
        return " ".join(str(value).split()) if value is not None else ""
    except Exception:  # a malformed header is shown as it came
        raw = msg.get_all(name, failobj=[""])
        return " ".join(str(raw[0]).split())


def attachments(msg: EmailMessage) -> list[Attachment]:
    """Every attached file, forwarded messages included; inline pictures (signatures) are left out."""
    out: list[Attachment] = []
    used: dict[str, int] = {}
    for part in msg.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        filename = part.get_filename()
        disposition = (part.get_content_disposition() or "").lower()
        if not filename and disposition != "attachment":
            continue  # a body part
        if part.get_content_maintype() == "image" and (disposition == "inline" or part.get("content-id")):
            continue  # a picture shown in the message, such as a signature logo
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:
            data = b""
        name = _safe_name(filename or "attachment")
        n = used.get(name.casefold(), 0) + 1
        used[name.casefold()] = n
        if n > 1:
            stem, dot, ext = name.rpartition(".")
            name = f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"
        out.append(Attachment(name, data, part.get_content_type()))
        if len(out) >= MAX_ATTACHMENTS:
            break
    return out


def _safe_name(name: str) -> str:
    name = " ".join(str(name).replace("/", "_").replace("\\", "_").replace("\x00", "").split())
    return name.strip(". ") or "attachment"


def read_email_returns(path: Path, name: str, data: bytes, plan: Plan, *, period: str | None = None,
                       limits: ReadLimits = ReadLimits(), seen: dict[str, str] | None = None) -> list[Return]:
    """The returns inside one saved e-mail: one per attachment, or one rejected entry if it has none.

    `seen` maps sha256 -> name of what was already read in this run (as in consolidate.read_all), so
    the same workbook attached twice, or also dropped as a file, is counted once.
    """
    seen = {} if seen is None else seen
    try:
        reply = parse(data)
    except Exception as exc:
        ret = Return(path=path, name=name, sha256=sha256_of(data), size=len(data))
        ret.add("file-damaged", params={"damage": "email", "evidence": f"{type(exc).__name__}: {exc}"[:500]})
        ret.set_verdict(Verdict.REJECTED, "finding")
        return [ret]
    when = reply.sent_at.isoformat(sep=" ") if reply.sent_at else "—"
    origin = {"sender": reply.sender or "—", "date": when, "detail": reply.subject or "—"}
    files = [a for a in reply.attachments if not ignore_reason(Path(a.name))]
    if not files:
        ret = Return(path=path, name=name, sha256=sha256_of(data), size=len(data))
        _stamp(ret, reply, path)
        ret.add("email-no-attachment", params=origin)
        ret.set_verdict(Verdict.REJECTED, "email_no_attachment", sender=origin["sender"])
        return [ret]
    out = []
    for a in files:
        entry = f"{name}/{a.name}"
        digest = sha256_of(a.data) if a.data else ""
        if digest and digest in seen:
            ret = Return(path=path, name=entry, sha256=digest, size=len(a.data))
            _stamp(ret, reply, path)
            ret.add("email-attachment", params=origin)
            ret.ignore_as_duplicate(seen[digest])
            out.append(ret)
            continue
        if digest:
            seen[digest] = entry
        try:
            ret = read_return(path, entry, plan, period=period, limits=limits, data=a.data)
        except Exception as exc:  # isolation, as for files
            ret = Return(path=path, name=entry, sha256=digest, size=len(a.data))
            ret.internal_error(exc)
        _stamp(ret, reply, path)
        ret.size = len(a.data)
        ret.findings.insert(0, _origin_finding(ret, origin))
        out.append(ret)
    return out


def _origin_finding(ret: Return, origin: dict):
    from ..core.findings import Finding

    return Finding("email-attachment", file=ret.name, params=origin)


def _stamp(ret: Return, reply: Reply, path: Path) -> None:
    if hasattr(ret, "sender"):
        ret.sender = reply.sender
    if hasattr(ret, "sent_at"):
        ret.sent_at = reply.sent_at


def source_bytes(ret: Return) -> bytes:
    """The bytes a return was read from: the file itself, or, for `reply.eml/<attachment>`, that
    attachment (found again by its sha256 in the saved e-mail). For feedback copies and the like.
    Raises OSError when the file cannot be read, KeyError when the attachment is no longer there."""
    data = Path(ret.path).read_bytes()
    if not is_email(ret.path) or not ret.sha256 or sha256_of(data) == ret.sha256:
        return data
    for a in parse(data).attachments:
        if sha256_of(a.data) == ret.sha256:
            return a.data
    raise KeyError(f"{ret.name}: the attachment is no longer in {Path(ret.path).name}")
