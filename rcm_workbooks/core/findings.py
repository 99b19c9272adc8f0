"""Findings: one validation result each, from one catalog of stable codes with en/es messages.

A finding keeps its code, severity and position as fields; the message is rendered from the
catalog in the reader's language, so tools can filter on the code and people read the sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .texts import TERMS, say


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Parameters that carry data (what was typed, names, numbers, cells, codes of the plan): shown as
# they are in every language. Any other placeholder is a code worded by a table of texts.TERMS.
DATA_PARAMS = frozenset({"value", "detail", "other", "expected", "allowed", "column_label", "limit", "sender",
                         "date", "n", "codes", "period"})


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    scope: str  # file | row | cell (| list): what an error of this code rejects
    en: str | tuple[str, str]  # a pair is (one, other), chosen by the parameter n
    es: str | tuple[str, str]
    fix_en: str = ""
    fix_es: str = ""
    terms: dict = field(default_factory=dict)  # placeholder -> table of texts.TERMS
    about: str = "return"  # return | list (the focal-point list)


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_CATALOG = [
    # --- files that are not returns, or cannot be read -----------------------------------------
    Code("file-empty", E, "file", "The file is empty (0 bytes).", "El archivo está vacío (0 bytes).",
         "Ask the focal point to send the workbook again.", "Pida al punto focal que envíe el libro de nuevo."),
    Code("file-not-spreadsheet", E, "file", "This is not an Excel workbook: it looks like {kind}.",
         "Esto no es un libro de Excel: parece {kind}.",
         "Ask the focal point for the filled-in .xlsx workbook.", "Pida al punto focal el libro .xlsx completado.",
         terms={"kind": "file_kind"}),
    Code("file-damaged", E, "file", "The workbook is damaged and cannot be opened ({detail}).",
         "El libro está dañado y no se puede abrir ({detail}).",
         "Ask the focal point to save it again in Excel and resend it.",
         "Pida al punto focal que lo guarde de nuevo en Excel y lo reenvíe."),
    Code("file-repaired", W, "file", "Parts of the workbook that hold no follow-up data are damaged or missing ({detail}); the data was read all the same.",
         "Partes del libro que no contienen datos de seguimiento están dañadas o faltan ({detail}); los datos se leyeron de todos modos.",
         "Nothing to do if the rows are right; if the focal point cannot open the file, ask them to save it again.",
         "Nada que hacer si las filas son correctas; si el punto focal no puede abrir el archivo, pídale que lo guarde de nuevo."),
    Code("file-encrypted", E, "file", "The workbook is protected with a password to open, so it cannot be read.",
         "El libro está protegido con contraseña de apertura, por lo que no se puede leer.",
         "Ask the focal point for a copy without a password to open (File > Info > Protect Workbook > Encrypt with Password: empty).",
         "Pida al punto focal una copia sin contraseña de apertura (Archivo > Información > Proteger libro > Cifrar con contraseña: vacía)."),
    Code("file-too-large", E, "file", "The workbook would unpack to {detail}, beyond the limit of {limit}; it was not opened.",
         "El libro se descomprimiría a {detail}, más que el límite de {limit}; no se abrió.",
         "If it is a genuine return, ask for a copy without extra content; the limit can be raised with --max-unzipped-mb.",
         "Si es una respuesta genuina, pida una copia sin contenido adicional; el límite se puede ampliar con --max-unzipped-mb."),
    Code("file-unsafe-xml", E, "file", "The workbook contains XML that expands itself (an entity declaration); it was refused.",
         "El libro contiene XML que se expande a sí mismo (una declaración de entidad); se rechazó.",
         "Ask the focal point to save the workbook again from Excel.", "Pida al punto focal que guarde el libro de nuevo desde Excel."),
    Code("file-old-format", E, "file", "This is an old {kind} file and its follow-up data cannot be read from it.",
         "Este es un archivo {kind} antiguo y no se pueden leer sus datos de seguimiento.",
         "Ask the focal point to open it and save it as Excel Workbook (.xlsx).",
         "Pida al punto focal que lo abra y lo guarde como Libro de Excel (.xlsx).", terms={"kind": "format"}),
    Code("file-macros", I, "file", "The workbook is macro-enabled (.xlsm); only cell values were read, no macro was run.",
         "El libro tiene macros (.xlsm); solo se leyeron los valores, no se ejecutó ninguna macro."),
    Code("file-converted", I, "file", "The workbook was read from a file in {kind} format.",
         "El libro se leyó de un archivo en formato {kind}.", terms={"kind": "format"}),
    Code("file-ignored", I, "file", "Ignored: {reason}.", "Ignorado: {reason}.", terms={"reason": "ignored"}),
    Code("file-duplicate", I, "file", "Same content as {other}; counted once.", "Mismo contenido que {other}; se cuenta una vez."),
    Code("file-superseded", W, "file", "Superseded by {other}, a later return for the same working group, country and period.",
         "Reemplazado por {other}, una respuesta posterior del mismo grupo de trabajo, país y período.",
         "Nothing to do if {other} is the final version.", "Nada que hacer si {other} es la versión final."),
    Code("file-internal-error", E, "file", "The file could not be processed: internal error {detail}.",
         "No se pudo procesar el archivo: error interno {detail}.",
         "Please report this file to the tool's maintainers; the other files were processed.",
         "Informe de este archivo a quienes mantienen la herramienta; los demás archivos se procesaron."),
    # --- identity: _meta, title block, plan, period ------------------------------------------
    Code("meta-missing", E, "file", "This workbook is not an RCM follow-up template (it has no `_meta` sheet).",
         "Este libro no es una plantilla de seguimiento de la CRM (no tiene hoja `_meta`).",
         "Ask the focal point to fill in the workbook they were sent, not a copy made by hand.",
         "Pida al punto focal que complete el libro que se le envió, no una copia hecha a mano."),
    Code("meta-invalid", E, "file", "The `_meta` sheet is damaged: {detail}.", "La hoja `_meta` está dañada: {detail}.",
         "Send the focal point a fresh template and ask them to copy their rows into it.",
         "Envíe al punto focal una plantilla nueva y pídale que copie sus filas en ella."),
    Code("meta-other-plan", E, "file", "The workbook belongs to plan {value}, not {expected}.",
         "El libro pertenece al plan {value}, no al {expected}.",
         "Send the focal point the current template.", "Envíe al punto focal la plantilla vigente."),
    Code("meta-unknown-code", E, "file", "The workbook names an unknown {what} '{value}'.",
         "El libro indica un {what} desconocido: '{value}'.",
         "Send the focal point a fresh template.", "Envíe al punto focal una plantilla nueva.",
         terms={"what": "identity"}),
    Code("meta-other-period", E, "file", "The workbook is for period {value}, not {expected}.",
         "El libro es del período {value}, no del {expected}.",
         "If it is last period's file, ask for this period's; to consolidate {value}, run rcm consolidate --period {value}.",
         "Si es el archivo del período anterior, pida el de este período; para consolidar {value}, ejecute rcm consolidate --period {value}."),
    Code("title-mismatch", E, "file", "The title block says {what} '{value}' but the workbook was made for '{expected}'.",
         "El encabezado dice {what} '{value}' pero el libro se hizo para '{expected}'.",
         "Send the focal point a fresh template for the right working group and country.",
         "Envíe al punto focal una plantilla nueva del grupo de trabajo y país correctos.", terms={"what": "identity"}),
    Code("matrix-missing", E, "file", "The follow-up matrix sheet '{expected}' is missing (sheets: {value}).",
         "Falta la hoja de la matriz de seguimiento '{expected}' (hojas: {value}).",
         "Ask the focal point not to rename or delete sheets, or send a fresh template.",
         "Pida al punto focal que no cambie el nombre de las hojas ni las borre, o envíe una plantilla nueva."),
    Code("matrix-renamed", W, "file", "The matrix sheet was renamed to '{value}'; it was found by its content.",
         "Se cambió el nombre de la hoja de la matriz a '{value}'; se encontró por su contenido."),
    Code("header-changed", E, "file", "The column headings were changed: {detail}.",
         "Se cambiaron los encabezados de columna: {detail}.",
         "Columns must not be inserted, deleted or moved. Send a fresh template and ask the focal point to copy the rows into it.",
         "No se deben insertar, borrar ni mover columnas. Envíe una plantilla nueva y pida que copien las filas en ella."),
    Code("header-moved", W, "file", "Columns were moved or inserted ({detail}); the values were read by their headings.",
         "Se movieron o insertaron columnas ({detail}); los valores se leyeron por sus encabezados."),
    Code("protection-removed", W, "file", "The sheet protection was removed; every cell was checked all the same.",
         "Se quitó la protección de la hoja; todas las celdas se revisaron de todos modos."),
    Code("return-late", W, "file", "Returned after the due date {expected} (saved {value}).",
         "Devuelto después de la fecha límite {expected} (guardado el {value})."),
    Code("return-empty", W, "file", "The workbook came back with no activity filled in.",
         "El libro volvió sin ninguna actividad completada.",
         "Check with the focal point whether there is nothing to report.",
         "Confirme con el punto focal si no hay nada que informar."),
    # --- rows and cells --------------------------------------------------------------------
    Code("required-missing", E, "row", "'{column_label}' is required on a row with content, and it is empty.",
         "'{column_label}' es obligatorio en una fila con contenido, y está vacío.",
         "Please fill it in, or clear the whole row if it is not an activity.",
         "Complételo, o borre toda la fila si no es una actividad."),
    Code("value-not-in-list", E, "row", "'{value}' is not one of the allowed values for '{column_label}'.",
         "'{value}' no es uno de los valores permitidos para '{column_label}'.",
         "Please pick one from the list: {allowed}.", "Elija uno de la lista: {allowed}."),
    Code("theme-other-pillar", E, "row", "The theme '{value}' does not belong to the pillar '{other}'.",
         "El tema '{value}' no pertenece al pilar '{other}'.",
         "Please pick the pillar first, then one of its themes: {allowed}.",
         "Elija primero el pilar y luego uno de sus temas: {allowed}."),
    Code("cell-error-value", E, "row", "The cell shows the error {value} instead of a value.",
         "La celda muestra el error {value} en lugar de un valor.",
         "Please replace it with the value itself.", "Reemplácelo por el valor."),
    Code("cell-formula", W, "cell", "The cell holds a formula ({detail}); the value it showed, '{value}', was used.",
         "La celda contiene una fórmula ({detail}); se usó el valor que mostraba, '{value}'.",
         "Please type the value instead of a formula.", "Escriba el valor en lugar de una fórmula."),
    Code("cell-not-text", I, "cell", "A {kind} was typed in a text column; it was kept as the text '{value}'.",
         "Se escribió {kind} en una columna de texto; se conservó como el texto '{value}'.",
         terms={"kind": "value_kind"}),
    Code("cell-too-long", W, "cell", "The text has {detail} characters, more than Excel can show in a cell (32,767); the CSV keeps it whole.",
         "El texto tiene {detail} caracteres, más de los que Excel muestra en una celda (32.767); el CSV lo conserva completo.",
         "Please shorten it.", "Acórtelo, por favor."),
    Code("prefilled-changed", W, "row", "A pre-filled row (ref {value}) was edited in its locked columns.",
         "Se editaron las columnas bloqueadas de una fila precompletada (ref {value}).",
         "Check the change with the focal point; the edited values were kept.",
         "Revise el cambio con el punto focal; se conservaron los valores editados."),
    Code("prefilled-empty", W, "row", "The pre-filled activity {value} came back without a status.",
         "La actividad precompletada {value} volvió sin estado.",
         "Please pick its status for this period.", "Elija su estado para este período."),
    Code("ref-changed", W, "cell", "The reference was changed to '{value}' (expected '{expected}'); the expected one was kept.",
         "Se cambió la referencia a '{value}' (se esperaba '{expected}'); se conservó la esperada."),
    Code("row-outside-range", W, "row", "Row {detail} is below the template's last input row {expected}; it was read all the same.",
         "La fila {detail} está debajo de la última fila de datos {expected}; se leyó de todos modos.",
         "Please keep activities inside the white input rows.", "Mantenga las actividades dentro de las filas blancas."),
    Code("content-out-of-bounds", E, "file", "There is content far outside the matrix ({detail}); it was not read.",
         "Hay contenido muy fuera de la matriz ({detail}); no se leyó.",
         "Please delete it and send the file again.", "Bórrelo y envíe el archivo de nuevo."),
    Code("column-outside-range", W, "cell", "Text was typed in column {detail}, which is not a column of the matrix; it was not merged.",
         "Se escribió texto en la columna {detail}, que no es una columna de la matriz; no se incorporó.",
         "Please move it into a column of the matrix.", "Muévalo a una columna de la matriz."),
    # --- returns received as saved e-mails (.eml) ----------------------------------------------
    Code("email-attachment", I, "file", "Attached to an e-mail from {sender}, sent {date} (subject: {detail}).",
         "Adjunto a un correo de {sender}, enviado el {date} (asunto: {detail})."),
    Code("email-no-attachment", E, "file", "The e-mail from {sender}, sent {date} (subject: {detail}), has no attached workbook.",
         "El correo de {sender}, enviado el {date} (asunto: {detail}), no trae ningún libro adjunto.",
         "Ask the focal point to reply again with the filled-in .xlsx attached (not a link, not pasted into the message).",
         "Pida al punto focal que responda de nuevo con el .xlsx completado como archivo adjunto (no un enlace ni pegado en el mensaje)."),
    # --- the registry: refs and carried rows ---------------------------------------------------
    Code("carried-row-missing", W, "file", "The activity {value} ({detail}), carried forward from {other}, did not come back in this return.",
         "La actividad {value} ({detail}), traída de {other}, no volvió en esta respuesta.",
         "Ask the focal point for its status this period; its earlier rows are kept in the registry.",
         "Pida al punto focal su estado en este período; sus filas anteriores se conservan en el registro."),
    Code("ref-duplicate", W, "row", "The reference {value} is already used by another activity; this row was given a new one.",
         "La referencia {value} ya la usa otra actividad; esta fila recibió una nueva.",
         "Check with the focal point whether the row was copied; the row was kept.",
         "Confirme con el punto focal si la fila se copió; la fila se conservó."),
    # --- the focal-point list (rcm mail): a row with an error is left out ----------------------
    Code("fp-unreadable", E, "list", "The list cannot be read ({detail}).", "No se puede leer la lista ({detail}).",
         "Save it again from Excel as .xlsx (or as CSV UTF-8) and run the command again.",
         "Guárdela de nuevo desde Excel como .xlsx (o como CSV UTF-8) y vuelva a ejecutar el comando.", about="list"),
    Code("fp-no-header", E, "list", "No heading row was found (expected: {expected}).",
         "No se encontró la fila de encabezados (se esperaba: {expected}).",
         "Keep the heading row of the example that rcm init writes.",
         "Conserve la fila de encabezados del ejemplo que escribe rcm init.", about="list"),
    Code("fp-missing-column", E, "list",
         ("The heading row lacks the column {detail}.", "The heading row lacks {n} columns: {detail}."),
         ("A la fila de encabezados le falta la columna {detail}.",
          "A la fila de encabezados le faltan {n} columnas: {detail}."),
         "Add them, with the headings of the example that rcm init writes.",
         "Agréguelas, con los encabezados del ejemplo que escribe rcm init.", about="list"),
    Code("fp-missing-value", E, "row", "The cell is empty.", "La celda está vacía.", "{howto}", "{howto}",
         terms={"howto": "fp_howto"}, about="list"),
    Code("fp-bad-email", E, "row", "'{value}' is not a valid e-mail address.",
         "'{value}' no es una dirección de correo electrónico válida.", "{howto}", "{howto}",
         terms={"howto": "fp_howto"}, about="list"),
    Code("fp-unknown-country", E, "row", "'{value}' is not a country of the plan.",
         "'{value}' no es un país del plan.", "Write one of the codes {codes}.", "Escriba uno de los códigos {codes}.",
         about="list"),
    Code("fp-unknown-group", E, "row",
         ("{detail} is not a working group of the plan.", "{detail} are not working groups of the plan."),
         ("{detail} no es un grupo de trabajo del plan.", "{detail} no son grupos de trabajo del plan."),
         "Write ALL, or codes among {codes} separated by commas.",
         "Escriba TODOS, o códigos entre {codes} separados por comas.", about="list"),
    Code("fp-all-mixed", E, "row", "'{value}' mixes ALL with other codes.", "'{value}' mezcla TODOS con otros códigos.",
         "Write either ALL or a list of codes.", "Escriba TODOS o una lista de códigos, no ambos.", about="list"),
    Code("fp-bad-language", E, "row", "'{value}' is not a language of the templates.",
         "'{value}' no es un idioma de las plantillas.",
         "Write en or es, or leave it empty for the country's language.",
         "Escriba en o es, o déjelo vacío para usar el idioma del país.", about="list"),
    Code("fp-duplicate", E, "row", "{value} is listed again for {other} (first on row {detail}).",
         "{value} figura de nuevo para {other} (primero en la fila {detail}).",
         "Keep one row per person and country, with all their working groups in it.",
         "Deje una fila por persona y país, con todos sus grupos de trabajo.", about="list"),
    Code("fp-uncovered", W, "list",
         ("{n} country/working-group pair has no focal point and will receive no e-mail: {detail}.",
          "{n} country/working-group pairs have no focal point and will receive no e-mail: {detail}."),
         ("{n} par país/grupo de trabajo no tiene punto focal y no recibirá ningún correo: {detail}.",
          "{n} pares país/grupo de trabajo no tienen punto focal y no recibirán ningún correo: {detail}."),
         "Add a row for each, or give an existing focal point those working groups.",
         "Agregue una fila para cada uno, o asigne esos grupos de trabajo a un punto focal existente.", about="list"),
]

CATALOG: dict[str, Code] = {c.code: c for c in _CATALOG}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _form(text: str | tuple[str, str], values: dict) -> str:
    if isinstance(text, tuple):
        return text[0 if str(values.get("n", "")) == "1" else 1]
    return text


@dataclass(frozen=True)
class Finding:
    code: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    column: str = ""  # field name (pillar, theme, ...) for cell and row findings
    value: str = ""
    row: int | None = None
    params: dict = field(default_factory=dict, compare=False, hash=False)
    heading: str = ""  # the column's heading as people see it, where no cell names it (a CSV list)

    @property
    def severity(self) -> Severity:
        return CATALOG[self.code].severity

    def message(self, lang: str = "en", with_fix: bool = True) -> str:
        entry = CATALOG[self.code]
        values = _Blank(self.params)
        values.setdefault("value", self.value)
        for name, table in entry.terms.items():  # a code, worded in the reader's language
            code = str(values.get(name, ""))
            values[name] = TERMS[table][lang].get(code, code).format_map(values)
        text = _form(entry.es if lang == "es" else entry.en, values).format_map(values)
        fix = (entry.fix_es if lang == "es" else entry.fix_en).format_map(values)
        return f"{text} {fix}".strip() if with_fix and fix else text

    def where(self, lang: str = "en") -> str:
        parts = []
        if self.sheet:
            parts.append(say("where.sheet", lang, sheet=self.sheet))
        if self.cell:
            parts.append(say("where.cell", lang, cell=self.cell))
        elif self.row:
            parts.append(say("where.row", lang, row=self.row))
        if self.heading and not self.cell:
            parts.append(say("where.column", lang, column=self.heading))
        return ", ".join(parts)

    def render(self, lang: str = "en") -> str:
        where = self.where(lang)
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{where[:1].upper() + where[1:] + ': ' if where else ''}{self.message(lang)}"

    def to_dict(self, lang: str = "en") -> dict:
        return {"code": self.code, "severity": self.severity.value, "file": self.file, "sheet": self.sheet,
                "cell": self.cell, "row": self.row, "column": self.column, "value": self.value,
                "message": self.message(lang)}


def count_by_severity(findings) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


def catalog_markdown() -> str:
    """docs/findings.md, generated from the catalog (a test keeps the file in step)."""
    scope = {"file": "the whole file", "row": "the row", "cell": "nothing (the value is kept)", "list": "the whole list"}
    head = ["| code | severity | an error rejects | message (en) | what to do (en) | mensaje (es) |", "|---|---|---|---|---|---|"]
    lines = [
        "# Findings",
        "",
        "Every problem `rcm validate` and `rcm consolidate` report has a stable code, and so has every problem",
        "`rcm mail` finds in the focal-point list. An **error** rejects what its scope says (the whole file, the",
        "row, or the whole list); a **warning** keeps the row and asks for a look; **info** only notes what was",
        "done. Messages are shown in English or Spanish (`--lang`); where a message counts, the plural form is",
        "shown here. This page is generated from `rcm_workbooks/core/findings.py`;",
        "`python3 -m rcm_workbooks.core.findings > docs/findings.md` rewrites it.",
    ]
    for about, title in (("return", "Returned workbooks"), ("list", "The focal-point list")):
        lines += ["", f"## {title}", "", *head]
        for c in (c for c in _CATALOG if c.about == about):
            cells = [f"`{c.code}`", c.severity.value, scope[c.scope] if c.severity is Severity.ERROR else "—",
                     _form(c.en, {}), c.fix_en or "—", _form(c.es, {})]
            lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    lines += ["", "## Words of coded parameters", "",
              "Some parameters carry a code; each language words it (`{kind}` of `cell-not-text`: `number`).", "",
              "| parameter words | code | en | es |", "|---|---|---|---|"]
    for table, words in TERMS.items():
        for code in words["en"]:
            cells = [table, f"`{code}`", words["en"][code], words["es"][code]]
            lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalog_markdown(), end="")
