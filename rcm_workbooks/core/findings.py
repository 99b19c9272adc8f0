"""Findings: one validation result each, from one catalog of stable codes with en/es messages.

A finding keeps its code, severity and position as fields; the message is rendered from the
catalog in the reader's language, so tools can filter on the code and people read the sentence.

Every code says who acts on it (`Actor`): the focal point, by correcting a cell of their file
(those findings alone make a feedback copy), or the Secretariat (the wrong period consolidated,
another plan, a file that is not a return, one damaged on its way...). `message` is what the
Secretariat reads, the fix in its voice; `for_focal_point` is what a focal point may read of any
code (a reminder, a receipt, a feedback copy): never a command, an option or a hidden sheet.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .texts import TERMS, format_date, period_words, say


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Actor(str, Enum):
    """Who acts on a finding."""

    FOCAL_POINT = "focal point"  # corrects a cell of their own file: the finding goes into a feedback copy
    SECRETARIAT = "secretariat"  # acts on its side (asks, sends a fresh template, consolidates again)


# Parameters that carry data (what was typed, names, numbers, cells, codes of the plan): shown as
# they are in every language. Any other placeholder is a code worded by a table of texts.TERMS.
DATA_PARAMS = frozenset({"value", "detail", "other", "expected", "allowed", "column_label", "limit", "sender",
                         "date", "n", "codes", "period", "name"})
# What a reader saw where it failed (a library's exception), in English: shown by --debug and in the
# JSON's `detail`, never in a message.
EVIDENCE = "evidence"


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
    actor: Actor = Actor.SECRETARIAT
    # What a focal point reads instead of the message (and, for their own codes, the fix), where
    # that is written for the Secretariat: a reminder says why a return was not accepted.
    fp_en: str = ""
    fp_es: str = ""
    # Placeholders holding a period code or an ISO date, shown in words; {name_code} keeps the code.
    spelled: dict = field(default_factory=dict)  # placeholder -> "period" | "period_the" (with its article) | "date"


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
FP = Actor.FOCAL_POINT

_CATALOG = [
    # --- files that are not returns, or cannot be read: the Secretariat asks for the file again -
    Code("file-empty", E, "file", "The file is empty (0 bytes).", "El archivo está vacío (0 bytes).",
         "Ask the focal point to send the workbook again.", "Pida al punto focal que envíe el libro de nuevo.",
         fp_en="The file arrived empty (0 bytes). Please send the workbook again.",
         fp_es="El archivo llegó vacío (0 bytes). Envíe el libro de nuevo, por favor."),
    # {kind} and {advice}: a slug of intake.sniff.Kind, worded by core.kinds (what the file is, what
    # to ask the focal point for instead).
    Code("file-not-spreadsheet", E, "file", "This is not an Excel workbook: it looks like {kind}.",
         "Esto no es un libro de Excel: parece {kind}.", "{advice}", "{advice}", terms={"kind": "file_kind", "advice": "file_advice"},
         fp_en="This is not an Excel workbook: it looks like {kind}. Please send the filled-in workbook (.xlsx) itself.",
         fp_es="Esto no es un libro de Excel: parece {kind}. Envíe el libro completado (.xlsx) en sí, por favor."),
    Code("file-damaged", E, "file", "The workbook is damaged and cannot be opened: {damage}.",
         "El libro está dañado y no se puede abrir: {damage}.",
         "Ask the focal point to save it again in Excel and resend it.",
         "Pida al punto focal que lo guarde de nuevo en Excel y lo reenvíe.", terms={"damage": "damage"},
         fp_en="The workbook arrived damaged and cannot be opened. Please save it again in Excel and send it again.",
         fp_es="El libro llegó dañado y no se puede abrir. Guárdelo de nuevo en Excel y envíelo otra vez, por favor."),
    Code("file-repaired", W, "file", "Parts of the workbook that hold no follow-up data are damaged or missing ({parts}); the data was read all the same.",
         "Partes del libro que no contienen datos de seguimiento están dañadas o faltan ({parts}); los datos se leyeron de todos modos.",
         "Nothing to do if the rows are right; if the focal point cannot open the file, ask them to save it again.",
         "Nada que hacer si las filas son correctas; si el punto focal no puede abrir el archivo, pídale que lo guarde de nuevo.",
         terms={"parts": "part"},
         fp_en="Parts of the workbook that hold no follow-up data arrived damaged; your rows were read all the same.",
         fp_es="Partes del libro que no contienen datos de seguimiento llegaron dañadas; sus filas se leyeron de todos modos."),
    Code("file-encrypted", E, "file", "This file is {kind}, so it cannot be read.",
         "Este archivo es {kind}, por lo que no se puede leer.", "{advice}", "{advice}", terms={"kind": "file_kind", "advice": "file_advice"},
         fp_en="The workbook has a password to open, so it cannot be read. Please send a copy without one "
               "(File > Info > Protect Workbook > Encrypt with Password: leave it empty).",
         fp_es="El libro tiene contraseña de apertura, por lo que no se puede leer. Envíe una copia sin ella, por favor "
               "(Archivo > Información > Proteger libro > Cifrar con contraseña: déjela vacía)."),
    Code("file-too-large", E, "file", "The workbook would unpack to {detail}, beyond the limit of {limit}; it was not opened.",
         "El libro se descomprimiría a {detail}, más que el límite de {limit}; no se abrió.",
         "If it is a genuine return, ask for a copy without extra content; the limit can be raised with --max-unzipped-mb.",
         "Si es una respuesta genuina, pida una copia sin contenido adicional; el límite se puede ampliar con --max-unzipped-mb.",
         fp_en="The workbook is far larger than a follow-up matrix, so it was not opened. Please send the workbook "
               "you were sent, filled in, without added content.",
         fp_es="El libro es mucho más grande que una matriz de seguimiento, por lo que no se abrió. Envíe el libro "
               "que se le mandó, completado, sin contenido añadido, por favor."),
    Code("file-unsafe-xml", E, "file", "The workbook contains XML that expands itself (an entity declaration); it was refused.",
         "El libro contiene XML que se expande a sí mismo (una declaración de entidad); se rechazó.",
         "Ask the focal point to save the workbook again from Excel.", "Pida al punto focal que guarde el libro de nuevo desde Excel.",
         fp_en="The workbook contains content that cannot be read safely. Please save it again from Excel and send it again.",
         fp_es="El libro contiene contenido que no se puede leer de forma segura. Guárdelo de nuevo desde Excel y "
               "envíelo otra vez, por favor."),
    Code("file-old-format", E, "file", "This file is {kind}, a format too old to read follow-up data from.",
         "Este archivo es {kind}, un formato demasiado antiguo para leer de él datos de seguimiento.",
         "{advice}", "{advice}", terms={"kind": "file_kind", "advice": "file_advice"},
         fp_en="This file is {kind}, a format too old to read. Please send the workbook you were sent, filled in (.xlsx).",
         fp_es="Este archivo es {kind}, un formato demasiado antiguo para leerlo. Envíe el libro que se le mandó, "
               "completado (.xlsx), por favor."),
    Code("file-other-format", E, "file", "This file is {kind}; its follow-up data cannot be read from it.",
         "Este archivo es {kind}; no se pueden leer de él sus datos de seguimiento.",
         "{advice}", "{advice}", terms={"kind": "file_kind", "advice": "file_advice"},
         fp_en="This file is {kind}, which cannot be read. Please open it, save it as Excel Workbook (.xlsx) and send that file.",
         fp_es="Este archivo es {kind}, que no se puede leer. Ábralo, guárdelo como Libro de Excel (.xlsx) y envíe ese "
               "archivo, por favor."),
    Code("file-over-limit", E, "file", "This file was not read: {bound}.", "Este archivo no se leyó: {bound}.",
         "A genuine return is far smaller: ask the focal point for the workbook they were sent, filled in, "
         "without added content.",
         "Una respuesta genuina es mucho menor: pida al punto focal el libro que se le envió, completado, "
         "sin contenido añadido.", terms={"bound": "limit"},
         fp_en="The workbook holds far more than a follow-up matrix, so it was not read. Please send the workbook "
               "you were sent, filled in, without added content.",
         fp_es="El libro contiene mucho más que una matriz de seguimiento, por lo que no se leyó. Envíe el libro "
               "que se le mandó, completado, sin contenido añadido, por favor."),
    Code("file-macros", I, "file", "The workbook is macro-enabled (.xlsm); only cell values were read, no macro was run.",
         "El libro tiene macros (.xlsm); solo se leyeron los valores, no se ejecutó ninguna macro."),
    Code("file-converted", I, "file", "The workbook was read from {kind}.", "El libro se leyó de {kind}.",
         terms={"kind": "file_kind"}),
    Code("file-ignored", I, "file", "Ignored: {reason}.", "Ignorado: {reason}.", terms={"reason": "ignored"},
         fp_en="The file was set aside: it is not a return.", fp_es="El archivo se dejó aparte: no es una respuesta."),
    Code("file-duplicate", I, "file", "Same content as {other}; counted once.", "Mismo contenido que {other}; se cuenta una vez.",
         fp_en="The same file arrived twice; it was counted once.", fp_es="El mismo archivo llegó dos veces; se contó una vez."),
    Code("file-superseded", W, "file", "Superseded by {other}, a later return for the same working group, country and period.",
         "Reemplazado por {other}, una respuesta posterior del mismo grupo de trabajo, país y período.",
         "Nothing to do if {other} is the final version.", "Nada que hacer si {other} es la versión final.",
         fp_en="A later return of the same working group replaces this one.",
         fp_es="Una respuesta posterior del mismo grupo de trabajo reemplaza a esta."),
    Code("file-empty-later", W, "file", "No activity filled in; {other}, an earlier return for the same working group, "
         "country and period, has activities and stands.",
         "Ninguna actividad completada; {other}, una respuesta anterior del mismo grupo de trabajo, país y período, "
         "tiene actividades y se mantiene.",
         "Ask the focal point whether this empty file was sent by mistake; if it was meant to replace {other}, "
         "ask them to confirm in writing.",
         "Pregunte al punto focal si este archivo vacío se envió por error; si debía reemplazar a {other}, "
         "pídale que lo confirme por escrito.",
         fp_en="This file came back with no activity filled in; your earlier return with activities was kept.",
         fp_es="Este archivo volvió sin ninguna actividad completada; se conservó su respuesta anterior con "
               "actividades."),
    Code("file-internal-error", E, "file", "The file could not be processed because of an internal error of the tool.",
         "No se pudo procesar el archivo por un error interno de la herramienta.",
         "Please report this file to the tool's maintainers; the other files were processed.",
         "Informe de este archivo a quienes mantienen la herramienta; los demás archivos se procesaron.",
         fp_en="The file could not be processed on our side; the Secretariat will get back to you.",
         fp_es="No se pudo procesar el archivo de nuestro lado; la Secretaría se comunicará con usted."),
    # --- identity: _meta, title block, plan, period ------------------------------------------
    Code("meta-missing", E, "file", "This workbook is not an RCM follow-up template (it has no `_meta` sheet).",
         "Este libro no es una plantilla de seguimiento de la CRM (no tiene hoja `_meta`).",
         "Ask the focal point to fill in the workbook they were sent, not a copy made by hand.",
         "Pida al punto focal que complete el libro que se le envió, no una copia hecha a mano.",
         fp_en="This workbook is not the follow-up matrix the Secretariat sent. Please fill in the workbook you "
               "were sent, not a copy made by hand.",
         fp_es="Este libro no es la matriz de seguimiento que envió la Secretaría. Complete el libro que se le "
               "envió, no una copia hecha a mano, por favor."),
    Code("meta-invalid", E, "file", "The `_meta` sheet is damaged: {detail}.", "La hoja `_meta` está dañada: {detail}.",
         "Send the focal point a fresh template and ask them to copy their rows into it.",
         "Envíe al punto focal una plantilla nueva y pídale que copie sus filas en ella.",
         fp_en="A hidden part of the workbook that identifies it is damaged. The Secretariat will send you a fresh "
               "workbook: please copy your rows into it.",
         fp_es="Una parte oculta del libro que lo identifica está dañada. La Secretaría le enviará un libro nuevo: "
               "copie sus filas en él, por favor."),
    Code("meta-other-plan", E, "file", "The workbook belongs to plan {value}, not {expected}.",
         "El libro pertenece al plan {value}, no al {expected}.",
         "Send the focal point the current template.", "Envíe al punto focal la plantilla vigente.",
         fp_en="The workbook belongs to another plan. The Secretariat will send you the current workbook.",
         fp_es="El libro pertenece a otro plan. La Secretaría le enviará el libro vigente."),
    Code("meta-unknown-code", E, "file", "The workbook names an unknown {what} '{value}'.",
         "El libro indica un {what} desconocido: '{value}'.",
         "Send the focal point a fresh template.", "Envíe al punto focal una plantilla nueva.",
         terms={"what": "identity"},
         fp_en="The workbook names a {what} that is not in the plan. The Secretariat will send you a fresh workbook.",
         fp_es="El libro indica un {what} que no está en el plan. La Secretaría le enviará un libro nuevo."),
    Code("meta-other-period", E, "file", "The workbook reports on {value} ({value_code}), not {expected} ({expected_code}).",
         "El libro informa sobre {value} ({value_code}), no sobre {expected} ({expected_code}).",
         "To consolidate {value}, run rcm consolidate --period {value_code}; if the focal point sent an earlier "
         "period's file by mistake, ask them for this period's.",
         "Para consolidar {value}, ejecute rcm consolidate --period {value_code}; si el punto focal envió por error "
         "el archivo de un período anterior, pídale el de este período.",
         fp_en="The workbook reports on {value}, not {expected}. If you sent an earlier period's file by mistake, "
               "please send this period's.",
         fp_es="El libro informa sobre {value}, no sobre {expected}. Si envió por error el archivo de un período "
               "anterior, envíe el de este período, por favor.",
         spelled={"value": "period_the", "expected": "period_the"}),
    Code("title-mismatch", E, "file", "The title block says {what} '{value}' but the workbook was made for '{expected}'.",
         "El encabezado dice {what} '{value}' pero el libro se hizo para '{expected}'.",
         "Send the focal point a fresh template for the right working group and country.",
         "Envíe al punto focal una plantilla nueva del grupo de trabajo y país correctos.", terms={"what": "identity"},
         fp_en="The title of the matrix says {what} '{value}', but the workbook was made for '{expected}'. The "
               "Secretariat will send you a fresh workbook.",
         fp_es="El encabezado de la matriz dice {what} '{value}', pero el libro se hizo para '{expected}'. La "
               "Secretaría le enviará un libro nuevo."),
    Code("matrix-missing", E, "file", "The follow-up matrix sheet '{expected}' is missing (sheets: {value}).",
         "Falta la hoja de la matriz de seguimiento '{expected}' (hojas: {value}).",
         "Ask the focal point not to rename or delete sheets, or send a fresh template.",
         "Pida al punto focal que no cambie el nombre de las hojas ni las borre, o envíe una plantilla nueva.",
         fp_en="The sheet '{expected}' is missing from the workbook. Please do not rename or delete sheets; the "
               "Secretariat will send you a fresh workbook if needed.",
         fp_es="Falta la hoja '{expected}' en el libro. No cambie el nombre de las hojas ni las borre, por favor; "
               "la Secretaría le enviará un libro nuevo si hace falta."),
    Code("matrix-renamed", W, "file", "The matrix sheet was renamed to '{value}'; it was found by its content.",
         "Se cambió el nombre de la hoja de la matriz a '{value}'; se encontró por su contenido."),
    Code("header-changed", E, "file", "The column headings were changed: {detail}.",
         "Se cambiaron los encabezados de columna: {detail}.",
         "Columns must not be inserted, deleted or moved. Send a fresh template and ask the focal point to copy the rows into it.",
         "No se deben insertar, borrar ni mover columnas. Envíe una plantilla nueva y pida que copien las filas en ella.",
         fp_en="The column headings of the matrix were changed. Columns must not be inserted, deleted or moved: the "
               "Secretariat will send you a fresh workbook; please copy your rows into it.",
         fp_es="Se cambiaron los encabezados de columna de la matriz. No se deben insertar, borrar ni mover columnas: "
               "la Secretaría le enviará un libro nuevo; copie sus filas en él, por favor."),
    Code("header-moved", W, "file", "Columns were moved or inserted ({detail}); the values were read by their headings.",
         "Se movieron o insertaron columnas ({detail}); los valores se leyeron por sus encabezados."),
    Code("protection-removed", W, "file", "The sheet protection was removed; every cell was checked all the same.",
         "Se quitó la protección de la hoja; todas las celdas se revisaron de todos modos."),
    Code("return-late", W, "file", "Returned after the due date, {expected} (saved on {value}).",
         "Devuelto después de la fecha límite del {expected} (guardado el {value}).",
         spelled={"expected": "date", "value": "date"}),
    Code("return-empty", W, "file", "The workbook came back with no activity filled in.",
         "El libro volvió sin ninguna actividad completada.",
         "Check with the focal point whether there is nothing to report.",
         "Confirme con el punto focal si no hay nada que informar."),
    # --- rows and cells: the focal point corrects them in the file ---------------------------
    Code("required-missing", E, "row", "'{column_label}' is required on a row with content, and it is empty.",
         "'{column_label}' es obligatorio en una fila con contenido, y está vacío.",
         "Please fill it in, or clear the whole row if it is not an activity.",
         "Complételo, o borre toda la fila si no es una actividad.", actor=FP),
    Code("value-not-in-list", E, "row", "'{value}' is not one of the allowed values for '{column_label}'.",
         "'{value}' no es uno de los valores permitidos para '{column_label}'.",
         "Please pick one from the list: {allowed}.", "Elija uno de la lista: {allowed}.", actor=FP),
    Code("theme-other-pillar", E, "row", "The theme '{value}' does not belong to the pillar '{other}'.",
         "El tema '{value}' no pertenece al pilar '{other}'.",
         "Please pick the pillar first, then one of its themes: {allowed}.",
         "Elija primero el pilar y luego uno de sus temas: {allowed}.", actor=FP),
    Code("cell-error-value", E, "row", "The cell shows the error {value} instead of a value.",
         "La celda muestra el error {value} en lugar de un valor.",
         "Please replace it with the value itself.", "Reemplácelo por el valor.", actor=FP),
    Code("cell-formula", W, "cell", "The cell holds a formula ({detail}); the value it showed, '{value}', was used.",
         "La celda contiene una fórmula ({detail}); se usó el valor que mostraba, '{value}'.",
         "Please type the value instead of a formula.", "Escriba el valor en lugar de una fórmula.", actor=FP),
    Code("cell-not-text", I, "cell", "A {kind} was typed in a text column; it was kept as the text '{value}'.",
         "Se escribió {kind} en una columna de texto; se conservó como el texto '{value}'.",
         terms={"kind": "value_kind"}, actor=FP),
    Code("cell-too-long", W, "cell", "The text has {detail} characters, more than Excel can show in a cell (32,767); the CSV keeps it whole.",
         "El texto tiene {detail} caracteres, más de los que Excel muestra en una celda (32.767); el CSV lo conserva completo.",
         "Please shorten it.", "Acórtelo, por favor.", actor=FP,
         fp_en="The text has {detail} characters, more than Excel can show in a cell (32,767). Please shorten it.",
         fp_es="El texto tiene {detail} caracteres, más de los que Excel muestra en una celda (32.767). Acórtelo, por favor."),
    Code("prefilled-changed", W, "row", "A pre-filled row (ref {value}) was edited in its locked columns.",
         "Se editaron las columnas bloqueadas de una fila precompletada (ref {value}).",
         "Check the change with the focal point; the edited values were kept.",
         "Revise el cambio con el punto focal; se conservaron los valores editados."),
    Code("prefilled-empty", W, "row", "The pre-filled activity {value} came back without a status.",
         "La actividad precompletada {value} volvió sin estado.",
         "Please pick its status for this period.", "Elija su estado para este período.", actor=FP),
    Code("ref-changed", W, "cell", "The reference was changed to '{value}' (expected '{expected}'); the expected one was kept.",
         "Se cambió la referencia a '{value}' (se esperaba '{expected}'); se conservó la esperada."),
    Code("row-outside-range", W, "row", "Row {detail} is below the template's last input row {expected}; it was read all the same.",
         "La fila {detail} está debajo de la última fila de datos {expected}; se leyó de todos modos.",
         "Please keep activities inside the white input rows.", "Mantenga las actividades dentro de las filas blancas.",
         actor=FP),
    Code("content-out-of-bounds", E, "file", "There is content far outside the matrix ({detail}); it was not read.",
         "Hay contenido muy fuera de la matriz ({detail}); no se leyó.",
         "Please delete it and send the file again.", "Bórrelo y envíe el archivo de nuevo.", actor=FP),
    Code("column-outside-range", W, "cell", "Text was typed in column {detail}, which is not a column of the matrix; it was not merged.",
         "Se escribió texto en la columna {detail}, que no es una columna de la matriz; no se incorporó.",
         "Please move it into a column of the matrix.", "Muévalo a una columna de la matriz.", actor=FP),
    # --- returns received as saved e-mails (.eml) ----------------------------------------------
    Code("email-attachment", I, "file", "Attached to an e-mail from {sender}, sent {date} (subject: {detail}).",
         "Adjunto a un correo de {sender}, enviado el {date} (asunto: {detail})."),
    Code("email-no-attachment", E, "file", "The e-mail from {sender}, sent {date} (subject: {detail}), has no attached workbook.",
         "El correo de {sender}, enviado el {date} (asunto: {detail}), no trae ningún libro adjunto.",
         "Ask the focal point to reply again with the filled-in .xlsx attached (not a link, not pasted into the message).",
         "Pida al punto focal que responda de nuevo con el .xlsx completado como archivo adjunto (no un enlace ni pegado en el mensaje).",
         fp_en="Your e-mail of {date} (subject: {detail}) had no workbook attached. Please reply again with the "
               "filled-in .xlsx attached (not a link, not pasted into the message).",
         fp_es="Su correo del {date} (asunto: {detail}) no traía ningún libro adjunto. Responda de nuevo con el .xlsx "
               "completado como archivo adjunto (no un enlace ni pegado en el mensaje), por favor."),
    # --- the registry: refs and carried rows ---------------------------------------------------
    Code("carried-row-missing", W, "file", "The activity {value} ({detail}), carried forward from an earlier period "
         "({other}), did not come back in this return.",
         "La actividad {value} ({detail}), traída de un período anterior ({other}), no volvió en esta respuesta.",
         "Ask the focal point for its status this period; its earlier rows are kept in the registry.",
         "Pida al punto focal su estado en este período; sus filas anteriores se conservan en el registro.",
         spelled={"other": "period"}),
    Code("ref-duplicate", W, "row", "The reference {value} is already used by another activity; this row was given a new one.",
         "La referencia {value} ya la usa otra actividad; esta fila recibió una nueva.",
         "Check with the focal point whether the row was copied; the row was kept.",
         "Confirme con el punto focal si la fila se copió; la fila se conservó."),
    # --- the focal-point list (rcm mail): a row with an error is left out ----------------------
    Code("fp-unreadable", E, "list", "The list cannot be read: it is not a workbook or a CSV file this tool can open.",
         "No se puede leer la lista: no es un libro ni un archivo CSV que esta herramienta pueda abrir.",
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

    @property
    def actor(self) -> Actor:
        return CATALOG[self.code].actor

    def _values(self, lang: str) -> dict:
        entry = CATALOG[self.code]
        values = _Blank(self.params)
        values.setdefault("value", self.value)
        for name, table in entry.terms.items():  # a code (or several), worded in the reader's language
            codes = values.get(name, "")
            words = TERMS[table][lang]
            values[name] = ", ".join(words.get(str(c), str(c)).format_map(values)
                                     for c in (codes if isinstance(codes, (list, tuple)) else [codes]))
        for name, kind in entry.spelled.items():  # a period or a date, in words; the code stays at hand
            code = str(values.get(name, ""))
            values[f"{name}_code"] = code
            values[name] = (format_date(code, lang) if kind == "date"
                            else period_words(code, lang, article=kind == "period_the"))
        return values

    def message(self, lang: str = "en", with_fix: bool = True) -> str:
        """What the Secretariat reads: the problem and, with `with_fix`, what to do about it."""
        entry = CATALOG[self.code]
        values = self._values(lang)
        text = _form(entry.es if lang == "es" else entry.en, values).format_map(values)
        fix = (entry.fix_es if lang == "es" else entry.fix_en).format_map(values)
        return f"{text} {fix}".strip() if with_fix and fix else text

    def fix(self, lang: str = "en") -> str:
        """What to do about it, in the voice of the code's catalog entry ("" when nothing)."""
        entry = CATALOG[self.code]
        return (entry.fix_es if lang == "es" else entry.fix_en).format_map(self._values(lang))

    def for_focal_point(self, lang: str = "en") -> str:
        """What a focal point reads: their own codes with the fix, the Secretariat's in words
        written for them (never a command, an option or a hidden sheet), else the bare message."""
        entry = CATALOG[self.code]
        own = entry.fp_es if lang == "es" else entry.fp_en
        if own:
            return _form(own, {}).format_map(self._values(lang))
        return self.message(lang, with_fix=entry.actor is Actor.FOCAL_POINT)

    @property
    def evidence(self) -> str:
        """What the reader saw (a library's exception, the sniffer's evidence), for --debug and the
        JSON's `detail`; never part of the message."""
        return str(self.params.get(EVIDENCE, ""))

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
                "message": self.message(lang), "detail": self.evidence}


def count_by_severity(findings) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


def catalog_markdown() -> str:
    """docs/findings.md, generated from the catalog (a test keeps the file in step)."""
    scope = {"file": "the whole file", "row": "the row", "cell": "nothing (the value is kept)", "list": "the whole list"}
    head = ["| code | severity | an error rejects | who acts | message (en) | what to do (en) | "
            "what a focal point reads (en) | mensaje (es) |", "|---|---|---|---|---|---|---|---|"]
    lines = [
        "# Findings",
        "",
        "Every problem `rcm validate` and `rcm consolidate` report has a stable code, and so has every problem",
        "`rcm mail` finds in the focal-point list. An **error** rejects what its scope says (the whole file, the",
        "row, or the whole list); a **warning** keeps the row and asks for a look; **info** only notes what was",
        "done. Messages are shown in English or Spanish (`--lang`); where a message counts, the plural form is",
        "shown here. This page is generated from `rcm_workbooks/core/findings.py`;",
        "`python3 -m rcm_workbooks.core.findings > docs/findings.md` rewrites it.",
        "",
        "**Who acts.** The *focal point* acts on a finding about a cell of their own file: they correct it in",
        "the workbook. The *Secretariat* acts on everything else (the wrong period consolidated, another plan,",
        "a duplicate or superseded file, a file that is not a return or arrived damaged, a late return): the",
        "command's output and the Returns sheet say what to do. A feedback copy is written only for an",
        "identified return with at least one error or warning of the focal point's, and none of the",
        "Secretariat's; it lists the focal point's findings alone. A focal point never reads the \"what to do\"",
        "column: a reminder or a receipt shows them the last column's words (the message itself where it is",
        "empty, with the fix for their own codes).",
    ]
    for about, title in (("return", "Returned workbooks"), ("list", "The focal-point list")):
        lines += ["", f"## {title}", "", *head]
        for c in (c for c in _CATALOG if c.about == about):
            cells = [f"`{c.code}`", c.severity.value, scope[c.scope] if c.severity is Severity.ERROR else "—",
                     c.actor.value, _form(c.en, {}), c.fix_en or "—", c.fp_en or "—", _form(c.es, {})]
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
