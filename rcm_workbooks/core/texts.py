"""Every word a template or an output shows a person, in English and Spanish."""
from __future__ import annotations

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

# === The command line, the e-mails, the registry's history, the focal-point list ================
# One entry per key in each language. An entry is a string, or a pair (one, other) for a count:
# `say` picks the form by `n` (English and Spanish both use the singular for exactly 1 only).
# Terms (TERMS) are the words of codes that findings carry as parameters: the finding keeps the
# code, each language words it.

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"],
}

WORDS = {
    "en": {
        # dates
        "date.long": "{day} {month} {year}",
        "date.none": "no due date was set",
        # where a finding is
        "where.sheet": "sheet {sheet}",
        "where.cell": "cell {cell}",
        "where.row": "row {row}",
        "where.column": "column '{column}'",
        "severity.error": "error",
        "severity.warning": "warning",
        "severity.info": "note",
        # counts
        "n.workbooks": ("{n} workbook", "{n} workbooks"),
        "n.activities": ("{n} activity", "{n} activities"),
        "n.files": ("{n} file", "{n} files"),
        "n.rows_merged": ("{n} row merged", "{n} rows merged"),
        "n.rows_rejected": ("{n} row rejected", "{n} rows rejected"),
        "n.errors": ("{n} error", "{n} errors"),
        "n.warnings": ("{n} warning", "{n} warnings"),
        "n.notes": ("{n} note", "{n} notes"),
        "n.pillars": ("{n} pillar", "{n} pillars"),
        "n.themes": ("{n} theme", "{n} themes"),
        "n.working_groups": ("{n} working group", "{n} working groups"),
        "n.countries": ("{n} country", "{n} countries"),
        "n.responsible_parties": ("{n} responsible party", "{n} responsible parties"),
        "n.statuses": ("{n} status", "{n} statuses"),
        "n.deadlines": ("{n} deadline", "{n} deadlines"),
        # rcm init (English only: the command has no --lang)
        "init.ready": "Workspace ready: {root}",
        "init.plan": "  plan:   {path}",
        "init.focal_points": "  focal points: {path}   (fictitious examples: replace them)",
        "init.inbox": "  inbox:  {path}   (drop returned workbooks here)",
        "init.outbox": "  outbox: {path}  (templates and consolidated outputs appear here)",
        # rcm plan check / show
        "plan.ok": "{path}: OK — plan {id} version {version}: {counts}.",
        "plan.title": "{title} ({id}, version {version})",
        "plan.working_groups": "Working groups",
        "plan.countries": "Countries",
        "plan.responsible_parties": "Responsible parties",
        "plan.statuses": "Statuses",
        "plan.deadlines": "Deadlines",
        # rcm generate
        "generate.wrote": ("Wrote {n} workbook for {period} into {folder}",
                           "Wrote {n} workbooks for {period} into {folder}"),
        "generate.carried": ("  carried forward {n} activity of earlier periods, with its ref",
                             "  carried forward {n} activities of earlier periods, with their refs"),
        # rcm history
        "history.none": "No activity in the registry matches.",
        "history.ref": "ref",
        "history.country": "country",
        "history.group": "group",
        "history.activity": "activity",
        "history.no_status": "(no status)",
        # rcm report
        "report.wrote": "Wrote {path}",
        "report.counts": "  {year} ({periods}): {activities}: {achieved} achieved, {in_process} in process, "
                         "{pending} pending",
        # rcm mail
        "mail.problem": "{severity}: {text}",
        "mail.list_errors": ("the focal-point list has {n} error; fix it and run again. Nothing was written.",
                             "the focal-point list has {n} errors; fix them and run again. Nothing was written."),
        "mail.note": "note: {text}",
        "mail.note.unmatched": "{path}: could not tell which working group this feedback copy is for; not attached.",
        "mail.note.no_feedback": "no feedback copies in {path}; run `rcm consolidate` first.",
        "mail.draft": ("  {name}: to {to}; {n} file attached ({files})", "  {name}: to {to}; {n} files attached ({files})"),
        "mail.removed": "  removed {name} (from an earlier run; nothing to send to them now)",
        "mail.kind.templates": "template",
        "mail.kind.reminders": "reminder",
        "mail.kind.feedback": "feedback",
        "mail.wrote": ("Wrote {n} {kind} e-mail for {period} into {folder}",
                       "Wrote {n} {kind} e-mails for {period} into {folder}"),
        "mail.nothing_for": "; nothing to send to {names}",
        "mail.nothing_to_send": "Nothing to send.",
        "mail.confirm": ("Send {n} message through {server} now?", "Send {n} messages through {server} now?"),
        "mail.password": "SMTP password for {user}",
        "mail.ok": "sent",
        "mail.failed": "FAILED",
        "mail.sent": ("Sent {ok} of {n} message; log: {log}", "Sent {ok} of {n} messages; log: {log}"),
        "send.sent": "sent",
        "send.connect": "cannot connect or log in to {detail}",
        "send.no_sender": "no sender address",
        "send.refused": "refused for {detail}",
        "send.smtp": "{detail}",
        # the e-mails
        "email.hello": "Dear {name},",
        "email.bye": "Kind regards,",
        "email.subject.templates": "{org}: follow-up matrix {period} for {country} – due {due}",
        "email.subject.reminders": "Reminder – {org}: follow-up matrix {period} for {country} – due {due}",
        "email.subject.feedback": "{org}: feedback on your follow-up matrix {period} for {country}",
        "email.intro.templates": "Attached you will find the follow-up matrix workbooks of {country} for the reporting period {period}, one per working group:",
        "email.intro.reminders": "According to our records for the reporting period {period}, the following follow-up matrix workbooks of {country} have not been received in a usable form yet:",
        "email.intro.feedback": "Thank you for your returns for the reporting period {period}. Attached are copies of your workbooks of {country} with the cells that need attention marked:",
        "email.what": "What to do: open each workbook in Excel, fill in one row per activity in the white cells, pick the pillar, theme, responsible party, deadline and status from the drop-down lists, and save it as an Excel workbook (.xlsx). Do not rename, add or delete sheets or columns.",
        "email.what.feedback": "What to do: open each copy, read the comments on the marked cells, correct your original workbook (or the copy) and save it as an Excel workbook (.xlsx).",
        "email.due": "Due date: {due}.",
        "email.return": "How to return it: send the filled-in workbooks to {return_to} – simply reply to this e-mail with the files attached. Please send the .xlsx files themselves, not a PDF, a picture or a link.",
        "email.state.missing": "not received yet",
        "email.state.late": "not received, and the due date has passed",
        "email.state.rejected": "received but could not be accepted: {reason}",
        "email.unreadable": "the file could not be read",
        "email.attached_blank": "The blank workbooks are attached again.",
        # rcm demo (English only: the command has no --lang)
        "demo.title": "Demo round {period} in {root} ({seconds} s)",
        "demo.generated": "  1. generated {workbooks}: {folder}",
        "demo.returned": "  2. focal points returned {n} of them, with typical mistakes, into {inbox}",
        "demo.consolidated": "  3. consolidated {files}: {accepted} accepted, {rejected} rejected, {superseded} superseded, "
                             "{ignored} ignored; {rows_merged}, {rows_rejected}; findings: {errors}, {warnings}, {notes}",
        "demo.open": "  Open:",
        "demo.workbook": "    {path}   (Matrix, Summary, Returns, Findings, Rejected rows)",
        "demo.feedback": "    {path}/<COUNTRY>/   (a copy of each return that needs fixing, cells marked)",
        "demo.next": "  4. next period {period}: {workbooks} carrying {activities} forward with their refs;",
        "demo.next_returned": "     {n} returned; {rows_merged}, {rows_rejected} (the Progress sheet compares each "
                              "activity with {period})",
        "demo.report": "  5. annual report draft {year}: {path}",
        "demo.try": "  Try it yourself: cd {root} && rcm consolidate --period {period}",
        # the focal-point list rcm init writes (its words are shown in both languages at once)
        "fp.name": "Name",
        "fp.email": "E-mail",
        "fp.country": "Country",
        "fp.groups": "Working groups",
        "fp.language": "Language",
        "fp.cc": "Cc (optional)",
        "fp.notes_sheet": "How to fill",
        "fp.top_note": "One row per person. Replace these fictitious examples with your focal points; see the sheet '{sheet}'.",
        "fp.pick_country": "Pick a country code.",
        "fp.groups_input": "ALL, or codes: {codes}",
        "fp.notes_column": "Column",
        "fp.notes_what": "What to write",
        "fp.notes.name": "The person's name, used to greet them.",
        "fp.notes.email": "One address. Further addresses go in Cc.",
        "fp.notes.country": "The country code",
        "fp.notes.groups": "ALL, or codes separated by commas",
        "fp.notes.language": "en or es; empty = the country's language.",
        "fp.notes.cc": "Optional addresses in copy, separated by commas.",
        "fp.notes.pairs": "Each country and working group needs at least one focal point; `rcm mail` warns about the pairs nobody covers.",
    },
    "es": {
        "date.long": "{day} de {month} de {year}",
        "date.none": "no se fijó fecha límite",
        "where.sheet": "hoja {sheet}",
        "where.cell": "celda {cell}",
        "where.row": "fila {row}",
        "where.column": "columna '{column}'",
        "severity.error": "error",
        "severity.warning": "aviso",
        "severity.info": "nota",
        "n.workbooks": ("{n} libro", "{n} libros"),
        "n.activities": ("{n} actividad", "{n} actividades"),
        "n.files": ("{n} archivo", "{n} archivos"),
        "n.rows_merged": ("{n} fila incorporada", "{n} filas incorporadas"),
        "n.rows_rejected": ("{n} fila rechazada", "{n} filas rechazadas"),
        "n.errors": ("{n} error", "{n} errores"),
        "n.warnings": ("{n} aviso", "{n} avisos"),
        "n.notes": ("{n} nota", "{n} notas"),
        "n.pillars": ("{n} pilar", "{n} pilares"),
        "n.themes": ("{n} tema", "{n} temas"),
        "n.working_groups": ("{n} grupo de trabajo", "{n} grupos de trabajo"),
        "n.countries": ("{n} país", "{n} países"),
        "n.responsible_parties": ("{n} parte responsable", "{n} partes responsables"),
        "n.statuses": ("{n} estado", "{n} estados"),
        "n.deadlines": ("{n} plazo", "{n} plazos"),
        "init.ready": "Espacio de trabajo listo: {root}",
        "init.plan": "  plan:   {path}",
        "init.focal_points": "  puntos focales: {path}   (ejemplos ficticios: reemplácelos)",
        "init.inbox": "  entrada: {path}   (deje aquí los libros devueltos)",
        "init.outbox": "  salida:  {path}  (aquí aparecen las plantillas y los resultados consolidados)",
        "plan.ok": "{path}: correcto — plan {id} versión {version}: {counts}.",
        "plan.title": "{title} ({id}, versión {version})",
        "plan.working_groups": "Grupos de trabajo",
        "plan.countries": "Países",
        "plan.responsible_parties": "Partes responsables",
        "plan.statuses": "Estados",
        "plan.deadlines": "Plazos",
        "generate.wrote": ("Se escribió {n} libro de {period} en {folder}",
                           "Se escribieron {n} libros de {period} en {folder}"),
        "generate.carried": ("  se trajo {n} actividad de períodos anteriores, con su referencia",
                             "  se trajeron {n} actividades de períodos anteriores, con sus referencias"),
        "history.none": "Ninguna actividad del registro coincide.",
        "history.ref": "ref.",
        "history.country": "país",
        "history.group": "grupo",
        "history.activity": "actividad",
        "history.no_status": "(sin estado)",
        "report.wrote": "Se escribió {path}",
        "report.counts": "  {year} ({periods}): {activities}: logradas: {achieved}, en proceso: {in_process}, "
                         "pendientes: {pending}",
        "mail.problem": "{severity}: {text}",
        "mail.list_errors": ("la lista de puntos focales tiene {n} error; corríjalo y vuelva a ejecutar el comando. No se escribió nada.",
                             "la lista de puntos focales tiene {n} errores; corríjalos y vuelva a ejecutar el comando. No se escribió nada."),
        "mail.note": "nota: {text}",
        "mail.note.unmatched": "{path}: no se pudo saber a qué grupo de trabajo corresponde esta copia con observaciones; no se adjuntó.",
        "mail.note.no_feedback": "no hay copias con observaciones en {path}; ejecute primero `rcm consolidate`.",
        "mail.draft": ("  {name}: para {to}; {n} archivo adjunto ({files})", "  {name}: para {to}; {n} archivos adjuntos ({files})"),
        "mail.removed": "  se borró {name} (de una ejecución anterior; ahora no hay nada que enviarle)",
        "mail.kind.templates": "con las plantillas",
        "mail.kind.reminders": "de recordatorio",
        "mail.kind.feedback": "con observaciones",
        "mail.wrote": ("Se escribió {n} correo {kind} de {period} en {folder}",
                       "Se escribieron {n} correos {kind} de {period} en {folder}"),
        "mail.nothing_for": "; nada que enviar a {names}",
        "mail.nothing_to_send": "No hay nada que enviar.",
        "mail.confirm": ("¿Enviar ahora {n} mensaje por {server}?", "¿Enviar ahora {n} mensajes por {server}?"),
        "mail.password": "Contraseña SMTP de {user}",
        "mail.ok": "enviado",
        "mail.failed": "FALLÓ",
        "mail.sent": ("Enviados: {ok} de {n} mensaje; registro: {log}", "Enviados: {ok} de {n} mensajes; registro: {log}"),
        "send.sent": "enviado",
        "send.connect": "no se puede conectar o iniciar sesión en {detail}",
        "send.no_sender": "falta la dirección del remitente",
        "send.refused": "rechazado para {detail}",
        "send.smtp": "{detail}",
        "email.hello": "Estimado/a {name}:",
        "email.bye": "Saludos cordiales,",
        "email.subject.templates": "{org}: matriz de seguimiento {period} de {country} – fecha límite {due}",
        "email.subject.reminders": "Recordatorio – {org}: matriz de seguimiento {period} de {country} – fecha límite {due}",
        "email.subject.feedback": "{org}: observaciones sobre su matriz de seguimiento {period} de {country}",
        "email.intro.templates": "Adjuntamos los libros de la matriz de seguimiento de {country} para el período {period}, uno por grupo de trabajo:",
        "email.intro.reminders": "Según nuestros registros del período {period}, aún no hemos recibido en forma utilizable los siguientes libros de la matriz de seguimiento de {country}:",
        "email.intro.feedback": "Gracias por sus respuestas del período {period}. Adjuntamos copias de sus libros de {country} con las celdas que requieren atención marcadas:",
        "email.what": "Qué hacer: abra cada libro en Excel, complete una fila por actividad en las celdas blancas, elija el pilar, el tema, la parte responsable, el plazo y el estado de las listas desplegables, y guárdelo como libro de Excel (.xlsx). No cambie el nombre de las hojas ni agregue o borre hojas o columnas.",
        "email.what.feedback": "Qué hacer: abra cada copia, lea los comentarios de las celdas marcadas, corrija su libro original (o la copia) y guárdelo como libro de Excel (.xlsx).",
        "email.due": "Fecha límite: {due}.",
        "email.return": "Cómo devolverlo: envíe los libros completados a {return_to} – basta con responder a este correo con los archivos adjuntos. Envíe los archivos .xlsx en sí, no un PDF, una imagen ni un enlace.",
        "email.state.missing": "aún no recibido",
        "email.state.late": "no recibido, y la fecha límite ya pasó",
        "email.state.rejected": "recibido pero no se pudo aceptar: {reason}",
        "email.unreadable": "no se pudo leer el archivo",
        "email.attached_blank": "Adjuntamos de nuevo los libros en blanco.",
        "demo.title": "Ronda de demostración {period} en {root} ({seconds} s)",
        "demo.generated": "  1. generación de {workbooks}: {folder}",
        "demo.returned": "  2. los puntos focales devolvieron {n}, con errores típicos, a {inbox}",
        "demo.consolidated": "  3. consolidación de {files}: aceptados: {accepted}, rechazados: {rejected}, reemplazados: "
                             "{superseded}, ignorados: {ignored}; {rows_merged}, {rows_rejected}; hallazgos: {errors}, "
                             "{warnings}, {notes}",
        "demo.open": "  Abra:",
        "demo.workbook": "    {path}   (Matriz, Resumen, Respuestas, Hallazgos, Filas rechazadas)",
        "demo.feedback": "    {path}/<PAÍS>/   (una copia de cada respuesta que hay que corregir, con las celdas marcadas)",
        "demo.next": "  4. período siguiente {period}: {workbooks} con {activities} de antes, con sus referencias;",
        "demo.next_returned": "     devueltos: {n}; {rows_merged}, {rows_rejected} (la hoja Avance compara cada "
                              "actividad con {period})",
        "demo.report": "  5. borrador del informe anual {year}: {path}",
        "demo.try": "  Pruébelo usted mismo: cd {root} && rcm consolidate --period {period}",
        "fp.name": "Nombre",
        "fp.email": "Correo electrónico",
        "fp.country": "País",
        "fp.groups": "Grupos de trabajo",
        "fp.language": "Idioma",
        "fp.cc": "Cc (opcional)",
        "fp.notes_sheet": "Cómo llenar",
        "fp.top_note": "Una fila por persona. Reemplace estos ejemplos ficticios por sus puntos focales; vea la hoja '{sheet}'.",
        "fp.pick_country": "Elija un código de país.",
        "fp.groups_input": "TODOS, o códigos: {codes}",
        "fp.notes_column": "Columna",
        "fp.notes_what": "Qué escribir",
        "fp.notes.name": "El nombre de la persona, para el saludo.",
        "fp.notes.email": "Una dirección; las demás van en Cc.",
        "fp.notes.country": "El código del país",
        "fp.notes.groups": "TODOS, o códigos separados por comas",
        "fp.notes.language": "en o es; vacío = el idioma del país.",
        "fp.notes.cc": "Direcciones en copia, opcionales, separadas por comas.",
        "fp.notes.pairs": "Cada país y grupo de trabajo necesita al menos un punto focal; `rcm mail` avisa de los pares que nadie cubre.",
    },
}

# The words of the codes findings carry as parameters (finding code -> placeholder -> table).
TERMS = {
    "value_kind": {  # what was typed in a text column
        "en": {"number": "number", "date": "date", "boolean": "TRUE/FALSE value"},
        "es": {"number": "un número", "date": "una fecha", "boolean": "un valor VERDADERO/FALSO"},
    },
    "file_kind": {  # what a file that is not a workbook looks like (slugs of intake.sniff.Kind)
        "en": {"pdf": "a PDF document", "image": "a picture", "word-processing": "a text document (Word or RTF)",
               "html": "an HTML or XML page (perhaps a web page saved as .xlsx)", "unknown": "an unknown kind of file",
               "csv": "a CSV or tab-separated text file", "text": "a plain-text file",
               "presentation": "a PowerPoint presentation",
               "opendocument": "an OpenDocument file that is not a spreadsheet", "zip": "a zip archive"},
        "es": {"pdf": "un documento PDF", "image": "una imagen", "word-processing": "un documento de texto (Word o RTF)",
               "html": "una página HTML o XML (quizá una página web guardada como .xlsx)",
               "unknown": "un tipo de archivo desconocido",
               "csv": "un archivo de texto CSV o separado por tabulaciones", "text": "un archivo de texto sin formato",
               "presentation": "una presentación de PowerPoint",
               "opendocument": "un archivo OpenDocument que no es una hoja de cálculo", "zip": "un archivo zip"},
    },
    "format": {  # spreadsheet formats: product names, the same in both languages
        "en": {"xls": "Excel 97-2003 (.xls)", "ods": "OpenDocument (.ods)"},
        "es": {"xls": "Excel 97-2003 (.xls)", "ods": "OpenDocument (.ods)"},
    },
    "identity": {  # what names a return's working group, country, plan, period
        "en": {"working_group": "working group", "country": "country", "plan": "plan", "period": "period"},
        "es": {"working_group": "grupo de trabajo", "country": "país", "plan": "plan", "period": "período"},
    },
    "ignored": {  # why a file in the inbox is set aside
        "en": {"lock-file": "Excel lock file (~$), written while someone has the workbook open",
               "system-file": "operating-system file",
               "link": "a link to another file, not a file; put the file itself in the inbox",
               "earlier-round": "consolidated earlier, in the round of {period}"},
        "es": {"lock-file": "archivo de bloqueo de Excel (~$), que se crea mientras alguien tiene el libro abierto",
               "system-file": "archivo del sistema operativo",
               "link": "un enlace a otro archivo, no un archivo; ponga el archivo mismo en la bandeja de entrada",
               "earlier-round": "ya consolidado, en la ronda de {period}"},
    },
    "fp_howto": {  # how to fix a cell of the focal-point list, by column or case
        "en": {"name": "Write the focal point's name (used to greet them).",
               "email": "Write one address, e.g. ana.perez@example.org.",
               "email-several": "Write one address per row; put further addresses in the Cc column.",
               "email-form": "Write it as name@domain, e.g. ana.perez@example.org.",
               "cc": "Write addresses as name@domain, separated by commas or semicolons.",
               "country": "Write a country code: {codes}.",
               "groups": "Write ALL, or one or more codes separated by commas: {codes}."},
        "es": {"name": "Escriba el nombre del punto focal (se usa en el saludo).",
               "email": "Escriba una dirección, p. ej. ana.perez@example.org.",
               "email-several": "Escriba una dirección por fila; ponga las demás en la columna Cc.",
               "email-form": "Escríbala como nombre@dominio, p. ej. ana.perez@example.org.",
               "cc": "Escriba las direcciones como nombre@dominio, separadas por comas o punto y coma.",
               "country": "Escriba un código de país: {codes}.",
               "groups": "Escriba TODOS, o uno o más códigos separados por comas: {codes}."},
    },
}


def say(key: str, lang: str = "en", n: int | None = None, **values) -> str:
    """The words of `key` in `lang`, filled with `values`; for a count, the form that fits `n`."""
    entry = WORDS[lang][key]
    if isinstance(entry, tuple):
        entry = entry[0 if n == 1 else 1]
    return entry.format(n=n, **values)


def term(table: str, code: str, lang: str = "en") -> str:
    """The words of a code in `lang`; a code the table does not know is shown as it is."""
    return TERMS[table][lang].get(code, code)


def format_date(day, lang: str = "en") -> str:
    """A date as people write it: 30 June 2025, 30 de junio de 2025."""
    if day is None:
        return say("date.none", lang)
    return say("date.long", lang, day=day.day, month=MONTHS[lang][day.month - 1], year=day.year)


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
        "hint": "Fill in the white cells only. Columns marked ▾ take a value from a list. One activity per row; add as many as needed.",
        "instructions_title": "How to fill in this follow-up matrix",
        "steps": [
            "Open the sheet «{matrix}». Each row is one activity of the working group in your country.",
            "Rows already filled in (grey cells) are the group's priority activities: update their status and the work carried out.",
            "For each new activity, pick the pillar first, then the theme (the list shows only that pillar's themes), then describe the activity.",
            "Pillar, theme, description of the activity and status are required on every row you use. Leave unused rows empty.",
            "Pick values from the lists; do not type or paste over them. Text cells accept any text, in English or Spanish.",
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
        "hint": "Complete solo las celdas blancas. Las columnas marcadas con ▾ toman un valor de una lista. Una actividad por fila; agregue todas las que necesite.",
        "instructions_title": "Cómo completar esta matriz de seguimiento",
        "steps": [
            "Abra la hoja «{matrix}». Cada fila es una actividad del grupo de trabajo en su país.",
            "Las filas ya completadas (celdas grises) son las actividades prioritarias del grupo: actualice su estado y el trabajo realizado.",
            "Para cada actividad nueva, elija primero el pilar, luego el tema (la lista muestra solo los temas de ese pilar) y describa la actividad.",
            "El pilar, el tema, la descripción de la actividad y el estado son obligatorios en cada fila que use. Deje vacías las filas que no use.",
            "Elija los valores de las listas; no los escriba ni pegue encima. Las celdas de texto aceptan cualquier texto, en español o en inglés.",
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
    },
}
