"""The plan: pillars, themes, working groups, countries and the coded lists, loaded from YAML.

Loading collects every problem it finds (with file, line and key) before giving up, so whoever
edits the plan fixes it in one pass rather than one error per run.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .plan_compose import compose

from .words import say

LANGUAGES = ("en", "es")
PLAN_SCHEMA = "rcm-plan/1"
MAX_PRIORITY_ACTIVITIES = 3  # Strategic Plan, section 3.9
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
DEFAULT_PLAN = Path(__file__).parent / "data" / "plan.yaml"


class PlanError(Exception):
    """A plan that cannot be used; `problems` lists every reason, each naming file, line and key."""

    def __init__(self, problems: list[str], syntax: dict | None = None):
        self.problems, self.syntax = problems, syntax  # syntax: where YAML itself failed (name, line, column)
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Label:
    en: str
    es: str

    def __call__(self, lang: str) -> str:
        return self.es if lang == "es" else self.en

    def to_dict(self) -> dict:
        return {"en": self.en, "es": self.es}


@dataclass(frozen=True)
class Choice:
    """One entry of a coded list (responsible party, status, deadline, working group)."""

    code: str
    label: Label
    done: bool = False
    retired: bool = False  # kept so old returns validate; left out of new templates' lists


@dataclass(frozen=True)
class Theme:
    pillar: str
    code: str
    label: Label
    retired: bool = False


@dataclass(frozen=True)
class Pillar:
    code: str
    label: Label
    themes: tuple[Theme, ...]
    retired: bool = False

    def theme(self, code: str) -> Theme | None:
        return next((t for t in self.themes if t.code == code), None)


@dataclass(frozen=True)
class PriorityActivity:
    """A priority activity (Strategic Plan 3.9). `ref` (P1, P2...) is its stable id in the group:
    templates show COUNTRY-GROUP-ref. Results and indicators may hold several lines."""

    pillar: str
    theme: str
    activity: Label
    expected_results: Label
    indicators: Label
    ref: str = ""
    responsible: str = ""
    deadline: str = ""

    def to_dict(self) -> dict:
        return {**({"ref": self.ref} if self.ref else {}), "pillar": self.pillar, "theme": self.theme,
                **{k: getattr(self, k).to_dict() for k in ("activity", "expected_results", "indicators")},
                **{k: getattr(self, k) for k in ("responsible", "deadline") if getattr(self, k)}}


@dataclass(frozen=True)
class WorkingGroup:
    code: str
    label: Label
    priority_activities: tuple[PriorityActivity, ...] = ()
    objective: Label = Label("", "")  # the group's specific objective (Strategic Plan 3.9); may be empty
    retired: bool = False


@dataclass(frozen=True)
class Country:
    code: str
    label: Label
    language: str
    retired: bool = False


@dataclass(frozen=True)
class Plan:
    id: str
    version: str
    title: Label
    organization: Label
    return_to: Label
    protection_password: str
    pillars: tuple[Pillar, ...]
    working_groups: tuple[WorkingGroup, ...]
    countries: tuple[Country, ...]
    responsible_parties: tuple[Choice, ...]
    statuses: tuple[Choice, ...]
    deadlines: tuple[Choice, ...]
    source: str = field(default="", compare=False)

    def pillar(self, code: str) -> Pillar | None:
        return next((p for p in self.pillars if p.code == code), None)

    def group(self, code: str) -> WorkingGroup | None:
        return next((g for g in self.working_groups if g.code == code), None)

    def country(self, code: str) -> Country | None:
        return next((c for c in self.countries if c.code == code), None)

    def label_of(self, field: str, code: str, lang: str, pillar: str | None = None) -> str:
        """The label of a coded value (a theme within its pillar); an unknown code shows as it is."""
        if field == "theme":
            p = self.pillar(pillar) if pillar else None
            item = p.theme(code) if p else None
        else:
            items = {"pillar": self.pillars, "working_group": self.working_groups, "country": self.countries,
                     "responsible": self.responsible_parties, "deadline": self.deadlines,
                     "status": self.statuses}[field]
            item = next((i for i in items if i.code == code), None)
        return item.label(lang) if item else str(code)

    def current(self) -> Plan:
        """The plan as new templates offer it: retired entries (and the themes of a retired pillar)
        left out. Returns are validated against the whole plan, so old codes stay valid."""
        def live(items):
            return tuple(i for i in items if not i.retired)

        return replace(
            self,
            pillars=tuple(replace(p, themes=live(p.themes)) for p in live(self.pillars)),
            working_groups=live(self.working_groups), countries=live(self.countries),
            responsible_parties=live(self.responsible_parties), statuses=live(self.statuses),
            deadlines=live(self.deadlines))

    def to_dict(self) -> dict:
        def retired(item) -> dict:
            return {"retired": True} if item.retired else {}

        def choices(items):
            return [{"code": c.code, "label": c.label.to_dict(), **retired(c)} for c in items]

        return {
            "id": self.id,
            "version": self.version,
            "title": self.title.to_dict(),
            "pillars": [
                {
                    "code": p.code,
                    "label": p.label.to_dict(),
                    "themes": [{"code": t.code, "label": t.label.to_dict(), **retired(t)} for t in p.themes],
                    **retired(p),
                }
                for p in self.pillars
            ],
            "working_groups": [
                {
                    "code": g.code,
                    "label": g.label.to_dict(),
                    **({"objective": g.objective.to_dict()} if g.objective.en or g.objective.es else {}),
                    "priority_activities": [a.to_dict() for a in g.priority_activities],
                    **retired(g),
                }
                for g in self.working_groups
            ],
            "countries": [
                {"code": c.code, "label": c.label.to_dict(), "language": c.language, **retired(c)}
                for c in self.countries
            ],
            "responsible_parties": choices(self.responsible_parties),
            "statuses": [
                {"code": s.code, "label": s.label.to_dict(), "done": s.done, **retired(s)} for s in self.statuses
            ],
            "deadlines": choices(self.deadlines),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


# --- loading -------------------------------------------------------------------------------


class _Doc:
    """YAML converted to Python with the line of every key kept, so messages can point at it."""

    def __init__(self, path: str):
        self.path = path
        self.lines: dict[str, int] = {}
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        # A missing key has no line of its own: point at the nearest block that should hold it.
        k, line = key, self.lines.get(key)
        while line is None and k:
            k = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", k)
            line = self.lines.get(k)
        where = f"{self.path}, line {line}" if line else self.path
        self.problems.append(f"{where}, key {key or '(top)'}: {message}")

    def convert(self, node, key: str = ""):
        self.lines.setdefault(key, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out = {}
            for k_node, v_node in node.value:
                k = str(self.convert(k_node, key + "#key"))
                sub = f"{key}.{k}" if key else k
                self.lines[sub] = k_node.start_mark.line + 1
                if k in out:
                    self.problem(sub, "this key appears twice in the same block; keep one")
                out[k] = self.convert(v_node, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(v, f"{key}[{i}]") for i, v in enumerate(node.value)]
        return yaml.SafeLoader.construct_object(_LOADER, node) if node.tag != "tag:yaml.org,2002:str" else node.value


_LOADER = yaml.SafeLoader("")


def load_plan(path: str | Path | None = None) -> Plan:
    """Load and validate a plan file; raise PlanError listing every problem."""
    path = Path(path) if path else DEFAULT_PLAN
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError([f"{name}: the plan file does not exist. Run `rcm init DIR` to make a workspace with the default plan."]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError([f"{name}: the plan file cannot be read ({exc}). Save it as UTF-8 text."]) from None
    return parse_plan(text, name)


def parse_plan(text: str, name: str = "plan.yaml") -> Plan:
    doc = _Doc(name)
    node, where = compose(text, name)
    if where is not None:  # the one problem there is: the YAML itself
        raise PlanError([say(where["word"], **where)], syntax=where)
    data = doc.convert(node) if node is not None else None
    if not isinstance(data, dict):
        raise PlanError([f"{name}: the plan must be a YAML mapping with keys id, version, pillars, ..."])
    plan = _build(data, doc)
    if doc.problems:
        raise PlanError(doc.problems)
    return plan


def _text(doc: _Doc, data: dict, key: str, path: str, required: bool = True) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            doc.problem(f"{path}.{key}" if path else key, "is missing or empty")
        return ""
    if isinstance(value, (dict, list)):
        doc.problem(f"{path}.{key}" if path else key, "must be a single text value")
        return ""
    return str(value).strip()


def _label(doc: _Doc, data: dict, key: str, path: str, required: bool = True, lines: bool = False) -> Label:
    where = f"{path}.{key}" if path else key
    value = data.get(key)
    if value is None:
        if required:
            doc.problem(where, f"is missing; give a label in every language ({', '.join(LANGUAGES)})")
        return Label("", "")
    if not isinstance(value, dict):
        doc.problem(where, f"must be a mapping with one label per language, e.g. {{en: ..., es: ...}}")
        return Label("", "")
    for lang in value:
        if lang not in LANGUAGES:
            doc.problem(f"{where}.{lang}", f"unknown language '{lang}'; use {' or '.join(LANGUAGES)}")
    texts = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if text is None or not str(text).strip():
            doc.problem(where, f"has no '{lang}' label; every label needs {' and '.join(LANGUAGES)}")
            texts[lang] = ""
        else:
            texts[lang] = tidy(str(text), lines)
    return Label(**texts)


def tidy(text: str, lines: bool = False) -> str:
    """Spaces collapsed; with `lines`, line breaks kept between non-empty lines (one expected result
    or indicator a line)."""
    if not lines:
        return " ".join(text.split())
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _list(doc: _Doc, data: dict, key: str, path: str = "", required: bool = True) -> list:
    where = f"{path}.{key}" if path else key
    value = data.get(key)
    if value is None:
        if required:
            doc.problem(where, "is missing; it must list at least one entry")
        return []
    if not isinstance(value, list):
        doc.problem(where, "must be a list (lines starting with '- ')")
        return []
    if required and not value:
        doc.problem(where, "is empty; it must list at least one entry")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            doc.problem(f"{where}[{i}]", "must be a mapping with code and label")
        else:
            out.append((f"{where}[{i}]", item))
    return out


def _code(doc: _Doc, item: dict, path: str, seen: dict, pattern=_CODE, what="code") -> str:
    code = _text(doc, item, "code", path)
    if code and not pattern.match(code):
        hint = "three capital letters (ISO 3166 alpha-3)" if pattern is _COUNTRY else "capital letters, digits and _ only, starting with a letter, at most 16"
        doc.problem(f"{path}.code", f"{what} '{code}' is not valid: use {hint}")
    if code in seen:
        doc.problem(f"{path}.code", f"duplicate {what} '{code}' (already used at {seen[code]}); codes must be unique")
    elif code:
        seen[code] = path
    return code


def _retired(doc: _Doc, item: dict, path: str) -> bool:
    value = item.get("retired", False)
    if not isinstance(value, bool):
        doc.problem(f"{path}.retired", "must be true or false")
        return False
    return value


def _choices(doc: _Doc, data: dict, key: str) -> tuple[Choice, ...]:
    seen: dict = {}
    out = []
    for path, item in _list(doc, data, key):
        code = _code(doc, item, path, seen)
        out.append(Choice(code, _label(doc, item, "label", path), bool(item.get("done", False)),
                          _retired(doc, item, path)))
    return tuple(out)


def _activities(doc: _Doc, item: dict, path: str, pillar_map: dict, lists: dict) -> tuple[PriorityActivity, ...]:
    """A group's priority activities; one without a `ref` gets one (free_refs)."""
    acts = _list(doc, item, "priority_activities", path, required=False)
    if len(acts) > MAX_PRIORITY_ACTIVITIES:
        doc.problem(f"{path}.priority_activities",
                    f"lists {len(acts)} priority activities; the Strategic Plan (3.9) allows at most {MAX_PRIORITY_ACTIVITIES}")
    given = [_text(doc, a, "ref", apath, required=False).upper() for apath, a in acts]
    refs = free_refs(given)
    seen: dict = {}
    out = []
    for (apath, a), ref in zip(acts, refs):
        if ref in seen:
            doc.problem(f"{apath}.ref", f"duplicate ref '{ref}' (already used at {seen[ref]}); refs must be unique in the group")
        elif ref and not _CODE.match(ref):
            doc.problem(f"{apath}.ref", f"ref '{ref}' is not valid: use capital letters, digits and _ only, starting with a letter")
        seen.setdefault(ref, apath)
        pcode, tcode = _text(doc, a, "pillar", apath), _text(doc, a, "theme", apath)
        pillar = pillar_map.get(pcode)
        if pcode and pillar is None:
            doc.problem(f"{apath}.pillar", f"unknown pillar '{pcode}'; use one of {', '.join(pillar_map)}")
        elif pillar and tcode and pillar.theme(tcode) is None:
            doc.problem(f"{apath}.theme", f"pillar {pcode} has no theme '{tcode}'; use one of {', '.join(t.code for t in pillar.themes)}")
        coded = {}
        for key, listed in (("responsible", "responsible_parties"), ("deadline", "deadlines")):
            coded[key] = _text(doc, a, key, apath, required=False)
            if coded[key] and coded[key] not in lists[listed]:
                doc.problem(f"{apath}.{key}", f"unknown {key} '{coded[key]}'; use one of {', '.join(sorted(lists[listed]))}")
        out.append(PriorityActivity(
            pcode, tcode, _label(doc, a, "activity", apath),
            _label(doc, a, "expected_results", apath, required=False, lines=True),
            _label(doc, a, "indicators", apath, required=False, lines=True), ref, **coded))
    return tuple(out)


def free_refs(given: list[str]) -> list[str]:
    """`given` with each empty ref filled: P<position> if free, else the next P number."""
    taken = {r for r in given if r}
    out = []
    for i, ref in enumerate(given, 1):
        if not ref:
            ref = f"P{i}" if f"P{i}" not in taken else next_ref(taken)
            taken.add(ref)
        out.append(ref)
    return out


def next_ref(taken) -> str:
    """The ref after every P<number> in `taken` (every ref the group ever used: none is reused)."""
    numbers = [int(r[1:]) for r in taken if re.fullmatch(r"P\d{1,6}", r)]
    return f"P{max(numbers, default=0) + 1}"


def _build(data: dict, doc: _Doc) -> Plan:
    schema = data.get("schema", PLAN_SCHEMA)
    if schema != PLAN_SCHEMA:
        doc.problem("schema", f"unknown plan schema '{schema}'; this version reads '{PLAN_SCHEMA}'")
    known = {"schema", "id", "version", "title", "organization", "return_to", "protection_password",
             "pillars", "working_groups", "countries", "responsible_parties", "statuses", "deadlines"}
    for key in data:
        if key not in known:
            doc.problem(key, f"unknown key; the plan accepts {', '.join(sorted(known))}")

    plan_id = _text(doc, data, "id", "")
    if plan_id and not re.match(r"^[A-Za-z0-9._-]{1,64}$", plan_id):
        doc.problem("id", "use letters, digits, '.', '_' and '-' only")

    pillars = []
    seen_p: dict = {}
    for path, item in _list(doc, data, "pillars"):
        pcode = _code(doc, item, path, seen_p, what="pillar code")
        seen_t: dict = {}
        themes = tuple(
            Theme(pcode, _code(doc, t, tpath, seen_t, what="theme code"), _label(doc, t, "label", tpath),
                  _retired(doc, t, tpath))
            for tpath, t in _list(doc, item, "themes", path)
        )
        pillars.append(Pillar(pcode, _label(doc, item, "label", path), themes, _retired(doc, item, path)))

    groups = []
    seen_g: dict = {}
    pillar_map = {p.code: p for p in pillars}
    lists = {key: {str(c.get("code", "")).strip() for c in data.get(key) or [] if isinstance(c, dict)}
             for key in ("responsible_parties", "deadlines")}
    for path, item in _list(doc, data, "working_groups"):
        gcode = _code(doc, item, path, seen_g, what="working group code")
        groups.append(WorkingGroup(gcode, _label(doc, item, "label", path),
                                   _activities(doc, item, path, pillar_map, lists),
                                   _label(doc, item, "objective", path, required=False), _retired(doc, item, path)))

    countries = []
    seen_c: dict = {}
    for path, item in _list(doc, data, "countries"):
        ccode = _code(doc, item, path, seen_c, pattern=_COUNTRY, what="country code")
        lang = _text(doc, item, "language", path)
        if lang and lang not in LANGUAGES:
            doc.problem(f"{path}.language", f"unknown language '{lang}'; use {' or '.join(LANGUAGES)}")
        countries.append(Country(ccode, _label(doc, item, "label", path), lang or "en", _retired(doc, item, path)))

    statuses = _choices(doc, data, "statuses")
    if statuses and not any(s.done for s in statuses):
        doc.problem("statuses", "no status has `done: true`; mark the one that counts as completed")

    return Plan(
        id=plan_id,
        version=_text(doc, data, "version", ""),
        title=_label(doc, data, "title", ""),
        organization=_label(doc, data, "organization", "", required=False),
        return_to=_label(doc, data, "return_to", "", required=False),
        protection_password=_text(doc, data, "protection_password", "", required=False),
        pillars=tuple(pillars),
        working_groups=tuple(groups),
        countries=tuple(countries),
        responsible_parties=_choices(doc, data, "responsible_parties"),
        statuses=statuses,
        deadlines=_choices(doc, data, "deadlines"),
        source=doc.path,
    )
