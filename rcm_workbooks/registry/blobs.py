"""Every return kept: the bytes of each file the registry accepted, once per SHA-256.

`record()` stores them in the run's own transaction (a crash keeps nothing), so the history
survives a cleaned inbox; `rcm registry get SHA256` gives a file back, found by the hash the
Returns sheet shows (or its first characters).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.files import WordedError, write_atomic
from ..intake.eml import source_bytes
from ..intake.reader import sha256_of

# A superseded return was a valid one too: a later one of the same group and country replaced it.
KEPT_VERDICTS = ("accepted", "superseded")
_HEX = re.compile(r"^[0-9a-f]{8,64}$")
_CHUNK = 500


@dataclass(frozen=True)
class Kept:
    sha256: str
    size: int
    name: str  # the file's name when the registry first accepted it
    data: bytes


def keep_files(db, returns) -> int:
    """Store the bytes of every accepted or superseded return the registry does not hold yet
    (inside record()'s transaction); return how many were stored.

    A file that is gone or changed since it was read is not stored (`rcm registry check` counts
    the accepted files whose bytes the registry lacks)."""
    wanted: dict[str, object] = {}
    for r in returns:
        if r.verdict in KEPT_VERDICTS and r.sha256:
            wanted.setdefault(r.sha256, r)
    shas = list(wanted)
    known: set[str] = set()
    for i in range(0, len(shas), _CHUNK):
        chunk = shas[i:i + _CHUNK]
        known.update(row[0] for row in db.q(
            f"SELECT sha256 FROM blobs WHERE sha256 IN ({', '.join('?' for _ in chunk)})", *chunk))
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    stored = 0
    for sha, r in wanted.items():
        if sha in known:
            continue
        try:
            data = source_bytes(r)
        except (OSError, KeyError):
            continue
        if sha256_of(data) != sha:
            continue
        db.conn.execute("INSERT INTO blobs(sha256, size, data, stored_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT(sha256) DO NOTHING", (sha, len(data), data, now))
        stored += 1
    return stored


def find(db, value: str) -> list[tuple[str, int]]:
    """(sha256, size) of every kept file whose SHA-256 begins with `value` (8 to 64 hex digits)."""
    value = value.strip().lower()
    if not _HEX.match(value):
        raise WordedError("get-bad-hash", value=value)
    low, high = value + "0" * (64 - len(value)), value + "f" * (64 - len(value))
    return [(r[0], r[1]) for r in db.q("SELECT sha256, size FROM blobs WHERE sha256 >= ? AND sha256 <= ? "
                                       "ORDER BY sha256", low, high)]


def get_file(db, value: str) -> Kept:
    """The kept file whose SHA-256 is, or begins with, `value`."""
    found = find(db, value)
    if not found:
        raise WordedError("get-not-found", where=db.where, value=value.strip().lower())
    if len(found) > 1:
        raise WordedError("get-ambiguous", n=len(found), value=value.strip().lower())
    sha, size = found[0]
    data = db.q("SELECT data FROM blobs WHERE sha256 = ?", sha)[0][0]
    first = db.q("SELECT name FROM files WHERE sha256 = ? ORDER BY run_id, id LIMIT 1", sha)
    name = first[0][0] if first else ""
    return Kept(sha, size, name, bytes(data))


def file_name(kept: Kept) -> str:
    """The name to give the file back under: the last part of its first name (an e-mail's
    attachment `reply.eml/GTM.xlsx` is GTM.xlsx), else its hash."""
    name = kept.name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name if name not in ("", ".", "..") else f"{kept.sha256[:16]}.xlsx"


def write_file(db, value: str, out_dir: Path) -> tuple[Path, Kept]:
    """Write the kept file `value` into `out_dir` under its name; a different file already there
    is left alone and this one gets its hash in its name."""
    kept = get_file(db, value)
    path = Path(out_dir) / file_name(kept)
    if path.exists() and not (path.is_file() and sha256_of(path.read_bytes()) == kept.sha256):
        path = path.with_name(f"{path.stem}-{kept.sha256[:12]}{path.suffix}")
    if not (path.is_file() and sha256_of(path.read_bytes()) == kept.sha256):
        write_atomic(path, kept.data)
    return path, kept


def kept_counts(db) -> dict[str, int]:
    """How many files the registry accepted, how many of them it keeps, and their size."""
    accepted = db.q("SELECT count(DISTINCT sha256) FROM files WHERE sha256 <> '' AND verdict IN (?, ?)",
                    *KEPT_VERDICTS)[0][0]
    kept = db.q("SELECT count(*), coalesce(sum(size), 0) FROM blobs")[0]
    missing = db.q("SELECT count(DISTINCT sha256) FROM files WHERE sha256 <> '' AND verdict IN (?, ?) "
                   "AND sha256 NOT IN (SELECT sha256 FROM blobs)", *KEPT_VERDICTS)[0][0]
    return {"accepted": accepted, "kept": kept[0], "size": int(kept[1]), "missing": missing}


def render_written(path: Path, kept: Kept, lang: str = "en") -> str:
    from ..core.texts import registry_words, size_words

    return registry_words("get-wrote", lang, path=path, size=size_words(kept.size, lang), sha256=kept.sha256,
                          name=kept.name or "—")
