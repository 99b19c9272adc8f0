"""The annual report draft (Strategic Plan 4.2 a-c) as a Word document, from the registry.

`report_data(db, plan, year)` gathers the numbers and texts; `write_report(path, data, plan, lang)`
writes the .docx with python-docx: a title page, a table of contents, the counts as tables, each
working group's activities, work and next steps as one compact table, the returns of each period
and two native Word charts (registry.document makes the tables and charts). The page is Letter,
as the member countries print it; the workbooks are set to A4, and print one page wide on Letter
too.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import write_atomic
from ..core.periods import period_sort_key
from ..core.plan import Plan
from ..core.texts import REPORT, format_date, period_words
from ..core.verdicts import Verdict
from .document import (
    Column,
    Sub,
    TableSpec,
    add_chart,
    add_table,
    chart_parts,
    page_field,
    schema_valid_zoom,
    table_of_contents,
    update_fields_on_open,
)
from .priorities import write_priorities

CATEGORIES = ("achieved", "in_process", "pending")

@dataclass
class ReportData:
    year: int
    periods: list[str]
    activities: list[dict]  # one per ref: its row of the latest period of the year, plus "category"
    by_group: dict[str, dict[str, int]]  # group -> category -> count (+ total)
    by_pillar: dict[str, dict[str, int]]
    per_period: dict[str, dict[str, int]]  # period -> category -> count
    work: list[dict]  # every row of the year with progress text
    returns: dict[str, dict[tuple[str, str], str]]  # period -> (country, group) -> received|rejected|missing
    expected: list[tuple[str, str]] = field(default_factory=list)


def _year_of(period: str) -> int:
    return int(period.split("-")[0])


def report_data(db, plan: Plan, year: int) -> ReportData:
    from .store import StatusInfo, periods

    info = StatusInfo.of(plan)
    year_periods = [p for p in periods(db) if _year_of(p) == year]
    rows = []
    if year_periods:
        marks = ", ".join("?" for _ in year_periods)
        rows = [dict(r) for r in db.q(f"SELECT * FROM rows WHERE current = 1 AND period IN ({marks})", *year_periods)]
    rows.sort(key=lambda r: (period_sort_key(r["period"]), r["ref"]))
    latest: dict[str, dict] = {}
    for r in rows:
        latest[r["ref"]] = r  # rows are in period order: the last one wins
    activities = []
    for ref in sorted(latest):
        a = dict(latest[ref])
        a["category"] = info.category(a["status"])
        activities.append(a)

    def count(key):
        out: dict[str, dict[str, int]] = {}
        for a in activities:
            c = out.setdefault(a[key], {k: 0 for k in (*CATEGORIES, "total")})
            c[a["category"]] += 1
            c["total"] += 1
        return out

    per_period = {}
    for p in year_periods:
        c = {k: 0 for k in (*CATEGORIES, "total")}
        for r in rows:
            if r["period"] == p:
                c[info.category(r["status"])] += 1
                c["total"] += 1
        per_period[p] = c

    offered = plan.current()  # retired groups and countries are no longer expected
    expected = [(c.code, g.code) for c in offered.countries for g in offered.working_groups]
    returns = {}
    for p in year_periods:
        state = {k: "missing" for k in expected}
        for f in db.q("SELECT DISTINCT country, grp, verdict FROM files WHERE period = ?", p):
            key = (f["country"], f["grp"])
            if f["verdict"] == Verdict.REJECTED and state.get(key) == "missing":
                state[key] = "rejected"
        for s in db.q("SELECT country, grp FROM standing WHERE period = ?", p):
            state[(s["country"], s["grp"])] = "received"
        returns[p] = state

    work = [r for r in rows if r["progress"].strip()]
    return ReportData(year, year_periods, activities, count("grp"), count("pillar"), per_period, work, returns,
                      expected)


# --- the document ----------------------------------------------------------------------------

COLOURS = ("#2E7D32", "#F5A623", "#9E9E9E")  # achieved, in process, pending
REF, COUNTRY, PERIOD = 3.3, 2.7, 2.6  # column widths (cm) of the lists (a period in words); the text takes the rest
WIDTH = 17.4  # the text's width on Letter with 2.1 cm margins


def _group_label(plan: Plan, code: str, lang: str) -> str:
    g = plan.group(code)
    return g.label(lang) if g else code


def _pillar_label(plan: Plan, code: str, lang: str) -> str:
    p = plan.pillar(code)
    return p.label(lang) if p else (code or "—")


def _country_label(plan: Plan, code: str, lang: str) -> str:
    c = plan.country(code)
    return c.label(lang) if c else code


def _order(plan: Plan, kind: str, codes) -> list[str]:
    known = [g.code for g in plan.working_groups] if kind == "group" else [p.code for p in plan.pillars]
    return [c for c in known if c in codes] + sorted(c for c in codes if c not in known)


def write_report(path: Path, data: ReportData, plan: Plan, lang: str = "en") -> Path:
    """Write the report draft to `path` (atomically) and return it."""
    from docx import Document

    lang = lang if lang in REPORT else "en"
    doc = Document()
    schema_valid_zoom(doc)
    update_fields_on_open(doc)
    doc.core_properties.title = REPORT[lang]["title"].format(year=data.year)
    doc.core_properties.author = plan.organization(lang) or plan.title(lang)
    w = _Writer(doc, data, plan, lang)
    w.page_setup()
    w.title_page()
    contents = w.contents_heading()
    w.commitments()
    write_priorities(w)
    w.work_carried_out()
    w.next_steps()
    w.returns_record()
    w.charts()
    w.contents(contents)
    buf = io.BytesIO()
    doc.save(buf)
    path = Path(path)
    write_atomic(path, buf.getvalue())
    return path


class _Writer:
    """The sections of the report, written one after another into one document."""

    def __init__(self, doc, data: ReportData, plan: Plan, lang: str):
        self.doc, self.data, self.plan, self.lang = doc, data, plan, lang
        self.t = REPORT[lang]
        self.outline: list[tuple[int, str]] = []  # the headings, for the table of contents

    def heading(self, text: str, level: int):
        self.outline.append((level, text))
        return self.doc.add_heading(text, level=level)

    def centered(self, text: str):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    def small(self, text: str):
        from docx.shared import Pt

        para = self.doc.add_paragraph()
        para.add_run(text).font.size = Pt(9)
        return para

    def page_setup(self) -> None:
        """Letter, 2.1 cm margins; the title and the page number in the footer."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.59), Cm(27.94)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.1))
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        para = section.footer.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(self.t["title"].format(year=self.data.year) + " · ").font.size = Pt(8)
        page_field(para, Pt(8))

    def title_page(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        doc, t, plan, lang, data = self.doc, self.t, self.plan, self.lang, self.data
        for _ in range(6):
            doc.add_paragraph()
        self.centered(plan.organization(lang) or plan.title(lang))
        h = doc.add_heading(t["title"].format(year=data.year), level=0)
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.centered(plan.title(lang))
        self.centered(t["subtitle"])
        periods = ", ".join(period_words(p, lang) for p in data.periods)
        self.centered("").add_run(t["generated"].format(date=format_date(dt.date.today(), lang),
                                                        periods=periods or t["no_periods"]))
        doc.add_page_break()
        doc.add_paragraph(t["intro"])
        if not data.activities:
            doc.add_paragraph(t["empty"].format(year=data.year))

    def contents_heading(self):
        """The heading of the table of contents; its entries go under it once the sections are written."""
        return self.doc.add_paragraph(self.t["contents"], style="TOC Heading")

    def contents(self, heading) -> None:
        """The table of contents under `heading`, then a page break before a)."""
        body = self.doc.element.body
        before = set(body)  # lxml keeps one proxy per element while a reference to it lives
        table_of_contents(self.doc, [(level, text) for level, text in self.outline if level <= 2])
        self.doc.add_page_break()
        anchor = heading._p
        for element in [e for e in body if e not in before]:
            anchor.addnext(element)
            anchor = element

    def count_table(self, kind: str, counts: dict, label) -> None:
        t, plan = self.t, self.plan
        cats = (*CATEGORIES, "total")
        columns = [Column(t["group"] if kind == "group" else t["pillar"], WIDTH - 4 * 2.8)]
        columns += [Column(t[c], 2.8, number=True) for c in cats]
        totals = dict.fromkeys(cats, 0)
        rows = []
        for k in _order(plan, kind, counts):
            rows.append([label(plan, k, self.lang)] + [str(counts[k][c]) for c in cats])
            for c in cats:
                totals[c] += counts[k][c]
        add_table(self.doc, TableSpec(columns, rows, total=[t["total"]] + [str(totals[c]) for c in cats]))

    def commitments(self) -> None:
        """a) the counts by working group and by pillar, then each group's activities as one table."""
        t, plan, lang, data = self.t, self.plan, self.lang, self.data
        self.heading(t["a"], 1)
        for title, kind, counts, label in ((t["by_group"], "group", data.by_group, _group_label),
                                           (t["by_pillar"], "pillar", data.by_pillar, _pillar_label)):
            self.heading(title, 2)
            self.count_table(kind, counts, label)
        self.small(t["pending_note"])
        columns = [Column(t["ref"], REF), Column(t["country"], COUNTRY),
                   Column(t["activity"], WIDTH - REF - COUNTRY - PERIOD - 2.3), Column(t["status"], 2.3),
                   Column(t["period"], PERIOD)]
        rank = {c: i for i, c in enumerate(CATEGORIES)}
        for g in _order(plan, "group", {a["grp"] for a in data.activities}):
            self.heading(_group_label(plan, g, lang), 2)
            mine = sorted((a for a in data.activities if a["grp"] == g),
                          key=lambda a: (rank[a["category"]], a["country"], a["ref"]))
            rows = [[a["ref"], _country_label(plan, a["country"], lang), " ".join(a["activity"].split()),
                     self.status_label(a["status"]), period_words(a["period"], lang)] for a in mine]
            add_table(self.doc, TableSpec(columns, rows, font_pt=9))

    def status_label(self, code: str) -> str:
        """An activity's status as the plan and the workbooks name it (one status, not a category)."""
        return self.plan.label_of("status", code, self.lang) if code else self.t["no_status"]

    def by_pillar(self, items: list[dict], cells) -> list:
        """Rows of `items` under their pillar's sub-heading, pillars in plan order."""
        rows: list = []
        for pcode in _order(self.plan, "pillar", {r["pillar"] for r in items}):
            rows.append(Sub(_pillar_label(self.plan, pcode, self.lang)))
            rows.extend(cells(r) for r in items if r["pillar"] == pcode)
        return rows

    def work_carried_out(self) -> None:
        """b) the work carried out: a table per working group, its pillars as sub-headings."""
        t, plan, lang, data = self.t, self.plan, self.lang, self.data
        self.heading(t["b"], 1)
        if not data.work:
            self.doc.add_paragraph(t["no_progress"])
        columns = [Column(t["ref"], REF), Column(t["country"], COUNTRY), Column(t["period"], PERIOD),
                   Column(t["work"], WIDTH - REF - COUNTRY - PERIOD)]
        for g in _order(plan, "group", {r["grp"] for r in data.work}):
            self.heading(_group_label(plan, g, lang), 2)
            mine = sorted((r for r in data.work if r["grp"] == g), key=lambda r: (r["ref"], period_sort_key(r["period"])))
            rows = self.by_pillar(mine, lambda r: [r["ref"], _country_label(plan, r["country"], lang),
                                                   period_words(r["period"], lang), r["progress"].strip()])
            add_table(self.doc, TableSpec(columns, rows, font_pt=9))

    def next_steps(self) -> None:
        """c) recommendations and next steps: those of each activity's latest period of the year."""
        t, plan, lang = self.t, self.plan, self.lang
        self.heading(t["c"], 1)
        steps = [a for a in self.data.activities if a["next_steps"].strip()]
        if not steps:
            self.doc.add_paragraph(t["no_steps"])
        columns = [Column(t["ref"], REF), Column(t["country"], COUNTRY), Column(t["step"], WIDTH - REF - COUNTRY)]
        for g in _order(plan, "group", {a["grp"] for a in steps}):
            self.heading(_group_label(plan, g, lang), 2)
            rows = self.by_pillar([a for a in steps if a["grp"] == g],
                                  lambda a: [a["ref"], _country_label(plan, a["country"], lang), a["next_steps"].strip()])
            add_table(self.doc, TableSpec(columns, rows, font_pt=9))

    def returns_record(self) -> None:
        """Per period, country x working group: a mark per expected return, and who did not report."""
        doc, t, plan, lang, data = self.doc, self.t, self.plan, self.lang, self.data
        self.heading(t["returns"].format(year=data.year), 1)
        groups = [g.code for g in plan.current().working_groups]  # retired ones: not expected
        each = (WIDTH - 4.4) / max(1, len(groups))
        columns = [Column(t["country"], 4.4)] + [Column(_group_label(plan, g, lang), each, mark=True) for g in groups]
        for p in data.periods:
            state = data.returns[p]
            received = sum(1 for v in state.values() if v == "received")
            said = period_words(p, lang)
            doc.add_paragraph(t["period_returns"].format(period=said[:1].upper() + said[1:], received=received,
                                                         expected=len(state)))
            rows = [[c.label(lang)] + [t["mark_" + state.get((c.code, g), "missing")] for g in groups]
                    for c in plan.current().countries]
            add_table(doc, TableSpec(columns, rows, font_pt=9))
            self.small(t["marks"])
            missing = [f"{_country_label(plan, c, lang)} ({_group_label(plan, g, lang)})"
                       for (c, g), v in state.items() if v != "received"]
            doc.add_paragraph(t["not_reported"].format(who=", ".join(missing)) if missing else t["all_reported"])

    def charts(self) -> None:
        """Two native charts: the status by working group, and by period, with labels in `lang`."""
        t, data, plan, lang = self.t, self.data, self.plan, self.lang
        self.heading(t["charts"], 1)
        names = [t[c] for c in CATEGORIES]
        gkeys = _order(plan, "group", data.by_group) or [g.code for g in plan.working_groups]
        series = [(names[i], [data.by_group.get(g, {}).get(c, 0) for g in gkeys], COLOURS[i])
                  for i, c in enumerate(CATEGORIES)]
        xml, book = chart_parts(t["chart_groups_title"], [_group_label(plan, g, lang) for g in gkeys], series, True)
        add_chart(self.doc, 1, xml, book, 16, 9)
        self.doc.add_paragraph(t["chart_groups"])
        periods = data.periods or ["—"]
        series = [(names[i], [data.per_period.get(p, {}).get(c, 0) for p in periods], COLOURS[i])
                  for i, c in enumerate(CATEGORIES)]
        xml, book = chart_parts(t["chart_periods_title"], [period_words(p, lang) for p in periods], series, False)
        add_chart(self.doc, 2, xml, book, 16, 8)
        self.doc.add_paragraph(t["chart_periods"])
