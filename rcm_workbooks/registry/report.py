"""The annual report draft (Strategic Plan 4.2 a-c) as a Word document, from the registry.

`report_data(db, plan, year)` gathers the numbers and texts; `write_report(path, data, plan, lang)`
writes the .docx with python-docx; charts are PNG pictures drawn here with zlib (no matplotlib).
"""
from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import write_atomic
from ..core.periods import period_sort_key
from ..core.plan import Plan
from ..core.texts import REPORT
from ..core.verdicts import Verdict

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

    expected = [(c.code, g.code) for c in plan.countries for g in plan.working_groups]
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


def _schema_valid_zoom(doc) -> None:
    """python-docx's default template has <w:zoom w:val="bestFit"/> without the w:percent that
    ECMA-376 requires (CT_Zoom); strict readers reject the settings part without it."""
    from docx.oxml.ns import qn

    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")


def write_report(path: Path, data: ReportData, plan: Plan, lang: str = "en") -> Path:
    """Write the report draft to `path` (atomically) and return it."""
    from docx import Document

    lang = lang if lang in REPORT else "en"
    doc = Document()
    _schema_valid_zoom(doc)
    doc.core_properties.title = REPORT[lang]["title"].format(year=data.year)
    doc.core_properties.author = plan.organization(lang) or plan.title(lang)
    w = _Writer(doc, data, plan, lang)
    w.title_page()
    w.commitments()
    w.work_carried_out()
    w.next_steps()
    w.returns_record()
    w.charts()
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
        self.bullet_id = doc.styles["List Bullet"].style_id

    def bullet(self, text: str = ""):
        # Setting the style id directly: python-docx's style setter scans every style per paragraph.
        para = self.doc.add_paragraph(text)
        para._p.style = self.bullet_id
        return para

    def centered(self, text: str):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    def title_page(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        doc, t, plan, lang, data = self.doc, self.t, self.plan, self.lang, self.data
        for _ in range(6):
            doc.add_paragraph()
        self.centered(plan.organization(lang) or plan.title(lang))
        h = doc.add_heading(t["title"].format(year=data.year), level=0)
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.centered(plan.title(lang))
        self.centered(t["subtitle"])
        p = self.centered(t["generated"].format(date=dt.date.today().isoformat(),
                                                periods=", ".join(data.periods) or t["no_periods"]))
        p.runs[0].font.size = Pt(9)
        doc.add_page_break()
        doc.add_paragraph(t["intro"])
        if not data.activities:
            doc.add_paragraph(t["empty"].format(year=data.year))

    def commitments(self) -> None:
        """a) the counts by working group and by pillar, then each group's activities by category."""
        from docx.shared import Pt

        doc, t, plan, lang, data = self.doc, self.t, self.plan, self.lang, self.data
        doc.add_heading(t["a"], level=1)
        for title, kind, counts, label in ((t["by_group"], "group", data.by_group, _group_label),
                                           (t["by_pillar"], "pillar", data.by_pillar, _pillar_label)):
            doc.add_heading(title, level=2)
            self.count_table(kind, counts, label)
        doc.add_paragraph(t["pending_note"]).runs[0].font.size = Pt(9)
        for g in _order(plan, "group", {a["grp"] for a in data.activities}):
            for cat in CATEGORIES:
                items = [a for a in data.activities if a["grp"] == g and a["category"] == cat]
                doc.add_heading(t["list_title"].format(group=_group_label(plan, g, lang), category=t[cat]), level=3)
                if not items:
                    doc.add_paragraph(t["none"])
                for a in items:
                    self.bullet(f"{a['ref']} — {' '.join(a['activity'].split())} "
                                f"({_country_label(plan, a['country'], lang)}, {a['period']})")

    def count_table(self, kind: str, counts: dict, label) -> None:
        t, plan = self.t, self.plan
        table = self.doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        head = table.rows[0].cells
        head[0].text = t["group"] if kind == "group" else t["pillar"]
        for i, c in enumerate([t["achieved"], t["in_process"], t["pending"], t["total"]], 1):
            head[i].text = c
        totals = {k: 0 for k in (*CATEGORIES, "total")}
        for k in _order(plan, kind, counts):
            cells = table.add_row().cells
            cells[0].text = label(plan, k, self.lang)
            for i, cat in enumerate((*CATEGORIES, "total"), 1):
                cells[i].text = str(counts[k][cat])
                totals[cat] += counts[k][cat]
        cells = table.add_row().cells
        cells[0].text = t["total"]
        for i, cat in enumerate((*CATEGORIES, "total"), 1):
            cells[i].text = str(totals[cat])

    def work_carried_out(self) -> None:
        """b) the work carried out, by working group and pillar."""
        doc, plan, lang, data = self.doc, self.plan, self.lang, self.data
        doc.add_heading(self.t["b"], level=1)
        if not data.work:
            doc.add_paragraph(self.t["no_progress"])
        for g in _order(plan, "group", {r["grp"] for r in data.work}):
            doc.add_heading(_group_label(plan, g, lang), level=2)
            mine = [r for r in data.work if r["grp"] == g]
            for pcode in _order(plan, "pillar", {r["pillar"] for r in mine}):
                doc.add_heading(_pillar_label(plan, pcode, lang), level=3)
                for r in sorted((r for r in mine if r["pillar"] == pcode),
                                key=lambda r: (r["ref"], period_sort_key(r["period"]))):
                    para = self.bullet()
                    para.add_run(f"{r['ref']} ({_country_label(plan, r['country'], lang)}, {r['period']}): ").bold = True
                    para.add_run(r["progress"].strip())

    def next_steps(self) -> None:
        """c) recommendations and next steps: those of each activity's latest period of the year."""
        doc, plan, lang = self.doc, self.plan, self.lang
        doc.add_heading(self.t["c"], level=1)
        steps = [a for a in self.data.activities if a["next_steps"].strip()]
        if not steps:
            doc.add_paragraph(self.t["no_steps"])
        for g in _order(plan, "group", {a["grp"] for a in steps}):
            doc.add_heading(_group_label(plan, g, lang), level=2)
            mine = [a for a in steps if a["grp"] == g]
            for pcode in _order(plan, "pillar", {a["pillar"] for a in mine}):
                doc.add_heading(_pillar_label(plan, pcode, lang), level=3)
                for a in (a for a in mine if a["pillar"] == pcode):
                    para = self.bullet()
                    para.add_run(f"{a['ref']} ({_country_label(plan, a['country'], lang)}): ").bold = True
                    para.add_run(a["next_steps"].strip())

    def returns_record(self) -> None:
        doc, t, plan, lang, data = self.doc, self.t, self.plan, self.lang, self.data
        doc.add_heading(t["returns"].format(year=data.year), level=1)
        groups = [g.code for g in plan.working_groups]
        for p in data.periods:
            state = data.returns[p]
            received = sum(1 for v in state.values() if v == "received")
            doc.add_paragraph(t["period_returns"].format(period=p, received=received, expected=len(state)))
            table = doc.add_table(rows=1, cols=1 + len(groups))
            table.style = "Table Grid"
            table.rows[0].cells[0].text = t["country"]
            for i, g in enumerate(groups, 1):
                table.rows[0].cells[i].text = g
            for c in plan.countries:
                cells = table.add_row().cells
                cells[0].text = c.label(lang)
                for i, g in enumerate(groups, 1):
                    cells[i].text = t[state.get((c.code, g), "missing")]
            missing = [f"{_country_label(plan, c, lang)} ({g})" for (c, g), v in state.items() if v != "received"]
            doc.add_paragraph(t["not_reported"].format(who=", ".join(missing)) if missing else t["all_reported"])

    def charts(self) -> None:
        from docx.shared import Cm

        doc, t, data = self.doc, self.t, self.data
        doc.add_heading(t["charts"], level=1)
        gkeys = _order(self.plan, "group", data.by_group) or [g.code for g in self.plan.working_groups]
        png = bar_chart([(g, [data.by_group.get(g, {}).get(c, 0) for c in CATEGORIES]) for g in gkeys], stacked=True)
        doc.add_picture(io.BytesIO(png), width=Cm(15))
        doc.add_paragraph(t["chart_groups"])
        png = bar_chart([(p, [data.per_period[p][c] for c in CATEGORIES]) for p in data.periods] or [("-", [0, 0, 0])],
                        stacked=False)
        doc.add_picture(io.BytesIO(png), width=Cm(15))
        doc.add_paragraph(t["chart_periods"])


# --- a small PNG bar chart, drawn with zlib only ---------------------------------------------

COLORS = [(0x2E, 0x7D, 0x32), (0xF5, 0xA6, 0x23), (0x9E, 0x9E, 0x9E)]  # achieved, in process, pending
_FONT = {  # 5x7 glyphs, one string of 5 bits per row
    "0": "01110 10001 10011 10101 11001 10001 01110", "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111", "3": "11110 00001 00001 01110 00001 00001 11110",
    "4": "00010 00110 01010 10010 11111 00010 00010", "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110", "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110", "9": "01110 10001 10001 01111 00001 00010 01100",
    "A": "01110 10001 10001 11111 10001 10001 10001", "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110", "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 10000 11110 10000 10000 11111", "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111", "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110", "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001", "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001", "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110", "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101", "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110", "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110", "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010", "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100", "Z": "11111 00001 00010 00100 01000 10000 11111",
    "-": "00000 00000 00000 11111 00000 00000 00000", "_": "00000 00000 00000 00000 00000 00000 11111",
    " ": "00000 00000 00000 00000 00000 00000 00000", "?": "01110 10001 00001 00010 00100 00000 00100",
}


class _Canvas:
    def __init__(self, width: int, height: int, bg=(255, 255, 255)):
        self.w, self.h = width, height
        self.px = [bytearray(bytes(bg) * width) for _ in range(height)]

    def rect(self, x0: int, y0: int, x1: int, y1: int, color) -> None:
        x0, x1 = max(0, min(x0, x1)), min(self.w, max(x0, x1))
        y0, y1 = max(0, min(y0, y1)), min(self.h, max(y0, y1))
        if x1 <= x0:
            return
        line = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            self.px[y][3 * x0:3 * x1] = line

    def text(self, x: int, y: int, s: str, color=(0x33, 0x33, 0x33), scale: int = 2) -> None:
        for ch in s.upper():
            glyph = _FONT.get(ch, _FONT["?"]).split()
            for gy, bits in enumerate(glyph):
                for gx, bit in enumerate(bits):
                    if bit == "1":
                        self.rect(x + gx * scale, y + gy * scale, x + (gx + 1) * scale, y + (gy + 1) * scale, color)
            x += 6 * scale

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self.px)

        def chunk(kind: bytes, body: bytes) -> bytes:
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def text_width(s: str, scale: int = 2) -> int:
    return len(s) * 6 * scale


def bar_chart(series: list[tuple[str, list[int]]], *, stacked: bool, width: int = 900, height: int = 420) -> bytes:
    """Bars per label, one colour per category (COLORS); values written on the bars; a PNG."""
    c = _Canvas(width, height)
    left, right, top, bottom = 60, 20, 34, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([sum(v) if stacked else max(v, default=0) for _, v in series] + [1])
    step, scale = 1, 1
    while step * 5 < peak:  # a round step: 1, 2, 5, 10, 20, 50, ...
        for m in (1, 2, 5):
            step = m * scale
            if step * 5 >= peak:
                break
        scale *= 10
    peak = step * 5
    for i in range(6):  # gridlines and the value axis
        y = top + plot_h - plot_h * i // 5
        c.rect(left, y, left + plot_w, y + 1, (0xDD, 0xDD, 0xDD))
        label = str(step * i)
        c.text(left - 8 - text_width(label), y - 7, label)
    c.rect(left, top, left + 2, top + plot_h + 1, (0x66, 0x66, 0x66))
    slot = plot_w // max(1, len(series))
    for i, (label, values) in enumerate(series):
        x0 = left + i * slot + slot // 6
        bw = slot * 2 // 3
        if stacked:
            base = 0
            for k, v in enumerate(values):
                y1 = top + plot_h - plot_h * base // peak
                y0 = top + plot_h - plot_h * (base + v) // peak
                c.rect(x0, y0, x0 + bw, y1, COLORS[k % len(COLORS)])
                if v and y1 - y0 >= 16:
                    c.text(x0 + bw // 2 - text_width(str(v)) // 2, (y0 + y1) // 2 - 7, str(v), (255, 255, 255))
                base += v
        else:
            each = bw // max(1, len(values))
            for k, v in enumerate(values):
                y0 = top + plot_h - plot_h * v // peak
                c.rect(x0 + k * each, y0, x0 + (k + 1) * each - 2, top + plot_h, COLORS[k % len(COLORS)])
                if v:
                    c.text(x0 + k * each + each // 2 - text_width(str(v)) // 2, y0 - 17, str(v))
        short = label[: max(1, slot // 12)]
        c.text(x0 + bw // 2 - text_width(short) // 2, top + plot_h + 12, short)
    return c.png()
