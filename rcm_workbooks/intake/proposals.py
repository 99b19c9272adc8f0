"""Activity Matrix returns (`_meta` form: activities): their proposals read and judged, then counted
together across countries. Pure: judged returns in, tables out.

A proposal is a row with content, or a pre-filled priority activity, which is kept (as it was, or
changed) or dropped. Its `decision` code says which: keep | change | drop for a pre-filled row,
new for a blank one. Proposals of the same activity share a cluster: the same priority activity
(ref), or the same pillar and theme with a nearly identical description.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cells import col_index, col_letter, is_column
from ..core.fields import ACTIVITY_FIELDS, ACTIVITY_REQUIRED, ACTIVITY_TEXT, PROPOSAL_COLUMNS
from ..core.findings import Finding, Severity
from ..core.plan import Plan
from ..core.table import Table
from ..core.texts import ACT_HEADERS, ACT_UI
from ..template.activities import COMPARED, FORM, file_name
from ..template.build import row_digest
from .sheet import Row, check_title
from .values import norm, to_text, vocabulary

EXCEL_CELL_LIMIT = 32_767
SIMILAR = 0.85  # two descriptions this alike (difflib ratio of their normal forms) are one activity
REJECTED_PROPOSAL_COLUMNS = ["period", "working_group", "country", "source_file", "sheet", "row", *ACTIVITY_FIELDS,
                             "codes", "reasons", "source_sha256"]
_DECISIONS = {norm(ACT_UI[lang][key]): key for lang in ACT_UI for key in ("keep", "drop")}
_DECISIONS.update({"keep": "keep", "drop": "drop"})
_HEADINGS = {norm(text): f for lang in ACT_HEADERS for f, text in ACT_HEADERS[lang].items()}


def label(f: str, lang: str) -> str:
    return ACT_HEADERS[lang][f].replace(" ▾", "")


def read_proposals(ret, wb, meta: dict, plan: Plan, layout: dict, columns: dict, group, country) -> None:
    """Judge an identified Activity Matrix return: its sheet, title block, headings and every row."""
    sheet = meta["matrix_sheet"] if wb.sheet(meta["matrix_sheet"]) else _find_sheet(ret, wb, layout["header_row"])
    if sheet is None:
        return
    ret.matrix_sheet = sheet
    first_row, last_row = layout["first_row"], layout["last_row"]
    bound = last_row + wb.limits.extra_rows
    xml_last = wb.last_row(sheet)
    if xml_last is not None and xml_last > bound:
        far = wb.last_cell(sheet) or f"A{xml_last}"
        ret.add("content-out-of-bounds", sheet=sheet, cell=far, params={"detail": f"cell {far}, beyond row {bound}"})
    rows = wb.rows(sheet, min(bound, xml_last) if xml_last else bound)
    check_title(ret, rows, meta, plan, group, country, sheet)
    ret.columns = columns = _check_headers(ret, rows, layout["header_row"], columns, sheet)
    if wb.sheet_protected(sheet) is False:
        ret.add("protection-removed", sheet=sheet)
    if ret.due_date and ret.received_at and ret.received_at.date() > ret.due_date:
        ret.add("return-late", value=ret.received_at.date().isoformat(), params={"expected": ret.due_date.isoformat()})
    check = meta.get("col.check", "") if is_column(meta.get("col.check", "")) else ""
    specials = wb.specials(sheet, check) if wb.kind in ("xlsx", "xlsm", "ods") else {}
    own = col_index(check) if check and col_index(check) not in columns.values() else -1
    for index in range(first_row - 1, len(rows)):
        row = _read_row(ret, rows[index], index + 1, meta, plan, columns, specials, last_row, own)
        if row is not None:
            ret.rows.append(row)
    if not ret.rows and not ret.file_errors:
        ret.add("return-empty", sheet=sheet)


def _find_sheet(ret, wb, header_row: int) -> str | None:
    for s in wb.sheets:
        rows = wb.rows(s.name, header_row) if s.name not in ("_meta", "_lists") else []
        found = {_HEADINGS.get(norm(to_text(c)[0])) for c in (rows[header_row - 1] if len(rows) >= header_row else [])}
        if set(ACTIVITY_REQUIRED) <= found:
            ret.add("matrix-renamed", sheet=s.name, value=s.name)
            return s.name
    ret.add("matrix-missing", params={"expected": ret.meta.get("matrix_sheet", ""),
                                      "value": ", ".join(s.name for s in wb.sheets)})
    return None


def _check_headers(ret, rows, header_row: int, columns: dict, sheet: str) -> dict:
    cells = rows[header_row - 1] if len(rows) >= header_row else []
    found: dict[str, int] = {}
    for i, c in enumerate(cells):
        f = _HEADINGS.get(norm(to_text(c)[0]))
        if f and f not in found:
            found[f] = i
    if all(found.get(f) == columns[f] for f in ACTIVITY_FIELDS):
        return columns
    missing = [f for f in ACTIVITY_FIELDS if f not in found and f != "ref"]
    if missing:
        detail = ", ".join(f"'{ACT_HEADERS[ret.language][f]}' (expected in column {col_letter(columns[f])})"
                           for f in missing)
        ret.add("header-changed", sheet=sheet, cell=f"A{header_row}", params={"detail": f"not found: {detail}"})
        return {f: found.get(f, -1) for f in ACTIVITY_FIELDS}
    moved = [f for f in ACTIVITY_FIELDS if f in found and found[f] != columns[f]]
    detail = ", ".join(f"{label(f, ret.language)} {col_letter(columns[f])}→{col_letter(found[f])}" for f in moved)
    ret.add("header-moved", sheet=sheet, cell=f"A{header_row}", params={"detail": detail})
    return {**columns, **found, **({} if "ref" in found else {"ref": -1})}


def _read_row(ret, cells: list, number: int, meta: dict, plan: Plan, columns: dict, specials: dict,
              last_row: int, check: int = -1):
    """One proposal (a Row), or None for a blank row. Column `check` holds the workbook's own
    check (formulas' verdicts, never the person's content): it is not read."""
    width = len(cells)
    values, kinds = {}, {}
    for f in ACTIVITY_FIELDS:
        c = columns.get(f, -1)
        values[f], kinds[f] = to_text(cells[c] if 0 <= c < width else "")
    letters = {f: col_letter(c) for f, c in columns.items() if c >= 0}
    used = set(columns.values()) | {check}
    extra = [(i, t) for i in range(width) if i not in used for t in (to_text(cells[i])[0],) if t.strip()]
    pre = str(number) in meta.get("prefilled_rows", "").split(",")
    content = any(values[f].strip() for f in ACTIVITY_FIELDS if f not in ("ref", "decision")) or extra
    if not content and not pre:
        return None
    row = Row(number, values, prefilled=pre)

    def add(code, f=None, **kw):
        cell = f"{letters[f]}{number}" if f in letters else ""
        row.findings.append(Finding(code, file=ret.name, sheet=ret.matrix_sheet, cell=cell, column=f or "",
                                    row=number, **kw))

    if number > last_row:
        add("row-outside-range", params={"detail": str(number), "expected": str(last_row)})
    for i, text in extra[:20]:
        row.findings.append(Finding("column-outside-range", file=ret.name, sheet=ret.matrix_sheet,
                                    cell=f"{col_letter(i)}{number}", row=number, value=text[:200],
                                    params={"detail": col_letter(i)}))
    _check_cells(row, add, values, kinds, specials, letters, number)
    _decide(row, add, values, meta, number, pre, content, ret.language)
    _resolve(row, add, plan, ret.language)
    if row.codes["decision"] != "drop":
        for f in ACTIVITY_REQUIRED:
            if not values[f].strip() and kinds[f] != "error":
                add("required-missing", f, params={"column_label": label(f, ret.language)})
    return row


def _check_cells(row, add, values: dict, kinds: dict, specials: dict, letters: dict, number: int) -> None:
    for f in ACTIVITY_FIELDS:
        special = specials.get(f"{letters[f]}{number}") if specials and f in letters else None
        if special and special[0] == "error":
            values[f], kinds[f] = special[1], "error"
        if kinds[f] == "error":
            add("cell-error-value", f, value=values[f])
        elif special and special[0] == "formula":
            add("cell-formula", f, value=values[f], params={"detail": special[1][:100]})
        if f in ACTIVITY_TEXT and kinds[f] not in (None, "error"):
            add("cell-not-text", f, value=values[f], params={"kind": kinds[f]})
        if len(values[f]) > EXCEL_CELL_LIMIT:
            add("cell-too-long", f, value=values[f][:100] + "…", params={"detail": f"{len(values[f]):,}"})


def _decide(row, add, values: dict, meta: dict, number: int, pre: bool, content, lang: str) -> None:
    """keep | change | drop for a pre-filled row (its ref restored if edited), new otherwise."""
    if not pre:
        row.codes["decision"] = "new"
        return
    expected = meta.get(f"ref.{number}", "")
    if expected and values["ref"].strip() != expected:
        add("ref-changed", "ref", value=values["ref"], params={"expected": expected})
        values["ref"] = expected
    text = values["decision"].strip()
    decision = _DECISIONS.get(norm(text)) if text else "keep"
    if decision is None:
        allowed = "; ".join(ACT_UI[lang][k] for k in ("keep", "drop"))
        add("value-not-in-list", "decision", value=text, params={"column_label": label("decision", lang),
                                                                 "allowed": allowed})
        decision = "keep"
    if not content:  # every cell of the activity emptied: the country does not want it
        decision = "drop"
    if decision == "keep" and meta.get(f"orig.{number}") != row_digest([values[f] for f in COMPARED]):
        decision = "change"
    row.codes["decision"] = decision


def _resolve(row, add, plan: Plan, lang: str) -> None:
    """Pillar, theme, responsible party and deadline to plan codes (any spelling of either language)."""
    vocab = vocabulary(plan)
    values = row.values
    for f in ("pillar", "responsible", "deadline"):
        text = values[f].strip()
        if not text or any(x.code == "cell-error-value" and x.column == f for x in row.findings):
            continue
        code = (vocab.pillars if f == "pillar" else vocab.lists[f]).get(norm(text))
        if code is None:
            add("value-not-in-list", f, value=values[f], params={"column_label": label(f, lang),
                                                                 "allowed": "; ".join(vocab.labels(f, lang))})
        else:
            row.codes[f] = code
    text, pillar = values["theme"].strip(), row.codes.get("pillar")
    if not text or not pillar:
        return  # a missing or unknown pillar has its own finding; the theme cannot be judged without it
    code = vocab.themes[pillar].get(norm(text))
    if code:
        row.codes["theme"] = code
    elif norm(text) in vocab.theme_anywhere:
        add("theme-other-pillar", "theme", value=values["theme"],
            params={"other": plan.label_of("pillar", pillar, lang), "allowed": "; ".join(vocab.labels("theme", lang, pillar))})
    else:
        add("value-not-in-list", "theme", value=values["theme"],
            params={"column_label": label("theme", lang), "allowed": "; ".join(vocab.labels("theme", lang, pillar))})


# --- a round of them ----------------------------------------------------------------------------


@dataclass
class ProposalResult:
    """The proposals of one Activity Matrix round (period), for outputs.activities."""

    period: str
    returns: list  # every file this round's workbook reports on
    proposals: Table  # PROPOSAL_COLUMNS, grouped by working group, cluster by cluster
    rejected: Table  # REJECTED_PROPOSAL_COLUMNS
    expected: list[tuple[str, str]]
    due_date: dt.date | None = None
    outputs: list[Path] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.returns for f in r.all_findings()]


def is_proposal(ret, period: str | None = None) -> bool:
    return ret.form == FORM and (period is None or ret.period == period)


def plan_ref(ret, row) -> str:
    """The plan's ref of a pre-filled row (P2 of GTM-PROT-P2), else empty."""
    prefix = f"{ret.country}-{ret.working_group}-"
    ref = row.values.get("ref", "").strip()
    return ref[len(prefix):] if row.prefilled and ref.startswith(prefix) else ""


def frames(period: str, returns: list, plan: Plan, lang: str = "en") -> tuple[Table, Table]:
    """Every accepted proposal of the period's standing Activity Matrix returns, clustered; and the
    rejected ones with their reasons (nothing is lost: every proposal is in one or the other)."""
    accepted, rejected = [], []
    for r in returns:
        if not r.identified or not is_proposal(r, period):
            continue
        for row in r.rows:
            if r.verdict == "accepted" and row.accepted:
                accepted.append({
                    "period": r.period, "working_group": r.working_group, "country": r.country,
                    "decision": row.codes.get("decision", "new"), "ref": plan_ref(r, row),
                    **{f: row.codes.get(f, "") for f in ("pillar", "theme", "responsible", "deadline")},
                    **{f: row.values.get(f, "") for f in ACTIVITY_TEXT},
                    "language": r.language, "source_file": r.name, "source_row": row.number,
                    "source_sha256": r.sha256})
            else:
                reasons = ([f for f in row.findings if f.severity is Severity.ERROR] if r.verdict == "accepted"
                           else r.file_errors or [f for f in r.findings if f.code == "file-superseded"])
                rejected.append({
                    "period": r.period, "working_group": r.working_group, "country": r.country,
                    "source_file": r.name, "sheet": r.matrix_sheet, "row": row.number,
                    **{f: row.values.get(f, "") for f in ACTIVITY_FIELDS},
                    "codes": ", ".join(dict.fromkeys(f.code for f in reasons)),
                    "reasons": "\n".join((f"{f.cell}: " if f.cell else "") + f.message(lang, with_fix=False)
                                         for f in reasons),
                    "source_sha256": r.sha256})
    return Table.from_dicts(cluster(accepted, plan), PROPOSAL_COLUMNS), \
        Table.from_dicts(rejected, REJECTED_PROPOSAL_COLUMNS)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", norm(text)).split())


def cluster(proposals: list[dict], plan: Plan) -> list[dict]:
    """The proposals with their cluster ("PROT-1": the same activity) and how many countries
    propose it, sorted by working group (the plan's order), then the most proposed first."""
    order = {g.code: i for i, g in enumerate(plan.working_groups)}
    out = []
    for group in sorted({p["working_group"] for p in proposals}, key=lambda g: (order.get(g, len(order)), g)):
        clusters: list[list[dict]] = []
        mine = sorted((p for p in proposals if p["working_group"] == group),
                      key=lambda p: (not p["ref"], p["ref"], p["country"], p["source_row"]))
        for p in mine:
            home = next((c for c in clusters if _same(c, p)), None)
            home.append(p) if home is not None else clusters.append([p])
        proposing = [len({p["country"] for p in c if p["decision"] != "drop"}) for c in clusters]
        ranked = sorted(range(len(clusters)), key=lambda i: (-proposing[i], i))
        for n, i in enumerate(ranked, 1):
            for p in sorted(clusters[i], key=lambda p: (p["decision"] == "drop", p["country"], p["source_row"])):
                out.append({**p, "cluster": f"{group}-{n}", "countries": proposing[i]})
    return out


def similar(a: str, b: str) -> bool:
    """Whether two descriptions are one activity: nearly the same words (case, accents and
    punctuation aside). An empty text is like nothing."""
    a, b = _words(a), _words(b)
    return bool(a and b) and difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR


def _same(members: list[dict], p: dict) -> bool:
    if p["ref"]:
        return any(m["ref"] == p["ref"] for m in members)
    return any(m["pillar"] == p["pillar"] and m["theme"] == p["theme"] and similar(m["activity"], p["activity"])
               for m in members)


def expected_pairs(ws, plan: Plan, period: str) -> list[tuple[str, str]]:
    """The (country, group) pairs Activity Matrix templates were generated for, else the plan's."""
    every = [(c.code, g.code) for c in plan.current().countries for g in plan.current().working_groups]
    folder = ws.templates_dir(period) if ws else None
    if folder and folder.is_dir():
        made = [(c, g) for c, g in every if (folder / c / file_name(period, g, c)).exists()]
        if made:
            return made
    return every


def judge_proposals(ws, plan: Plan, returns: list, period: str, lang: str = "en") -> ProposalResult:
    proposals, rejected = frames(period, returns, plan, lang)
    dues = [r.due_date for r in returns if is_proposal(r, period) and r.due_date]
    return ProposalResult(period, returns, proposals, rejected, expected_pairs(ws, plan, period),
                          max(dues) if dues else None)
