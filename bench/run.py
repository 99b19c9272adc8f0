"""Benchmark: `rcm consolidate` against the naive pandas script, at three sizes, over many periods,
and on a round full of files that are no returns.

    python3 bench/run.py                 # all cases, 3 alternating runs each, prints a Markdown table
    python3 bench/run.py --sizes S M     # some cases only
    python3 bench/run.py --write-doc     # also rewrite the figures in docs/performance.md
    python3 bench/run.py --profile M     # cProfile of consolidate on M, top functions

multi: 600 returns of 25 rows over 14 half-year periods, consolidated in one `rcm consolidate`
(no --period: each period gets its outputs). foreign: a sample of every kind of file tests/kinds
builds, workbooks that cost a reader far more than their size (tests/kinds/bombs.py: a 1 MB shared
text used by 12,000 cells, in a file of its own and inside a return; the same in an .xls and an
.ods) and five valid returns; measured against time and memory alone (the naive script would stop
at the first file it cannot read), and the largest file written against the largest read.

Workspaces are built once with the project's own generator and synthetic focal point, and kept
under bench/work/ (git-ignored). Every timing is a whole process, started fresh; peak memory is
the process's maximum resident set size as the kernel reports it (wait4).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(ROOT))

# name: (countries, groups, rows per return, rows per template, share of returns with errors;
# periods: half-years ending with PERIOD, returns: how many of the templates come back)
SIZES = {
    "S": dict(countries=11, groups=4, rows=10, template_rows=100, error_share=0.0),  # rcm generate's default
    "M": dict(countries=250, groups=4, rows=50, template_rows=50, error_share=0.10),
    "L": dict(countries=5, groups=4, rows=5000, template_rows=5000, error_share=0.0),
    "multi": dict(countries=11, groups=4, rows=25, template_rows=25, error_share=0.0, periods=14, returns=600),
    "foreign": dict(countries=11, groups=4, rows=10, template_rows=30, error_share=0.0, returns=5, foreign=True),
}
PERIOD = "2025-H1"


def half_years(last: str, n: int) -> list[str]:
    year, half = int(last[:4]), int(last[-1])
    out = []
    for _ in range(n):
        out.append(f"{year}-H{half}")
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return out[::-1]


def _codes(n: int) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b + c for a in letters for b in letters for c in letters][:n]


def _plan_text(countries: int) -> str:
    """The default plan; for more than its 11 countries, synthetic ones (AAA, AAB, ...)."""
    from rcm_workbooks.core.plan import DEFAULT_PLAN

    text = DEFAULT_PLAN.read_text(encoding="utf-8")
    if countries <= 11:
        return text
    head, rest = text.split("\ncountries:\n", 1)
    tail = rest[rest.index("\n# The actors"):]
    lines = [f"  - {{code: {c}, language: {'es' if i % 3 else 'en'}, label: {{en: Country {c}, es: País {c}}}}}"
             for i, c in enumerate(_codes(countries))]
    return head + "\ncountries:\n" + "\n".join(lines) + "\n" + tail


def build(size: str) -> Path:
    """Make (once) a workspace of the given size with its inbox filled."""
    from rcm_workbooks.demo.fill import fill_round
    from rcm_workbooks.template.generate import generate
    from rcm_workbooks.workspace import init_workspace

    spec = SIZES[size]
    root = WORK / size
    stamp = root / ".built"
    if stamp.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    ws = init_workspace(root)
    ws.plan_path.write_text(_plan_text(spec["countries"]), encoding="utf-8")
    plan = ws.load_plan()
    countries = [c.code for c in plan.countries[: spec["countries"]]]
    t = time.perf_counter()
    made, manifest, n = [], [], spec["rows"]
    for period in half_years(PERIOD, spec.get("periods", 1)):
        # each period's returns come back before its due date: on time, as in a real round
        start = dt.date(int(period[:4]), 1 if period.endswith("H1") else 7, 1)
        due, saved = start + dt.timedelta(days=195), dt.datetime.combine(start, dt.time(12)) + dt.timedelta(days=190)
        these = generate(ws, plan, period, countries=countries, due=due, rows=spec["template_rows"])
        made += these
        room = spec.get("returns", len(made)) - len(manifest)
        manifest += fill_round([g.path for g in these][:max(room, 0)], ws.inbox, plan, seed=7, rows_per_return=(n, n),
                               mistake_rate=spec["error_share"], missing=0.0, rename_rate=0.0,
                               saved_at=saved, workers=2) if room > 0 else []
    rows = sum(len(m["rows"]) for m in manifest)
    extra = _foreign_files(ws.inbox / "foreign", made[len(manifest)]) if spec.get("foreign") else 0
    stamp.write_text(f"{len(manifest)} returns, {rows} rows, {extra} other files, built in {time.perf_counter() - t:.0f} s\n")
    return root


def _foreign_files(folder: Path, spare) -> int:
    """Every kind of file tests/kinds builds, and the workbooks of tests/kinds/bombs.py."""
    import importlib.util
    import io

    import openpyxl

    kinds = ROOT / "tests" / "kinds"
    sys.path.insert(0, str(kinds))
    spec = importlib.util.spec_from_file_location("kinds_build", kinds / "build.py")
    samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(samples)
    from bombs import share_text, shared_text_bomb, xls_shared_text_bomb

    folder.mkdir(parents=True, exist_ok=True)
    files = {f"{kind.value}-{name}": data for name, data, kind in samples.samples()}
    files["poc-shared-strings.xlsx"] = shared_text_bomb(cells=12_000, size=2**20)
    files["shared-text.xls"] = xls_shared_text_bomb(cells=12_000, size=30_000)
    # a return of the round (a template not otherwise returned) with the 1 MB text in 180 of its cells
    wb = openpyxl.load_workbook(spare.path)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}
    for i in range(30):
        for f in ("activity", "indicators", "measured_by", "risks", "progress", "next_steps"):
            wb[meta["matrix_sheet"]][f"{meta['col.' + f]}{int(meta['first_row']) + i}"] = "BOMB"
    out = io.BytesIO()
    wb.save(out)
    files[f"bomb-{spare.path.name}"] = share_text(out.getvalue(), "BOMB", "ab" * 2**19)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return len(files)


# Python's default: compiled modules are cached in __pycache__, as on a user's machine. A shell
# that sets PYTHONDONTWRITEBYTECODE would make every start compile rcm's own modules again
# (about 0.1 s), which no user pays after the first run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one whole process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed with exit {code}: {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def _rcm() -> list[str]:
    exe = Path(sys.executable).with_name("rcm")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "rcm_workbooks"]


def measure(size: str, repeat: int) -> dict:
    root = build(size)
    spec = SIZES[size]
    one_period = [] if spec.get("periods") else ["--period", PERIOD]
    rcm = _rcm() + ["consolidate", *one_period]
    naive = None if spec.get("foreign") else [sys.executable, str(HERE / "naive.py"), "inbox", "naive-out"]
    runs = {"rcm": [], "naive": []} if naive else {"rcm": []}
    _run(rcm, root)  # untimed: fills the bytecode and file caches
    if naive:
        _run(naive, root)
    for _ in range(repeat):  # alternate, so drift hits both alike
        runs["rcm"].append(_run(rcm, root))
        if naive:
            runs["naive"].append(_run(naive, root))
    import csv

    rows = 0
    for path in (root / "outbox").glob("*/consolidated_*.csv"):
        with open(path, newline="", encoding="utf-8") as fh:
            rows += sum(1 for _ in csv.reader(fh)) - 1
    inputs = [p for p in (root / "inbox").rglob("*") if p.is_file() and p.name != ".gitkeep"]
    outputs = [p for p in (root / "outbox").rglob("*") if p.is_file() and "templates" not in p.parts]
    out = {"size": size, "files": len(inputs), "rows": rows,
           "in_max": max(p.stat().st_size for p in inputs), "out_max": max(p.stat().st_size for p in outputs),
           "out_total": sum(p.stat().st_size for p in outputs)}
    for k, v in runs.items():
        out[k] = statistics.median(w for w, _ in v)
        out[k + "_mem"] = max(m for _, m in v)
        out[k + "_all"] = [round(w, 2) for w, _ in v]
    if naive:
        out["ratio"] = out["rcm"] / out["naive"]
    out["rows_per_s"] = rows / out["rcm"]
    return out


def cli_timings(repeat: int) -> dict:
    tmp = WORK / "cli"
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(_rcm() + ["init", str(tmp)], check=True, stdout=subprocess.DEVNULL, env=ENV)
    helps = [_run(_rcm() + ["--help"], tmp)[0] for _ in range(max(repeat, 5))]
    gens = []
    for _ in range(repeat):
        shutil.rmtree(tmp / "outbox" / PERIOD, ignore_errors=True)
        gens.append(_run(_rcm() + ["generate", "--period", PERIOD, "--due", "2025-06-30"], tmp)[0])
    return {"help": statistics.median(helps), "generate": statistics.median(gens)}


def profile(size: str, top: int = 25) -> str:
    import cProfile
    import io
    import pstats

    from rcm_workbooks.core.files import open_workspace
    from rcm_workbooks.round import consolidate

    ws = open_workspace(build(size))
    plan = ws.load_plan()
    prof = cProfile.Profile()
    prof.enable()
    consolidate(ws, plan, period=None if SIZES[size].get("periods") else PERIOD)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def table(results: list[dict], cli: dict | None) -> str:
    lines = [
        "| size | returns | rows merged | rcm consolidate (median) | naive script (median) | rcm / naive | rows per s | peak memory rcm | peak memory naive |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "naive" not in r:
            continue
        lines.append(f"| {r['size']} | {r['files']:,} | {r['rows']:,} | {r['rcm']:.2f} s {r['rcm_all']} | "
                     f"{r['naive']:.2f} s {r['naive_all']} | {r['ratio']:.2f} | {r['rows_per_s']:,.0f} | "
                     f"{r['rcm_mem']:.0f} MB | {r['naive_mem']:.0f} MB |")
    for r in results:
        if "naive" not in r:
            lines += ["", f"- {r['size']}: {r['files']:,} files ({r['rows']:,} rows merged): rcm consolidate "
                      f"{r['rcm']:.2f} s {r['rcm_all']}, peak memory {r['rcm_mem']:.0f} MB; largest file read "
                      f"{r['in_max'] / 2**10:,.0f} KB, largest written {r['out_max'] / 2**10:,.0f} KB "
                      f"({r['out_total'] / 2**20:,.1f} MB written in all)"]
    if cli:
        lines += ["", f"- `rcm --help`: {cli['help']:.3f} s (median of whole processes)",
                  f"- `rcm generate` of the 44 templates: {cli['generate']:.2f} s (median)"]
    return "\n".join(lines)


def machine() -> str:
    mem = ""
    try:
        kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GiB memory"
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write-doc", action="store_true")
    ap.add_argument("--profile", choices=list(SIZES))
    args = ap.parse_args()
    if args.profile:
        print(profile(args.profile))
        return
    results = []
    for size in args.sizes:
        t = time.perf_counter()
        build(size)
        print(f"[{size}] workspace ready ({time.perf_counter() - t:.0f} s): {(WORK / size / '.built').read_text().strip()}",
              file=sys.stderr)
        results.append(measure(size, args.repeat))
        r = results[-1]
        print(f"[{size}] {r['rcm']:.2f} s" + (f" vs {r['naive']:.2f} s" if "naive" in r else f", {r['rcm_mem']:.0f} MB"),
              file=sys.stderr)
    cli = cli_timings(args.repeat)
    text = table(results, cli)
    print(f"Machine: {machine()}; {dt.date.today().isoformat()}\n")
    print(text)
    if args.write_doc:
        doc = ROOT / "docs" / "performance.md"
        body = doc.read_text(encoding="utf-8")
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        new = f"{start}\nMachine: {machine()}; run on {dt.date.today().isoformat()}.\n\n{text}\n{end}"
        if start in body:
            body = body[: body.index(start)] + new + body[body.index(end) + len(end):]
        else:
            body += "\n" + new + "\n"
        doc.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main()
