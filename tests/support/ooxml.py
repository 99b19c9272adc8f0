"""Validate every XML part of an .xlsx or .docx against the ECMA-376 schemas (Transitional), with lxml.

    from tests.support.ooxml import schemas_folder, validate_package
    problems = validate_package("out.xlsx")        # [] when every part is valid
    assert not problems, "\\n".join(map(str, problems))

The schemas are ECMA's XSD sets, unmodified, kept outside the repository (../shared/ooxml-schemas,
or the folder named by RCM_OOXML_SCHEMAS). They are compiled once per process into one schema
set: a small driver imports every namespace, after local stand-ins for the two things the sets
fetch by URL (xml.xsd and the Dublin Core schemas of the core properties), so nothing is looked
up on the network.

Before a part is validated it is read the way a strict Office reader reads it (markup
compatibility, ECMA-376 Part 3): attributes and elements of namespaces listed in mc:Ignorable that
the schemas do not define are dropped; mc:AlternateContent becomes the content of its first
Choice whose namespaces are all understood, else of its Fallback. Two things the schemas do not
state but Office does are tolerated: xml:space on SpreadsheetML <t> (Excel writes it itself) and
the VML of legacy comments (no schema here: it is parsed, nothing more). A part whose root
namespace has no schema is reported, not passed.
"""
from __future__ import annotations

import functools
import os
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[2]
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XS = "http://www.w3.org/2001/XMLSchema"


@dataclass(frozen=True)
class Problem:
    part: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.part}:{self.line}: {self.message}"


def schemas_folder() -> Path | None:
    """The ECMA-376 schema folder: $RCM_OOXML_SCHEMAS, else ../shared/ooxml-schemas beside the
    repository (or beside the main checkout, for a git worktree); None when there is none."""
    env = os.environ.get("RCM_OOXML_SCHEMAS")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared" / "ooxml-schemas"]
    for folder in candidates:
        if (folder / "OfficeOpenXML-XMLSchema-Transitional" / "sml.xsd").is_file():
            return folder
    return None


# --- the schema set ----------------------------------------------------------------------------

_XML_XSD = f"""<xs:schema xmlns:xs="{XS}" targetNamespace="{XML_NS}">
  <xs:attribute name="lang"><xs:simpleType><xs:union memberTypes="xs:language">
    <xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value=""/></xs:restriction></xs:simpleType>
  </xs:union></xs:simpleType></xs:attribute>
  <xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName">
    <xs:enumeration value="default"/><xs:enumeration value="preserve"/></xs:restriction></xs:simpleType></xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
</xs:schema>"""

# The Dublin Core schemas opc-coreProperties imports from dublincore.org: the types and elements
# core properties use, as the 2003-04-02 versions define them.
_DC_ELEMENTS = ("title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
                "format", "identifier", "source", "language", "relation", "coverage", "rights")
_DC_XSD = f"""<xs:schema xmlns:xs="{XS}" xmlns="{DC}" targetNamespace="{DC}" elementFormDefault="qualified">
  <xs:import namespace="{XML_NS}"/>
  <xs:complexType name="SimpleLiteral"><xs:complexContent mixed="true"><xs:restriction base="xs:anyType">
    <xs:sequence><xs:any processContents="lax" minOccurs="0" maxOccurs="0"/></xs:sequence>
    <xs:attribute ref="xml:lang" use="optional"/></xs:restriction></xs:complexContent></xs:complexType>
  {"".join(f'<xs:element name="{n}" type="SimpleLiteral"/>' for n in _DC_ELEMENTS)}
</xs:schema>"""
_DCTERMS_ELEMENTS = ("created", "modified", "issued", "available", "valid", "dateAccepted",
                     "dateCopyrighted", "dateSubmitted")
_DCTERMS_XSD = f"""<xs:schema xmlns:xs="{XS}" xmlns:dc="{DC}" targetNamespace="{DCTERMS}"
    elementFormDefault="qualified">
  <xs:import namespace="{DC}"/>
  <xs:import namespace="{XML_NS}"/>
  {"".join(f'<xs:element name="{n}" type="dc:SimpleLiteral"/>' for n in _DCTERMS_ELEMENTS)}
  <xs:complexType name="W3CDTF"><xs:simpleContent><xs:restriction base="dc:SimpleLiteral">
    <xs:simpleType><xs:union memberTypes="xs:gYear xs:gYearMonth xs:date xs:dateTime"/></xs:simpleType>
    <xs:attribute ref="xml:lang" use="prohibited"/></xs:restriction></xs:simpleContent></xs:complexType>
</xs:schema>"""

# Which schema files make up the set (every namespace a generated file may use).
_SETS = ("OfficeOpenXML-XMLSchema-Transitional", "OpenPackagingConventions-XMLSchema", "mce")


def _target_namespace(xsd: Path) -> str:
    for _, el in etree.iterparse(str(xsd), events=("start",)):
        return el.get("targetNamespace", "")
    return ""


@functools.lru_cache(maxsize=4)
def _schema(folder: Path) -> tuple[etree.XMLSchema, frozenset[str]]:
    """The compiled set and the namespaces it defines."""
    import tempfile

    stand_ins = Path(tempfile.mkdtemp(prefix="ooxml-xsd-"))
    for name, text in (("xml.xsd", _XML_XSD), ("dc.xsd", _DC_XSD), ("dcterms.xsd", _DCTERMS_XSD)):
        (stand_ins / name).write_text(text, encoding="utf-8")
    # The stand-ins come first: a namespace already imported is not fetched again from the
    # http:// location the core-properties schema names.
    imports = [(XML_NS, stand_ins / "xml.xsd"), (DC, stand_ins / "dc.xsd"), (DCTERMS, stand_ins / "dcterms.xsd")]
    for sub in _SETS:
        for xsd in sorted((folder / sub).glob("*.xsd")):
            ns = _target_namespace(xsd)
            if ns and ns not in (n for n, _ in imports):
                imports.append((ns, xsd))
    driver = f'<xs:schema xmlns:xs="{XS}">' + "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{path.resolve().as_uri()}"/>' for ns, path in imports
    ) + "</xs:schema>"
    schema = etree.XMLSchema(etree.fromstring(driver.encode(), base_url=(folder / "driver.xsd").as_uri()))
    return schema, frozenset(ns for ns, _ in imports)


# --- markup compatibility ----------------------------------------------------------------------


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _prefixes(el, value: str | None) -> set[str]:
    return {el.nsmap.get(p) for p in (value or "").split()} - {None}


def _understood(el, requires: str | None, known: frozenset[str]) -> bool:
    return all(ns in known for ns in _prefixes(el, requires)) and bool((requires or "").split())


def _compat(el, known: frozenset[str], ignorable: frozenset[str] = frozenset()) -> None:
    """Apply markup compatibility to `el`'s subtree in place (Ignorable, AlternateContent)."""
    ignorable = ignorable | frozenset(ns for ns in _prefixes(el, el.get(f"{{{MC}}}Ignorable")) if ns not in known)
    for name in list(el.attrib):
        ns = _ns(name)
        if ns == MC or ns in ignorable:
            del el.attrib[name]
    for child in list(el):
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        ns = _ns(child.tag)
        if child.tag == f"{{{MC}}}AlternateContent":
            chosen = next((c for c in child if c.tag == f"{{{MC}}}Choice" and _understood(c, c.get("Requires"), known)),
                          next((c for c in child if c.tag == f"{{{MC}}}Fallback"), None))
            index = el.index(child)
            el.remove(child)
            for k, grand in enumerate(list(chosen) if chosen is not None else []):
                el.insert(index + k, grand)
                _compat(grand, known, ignorable)
        elif ns in ignorable:
            el.remove(child)
        else:
            _compat(child, known, ignorable)


def _tolerate(root) -> None:
    """xml:space on SpreadsheetML <t>: Excel writes it; the schema types <t> as a simple element."""
    for t in root.iter(f"{{{SML}}}t"):
        t.attrib.pop(f"{{{XML_NS}}}space", None)


# --- a package ---------------------------------------------------------------------------------


def _xml_parts(z: zipfile.ZipFile) -> list[str]:
    return [n for n in z.namelist() if n.endswith((".xml", ".rels")) or posixpath.basename(n) == "[Content_Types].xml"]


def validate_part(name: str, data: bytes, folder: Path | None = None) -> list[Problem]:
    """The problems of one XML part (empty when valid)."""
    folder = folder or schemas_folder()
    if folder is None:
        raise FileNotFoundError("no ECMA-376 schema folder (../shared/ooxml-schemas or $RCM_OOXML_SCHEMAS)")
    schema, known = _schema(Path(folder).resolve())
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [Problem(name, exc.lineno or 0, f"not well-formed: {exc.msg}")]
    if name.endswith(".vml"):
        return []
    if _ns(root.tag) not in known:
        return [Problem(name, root.sourceline or 0, f"no schema for the root element {root.tag}")]
    _compat(root, known)
    _tolerate(root)
    if schema.validate(root):
        return []
    return [Problem(name, e.line, e.message) for e in schema.error_log]


def validate_package(path, folder: Path | None = None) -> list[Problem]:
    """The problems of every XML part of an .xlsx/.docx (VML only parsed); empty when all valid."""
    problems: list[Problem] = []
    with zipfile.ZipFile(path) as z:
        for name in _xml_parts(z) + [n for n in z.namelist() if n.endswith(".vml")]:
            problems += validate_part(name, z.read(name), folder)
    return problems
