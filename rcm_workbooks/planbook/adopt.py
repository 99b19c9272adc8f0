"""`rcm plan adopt`: the proposals the Secretariat marked in an Activity Matrix round's workbook
become the working groups' priority activities.

A group with at least one marked proposal gets exactly the marked ones (at most 3, Strategic Plan
3.9: more are refused with the list); a group with none keeps its activities. A proposal that
keeps or changes a current priority activity keeps that activity's ref; a new one gets a ref no
activity of the group ever had (not in the plan, nor among the refs workbooks and the registry
carry), so reordering or replacing activities never shifts a ref. Every problem is found before
anything is written; the plan file is then written as `rcm plan import` writes it (atomically,
version raised, the previous file kept as a dated backup).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.cells import col_letter
from ..core.plan import MAX_PRIORITY_ACTIVITIES, Label, Plan, PriorityActivity, load_plan, next_ref
from ..core.plan_words import each
from ..core.texts import ACT_OUT
from ..intake.values import norm
from .sheets import TRUE_WORDS, PlanWorkbookError, Problem, Rule
from .write import activity_refs

_DROP = {norm(ACT_OUT[lang]["drop"]) for lang in ACT_OUT}
_PAIRS = (("activity", "activity"), ("results", "expected_results"), ("indicators", "indicators"))


@dataclass(frozen=True)
class Adopted:
    """What `adopt` did: the plan now in force, whether the file changed, and each group's
    priority activities as adopted."""

    plan: Plan
    changed: bool
    backup: Path | None = None
    groups: dict[str, tuple[PriorityActivity, ...]] = field(default_factory=dict)


class _Choosing:
    """One reading of the marked rows against the plan: the problems found so far."""

    def __init__(self, plan: Plan, book):
        self.plan, self.book = plan, book
        self.problems: list[Problem] = []
        self.index = _index(plan)

    def add(self, rule: Rule, row=None, key: str = "", **params) -> None:
        cell = f"{col_letter(self.book.columns[key])}{row.number}" if row is not None and key in self.book.columns else ""
        self.problems.append(Problem(rule, self.book.sheet, cell, params))

    def code(self, row, key: str, kind: str, pillar: str = "", required: bool = True) -> str:
        """The plan code a cell names (code or label, either language); "" and a problem if none."""
        text = row.values.get(key, "")
        table = self.index[kind] if kind != "theme" else self.index["theme"].get(pillar, {})
        code = table.get(norm(text)) if text else None
        if code is None and (text or required):
            self.add(Rule.VALUE_UNKNOWN, row, key, value=text, allowed=", ".join(sorted(set(table.values()))))
        return code or ""


def _index(plan: Plan) -> dict:
    def spellings(items):
        return {norm(s): i.code for i in items for s in (i.code, i.label.en, i.label.es)}

    current = plan.current()
    return {"group": spellings(plan.working_groups), "pillar": spellings(current.pillars),
            "theme": {p.code: spellings(p.themes) | {norm(f"{p.code}/{t.code}"): t.code for t in p.themes}
                      for p in current.pillars},
            "responsible": spellings(current.responsible_parties), "deadline": spellings(current.deadlines)}


def chosen(plan: Plan, book) -> tuple[dict[str, list[tuple]], list[Problem]]:
    """The marked proposals by group code: (row, PriorityActivity without its new ref); and every
    problem of the marks."""
    c = _Choosing(plan, book)
    marked = [r for r in book.rows if norm(r.values.get("adopt", "")) in TRUE_WORDS]
    if not marked:
        heading = ACT_OUT.get(book.meta.get("language", "en"), ACT_OUT["en"])["adopt"]
        return {}, [Problem(Rule.NOTHING_MARKED, book.sheet, "", {"heading": heading})]
    groups: dict[str, list[tuple]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in marked:
        v = row.values
        group = c.code(row, "working_group", "group")
        if norm(v.get("decision", "")) in _DROP:
            c.add(Rule.DROPPED_ADOPTED, row, "decision", value=v.get("ref", ""))
            continue
        for what in ("activity_no", "ref"):
            if group and v.get(what) and (group, v[what]) in seen:
                c.add(Rule.ADOPTED_TWICE, row, what, value=v[what], first=seen[(group, v[what])])
            elif group and v.get(what):
                seen[(group, v[what])] = row.number
        pillar = c.code(row, "pillar", "pillar")
        theme = c.code(row, "theme", "theme", pillar) if pillar else ""
        coded = {k: c.code(row, k, k, required=False) for k in ("responsible", "deadline")}
        labels = {}
        for key, name in _PAIRS:
            en, es = v.get(f"{key}_en", ""), v.get(f"{key}_es", "")
            for lang, text in (("en", en), ("es", es)):
                if not text and (key == "activity" or en or es):
                    c.add(Rule.TRANSLATION_MISSING, row, f"{key}_{lang}", language=each(f"lang.{lang}"))
            labels[name] = Label(en, es)
        if group:
            groups.setdefault(group, []).append((row, PriorityActivity(
                pillar, theme, labels["activity"], labels["expected_results"], labels["indicators"],
                v.get("ref", "").upper(), **coded)))
    for group, items in groups.items():
        _alike(c, items)
        if len(items) > MAX_PRIORITY_ACTIVITIES:
            c.add(Rule.TOO_MANY_ADOPTED, items[0][0], "adopt", value=group, count=len(items),
                  rows=", ".join(str(r.number) for r, _ in items), limit=MAX_PRIORITY_ACTIVITIES)
    return groups, c.problems


def _alike(c: _Choosing, items: list[tuple]) -> None:
    """A problem for each adopted proposal that is the same activity as an earlier one of its group
    (same theme, nearly the same text in either language), as the round counts proposals together:
    the Spanish and English proposals of one activity get two activity numbers until both
    languages are filled, and adopting both would put the activity twice in the plan."""
    from ..intake.proposals import similar

    for i, (row, act) in enumerate(items):
        number = row.values.get("activity_no", "")  # one activity number twice is ADOPTED_TWICE already
        first = next((r for r, a in items[:i] if (a.pillar, a.theme) == (act.pillar, act.theme) and
                      r.values.get("activity_no", "") != number and
                      (similar(a.activity.en, act.activity.en) or similar(a.activity.es, act.activity.es))), None)
        if first is not None:
            c.add(Rule.ADOPTED_ALIKE, row, "activity_no", value=number,
                  first=first.number, other=first.values.get("activity_no", ""), at=row.number)


def with_refs(plan: Plan, groups: dict[str, list[tuple]], taken: set[tuple[str, str]]) -> Plan:
    """The plan whose groups in `groups` have the adopted activities: a current activity's ref kept,
    a new one given the next ref the group never had."""
    new_groups = []
    for g in plan.working_groups:
        if g.code not in groups:
            new_groups.append(g)
            continue
        mine = {a.ref for a in g.priority_activities}
        # A proposal already adopted (the same file adopted again) is the activity it became.
        same = {(a.pillar, a.theme, a.activity): a.ref for a in g.priority_activities}
        used = mine | {ref for code, ref in taken if code == g.code}
        acts, given = [], set()
        for _row, act in groups[g.code]:
            ref = act.ref if act.ref in mine else same.get((act.pillar, act.theme, act.activity), "")
            if not ref or ref in given:
                ref = next_ref(used)
            used.add(ref)
            given.add(ref)
            acts.append(replace(act, ref=ref))
        new_groups.append(replace(g, priority_activities=tuple(acts)))
    return replace(plan, working_groups=tuple(new_groups))


def adopt(plan_path: Path, source: bytes | str | Path, in_use: Iterable[tuple[str, str]] = (),
          now: dt.datetime | None = None) -> Adopted:
    """Make the marked proposals of an activities workbook the groups' priority activities; raise
    PlanWorkbookError with every problem (the plan file untouched), else write the plan when it
    changed. `in_use`: codes in use (planbook.in_use), whose activity refs are never given again."""
    from ..core.plan_yaml import save_plan
    from ..intake.adoptbook import NotABook, read_book
    from ..intake.reader import ReadFailure
    from .read import _unreadable

    current = load_plan(plan_path)
    try:
        book = read_book(source if isinstance(source, (bytes, bytearray)) else Path(source))
    except ReadFailure as exc:
        raise PlanWorkbookError([_unreadable(exc.code, exc.params)]) from None
    except OSError as exc:
        raise PlanWorkbookError([Problem(Rule.FILE_UNREADABLE, "", "", {"detail": f"{exc.strerror or exc}."})]) from None
    except NotABook:
        raise PlanWorkbookError([Problem(Rule.NOT_ACTIVITIES)]) from None
    if book.meta.get("plan_id") != current.id:
        raise PlanWorkbookError([Problem(Rule.OTHER_PLAN, "", "", {"found": book.meta.get("plan_id", ""),
                                                                   "expected": current.id})])
    groups, problems = chosen(current, book)
    if problems:
        raise PlanWorkbookError(problems)
    new = with_refs(current, groups, activity_refs(in_use))
    adopted = {g.code: g.priority_activities for g in new.working_groups if g.code in groups}
    if new == current:
        return Adopted(current, False, None, adopted)
    _loads(new, plan_path)
    saved, backup = save_plan(Path(plan_path), new, now=now)
    return Adopted(saved, True, backup, adopted)


def _loads(new: Plan, plan_path) -> None:
    """Refuse, as a problem of the workbook, a new plan that would not load back (the plan file
    untouched): adopt never writes a plan that the next command cannot read."""
    from ..core.plan import PlanError, parse_plan
    from ..core.plan_yaml import dump_plan

    try:
        parse_plan(dump_plan(new), str(plan_path))
    except PlanError as exc:
        raise PlanWorkbookError([Problem(Rule.PLAN_INVALID, "", "", {"detail": "; ".join(exc.problems)})]) from None
