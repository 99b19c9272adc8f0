"""What an OOXML package's own XML says about a workbook: its sheets (name, state, part), whether its
structure is locked, and when it was saved. Shared by the reader and the feedback copies. And the
package itself: inflated once within bounds, mended for calamine where parts that hold no data
are damaged, and those parts named by codes of core.kinds.PART."""
from __future__ import annotations

import datetime as dt
import io
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


def sheet_state(visible) -> str:
    """A sheet's visibility as python-calamine reports it, in the names of the OOXML `state`."""
    name = str(getattr(visible, "name", visible)).lower()
    return {"visible": "visible", "hidden": "hidden", "veryhidden": "veryHidden"}.get(name, "visible")


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


class UnsafeXml(Exception):
    """A member holds a DTD or an entity declaration, where entity bombs live."""


# Members that hold no follow-up data, by the part of a workbook they are (core.kinds.PARTS).
_PART_OF = (("xl/pivotTables/", "pivot-tables"), ("xl/pivotCache/", "pivot-caches"), ("xl/charts/", "charts"),
            ("xl/chartsheets/", "charts"), ("xl/drawings/", "drawings"), ("xl/media/", "drawings"),
            ("xl/comments", "comments"), ("xl/threadedComments/", "comments"), ("xl/persons/", "comments"),
            ("docProps/", "properties"), ("xl/externalLinks/", "external-links"), ("xl/theme/", "theme"),
            ("xl/calcChain.xml", "calc-chain"), ("_rels/.rels", "package-links"))


def parts_of(members: list[str]) -> list[tuple[str, str]]:
    """Damaged or missing members as parts in words: ((code, name), ...), each part once; members
    of no known part are named together."""
    parts, others = [], []
    for member in members:
        code = next((c for prefix, c in _PART_OF if member.startswith(prefix)), None)
        if code is None:
            others.append(member)
        elif (code, "") not in parts:
            parts.append((code, ""))
    return parts + ([("other", ", ".join(others))] if others else [])


_PACKAGE_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def repaired(zf: zipfile.ZipFile, damaged: set[str]) -> bytes:
    """A copy for calamine without the damaged members and with the package relationships it
    needs to recognise the format; the file itself is never changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zf.infolist():
            if item.filename not in damaged:
                z.writestr(item.filename, zf.read(item.filename))
        if "_rels/.rels" not in zf.namelist():
            z.writestr("_rels/.rels", _PACKAGE_RELS)
    return out.getvalue()


def verify_members(zf: zipfile.ZipFile, infos) -> set[str]:
    """Inflate each member once, never past its declared size (zipfile stops there and checks the
    CRC), so a member that lies about its size is refused before any parser inflates it; and look
    for DTDs anywhere in the XML, where entity bombs live. Returns the members that are damaged."""
    import zlib

    damaged = set()
    for info in infos:
        xml = info.filename.endswith((".xml", ".rels")) or info.filename == "mimetype"
        tail = b""
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    if xml:
                        window = tail + chunk
                        if b"<!" in window:  # comments and CDATA begin so too: only then look closer
                            window = window.upper()
                            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                                raise UnsafeXml(info.filename)
                        tail = chunk[-16:]
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            damaged.add(info.filename)
    return damaged
