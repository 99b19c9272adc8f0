"""What the annual report's Word document is made of, beyond python-docx's own calls: tables a
Secretariat would send (a styled header row repeated on every page, a wide label column, numbers
right-aligned, a bold total), native Word charts, a table of contents, and the settings part made
valid against ECMA-376.

The charts are Word's own (DrawingML chart parts), so their labels are the plan's labels in the
document's language, in Word's fonts, accents and all, and a reader can restyle them. XlsxWriter
writes each chart's XML and the small workbook of its numbers, which is embedded beside it, as
Word does, for "Edit data"; the chart part keeps its numbers cached, so it shows without it.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

HEAD_FILL, HEAD_FONT, SUB_FILL = "1F3864", "FFFFFF", "DDEBF7"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
RT_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def schema_valid_zoom(doc) -> None:
    """python-docx's default template has <w:zoom w:val="bestFit"/> without the w:percent that
    ECMA-376 requires (CT_Zoom); strict readers reject the settings part without it."""
    from docx.oxml.ns import qn

    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")


def update_fields_on_open(doc) -> None:
    """Ask Word to update the fields (the table of contents' page numbers) when it opens the file."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    # CT_Settings is a sequence: updateFields stands before these, when the part has them.
    later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
             "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping")
    for child in settings:
        if any(child.tag == qn(name) for name in later):
            child.addprevious(flag)
            return
    settings.append(flag)


def _field_char(run, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _instruction(run, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    run._r.append(instr)


def page_field(para, size) -> None:
    """The page number, as a field Word and LibreOffice fill in on every page."""
    runs = [para.add_run() for _ in range(4)]
    for run in runs:
        run.font.size = size
    _field_char(runs[0], "begin")
    _instruction(runs[1], " PAGE ")
    _field_char(runs[2], "separate")
    runs[3].text = "1"
    _field_char(para.add_run(), "end")


def table_of_contents(doc, entries: list[tuple[int, str]]) -> None:
    """A TOC field over headings 1-2, showing `entries` ((level, text)) until Word updates it with
    the page numbers; LibreOffice shows the entries as they are."""
    from docx.shared import Cm

    entries = entries or [(1, "")]
    for i, (level, text) in enumerate(entries):
        para = doc.add_paragraph()
        para.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        para.paragraph_format.space_after = 0
        if i == 0:
            _field_char(para.add_run(), "begin")
            _instruction(para.add_run(), ' TOC \\o "1-2" \\h \\z \\u ')
            _field_char(para.add_run(), "separate")
        para.add_run(text)
        if i == len(entries) - 1:
            _field_char(para.add_run(), "end")


@dataclass
class Column:
    """One column of a report table: its heading, width (cm), whether it holds numbers (set right)
    or marks (centred)."""

    heading: str
    width: float
    number: bool = False
    mark: bool = False


@dataclass
class TableSpec:
    columns: list[Column]
    rows: list = field(default_factory=list)  # lists of cell texts, or Sub(text) for a sub-heading row
    total: list[str] | None = None  # the bold last row
    font_pt: float = 10


@dataclass
class Sub:
    """A sub-heading row spanning the whole table (a pillar within a working group's list)."""

    text: str


def add_table(doc, spec: TableSpec):
    """The table of `spec`, written cell by cell with its own formatting (LibreOffice draws no
    Word table style but Table Grid's borders): header shaded, bold and repeated on each page."""
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(spec.columns))
    table.style = "Table Grid"
    table.autofit = False
    for col, c in zip(table.columns, spec.columns):
        col.width = Cm(c.width)
    _fill_row(table.rows[0], [c.heading for c in spec.columns], spec, Look(bold=True, fill=HEAD_FILL,
                                                                               colour=HEAD_FONT))
    _row_props(table.rows[0], header=True)
    for values in spec.rows:
        row = table.add_row()
        _row_props(row)
        if isinstance(values, Sub):
            merged = row.cells[0].merge(row.cells[-1])
            width = sum(c.width for c in spec.columns)
            _write_cell(merged, values.text, width, spec.font_pt, Look(bold=True, italic=True, fill=SUB_FILL))
        else:
            _fill_row(row, values, spec, Look())
    if spec.total is not None:
        row = table.add_row()
        _row_props(row)
        _fill_row(row, spec.total, spec, Look(bold=True))
    return table


@dataclass
class Look:
    bold: bool = False
    italic: bool = False
    fill: str | None = None
    colour: str | None = None
    align: str = "left"


def _row_props(row, header: bool = False) -> None:
    """A row never split across pages; the header row repeated at the top of each page."""
    from docx.oxml import OxmlElement

    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _fill_row(row, values: list, spec: TableSpec, look: Look) -> None:
    for cell, value, column in zip(row.cells, values, spec.columns):
        look.align = "right" if column.number else "center" if column.mark else "left"  # the heading too
        _write_cell(cell, str(value), column.width, spec.font_pt, look)


def _write_cell(cell, text: str, width: float, font_pt: float, look: Look) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    cell.width = Cm(width)
    para = cell.paragraphs[0]
    para.paragraph_format.space_after = Pt(0)
    if look.align != "left":
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if look.align == "right" else WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.font.size = Pt(font_pt)
    run.bold = look.bold or None
    run.italic = look.italic or None
    if look.colour:
        run.font.color.rgb = RGBColor.from_string(look.colour)
    if look.fill:
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:color"), "auto")
        shade.set(qn("w:fill"), look.fill)
        cell._tc.get_or_add_tcPr().append(shade)


# --- charts ---------------------------------------------------------------------------------


def chart_parts(title: str, categories: list[str], series: list[tuple[str, list[int], str]],
                stacked: bool) -> tuple[bytes, bytes]:
    """(the chart part's XML, the workbook of its numbers): a column chart of `series` ((name,
    values, colour)) over `categories`, its legend below, each value on its bar."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 1, [name for name, _, _ in series])
    for r, category in enumerate(categories, 1):
        ws.write_string(r, 0, category)
        for c, (_, values, _) in enumerate(series, 1):
            ws.write_number(r, c, values[r - 1])
    chart = wb.add_chart({"type": "column", **({"subtype": "stacked"} if stacked else {})})
    last = len(categories)
    for c, (_, _, colour) in enumerate(series, 1):
        chart.add_series({"name": ["Data", 0, c], "categories": ["Data", 1, 0, last, 0],
                          "values": ["Data", 1, c, last, c], "fill": {"color": colour},
                          "data_labels": {"value": True, "num_format": "0;-0;;@"}, "gap": 80})
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    ws.insert_chart(1, len(series) + 2, chart)
    wb.close()
    data = buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("xl/charts/chart1.xml").decode("utf-8")
    return _chart_for_word(xml), data


def _chart_for_word(xml: str) -> str:
    """XlsxWriter's chart XML as a Word chart part: the value alone on each bar (LibreOffice shows
    the series and category names too where the flags are left out), and the embedded workbook
    named as its data, in the place CT_ChartSpace gives it."""
    flags = ('<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
             '<c:showPercent val="0"/><c:showBubbleSize val="0"/>')
    xml = xml.replace('<c:showVal val="1"/>', flags)
    data = '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
    at = xml.find("<c:printSettings>")
    at = at if at >= 0 else xml.rfind("</c:chartSpace>")
    xml = xml[:at] + data + xml[at:]
    start = xml.find("<c:chartSpace ")
    if f'xmlns:r="{NS_R}"' not in xml[start:xml.find(">", start)]:
        xml = xml.replace("<c:chartSpace ", f'<c:chartSpace xmlns:r="{NS_R}" ', 1)
    return xml


def add_chart(doc, number: int, xml: str, workbook: bytes, width_cm: float, height_cm: float) -> None:
    """Chart `number` (1, 2, ...) of the document, in a paragraph of its own."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.shared import Cm

    package = doc.part.package
    chart = Part(PackURI(f"/word/charts/chart{number}.xml"), CHART_CT, xml.encode("utf-8"), package)
    data = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"), XLSX_CT, workbook, package)
    if chart.relate_to(data, RT_PACKAGE) != "rId1":
        raise ValueError("the chart's data must be its first relationship (rId1)")
    rid = doc.part.relate_to(chart, RT_CHART)
    drawing = (
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="{NS_R}">'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{int(Cm(width_cm))}" '
        f'cy="{int(Cm(height_cm))}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{1000 + number}" name="Chart {number}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing>')
    doc.add_paragraph().add_run()._r.append(parse_xml(drawing))
