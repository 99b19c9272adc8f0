"""The words for what a returned file is and for what went wrong reading it, in English and Spanish.

KINDS: for every kind of file `intake.sniff.Kind` names (keyed by its slug, `Kind.value`), what
the file is and what to ask the focal point for instead (phrased, like the findings catalog's
fixes, to the Secretariat). `what` is a noun phrase with its article, so it reads inside a
sentence ("This is not an Excel workbook: it looks like {kind}." / "Esto no es un libro de Excel:
parece {kind}."). `send` is empty for the kinds the reader takes data from, but for strict Open
XML, which the reader takes only through `intake.strict.to_transitional`.

DAMAGE: what could not be read of a damaged file, as a clause ("its list of sheets could not be
read"), so that a reason names the part in words and never quotes a library's exception. PART:
parts that hold no follow-up data, damaged or missing in a file that was read all the same.
LIMIT: the bound a file would have passed, with its figures.

core.words.TERMS holds these tables (file_kind, file_advice, damage, part, limit); a finding
carries the code and core.findings words it in the reader's language.
"""
from __future__ import annotations

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


KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "xlsx": _t("an Excel workbook (.xlsx)", "un libro de Excel (.xlsx)"),
    "xlsm": _t("a macro-enabled Excel workbook (.xlsm)", "un libro de Excel habilitado para macros (.xlsm)"),
    "ods": _t("an OpenDocument spreadsheet (.ods)", "una hoja de cálculo OpenDocument (.ods)"),
    "xls": _t("an Excel 97-2003 workbook (.xls)", "un libro de Excel 97-2003 (.xls)"),
    "xls-biff5": _t("an Excel 5.0/95 workbook (.xls)", "un libro de Excel 5.0/95 (.xls)"),
    "xlsx-strict": _t(
        "an Excel workbook in Strict Open XML format (.xlsx)", "un libro de Excel en formato Strict Open XML (.xlsx)",
        ("Ask the focal point to save it again as Excel Workbook (.xlsx), not as Strict Open XML Spreadsheet.",
         "Pida al punto focal que lo guarde de nuevo como Libro de Excel (.xlsx), no como Hoja de cálculo Strict Open XML.")),
    "xlsb": _t("an Excel binary workbook (.xlsb)", "un libro binario de Excel (.xlsb)", _XLSX),
    "xls-stream": _t(
        "the bare contents of an Excel 5.0-2003 workbook, without the container Excel saves them in",
        "el contenido suelto de un libro de Excel 5.0-2003, sin el contenedor en que Excel lo guarda", _TEMPLATE),
    "xls-biff4": _t("an Excel 4.0 worksheet or workbook (.xls, .xlw; 1992)", "una hoja o un libro de Excel 4.0 (.xls, .xlw; 1992)", _OLD),
    "xls-biff3": _t("an Excel 3.0 worksheet (.xls; 1990)", "una hoja de Excel 3.0 (.xls; 1990)", _OLD),
    "xls-biff2": _t("an Excel 2.x worksheet (.xls; 1987)", "una hoja de Excel 2.x (.xls; 1987)", _OLD),
    "spreadsheetml-2003": _t("an XML Spreadsheet 2003 file (.xml)", "un archivo Hoja de cálculo XML 2003 (.xml)", _XLSX),
    "fods": _t("a flat OpenDocument spreadsheet (.fods)", "una hoja de cálculo OpenDocument plana (.fods)", _XLSX),
    "numbers": _t(
        "an Apple Numbers spreadsheet (.numbers)", "una hoja de cálculo de Apple Numbers (.numbers)",
        ("Ask the focal point to export it from Numbers as an Excel workbook (File > Export To > Excel, .xlsx) and send that file.",
         "Pida al punto focal que la exporte desde Numbers como libro de Excel (Archivo > Exportar a > Excel, .xlsx) y envíe ese archivo.")),
    "lotus": _t("a Lotus 1-2-3 worksheet (.wk1, .wk3, .wk4, .123)", "una hoja de Lotus 1-2-3 (.wk1, .wk3, .wk4, .123)", _OLD),
    "quattro-pro": _t("a Quattro Pro spreadsheet (.wq1, .wb1-.wb3, .qpw)", "una hoja de cálculo de Quattro Pro (.wq1, .wb1-.wb3, .qpw)", _OLD),
    "works": _t("a Microsoft Works file (.wks, .wps)", "un archivo de Microsoft Works (.wks, .wps)", _OLD),
    "encrypted-ooxml-agile": _t(
        "an Excel workbook encrypted with a password to open (Excel 2010 or later)",
        "un libro de Excel cifrado con contraseña de apertura (Excel 2010 o posterior)", _PASSWORD),
    "encrypted-ooxml-standard": _t(
        "an Excel workbook encrypted with a password to open (Excel 2007)",
        "un libro de Excel cifrado con contraseña de apertura (Excel 2007)", _PASSWORD),
    "encrypted-ooxml-other": _t(
        "an Office file locked by encryption or by rights management (IRM), which cannot be opened without its key",
        "un archivo de Office bloqueado por cifrado o por gestión de derechos (IRM), que no se puede abrir sin su clave",
        ("Ask the focal point for a copy without a password or access restrictions (in Excel: File > Info > Protect Workbook).",
         "Pida al punto focal una copia sin contraseña ni restricciones de acceso (en Excel: Archivo > Información > Proteger libro).")),
    "xls-rc4": _t(
        "an Excel 97-2003 workbook (.xls) encrypted with a password to open (RC4)",
        "un libro de Excel 97-2003 (.xls) cifrado con contraseña de apertura (RC4)", _PASSWORD),
    "xls-rc4-cryptoapi": _t(
        "an Excel 97-2003 workbook (.xls) encrypted with a password to open (RC4 CryptoAPI)",
        "un libro de Excel 97-2003 (.xls) cifrado con contraseña de apertura (RC4 CryptoAPI)", _PASSWORD),
    "xls-xor": _t(
        "an Excel workbook (.xls) protected with a password to open (XOR obfuscation)",
        "un libro de Excel (.xls) protegido con contraseña de apertura (ofuscación XOR)", _PASSWORD),
    "ods-encrypted": _t(
        "an OpenDocument spreadsheet (.ods) saved with a password",
        "una hoja de cálculo OpenDocument (.ods) guardada con contraseña",
        ("Ask the focal point to save it again without a password (in LibreOffice: File > Save As, with "
         "'Save with password' unticked), preferably as Excel Workbook (.xlsx).",
         "Pida al punto focal que la guarde de nuevo sin contraseña (en LibreOffice: Archivo > Guardar como, sin marcar "
         "«Guardar con contraseña»), preferiblemente como Libro de Excel (.xlsx).")),
    "zip-encrypted": _t(
        "a zip archive protected with a password", "un archivo zip protegido con contraseña",
        ("Ask the focal point to attach the workbook itself (.xlsx), neither compressed nor protected with a password.",
         "Pida al punto focal que adjunte el libro mismo (.xlsx), sin comprimir y sin contraseña.")),
    "csv": _t("a CSV text export (values separated by commas or semicolons)",
                 "una exportación de texto CSV (valores separados por comas o punto y coma)", _TEXT),
    "tsv": _t("a tab-separated text export (.txt, .tsv)",
                 "una exportación de texto separado por tabulaciones (.txt, .tsv)", _TEXT),
    "sylk": _t("a SYLK text export (.slk)", "una exportación de texto SYLK (.slk)", _TEXT),
    "dif": _t("a DIF text export (.dif)", "una exportación de texto DIF (.dif)", _TEXT),
    "html-as-excel": _t("a web page (HTML) with an Excel file name", "una página web (HTML) con nombre de archivo de Excel", _TEMPLATE),
    "html": _t("a web page (HTML)", "una página web (HTML)", _TEMPLATE),
    "xml": _t("an XML data file", "un archivo de datos XML", _TEMPLATE),
    "pdf": _t("a PDF document", "un documento PDF",
                 ("A PDF cannot be read back into the matrix: ask the focal point for the filled-in .xlsx workbook itself.",
                  "Un PDF no se puede volver a leer en la matriz: pida al punto focal el propio libro .xlsx completado.")),
    "image": _t("a picture (a photo or a scan)", "una imagen (una foto o un escaneo)", _TEMPLATE),
    "word-processing": _t("a text document (Word, RTF or OpenDocument)", "un documento de texto (Word, RTF u OpenDocument)", _TEMPLATE),
    "presentation": _t("a presentation (PowerPoint or OpenDocument)", "una presentación (PowerPoint u OpenDocument)", _TEMPLATE),
    "iwork-other": _t("an Apple Pages or Keynote document", "un documento de Apple Pages o Keynote", _TEMPLATE),
    "outlook-message": _t("a saved Outlook message (.msg)", "un mensaje de Outlook guardado (.msg)",
                   ("Save the workbook attached to the message into the inbox folder instead of the message itself.",
                    "Guarde en la carpeta inbox el libro adjunto al mensaje, en lugar del mensaje mismo.")),
    "zip": _t("a zip archive", "un archivo zip", _UNPACK),
    "archive": _t("a compressed archive (RAR, 7-Zip, gzip or similar)", "un archivo comprimido (RAR, 7-Zip, gzip o similar)", _UNPACK),
    "ole-other": _t("an Office file of another kind, not a workbook", "un archivo de Office de otro tipo, no un libro", _TEMPLATE),
    "text": _t("a plain-text file", "un archivo de texto sin formato", _TEMPLATE),
    "unknown": _t("a file of an unknown kind", "un archivo de tipo desconocido", _TEMPLATE),
    "truncated": _t("a file cut short: only part of it arrived", "un archivo incompleto: solo llegó una parte", _AGAIN),
    "damaged": _t("a file whose inner structure is broken", "un archivo con la estructura interna rota",
                     ("Ask the focal point to save it again in Excel and resend it.",
                      "Pida al punto focal que lo guarde de nuevo en Excel y lo reenvíe.")),
    "empty": _t("an empty file (0 bytes)", "un archivo vacío (0 bytes)",
                   ("Ask the focal point to send the workbook again.", "Pida al punto focal que envíe el libro de nuevo.")),
}


def _table(index: int) -> dict[str, dict[str, str]]:
    return {lang: {slug: words[lang][index] for slug, words in KINDS.items()} for lang in ("en", "es")}


FILE_KIND = _table(0)
# What to ask for instead; for the kinds the reader takes data from (reported when such a file is
# not the template: file-other-format), to save it as the workbook it was sent as.
FILE_ADVICE = {lang: {slug: advice or _XLSX[i] for slug, advice in table.items()}
               for i, (lang, table) in enumerate(_table(1).items())}


def describe(kind, lang: str = "en") -> tuple[str, str]:
    """(what the file is, what to ask for instead) in `lang` (en or es; anything else reads en);
    `kind` is a Kind or its slug."""
    lang = "es" if lang == "es" else "en"
    slug = getattr(kind, "value", kind)
    return FILE_KIND[lang][slug], FILE_ADVICE[lang][slug]


# What could not be read of a damaged file; `{name}` is a sheet's name.
DAMAGE = {
    "en": {"package": "its zip package is incomplete or broken",
           "sheets": "its list of sheets could not be read",
           "relationships": "the links between its parts could not be read",
           "shared-strings": "its table of shared texts could not be read",
           "styles": "its cell styles could not be read",
           "sheet": "the sheet '{name}' is missing or could not be read",
           "values": "the values of its cells could not be read",
           "ods-content": "the content of the OpenDocument spreadsheet could not be read",
           "xls-content": "the content of the Excel 97-2003 workbook could not be read",
           "disk": "the file could not be read from the disk",
           "email": "the saved e-mail could not be read",
           "truncated": "it was cut short, and only part of it arrived",  # slugs of the sniffer's kinds
           "damaged": "its inner structure is broken"},
    "es": {"package": "su paquete zip está incompleto o roto",
           "sheets": "no se pudo leer su lista de hojas",
           "relationships": "no se pudieron leer los vínculos entre sus partes",
           "shared-strings": "no se pudo leer su tabla de textos compartidos",
           "styles": "no se pudieron leer sus estilos de celda",
           "sheet": "la hoja '{name}' falta o no se pudo leer",
           "values": "no se pudieron leer los valores de sus celdas",
           "ods-content": "no se pudo leer el contenido de la hoja de cálculo OpenDocument",
           "xls-content": "no se pudo leer el contenido del libro de Excel 97-2003",
           "disk": "no se pudo leer el archivo del disco",
           "email": "no se pudo leer el correo guardado",
           "truncated": "llegó incompleto, solo una parte",
           "damaged": "su estructura interna está rota"},
}

# Parts that hold no follow-up data: a file that lost them is read all the same. `{name}`: the
# sheets, `{detail}`: the other parts, by their names in the package.
PART = {
    "en": {"pivot-tables": "the pivot-table definitions", "pivot-caches": "the data of the pivot tables",
           "charts": "the charts", "drawings": "the drawings and pictures", "comments": "the comments",
           "properties": "the document properties", "external-links": "the links to other workbooks",
           "theme": "the colour theme", "calc-chain": "the order of calculation",
           "package-links": "the package's table of contents", "sheets": "sheets that hold no data ({name})",
           "other": "other parts ({detail})"},
    "es": {"pivot-tables": "las definiciones de las tablas dinámicas", "pivot-caches": "los datos de las tablas dinámicas",
           "charts": "los gráficos", "drawings": "los dibujos e imágenes", "comments": "los comentarios",
           "properties": "las propiedades del documento", "external-links": "los vínculos a otros libros",
           "theme": "el tema de colores", "calc-chain": "el orden de cálculo",
           "package-links": "el índice del paquete", "sheets": "hojas que no contienen datos ({name})",
           "other": "otras partes ({detail})"},
}

# A bound one file would pass, with its figures (numbers, the same in both languages).
LIMIT = {
    "en": {"ratio": "one of its parts would unpack to {value} times its packed size, beyond the limit of {limit} times",
           "text": "the cells of the sheet '{name}' hold {value} million characters of text once a text shown in "
                   "many cells is counted in each, beyond the limit of {limit} million",
           "cells": "the sheet '{name}' spans {value} cells, beyond the limit of {limit}",
           "time": "reading it took longer than the {limit} seconds allowed for one file"},
    "es": {"ratio": "una de sus partes se descomprimiría a {value} veces su tamaño comprimido, más que el límite de "
                    "{limit} veces",
           "text": "las celdas de la hoja '{name}' contienen {value} millones de caracteres de texto si un texto que "
                   "se muestra en muchas celdas se cuenta en cada una, más que el límite de {limit} millones",
           "cells": "la hoja '{name}' abarca {value} celdas, más que el límite de {limit}",
           "time": "leerlo tomó más que los {limit} segundos permitidos para un archivo"},
}
