"""The words of the outputs: the consolidated workbook, its Progress sheet, the feedback copies and
the annual report, in English and Spanish. Part of the one catalog: core/texts.py re-exports them
(it would pass 500 lines with them), and they are taken from there."""
from __future__ import annotations

# --- outputs: the consolidated workbook, the feedback copies, the annual report ---------------

# The consolidated workbook: its sheets, headings, states and notes.
CONSOLIDATED = {
    "en": {
        "sheet_matrix": "Matrix", "sheet_summary": "Summary", "sheet_progress": "Progress",
        "sheet_returns": "Returns", "sheet_findings": "Findings", "sheet_rejected": "Rejected rows",
        "working_group": "Working group", "country": "Country", "source_file": "Source file",
        "source_row": "Source row", "period": "Period", "sheet": "Sheet", "row": "Row",
        "codes": "Finding codes", "reasons": "Reasons", "source_sha256": "SHA-256 of the file",
        "summary_title": "Status of the activities, {period}", "by_group": "By working group",
        "by_pillar": "By programmatic pillar", "by_theme": "By theme", "by_country": "By country",
        "pillar": "Programmatic pillar", "theme": "Theme", "other_status": "(other status)",
        "total": "Total", "completion": "Completion rate",
        "chart_status": "Status of the activities by working group",
        "chart_completion": "Completion rate by country", "activities": "Activities",
        "no_rows": "No activity was accepted for this period.",
        "returns_title": "Returns for {in_period}: country × working group", "due": "Due date: {due}",
        "no_due": "Due date: (none set)", "state_received": "received", "state_late": "late",
        "state_rejected": "rejected", "state_missing": "missing",
        "state_superseded": ("{n} superseded", "{n} superseded"),
        "state_also_rejected": ("{n} rejected", "{n} rejected"), "received": "Received", "late": "Late",
        "rejected": "Rejected", "missing": "Missing", "superseded": "Superseded files",
        "nothing_expected": "No return is expected for this period.",
        "set_aside": ("1 file of another round ({periods}) is not listed: it was consolidated in its own round.",
                      "{n} files of other rounds ({periods}) are not listed: they were consolidated in their own "
                      "rounds."),
        "files_title": "Every file in the inbox", "file": "File", "verdict": "Verdict", "reason": "Reason",
        "todo": "What to do",
        "received_at": "Saved / received", "rows_accepted": "Rows accepted",
        "rows_rejected": "Rows rejected", "errors": "Errors", "warnings": "Warnings", "sha256": "SHA-256",
        "verdict_accepted": "accepted", "verdict_rejected": "rejected", "verdict_superseded": "superseded",
        "verdict_ignored": "ignored", "reason_accepted": ("{n} row accepted", "{n} rows accepted"),
        "reason_rejected": ("{n} rejected", "{n} rejected"), "reason_accepted_bad": "{accepted}, {rejected}",
        "code": "Code", "severity": "Severity",
        "cell": "Cell", "column": "Column", "value": "Value", "message": "Message",
        "severity_error": "error", "severity_warning": "warning", "severity_info": "info",
        "doc_title": "Consolidated follow-up matrix — {period}",
        "doc_subject": "Consolidated returns for {in_period}",
    },
    "es": {
        "sheet_matrix": "Matriz", "sheet_summary": "Resumen", "sheet_progress": "Avance",
        "sheet_returns": "Respuestas", "sheet_findings": "Hallazgos", "sheet_rejected": "Filas rechazadas",
        "working_group": "Grupo de trabajo", "country": "País", "source_file": "Archivo de origen",
        "source_row": "Fila de origen", "period": "Período", "sheet": "Hoja", "row": "Fila",
        "codes": "Códigos de hallazgo", "reasons": "Motivos", "source_sha256": "SHA-256 del archivo",
        "summary_title": "Estado de las actividades, {period}", "by_group": "Por grupo de trabajo",
        "by_pillar": "Por pilar programático", "by_theme": "Por tema", "by_country": "Por país",
        "pillar": "Pilar programático", "theme": "Tema", "other_status": "(otro estado)", "total": "Total",
        "completion": "Tasa de cumplimiento",
        "chart_status": "Estado de las actividades por grupo de trabajo",
        "chart_completion": "Tasa de cumplimiento por país", "activities": "Actividades",
        "no_rows": "No se aceptó ninguna actividad en este período.",
        "returns_title": "Respuestas sobre {in_period}: país × grupo de trabajo",
        "due": "Fecha límite: {due}", "no_due": "Fecha límite: (sin fecha)", "state_received": "recibido",
        "state_late": "tardío", "state_rejected": "rechazado", "state_missing": "falta",
        "state_superseded": ("{n} reemplazado", "{n} reemplazados"),
        "state_also_rejected": ("{n} rechazado", "{n} rechazados"),
        "received": "Recibidos", "late": "Tardíos", "rejected": "Rechazados", "missing": "Faltan",
        "superseded": "Archivos reemplazados",
        "nothing_expected": "No se espera ninguna respuesta en este período.",
        "set_aside": ("No se lista 1 archivo de otra ronda ({periods}): se consolidó en su propia ronda.",
                      "No se listan {n} archivos de otras rondas ({periods}): se consolidaron en sus propias "
                      "rondas."),
        "files_title": "Todos los archivos de la bandeja de entrada", "file": "Archivo",
        "verdict": "Veredicto", "reason": "Motivo", "todo": "Qué hacer", "received_at": "Guardado / recibido",
        "rows_accepted": "Filas aceptadas", "rows_rejected": "Filas rechazadas", "errors": "Errores",
        "warnings": "Advertencias", "sha256": "SHA-256", "verdict_accepted": "aceptado",
        "verdict_rejected": "rechazado", "verdict_superseded": "reemplazado", "verdict_ignored": "ignorado",
        "reason_accepted": ("{n} fila aceptada", "{n} filas aceptadas"),
        "reason_rejected": ("{n} rechazada", "{n} rechazadas"), "reason_accepted_bad": "{accepted}, {rejected}",
        "code": "Código",
        "severity": "Gravedad", "cell": "Celda", "column": "Columna", "value": "Valor", "message": "Mensaje",
        "severity_error": "error", "severity_warning": "advertencia", "severity_info": "información",
        "doc_title": "Matriz de seguimiento consolidada — {period}",
        "doc_subject": "Respuestas consolidadas sobre {in_period}",
    },
}

# The Progress sheet: its headings, and the change of each activity since the previous period.
PROGRESS = {
    "en": {
        "ref": "Ref.", "working_group": "Working group", "country": "Country", "pillar": "Pillar",
        "theme": "Theme", "activity": "Activity", "previous_period": "Previous period",
        "previous_status": "Previous status", "period": "Period", "status": "Status", "change": "Change",
        "total": "Total", "title": "Progress against the previous period",
        "none": "No earlier period in the registry: every activity is new.",
        "counts": "Counts per working group", "completed_since": "Completed since",
        "still_in_process": "Still in process", "regressed": "Regressed", "new": "New",
        "not_reported": "Not reported", "unchanged": "Unchanged", "completed_earlier": "Completed earlier",
        "completed_in": "completed in {period}", "legend": "What the changes mean.",
        "means_completed_since": "completed in this period, not before;",
        "means_still_in_process": "in process then and now;",
        "means_regressed": "a status further from completion than before;",
        "means_new": "not in the previous period;",
        "means_not_reported": "in the previous period, not in this one (or reported without a status);",
        "means_completed_earlier": "completed in the previous period, and so not carried into this one;",
        "means_unchanged": "the same status as before.",
    },
    "es": {
        "ref": "Ref.", "working_group": "Grupo de trabajo", "country": "País", "pillar": "Pilar",
        "theme": "Tema", "activity": "Actividad", "previous_period": "Período anterior",
        "previous_status": "Estado anterior", "period": "Período", "status": "Estado", "change": "Cambio",
        "total": "Total", "title": "Avance respecto del período anterior",
        "none": "No hay un período anterior en el registro: todas las actividades son nuevas.",
        "counts": "Conteo por grupo de trabajo", "completed_since": "Cumplido desde entonces",
        "still_in_process": "Sigue en proceso", "regressed": "Retrocedió", "new": "Nuevo",
        "not_reported": "No informado", "unchanged": "Sin cambios", "completed_earlier": "Cumplido antes",
        "completed_in": "cumplido en {period}", "legend": "Qué significa cada cambio.",
        "means_completed_since": "cumplido en este período, no antes;",
        "means_still_in_process": "en proceso entonces y ahora;",
        "means_regressed": "un estado más lejos del cumplimiento que antes;",
        "means_new": "no estaba en el período anterior;",
        "means_not_reported": "estaba en el período anterior y no en este (o se informó sin estado);",
        "means_completed_earlier": "cumplido en el período anterior y, por eso, no se trajo a este;",
        "means_unchanged": "el mismo estado que antes.",
    },
}

# A feedback copy: its Corrections sheet and the notes on the cells to correct.
FEEDBACK = {
    "en": {
        "sheet": "Corrections", "title": "Corrections to make in this workbook",
        "about": "{group} · {country} · {period}", "about_due": "due {due}",
        "intro_rows": ("The cells to correct are highlighted in the other sheets: light red for "
                       "errors (the row was left out of the consolidated matrix until it is "
                       "corrected), amber for warnings (the row was kept, but please check it). "
                       "Point at a highlighted cell to read its note. Correct the cells in this "
                       "same workbook, save it and send it back; do not copy the rows into another "
                       "file."),
        "intro_file": ("This workbook could not be accepted as a whole: the first lines below say "
                       "why. Cells to correct, if any, are highlighted in the other sheets (light "
                       "red: error, amber: warning)."),
        "macros": ("This copy was saved as .xlsx, without the macros of the .xlsm file you sent "
                   "(the follow-up matrix needs none). Please send this .xlsx back."),
        "converted": ("This copy is an Excel workbook (.xlsx) rebuilt from the {kind} file you "
                      "sent, with your values in it. Please correct it here, save it as .xlsx and "
                      "send this file back."),
        "counts": "{errors}, {warnings}.", "errors": ("{n} error", "{n} errors"),
        "warnings": ("{n} warning", "{n} warnings"),
        "headers": ("Sheet",
                    "Row",
                    "Cell",
                    "Column",
                    "Value found",
                    "What is wrong and what to do",
                    "Severity"),
        "error": "Error", "warning": "Warning", "whole_file": "(whole file)",
    },
    "es": {
        "sheet": "Correcciones", "title": "Correcciones que hacer en este libro",
        "about": "{group} · {country} · {period}", "about_due": "fecha límite: {due}",
        "intro_rows": ("Las celdas que corregir están resaltadas en las otras hojas: en rojo claro "
                       "los errores (la fila quedó fuera de la matriz consolidada hasta que se "
                       "corrija), en ámbar las advertencias (la fila se conservó, pero revísela). "
                       "Pase el puntero sobre una celda resaltada para leer su nota. Corrija las "
                       "celdas en este mismo libro, guárdelo y envíelo de vuelta; no copie las "
                       "filas en otro archivo."),
        "intro_file": ("Este libro no se pudo aceptar en su conjunto: las primeras líneas de abajo "
                       "dicen por qué. Las celdas que corregir, si las hay, están resaltadas en "
                       "las otras hojas (rojo claro: error, ámbar: advertencia)."),
        "macros": ("Esta copia se guardó como .xlsx, sin las macros del archivo .xlsm que envió "
                   "(la matriz de seguimiento no necesita ninguna). Envíe de vuelta este .xlsx."),
        "converted": ("Esta copia es un libro de Excel (.xlsx) reconstruido a partir del archivo "
                      "{kind} que envió, con sus valores. Corríjalo aquí, guárdelo como .xlsx y "
                      "envíe de vuelta este archivo."),
        "counts": "{errors}, {warnings}.", "errors": ("{n} error", "{n} errores"),
        "warnings": ("{n} advertencia", "{n} advertencias"),
        "headers": ("Hoja",
                    "Fila",
                    "Celda",
                    "Columna",
                    "Valor encontrado",
                    "Qué está mal y qué hacer",
                    "Gravedad"),
        "error": "Error", "warning": "Advertencia", "whole_file": "(todo el archivo)",
    },
}

# The annual report draft (.docx).
REPORT = {
    "en": {
        "title": "Annual report {year}",
        "subtitle": "Follow-up of the Strategic Plan — draft for the PPT and the Executive Secretariat",
        "generated": "Draft generated on {date} from the registry ({periods}).", "no_periods": "no period",
        "intro": ("This draft follows section 4.2 of the Strategic Plan: a) commitments achieved, "
                  "in process and pending; b) description of the work carried out; c) "
                  "recommendations and next steps. Each activity is counted once, with its status "
                  "in the latest period of the year in which it was reported."),
        "a": "a) Commitments achieved, in process and pending",
        "b": "b) Description of the work carried out", "c": "c) Recommendations and next steps",
        "returns": "Returns received in {year}", "charts": "Charts", "by_group": "By working group",
        "by_pillar": "By pillar", "achieved": "Completed", "in_process": "In process", "pending": "Pending",
        "total": "Total", "group": "Working group", "pillar": "Pillar", "country": "Country",
        "contents": "Contents", "ref": "Ref.", "activity": "Activity", "status": "Status", "period": "Period",
        "work": "Work carried out", "step": "Recommendation / next step",
        "period_returns": "{period}: {received} of {expected} returns received.",
        "not_reported": "Did not report: {who}.",
        "all_reported": "Every country reported for every working group.",
        "mark_received": "✓", "mark_rejected": "✗", "mark_missing": "—",
        "marks": "✓ received, ✗ rejected (no return could be accepted), — no return.",
        "chart_groups_title": "Status of the commitments by working group",
        "chart_periods_title": "Status of the activities in each period",
        "chart_groups": "Figure 1. Status of the commitments by working group, each activity counted once.",
        "chart_periods": "Figure 2. Status of the activities in each period of the year.",
        "no_progress": "No work was described.", "no_steps": "No recommendation or next step was given.",
        "empty": "The registry holds no activity for {year}.",
        "pending_note": "Pending: not achieved, or reported without a status.",
        "no_status": "(no status)",
    },
    "es": {
        "title": "Informe anual {year}",
        "subtitle": "Seguimiento del Plan Estratégico — borrador para la PPT y la Secretaría Ejecutiva",
        "generated": "Borrador generado el {date} a partir del registro ({periods}).",
        "no_periods": "ningún período",
        "intro": ("Este borrador sigue la sección 4.2 del Plan Estratégico: a) compromisos "
                  "cumplidos, en proceso y pendientes; b) descripción del trabajo realizado; c) "
                  "recomendaciones y próximos pasos. Cada actividad se cuenta una vez, con su "
                  "estado en el último período del año en que se informó."),
        "a": "a) Compromisos cumplidos, en proceso y pendientes",
        "b": "b) Descripción del trabajo realizado", "c": "c) Recomendaciones y próximos pasos",
        "returns": "Respuestas recibidas en {year}", "charts": "Gráficos",
        "by_group": "Por grupo de trabajo", "by_pillar": "Por pilar", "achieved": "Cumplidos",
        "in_process": "En proceso", "pending": "Pendientes", "total": "Total", "group": "Grupo de trabajo",
        "pillar": "Pilar", "country": "País",
        "contents": "Contenido", "ref": "Ref.", "activity": "Actividad", "status": "Estado", "period": "Período",
        "work": "Trabajo realizado", "step": "Recomendación / próximo paso",
        "period_returns": "{period}: se recibieron {received} de {expected} respuestas.",
        "not_reported": "No informaron: {who}.",
        "all_reported": "Todos los países informaron para todos los grupos de trabajo.",
        "mark_received": "✓", "mark_rejected": "✗", "mark_missing": "—",
        "marks": "✓ recibida, ✗ rechazada (no se pudo aceptar ninguna respuesta), — sin respuesta.",
        "chart_groups_title": "Estado de los compromisos por grupo de trabajo",
        "chart_periods_title": "Estado de las actividades en cada período",
        "chart_groups": "Figura 1. Estado de los compromisos por grupo de trabajo; cada actividad se cuenta una vez.",
        "chart_periods": "Figura 2. Estado de las actividades en cada período del año.",
        "no_progress": "No se describió trabajo.",
        "no_steps": "No se dieron recomendaciones ni próximos pasos.",
        "empty": "El registro no tiene actividades de {year}.",
        "pending_note": "Pendientes: no alcanzados, o informados sin estado.",
        "no_status": "(sin estado)",
    },
}


def counted(entry, n: int, **values) -> str:
    """The form of a (one, other) entry that fits the count `n`, filled; a plain text as it is."""
    if isinstance(entry, tuple):
        entry = entry[0 if n == 1 else 1]
    return entry.format(n=n, **values)
