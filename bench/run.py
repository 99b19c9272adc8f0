"""Benchmark: `rcm consolidate` against the naive pandas script, at three sizes.

    python3 bench/run.py                 # all sizes, 3 alternating runs each, prints a Markdown table
    python3 bench/run.py --sizes S M     # some sizes only
    python3 bench/run.py --write-doc     # also rewrite the figures in docs/performance.md
    python3 bench/run.py --profile M     # cProfile of consolidate on M, top functions

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

# name: (countries, groups, rows per return, rows per template, share of returns with errors)
SIZES = {
    "S": dict(countries=11, groups=4, rows=10, template_rows=30, error_share=0.0),
    "M": dict(countries=250, groups=4, rows=50, template_rows=50, error_share=0.10),
    "L": dict(countries=5, groups=4, rows=5000, template_rows=5000, error_share=0.0),
}
PERIOD = "2025-H1"


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
    made = generate(ws, plan, PERIOD, countries=countries, due=dt.date(2025, 7, 15), rows=spec["template_rows"])
    n = spec["rows"]
    manifest = fill_round([g.path for g in made], ws.inbox, plan, seed=7, rows_per_return=(n, n),
                          mistake_rate=spec["error_share"], missing=0.0, rename_rate=0.0,
                          saved_at=dt.datetime(2025, 7, 10, 12, 0), workers=2)
    rows = sum(len(m["rows"]) for m in manifest)
    stamp.write_text(f"{len(manifest)} returns, {rows} rows, built in {time.perf_counter() - t:.0f} s\n")
    return root


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
    rcm = _rcm() + ["consolidate", "--period", PERIOD]
    naive = [sys.executable, str(HERE / "naive.py"), "inbox", "naive-out"]
    runs = {"rcm": [], "naive": []}
    _run(rcm, root), _run(naive, root)  # untimed: fills the bytecode and file caches for both
    for _ in range(repeat):  # alternate, so drift hits both alike
        runs["rcm"].append(_run(rcm, root))
        runs["naive"].append(_run(naive, root))
    import pandas as pd

    rows = len(pd.read_csv(root / "outbox" / PERIOD / f"consolidated_{PERIOD}.csv", dtype=str, keep_default_na=False))
    files = sum(1 for p in (root / "inbox").rglob("*") if p.is_file() and p.name != ".gitkeep")
    out = {"size": size, "files": files, "rows": rows}
    for k, v in runs.items():
        out[k] = statistics.median(w for w, _ in v)
        out[k + "_mem"] = max(m for _, m in v)
        out[k + "_all"] = [round(w, 2) for w, _ in v]
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
    consolidate(ws, plan, period=PERIOD)
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
        lines.append(f"| {r['size']} | {r['files']:,} | {r['rows']:,} | {r['rcm']:.2f} s {r['rcm_all']} | "
                     f"{r['naive']:.2f} s {r['naive_all']} | {r['ratio']:.2f} | {r['rows_per_s']:,.0f} | "
                     f"{r['rcm_mem']:.0f} MB | {r['naive_mem']:.0f} MB |")
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
        print(f"[{size}] {results[-1]['rcm']:.2f} s vs {results[-1]['naive']:.2f} s", file=sys.stderr)
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
