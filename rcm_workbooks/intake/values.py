"""What a cell says, compared as people compare it: the text of a value, its normal form, and every
accepted spelling of a plan's codes."""
from __future__ import annotations

import datetime as dt

from ..core.plan import Plan
from ..core.spelling import norm  # the one rule, shared with the template's own check


def to_text(value) -> tuple[str, str | None]:
    """A cell value as the text the person saw, and what kind of non-text it was (if any)."""
    if value is None or value == "":
        return "", None
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), "boolean"
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)), "number"
    if isinstance(value, int):
        return str(value), "number"
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")), "date"
    if isinstance(value, dt.date):
        return value.isoformat(), "date"
    if isinstance(value, dt.time):
        return value.isoformat(), "time"
    return str(value), "value"


class Vocabulary:
    """Every accepted spelling of every coded value of a plan, normalized."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.pillars = self._index((p.code, p.label) for p in plan.pillars)
        self.themes = {p.code: self._index((t.code, t.label) for t in p.themes) for p in plan.pillars}
        for p in plan.pillars:  # "P1/T9" names a theme on its own
            for t in p.themes:
                self.themes[p.code][norm(f"{p.code}/{t.code}")] = t.code
        self.theme_anywhere: dict[str, list[tuple[str, str]]] = {}
        for p in plan.pillars:
            for t in p.themes:
                for key in (norm(t.label.en), norm(t.label.es), norm(f"{p.code}/{t.code}")):
                    self.theme_anywhere.setdefault(key, []).append((p.code, t.code))
        self.lists = {
            "responsible": self._index((c.code, c.label) for c in plan.responsible_parties),
            "deadline": self._index((c.code, c.label) for c in plan.deadlines),
            "status": self._index((c.code, c.label) for c in plan.statuses),
        }

    @staticmethod
    def _index(items) -> dict[str, str]:
        out = {}
        for code, label in items:
            for spelling in (code, label.en, label.es):
                out.setdefault(norm(spelling), code)
        return out

    def labels(self, field_name: str, lang: str, pillar: str | None = None) -> list[str]:
        plan = self.plan
        if field_name == "pillar":
            return [p.label(lang) for p in plan.pillars]
        if field_name == "theme":
            p = plan.pillar(pillar) if pillar else None
            return [t.label(lang) for t in p.themes] if p else []
        items = {"responsible": plan.responsible_parties, "deadline": plan.deadlines, "status": plan.statuses}
        return [c.label(lang) for c in items[field_name]]


_VOCABULARIES: dict[int, tuple[Plan, Vocabulary]] = {}


def vocabulary(plan: Plan) -> Vocabulary:
    """One Vocabulary per plan object. Keyed by identity: hashing a frozen plan walks all of it,
    which cost more than reading a small return."""
    hit = _VOCABULARIES.get(id(plan))
    if hit is None or hit[0] is not plan:
        if len(_VOCABULARIES) >= 8:
            _VOCABULARIES.clear()
        hit = _VOCABULARIES[id(plan)] = (plan, Vocabulary(plan))
    return hit[1]
