"""A synthetic focal point: fills generated templates the way people do, mistakes included.

Used by `rcm demo`, the benchmark and the tests. Nothing here is used to read returns: it only
writes them, through openpyxl, as a program standing in for Excel would.

- `fill_workbook(src, dst, rows)` types row dicts into a template's input cells, which it finds
  from the template's `_meta` sheet alone, and saves the result to `dst` (never touching `src`).
- `synthetic_rows(plan, group, country, language, rng, n)` (from demo.answers) makes plausible
  answers in English or Spanish, deterministic for a given `random.Random`.
- `MISTAKES` / `apply_mistakes` reproduce typical focal-point mistakes, each with what a correct
  consolidator should conclude (`Mistake.valid`).
- `fill_round(templates, inbox, plan)` fills a whole round into an inbox and returns a manifest.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.parallel import fork_map
from ..core.plan import Choice, Plan, load_plan
from ..template.build import META_SHEET
from .answers import prefilled_updates, synthetic_rows

LAST_MODIFIED_BY = "Focal point"


# --- filling one workbook ------------------------------------------------------------------


class _Template:
    """A template loaded with openpyxl, with its `_meta` read and its input rows worked out."""

    def __init__(self, src: Path):
        import openpyxl

        self.src = Path(src)
        self.wb = openpyxl.load_workbook(self.src, keep_vba=False, keep_links=False)
        if META_SHEET not in self.wb.sheetnames:
            raise ValueError(f"{self.src}: no {META_SHEET} sheet; is this a generated template?")
        meta: dict[str, str] = {}
        for key, value, *_ in self.wb[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
            if key is not None:
                meta[str(key)] = "" if value is None else str(value)
        self.meta = meta
        try:
            self.ws = self.wb[meta["matrix_sheet"]]
            self.first_row = int(meta["first_row"])
            self.last_row = int(meta["last_row"])
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{self.src}: `{META_SHEET}` lacks a usable matrix_sheet/first_row/last_row ({exc})") from None
        self.columns = {k[4:]: v for k, v in meta.items() if k.startswith("col.") and v}
        self.prefilled = [int(x) for x in meta.get("prefilled_rows", "").split(",") if x.strip()]
        skip = set(self.prefilled)
        self.input_rows = [r for r in range(self.first_row, self.last_row + 1) if r not in skip]

    @property
    def language(self) -> str:
        return self.meta.get("language", "en")

    def write(self, rows: Sequence[dict]) -> list[int]:
        """Type each dict into its row; return the sheet row each one landed in."""
        explicit = [d["row"] for d in rows if d.get("row") is not None]
        for r in explicit:
            if not isinstance(r, int) or not self.first_row <= r <= self.last_row:
                raise ValueError(f"row {r!r} is outside the input rows {self.first_row}-{self.last_row}")
        if len(set(explicit)) != len(explicit):
            raise ValueError("two row dicts target the same row")
        taken = set(explicit)
        free = iter(r for r in self.input_rows if r not in taken)
        targets = []
        for d in rows:
            r = d.get("row")
            if r is None:
                r = next(free, None)
                if r is None:
                    raise ValueError(
                        f"{len(rows)} rows do not fit: the template has {len(self.input_rows)} input rows "
                        f"({self.first_row}-{self.last_row}, pre-filled: {self.prefilled or 'none'})")
            targets.append(r)
        ws, columns = self.ws, self.columns
        for d, r in zip(rows, targets):
            for key, value in d.items():
                if key == "row" or value is None:
                    continue
                col = columns.get(key)
                if col is None:
                    raise ValueError(f"unknown field {key!r}; the template has {', '.join(columns)}")
                cell = ws[f"{col}{r}"]
                if value == "":
                    cell.value = None
                elif isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # typed text stays text, even when it starts with "="
                else:
                    cell.value = value
        return targets

    def save(self, dst: Path, saved_at: dt.datetime | None) -> None:
        from openpyxl.writer.excel import ExcelWriter

        dst = Path(dst)
        if dst.resolve() == self.src.resolve():
            raise ValueError(f"{dst}: refusing to overwrite the template itself; give another destination")
        props = self.wb.properties
        if saved_at is None:
            saved_at = dt.datetime.now(dt.timezone.utc)
        if saved_at.tzinfo is not None:
            saved_at = saved_at.astimezone(dt.timezone.utc).replace(tzinfo=None)
        props.modified = saved_at.replace(microsecond=0)
        props.lastModifiedBy = LAST_MODIFIED_BY
        dst.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=dst.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                # ExcelWriter directly: openpyxl's save() would overwrite `modified` with now.
                with _StableZip(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                    ExcelWriter(self.wb, archive).save()
            os.replace(tmp, dst)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class _StableZip(zipfile.ZipFile):
    """Zip entries dated 1980-01-01, as Excel writes them: the same input gives the same bytes."""

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=(1980, 1, 1, 0, 0, 0))
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        return super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):  # openpyxl writes worksheets this way
        with open(filename, "rb") as fh:
            return self.writestr(str(arcname or filename), fh.read())


def fill_workbook(src: Path, dst: Path, rows: list[dict], *, saved_at: dt.datetime | None = None) -> None:
    """Type `rows` into the template `src` and save the result as `dst`.

    Each dict maps field names (pillar, theme, activity, indicators, measured_by, responsible,
    deadline, status, risks, progress, next_steps; `ref` too, to imitate tampering) to exactly what
    the person types: a str is written as text (even "=..."), a number as a number, "" clears the
    cell, None leaves it as it is. Rows go to consecutive input rows from `first_row`, skipping the
    pre-filled rows, unless a dict says `"row": N`. The cells are found from `_meta` only.
    Protection, validations, defined names and hidden sheets are kept; the core properties get
    `modified` = saved_at (UTC; now if None) and lastModifiedBy "Focal point". ValueError if the
    rows do not fit or name an unknown field.
    """
    tpl = _Template(Path(src))
    tpl.write(rows)
    tpl.save(Path(dst), saved_at)


# --- mistakes ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _norm(text) -> str:
    return " ".join(_fold(str(text)).casefold().split())


_DEFAULT_PLAN: Plan | None = None


def _default_plan() -> Plan:
    global _DEFAULT_PLAN
    if _DEFAULT_PLAN is None:
        _DEFAULT_PLAN = load_plan()
    return _DEFAULT_PLAN


def _guess_language(plan: Plan, rows: Sequence[dict]) -> str:
    es = {_norm(c.label.es) for c in plan.statuses + tuple(plan.pillars)} - {
        _norm(c.label.en) for c in plan.statuses + tuple(plan.pillars)}
    return "es" if any(_norm(r.get("status", "")) in es or _norm(r.get("pillar", "")) in es for r in rows) else "en"


def _status_choice(plan: Plan, text) -> Choice | None:
    key = _norm(text)
    return next((c for c in plan.statuses if key in (_norm(c.code), _norm(c.label.en), _norm(c.label.es))), None)


def _m_status_case_spaces(rows, i, rng, plan, lang):
    """Status typed by hand: wrong case, extra spaces, accents dropped — valid once normalized."""
    choice = _status_choice(plan, rows[i].get("status", "")) or rng.choice(plan.statuses)
    words = _fold(choice.label(lang)).lower().split()
    j = len(words) - 1 if len(words) > 1 else 0
    words[j] = words[j].upper()
    rows[i]["status"] = "  " + " ".join(words) + " "


def _m_status_other_language(rows, i, rng, plan, lang):
    """Status label of the other language (valid: either language is accepted)."""
    choice = _status_choice(plan, rows[i].get("status", "")) or rng.choice(plan.statuses)
    other = "en" if lang == "es" else "es"
    if _norm(choice.label(other)) == _norm(choice.label(lang)):  # same word in both: pick another
        choice = next((c for c in plan.statuses if _norm(c.label.en) != _norm(c.label.es)), choice)
    rows[i]["status"] = choice.label(other)


def _m_status_invalid(rows, i, rng, plan, lang):
    """A status that is no label of the list (invalid)."""
    rows[i]["status"] = "Hecho" if lang == "es" else "Done"


def _m_theme_other_pillar(rows, i, rng, plan, lang):
    """A theme of another pillar than the row's (invalid)."""
    key = _norm(rows[i].get("pillar", ""))
    pillar = next((p for p in plan.pillars if key in (_norm(p.code), _norm(p.label.en), _norm(p.label.es))), None)
    if pillar is None:
        pillar = plan.pillars[0]
        rows[i]["pillar"] = pillar.label(lang)
    own = {_norm(x) for t in pillar.themes for x in (t.code, t.label.en, t.label.es)}
    # Not just another code: P1/T9 and P3/T15 share their Spanish label, which would still be valid.
    others = [t for p in plan.pillars if p is not pillar for t in p.themes
              if _norm(t.label.en) not in own and _norm(t.label.es) not in own]
    rows[i]["theme"] = rng.choice(others).label(lang)


def _m_missing_pillar_status(rows, i, rng, plan, lang):
    """An activity typed with no pillar and no status (invalid: required fields missing)."""
    rows[i]["pillar"] = ""
    rows[i]["status"] = ""


def _m_formula_like_text(rows, i, rng, plan, lang):
    """A description starting with '=' (valid text; must stay text, never become a formula)."""
    rows[i]["activity"] = "=" + str(rows[i].get("activity") or "Taller")


def _m_number_in_text_cell(rows, i, rng, plan, lang):
    """A number typed or pasted into a text cell: indicators 45 as a number (valid)."""
    rows[i]["indicators"] = rng.choice((45, 12, 120, 8))


@dataclass(frozen=True)
class Mistake:
    """One typical mistake: calling it mutates one row of a list of row dicts and returns its index."""

    name: str
    valid: bool  # would a correct consolidator still accept the row?
    field: str
    apply: Callable

    @property
    def description(self) -> str:
        return (self.apply.__doc__ or "").strip()

    def __call__(self, rows: list[dict], rng: random.Random, *, index: int | None = None,
                 plan: Plan | None = None, language: str | None = None) -> int:
        if not rows:
            raise ValueError("no rows to make a mistake in")
        plan = plan or _default_plan()
        lang = language or _guess_language(plan, rows)
        i = rng.randrange(len(rows)) if index is None else index
        self.apply(rows, i, rng, plan, lang)
        return i


MISTAKES: dict[str, Mistake] = {m.name: m for m in (
    Mistake("status_case_spaces", True, "status", _m_status_case_spaces),
    Mistake("status_other_language", True, "status", _m_status_other_language),
    Mistake("status_invalid", False, "status", _m_status_invalid),
    Mistake("theme_other_pillar", False, "theme", _m_theme_other_pillar),
    Mistake("missing_pillar_status", False, "pillar", _m_missing_pillar_status),
    Mistake("formula_like_text", True, "activity", _m_formula_like_text),
    Mistake("number_in_text_cell", True, "indicators", _m_number_in_text_cell),
)}


def apply_mistakes_at(rows: list[dict], rng: random.Random, k: int, *, plan: Plan | None = None,
                      language: str | None = None) -> list[tuple[str, int]]:
    """Like apply_mistakes, returning (name, row index) pairs; each mistake gets its own row
    while there are rows enough, so one mistake does not undo another."""
    if not rows or k <= 0:
        return []
    plan = plan or _default_plan()
    lang = language or _guess_language(plan, rows)
    names = rng.sample(sorted(MISTAKES), min(k, len(MISTAKES)))
    if len(names) <= len(rows):
        indices = rng.sample(range(len(rows)), len(names))
    else:
        indices = [rng.randrange(len(rows)) for _ in names]
    return [(name, MISTAKES[name](rows, rng, index=i, plan=plan, language=lang)) for name, i in zip(names, indices)]


def apply_mistakes(rows: list[dict], rng: random.Random, k: int, *, plan: Plan | None = None,
                   language: str | None = None) -> list[str]:
    """Apply `k` distinct mistakes from MISTAKES (at most all of them) to `rows`; return their names."""
    return [name for name, _ in apply_mistakes_at(rows, rng, k, plan=plan, language=language)]


# --- a whole round -------------------------------------------------------------------------

RENAMES = {
    "es": ("{stem} (respuesta final).xlsx", "{stem} - final.xlsx", "Copia de {stem}.xlsx", "{stem}_v2.xlsx",
           "{stem} (1).xlsx", "{stem} revisado {country}.xlsx", "matriz {group} {country} 2.xlsx"),
    "en": ("{stem} (final).xlsx", "{stem} - final version.xlsx", "Copy of {stem}.xlsx", "{stem}_v2.xlsx",
           "{stem} (1).xlsx", "{stem} reviewed {country}.xlsx", "matrix {group} {country} 2.xlsx"),
}


def fill_round(templates: Iterable[Path], inbox: Path, plan: Plan, *, seed: int = 0,
               rows_per_return: tuple[int, int] = (3, 10), mistake_rate: float = 0.25,
               missing: Iterable[tuple[str, str]] | float = 0.1, rename_rate: float = 0.3,
               saved_at: dt.datetime | None = None, workers: int = 1) -> list[dict]:
    """Fill a round of templates into `inbox/<COUNTRY>/<name>`, as the focal points would.

    - `missing`: (country, group) pairs left unreturned, or the fraction of templates left
      unreturned, picked at random (default 10%).
    - Each return gets `rows_per_return` (inclusive range) synthetic rows, capped at the template's
      input rows, plus updates of its pre-filled rows; with probability `mistake_rate` it gets 1-3
      distinct mistakes from MISTAKES; with probability `rename_rate` the file is renamed.
    - `saved_at`: the `modified` time written in every return's properties (now if None).
    - `workers` > 1 fills in that many processes (same result, in the same order).

    Returns one dict per file written, in template order: path, template, country, group, period,
    language, rows (the exact dicts written, each with the sheet "row" it landed in), mistakes
    (names), mistake_rows ({name: index in rows}), renamed, saved_at. Deterministic for a given
    seed, set of templates and plan (the files' bytes too, when saved_at is given).
    """
    inbox = Path(inbox)
    templates = sorted((Path(t) for t in templates), key=lambda p: (p.parent.name, p.name))
    rng = random.Random(f"fill_round/{seed}")
    skip_pairs: frozenset = frozenset()
    skip_index: set[int] = set()
    if isinstance(missing, (int, float)):
        count = min(round(len(templates) * float(missing)), len(templates))
        skip_index = set(rng.sample(range(len(templates)), count))
    else:
        skip_pairs = frozenset((c.upper(), g.upper()) for c, g in missing)
    lo, hi = rows_per_return
    if not 0 <= lo <= hi:
        raise ValueError(f"rows_per_return {rows_per_return!r} must be (low, high) with 0 <= low <= high")
    jobs = [(src, inbox, plan, seed, lo, hi, mistake_rate, skip_pairs, rename_rate, saved_at)
            for idx, src in enumerate(templates) if idx not in skip_index]
    return [r for r in fork_map(_fill_one, jobs, workers=workers) if r is not None]


def _fill_one(job) -> dict | None:
    src, inbox, plan, seed, lo, hi, mistake_rate, skip_pairs, rename_rate, saved_at = job
    # Each return draws from its own generator: it does not depend on which others were filled.
    rng = random.Random(f"fill_round/{seed}/{src.name}")
    tpl = _Template(src)
    meta = tpl.meta
    country, group, lang = meta.get("country", ""), meta.get("working_group", ""), tpl.language
    if (country, group) in skip_pairs:
        return None
    n = min(rng.randint(lo, hi), len(tpl.input_rows))
    rows = synthetic_rows(plan, group, country, lang, rng, n)
    mistakes: list[tuple[str, int]] = []
    if rows and rng.random() < mistake_rate:
        mistakes = apply_mistakes_at(rows, rng, rng.randint(1, 3), plan=plan, language=lang)
    rows += prefilled_updates(plan, group, country, lang, rng, tpl.prefilled)
    landed = tpl.write(rows)
    name = src.name
    renamed = rng.random() < rename_rate
    if renamed:
        name = rng.choice(RENAMES.get(lang, RENAMES["en"])).format(stem=src.stem, country=country, group=group)
    dst = inbox / (country or src.parent.name) / name
    tpl.save(dst, saved_at)
    return {
        "path": dst, "template": src, "country": country, "group": group,
        "period": meta.get("period", ""), "language": lang,
        "rows": [{**d, "row": r} for d, r in zip(rows, landed)],
        "mistakes": [m for m, _ in mistakes], "mistake_rows": dict(mistakes),
        "renamed": renamed, "saved_at": saved_at,
    }


__all__ = ["fill_workbook", "synthetic_rows", "prefilled_updates", "MISTAKES", "Mistake", "apply_mistakes",
           "apply_mistakes_at", "fill_round"]
