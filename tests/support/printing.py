"""What a sheet's page setup says, read back with openpyxl: how it prints."""
from __future__ import annotations


def assert_prints_one_page_wide(ws, header_row: int | None = None, footer: str | None = None) -> None:
    """Landscape A4, fit to one page wide (as many tall as it takes), page numbers in the footer,
    `footer` (the period) in it; `header_row` (1-based) repeated at the top of every page."""
    setup = ws.page_setup
    assert setup.orientation == "landscape", ws.title
    assert str(setup.paperSize) == "9", ws.title  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert setup.fitToWidth in (None, 1, "1") and str(setup.fitToHeight) == "0", ws.title  # 1 is the default
    assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text, ws.title
    if footer is not None:
        assert footer in ws.oddFooter.left.text, ws.title
    if header_row is not None:
        assert ws.print_title_rows.replace("$", "") == f"{header_row}:{header_row}", ws.title
