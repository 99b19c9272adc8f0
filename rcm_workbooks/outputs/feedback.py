"""Feedback copies: each focal point's own workbook sent back with the cells to correct marked.

For every return the focal point has something to correct in (intake.actions.needs_feedback: an
identified return with an error or a warning of theirs, none of the Secretariat's),
`start_feedback(folder, returns, plan).finish()` writes `<folder>/<COUNTRY>/<original name>`: the
return itself, annotated (outputs.annotate says how, and what an openpyxl round trip changes).

The folder is replaced as a unit: copies are written into a temporary sibling folder that is
then swapped into place, so a crash leaves the previous feedback intact and stale copies vanish.
A return that cannot be annotated is logged and skipped: it never stops the others.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from ..core.parallel import Background
from ..core.plan import Plan
from ..intake.actions import needs_feedback
from ..intake.validate import Return
from .annotate import FeedbackSkipped, feedback_bytes

log = logging.getLogger(__name__)

PARALLEL_FROM_COPIES = 8  # fewer are done here: forking costs more than it saves


class PendingFeedback:
    """Feedback copies being made (in worker processes, for a round with many) into a temporary
    sibling of `folder`; finish() swaps them in, abandon() throws them away."""

    def __init__(self, folder: Path, returns, plan: Plan):
        self.folder = Path(folder)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.folder)
        self.tmp = tmp = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}-new-", dir=self.folder.parent))
        try:
            used: set[str] = set()
            self.jobs = [(ret, _target(ret, used)) for ret in returns if needs_feedback(ret, plan)]
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

        def write_one(job) -> tuple[Path, str | None, float]:
            ret, rel = job
            started = time.perf_counter()
            try:
                data = feedback_bytes(ret, plan)
            except FeedbackSkipped as why:
                return rel, str(why), 0.0
            except Exception as exc:  # isolation: one odd workbook never stops the others
                log.debug("feedback: %s: %s: %s", ret.name, type(exc).__name__, exc)  # shown with --debug
                return rel, "its workbook could not be loaded or saved for annotation", 0.0
            _write_file(tmp / rel, data)  # a full disk stops the run; the old folder stays
            return rel, None, time.perf_counter() - started

        # About 50 ms of openpyxl a copy: a round with many to correct spreads them over the cores.
        workers = None if len(self.jobs) >= PARALLEL_FROM_COPIES else 1
        self.work = Background(write_one, self.jobs, workers=workers)

    def finish(self) -> list[Path]:
        try:
            written: list[Path] = []
            for (ret, _), (rel, problem, seconds) in zip(self.jobs, self.work.results()):
                if problem:
                    log.info("feedback: no copy of %s: %s", ret.name, problem)  # the Returns sheet says why
                else:
                    written.append(self.folder / rel)
                    log.info("feedback: %s in %.3f s", rel, seconds)
            _fsync_dir(self.tmp)
            _swap(self.tmp, self.folder)
        except BaseException:
            self.abandon()
            raise
        return sorted(written)

    def abandon(self) -> None:
        self.work.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def start_feedback(folder: Path, returns, plan: Plan) -> PendingFeedback:
    """Begin the feedback copies of `returns` for `folder`; the caller goes on meanwhile."""
    return PendingFeedback(folder, returns, plan)


def _target(ret: Return, used: set[str]) -> Path:
    """<COUNTRY>/<original name>, .xlsx; a second file of the same name gets " (2)"."""
    country = ret.country  # needs_feedback: a country of the plan
    name = Path(ret.name).name or "return.xlsx"
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        stem, suffix = name[: -len(suffix)], name[-len(suffix):]
    elif suffix in (".xlsm", ".xltx", ".xltm", ".xls", ".ods"):
        stem, suffix = Path(name).stem, ".xlsx"  # macros and other formats: written as .xlsx
    else:
        stem, suffix = name, ".xlsx"
    candidate, n = f"{stem}{suffix}", 1
    while f"{country}/{candidate}".casefold() in used:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    used.add(f"{country}/{candidate}".casefold())
    return Path(country) / candidate


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    for d in [*sorted(p for p in folder.iterdir() if p.is_dir()), folder]:
        try:
            fd = os.open(d, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where not available."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap(new: Path, folder: Path) -> None:
    """Put the new folder in place of the old one, then delete the old one. Where the system can
    exchange two paths in one step there is no moment without a feedback folder."""
    if folder.is_dir() and not folder.is_symlink() and _exchange(new, folder):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old copies
        return
    old = None
    if folder.exists() or folder.is_symlink():
        old = folder.parent / f".{folder.name}-old-{uuid.uuid4().hex[:12]}"
        os.rename(folder, old)
    os.rename(new, folder)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def _recover(folder: Path) -> None:
    """Undo what a crash in an earlier run left: a half-written new folder, an old one renamed away."""
    parent = folder.parent
    for leftover in parent.glob(f".{folder.name}-new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    olds = sorted(parent.glob(f".{folder.name}-old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not folder.exists():
        os.rename(olds.pop(), folder)  # the crash fell between the two renames: put it back
    for leftover in olds:
        shutil.rmtree(leftover, ignore_errors=True)
