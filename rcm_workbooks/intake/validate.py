"""A raw return + the plan -> its identity, normalized rows and every finding (never just the first)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cells import col_index, col_letter, is_column, parse_cell
from ..core.fields import ACTIVITY_FIELDS, CODED, FIELDS, INPUT_FIELDS, REQUIRED, TEXT_FIELDS
from ..core.findings import Finding, Severity
from ..core.plan import Plan
from ..core.texts import HEADERS, say, term
from ..core.verdicts import Verdict
from ..template.build import META_SHEET, PREFILL_LOCKED, SCHEMA, row_digest
from .meta import layout_of, meta_dict, meta_rows
from .sheet import Row, check_title
from .reader import RawWorkbook, ReadFailure, ReadLimits, open_return, sha256_of
from .values import Vocabulary, norm, to_text, vocabulary

EXCEL_CELL_LIMIT = 32_767
FORMS = ("followup", "activities")  # the follow-up matrix (4.3) and the Activity Matrix (3.9)


@dataclass
class Return:
    """One file of the inbox, as far as it could be read, and the verdict on it."""

    path: Path
    name: str  # as shown to people: relative to the inbox
    sha256: str = ""
    size: int = 0
    kind: str = ""
    mtime: dt.datetime | None = None
    saved_at: dt.datetime | None = None
    meta: dict = field(default_factory=dict)
    period: str = ""
    working_group: str = ""
    country: str = ""
    language: str = "en"
    due_date: dt.date | None = None
    matrix_sheet: str = ""
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column actually used
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    verdict: Verdict | None = None
    form: str = "followup"  # followup | activities (the Activity Matrix): what `_meta` says it is
    # Why: "reason.<key>" of texts.WORDS and its data; "ignored" a code of texts.TERMS['ignored'];
    # "finding" the first file error's message.
    why: tuple[str, dict] = ("", {})
    sender: str = ""  # the From of the e-mail it came attached to (.eml in the inbox), else empty
    sent_at: dt.datetime | None = None  # that e-mail's Date, UTC

    @property
    def file_errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR and f.row is None]

    @property
    def identified(self) -> bool:
        return bool(self.period and self.working_group and self.country)

    @property
    def received_at(self) -> dt.datetime | None:
        return self.saved_at or self.mtime

    @property
    def earlier_round(self) -> bool:
        """Set aside as consolidated in its own period's round: one line in a report, and none of
        its findings in this round's (they were reported in its own)."""
        return self.verdict == Verdict.IGNORED and any(
            f.code == "file-ignored" and f.params.get("reason") == "earlier-round" for f in self.findings)

    def all_findings(self) -> list[Finding]:
        return self.findings + [f for r in self.rows for f in r.findings]

    @property
    def reason(self) -> str:
        """Why the file got its verdict, in English: the JSON's and the registry's `reason`."""
        return self.reason_in("en")

    def reason_in(self, lang: str) -> str:
        key, params = self.why
        if key == "finding":
            errors = self.file_errors
            return errors[0].message(lang, with_fix=False) if errors else ""
        if key == "ignored":
            return term("ignored", params["reason"], lang).format(**params)
        if key == "rows":
            text = say("reason.rows", lang, n=params["ok"])
            return text + (say("reason.rows_bad", lang, n=params["bad"]) if params["bad"] else "")
        return say(f"reason.{key}", lang, **params) if key else ""

    def set_verdict(self, verdict: Verdict, why: str, **params) -> None:
        self.verdict, self.why = verdict, (why, params)

    def add(self, code: str, **kw) -> Finding:
        finding = Finding(code, file=self.name, **kw)
        self.findings.append(finding)
        return finding

    def ignore(self, reason: str, **params) -> None:
        """Set aside, not a return: lock files, OS junk, links, earlier rounds' files (`reason` is a
        code of texts.TERMS['ignored'])."""
        self.add("file-ignored", params={"reason": reason, **params})
        self.set_verdict(Verdict.IGNORED, "ignored", reason=reason, **params)

    def internal_error(self, exc: BaseException) -> None:
        """The tool itself failed on this file: the finding says so in words; the exception is kept
        only as evidence (--debug, the JSON's detail)."""
        self.add("file-internal-error", params={"evidence": f"{type(exc).__name__}: {exc}"[:500]})
        _verdict(self)

    def ignore_as_duplicate(self, other: str) -> None:
        """Same bytes as `other`, which is counted instead."""
        self.add("file-duplicate", params={"other": other})
        self.set_verdict(Verdict.IGNORED, "duplicate", other=other)


def read_return(path: Path, name: str, plan: Plan, *, period: str | None = None,
                limits: ReadLimits = ReadLimits(), data: bytes | None = None) -> Return:
    """Read and validate one returned file. Never raises for a bad file: the findings say it."""
    ret = Return(path=path, name=name)
    try:
        stat = path.stat()
        ret.size = stat.st_size
        ret.mtime = dt.datetime.fromtimestamp(stat.st_mtime, dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        wb = open_return(path, limits, data)
    except ReadFailure as failure:
        ret.add(failure.code, params=failure.params)
        ret.sha256 = ret.sha256 or (sha256_of(data) if data else _sha_of_path(path))
        return _verdict(ret)
    except OSError as exc:
        ret.add("file-damaged", params={"damage": "disk", "evidence": f"{type(exc).__name__}: {exc}"})
        return _verdict(ret)
    ret.sha256, ret.kind, ret.saved_at = wb.sha256, wb.kind, wb.saved_at
    if wb.kind == "xlsm":
        ret.add("file-macros")
    elif wb.kind in ("ods", "xls"):
        ret.add("file-converted", params={"kind": wb.kind})
    try:
        validate_workbook(ret, wb, plan, period)
    except ReadFailure as failure:  # a part needed for the data turned out unreadable
        ret.add(failure.code, params=failure.params)
        return _verdict(ret)
    lost_sheets = sorted(wb.broken - {META_SHEET, ret.matrix_sheet})
    parts = [code for code, _ in wb.repairs] + (["sheets"] if lost_sheets else [])
    if parts:  # codes of core.kinds.PART; the sheets and the other parts by their names
        ret.add("file-repaired", params={"parts": tuple(parts), "name": ", ".join(f"'{s}'" for s in lost_sheets),
                                         "detail": next((names for code, names in wb.repairs if code == "other"), "")})
    return _verdict(ret)


def _sha_of_path(path: Path) -> str:
    try:
        return sha256_of(path.read_bytes())
    except OSError:
        return ""


def _verdict(ret: Return) -> Return:
    if ret.file_errors:
        ret.set_verdict(Verdict.REJECTED, "finding")
    else:
        bad = sum(1 for r in ret.rows if not r.accepted)
        ret.set_verdict(Verdict.ACCEPTED, "rows", ok=len(ret.rows) - bad, bad=bad)
    return ret


def _read_meta(ret: Return, wb: RawWorkbook) -> dict | None:
    rows = meta_rows(wb)
    if rows is None:
        if wb.kind in ("xls", "ods"):  # a spreadsheet of another format than the template's, named as such
            ret.findings = [f for f in ret.findings if f.code != "file-converted"]
            ret.add("file-other-format", params={"kind": wb.kind, "advice": wb.kind})
        else:
            ret.add("meta-missing")
        return None
    return meta_dict(rows)


def validate_workbook(ret: Return, wb: RawWorkbook, plan: Plan, period: str | None) -> None:
    meta = _read_meta(ret, wb)
    if meta is None:
        return
    ret.meta = meta
    if meta.get("schema") != SCHEMA:
        ret.add("meta-invalid", sheet=META_SHEET, cell="B1", value=meta.get("schema", ""),
                params={"detail": f"schema is '{meta.get('schema', '')}', expected '{SCHEMA}'"})
        return
    form = meta.get("form") or "followup"
    if form not in FORMS:
        ret.add("meta-invalid", sheet=META_SHEET, value=form, params={"detail": f"form is '{form}'"})
        return
    ret.form = form
    layout, columns, problems = layout_of(meta, ACTIVITY_FIELDS if form == "activities" else FIELDS)
    if problems:
        ret.add("meta-invalid", sheet=META_SHEET, params={"detail": "; ".join(problems)})
        return
    who = _identify(ret, meta, plan, period)
    if who is None:
        return
    group, country = who
    if form == "activities":
        from .proposals import read_proposals

        read_proposals(ret, meta=meta, wb=wb, plan=plan, layout=layout, columns=columns, group=group, country=country)
        return
    _read_matrix(ret, wb, meta, plan, layout, columns, group, country)


def _identify(ret: Return, meta: dict, plan: Plan, period: str | None):
    """(group, country) of a return whose `_meta` names this plan, a known working group and
    country, and a valid period; else None (the findings say why)."""
    # Identity: the plan, the codes and the period must all be ours.
    if meta["plan_id"] != plan.id:
        ret.add("meta-other-plan", sheet=META_SHEET, value=meta["plan_id"], params={"expected": plan.id})
    group, country = plan.group(meta["working_group"]), plan.country(meta["country"])
    if group is None:
        ret.add("meta-unknown-code", sheet=META_SHEET, value=meta["working_group"], params={"what": "working_group"})
    if country is None:
        ret.add("meta-unknown-code", sheet=META_SHEET, value=meta["country"], params={"what": "country"})
    from ..core.files import WorkspaceError
    from ..core.periods import parse_period

    try:
        ret_period = parse_period(meta["period"])
    except WorkspaceError:
        ret.add("meta-invalid", sheet=META_SHEET, value=meta["period"], params={"detail": f"period '{meta['period']}' is not valid"})
        return None
    ret.period = ret_period
    ret.working_group, ret.country = meta["working_group"], meta["country"]
    ret.language = meta.get("language") if meta.get("language") in ("en", "es") else "en"
    try:
        ret.due_date = dt.date.fromisoformat(meta["due_date"]) if meta.get("due_date") else None
    except ValueError:
        ret.due_date = None
    if period and ret_period != period:
        ret.add("meta-other-period", sheet=META_SHEET, value=ret_period, params={"expected": period})
    if group is None or country is None or meta["plan_id"] != plan.id:
        return None
    return group, country


def _read_matrix(ret: Return, wb: RawWorkbook, meta: dict, plan: Plan, layout: dict, columns: dict,
                 group, country) -> None:
    sheet = _find_matrix(ret, wb, meta["matrix_sheet"], layout["header_row"], columns)
    if sheet is None:
        return
    ret.matrix_sheet = sheet
    header_row, first_row, last_row = layout["header_row"], layout["first_row"], layout["last_row"]
    bound = last_row + wb.limits.extra_rows
    xml_last = wb.last_row(sheet)
    if xml_last is not None and xml_last > bound:
        far = wb.last_cell(sheet) or f"A{xml_last}"
        ret.add("content-out-of-bounds", sheet=sheet, cell=far,
                params={"detail": f"cell {far}, beyond row {bound}"})
    rows = wb.rows(sheet, min(bound, xml_last) if xml_last else bound)
    check_title(ret, rows, meta, plan, group, country, sheet)
    columns = _check_headers(ret, rows, header_row, columns, sheet)
    ret.columns = columns
    if wb.sheet_protected(sheet) is False:
        ret.add("protection-removed", sheet=sheet)
    due = ret.due_date
    received = ret.received_at
    if due and received and received.date() > due:
        ret.add("return-late", value=received.date().isoformat(), params={"expected": due.isoformat()})
    wb.check_time()
    _read_rows(ret, wb, rows, meta, plan, sheet, first_row, last_row, columns)
    if not ret.rows and not ret.file_errors:
        ret.add("return-empty", sheet=sheet)


def _find_matrix(ret: Return, wb: RawWorkbook, name: str, header_row: int, columns: dict) -> str | None:
    if wb.sheet(name):
        return name
    # A renamed sheet is still the matrix if its header row holds our headings.
    for s in wb.sheets:
        if s.name in (META_SHEET, "_lists"):
            continue
        rows = wb.rows(s.name, header_row)
        if len(rows) >= header_row and _header_fields(rows[header_row - 1]) >= set(INPUT_FIELDS):
            ret.add("matrix-renamed", sheet=s.name, value=s.name)
            return s.name
    ret.add("matrix-missing", params={"expected": name, "value": ", ".join(s.name for s in wb.sheets)})
    return None


def _header_lookup() -> dict[str, str]:
    return {norm(text): f for lang in HEADERS for f, text in HEADERS[lang].items()}


_HEADERS_NORM = _header_lookup()


def _header_fields(cells: list) -> set[str]:
    return {_HEADERS_NORM[norm(to_text(c)[0])] for c in cells if norm(to_text(c)[0]) in _HEADERS_NORM}


def _check_headers(ret: Return, rows: list[list], header_row: int, columns: dict, sheet: str) -> dict | None:
    cells = rows[header_row - 1] if len(rows) >= header_row else []
    found: dict[str, int] = {}
    for i, c in enumerate(cells):
        f = _HEADERS_NORM.get(norm(to_text(c)[0]))
        if f and f not in found:
            found[f] = i
    if all(found.get(f) == columns[f] for f in FIELDS):
        return columns
    missing = [f for f in INPUT_FIELDS if f not in found]
    if missing:
        lang = ret.language
        detail = ", ".join(f"'{HEADERS[lang][f]}' (expected in column {col_letter(columns[f])})" for f in missing)
        ret.add("header-changed", sheet=sheet, cell=f"{col_letter(0)}{header_row}",
                params={"detail": f"not found: {detail}"})
        # The file is rejected, but its rows still go to Rejected rows: read what can be read.
        return {f: found.get(f, -1) for f in FIELDS}
    moved = [f for f in FIELDS if f in found and found[f] != columns[f]]
    detail = ", ".join(f"{HEADERS[ret.language][f]} {col_letter(columns[f])}→{col_letter(found[f])}" for f in moved)
    ret.add("header-moved", sheet=sheet, cell=f"A{header_row}", params={"detail": detail})
    new = dict(columns)
    new.update(found)
    if "ref" not in found:
        new["ref"] = -1
    return new


def _specials(wb: RawWorkbook, sheet: str, meta: dict, columns: dict, first_row: int) -> tuple[int, dict]:
    """The workbook's own check column (0-based, -1 if none) and the formula and error cells of
    the rows. The check holds formulas' verdicts, not the person's content: it is never read as
    data and never trusted (every cell is judged here on its own), nor is its banner above the rows."""
    letter = meta.get("col.check", "")
    check = col_index(letter) if is_column(letter) and col_index(letter) not in columns.values() else -1
    if wb.kind not in ("xlsx", "xlsm", "ods"):
        return check, {}
    specials = wb.specials(sheet, letter if check >= 0 else "")
    if specials:
        specials = {k: v for k, v in specials.items()
                    if (rc := parse_cell(k)) and rc[0] >= first_row - 1 and rc[1] != check}
    return check, specials


def _read_rows(ret: Return, wb: RawWorkbook, rows, meta, plan: Plan, sheet: str, first_row: int,
               last_row: int, columns: dict) -> None:
    vocab = vocabulary(plan)
    check, specials = _specials(wb, sheet, meta, columns, first_row)
    prefilled = {int(x) for x in meta.get("prefilled_rows", "").split(",") if x.strip().isdigit()}
    used_cols = set(columns.values()) | ({check} if check >= 0 else set())
    lang = ret.language
    at = [(f, columns.get(f, -1)) for f in FIELDS]
    letters = {f: col_letter(c) for f, c in at if c >= 0}  # per file, not per cell: 50,000 rows at scale
    for index in range(first_row - 1, len(rows)):
        cells = rows[index]
        number = index + 1
        values, kinds = {}, {}
        width = len(cells)
        for f, c in at:
            values[f], kinds[f] = to_text(cells[c] if 0 <= c < width else "")
        if specials:
            for f, letter in letters.items():
                special = specials.get(f"{letter}{number}")
                if special and special[0] == "error":
                    values[f], kinds[f] = special[1], "error"
        # Any column that is not one of ours (right of the matrix, or inserted into it) is named.
        extra = [(i, t) for i in range(width) if i not in used_cols for t in (to_text(cells[i])[0],) if t.strip()]
        is_pre = number in prefilled
        content = any(values[f].strip() for f in INPUT_FIELDS) or extra
        if not content and not is_pre:
            continue
        if is_pre and not content and not values["ref"].strip():
            # The whole pre-filled row was cleared: no row to keep, but never a silent loss.
            status_col = columns.get("status", -1)
            ret.findings.append(Finding("prefilled-empty", file=ret.name, sheet=sheet, row=number,
                                        cell=f"{col_letter(status_col)}{number}" if status_col >= 0 else "",
                                        column="status", value=meta.get(f"ref.{number}", "")))
            continue
        row = Row(number, values, prefilled=is_pre)
        cell = lambda f: f"{letters[f]}{number}" if f in letters else ""  # noqa: E731

        def add(code, f=None, **kw):
            row.findings.append(Finding(code, file=ret.name, sheet=sheet, cell=cell(f) if f else "",
                                        column=f or "", row=number, **kw))

        if number > last_row:
            add("row-outside-range", params={"detail": str(number), "expected": str(last_row)})
        for i, text in extra[:20]:
            row.findings.append(Finding("column-outside-range", file=ret.name, sheet=sheet,
                                        cell=f"{col_letter(i)}{number}", row=number, value=text[:200],
                                        params={"detail": col_letter(i)}))
        for f in FIELDS:
            special = specials.get(cell(f)) if specials else None
            if kinds[f] == "error":
                add("cell-error-value", f, value=values[f])
            elif special and special[0] == "formula":
                add("cell-formula", f, value=values[f], params={"detail": special[1][:100]})
            if f in TEXT_FIELDS and kinds[f] not in (None, "error"):
                add("cell-not-text", f, value=values[f], params={"kind": kinds[f]})
            if len(values[f]) > EXCEL_CELL_LIMIT:
                add("cell-too-long", f, value=values[f][:100] + "…", params={"detail": f"{len(values[f]):,}"})
        _resolve_codes(row, add, vocab, lang)
        if is_pre:
            expected_ref = meta.get(f"ref.{number}", "")
            if expected_ref and values.get("ref", "").strip() != expected_ref:
                add("ref-changed", "ref", value=values.get("ref", ""), params={"expected": expected_ref})
                values["ref"] = expected_ref
            digest = meta.get(f"locked.{number}")
            if digest and digest != row_digest([values.get(f, "") for f in PREFILL_LOCKED]):
                add("prefilled-changed", value=values.get("ref", ""))
            if not values["status"].strip():
                add("prefilled-empty", "status", value=values.get("ref", ""))
        for f in REQUIRED:
            if not values[f].strip() and not (is_pre and f == "status") and kinds[f] != "error":
                add("required-missing", f, params={"column_label": HEADERS[lang][f].replace(" ▾", "")})
        ret.rows.append(row)


def _resolve_codes(row: Row, add, vocab: Vocabulary, lang: str) -> None:
    values = row.values
    label = lambda f: HEADERS[lang][f].replace(" ▾", "")  # noqa: E731
    pillar = None
    for f in CODED:
        text = values[f].strip()
        if not text or f == "theme":
            continue
        table = vocab.pillars if f == "pillar" else vocab.lists[f]
        code = table.get(norm(text))
        if code is None:
            if not _is_error(row, f):
                add("value-not-in-list", f, value=values[f],
                    params={"column_label": label(f), "allowed": "; ".join(vocab.labels(f, lang))})
        else:
            row.codes[f] = code
            if f == "pillar":
                pillar = code
    text = values["theme"].strip()
    if text and not _is_error(row, "theme"):
        if pillar:
            code = vocab.themes[pillar].get(norm(text))
            if code:
                row.codes["theme"] = code
            elif norm(text) in vocab.theme_anywhere:
                add("theme-other-pillar", "theme", value=values["theme"],
                    params={"other": vocab.plan.label_of("pillar", pillar, lang),
                            "allowed": "; ".join(vocab.labels("theme", lang, pillar))})
            else:
                add("value-not-in-list", "theme", value=values["theme"],
                    params={"column_label": label("theme"), "allowed": "; ".join(vocab.labels("theme", lang, pillar))})
        elif values["pillar"].strip() == "":
            pass  # the missing pillar is reported on its own
        # an invalid pillar already has its finding; the theme cannot be judged without it


def _is_error(row: Row, f: str) -> bool:
    return any(x.code == "cell-error-value" and x.column == f for x in row.findings)
