"""Moving a registry between SQLite and PostgreSQL (`rcm registry copy`), and looking at one
(`rcm registry check`).

The copy reads the source in one snapshot (a consolidation writing to it meanwhile is not half
copied), writes every table into an empty target, with the same ids, in one transaction, and
counts the rows on both sides before it commits: a copy that does not add up leaves the target
empty.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import WordedError
from . import db as dbapi
from .blobs import kept_counts
from .schema import SCHEMA_VERSION, TABLES
from .store import Registry

# Rows per batch; files (their bytes) fewer at a time.
_BATCH = {"blobs": 20}
_ORDER = {"standing": "period, country, grp", "refs": "country, grp", "ref_keys": "ref",
          "carried": "period, country, grp, ref", "blobs": "sha256"}


@dataclass
class CopyReport:
    source: str  # where, as a person may be shown it (no password)
    target: str
    version: int
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, the same on both sides


@dataclass
class CheckReport:
    where: str
    kind: str  # sqlite | postgresql
    version: int
    known: int  # the schema version this rcm-workbooks writes
    counts: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)  # see blobs.kept_counts


def _same(source, target) -> bool:
    if dbapi.is_url(str(source)) or dbapi.is_url(str(target)):
        return str(source).strip() == str(target).strip()
    a, b = Path(source), Path(target)
    return a.resolve() == b.resolve() if a.exists() and b.exists() else a.absolute() == b.absolute()


def counts(db: Registry) -> dict[str, int]:
    """The number of rows of each of the registry's tables that this database has."""
    present = set(db.conn.tables())
    return {t: db.q(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES if t in present}


def copy_registry(source: str | Path, target: str | Path, *, on_wait=None) -> CopyReport:
    """Copy the whole registry at `source` into the new or empty registry at `target`."""
    if _same(source, target):
        raise WordedError("copy-same", where=dbapi.mask(source))
    with Registry.open(source, create=False, on_wait=on_wait) as src, \
            Registry.open(target, on_wait=on_wait) as dst:
        report = CopyReport(src.where, dst.where, src.version)
        with src.conn.snapshot():
            report.counts = counts(src)
            with dst.transaction():
                filled = {t: n for t, n in counts(dst).items() if n}
                if filled:
                    raise WordedError("copy-not-empty", where=dst.where,
                                      counts=", ".join(f"{t}: {n}" for t, n in filled.items()))
                for table in TABLES:
                    _copy_table(src, dst, table)
                got = counts(dst)
                if got != report.counts:
                    detail = ", ".join(f"{t}: {report.counts.get(t)} -> {got.get(t)}" for t in TABLES
                                       if got.get(t) != report.counts.get(t))
                    raise WordedError("copy-mismatch", where=dst.where, detail=detail)
    return report


def _copy_table(src: Registry, dst: Registry, table: str) -> None:
    columns = [d[0] for d in src.conn.execute(f"SELECT * FROM {table} WHERE 1 = 0").description]
    names = ", ".join(columns)
    insert = f"INSERT INTO {table}({names}) VALUES ({', '.join('?' for _ in columns)})"
    order = "id" if "id" in columns else _ORDER[table]
    for rows in src.conn.stream(f"SELECT {names} FROM {table} ORDER BY {order}", _BATCH.get(table, 1000)):
        dst.conn.executemany(insert, [tuple(r) for r in rows])
    if "id" in columns:
        dst.conn.after_copy(table)


def check_registry(target: str | Path) -> CheckReport:
    """The registry's kind, schema version and row counts, read without changing anything (an
    older schema is not brought up to date here)."""
    with Registry.open(target, create=False, upgrade=False) as db:
        report = CheckReport(db.where, db.kind, db.version, SCHEMA_VERSION, counts(db))
        if "blobs" in report.counts and "files" in report.counts:
            report.kept = kept_counts(db)
    return report


# --- in words ---------------------------------------------------------------------------------


def render_check(r: CheckReport, lang: str = "en") -> list[str]:
    from ..core.texts import registry_words as w
    from ..core.texts import size_words

    lines = [w("check-head", lang, where=r.where, kind="SQLite" if r.kind == dbapi.SQLITE else "PostgreSQL",
               version=r.version, known=r.known)]
    if r.version < r.known:
        lines.append(w("check-behind", lang, known=r.known))
    elif r.version > r.known:
        lines.append(w("check-ahead", lang))
    lines += [w("check-table", lang, table=t, n=n) for t, n in r.counts.items()]
    if r.kept:
        lines.append(w("check-kept", lang, kept=r.kept["accepted"] - r.kept["missing"],
                       accepted=r.kept["accepted"], size=size_words(r.kept["size"], lang)))
    return lines


def render_copy(r: CopyReport, lang: str = "en") -> list[str]:
    from ..core.texts import registry_words as w

    return [w("copy-done", lang, source=r.source, target=r.target, version=r.version),
            *(w("check-table", lang, table=t, n=n) for t, n in r.counts.items()),
            w("copy-verified", lang)]
