"""What an OOXML package's own XML says about a workbook: its sheets (name, state, part), whether its
structure is locked, and when it was saved. Shared by the reader and the feedback copies."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass

OOXML_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class SheetInfo:
    name: str
    state: str  # visible | hidden | veryHidden
    part: str = ""  # xl/worksheets/sheetN.xml (xlsx only)


def saved_time(zf: zipfile.ZipFile, member: str, pattern: bytes) -> dt.datetime | None:
    """The time `pattern` finds in `member` (docProps/core.xml, meta.xml), as naive UTC."""
    try:
        m = re.search(pattern, zf.read(member)[:20000])
    except KeyError:
        return None
    if not m:
        return None
    try:
        value = dt.datetime.fromisoformat(m.group(1).decode().strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def workbook_sheets(zf: zipfile.ZipFile) -> tuple[list[SheetInfo], bool]:
    """The sheets of an OOXML package, in order, with their parts; and whether its structure is locked."""
    from defusedxml import ElementTree

    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = {}
    try:
        for rel in ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels")).iter(f"{PKG_REL_NS}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            rels[rel.get("Id")] = re.sub(r"[^/]+/\.\./", "", target)
    except KeyError:
        pass
    sheets = []
    for s in wb.iter(f"{OOXML_NS}sheet"):
        sheets.append(SheetInfo(s.get("name", ""), s.get("state", "visible"), rels.get(s.get(f"{REL_NS}id"), "")))
    prot = wb.find(f"{OOXML_NS}workbookProtection")
    locked = prot is not None and prot.get("lockStructure") in ("1", "true")
    return sheets, locked
