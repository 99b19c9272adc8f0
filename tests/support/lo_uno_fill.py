"""Type values into a workbook with LibreOffice Calc, the way a focal point would, and save it.

Run this ONLY with an interpreter that can ``import uno`` (on Debian/Ubuntu: ``/usr/bin/python3``
with the ``python3-uno`` package); the project's own interpreter normally cannot.  The library
wrapper :func:`tests.support.libreoffice.fill` runs it for you; use it directly only when you
want to drive an office by hand::

    /usr/bin/python3 tests/support/lo_uno_fill.py job.json

``job.json``::

    {
      "src": "/abs/path/template.xlsx",
      "pipe": "rcm-lo-1234",                  # the name given to soffice --accept=pipe,name=...
      "edits": [
        {"sheet": "Matrix", "cell": "B7", "value": "texto", "kind": "string"},
        {"sheet": "Matrix", "cell": "C7", "value": 12.5,    "kind": "number"},
        {"sheet": "Matrix", "cell": "D7", "value": "=C7*2", "kind": "formula"}
      ],
      "save": [
        {"path": "/abs/out.xlsx", "filter": "Calc MS Excel 2007 XML"},
        {"path": "/abs/out.ods",  "filter": "calc8"},
        {"path": "/abs/out.pdf",  "filter": "calc_pdf_Export"},
        {"path": "/abs/secret.xlsx", "filter": "Calc MS Excel 2007 XML", "password": "s3cret"}
      ],
      "allow_locked": false,                  # optional, see below
      "calculate": true,                      # optional: false leaves recalculation to the
                                              #   office, as when a person types
      "connect_timeout": 30,                  # optional, seconds
      "terminate": true,                      # optional: shut the office down when done
      "soffice": "/usr/bin/soffice",          # optional: start the office here instead of
      "profile_url": "file:///tmp/prof"       #   connecting to one the caller started
    }

``kind`` defaults to "number" for JSON numbers and "string" otherwise.  A "string" is stored as
text even when it starts with "=", exactly like typing it into a cell formatted as Text.

Sheet protection: the UNO API does NOT enforce it.  setString/setValue/setFormula on a locked
cell of a password-protected sheet succeed silently (checked on LibreOffice 7.4), so no password
is ever needed.  Because a person could not type there, such an edit is refused unless
"allow_locked" is true; unlocked cells of a protected sheet are written normally.  Data
validation is not enforced by the API either: whatever is typed is stored.

Every entry of "save" is written with storeToURL, so any Calc export filter works there, PDF
included; the loaded document itself is never overwritten. A "password" encrypts the saved file
(.xlsx: OOXML Standard encryption; .xls: the binary format's own).  For a plain format conversion
without edits, ``soffice --headless --convert-to`` (tests.support.libreoffice.convert) is simpler.

On success a JSON report goes to stdout and the exit code is 0.  On failure the exit code is
non-zero and stderr holds one line starting with "lo_uno_fill: ".  Exit codes: 2 bad job,
3 could not connect, 4 could not load, 5 an edit failed, 6 a save failed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

try:
    import uno
    from com.sun.star.beans import NamedValue, PropertyValue
except ImportError:  # keeps the module importable (docs, package scans) from a plain interpreter
    uno = None

EXIT_JOB, EXIT_CONNECT, EXIT_LOAD, EXIT_EDIT, EXIT_SAVE = 2, 3, 4, 5, 6


class Failure(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def _props(**kwargs) -> tuple:
    out = []
    for name, value in kwargs.items():
        p = PropertyValue()
        p.Name = name
        p.Value = value
        out.append(p)
    return tuple(out)


def _encryption(filter_name: str, password: str) -> dict:
    """The storeToURL arguments that encrypt the file with `password`."""
    if filter_name == "MS Excel 97":
        return {"Password": password}
    data = []
    for name, value in (("OOXPassword", password), ("CryptoType", "Standard")):
        item = NamedValue()
        item.Name, item.Value = name, value
        data.append(item)
    return {"EncryptionData": uno.Any("[]com.sun.star.beans.NamedValue", tuple(data))}


def _url(path: str) -> str:
    return uno.systemPathToFileUrl(os.path.abspath(path))


def _connect(pipe: str, timeout: float, office: subprocess.Popen | None):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    last = None
    # soffice accepts connections only after its first-start initialisation (several seconds on
    # a fresh profile), and there is no readiness signal, so polling is the only option.
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception as exc:  # NoConnectException, or a bridge torn down during startup
            last = exc
        if office is not None and office.poll() is not None:
            raise Failure(EXIT_CONNECT, f"soffice exited with code {office.returncode} "
                                        f"before accepting connections on pipe {pipe!r}")
        if time.monotonic() >= deadline:
            raise Failure(EXIT_CONNECT, f"no office answered on pipe {pipe!r} within "
                                        f"{timeout:.0f} s ({type(last).__name__}: {last})")
        time.sleep(0.25)


def _start_office(job: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [job["soffice"], "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "--nolockcheck", f"-env:UserInstallation={job['profile_url']}",
         f"--accept=pipe,name={job['pipe']};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)


def _stop_office(office: subprocess.Popen) -> None:
    # soffice is a launcher (oosplash) with soffice.bin as a child; only the process group
    # reaches both.
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if office.poll() is not None:
            break
        try:
            os.killpg(office.pid, sig)
        except ProcessLookupError:
            break
        try:
            office.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(office.pid, signal.SIGKILL)  # stragglers after the launcher itself exited
    except (ProcessLookupError, PermissionError):
        pass


def _check_job(job) -> None:
    if not isinstance(job, dict):
        raise Failure(EXIT_JOB, "the job must be a JSON object")
    for key in ("src", "pipe"):
        if not isinstance(job.get(key), str) or not job[key]:
            raise Failure(EXIT_JOB, f"the job needs a non-empty string {key!r}")
    if not os.path.isfile(job["src"]):
        raise Failure(EXIT_JOB, f"src does not exist: {job['src']}")
    if not isinstance(job.get("edits", []), list) or not isinstance(job.get("save", []), list):
        raise Failure(EXIT_JOB, "'edits' and 'save' must be lists")
    for i, e in enumerate(job.get("edits", [])):
        if not isinstance(e, dict) or not {"sheet", "cell", "value"} <= set(e):
            raise Failure(EXIT_JOB, f"edit #{i} needs 'sheet', 'cell' and 'value': {e!r}")
        if e.get("kind", None) not in (None, "string", "number", "formula"):
            raise Failure(EXIT_JOB, f"edit #{i}: unknown kind {e['kind']!r}")
    for i, s in enumerate(job.get("save", [])):
        if not isinstance(s, dict) or not s.get("path") or not s.get("filter"):
            raise Failure(EXIT_JOB, f"save #{i} needs 'path' and 'filter': {s!r}")
    if job.get("soffice") and not job.get("profile_url"):
        raise Failure(EXIT_JOB, "'soffice' needs 'profile_url' (a private profile file URL)")


def _apply_edit(doc, edit: dict, allow_locked: bool) -> dict:
    where = f"{edit['sheet']}!{edit['cell']}"
    sheets = doc.getSheets()
    if not sheets.hasByName(edit["sheet"]):
        raise Failure(EXIT_EDIT, f"{where}: no sheet {edit['sheet']!r}; "
                                 f"sheets are {list(sheets.getElementNames())}")
    sheet = sheets.getByName(edit["sheet"])
    try:
        cell = sheet.getCellRangeByName(edit["cell"]).getCellByPosition(0, 0)
    except Exception as exc:
        raise Failure(EXIT_EDIT, f"{where}: not a cell reference ({exc})") from None
    protected = bool(sheet.isProtected())
    locked = bool(cell.CellProtection.IsLocked)
    if protected and locked and not allow_locked:
        raise Failure(EXIT_EDIT, f"{where} is locked on a protected sheet: a person could not "
                                 f"type there (pass allow_locked to write it anyway)")
    value = edit["value"]
    kind = edit.get("kind") or (
        "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else "string")
    try:
        if kind == "number":
            cell.setValue(float(value))
        elif kind == "formula":
            cell.setFormula(str(value))
        else:
            cell.setString("" if value is None else str(value))
    except (TypeError, ValueError) as exc:
        raise Failure(EXIT_EDIT, f"{where}: cannot store {value!r} as {kind}: {exc}") from None
    return {"sheet": edit["sheet"], "cell": edit["cell"], "kind": kind,
            "protected_sheet": protected, "locked": locked, "stored": cell.getString()}


def run(job: dict) -> dict:
    _check_job(job)
    report = {"ok": False, "edits": [], "saved": []}
    t0 = time.monotonic()
    office = _start_office(job) if job.get("soffice") else None
    desktop = doc = None
    try:
        desktop = _connect(job["pipe"], float(job.get("connect_timeout", 30)), office)
        report["connect_seconds"] = round(time.monotonic() - t0, 3)
        try:
            # MacroExecutionMode 0 = never: templates carry no macros and returns are untrusted.
            doc = desktop.loadComponentFromURL(
                _url(job["src"]), "_blank", 0,
                _props(Hidden=True, ReadOnly=False, MacroExecutionMode=0, UpdateDocMode=0))
        except Exception as exc:
            raise Failure(EXIT_LOAD, f"cannot load {job['src']}: {exc}") from None
        if doc is None or not hasattr(doc, "getSheets"):
            raise Failure(EXIT_LOAD, f"{job['src']} did not open as a spreadsheet")
        allow_locked = bool(job.get("allow_locked", False))
        for edit in job.get("edits", []):
            report["edits"].append(_apply_edit(doc, edit, allow_locked))
        if job.get("calculate", True) and hasattr(doc, "calculateAll"):
            doc.calculateAll()
        for target in job.get("save", []):
            path = os.path.abspath(target["path"])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            args = {"FilterName": target["filter"], "Overwrite": True}
            if target.get("password"):
                args.update(_encryption(target["filter"], target["password"]))
            try:
                doc.storeToURL(_url(path), _props(**args))
            except Exception as exc:
                raise Failure(EXIT_SAVE, f"cannot save {path} with filter "
                                         f"{target['filter']!r}: {exc}") from None
            if not os.path.isfile(path) or os.path.getsize(path) == 0:
                raise Failure(EXIT_SAVE, f"saving {path} with filter {target['filter']!r} "
                                         f"produced no file")
            report["saved"].append(path)
        report["ok"] = True
        report["seconds"] = round(time.monotonic() - t0, 3)
        return report
    finally:
        if doc is not None:
            try:
                doc.close(True)
            except Exception:
                pass  # the office is shut down next anyway
        if desktop is not None and job.get("terminate", True):
            try:
                desktop.terminate()
            except Exception:
                pass  # terminate() tears down the bridge it was called on; that is expected
        if office is not None:
            _stop_office(office)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("lo_uno_fill: usage: lo_uno_fill.py JOB.json\n")
        return EXIT_JOB
    if uno is None:
        sys.stderr.write(f"lo_uno_fill: {sys.executable} cannot import uno; run this with the "
                         f"office's Python (on Debian: /usr/bin/python3 with python3-uno)\n")
        return EXIT_JOB
    try:
        with open(argv[1], encoding="utf-8") as fh:
            job = json.load(fh)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"lo_uno_fill: cannot read job {argv[1]}: {exc}\n")
        return EXIT_JOB
    try:
        report = run(job)
    except Failure as exc:
        sys.stderr.write(f"lo_uno_fill: {exc}\n")
        return exc.code
    except Exception as exc:  # a UNO RuntimeException, a dead bridge...
        sys.stderr.write(f"lo_uno_fill: unexpected {type(exc).__name__}: {exc}\n")
        return 1
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
