#!/usr/bin/env python3
"""Golden template: build it, split it into pretty-printed XML parts, compare it.

Refresh the golden files after an intended change to the template (then review `git diff`):

    python3 tests/golden/refresh.py

The golden workbook is RCM_2025-H1_GTM_PROT.xlsx of the default plan, due 2025-06-30, with
3 empty rows, built with SOURCE_DATE_EPOCH=1735689600. Its folder holds one file per zip member,
pretty-printed one element per line, so a change shows as a readable diff. The comparison (see
tests/test_golden.py) strips what may legitimately vary: the dates of docProps/core.xml and the
values of template_id, generated_at, fingerprint and generator in `_meta`. Like XlsxWriter's own
test helper (_compare_xlsx_files), it sorts the entries of [Content_Types].xml and the .rels
files, whose order carries no meaning.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
GOLDEN_NAME = "RCM_2025-H1_GTM_PROT.xlsx"
GOLDEN_DIR = HERE / f"{GOLDEN_NAME}.d"
EPOCH = "1735689600"  # 2025-01-01T00:00:00Z
PERIOD, GROUP, COUNTRY, DUE, ROWS = "2025-H1", "PROT", "GTM", dt.date(2025, 6, 30), 3
VOLATILE_META = ("template_id", "generated_at", "fingerprint", "generator")
VOLATILE = "[volatile]"

XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "dcterms": "http://purl.org/dc/terms/",
}
_TEXT_ESCAPES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


# --- building ------------------------------------------------------------------------------


@contextlib.contextmanager
def _env(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def build_golden() -> bytes:
    """Generate the golden workbook afresh, through the library, and return its bytes."""
    from rcm_workbooks.template.generate import generate
    from rcm_workbooks.workspace import init_workspace

    with tempfile.TemporaryDirectory() as tmp, _env("SOURCE_DATE_EPOCH", EPOCH):
        ws = init_workspace(Path(tmp) / "ws")
        made = generate(ws, ws.load_plan(), PERIOD, groups=[GROUP], countries=[COUNTRY], due=DUE, rows=ROWS)
        assert len(made) == 1 and made[0].path.name == GOLDEN_NAME, made
        return made[0].path.read_bytes()


def xlsx_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


# --- XML to lines --------------------------------------------------------------------------


class Part:
    """One XML part parsed with its namespace prefixes, so it can be written back readably."""

    def __init__(self, data: bytes):
        m = re.match(rb"^\s*(<\?xml[^>]*\?>)", data)
        self.declaration = m.group(1).decode() if m else ""
        self.namespaces: list[tuple[str, str]] = []
        root = None
        for event, item in ET.iterparse(io.BytesIO(data), events=("start-ns", "start")):
            if event == "start-ns":
                if item not in self.namespaces:
                    self.namespaces.append(item)
            elif root is None:
                root = item
        self.root = root
        prefixes: dict[str, str] = {}
        for prefix, uri in self.namespaces:
            if prefixes.setdefault(prefix, uri) != uri:
                raise ValueError(f"prefix {prefix!r} bound to two namespaces; cannot pretty-print")
        self._prefix = {}
        for prefix, uri in self.namespaces:
            self._prefix.setdefault(uri, prefix)

    def _q(self, name: str) -> str:
        if not name.startswith("{"):
            return name
        uri, local = name[1:].split("}", 1)
        if uri == XML_NS:
            return f"xml:{local}"
        prefix = self._prefix[uri]
        return f"{prefix}:{local}" if prefix else local

    def lines(self) -> list[str]:
        out = [self.declaration] if self.declaration else []
        decls = "".join(f" xmlns:{p}={quoteattr(u)}" if p else f" xmlns={quoteattr(u)}" for p, u in self.namespaces)
        self._walk(self.root, 0, decls, out)
        return out

    def _walk(self, el, depth: int, extra: str, out: list[str]) -> None:
        tag = self._q(el.tag)
        attrs = extra + "".join(f" {self._q(k)}={quoteattr(v)}" for k, v in sorted(el.attrib.items()))
        pad = "  " * depth
        children = list(el)
        text = el.text
        if children:
            if text and text.strip():
                raise ValueError(f"mixed content in <{tag}>; cannot pretty-print")
            out.append(f"{pad}<{tag}{attrs}>")
            for child in children:
                if child.tail and child.tail.strip():
                    raise ValueError(f"mixed content after <{self._q(child.tag)}>")
                self._walk(child, depth + 1, "", out)
            out.append(f"{pad}</{tag}>")
        elif text:
            out.append(f"{pad}<{tag}{attrs}>{escape(text, _TEXT_ESCAPES)}</{tag}>")
        else:
            out.append(f"{pad}<{tag}{attrs}/>")


def pretty(data: bytes) -> str:
    """An XML part pretty-printed, one element per line (text kept exactly, newlines as &#10;)."""
    return "\n".join(Part(data).lines()) + "\n"


# --- normalizing for comparison --------------------------------------------------------------


def _meta_sheet_path(parts: dict[str, Part]) -> str | None:
    wb, rels = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    if wb is None or rels is None:
        return None
    rid = None
    for sheet in wb.root.iter(f"{{{NS['main']}}}sheet"):
        if sheet.get("name") == "_meta":
            rid = sheet.get(f"{{{NS['r']}}}id")
    for rel in rels.root.iter(f"{{{NS['rel']}}}Relationship"):
        if rid and rel.get("Id") == rid:
            target = rel.get("Target")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _si_text(si) -> str:
    """The text of a shared string (its <t> elements; pretty-printing whitespace is not text)."""
    return "".join(t.text or "" for t in si.iter(f"{{{NS['main']}}}t"))


def _strip_volatile(parts: dict[str, Part]) -> None:
    core = parts.get("docProps/core.xml")
    if core is not None:
        for tag in ("created", "modified"):
            for el in core.root.iter(f"{{{NS['dcterms']}}}{tag}"):
                el.text = VOLATILE
    meta_path = _meta_sheet_path(parts)
    sst = parts.get("xl/sharedStrings.xml")
    if meta_path is None or meta_path not in parts or sst is None:
        return
    items = list(sst.root.iter(f"{{{NS['main']}}}si"))

    def cell_text(c):
        v = c.find(f"{{{NS['main']}}}v")
        if v is None:
            return None
        if c.get("t") == "s":
            return int(v.text)
        return v.text

    for row in parts[meta_path].root.iter(f"{{{NS['main']}}}row"):
        cells = {re.sub(r"\d+", "", c.get("r", "")): c for c in row.iter(f"{{{NS['main']}}}c")}
        if "A" not in cells or "B" not in cells:
            continue
        key = cell_text(cells["A"])
        key_text = _si_text(items[key]) if isinstance(key, int) else key
        if key_text in VOLATILE_META:
            value = cell_text(cells["B"])
            if isinstance(value, int):
                si = items[value]
                for child in list(si):
                    si.remove(child)
                t = ET.SubElement(si, f"{{{NS['main']}}}t")
                t.text = f"{VOLATILE} {key_text}"
            else:
                v = cells["B"].find(f"{{{NS['main']}}}v")
                if v is not None:
                    v.text = VOLATILE


def normalized(members: dict[str, bytes]) -> dict[str, list[str]]:
    """Every XML part as a list of lines, volatile values stripped, meaningless order sorted."""
    parts = {name: Part(data) for name, data in members.items()}
    _strip_volatile(parts)
    out = {}
    for name, part in parts.items():
        lines = part.lines()
        if name == "[Content_Types].xml" or name.endswith(".rels"):
            head = 2 if part.declaration else 1
            lines = lines[:head] + sorted(lines[head:-1]) + lines[-1:]
        out[name] = lines
    return out


def golden_members(folder: Path = GOLDEN_DIR) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- refreshing ----------------------------------------------------------------------------


def refresh(folder: Path = GOLDEN_DIR) -> list[str]:
    members = xlsx_members(build_golden())
    if folder.exists():
        shutil.rmtree(folder)
    for name, data in members.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(pretty(data), encoding="utf-8", newline="\n")
    return list(members)


def main() -> int:
    names = refresh()
    size = sum(p.stat().st_size for p in GOLDEN_DIR.rglob("*") if p.is_file())
    print(f"Wrote {len(names)} parts ({size // 1024} KiB) into {GOLDEN_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
