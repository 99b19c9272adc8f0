"""The corpus of bad, odd and hostile inputs (tests/corpus, built by tests/corpus/build.py).

Each corpus entry has `<name>.expect.json`: the verdict, the exact set of (code, sheet, cell)
findings, and optionally the files read with it ("together"), the number of its rows that must
land in Matrix + Rejected rows ("rows"), and the package change an expectation waits for
("xfail", "xfail_rows": the test is marked xfail(strict=True) and flips when the change lands).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities

from rcm_workbooks.intake.consolidate import frames, read_all, scan

CORPUS = Path(__file__).parent / "corpus"
PERIOD = "2025-H1"
# Every copied file gets this time: before the due date, so only a workbook's own saved time
# can make it late (a checkout's file times are whatever git gives).
FILE_TIME = dt.datetime(2025, 6, 20, 12, 0, tzinfo=dt.timezone.utc).timestamp()
VERDICTS = {"accepted", "rejected", "ignored", "superseded"}


def _expectations() -> dict[str, dict]:
    out = {}
    for p in sorted(CORPUS.glob("*.expect.json")):
        out[p.name[: -len(".expect.json")]] = json.loads(p.read_text(encoding="utf-8"))
    return out


EXPECT = _expectations()


def _params(key: str, only=None):
    out = []
    for name, exp in EXPECT.items():
        if only and not only(exp):
            continue
        marks = [pytest.mark.xfail(strict=True, reason=exp[key])] if exp.get(key) else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.fixture(scope="module")
def corpus_plan(tmp_path_factory):
    """The default plan plus PROT's priority activities (same id and codes as the default plan)."""
    from rcm_workbooks.core.plan import load_plan

    path = tmp_path_factory.mktemp("plan") / "plan.yaml"
    path.write_text(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML), encoding="utf-8")
    return load_plan(path)


def _pin_times(path: Path) -> None:
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, (FILE_TIME, FILE_TIME), follow_symlinks=False)


def copy_into(inbox: Path, name: str) -> Path:
    src, dst = CORPUS / name, inbox / name
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copyfile(src, dst)
    _pin_times(dst)
    return dst


def own(returns, name: str):
    """The Return(s) of corpus entry `name` (a folder entry owns the files inside it)."""
    return [r for r in returns if r.name == name or r.name.startswith(name + "/")]


def triples(ret) -> set[tuple]:
    return {(f.code, f.sheet or None, f.cell or None) for f in ret.all_findings()}


def test_corpus_is_big_enough_and_small_on_disk():
    assert len(EXPECT) >= 30
    for name in EXPECT:
        assert (CORPUS / name).exists(), f"{name}.expect.json has no input beside it"
        assert EXPECT[name]["verdict"] in VERDICTS, name
    inputs = [p for p in CORPUS.iterdir() if not p.name.endswith(".expect.json") and p.suffix != ".py"
              and p.name != "__pycache__"]
    assert {p.name for p in inputs} == set(EXPECT), "every corpus input needs an .expect.json"
    total = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert total < 2 * 2**20, f"the corpus is {total / 2**20:.1f} MB on disk"


@pytest.mark.parametrize("name", _params("xfail"))
def test_corpus_verdict_and_findings(name, corpus_plan, tmp_path):
    exp = EXPECT[name]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in [name, *exp.get("together", [])]:
        copy_into(inbox, n)
    start = time.monotonic()
    returns = read_all(scan([inbox]), corpus_plan, period=PERIOD)
    assert time.monotonic() - start < 10, "sanity bound: one corpus file takes seconds at most"
    mine = own(returns, name)
    assert len(mine) == 1, [r.name for r in returns]
    ret = mine[0]
    assert ret.reason, "every verdict has a reason"
    want = {(f["code"], f["sheet"], f["cell"]) for f in exp["findings"]}
    assert (ret.verdict, triples(ret)) == (exp["verdict"], want), ret.reason


@pytest.mark.parametrize("name", _params("xfail_rows", only=lambda e: "rows" in e))
def test_corpus_rows_are_not_lost(name, corpus_plan, tmp_path):
    """Nothing is lost: the rows of a readable return land in Matrix or Rejected rows, once."""
    exp = EXPECT[name]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in [name, *exp.get("together", [])]:
        copy_into(inbox, n)
    returns = read_all(scan([inbox]), corpus_plan, period=PERIOD)
    matrix, rejected = (t.to_pandas() for t in frames(PERIOD, returns))
    names = {r.name for r in own(returns, name)}
    landed = int(matrix["source_file"].isin(names).sum()) + int(rejected["source_file"].isin(names).sum())
    assert landed == exp["rows"]


def test_symlink_is_ignored_not_followed(corpus_plan, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    target = copy_into(inbox, "typed-labels.xlsx")
    (inbox / "link to return.xlsx").symlink_to(target)
    (inbox / "link to folder").symlink_to(tmp_path, target_is_directory=True)
    returns = {r.name: r for r in read_all(scan([inbox]), corpus_plan, period=PERIOD)}
    assert set(returns) == {"typed-labels.xlsx", "link to return.xlsx", "link to folder"}
    assert returns["typed-labels.xlsx"].verdict == "accepted"
    for name in ("link to return.xlsx", "link to folder"):
        assert returns[name].verdict == "ignored"
        assert triples(returns[name]) == {("file-ignored", None, None)}
        assert returns[name].reason


# --- the whole corpus in one inbox ---------------------------------------------------------

VALID = {  # (group, country) not used by any corpus file, so nothing supersedes them
    ("BORD", "USA"): ["Joint patrol training at the northern border", "Risk analysis handbook"],
    ("BORD", "MEX"): ["Mesa binacional de gestión fronteriza", "Protocolo de atención en garitas"],
    ("LABR", "CRI"): ["Programa de migración laboral temporal", "Ferias de empleo para personas migrantes"],
}


def _valid_return(group: str, country: str, activities: list[str], dest: Path, plan) -> list[tuple]:
    import openpyxl

    from rcm_workbooks.template.build import TemplateSpec, build

    g, c = plan.group(group), plan.country(country)
    data, meta = build(TemplateSpec(plan, PERIOD, g, c, c.language, dt.date(2025, 6, 30), 10))
    import io

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[meta["matrix_sheet"]]
    lang = meta["language"]
    p = plan.pillars[0]
    statuses = plan.statuses
    expected = []
    for i, text in enumerate(activities):
        r = int(meta["first_row"]) + i
        st = statuses[i % len(statuses)]
        ws[f"{meta['col.pillar']}{r}"] = p.label(lang)
        ws[f"{meta['col.theme']}{r}"] = p.themes[i].label(lang)
        ws[f"{meta['col.activity']}{r}"] = text
        ws[f"{meta['col.status']}{r}"] = st.label(lang)
        if i == 0:
            cell = ws[f"{meta['col.progress']}{r}"]
            cell.value = "=not a formula, just text"
            cell.data_type = "s"  # openpyxl would make it a formula; a person typed it as text
        expected.append((country, group, p.code, p.themes[i].code, text, st.code))
    wb.properties.modified = dt.datetime(2025, 6, 20, 9, 0)
    path = dest / f"RCM_{PERIOD}_{country}_{group}.xlsx"
    wb.save(path)
    _pin_times(path)
    return expected


def _measure_script(path: Path, plan_path: Path) -> str:
    return textwrap.dedent(f"""
        import json, resource, sys
        from pathlib import Path

        def peak_kb():
            # VmHWM is this process's own peak; ru_maxrss is carried over exec from the parent
            # (pytest), whose earlier peak would hide any growth here.
            try:
                for line in open("/proc/self/status"):
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
            except OSError:
                pass
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        from rcm_workbooks.intake.consolidate import read_all, scan
        from rcm_workbooks.core.plan import load_plan
        import python_calamine, defusedxml  # imported before the baseline
        plan = load_plan(Path({str(plan_path)!r}))
        before = peak_kb()
        returns = read_all(scan([Path({str(path)!r})]), plan, period={PERIOD!r})
        after = peak_kb()
        print(json.dumps({{"growth_kb": after - before, "verdicts": [r.verdict for r in returns]}}))
    """)


def test_whole_corpus_and_valid_returns_in_one_inbox(corpus_plan, tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub folder").mkdir(parents=True)
    for name in EXPECT:
        copy_into(inbox / "sub folder" if name.startswith("o") else inbox, name)
    expected_rows = []
    for (group, country), acts in VALID.items():
        expected_rows += _valid_return(group, country, acts, inbox, corpus_plan)
    start = time.monotonic()
    returns = read_all(scan([inbox]), corpus_plan, period=PERIOD)
    elapsed = time.monotonic() - start
    assert elapsed < 120

    names = {r.name for r in returns}
    assert len(returns) == len(EXPECT) + len(VALID)
    for r in returns:
        assert r.verdict in VERDICTS, r.name
        assert r.reason, r.name
    assert len(names) == len(returns)

    matrix, rejected = (t.to_pandas() for t in frames(PERIOD, returns))
    valid_files = {f"RCM_{PERIOD}_{c}_{g}.xlsx" for g, c in VALID}
    got = matrix[matrix["source_file"].isin(valid_files)]
    rows = sorted(zip(got["country"], got["working_group"], got["pillar"], got["theme"], got["activity"], got["status"]))
    assert rows == sorted(expected_rows)
    assert "=not a formula, just text" in set(got["progress"])
    for f in valid_files:
        assert next(r for r in returns if r.name == f).verdict == "accepted"
    # accepted corpus files keep their rows too: nothing of an accepted file is dropped
    for r in returns:
        if r.verdict == "accepted":
            landed = int((matrix["source_file"] == r.name).sum()) + int((rejected["source_file"] == r.name).sum())
            assert landed == len(r.rows), r.name


@pytest.mark.parametrize("name", [
    "zip-bomb.xlsx",
    "zip-bomb-ratio.xlsx",
    "cell-in-last-row.xlsx",
    "cell-in-last-column.xlsx",
    "entity-bomb.xlsx",
    "zip-bomb-lying-sizes.xlsx",
])
def test_memory_stays_bounded(name, tmp_path):
    """Reading one hostile file grows the process by less than 300 MB (measured in a fresh process,
    so an earlier test's peak cannot hide it)."""
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML), encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    copy_into(inbox, name)
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", _measure_script(inbox, plan_path)], capture_output=True,
                         text=True, timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr[-2000:]
    assert time.monotonic() - start < 30
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["growth_kb"] < 300 * 1024, f"{result['growth_kb'] / 1024:.0f} MB"
    assert result["verdicts"] == [EXPECT[name]["verdict"]]


def test_no_corpus_file_is_an_internal_error(corpus_plan, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in EXPECT:
        copy_into(inbox, name)
    returns = read_all(scan([inbox]), corpus_plan, period=PERIOD)
    assert [r.name for r in returns if any(f.code == "file-internal-error" for f in r.findings)] == []
