"""The words for every Kind, in English and Spanish: what the file is, and what to ask the focal
point for instead (phrased, like the findings catalog's fixes, to the Secretariat).

`what` is a noun phrase with its article, so it reads inside a sentence ("This is not an Excel
workbook: it looks like {what}." / "Esto no es un libro de Excel: parece {what}."). `send` is
empty for the kinds the reader takes data from, but for strict Open XML, which the reader takes
only through `intake.strict.to_transitional`.
"""
from __future__ import annotations

from .sniff import Kind

_XLSX = ("Ask the focal point to open it and save it as Excel Workbook (.xlsx) (File > Save As), then send that file.",
         "Pida al punto focal que lo abra, lo guarde como Libro de Excel (.xlsx) (Archivo > Guardar como) y envíe ese archivo.")
_OLD = ("Ask the focal point to send the .xlsx workbook they received, filled in; data copied into an old format cannot be read.",
        "Pida al punto focal que envíe el libro .xlsx que recibió, completado; los datos copiados a un formato antiguo no se pueden leer.")
_TEMPLATE = ("Ask the focal point for the .xlsx workbook they received, filled in.",
             "Pida al punto focal el libro .xlsx que recibió, completado.")
_TEXT = ("A text export keeps the values but not the workbook: ask the focal point to send the workbook itself (.xlsx), "
         "the one they received and filled in.",
         "Una exportación de texto conserva los valores pero no el libro: pida al punto focal que envíe el libro mismo (.xlsx), "
         "el que recibió y completó.")
_PASSWORD = ("Ask the focal point for a copy without a password to open (in Excel: File > Info > Protect Workbook > "
             "Encrypt with Password, and leave it empty).",
             "Pida al punto focal una copia sin contraseña de apertura (en Excel: Archivo > Información > Proteger libro > "
             "Cifrar con contraseña, y déjela vacía).")
_UNPACK = ("Extract the workbooks it holds into the inbox folder; if it needs a password, ask the focal point to send "
           "the workbooks themselves.",
           "Extraiga los libros que contiene a la carpeta inbox; si pide una contraseña, pida al punto focal que envíe "
           "los libros mismos.")
_AGAIN = ("Ask the focal point to send the file again: the copy that arrived is incomplete (an interrupted download, "
          "upload or copy).",
          "Pida al punto focal que envíe el archivo de nuevo: la copia recibida está incompleta (una descarga, carga "
          "o copia interrumpida).")


def _t(what_en: str, what_es: str, send: tuple[str, str] = ("", "")) -> dict[str, tuple[str, str]]:
    return {"en": (what_en, send[0]), "es": (what_es, send[1])}


TEXTS: dict[Kind, dict[str, tuple[str, str]]] = {
    Kind.XLSX: _t("an Excel workbook (.xlsx)", "un libro de Excel (.xlsx)"),
    Kind.XLSM: _t("a macro-enabled Excel workbook (.xlsm)", "un libro de Excel habilitado para macros (.xlsm)"),
    Kind.ODS: _t("an OpenDocument spreadsheet (.ods)", "una hoja de cálculo OpenDocument (.ods)"),
    Kind.XLS: _t("an Excel 97-2003 workbook (.xls)", "un libro de Excel 97-2003 (.xls)"),
    Kind.XLS_BIFF5: _t("an Excel 5.0/95 workbook (.xls)", "un libro de Excel 5.0/95 (.xls)"),
    Kind.XLSX_STRICT: _t(
        "an Excel workbook in Strict Open XML format (.xlsx)", "un libro de Excel en formato Strict Open XML (.xlsx)",
        ("Ask the focal point to save it again as Excel Workbook (.xlsx), not as Strict Open XML Spreadsheet.",
         "Pida al punto focal que lo guarde de nuevo como Libro de Excel (.xlsx), no como Hoja de cálculo Strict Open XML.")),
    Kind.XLSB: _t("an Excel binary workbook (.xlsb)", "un libro binario de Excel (.xlsb)", _XLSX),
    Kind.XLS_STREAM: _t(
        "the bare contents of an Excel 5.0-2003 workbook, without the container Excel saves them in",
        "el contenido suelto de un libro de Excel 5.0-2003, sin el contenedor en que Excel lo guarda", _TEMPLATE),
    Kind.XLS_BIFF4: _t("an Excel 4.0 worksheet or workbook (.xls, .xlw; 1992)", "una hoja o un libro de Excel 4.0 (.xls, .xlw; 1992)", _OLD),
    Kind.XLS_BIFF3: _t("an Excel 3.0 worksheet (.xls; 1990)", "una hoja de Excel 3.0 (.xls; 1990)", _OLD),
    Kind.XLS_BIFF2: _t("an Excel 2.x worksheet (.xls; 1987)", "una hoja de Excel 2.x (.xls; 1987)", _OLD),
    Kind.SPREADSHEETML_2003: _t("an XML Spreadsheet 2003 file (.xml)", "un archivo Hoja de cálculo XML 2003 (.xml)", _XLSX),
    Kind.FODS: _t("a flat OpenDocument spreadsheet (.fods)", "una hoja de cálculo OpenDocument plana (.fods)", _XLSX),
    Kind.NUMBERS: _t(
        "an Apple Numbers spreadsheet (.numbers)", "una hoja de cálculo de Apple Numbers (.numbers)",
        ("Ask the focal point to export it from Numbers as an Excel workbook (File > Export To > Excel, .xlsx) and send that file.",
         "Pida al punto focal que la exporte desde Numbers como libro de Excel (Archivo > Exportar a > Excel, .xlsx) y envíe ese archivo.")),
    Kind.LOTUS: _t("a Lotus 1-2-3 worksheet (.wk1, .wk3, .wk4, .123)", "una hoja de Lotus 1-2-3 (.wk1, .wk3, .wk4, .123)", _OLD),
    Kind.QUATTRO: _t("a Quattro Pro spreadsheet (.wq1, .wb1-.wb3, .qpw)", "una hoja de cálculo de Quattro Pro (.wq1, .wb1-.wb3, .qpw)", _OLD),
    Kind.WORKS: _t("a Microsoft Works file (.wks, .wps)", "un archivo de Microsoft Works (.wks, .wps)", _OLD),
    Kind.OOXML_AGILE: _t(
        "an Excel workbook encrypted with a password to open (Excel 2010 or later)",
        "un libro de Excel cifrado con contraseña de apertura (Excel 2010 o posterior)", _PASSWORD),
    Kind.OOXML_STANDARD: _t(
        "an Excel workbook encrypted with a password to open (Excel 2007)",
        "un libro de Excel cifrado con contraseña de apertura (Excel 2007)", _PASSWORD),
    Kind.OOXML_PROTECTED: _t(
        "an Office file locked by encryption or by rights management (IRM), which cannot be opened without its key",
        "un archivo de Office bloqueado por cifrado o por gestión de derechos (IRM), que no se puede abrir sin su clave",
        ("Ask the focal point for a copy without a password or access restrictions (in Excel: File > Info > Protect Workbook).",
         "Pida al punto focal una copia sin contraseña ni restricciones de acceso (en Excel: Archivo > Información > Proteger libro).")),
    Kind.XLS_RC4: _t(
        "an Excel 97-2003 workbook (.xls) encrypted with a password to open (RC4)",
        "un libro de Excel 97-2003 (.xls) cifrado con contraseña de apertura (RC4)", _PASSWORD),
    Kind.XLS_CRYPTOAPI: _t(
        "an Excel 97-2003 workbook (.xls) encrypted with a password to open (RC4 CryptoAPI)",
        "un libro de Excel 97-2003 (.xls) cifrado con contraseña de apertura (RC4 CryptoAPI)", _PASSWORD),
    Kind.XLS_XOR: _t(
        "an Excel workbook (.xls) protected with a password to open (XOR obfuscation)",
        "un libro de Excel (.xls) protegido con contraseña de apertura (ofuscación XOR)", _PASSWORD),
    Kind.ODS_ENCRYPTED: _t(
        "an OpenDocument spreadsheet (.ods) saved with a password",
        "una hoja de cálculo OpenDocument (.ods) guardada con contraseña",
        ("Ask the focal point to save it again without a password (in LibreOffice: File > Save As, with "
         "'Save with password' unticked), preferably as Excel Workbook (.xlsx).",
         "Pida al punto focal que la guarde de nuevo sin contraseña (en LibreOffice: Archivo > Guardar como, sin marcar "
         "«Guardar con contraseña»), preferiblemente como Libro de Excel (.xlsx).")),
    Kind.ZIP_ENCRYPTED: _t(
        "a zip archive protected with a password", "un archivo zip protegido con contraseña",
        ("Ask the focal point to attach the workbook itself (.xlsx), neither compressed nor protected with a password.",
         "Pida al punto focal que adjunte el libro mismo (.xlsx), sin comprimir y sin contraseña.")),
    Kind.CSV: _t("a CSV text export (values separated by commas or semicolons)",
                 "una exportación de texto CSV (valores separados por comas o punto y coma)", _TEXT),
    Kind.TSV: _t("a tab-separated text export (.txt, .tsv)",
                 "una exportación de texto separado por tabulaciones (.txt, .tsv)", _TEXT),
    Kind.SYLK: _t("a SYLK text export (.slk)", "una exportación de texto SYLK (.slk)", _TEXT),
    Kind.DIF: _t("a DIF text export (.dif)", "una exportación de texto DIF (.dif)", _TEXT),
    Kind.HTML_XLS: _t("a web page (HTML) with an Excel file name", "una página web (HTML) con nombre de archivo de Excel", _TEMPLATE),
    Kind.HTML: _t("a web page (HTML)", "una página web (HTML)", _TEMPLATE),
    Kind.XML: _t("an XML data file", "un archivo de datos XML", _TEMPLATE),
    Kind.PDF: _t("a PDF document", "un documento PDF",
                 ("A PDF cannot be read back into the matrix: ask the focal point for the filled-in .xlsx workbook itself.",
                  "Un PDF no se puede volver a leer en la matriz: pida al punto focal el propio libro .xlsx completado.")),
    Kind.IMAGE: _t("a picture (a photo or a scan)", "una imagen (una foto o un escaneo)", _TEMPLATE),
    Kind.WORD: _t("a text document (Word, RTF or OpenDocument)", "un documento de texto (Word, RTF u OpenDocument)", _TEMPLATE),
    Kind.PRESENTATION: _t("a presentation (PowerPoint or OpenDocument)", "una presentación (PowerPoint u OpenDocument)", _TEMPLATE),
    Kind.IWORK: _t("an Apple Pages or Keynote document", "un documento de Apple Pages o Keynote", _TEMPLATE),
    Kind.EMAIL: _t("a saved Outlook message (.msg)", "un mensaje de Outlook guardado (.msg)",
                   ("Save the workbook attached to the message into the inbox folder instead of the message itself.",
                    "Guarde en la carpeta inbox el libro adjunto al mensaje, en lugar del mensaje mismo.")),
    Kind.ZIP: _t("a zip archive", "un archivo zip", _UNPACK),
    Kind.ARCHIVE: _t("a compressed archive (RAR, 7-Zip, gzip or similar)", "un archivo comprimido (RAR, 7-Zip, gzip o similar)", _UNPACK),
    Kind.OLE_OTHER: _t("an Office file of another kind, not a workbook", "un archivo de Office de otro tipo, no un libro", _TEMPLATE),
    Kind.TEXT: _t("a plain-text file", "un archivo de texto sin formato", _TEMPLATE),
    Kind.UNKNOWN: _t("a file of an unknown kind", "un archivo de tipo desconocido", _TEMPLATE),
    Kind.TRUNCATED: _t("a file cut short: only part of it arrived", "un archivo incompleto: solo llegó una parte", _AGAIN),
    Kind.DAMAGED: _t("a file whose inner structure is broken", "un archivo con la estructura interna rota",
                     ("Ask the focal point to save it again in Excel and resend it.",
                      "Pida al punto focal que lo guarde de nuevo en Excel y lo reenvíe.")),
    Kind.EMPTY: _t("an empty file (0 bytes)", "un archivo vacío (0 bytes)",
                   ("Ask the focal point to send the workbook again.", "Pida al punto focal que envíe el libro de nuevo.")),
}


def describe(kind: Kind, lang: str = "en") -> tuple[str, str]:
    """(what the file is, what to ask for instead) in `lang` (en or es; anything else reads en)."""
    return TEXTS[kind]["es" if lang == "es" else "en"]
