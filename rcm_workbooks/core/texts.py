"""Every word a template or an output shows a person, in English and Spanish."""
from __future__ import annotations

# The words of the commands, the e-mails, the history and the focal-point list live in core/words.py
# (this module would pass 500 lines); they are part of this catalog and are taken from here.
from .words import MONTHS, TERMS, WORDS, format_date, period_words, say, term  # noqa: F401
from .plan_words import PLAN_RULES, PLANBOOK  # noqa: F401  (the plan workbook's, and rcm plan adopt's)
from .activity_words import ACT_HEADERS, ACT_HELP, ACT_OUT, ACT_REPORT, ACT_UI  # noqa: F401  (the Activity Matrix's)

HEADERS = {
    "en": {
        "ref": "Ref.",
        "pillar": "Programmatic pillar ▾",
        "theme": "Theme ▾",
        "activity": "Description of the activity",
        "indicators": "Results / impact indicators",
        "measured_by": "Who measures the indicators",
        "responsible": "Responsible party ▾",
        "deadline": "Deadline ▾",
        "status": "Status ▾",
        "risks": "Assumptions or risks",
        "progress": "Work carried out in the period",
        "next_steps": "Recommendations / next steps",
    },
    "es": {
        "ref": "Ref.",
        "pillar": "Pilar programático ▾",
        "theme": "Tema ▾",
        "activity": "Descripción de la actividad",
        "indicators": "Indicadores de resultado / impacto",
        "measured_by": "Quién mide los indicadores",
        "responsible": "Parte responsable ▾",
        "deadline": "Plazo ▾",
        "status": "Estado ▾",
        "risks": "Supuestos o riesgos",
        "progress": "Trabajo realizado en el período",
        "next_steps": "Recomendaciones / próximos pasos",
    },
}

# --- generate and workspace ---
# The command line's words for where the workspace is, `rcm generate`'s refusals and an empty inbox.
# {flag} is the command line's option: the library never names one. A pair is (one, several).
WORKSPACE = {
    "en": {
        "not-a-workspace": "{start} is not a workspace: templates/plan.yaml is missing. "
                           "Name a workspace with {flag} DIR, or make one with `rcm init DIR`.",
        "not-in-a-workspace": "{start} is not a workspace, nor inside one: no folder from there up holds "
                              "templates/plan.yaml. Run the command inside a workspace or name one with {flag} DIR, "
                              "or make one with `rcm init DIR`.",
        "templates-exist": ("1 template of {period} exists already; nothing was written.",
                            "{count} templates of {period} exist already; nothing was written."),
        "templates-exist-more": "and {count} more",
        "templates-exist-why": ("It may have been e-mailed to its focal point already, and returns are matched by "
                                "the ids inside it: keep the copy that was sent. To write it again anyway, add {flag}.",
                                "They may have been e-mailed to the focal points already, and returns are matched by "
                                "the ids inside them: keep the copies that were sent. To write them again anyway, "
                                "add {flag}."),
        "templates-replaced": ("Overwrote 1 template that existed already ({flag}): send the new one to its "
                               "focal point if the old one was sent.",
                               "Overwrote {count} templates that existed already ({flag}): send the new ones to "
                               "the focal points if the old ones were sent."),
        "due-before-period": "{flag} {due} is before {period} begins ({start}); give a date on or after {start}.",
        "inbox-empty": "Nothing to consolidate: there is no file in {inbox}. Drop the returned workbooks or "
                       "saved e-mails into {inbox}, then run rcm consolidate again.",
    },
    "es": {
        "not-a-workspace": "{start} no es un espacio de trabajo: falta templates/plan.yaml. "
                           "Indique un espacio de trabajo con {flag} CARPETA o cree uno con `rcm init CARPETA`.",
        "not-in-a-workspace": "{start} no es un espacio de trabajo ni está dentro de uno: ninguna carpeta de allí "
                              "hacia arriba contiene templates/plan.yaml. Ejecute el comando dentro de un espacio "
                              "de trabajo o indique uno con {flag} CARPETA, o cree uno con `rcm init CARPETA`.",
        "templates-exist": ("Ya existe 1 plantilla de {period}; no se escribió nada.",
                            "Ya existen {count} plantillas de {period}; no se escribió nada."),
        "templates-exist-more": "y {count} más",
        "templates-exist-why": ("Puede que ya se haya enviado por correo a su punto focal, y las devoluciones se "
                                "reconocen por los identificadores que lleva dentro: conserve la copia enviada. "
                                "Para escribirla de nuevo de todos modos, agregue {flag}.",
                                "Puede que ya se hayan enviado por correo a los puntos focales, y las devoluciones "
                                "se reconocen por los identificadores que llevan dentro: conserve las copias "
                                "enviadas. Para escribirlas de nuevo de todos modos, agregue {flag}."),
        "templates-replaced": ("Se sobrescribió 1 plantilla que ya existía ({flag}): envíe la nueva a su punto "
                               "focal si ya se había enviado la anterior.",
                               "Se sobrescribieron {count} plantillas que ya existían ({flag}): envíe las nuevas "
                               "a los puntos focales si ya se habían enviado las anteriores."),
        "due-before-period": "{flag} {due} es anterior al inicio de {period} ({start}); indique una fecha a partir "
                             "del {start}.",
        "inbox-empty": "Nada que consolidar: no hay ningún archivo en {inbox}. Coloque los libros devueltos o los "
                       "correos guardados en {inbox} y vuelva a ejecutar rcm consolidate.",
    },
}

# Input messages: Excel allows 32 characters of title and 255 of message.
HELP = {
    "en": {
        "ref": ("Reference", "Filled in by the Secretariat. Leave it as it is."),
        "pillar": ("Programmatic pillar", "Pick the pillar of the RCM Strategic Plan this activity belongs to."),
        "theme": ("Theme", "Pick the theme. The list shows only the themes of the pillar chosen in the previous column: choose the pillar first."),
        "activity": ("Activity", "Describe the activity in a sentence or two: what is done, by whom, where."),
        "indicators": ("Indicators", "The results or impact indicators of the activity and, where known, their target."),
        "measured_by": ("Who measures", "The institution or person responsible for measuring the indicators."),
        "responsible": ("Responsible party", "Pick who is responsible for the activity."),
        "deadline": ("Deadline", "Pick the year of the Strategic Plan by which the indicators are due."),
        "status": ("Status", "Pick the status of the activity at the end of the period."),
        "risks": ("Assumptions or risks", "Assumptions the activity depends on, or risks that could stop it."),
        "progress": ("Work carried out", "What was done in this period. This text goes into the annual report."),
        "next_steps": ("Next steps", "Recommendations and next steps for the coming period."),
    },
    "es": {
        "ref": ("Referencia", "La completa la Secretaría. Déjela como está."),
        "pillar": ("Pilar programático", "Elija el pilar del Plan Estratégico de la CRM al que pertenece la actividad."),
        "theme": ("Tema", "Elija el tema. La lista muestra solo los temas del pilar elegido en la columna anterior: elija primero el pilar."),
        "activity": ("Actividad", "Describa la actividad en una o dos frases: qué se hace, quién lo hace, dónde."),
        "indicators": ("Indicadores", "Los indicadores de resultado o de impacto de la actividad y, si se conoce, su meta."),
        "measured_by": ("Quién mide", "La institución o persona responsable de medir los indicadores."),
        "responsible": ("Parte responsable", "Elija quién es responsable de la actividad."),
        "deadline": ("Plazo", "Elija el año del Plan Estratégico en que vencen los indicadores."),
        "status": ("Estado", "Elija el estado de la actividad al final del período."),
        "risks": ("Supuestos o riesgos", "Supuestos de los que depende la actividad o riesgos que podrían detenerla."),
        "progress": ("Trabajo realizado", "Lo que se hizo en este período. Este texto pasa al informe anual."),
        "next_steps": ("Próximos pasos", "Recomendaciones y próximos pasos para el período siguiente."),
    },
}

ERROR_ALERT = {
    "en": ("Pick from the list", "Please pick a value from the list (click the arrow at the right of the cell). Typed values are not accepted."),
    "es": ("Elija de la lista", "Elija un valor de la lista (haga clic en la flecha a la derecha de la celda). No se aceptan valores escritos."),
}


UI = {
    "en": {
        "instructions_sheet": "Instructions",
        "matrix_sheet": "Follow-up matrix",
        "matrix_title": "Follow-up matrix",
        "plan": "Plan",
        "working_group": "Working group",
        "country": "Country",
        "period": "Period",
        "due_date": "Due date",
        "no_due_date": "(none set)",
        "hint": "Fill in the white cells only. Columns marked ▾ take a value from a list. One activity per row, in rows "
                "{first} to {last}: rows cannot be inserted. Column {check} checks each row as you type.",
        "instructions_title": "How to fill in this follow-up matrix",
        "steps": [
            "Open the sheet «{matrix}». Each row is one activity of the working group in your country.",
            "Rows already filled in (grey cells) are the group's priority activities: update their status and the work carried out.",
            "For each new activity, pick the pillar first, then the theme (the list shows only that pillar's themes), then describe the activity.",
            "Pillar, theme, description of the activity and status are required on every row you use. Leave unused rows empty.",
            "Pick values from the lists; do not type or paste over them. Text cells accept any text, in English or Spanish.",
            "Column {check} («{check_header}») checks each row as you type: «OK», or what is missing or wrong, and the "
            "cells at fault turn red. The box at the top of the matrix, repeated at the top of this sheet, says "
            "«{ready}» when every row is OK, or how many rows need attention.",
            "A row marked OK is never sent back for a missing value or a value outside a list. The check may be "
            "stricter than the Secretariat, never more lenient: a value typed with other accents than the list's, "
            "or with a special space (a non-breaking space, a tab), is shown as outside the list. Pick it from the "
            "list and the row is OK.",
            "Activities go in rows {first} to {last}, the rows already filled in included; rows cannot be inserted. "
            "If you need more, ask the Secretariat for a workbook with more rows, copy your rows into it (paste the "
            "values only) and send only that workbook: a second workbook for the same working group replaces the "
            "first one, it is not added to it.",
            "Save the file as an Excel workbook (.xlsx). You may rename it: the workbook identifies itself.",
            "Send it back by {due} to {return_to}.",
        ],
        "columns_title": "What each column means",
        "col_column": "Column",
        "col_header": "Heading",
        "col_help": "What to write",
        "col_required": "Required",
        "yes": "yes",
        "no": "no",
        "pick_list": "Pick from the list.",
        "expected_results": "Expected results",
        "indicators": "Indicators",
    },
    "es": {
        "instructions_sheet": "Instrucciones",
        "matrix_sheet": "Matriz de seguimiento",
        "matrix_title": "Matriz de seguimiento",
        "plan": "Plan",
        "working_group": "Grupo de trabajo",
        "country": "País",
        "period": "Período",
        "due_date": "Fecha límite",
        "no_due_date": "(sin fecha)",
        "hint": "Complete solo las celdas blancas. Las columnas marcadas con ▾ toman un valor de una lista. Una actividad por "
                "fila, en las filas {first} a {last}: no se pueden insertar filas. La columna {check} revisa cada fila "
                "mientras escribe.",
        "instructions_title": "Cómo completar esta matriz de seguimiento",
        "steps": [
            "Abra la hoja «{matrix}». Cada fila es una actividad del grupo de trabajo en su país.",
            "Las filas ya completadas (celdas grises) son las actividades prioritarias del grupo: actualice su estado y el trabajo realizado.",
            "Para cada actividad nueva, elija primero el pilar, luego el tema (la lista muestra solo los temas de ese pilar) y describa la actividad.",
            "El pilar, el tema, la descripción de la actividad y el estado son obligatorios en cada fila que use. Deje vacías las filas que no use.",
            "Elija los valores de las listas; no los escriba ni pegue encima. Las celdas de texto aceptan cualquier texto, en español o en inglés.",
            "La columna {check} («{check_header}») revisa cada fila mientras escribe: «OK», o lo que falta o está mal, "
            "y las celdas con problemas se ponen en rojo. El recuadro en la parte superior de la matriz, repetido arriba "
            "en esta hoja, dice «{ready}» cuando todas las filas están bien, o cuántas filas requieren atención.",
            "Una fila marcada OK nunca se devuelve por un valor que falte o que esté fuera de una lista. La revisión "
            "puede ser más estricta que la Secretaría, nunca más permisiva: un valor escrito con otros acentos que "
            "los de la lista, o con un espacio especial (de no separación, una tabulación), aparece como fuera de "
            "la lista. Elíjalo de la lista y la fila queda bien.",
            "Las actividades van en las filas {first} a {last}, incluidas las ya completadas; no se pueden insertar "
            "filas. Si necesita más, pida a la Secretaría un libro con más filas, copie en él sus filas (pegue solo "
            "los valores) y envíe solo ese libro: un segundo libro del mismo grupo de trabajo reemplaza al primero, "
            "no se suma a él.",
            "Guarde el archivo como libro de Excel (.xlsx). Puede cambiarle el nombre: el libro se identifica solo.",
            "Envíelo a más tardar el {due} a {return_to}.",
        ],
        "columns_title": "Qué significa cada columna",
        "col_column": "Columna",
        "col_header": "Encabezado",
        "col_help": "Qué escribir",
        "col_required": "Obligatorio",
        "yes": "sí",
        "no": "no",
        "pick_list": "Elija de la lista.",
        "expected_results": "Resultados esperados",
        "indicators": "Indicadores",
    },
}

# The workbook's own check (template/selfcheck.py): its column's heading and help, what it says of a
# row, the banner. They are written into the formulas as constants, so the check speaks the
# template's language while the focal point types; {col} is the check column's letter, {n} a count.
CHECK = {
    "en": {
        "header": "Check",
        "help": ("Check", "Filled in by the workbook as you type: OK, or what is missing or wrong "
                          "on the row. It cannot be edited."),
        "ok": "OK",
        "missing": "Missing: ",
        "outside": "Value outside the list: ",
        "other_pillar": "The theme does not belong to the pillar",
        "too_long": "Text longer than a cell holds (32,767 characters)",
        "error": "A cell shows an error value",
        "ready": "Ready to send",
        "empty": "No activities entered yet",
        "one": "1 row needs attention (see column {col})",
        "many": "{n} rows need attention (see column {col})",
    },
    "es": {
        "header": "Revisión",
        "help": ("Revisión", "La completa el libro mientras escribe: OK, o lo que falta o está "
                             "mal en la fila. No se puede modificar."),
        "ok": "OK",
        "missing": "Falta: ",
        "outside": "Valor fuera de la lista: ",
        "other_pillar": "El tema no corresponde al pilar",
        "too_long": "Texto más largo de lo que cabe en una celda (32 767 caracteres)",
        "error": "Una celda muestra un valor de error",
        "ready": "Listo para enviar",
        "empty": "Aún no hay actividades",
        "one": "1 fila requiere atención (vea la columna {col})",
        "many": "{n} filas requieren atención (vea la columna {col})",
    },
}


# --- outputs: the consolidated workbook, the feedback copies, the annual report ---------------
# Their words live in core/output_words.py (this module would pass 500 lines with them).
from .output_words import CONSOLIDATED, FEEDBACK, PROGRESS, REPORT, counted  # noqa: E402,F401


# --- registry and fetch ---
# The registry's place and state, rcm registry copy/check/get and rcm fetch: core/registry_words.py.
from .registry_words import REGISTRY, registry_words, size_words  # noqa: E402,F401

# =====================================================================================================
# The errors that stop a command: keyed by core.errors.Problem values, then the command line's own
# failures. The library raises a code and its data; the command line fills these in, and writes
# its option's name where a message says {flag}.
# =====================================================================================================

ERRORS = {
    "en": {
        "already-a-workspace": "{path} is already a workspace (templates/plan.yaml exists); nothing was changed.",
        "not-a-folder": "{path} exists and is not a folder; choose another name.",
        "demo-folder-not-empty": "{path} exists and is not empty; the demo needs a new folder.",
        "not-found": "not found: {paths}",
        "no-inbox": "the inbox {path} does not exist; create it and drop the returned workbooks into it.",
        "output-parent-missing": "cannot create the output folder {path}: {parent} does not exist. "
                                 "Check the path given with {flag}.",
        "output-not-created": "cannot create the output folder {path}: {detail}. Check the path and its permissions.",
        "output-read-only": "the output folder {path} is read-only; make it writable or choose another with {flag}.",
        "consolidation-running": "another rcm consolidate is running in {folder} and did not finish within "
                                 "{seconds} s; wait for it to end and run again.",
        "not-a-period": "'{text}' is not a reporting period. Use a year or a half-year, for example 2025, "
                        "2025-H1 or 2025-H2.",
        "not-a-year": "the Activity Matrix is proposed once a year: give {flag} {year}, not {period}.",
        "not-a-date": "{flag} '{text}' is not a date. Write it as YYYY-MM-DD, for example 2025-06-30.",
        "unknown-group": "unknown working group {codes}; valid codes: {valid}",
        "unknown-country": "unknown country {codes}; valid codes: {valid}",
        "rows-out-of-range": "{flag} must be between {low} and {high}",
        "unknown-mail-kind": "{flag} must be one of {kinds}, not '{kind}'.",
        "unknown-mail-form": "{flag} must be one of {forms}, not '{form}'.",
        "mail-form-ambiguous": "templates of both the follow-up matrix and the Activity Matrix were generated for "
                               "{period}; say which round the e-mails are about: {flag} followup or {flag} activities.",
        "no-templates": "no templates were generated for {period} ({folder} is missing); "
                        "run `rcm generate --period {period}` first.",
        "no-focal-point-list": "no focal-point list: {path} (or .csv) is missing. "
                               "`rcm init NEWDIR` writes an example: copy it here and fill in your focal points.",
        "no-period-of-year": "the registry has no period of {year}; consolidate that year's returns first.",



        "template-not-written": "could not write the template: {detail}",
        "workbook-not-written": "could not write the consolidated workbook ({detail}); the previous one is intact.",
        "cli.plan-invalid": "the plan is not valid:",
        "cli.cannot-use": "cannot use{name}: {detail}. Check that the folder exists and is writable.",
        "cli.internal-error": "internal error ({detail}). Run again with {flag} for details.",
        "cli.send-needs-host": "{send} needs {host} (and usually {user} and {sender}).",
        "cli.send-needs-sender": "{send} needs the sender address: give {sender} ADDRESS or set {env}.",
    },
    "es": {
        "already-a-workspace": "{path} ya es un espacio de trabajo (existe templates/plan.yaml); no se cambió nada.",
        "not-a-folder": "{path} existe y no es una carpeta; elija otro nombre.",
        "demo-folder-not-empty": "{path} existe y no está vacía; la demostración necesita una carpeta nueva.",
        "not-found": "no se encontró: {paths}",
        "no-inbox": "la carpeta de entrada {path} no existe; créela y ponga en ella los libros devueltos.",
        "output-parent-missing": "no se puede crear la carpeta de salida {path}: {parent} no existe. "
                                 "Revise la ruta indicada con {flag}.",
        "output-not-created": "no se puede crear la carpeta de salida {path}: {detail}. Revise la ruta y sus permisos.",
        "output-read-only": "la carpeta de salida {path} es de solo lectura; permita escribir en ella o elija otra con {flag}.",
        "consolidation-running": "hay otro rcm consolidate en curso en {folder} y no terminó en {seconds} s; "
                                 "espere a que termine y vuelva a ejecutarlo.",
        "not-a-period": "'{text}' no es un período de informe. Use un año o un semestre, por ejemplo 2025, "
                        "2025-H1 o 2025-H2.",
        "not-a-year": "la Matriz de Actividades se propone una vez al año: indique {flag} {year}, no {period}.",
        "not-a-date": "{flag} '{text}' no es una fecha. Escríbala como AAAA-MM-DD, por ejemplo 2025-06-30.",
        "unknown-group": "grupo de trabajo desconocido: {codes}; códigos válidos: {valid}",
        "unknown-country": "país desconocido: {codes}; códigos válidos: {valid}",
        "rows-out-of-range": "{flag} debe estar entre {low} y {high}",
        "unknown-mail-kind": "{flag} debe ser uno de {kinds}, no '{kind}'.",
        "unknown-mail-form": "{flag} debe ser uno de {forms}, no '{form}'.",
        "mail-form-ambiguous": "para {period} se generaron plantillas de la matriz de seguimiento y de la Matriz de "
                               "Actividades; indique de qué ronda tratan los correos: {flag} followup o {flag} activities.",
        "no-templates": "no se generaron plantillas para {period} (falta {folder}); "
                        "ejecute primero `rcm generate --period {period}`.",
        "no-focal-point-list": "no hay lista de puntos focales: falta {path} (o .csv). "
                               "`rcm init CARPETA_NUEVA` escribe un ejemplo: cópielo aquí y complete sus puntos focales.",
        "no-period-of-year": "el registro no tiene ningún período de {year}; consolide primero las respuestas de ese año.",



        "template-not-written": "no se pudo escribir la plantilla: {detail}",
        "workbook-not-written": "no se pudo escribir el libro consolidado ({detail}); el anterior está intacto.",
        "cli.plan-invalid": "el plan no es válido:",
        "cli.cannot-use": "no se puede usar{name}: {detail}. Compruebe que la carpeta existe y que se puede escribir en ella.",
        "cli.internal-error": "error interno ({detail}). Vuelva a ejecutarlo con {flag} para ver los detalles.",
        "cli.send-needs-host": "{send} necesita {host} (y normalmente también {user} y {sender}).",
        "cli.send-needs-sender": "{send} necesita la dirección del remitente: indique {sender} DIRECCIÓN o defina {env}.",
    },
}

