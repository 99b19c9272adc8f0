"""The synthetic Activity Matrix round: focal points propose priority activities, the Secretariat
marks the ones to adopt.

- `proposal_rows(plan, group, country, language, rng)`: what one country proposes for a working
  group: its keep/change/drop of the group's current priority activities, and new proposals,
  often the same few activities other countries propose too (so they are counted together);
- `fill_proposals(templates, inbox, plan, ...)`: a whole round of returns into an inbox;
- `mark_adoptions(book, plan, ...)`: the Secretariat's marks in activities_<period>.xlsx, with the
  English or Spanish text each adopted proposal lacks, as a person would type them in Excel.
Deterministic for a given seed.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from ..core.plan import Plan
from ..core.texts import ACT_UI
from .answers import ACTIVITY_FORMS, AUDIENCES, GROUP_THEMES, INDICATORS, TOPICS

RESULTS = (
    ("Officials of every member country trained", "Funcionarios de todos los países miembros capacitados"),
    ("A regional protocol adopted", "Un protocolo regional adoptado"),
    ("Good practices documented and shared", "Buenas prácticas documentadas y compartidas"),
    ("Referral routes agreed between institutions", "Rutas de referencia acordadas entre instituciones"),
    ("Information exchanged regularly between member countries",
     "Información intercambiada con regularidad entre los países miembros"),
)
CANDIDATES = 5  # activities a working group's countries mostly choose from


def candidates(plan: Plan, group: str) -> list[dict]:
    """The few activities the countries of a group mostly propose, each in both languages."""
    rng = random.Random(f"candidates/{group}")
    fits = [(p, t) for p, t in GROUP_THEMES.get(group, ()) if plan.pillar(p) and plan.pillar(p).theme(t)]
    fits = fits or [(p.code, t.code) for p in plan.pillars for t in p.themes]
    topics = TOPICS.get(group) or tuple(x for v in TOPICS.values() for x in v)
    audiences = AUDIENCES.get(group) or tuple(x for v in AUDIENCES.values() for x in v)
    indicators = INDICATORS[""] + INDICATORS.get(group, ())
    numbers = {"n": 100, "k": 5, "p": 80, "m": 10}
    out = []
    for i in range(CANDIDATES):
        pillar, theme = fits[i % len(fits)]
        form, topic, audience = ACTIVITY_FORMS[rng.randrange(len(ACTIVITY_FORMS))], topics[i % len(topics)], \
            audiences[rng.randrange(len(audiences))]
        results, measures = rng.sample(RESULTS, 2), rng.sample(indicators, 2)
        texts = {lang: {"activity": form[k].format(topic=topic[k], audience=audience[k]),
                        "expected_results": "\n".join(r[k] for r in results),
                        "indicators": "\n".join(x[k].format(**numbers) for x in measures)}
                 for k, lang in enumerate(("en", "es"))}
        out.append({"pillar": pillar, "theme": theme, "texts": texts})
    return out


def proposal_rows(plan: Plan, group: str, country: str, language: str, rng: random.Random,
                  prefilled: list[int] = (), blank: int = 3) -> tuple[list[dict], dict[str, tuple[str, str]]]:
    """The rows one country types (labels in its language) and, for each text it typed, the text
    in both languages (en, es): what the Secretariat would write as the translation."""
    lang = "es" if language == "es" else "en"
    rows, both = [], {}
    for r in prefilled:  # keep most, change some, drop a few
        roll = rng.random()
        if roll < 0.15:
            rows.append({"row": r, "decision": ACT_UI[lang]["drop"]})
        elif roll < 0.35:
            pair = RESULTS[rng.randrange(len(RESULTS))]
            rows.append({"row": r, "expected_results": pair[0 if lang == "en" else 1]})
            both[pair[0 if lang == "en" else 1]] = pair
    pool = candidates(plan, group)
    weights = [CANDIDATES - i for i in range(CANDIDATES)]  # the first ones are the popular ones
    chosen = []
    for _ in range(rng.randint(1, blank)):
        pick = rng.choices(range(CANDIDATES), weights=weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    for pick in chosen:
        c = pool[pick]
        pillar = plan.pillar(c["pillar"])
        texts = c["texts"][lang]
        activity = texts["activity"] + ("." if rng.random() < 0.3 else "")  # nearly the same words
        rows.append({"pillar": pillar.label(lang), "theme": pillar.theme(c["theme"]).label(lang), "activity": activity,
                     "expected_results": texts["expected_results"], "indicators": texts["indicators"],
                     "responsible": plan.responsible_parties[0].label(lang),
                     "deadline": plan.deadlines[rng.randrange(len(plan.deadlines))].label(lang)})
        for key in ("activity", "expected_results", "indicators"):
            pair = (c["texts"]["en"][key], c["texts"]["es"][key])
            both[texts[key]] = both[activity if key == "activity" else texts[key]] = pair
    return rows, both


def fill_proposals(templates, inbox: Path, plan: Plan, *, seed: int = 0, saved_at: dt.datetime | None = None,
                   missing: float = 0.1, mistake_rate: float = 0.1) -> tuple[list[dict], dict]:
    """Fill a round of Activity Matrix templates into `inbox/<COUNTRY>/<name>`; return the manifest
    (one dict per file: path, country, group, rows) and every typed text in both languages."""
    from .fill import _Template

    rng = random.Random(f"fill_proposals/{seed}")
    templates = sorted((Path(t) for t in templates), key=lambda p: (p.parent.name, p.name))
    skip = set(rng.sample(range(len(templates)), round(len(templates) * missing)))
    manifest, translations = [], {}
    for g in plan.working_groups:  # a changed priority activity keeps the plan's words but one
        for act in g.priority_activities:
            for label in (act.activity, act.expected_results, act.indicators):
                translations[label.en] = translations[label.es] = (label.en, label.es)
    for i, src in enumerate(templates):
        if i in skip:
            continue
        tpl = _Template(src)
        meta = tpl.meta
        mine = random.Random(f"fill_proposals/{seed}/{src.name}")
        rows, both = proposal_rows(plan, meta["working_group"], meta["country"], tpl.language, mine,
                                   tpl.prefilled, len(tpl.input_rows))
        translations.update(both)
        new = [r for r in rows if "row" not in r]
        if new and mine.random() < mistake_rate:  # a theme of another pillar, picked by typing
            new[0]["theme"] = plan.pillars[0].themes[0].label(tpl.language) if new[0]["pillar"] != \
                plan.pillars[0].label(tpl.language) else plan.pillars[-1].themes[0].label(tpl.language)
        tpl.write(rows)
        dst = Path(inbox) / meta["country"] / src.name
        tpl.save(dst, saved_at)
        manifest.append({"path": dst, "country": meta["country"], "group": meta["working_group"], "rows": rows})
    return manifest, translations


def mark_adoptions(book: Path, translations: dict[str, tuple[str, str]], *, per_group: int = 3,
                   groups: set[str] | None = None) -> int:
    """Mark x on the most proposed activities of each working group (one proposal each, at most
    `per_group`), typing the missing language of each from `translations`; return how many."""
    import openpyxl

    from ..core.texts import ACT_OUT
    from ..intake.adoptbook import read_book

    found = read_book(Path(book))
    wb = openpyxl.load_workbook(book)
    ws = wb[found.sheet]
    done: dict[str, set[str]] = {}
    marked = 0
    drop = {ACT_OUT[lang]["drop"] for lang in ACT_OUT}
    for row in found.rows:  # the sheet lists the most proposed activities of each group first
        v = row.values
        group = v["working_group"]
        if v["decision"] in drop or (groups is not None and group not in groups):
            continue
        mine = done.setdefault(group, set())
        if v["activity_no"] in mine or len(mine) >= per_group:
            continue
        for key in ("activity", "results", "indicators"):
            en, es = v[f"{key}_en"], v[f"{key}_es"]
            pair = translations.get(en or es)
            if pair is not None:
                for side, text in zip(("en", "es"), pair):
                    ws.cell(row.number, found.columns[f"{key}_{side}"] + 1).value = text
        ws.cell(row.number, found.columns["adopt"] + 1).value = "x"
        mine.add(v["activity_no"])
        marked += 1
    wb.save(book)
    return marked
