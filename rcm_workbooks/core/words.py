"""Words of the commands, the e-mails, the registry's history and the focal-point list, in English
and Spanish, with the words of the codes findings carry. Part of the one catalog: core/texts.py
re-exports everything here (kept apart only so that no module of the catalog passes 500 lines).
"""
from __future__ import annotations

from . import kinds

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
        "period.year": "{year}",
        "period.H1": "first half of {year}",
        "period.H2": "second half of {year}",
        "period.the.H1": "the first half of {year}",
        "period.the.H2": "the second half of {year}",
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
        "consolidate.set_aside": ("Set aside 1 file of another round ({periods}): it was consolidated in its "
                                  "own round, and its findings were reported there.",
                                  "Set aside {n} files of other rounds ({periods}): they were consolidated in "
                                  "their own rounds, and their findings were reported there."),
        "report.counts": "  {year} ({periods}): {activities}: {achieved} achieved, {in_process} in process, "
                         "{pending} pending",
        # rcm mail
        "mail.problem": "{severity}: {text}",
        "mail.list_errors": ("the focal-point list has {n} error; fix it and run again. Nothing was written.",
                             "the focal-point list has {n} errors; fix them and run again. Nothing was written."),
        "mail.note": "note: {text}",
        "mail.note.unmatched": "{path}: could not tell which working group this feedback copy is for; not attached.",
        "mail.note.not_needed": "{path}: its return has nothing the focal point must correct (or the Secretariat must "
                                "act on it first); not attached.",
        "mail.note.no_feedback": "no feedback copies in {path}; run `rcm consolidate` first.",
        "mail.draft": ("  {name}: to {to}; {n} file attached ({files})", "  {name}: to {to}; {n} files attached ({files})"),
        "mail.draft_bare": "  {name}: to {to}; nothing attached",
        "mail.removed": "  removed {name} (from an earlier run; nothing to send to them now)",
        "mail.kind.templates": "template",
        "mail.kind.reminders": "reminder",
        "mail.kind.feedback": "feedback",
        "mail.kind.receipts": "receipt",
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
        "email.subject.templates": "{org}: follow-up matrix for {country}, {period} – due {due}",
        "email.subject.reminders": "Reminder – {org}: follow-up matrix for {country}, {period} – due {due}",
        "email.subject.feedback": "{org}: feedback on your follow-up matrix for {country}, {period}",
        "email.subject.receipts": "{org}: receipt of your follow-up matrix for {country}, {period}",
        "email.intro.templates": "Attached you will find the follow-up matrix workbooks of {country} for {in_period}, one per working group:",
        "email.intro.reminders": "According to our records, the following follow-up matrix workbooks of {country} for {in_period} have not been received in a usable form yet:",
        "email.intro.feedback": "Thank you for your returns for {in_period}. Attached are copies of your workbooks of {country} with the cells that need attention marked:",
        "email.intro.receipts": "Thank you. This is what we have received of the follow-up matrix workbooks of {country} for {in_period}:",
        "email.receipts.follows": "Where a copy with corrections follows, please correct the marked cells in it, save it and send it back. Nothing more is needed for the others.",
        "email.receipts.done": "Nothing more is needed from you for the workbooks received.",
        # a receipt's line for one working group
        "receipt.file_saved": "{file}, saved on {date}",
        "receipt.accepted": ("{n} activity accepted", "{n} activities accepted"),
        "receipt.accepted_some": "{ok} of {n} activities accepted",
        "receipt.no_rows": "no activity filled in",
        "receipt.copy_follows": "a copy marked with what to correct follows in a separate e-mail",
        "receipt.rejected": "{file}: it arrived, but it could not be accepted: {reason}",
        "receipt.missing": "not received yet",
        # what the Secretariat does (the Returns sheet, the command's output)
        "todo.feedback": ("Send the feedback copy to the focal point (1 correction): "
                          "rcm mail --period {period} --kind feedback.",
                          "Send the feedback copy to the focal point ({n} corrections): "
                          "rcm mail --period {period} --kind feedback."),
        "todo.none": "Nothing to do.",
        "consolidate.next_feedback": ("Next: {n} feedback copy for a focal point is in {folder}; send it with "
                                      "rcm mail --period {period} --kind feedback.",
                                      "Next: {n} feedback copies for focal points are in {folder}; send them with "
                                      "rcm mail --period {period} --kind feedback."),
        "consolidate.next_receipts": "Receipts for every focal point with a return: rcm mail --period {period} --kind receipts.",
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
        "demo.generated": "  3. generated {workbooks}, the priority activities pre-filled: {folder}",
        "demo.returned": "  4. focal points returned {n} of them, with typical mistakes, into {inbox}",
        "demo.consolidated": "  5. consolidated {files}: {accepted} accepted, {rejected} rejected, {superseded} superseded, "
                             "{ignored} ignored; {rows_merged}, {rows_rejected}; findings: {errors}, {warnings}, {notes}",
        "demo.open": "  Open:",
        "demo.workbook": "    {path}   (Matrix, Summary, Returns, Findings, Rejected rows)",
        "demo.feedback": "    {path}/<COUNTRY>/   (a copy of each return that needs fixing, cells marked)",
        "demo.next": "  6. next period {period}: {workbooks} carrying {activities} forward with their refs;",
        "demo.next_returned": "     {n} returned; {rows_merged}, {rows_rejected} (the Progress sheet compares each "
                              "activity with {period})",
        "demo.report": "  7. annual report draft {year}: {path}",
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
        # rcm validate / rcm consolidate: the report (intake/report.py)
        "verdict.accepted": "ACCEPTED",
        "verdict.rejected": "REJECTED",
        "verdict.superseded": "SUPERSEDED",
        "verdict.ignored": "IGNORED",
        "n.files_accepted": ("{n} accepted", "{n} accepted"),
        "n.files_rejected": ("{n} rejected", "{n} rejected"),
        "n.files_superseded": ("{n} superseded", "{n} superseded"),
        "n.files_ignored": ("{n} ignored", "{n} ignored"),
        "consolidate.summary": "{files}: {accepted}, {rejected}, {superseded}, {ignored}; {rows_merged}, {rows_rejected}.",
        "consolidate.nothing_written": "No return could be identified, and no round was generated here: nothing was written.",
        "consolidate.wrote": "  wrote {path}",
        "validate.summary": "{files}: {errors}, {warnings}, {notes}.",
        # why a file got its verdict (the ignored ones: TERMS["ignored"])
        "reason.rows": ("{n} row accepted", "{n} rows accepted"),
        "reason.rows_bad": (", {n} rejected", ", {n} rejected"),
        "reason.superseded": "superseded by {other}",
        "reason.empty_later": "set aside: no activity filled in; the earlier {other} stands",
        "reason.duplicate": "same content as {other}",
        "reason.email_no_attachment": "an e-mail from {sender} with no attached workbook",
    },
    "es": {
        "date.long": "{day} de {month} de {year}",
        "date.none": "no se fijó fecha límite",
        "period.year": "{year}",
        "period.H1": "primer semestre de {year}",
        "period.H2": "segundo semestre de {year}",
        "period.the.H1": "el primer semestre de {year}",
        "period.the.H2": "el segundo semestre de {year}",
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
        "consolidate.set_aside": ("Se dejó de lado 1 archivo de otra ronda ({periods}): se consolidó en "
                                  "su propia ronda, y sus hallazgos se informaron allí.",
                                  "Se dejaron de lado {n} archivos de otras rondas ({periods}): se "
                                  "consolidaron en sus propias rondas, y sus hallazgos se informaron allí."),
        "report.counts": "  {year} ({periods}): {activities}: logradas: {achieved}, en proceso: {in_process}, "
                         "pendientes: {pending}",
        "mail.problem": "{severity}: {text}",
        "mail.list_errors": ("la lista de puntos focales tiene {n} error; corríjalo y vuelva a ejecutar el comando. No se escribió nada.",
                             "la lista de puntos focales tiene {n} errores; corríjalos y vuelva a ejecutar el comando. No se escribió nada."),
        "mail.note": "nota: {text}",
        "mail.note.unmatched": "{path}: no se pudo saber a qué grupo de trabajo corresponde esta copia con observaciones; no se adjuntó.",
        "mail.note.not_needed": "{path}: su respuesta no tiene nada que el punto focal deba corregir (o la Secretaría "
                                "debe ocuparse de ella antes); no se adjuntó.",
        "mail.note.no_feedback": "no hay copias con observaciones en {path}; ejecute primero `rcm consolidate`.",
        "mail.draft": ("  {name}: para {to}; {n} archivo adjunto ({files})", "  {name}: para {to}; {n} archivos adjuntos ({files})"),
        "mail.draft_bare": "  {name}: para {to}; sin adjuntos",
        "mail.removed": "  se borró {name} (de una ejecución anterior; ahora no hay nada que enviarle)",
        "mail.kind.templates": "con las plantillas",
        "mail.kind.reminders": "de recordatorio",
        "mail.kind.feedback": "con observaciones",
        "mail.kind.receipts": "de acuse de recibo",
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
        "email.subject.templates": "{org}: matriz de seguimiento de {country}, {period} – fecha límite {due}",
        "email.subject.reminders": "Recordatorio – {org}: matriz de seguimiento de {country}, {period} – fecha límite {due}",
        "email.subject.feedback": "{org}: observaciones sobre su matriz de seguimiento de {country}, {period}",
        "email.subject.receipts": "{org}: acuse de recibo de su matriz de seguimiento de {country}, {period}",
        "email.intro.templates": "Adjuntamos los libros de la matriz de seguimiento de {country} sobre {in_period}, uno por grupo de trabajo:",
        "email.intro.reminders": "Según nuestros registros, aún no hemos recibido en forma utilizable los siguientes libros de la matriz de seguimiento de {country} sobre {in_period}:",
        "email.intro.feedback": "Gracias por sus respuestas sobre {in_period}. Adjuntamos copias de sus libros de {country} con las celdas que requieren atención marcadas:",
        "email.intro.receipts": "Gracias. Esto es lo que hemos recibido de los libros de la matriz de seguimiento de {country} sobre {in_period}:",
        "email.receipts.follows": "Cuando le llegue una copia con correcciones, corrija en ella las celdas marcadas, guárdela y envíela de vuelta. Para los demás libros no se necesita nada más.",
        "email.receipts.done": "No se necesita nada más de su parte para los libros recibidos.",
        "receipt.file_saved": "{file}, guardado el {date}",
        "receipt.accepted": ("{n} actividad aceptada", "{n} actividades aceptadas"),
        "receipt.accepted_some": "{ok} de {n} actividades aceptadas",
        "receipt.no_rows": "sin actividades completadas",
        "receipt.copy_follows": "le enviaremos en un correo aparte una copia con lo que hay que corregir marcado",
        "receipt.rejected": "{file}: llegó, pero no se pudo aceptar: {reason}",
        "receipt.missing": "aún no recibido",
        "todo.feedback": ("Envíe la copia con observaciones al punto focal (1 corrección): "
                          "rcm mail --period {period} --kind feedback.",
                          "Envíe la copia con observaciones al punto focal ({n} correcciones): "
                          "rcm mail --period {period} --kind feedback."),
        "todo.none": "Nada que hacer.",
        "consolidate.next_feedback": ("Siguiente paso: {n} copia con observaciones para un punto focal está en {folder}; "
                                      "envíela con rcm mail --period {period} --kind feedback.",
                                      "Siguiente paso: {n} copias con observaciones para los puntos focales están en "
                                      "{folder}; envíelas con rcm mail --period {period} --kind feedback."),
        "consolidate.next_receipts": "Acuses de recibo para cada punto focal con una respuesta: rcm mail --period {period} --kind receipts.",
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
        "demo.generated": "  3. generación de {workbooks}, con las actividades prioritarias precompletadas: {folder}",
        "demo.returned": "  4. los puntos focales devolvieron {n}, con errores típicos, a {inbox}",
        "demo.consolidated": "  5. consolidación de {files}: aceptados: {accepted}, rechazados: {rejected}, reemplazados: "
                             "{superseded}, ignorados: {ignored}; {rows_merged}, {rows_rejected}; hallazgos: {errors}, "
                             "{warnings}, {notes}",
        "demo.open": "  Abra:",
        "demo.workbook": "    {path}   (Matriz, Resumen, Respuestas, Hallazgos, Filas rechazadas)",
        "demo.feedback": "    {path}/<PAÍS>/   (una copia de cada respuesta que hay que corregir, con las celdas marcadas)",
        "demo.next": "  6. período siguiente {period}: {workbooks} con {activities} de antes, con sus referencias;",
        "demo.next_returned": "     devueltos: {n}; {rows_merged}, {rows_rejected} (la hoja Avance compara cada "
                              "actividad con {period})",
        "demo.report": "  7. borrador del informe anual {year}: {path}",
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
        "verdict.accepted": "ACEPTADO",
        "verdict.rejected": "RECHAZADO",
        "verdict.superseded": "REEMPLAZADO",
        "verdict.ignored": "IGNORADO",
        "n.files_accepted": ("{n} aceptado", "{n} aceptados"),
        "n.files_rejected": ("{n} rechazado", "{n} rechazados"),
        "n.files_superseded": ("{n} reemplazado", "{n} reemplazados"),
        "n.files_ignored": ("{n} ignorado", "{n} ignorados"),
        "consolidate.summary": "{files}: {accepted}, {rejected}, {superseded}, {ignored}; {rows_merged}, {rows_rejected}.",
        "consolidate.nothing_written": "No se pudo identificar ninguna respuesta y aquí no se generó ninguna ronda: "
                                       "no se escribió nada.",
        "consolidate.wrote": "  se escribió {path}",
        "validate.summary": "{files}: {errors}, {warnings}, {notes}.",
        "reason.rows": ("{n} fila aceptada", "{n} filas aceptadas"),
        "reason.rows_bad": (", {n} rechazada", ", {n} rechazadas"),
        "reason.superseded": "reemplazado por {other}",
        "reason.empty_later": "dejado aparte: ninguna actividad completada; se mantiene el anterior {other}",
        "reason.duplicate": "mismo contenido que {other}",
        "reason.email_no_attachment": "un correo de {sender} sin ningún libro adjunto",
    },
}

# The lines of `rcm plan export | import | adopt`, of the Activity Matrix's round and of the demo's:
# core/plan_words.py (this module would pass 500 lines), part of the same table.
from .plan_words import LINES as _PLAN_LINES  # noqa: E402
from .activity_words import ACT_LINES as _ACT_LINES  # noqa: E402  (the Activity Matrix's e-mails)
from .cli_words import CLI_LINES as _CLI_LINES  # noqa: E402  (what a round did not find; the plan file)

for _lang in WORDS:
    WORDS[_lang].update(_PLAN_LINES[_lang])
    WORDS[_lang].update(_ACT_LINES[_lang])
    WORDS[_lang].update(_CLI_LINES[_lang])

# The words of the codes findings carry as parameters (finding code -> placeholder -> table).
TERMS = {
    "value_kind": {  # what was typed in a text column
        "en": {"number": "number", "date": "date", "boolean": "TRUE/FALSE value"},
        "es": {"number": "un número", "date": "una fecha", "boolean": "un valor VERDADERO/FALSO"},
    },
    # what a file is and what to ask for instead (slugs of intake.sniff.Kind); what could not be read
    # of a damaged file; parts without data that were lost; a bound a file passed: core/kinds.py
    "file_kind": kinds.FILE_KIND,
    "file_advice": kinds.FILE_ADVICE,
    "damage": kinds.DAMAGE,
    "part": kinds.PART,
    "limit": kinds.LIMIT,
    "identity": {  # what names a return's working group, country, plan, period
        "en": {"working_group": "working group", "country": "country", "plan": "plan", "period": "period"},
        "es": {"working_group": "grupo de trabajo", "country": "país", "plan": "plan", "period": "período"},
    },
    "ignored": {  # why a file in the inbox is set aside
        "en": {"lock-file": "Excel lock file (~$), written while someone has the workbook open",
               "system-file": "operating-system file",
               "link": "a link to another file, not a file; put the file itself in the inbox",
               "earlier-round": "consolidated in the round of {period}"},
        "es": {"lock-file": "archivo de bloqueo de Excel (~$), que se crea mientras alguien tiene el libro abierto",
               "system-file": "archivo del sistema operativo",
               "link": "un enlace a otro archivo, no un archivo; ponga el archivo mismo en la bandeja de entrada",
               "earlier-round": "consolidado en la ronda de {period}"},
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


def period_words(period: str, lang: str = "en", *, article: bool = False) -> str:
    """A period as people say it: 2025, first half of 2025, primer semestre de 2025. With
    `article`, the form that follows "in"/"en" or "for"/"sobre" in a sentence: the first half of
    2025, el primer semestre de 2025 (a year alone has none). A text that is not a period code is
    returned as it is."""
    year, _, half = str(period or "").strip().upper().partition("-")
    if not (len(year) == 4 and year.isdigit() and half in ("", "H1", "H2")):
        return str(period or "")
    key = "period.year" if not half else f"period.{'the.' if article else ''}{half}"
    return say(key, lang, year=year)


def format_date(day, lang: str = "en") -> str:
    """A date as people write it: 30 June 2025, 30 de junio de 2025."""
    if day is None:
        return say("date.none", lang)
    if isinstance(day, str):  # an ISO date as `_meta` and findings keep it
        import datetime as dt

        try:
            day = dt.date.fromisoformat(day.strip()[:10])
        except ValueError:
            return day
    return say("date.long", lang, day=day.day, month=MONTHS[lang][day.month - 1], year=day.year)
