"""Nothing is lost (DESIGN.md section 7, issue 4 item 5), checked on random mixed inboxes.

Each inbox mixes valid returns (fill_round / fill_workbook, with the typical mistakes of
fill.MISTAKES), later versions of some of them (supersession), returns of a second period,
corrupted copies (random byte flips, truncation at a random offset, a deleted zip member),
byte-identical duplicates and junk. Then, from consolidate.read_all + consolidate.frames:

- every file has exactly one verdict in {accepted, rejected, superseded, ignored} and a reason;
- every non-empty row of every READABLE return is in Matrix or Rejected rows exactly once
  (matched on the file's content hash, the sheet row and the activity text), and nothing else
  from a readable return shows up there;
- no exception escapes.

"Readable" is decided here, independently of the package: openpyxl opens the file, finds `_meta`
and the matrix sheet it names, and the zip package is intact (every member inflates with a good
CRC, every sheet part is there, `_rels/.rels` is there). Packages damaged only in parts that
openpyxl happens not to need are the subject of test_damaged_unneeded_part_keeps_rows below
(known gap, strict xfail), not of the random property.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import re
import shutil
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities

from rcm_workbooks.core.fields import INPUT_FIELDS
from rcm_workbooks.demo.fill import (
    apply_mistakes,
    fill_round,
    fill_workbook,
    synthetic_rows,
)
from rcm_workbooks.intake import consolidate as cons
from rcm_workbooks.round import consolidate as run_round
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace
from tests.support.workbooks import rewrite

P1, P2 = "2025-H1", "2025-H2"
VERDICTS = {"accepted", "rejected", "superseded", "ignored"}
SEEDS = list(range(12))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("lost")
    ws = init_workspace(root / "ws")
    # PROT gets pre-filled priority rows: they count as non-empty rows too.
    ws.plan_path.write_text(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML), encoding="utf-8")
    plan = ws.load_plan()
    h1 = generate(ws, plan, P1, groups=["PROT", "IRMM", "LABR"], countries=["GTM", "USA", "MEX"], rows=8)
    h2 = generate(ws, plan, P2, groups=["PROT", "BORD"], countries=["CAN", "HND"], rows=6)
    return {"root": root, "ws": ws, "plan": plan, "h1": [g.path for g in h1], "h2": [g.path for g in h2]}


# --- corruption ------------------------------------------------------------------------------


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def without_member(data: bytes, member: str) -> bytes:
    return rewrite(data, drop=(member,))


def sheet_parts(data: bytes) -> dict[str, str]:
    """{sheet name: worksheet part} from the package's own workbook.xml and its rels."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*?Target="([^"]+)"', rels)
                   + [(b, a) for a, b in re.findall(r'Target="([^"]+)"[^>]*?Id="(rId\d+)"', rels)])
    out = {}
    for name, rid in re.findall(r'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="(rId\d+)"', wb):
        t = targets[rid]
        out[name] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    return out


def delete_random_member(data: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [i.filename for i in zf.infolist()]
    parts = sheet_parts(data)
    # Sheet parts other than `_meta` and the matrix, and `_rels/.rels`: the known gap (see the
    # module docstring); everything else, the matrix and `_meta` included, is fair game.
    unneeded = {p for s, p in parts.items() if s not in ("_meta",) and not _is_matrix(s)} | {"_rels/.rels"}
    return without_member(data, rng.choice([n for n in names if n not in unneeded]))


def _is_matrix(sheet: str) -> bool:
    return sheet in ("Follow-up matrix", "Matriz de seguimiento")


# --- the independent expectation -------------------------------------------------------------


def intact(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if zf.testzip() is not None:
                return False
            names = set(zf.namelist())
        return "_rels/.rels" in names and all(p in names for p in sheet_parts(data).values())
    except Exception:
        return False


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def expected_rows(data: bytes) -> set[tuple[int, str]] | None:
    """(sheet row, activity text) of every non-empty input row; None when the file is not readable."""
    import openpyxl

    if not intact(data):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data))
    except Exception:
        return None
    if "_meta" not in wb.sheetnames:
        return None
    meta = {}
    for key, value, *_ in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True):
        if key is not None:
            meta[str(key).strip()] = "" if value is None else str(value).strip()
    sheet = meta.get("matrix_sheet", "")
    if sheet not in wb.sheetnames:
        return None
    ws = wb[sheet]
    first = int(meta["first_row"])
    cols = {f: meta[f"col.{f}"] for f in INPUT_FIELDS}
    out = set()
    for r in range(first, ws.max_row + 1):
        values = {f: ws[f"{cols[f]}{r}"].value for f in INPUT_FIELDS}
        if any(as_text(v).strip() for v in values.values()):
            out.add((r, as_text(values["activity"])))
    return out


# --- building an inbox ------------------------------------------------------------------------


def build_inbox(world, seed: int, inbox: Path) -> None:
    rng = random.Random(seed)
    plan = world["plan"]
    base = dt.datetime(2025, 5, 1, 9, 0)
    h1 = rng.sample(world["h1"], rng.randint(3, len(world["h1"])))
    # Round one, and a later round for some of the same pairs: the later saved one supersedes.
    made = fill_round(h1, inbox / "first", plan, seed=seed, rows_per_return=(0, 6), mistake_rate=0.8,
                      missing=0.0, rename_rate=0.5, saved_at=base)
    again = rng.sample(h1, rng.randint(0, 3))
    made += fill_round(again, inbox / "second", plan, seed=seed + 1000, rows_per_return=(1, 5), mistake_rate=0.5,
                       missing=0.0, rename_rate=0.0, saved_at=base + dt.timedelta(days=3))
    # Another period, filled by hand with mistakes.
    for i, src in enumerate(rng.sample(world["h2"], rng.randint(1, len(world["h2"])))):
        tpl_lang = "es" if "HND" in src.name else "en"
        group = "PROT" if "PROT" in src.name else "BORD"
        rows = synthetic_rows(plan, group, "HND" if tpl_lang == "es" else "CAN", tpl_lang, rng, rng.randint(1, 5))
        apply_mistakes(rows, rng, rng.randint(0, 3), plan=plan, language=tpl_lang)
        dst = inbox / "h2" / f"{i} {src.name}"
        fill_workbook(src, dst, rows, saved_at=base + dt.timedelta(days=rng.randint(0, 60)))
        made.append({"path": dst})
    valid = [m["path"] for m in made]
    # Corrupted copies and duplicates of random valid returns.
    bad = inbox / "damaged"
    bad.mkdir(parents=True, exist_ok=True)
    for i in range(rng.randint(2, 6)):
        src = rng.choice(valid)
        data = src.read_bytes()
        how = rng.choice(["flip", "truncate", "member"])
        mangled = {"flip": flip_bytes, "truncate": truncate, "member": delete_random_member}[how](data, rng)
        (bad / f"{how}-{i}-{src.name}").write_bytes(mangled)
    dups = inbox / "dups"
    dups.mkdir(parents=True, exist_ok=True)
    for i in range(rng.randint(1, 3)):
        src = rng.choice(valid)
        shutil.copyfile(src, dups / f"copy {i} of {src.name}")
    # Junk a focal point might send along.
    (inbox / "~$lock.xlsx").write_bytes(b"\x00" * 165)
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (inbox / "notes.pdf.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n")
    (inbox / "empty.xlsx").write_bytes(b"")


def observed(returns, lang="en"):
    periods = sorted({r.period for r in returns if r.identified})
    seen: Counter = Counter()
    where: dict = {}
    for p in periods:
        matrix, rejected = cons.frames(p, returns, lang)
        for sha, row, act, name in zip(matrix["source_sha256"], matrix["source_row"], matrix["activity"],
                                       matrix["source_file"]):
            key = (sha, int(row), act)
            seen[key] += 1
            where.setdefault(key, []).append(("Matrix", name))
        for sha, row, act, name in zip(rejected["source_sha256"], rejected["row"], rejected["activity"],
                                       rejected["source_file"]):
            key = (sha, int(row), act)
            seen[key] += 1
            where.setdefault(key, []).append(("Rejected rows", name))
    return seen, where


@pytest.mark.parametrize("seed", SEEDS)
def test_nothing_lost_in_a_random_inbox(world, seed):
    inbox = world["root"] / f"inbox{seed}"
    build_inbox(world, seed, inbox)
    files = cons.scan([inbox])
    returns = cons.read_all(files, world["plan"], workers=1)  # no exception escapes

    # One verdict with a reason per file, nothing more, nothing less.
    assert sorted(r.name for r in returns) == sorted(name for _, name in files)
    for r in returns:
        assert r.verdict in VERDICTS, (r.name, r.verdict)
        assert r.reason.strip(), (r.name, r.verdict)
    by_name = {r.name: r for r in returns}
    for junk in ("~$lock.xlsx", ".DS_Store"):
        assert by_name[junk].verdict == "ignored"
    for stray in ("notes.pdf.xlsx", "empty.xlsx"):
        assert by_name[stray].verdict == "rejected"

    # The expectation, from each file's own bytes.
    expected: set = set()
    readable_shas = set()
    for path, name in files:
        data = path.read_bytes()
        rows = expected_rows(data) if data else None
        if rows is None:
            continue
        sha = hashlib.sha256(data).hexdigest()
        readable_shas.add(sha)
        expected |= {(sha, r, act) for r, act in rows}
    assert expected, "the inbox should hold some rows"

    seen, where = observed(returns)
    lost = sorted(k for k in expected if seen[k] == 0)
    twice = sorted((k, where[k]) for k in expected if seen[k] > 1)
    invented = sorted((k, where[k]) for k in seen if k[0] in readable_shas and k not in expected)
    names = {r.sha256: r.name for r in returns}
    assert not lost, [(names.get(s), r, a, by_name[names[s]].verdict if s in names else None) for s, r, a in lost][:10]
    assert not twice, twice[:10]
    assert not invented, invented[:10]
    for key, count in seen.items():  # rows of files openpyxl could not read still show once
        assert count == 1, (key, where[key])

    # Accepted rows come only from accepted returns, and the counts agree with the verdicts.
    for p in sorted({r.period for r in returns if r.identified}):
        matrix, rejected = (t.to_pandas() for t in cons.frames(p, returns))
        for name in set(matrix["source_file"]):
            assert by_name[name].verdict == "accepted", name
        for r in returns:
            if r.identified and r.period == p and r.verdict in ("rejected", "superseded"):
                assert int((rejected["source_file"] == r.name).sum()) == len(r.rows), r.name
    summary_rows = sum(1 for r in returns if r.verdict == "accepted" for x in r.rows if x.accepted)
    assert summary_rows == sum(seen[k] for k in seen if where[k][0][0] == "Matrix")


@pytest.mark.parametrize("seed", [101, 102])
def test_consolidate_on_a_random_inbox_writes_every_row(world, seed):
    """The whole command on a mixed inbox: no exception, CSV rows = Matrix, Rejected rows complete."""
    import csv

    import openpyxl

    case = world["root"] / f"full{seed}"
    build_inbox(world, seed, case / "inbox")
    result = run_round(world["ws"], world["plan"], inbox=case / "inbox", out=case / "out",
                              db=case / "registry.sqlite", lock_wait=5)
    assert result.exit_code == 1  # junk PDF and empty file are rejected
    assert set(result.periods) == {P1, P2}
    for p, pr in result.periods.items():
        with open(case / "out" / p / f"consolidated_{p}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == len(pr.matrix)
        assert [r["activity"] for r in rows] == list(pr.matrix["activity"])
        wb = openpyxl.load_workbook(case / "out" / p / f"consolidated_{p}.xlsx", read_only=True)
        rej = list(wb["Rejected rows"].iter_rows(min_row=2, values_only=True))
        rej = [r for r in rej if any(v not in (None, "") for v in r)]
        assert len(rej) == len(pr.rejected)
        wb.close()
    s = result.summary()
    assert s["files_seen"] == len(cons.scan([case / "inbox"]))
    assert s["files_seen"] == sum(s[f"files_{v}"] for v in VERDICTS)


# --- the known gap: packages damaged only where openpyxl does not look --------------------------


def _one_valid(world, tmp: Path) -> tuple[Path, bytes]:
    plan = world["plan"]
    src = next(p for p in world["h1"] if "USA_IRMM" in p.name)
    rows = synthetic_rows(plan, "IRMM", "USA", "en", random.Random(7), 4)
    dst = tmp / "valid.xlsx"
    fill_workbook(src, dst, rows, saved_at=dt.datetime(2025, 5, 1))
    return dst, dst.read_bytes()


def _damage(data: bytes, how: str) -> bytes:
    parts = sheet_parts(data)
    if how == "no-instructions-part":
        return without_member(data, parts["Instructions"])
    if how == "no-lists-part":
        return without_member(data, parts["_lists"])
    if how == "no-package-rels":
        return without_member(data, "_rels/.rels")
    if how == "app-xml-crc":  # one flipped bit inside docProps/app.xml's compressed bytes
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("docProps/app.xml")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        b = bytearray(data)
        b[start + info.compress_size // 2] ^= 0x10
        return bytes(b)
    raise AssertionError(how)


GAP = "needs: reader._open_zip/_verify_members to reject a package only for damage in the parts it reads " \
      "(workbook.xml + rels, `_meta`, the matrix sheet, sharedStrings), and to read values when _rels/.rels " \
      "is missing (python-calamine cannot detect the format without it)"


@pytest.mark.parametrize("how", [
    "no-instructions-part",
    "no-lists-part",
    "no-package-rels",
    "app-xml-crc",
])
def test_damaged_unneeded_part_keeps_rows(world, tmp_path, how):
    """openpyxl opens these and finds `_meta` and the matrix: their rows must not vanish."""
    import openpyxl

    _, data = _one_valid(world, tmp_path)
    damaged = _damage(data, how)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "damaged.xlsx").write_bytes(damaged)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(damaged))
    assert "_meta" in wb.sheetnames and "Follow-up matrix" in wb.sheetnames  # readable, by openpyxl
    returns = cons.read_all(cons.scan([inbox]), world["plan"], workers=1)
    matrix, rejected = cons.frames(P1, returns)
    assert len(matrix) + len(rejected) == 4, (returns[0].verdict, returns[0].reason)


def test_package_calamine_cannot_open_is_damaged_not_internal_error(world, tmp_path, monkeypatch):
    import python_calamine

    from rcm_workbooks.intake.validate import read_return

    def refuse(*args, **kwargs):
        raise python_calamine.CalamineError("Cannot detect file format")

    _, data = _one_valid(world, tmp_path)
    path = tmp_path / "refused.xlsx"
    path.write_bytes(data)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)
    ret = read_return(path, path.name, world["plan"])  # must not raise
    assert ret.verdict == "rejected"
    assert {f.code for f in ret.findings} == {"file-damaged"}
