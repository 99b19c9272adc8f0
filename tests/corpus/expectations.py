"""Expected verdict and findings of every corpus file, written by hand from DESIGN.md and issue 4
(build.py writes them out as `<name>.expect.json`). A finding is (code, sheet, cell); None = not
named. The test copies the corpus and sets every file's time to 2025-06-20 (before the due date),
so only the times saved inside a workbook can make it late."""

EN = "Follow-up matrix"
ES = "Matriz de seguimiento"


def f(code, sheet=None, cell=None):
    return {"code": code, "sheet": sheet, "cell": cell}


def rejected(*findings, **kw):
    return {"verdict": "rejected", "findings": list(findings), **kw}


def accepted(*findings, **kw):
    return {"verdict": "accepted", "findings": list(findings), **kw}


def ignored(*findings, **kw):
    return {"verdict": "ignored", "findings": list(findings), **kw}


EXPECT: dict[str, dict] = {
    # --- not a workbook at all ---------------------------------------------------------------
    "empty.xlsx": rejected(f("file-empty")),
    "cover-letter.xlsx": rejected(f("file-not-spreadsheet"), note="an e-mail text saved as .xlsx"),
    "matrix-export.xlsx": rejected(f("file-not-spreadsheet"), note="a CSV export renamed .xlsx"),
    "report-as-pdf.xlsx": rejected(f("file-not-spreadsheet"), note="the return printed to PDF by LibreOffice"),
    "zip-of-documents.xlsx": rejected(f("file-not-spreadsheet"), note="a zip archive with a text file"),
    "truncated.xlsx": rejected(f("file-damaged"), note="the first 60% of a filled return (cut e-mail attachment)"),
    "sheet-part-missing.xlsx": rejected(
        f("file-damaged"), note="the matrix sheet's XML part is missing from the package"),
    # --- hostile ------------------------------------------------------------------------------
    "zip-bomb.xlsx": rejected(f("file-too-large"), note="a 320 KB file whose matrix sheet inflates to 300 MiB"),
    "zip-bomb-ratio.xlsx": rejected(f("file-over-limit"), note="100 MiB from about 100 KB: under the total limit, over the ratio"),
    "zip-bomb-lying-sizes.xlsx": rejected(
        f("file-damaged"),
        note="the sheet inflates to 200 MiB but the zip headers declare 14 KB: the declared-size checks pass, "
             "so the reader must stop inflating at the declared size"),
    "entity-bomb.xlsx": rejected(f("file-unsafe-xml"), note="billion laughs in xl/sharedStrings.xml"),
    "entity-bomb-late-doctype.xlsx": rejected(
        f("file-unsafe-xml"), note="billion laughs in the matrix sheet, the DOCTYPE after a 4,000-character comment"),
    "password-to-open.xlsx": rejected(f("file-encrypted"), note="saved by LibreOffice with a password to open"),
    "password-to-open.xls": rejected(
        f("file-encrypted"), note="an Excel 97-2003 file saved by LibreOffice with a password to open"),
    # --- other formats --------------------------------------------------------------------------
    "old-format.xls": accepted(f("file-converted"), rows=2, note="a filled return saved as .xls by LibreOffice"),
    "old-format-no-meta.xls": rejected(
        f("file-other-format"), note="an .xls without _meta: issue 4 says reject with the advice to save as .xlsx; "
                                     "issue 16: name it for what it is (Excel 97-2003), not an old file"),
    "resaved-as.ods": accepted(f("file-converted"), rows=2, note="a filled return saved as .ods by LibreOffice"),
    "libreoffice-resaved.xlsx": accepted(rows=2, note="resaved as .xlsx by LibreOffice: _meta only hidden, structure lock gone"),
    "macro-enabled.xlsm": accepted(f("file-macros"), rows=2),
    # --- never returns ------------------------------------------------------------------------
    "~$RCM_2025-H1_BLZ_PROT.xlsx": ignored(f("file-ignored")),
    ".DS_Store": ignored(f("file-ignored")),
    "Thumbs.db": ignored(f("file-ignored")),
    # --- identity -------------------------------------------------------------------------------
    "no-meta.xlsx": rejected(f("meta-missing"), note="a filled return whose _meta sheet was deleted"),
    "foreign-workbook.xlsx": rejected(f("meta-missing"), note="somebody's budget workbook"),
    "last-period.xlsx": rejected(f("meta-other-period", "_meta"), rows=0,
                                 note="a 2024-H2 return: reported, not merged into 2025-H1"),
    "other-plan.xlsx": rejected(f("meta-other-plan", "_meta")),
    "unknown-country.xlsx": rejected(f("meta-unknown-code", "_meta")),
    "unknown-group.xlsx": rejected(f("meta-unknown-code", "_meta")),
    "meta-disagrees-with-title.xlsx": rejected(f("title-mismatch", EN, "E3"), rows=2,
                                               note="_meta says CAN, the title block says Belize"),
    "meta-damaged.xlsx": rejected(f("meta-invalid", "_meta"), note="col.status is '??'"),
    # --- layout changed -------------------------------------------------------------------------
    "column-inserted.xlsx": accepted(f("header-moved", ES, "A5"), f("protection-removed", ES),
                                     f("column-outside-range", ES, "J6"), f("column-outside-range", ES, "J7"), rows=2,
                                     note="protection removed, a 'Budget' column inserted at J"),
    "column-inserted-early.xlsx": accepted(
        f("header-moved", ES, "A5"), f("protection-removed", ES),
        f("column-outside-range", ES, "D6"), f("column-outside-range", ES, "D7"), rows=2,
        note="protection removed, a column inserted at D: it shifts the title block too (País: moves to E3)"),
    "column-deleted.xlsx": rejected(
        f("header-changed", ES, "A5"), f("protection-removed", ES), rows=2, note="protection removed, 'Assumptions or risks' deleted"),
    "columns-moved.xlsx": accepted(f("header-moved", ES, "A5"), f("protection-removed", ES), rows=2,
                                   note="protection removed, columns J and L swapped with their headings"),
    "renamed-matrix-sheet.xlsx": accepted(f("matrix-renamed", "USA 2025"), rows=2),
    "prefilled-rows-edited.xlsx": accepted(
        f("prefilled-changed", EN), f("prefilled-empty", EN, "I7"), rows=4,
        note="plan with 2 priority activities: P1's locked description rewritten, P2 left without status"),
    # --- cells ----------------------------------------------------------------------------------
    "cell-of-40000-characters.xlsx": accepted(
        f("cell-too-long", ES, "K6"), rows=2),
    "cell-in-last-row.xlsx": rejected(
        f("content-out-of-bounds", ES, "K1048576"), rows=2,
        note="text in K1048576 of a filled return"),
    "cell-in-last-column.xlsx": accepted(f("column-outside-range", ES, "XFD6"), rows=2),
    "odd-values.xlsx": accepted(
        f("cell-not-text", EN, "D6"), f("cell-not-text", EN, "J6"), f("cell-not-text", EN, "K6"),
        f("value-not-in-list", EN, "I7"), f("cell-error-value", EN, "I8"),
        f("cell-formula", EN, "D9"), f("cell-formula", EN, "I9"),
        f("value-not-in-list", EN, "B10"), f("value-not-in-list", EN, "H10"),
        f("cell-error-value", EN, "E11"), rows=6,
        note="number/boolean/date in text cells (kept as text), number/date/boolean/#N/A/formula in dropdowns, "
             "a formula showing #DIV/0! in a text cell"),
    "typed-labels.xlsx": accepted(rows=2, note="English labels, odd case, no accents, extra spaces in a Spanish template"),
    # --- several files ----------------------------------------------------------------------------
    "same-bytes-1.xlsx": accepted(rows=2),
    "same-bytes-2.xlsx": ignored(f("file-duplicate"), together=["same-bytes-1.xlsx"], rows=0),
    "resent-first.xlsx": {"verdict": "superseded", "findings": [f("file-superseded")],
                          "together": ["resent-second.xlsx"],
                          "note": "saved 2025-06-10; the same group and country saved again 2025-06-25"},
    "resent-second.xlsx": accepted(together=["resent-first.xlsx"], rows=2),
    "Informe de Panamá – versión final (2).xlsx": accepted(rows=2, note="spaces, accents and a dash in the name"),
    "folder.xlsx": accepted(rows=2, note="a folder named .xlsx holding a valid return: the return inside is read"),
    "returned-empty.xlsx": accepted(f("return-empty", ES), rows=0),
    "returned-late.xlsx": accepted(f("return-late"), rows=2, note="saved 2025-07-15, due 2025-06-30"),
}
