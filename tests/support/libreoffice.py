"""Drive LibreOffice Calc from the project's interpreter: fill templates as a person would, convert.

The project's interpreter usually cannot ``import uno`` (python3-uno is built for the system
Python only), so filling runs ``lo_uno_fill.py`` with an office-enabled interpreter as a
subprocess and talks to it through a JSON job file.  Every call gets its own soffice process,
private profile and pipe name, so calls may run in parallel and never touch the user's own
LibreOffice profile or a running office.

    from tests.support import libreoffice as lo
    lo.fill("template.xlsx",
            [("Matrix", "B7", "Sí, parcialmente"), ("Matrix", "C7", 3)],
            ["filled.xlsx", "filled.ods"])
    pdf = lo.convert("filled.xlsx", "pdf", "out/")

Environment overrides: RCM_SOFFICE (the soffice executable), RCM_UNO_PYTHON (an interpreter that
can ``import uno``).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LibreOfficeError", "FILTERS", "find_soffice", "find_uno_python", "available",
           "fill", "convert", "convert_all"]

FILTERS = {
    ".xlsx": "Calc MS Excel 2007 XML",
    ".xls": "MS Excel 97",
    ".ods": "calc8",
    ".pdf": "calc_pdf_Export",
    ".csv": "Text - txt - csv (StarCalc)",
}

_SCRIPT = Path(__file__).with_name("lo_uno_fill.py")


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, did not start, or failed to load, edit, save or convert."""


def find_soffice() -> str | None:
    candidates = [os.environ.get("RCM_SOFFICE"), shutil.which("soffice"),
                  shutil.which("libreoffice"), "/usr/bin/soffice",
                  "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                  "/Applications/LibreOffice.app/Contents/MacOS/soffice",
                  r"C:\Program Files\LibreOffice\program\soffice.exe"]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


@functools.lru_cache(maxsize=None)
def _can_import_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import uno"], env=_clean_env(), timeout=30,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def find_uno_python() -> str | None:
    soffice = find_soffice()
    # Official LibreOffice builds (Windows, macOS, the .deb/.rpm from libreoffice.org) ship their
    # own Python next to soffice; distribution packages use the system Python instead.
    bundled = [str(Path(soffice).resolve().parent / name) for name in ("python", "python.exe")
               ] if soffice else []
    for c in [os.environ.get("RCM_UNO_PYTHON"), "/usr/bin/python3", *bundled]:
        if c and os.path.isfile(c) and _can_import_uno(c):
            return c
    return None


def available() -> bool:
    """True when both soffice and an interpreter that can import uno are present."""
    return find_soffice() is not None and find_uno_python() is not None


def _clean_env() -> dict[str, str]:
    # pyenv/venv variables would make the system Python load the project's site-packages (and
    # possibly a different stdlib), which breaks `import uno`.
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "VIRTUAL_ENV",
                        "PYTHONEXECUTABLE", "__PYVENV_LAUNCHER__")}
    env.setdefault("HOME", tempfile.gettempdir())
    return env


@contextmanager
def _private_profile():
    # A fresh profile per call: no first-run dialogs leak in from the user's profile, no lock
    # clash with an office the user has open, and concurrent calls stay independent.
    path = Path(tempfile.mkdtemp(prefix="rcm-lo-profile-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _popen_group(args: list[str], **kwargs) -> subprocess.Popen:
    if os.name == "posix":
        kwargs["start_new_session"] = True
    else:
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    return subprocess.Popen(args, env=_clean_env(), stdin=subprocess.DEVNULL, **kwargs)


def _kill_group(proc: subprocess.Popen, settle: float = 0.0, grace: float = 5.0) -> None:
    # soffice is only a launcher (oosplash); soffice.bin runs as its child and survives a plain
    # kill() of the launcher, so the whole process group is signalled.
    if settle and proc.poll() is None:
        try:
            proc.wait(settle)
        except subprocess.TimeoutExpired:
            pass
    if os.name != "posix":
        if proc.poll() is None:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    if proc.poll() is None:
        proc.wait(grace)


def _normalise_edit(edit) -> dict:
    if isinstance(edit, Mapping):
        out = dict(edit)
    elif isinstance(edit, Sequence) and not isinstance(edit, str) and len(edit) in (3, 4):
        out = dict(zip(("sheet", "cell", "value", "kind"), edit))
    else:
        raise LibreOfficeError(f"an edit is (sheet, cell, value[, kind]) or a mapping: {edit!r}")
    missing = {"sheet", "cell", "value"} - set(out)
    if missing:
        raise LibreOfficeError(f"edit {edit!r} lacks {sorted(missing)}")
    value = out["value"]
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise LibreOfficeError(f"edit {edit!r}: value must be str, int or float")
    if out.get("kind") is None:
        out["kind"] = "number" if isinstance(value, (int, float)) else "string"
    return out


def _normalise_output(output) -> dict:
    password = None
    if isinstance(output, Mapping):
        path, flt, password = Path(output["path"]), output.get("filter"), output.get("password")
    elif isinstance(output, (tuple, list)):
        path, flt = Path(output[0]), output[1]
    else:
        path, flt = Path(output), None
    if flt is None:
        flt = FILTERS.get(path.suffix.lower())
        if flt is None:
            raise LibreOfficeError(f"no known filter for {path.name}; pass (path, filter)")
    out = {"path": str(path.resolve()), "filter": flt}
    if password:
        out["password"] = str(password)
    return out


def fill(src, edits: Iterable, outputs: Iterable, timeout: float = 120, *,
         allow_locked: bool = False, connect_timeout: float = 30, calculate: bool = True) -> list[Path]:
    """Open `src` in LibreOffice Calc, type `edits` into it and save it as each of `outputs`.

    edits: (sheet, cell, value[, kind]) tuples or {"sheet", "cell", "value", "kind"} mappings;
        kind is "string" (the default for str: stored as text even if it starts with "="),
        "number" (default for int/float) or "formula".
    outputs: paths whose suffix picks the filter (see FILTERS), (path, filter) pairs, or
        {"path", "filter", "password"} mappings (a password encrypts the saved file).
    allow_locked: write locked cells of protected sheets too (the UNO API would allow it; a
        person could not, so by default such an edit raises).
    calculate: recalculate the whole document before saving (the default); False leaves it to
        the office's own recalculation after each edit, which is what a person typing gets.
    Returns the output paths.  Raises LibreOfficeError on any failure or after `timeout` seconds.
    """
    src = Path(src).resolve()
    if not src.is_file():
        raise LibreOfficeError(f"no such workbook: {src}")
    job_edits = [_normalise_edit(e) for e in edits]
    job_outputs = [_normalise_output(o) for o in outputs]
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError("LibreOffice (soffice) not found; install it or set RCM_SOFFICE")
    python = find_uno_python()
    if python is None:
        raise LibreOfficeError("no Python that can `import uno` (Debian: apt install "
                               "python3-uno); set RCM_UNO_PYTHON to point at one")
    deadline = time.monotonic() + timeout
    pipe = f"rcm-lo-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    with _private_profile() as profile:
        job_file = profile / "job.json"
        office_log = profile / "soffice.log"
        # Loading for editing puts a .~lock file next to the document, and a second office
        # opening the same file meanwhile fails type detection; a private copy avoids both.
        work_src = profile / "src" / src.name
        work_src.parent.mkdir()
        shutil.copyfile(src, work_src)
        job_file.write_text(json.dumps({
            "src": str(work_src), "pipe": pipe, "edits": job_edits, "save": job_outputs,
            "allow_locked": allow_locked, "calculate": calculate,
            "connect_timeout": min(connect_timeout, timeout),
            "terminate": True}, ensure_ascii=False), encoding="utf-8")
        try:
            with open(office_log, "wb") as log:
                office = _popen_group(
                    [soffice, "--headless", "--invisible", "--nologo", "--norestore",
                     "--nodefault", "--nolockcheck",
                     f"-env:UserInstallation={(profile / 'user').as_uri()}",
                     f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                    stdout=log, stderr=subprocess.STDOUT)
        except OSError as exc:
            raise LibreOfficeError(f"cannot start {soffice}: {exc}") from None
        settle = 0.0
        try:
            try:
                done = subprocess.run([python, str(_SCRIPT), str(job_file)], env=_clean_env(),
                                      capture_output=True, text=True, encoding="utf-8",
                                      errors="replace",
                                      timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise LibreOfficeError(f"LibreOffice did not finish filling {src.name} within "
                                       f"{timeout:.0f} s") from None
            except OSError as exc:
                raise LibreOfficeError(f"cannot run {python}: {exc}") from None
            settle = 10.0
            if done.returncode != 0:
                message = done.stderr.strip() or f"exit code {done.returncode}"
                # javaldx complains on every start when no JRE is installed; it is never the cause
                office_out = "\n".join(
                    line for line in office_log.read_text(errors="replace").splitlines()
                    if "javaldx" not in line).strip()
                if office_out:
                    message += f"\nsoffice output:\n{office_out[-2000:]}"
                raise LibreOfficeError(f"filling {src.name} failed: {message}")
        finally:
            # once the script has returned it has asked the office to quit; give it the chance
            _kill_group(office, settle=settle)
    paths = [Path(o["path"]) for o in job_outputs]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise LibreOfficeError(f"LibreOffice reported success but did not write {missing}")
    return paths


def convert(src, fmt: str, outdir, timeout: float = 120) -> Path:
    """Convert `src` with ``soffice --headless --convert-to fmt``; return the written file.

    fmt is what --convert-to takes: "pdf", "ods", "xlsx", "csv", or "ext:Filter Name[:options]".
    An existing file of the same name in `outdir` is replaced.
    """
    return convert_all([src], fmt, outdir, timeout)[0]


def convert_all(sources: Iterable, fmt: str, outdir, timeout: float = 120) -> list[Path]:
    """Convert every file of `sources` with one ``soffice --headless --convert-to fmt`` (one start
    of the office for all of them); return the written files, in the order of `sources`.

    Their names without suffix must differ: each is written as `outdir/<stem>.<ext>`.
    """
    sources = [Path(s).resolve() for s in sources]
    for src in sources:
        if not src.is_file():
            raise LibreOfficeError(f"no such file: {src}")
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError("LibreOffice (soffice) not found; install it or set RCM_SOFFICE")
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{src.stem}.{fmt.split(':', 1)[0]}" for src in sources]
    if len(set(targets)) != len(targets):
        raise LibreOfficeError("two sources would be converted to the same file name")
    # soffice exits 0 even when the conversion fails, so the only reliable signal is the file;
    # a stale one from an earlier run must not pass for a fresh result.
    for target in targets:
        target.unlink(missing_ok=True)
    with _private_profile() as profile:
        try:
            proc = _popen_group(
                [soffice, "--headless", "--invisible", "--nologo", "--norestore",
                 "--nolockcheck", f"-env:UserInstallation={(profile / 'user').as_uri()}",
                 "--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as exc:
            raise LibreOfficeError(f"cannot start {soffice}: {exc}") from None
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise LibreOfficeError(f"converting {len(sources)} file(s) to {fmt} took more than "
                                   f"{timeout:.0f} s") from None
        finally:
            _kill_group(proc)
    for src, target in zip(sources, targets):
        if not target.is_file() or target.stat().st_size == 0:
            text = out.decode(errors="replace").strip() if out else ""
            raise LibreOfficeError(f"converting {src.name} to {fmt} produced no {target.name} "
                                   f"(exit code {proc.returncode}): {text[-2000:]}")
    return targets
