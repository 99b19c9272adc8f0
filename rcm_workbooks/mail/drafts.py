"""E-mails to the focal points: templates out, reminders for missing returns, feedback copies back,
receipts for what arrived.

`write_drafts` writes one RFC 5322 message per focal point (`outbox/<P>/mail/<kind>/<COUNTRY>-<name>.eml`,
UTF-8, plain text and HTML in the focal point's language, the workbooks attached), ready to open and
send from Outlook or Thunderbird. `send` sends them through SMTP and appends to `mail/sent.log`.

Reminders, feedback and receipts need the state of the returns: the inbox is read as consolidate
reads it (`consolidate.read_all`; nothing is written) and each pair's state is the one the Returns
sheet shows (`intake.states`). A feedback copy is attached only for a return that needs one
(`intake.actions.needs_feedback`, the rule the copies are written by). A period's round is the
follow-up matrix's or the Activity Matrix's (mail.forms): its templates, returns, feedback copies
and words are that form's, its drafts in `mail/activities/<kind>/` for the Activity Matrix. Whatever reaches a focal
point is worded for them: periods and dates in words, findings as `Finding.for_focal_point`.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import smtplib
import ssl
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from ..core.files import Problem, Workspace, WorkspaceError, write_atomic
from ..core.plan import MAX_PRIORITY_ACTIVITIES, Plan
from ..core.texts import format_date, period_words, say
from ..core.verdicts import Verdict
from ..intake.actions import needs_feedback
from ..intake.meta import read_meta
from ..intake.reader import ReadLimits
from ..intake.states import MISSING, REJECTED, PairState, return_states
from . import forms
from .focal_points import FocalPoint, FocalPointList, list_path, load_focal_points
from .receipts import receipt_lines

KINDS = ("templates", "reminders", "feedback", "receipts")
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_TYPES = {
    ".xlsx": XLSX_TYPE,
    ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
    ".xls": ("application", "vnd.ms-excel"),
    ".ods": ("application", "vnd.oasis.opendocument.spreadsheet"),
    ".csv": ("text", "csv"),
    ".pdf": ("application", "pdf"),
}
REMIND_STATES = (MISSING, REJECTED)
EML_POLICY = policy.SMTP  # policy.default with CRLF line ends, as RFC 5322 files have
PASSWORD_ENV = "RCM_SMTP_PASSWORD"
FROM_ENV = "RCM_MAIL_FROM"


# --- the state of the returns, as the last consolidation saw it -------------------------------


def returns_states(ws: Workspace, plan: Plan, period: str, *, due: dt.date | None = None,
                   limits: ReadLimits = ReadLimits(), returns=None,
                   form: str = forms.FOLLOWUP) -> dict[tuple[str, str], PairState]:
    """The state of every expected (country, group) pair of the `form`'s round, as the Returns
    sheet shows it: the inbox read like consolidate reads it, unless its `returns` are given."""
    if returns is None:
        returns = read_returns(ws, plan, period, limits)
    return return_states(forms.of_form(returns, form), forms.expected_pairs(ws, plan, period, form), period, due,
                         groups={g.code for g in plan.working_groups}, countries={c.code for c in plan.countries})


def read_returns(ws: Workspace, plan: Plan, period: str, limits: ReadLimits = ReadLimits()) -> list:
    from ..intake.consolidate import read_all, scan

    return read_all(scan([ws.inbox]), plan, period=period, limits=limits) if ws.inbox.is_dir() else []


def template_due_date(ws: Workspace, plan: Plan, period: str, form: str = forms.FOLLOWUP) -> dt.date | None:
    """The due date written in the period's templates (`_meta` due_date); None when they have none."""
    for c in plan.countries:
        for g in plan.working_groups:
            path = forms.template_path(ws, period, g.code, c.code, form)
            if path.is_file():
                meta = read_meta(path)
                try:
                    return dt.date.fromisoformat(meta.get("due_date", "")) if meta.get("due_date") else None
                except ValueError:
                    return None
    return None


def feedback_files(ws: Workspace, plan: Plan, period: str, returns,
                   form: str | None = None) -> tuple[dict[tuple[str, str], list[Path]], list[Note]]:
    """Feedback copies by (country, group): matched to their return by name, else by their own `_meta`.
    Only the copies of returns that need one (`needs_feedback`) are attached; with a `form`, only
    copies of that round (a year's two rounds share the feedback folder; a copy keeps its `_meta`).

    Returns the mapping and a note for each file left out: not matched to any working group
    (`unmatched`), or of a pair whose return needs no correction (`not_needed`: a copy of an earlier
    run, or of a file the Secretariat must act on first).
    """
    folder = ws.period_dir(period) / "feedback"
    out: dict[tuple[str, str], list[Path]] = {}
    left_out: list[Note] = []
    if not folder.is_dir():
        return out, left_out
    wanted = {(r.country, r.working_group) for r in returns if r.period == period and needs_feedback(r, plan)}
    for country_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        country = country_dir.name.upper()
        if plan.country(country) is None:
            continue
        candidates = [r for r in returns if r.identified and r.country == country and r.period == period]
        for path in sorted(p for p in country_dir.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))):
            meta = read_meta(path) if form else None
            if meta and (meta.get("form") or forms.FOLLOWUP) != form:
                continue  # a copy of the other round's return
            group = _match_return(path, candidates)
            if group is None:
                meta = read_meta(path) if meta is None else meta
                group = meta.get("working_group") if meta.get("country", country) == country else None
            if not (group and plan.group(group)):
                left_out.append(Note("unmatched", path))
            elif (country, group) not in wanted:
                left_out.append(Note("not_needed", path))
            else:
                out.setdefault((country, group), []).append(path)
    return out, left_out


def _match_return(path: Path, returns) -> str | None:
    """The working group of the return a feedback file is named after (the longest matching name);
    None when no name, or names of returns of different working groups, match equally well."""
    best: set[str] = set()
    best_len = 0
    stem = path.stem.casefold()
    for r in returns:
        base = Path(r.name.replace("\\", "/").split("/")[-1])
        for candidate in (base.name.casefold(), base.stem.casefold()):
            if not candidate or not (path.name.casefold() == candidate or stem.startswith(candidate)):
                continue
            if len(candidate) > best_len:
                best, best_len = {r.working_group}, len(candidate)
            elif len(candidate) == best_len:
                best.add(r.working_group)
    return next(iter(best)) if len(best) == 1 else None


# --- composing ---------------------------------------------------------------------------------


@dataclass
class Draft:
    focal_point: FocalPoint
    kind: str
    path: Path
    message: EmailMessage
    attachments: list[Path]
    items: list[str]  # one line per working group the message is about

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def recipients(self) -> list[str]:
        return [self.focal_point.email, *self.focal_point.cc]


@dataclass
class SendOutcome:
    draft: Draft
    ok: bool
    problem: str = ""  # "" (sent) | connect | no_sender | refused | smtp
    detail: str = ""  # data: the server and its answer, the refused addresses

    def text(self, lang: str = "en") -> str:
        return say(f"send.{self.problem or 'sent'}", lang, detail=self.detail)


@dataclass(frozen=True)
class Note:
    """Something the Secretariat should know about the drafts: a feedback copy not attached, none at all."""

    code: str  # unmatched | not_needed | no_feedback
    path: Path

    def text(self, lang: str = "en") -> str:
        return say(f"mail.note.{self.code}", lang, path=self.path)


@dataclass
class MailResult:
    period: str
    kind: str
    focal_points: FocalPointList
    drafts: list[Draft] = field(default_factory=list)
    nothing_for: list[FocalPoint] = field(default_factory=list)  # focal points who get no message
    removed: list[Path] = field(default_factory=list)  # drafts of an earlier run no longer due
    notes: list[Note] = field(default_factory=list)
    sent: list[SendOutcome] = field(default_factory=list)
    states: dict = field(default_factory=dict)  # reminders: (country, group) -> PairState
    form: str = forms.FOLLOWUP  # the round: followup | activities
    where: Path = Path()  # the folder of the drafts

    @property
    def folder(self) -> Path:
        return self.drafts[0].path.parent if self.drafts else Path()


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "focal-point"


def compose(plan: Plan, period: str, kind: str, fp: FocalPoint, lang: str, due: dt.date | None,
            items: list[str], attachments: list[Path], *, sender: str | None = None,
            now: dt.datetime | None = None, draft: bool = True, follows: bool = False,
            form: str = forms.FOLLOWUP) -> EmailMessage:
    """One message of the `form`'s round; `follows`: a receipt announcing a correction copy."""
    def t(key: str) -> str:
        return say(forms.word(f"email.{key}", form), lang, **values)

    country = plan.country(fp.country)
    country_label = country.label(lang) if country else fp.country
    values = {"org": _short_org(plan, lang), "period": period_words(period, lang),
              "in_period": period_words(period, lang, article=True), "country": country_label, "name": fp.name,
              "due": format_date(due, lang) if due else "—", "return_to": plan.return_to(lang),
              "limit": MAX_PRIORITY_ACTIVITIES}
    subject = t(f"subject.{kind}")
    if not due and kind in ("templates", "reminders"):
        subject = subject.rsplit(" – ", 1)[0]
    paragraphs_before = [t(f"intro.{kind}")]
    paragraphs_after = []
    if kind == "reminders":
        paragraphs_after.append(t("attached_blank"))
    if kind == "receipts":
        paragraphs_after.append(t("receipts.follows" if follows else "receipts.done"))
    else:
        paragraphs_after.append(t("what.feedback" if kind == "feedback" else "what"))
        if kind != "feedback" or due:
            paragraphs_after.append(say("email.due", lang, due=format_date(due, lang)))
        paragraphs_after.append(t("return"))
    signature = [t("bye"), plan.organization(lang)]

    text = "\n\n".join([t("hello"), *paragraphs_before,
                        "\n".join(f"  - {i}" for i in items), *paragraphs_after, "\n".join(signature)]) + "\n"
    esc = html.escape
    body = "".join([
        f"<p>{esc(t('hello'))}</p>",
        *(f"<p>{esc(p)}</p>" for p in paragraphs_before),
        "<ul>", *(f"<li>{esc(i)}</li>" for i in items), "</ul>",
        *(f"<p>{esc(p)}</p>" for p in paragraphs_after),
        f"<p>{'<br>'.join(esc(s) for s in signature)}</p>",
    ])
    page = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(subject)}</title></head>'
            f'<body style="font-family: Calibri, Arial, sans-serif; font-size: 11pt">{body}</body></html>\n')

    msg = EmailMessage(policy=policy.default)
    msg["Subject"] = subject
    if sender:
        msg["From"] = sender
    msg["To"] = Address(display_name=fp.name, addr_spec=fp.email)
    if fp.cc:
        msg["Cc"] = ", ".join(fp.cc)
    msg["Date"] = email.utils.format_datetime(now or dt.datetime.now().astimezone())
    domain = sender.rpartition("@")[2].strip(" >") if sender and "@" in sender else "rcm-workbooks.invalid"
    msg["Message-ID"] = email.utils.make_msgid("rcm", domain=domain)
    msg["X-RCM-Period"] = period
    msg["X-RCM-Kind"] = kind
    msg["X-RCM-Form"] = form
    msg["X-RCM-Country"] = fp.country
    if draft:
        msg["X-Unsent"] = "1"  # Outlook opens the file as a draft ready to send
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(page, subtype="html", charset="utf-8")
    for path in attachments:
        maintype, subtype = _TYPES.get(path.suffix.lower(), ("application", "octet-stream"))
        msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    msg["Content-Language"] = lang  # after the body: set_content drops Content-* headers
    return msg


def _short_org(plan: Plan, lang: str) -> str:
    label = plan.organization(lang)
    m = re.search(r"\(([^)]+)\)\s*$", label)
    return m.group(1) if m else label


def write_drafts(ws: Workspace, plan: Plan, period: str, kind: str, *, lang: str | None = None,
                 sender: str | None = None, today: dt.date | None = None, now: dt.datetime | None = None,
                 limits: ReadLimits = ReadLimits(), focal_points: Path | None = None,
                 form: str | None = None) -> MailResult:
    """Write one .eml per focal point with something to receive; remove older drafts no longer due.
    `form`: the round (followup | activities); by default that of the period's templates."""
    if kind not in KINDS:
        raise WorkspaceError(Problem.UNKNOWN_MAIL_KIND, kind=kind, kinds=list(KINDS))
    templates = ws.templates_dir(period)
    if not templates.is_dir():
        raise WorkspaceError(Problem.NO_TEMPLATES, period=period, folder=templates)
    path = Path(focal_points) if focal_points else list_path(ws.root / "templates")
    if path is None:
        raise WorkspaceError(Problem.NO_FOCAL_POINT_LIST, path=ws.root / "templates" / "focal_points.xlsx")
    form = forms.round_form(ws, period, form)
    pairs = forms.expected_pairs(ws, plan, period, form)
    people = load_focal_points(path, plan, expected=pairs)
    folder = forms.drafts_folder(ws, period, kind, form)
    result = MailResult(period, kind, people, form=form, where=folder)
    if people.errors:
        return result  # the caller shows the problems; nothing is written from a broken list
    due = template_due_date(ws, plan, period, form)
    returns = forms.of_form(read_returns(ws, plan, period, limits), form) if kind != "templates" else []
    if kind in ("reminders", "receipts"):
        result.states = returns_states(ws, plan, period, due=due, returns=returns, form=form)
    fb_map: dict = {}
    if kind == "feedback":
        fb_map, left_out = feedback_files(ws, plan, period, returns, form)
        result.notes.extend(left_out)
        if not (ws.period_dir(period) / "feedback").is_dir():
            result.notes.append(Note("no_feedback", ws.period_dir(period) / "feedback"))
    sender = sender or _env_from()
    written: set[Path] = set()
    used_names: set[str] = set()
    for fp in people.people:
        language = lang or fp.language
        groups = [g for g in plan.working_groups if fp.covers(g.code) and (fp.country, g.code) in pairs]
        items, files, follows = [], [], False
        if kind == "receipts":
            items, follows = receipt_lines(plan, groups, fp.country, result.states, language, form)
            groups = []
        for g in groups:
            template = forms.template_path(ws, period, g.code, fp.country, form)
            label = f"{g.label(language)} ({g.code})"
            if kind == "templates":
                if template.is_file():
                    items.append(label)
                    files.append(template)
            elif kind == "reminders":
                st = result.states.get((fp.country, g.code))
                if st and st.state in REMIND_STATES:
                    said = "late" if st.overdue(today or dt.date.today()) else st.state
                    items.append(f"{label}: " + say(f"email.state.{said}", language, reason=_reason(st, language)))
                    if template.is_file():
                        files.append(template)
            else:
                for f in fb_map.get((fp.country, g.code), []):
                    items.append(f"{label}: {f.name}")
                    files.append(f)
        if not items:
            result.nothing_for.append(fp)
            continue
        msg = compose(plan, period, kind, fp, language, due, items, files, sender=sender, now=now, follows=follows,
                      form=form)
        out = folder / f"{_draft_name(fp, used_names)}.eml"
        write_atomic(out, msg.as_bytes(policy=EML_POLICY))
        written.add(out)
        result.drafts.append(Draft(fp, kind, out, msg, files, items))
    if folder.is_dir():
        for old in sorted(folder.glob("*.eml")):
            if old not in written:
                old.unlink()
                result.removed.append(old)
    return result


def _draft_name(fp: FocalPoint, used: set[str]) -> str:
    """<COUNTRY>-<name>, with -2, -3... for a second focal point of the same name."""
    name = f"{fp.country}-{slug(fp.name)}"
    n = 1
    while f"{name}{'' if n == 1 else f'-{n}'}" in used:
        n += 1
    name = f"{name}{'' if n == 1 else f'-{n}'}"
    used.add(name)
    return name


def _reason(state: PairState, lang: str) -> str:
    """Why a rejected return was rejected, in the focal point's language."""
    rejected = [r for r in state.returns if r.verdict == Verdict.REJECTED]
    errors = rejected[-1].file_errors if rejected else []
    return errors[0].for_focal_point(lang) if errors else say("email.unreadable", lang)


def _env_from() -> str | None:
    import os

    return os.environ.get(FROM_ENV) or None


# --- sending -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    sender: str | None = None  # the From address; else the drafts' From
    timeout: float = 30.0


def send(drafts: list[Draft], settings: SmtpSettings, password: str | None, log: Path) -> list[SendOutcome]:
    """Send each draft over one SMTP session; every attempt is appended to `log`, sent or not."""
    outcomes: list[SendOutcome] = []
    if not drafts:
        return outcomes
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        smtp = _connect(settings, password)
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        detail = f"{settings.host}:{settings.port}: {_describe(exc)}"
        for d in drafts:
            outcomes.append(SendOutcome(d, False, "connect", detail))
        _log(log, outcomes)
        return outcomes
    try:
        for d in drafts:
            msg = _for_sending(d.message, settings.sender)
            if not msg["From"]:
                outcomes.append(SendOutcome(d, False, "no_sender"))
                continue
            try:
                refused = smtp.send_message(msg, to_addrs=d.recipients)
                bad = ", ".join(refused) if refused else ""
                outcomes.append(SendOutcome(d, not refused, "refused" if bad else "", bad))
            except (OSError, smtplib.SMTPException) as exc:
                outcomes.append(SendOutcome(d, False, "smtp", _describe(exc)))
                if isinstance(exc, smtplib.SMTPServerDisconnected) or not isinstance(exc, smtplib.SMTPException):
                    try:
                        smtp = _connect(settings, password)
                    except (OSError, smtplib.SMTPException, ssl.SSLError):
                        pass
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
        _log(log, outcomes)
    return outcomes


def _connect(settings: SmtpSettings, password: str | None) -> smtplib.SMTP:
    if settings.port == 465:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        smtp.ehlo()
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
    if settings.user:
        smtp.login(settings.user, password or "")
    return smtp


def _for_sending(msg: EmailMessage, sender: str | None) -> EmailMessage:
    out = email.message_from_bytes(msg.as_bytes(policy=policy.default), policy=policy.default)
    del out["X-Unsent"]
    if sender:
        del out["From"]
        out["From"] = sender
    return out


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


def _log(path: Path, outcomes: list[SendOutcome]) -> None:
    new = not path.exists()
    with open(path, "a", encoding="utf-8") as fh:
        if new:
            fh.write("time\tkind\tto\tsubject\tattachments\tresult\n")
        for o in outcomes:
            cells = [dt.datetime.now().astimezone().isoformat(timespec="seconds"), o.draft.kind,
                     ", ".join(o.draft.recipients), o.draft.subject,
                     "; ".join(p.name for p in o.draft.attachments), ("ok: " if o.ok else "FAILED: ") + o.text("en")]
            fh.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells) + "\n")
