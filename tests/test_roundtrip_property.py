"""Round trip, as a property: generated template -> filled with random VALID values -> consolidate
-> the CSV holds exactly what was filled (codes in the coded columns, texts byte-equal).

Dropdown fields are typed the way people type them: the code, the English or the Spanish label,
in any case, with extra spaces, with or without accents (DESIGN.md section 7). Free text is any
unicode a spreadsheet cell can hold: accents, emoji, newlines, tabs, a leading "=", leading and
trailing spaces.

What is left out of the generated text, and why:
- C0 control characters other than tab and newline (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F),
  U+FFFE, U+FFFF and lone surrogates: XML 1.0 cannot hold them, so no xlsx can (openpyxl refuses
  them with IllegalCharacterError; Excel escapes them as _xHHHH_ only on its own writes).
- "\\r": an XML parser (Excel's included) turns CR and CRLF in text content into LF on load, and
  openpyxl, which stands in for Excel here, writes a CR unescaped; what a person "typed" would not
  survive Excel either. (The reader happens to keep it; that is not required.)
- "_xHHHH_" (e.g. "_x0041_"): OOXML's escape for characters; Excel writes a literal one as
  "_x005F_x0041_", openpyxl writes it as is, and a conforming reader decodes it. The filler, not
  the consolidator, would be at fault.
- Texts over 32,767 characters: a cell cannot hold them (that is the finding cell-too-long);
  texts here are short.
"""
from __future__ import annotations

import csv
import hashlib
import itertools
import random
import re
import unicodedata

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from rcm_workbooks.core.fields import (
    MACHINE_COLUMNS,  # noqa: E402
    TEXT_FIELDS,  # noqa: E402
)
from rcm_workbooks.core.texts import HEADERS
from rcm_workbooks.demo.fill import fill_workbook  # noqa: E402
from rcm_workbooks.round import consolidate as run_round  # noqa: E402
from rcm_workbooks.template.generate import generate  # noqa: E402
from rcm_workbooks.workspace import init_workspace  # noqa: E402

PERIOD = "2025-H1"
INPUT_ROWS = 8
GROUP = "PROT"
# GTM's templates are in Spanish, USA's in English.
COUNTRY_OF = {"es": "GTM", "en": "USA"}
_counter = itertools.count()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip")
    ws = init_workspace(root / "ws")
    plan = ws.load_plan()
    made = generate(ws, plan, PERIOD, groups=[GROUP], countries=list(COUNTRY_OF.values()), rows=INPUT_ROWS)
    tpl = {g.language: g for g in made}
    assert set(tpl) == {"es", "en"}, [(g.country, g.language) for g in made]
    return {"root": root, "ws": ws, "plan": plan, "tpl": tpl}


# --- strategies ----------------------------------------------------------------------------

_NOT_IN_XML = [chr(i) for i in range(0x20) if chr(i) not in "\t\n"] + ["\ufffe", "\uffff"]
_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")

text_chars = st.characters(exclude_categories=("Cs",), exclude_characters=_NOT_IN_XML)
TRICKY = ["=SUM(A1:A3)", "=1+1", "+34 600", "-", "@user", "'quoted", " ", "  lead", "trail  ", "a\nb", "a\tb",
          "0007", "1e5", "TRUE", "#N/A", "2025-01-31", "año niño ÁÉÍÓÚ ñ", "😀👍🏽", "\u200b", "\xa0", "\ufeffbom",
          "a\x7fb\x85c", "\u2028x", "ǅ ß ﬁ", "中文", "עברית"]


def _clean(s: str) -> bool:
    return not _OOXML_ESCAPE.search(s)


free_text = st.one_of(
    st.text(text_chars, max_size=40),
    st.tuples(st.sampled_from(["", "=", "= ", " ", "  ", "\n", "+", "@", "'"]),
              st.text(text_chars, max_size=30),
              st.sampled_from(["", " ", "  ", "\n", "\t"])).map("".join),
    st.sampled_from(TRICKY),
).filter(_clean)
# The activity is required: it must hold something besides white space.
activity_text = free_text.map(lambda s: s if s.strip() else s + "·")


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


@st.composite
def spelling(draw, code: str, label) -> str:
    """The code or a label in either language, as a person might type it."""
    which = draw(st.sampled_from(["code", "en", "es"]))
    text = {"code": code, "en": label.en, "es": label.es}[which]
    if draw(st.booleans()):
        text = _strip_accents(text)
    case = draw(st.sampled_from(["keep", "upper", "lower", "title", "random"]))
    if case == "random":
        rng = random.Random(draw(st.integers(0, 2**16)))
        text = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
    elif case != "keep":
        text = getattr(text, case)()
    if draw(st.booleans()):  # extra spaces inside
        text = re.sub(" ", lambda m: draw(st.sampled_from([" ", "  ", "   ", " \xa0"])), text)
    pad = st.sampled_from(["", " ", "  ", "\xa0", " \t"])
    return draw(pad) + text + draw(pad)


@st.composite
def valid_row(draw, plan):
    pillar = draw(st.sampled_from(plan.pillars))
    theme = draw(st.sampled_from(pillar.themes))
    status = draw(st.sampled_from(plan.statuses))
    responsible = draw(st.none() | st.sampled_from(plan.responsible_parties))
    deadline = draw(st.none() | st.sampled_from(plan.deadlines))
    typed = {
        "pillar": draw(spelling(pillar.code, pillar.label)),
        "theme": draw(spelling(theme.code, theme.label)),
        "status": draw(spelling(status.code, status.label)),
        "responsible": draw(spelling(responsible.code, responsible.label)) if responsible else "",
        "deadline": draw(spelling(deadline.code, deadline.label)) if deadline else "",
        "activity": draw(activity_text),
    }
    for f in TEXT_FIELDS:
        if f != "activity":
            typed[f] = draw(st.one_of(st.just(""), free_text))
    codes = {"pillar": pillar.code, "theme": theme.code, "status": status.code,
             "responsible": responsible.code if responsible else "", "deadline": deadline.code if deadline else ""}
    return typed, codes


@st.composite
def a_return(draw, plan):
    lang = draw(st.sampled_from(["es", "en"]))
    n = draw(st.integers(1, 5))
    positions = sorted(draw(st.lists(st.integers(0, INPUT_ROWS - 1), min_size=n, max_size=n, unique=True)))
    rows = [draw(valid_row(plan)) for _ in range(n)]
    name = draw(st.sampled_from(["RCM return.xlsx", "Matriz – versión final (2).xlsx", "x.xlsx", "año 😀.xlsx"]))
    return lang, positions, rows, name


# --- the property ---------------------------------------------------------------------------


def _roundtrip(world, lang, positions, rows, name):
    """Fill, consolidate into a folder of its own, return (csv header, csv rows, expected, result, dst)."""
    ws, plan = world["ws"], world["plan"]
    tpl = world["tpl"][lang]
    case = world["root"] / f"case{next(_counter)}"
    country = tpl.country
    dst = case / "inbox" / country / name
    first = int(tpl.meta["first_row"])
    filled = [{**typed, "row": first + pos} for pos, (typed, _) in zip(positions, rows)]
    fill_workbook(tpl.path, dst, filled)
    result = run_round(ws, plan, period=PERIOD, inbox=case / "inbox", out=case / "out",
                              db=case / "registry.sqlite", lock_wait=5)
    csv_path = case / "out" / PERIOD / f"consolidated_{PERIOD}.csv"
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        got = [dict(zip(header, r)) for r in reader]
    sha = hashlib.sha256(dst.read_bytes()).hexdigest()
    expected = []
    for pos, (typed, codes) in zip(positions, rows):
        rec = {"period": PERIOD, "working_group": GROUP, "country": country,
               "source_file": f"{country}/{name}", "source_sha256": sha}
        rec.update(codes)
        rec.update({f: typed[f] for f in TEXT_FIELDS})
        expected.append((first + pos, rec))
    return header, got, expected, result, case


def _check(world, lang, positions, rows, name):
    header, got, expected, result, case = _roundtrip(world, lang, positions, rows, name)
    assert header == MACHINE_COLUMNS
    summary = result.summary()
    assert (summary["files_seen"], summary["files_accepted"]) == (1, 1), summary["files"]
    assert (summary["rows_accepted"], summary["rows_rejected"]) == (len(rows), 0), [
        (f.code, f.cell, f.value) for r in result.files for f in r.all_findings()]
    assert summary["findings"]["error"] == 0 and summary["findings"]["warning"] == 0, [
        (f.code, f.cell, f.value) for r in result.files for f in r.all_findings()]
    assert result.exit_code == 0
    assert len(got) == len(expected)
    for (number, want), row in zip(expected, got):  # sorted by sheet row within the one file
        for key, value in want.items():
            assert row[key] == value, (number, key, row[key], value)
        assert row["ref"].strip(), f"row {number} has no ref"
    refs = [r["ref"] for r in got]
    assert len(set(refs)) == len(refs), refs
    # The consolidated workbook's Matrix holds the same texts, as text cells (never formulas).
    import openpyxl

    book = case / "out" / PERIOD / f"consolidated_{PERIOD}.xlsx"
    wb = openpyxl.load_workbook(book, read_only=True)
    cells = list(wb["Matrix"].iter_rows(min_row=1, max_row=len(expected) + 1))
    head = [c.value for c in cells[0]]
    for (number, want), line in zip(expected, cells[1:]):
        values = dict(zip(head, line))
        assert values["Source row"].value == number
        for f in TEXT_FIELDS:
            cell = values[HEADERS["en"][f]]
            shown = "" if cell.value is None else cell.value
            assert shown == want[f], (number, f, shown, want[f])
            if want[f]:
                assert cell.data_type == "s", (number, f, cell.data_type, want[f])
    wb.close()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_filled_values_come_back_exactly(world, data):
    lang, positions, rows, name = data.draw(a_return(world["plan"]))
    _check(world, lang, positions, rows, name)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_tricky_texts_come_back_exactly(world, lang):
    """Every tricky text at least once, whatever hypothesis draws."""
    plan = world["plan"]
    p = plan.pillars[0]
    t = p.themes[0]
    s = plan.statuses[-1]
    rows = []
    chunks = [TRICKY[i:i + 4] for i in range(0, len(TRICKY), 4)]
    for chunk in chunks:
        texts = (chunk + ["", "", "", ""])[:4]
        typed = {"pillar": "  " + p.label.es.upper() + " ", "theme": _strip_accents(t.label.es).lower(),
                 "status": f" {s.code.lower()} ", "responsible": "", "deadline": "",
                 "activity": "=" + (texts[0].strip() or "x"), "indicators": texts[1], "measured_by": texts[2],
                 "risks": texts[3], "progress": texts[0], "next_steps": "  " + texts[1] + "  "}
        rows.append((typed, {"pillar": p.code, "theme": t.code, "status": s.code, "responsible": "", "deadline": ""}))
    # Two batches: the template has INPUT_ROWS input rows.
    for i in range(0, len(rows), INPUT_ROWS):
        batch = rows[i:i + INPUT_ROWS]
        _check(world, lang, list(range(len(batch))), batch, "tricky.xlsx")


def test_every_spelling_is_unambiguous(world):
    """The property's premise: no code or label of one choice normalizes to another choice's."""
    from rcm_workbooks.intake.values import norm

    plan = world["plan"]
    lists = [plan.pillars, plan.statuses, plan.responsible_parties, plan.deadlines] + [p.themes for p in plan.pillars]
    for items in lists:
        seen = {}
        for c in items:
            for s in (c.code, c.label.en, c.label.es):
                assert seen.setdefault(norm(s), c.code) == c.code, (s, seen[norm(s)], c.code)
