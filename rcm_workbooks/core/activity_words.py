"""Words of the Activity Matrix (Strategic Plan 3.9): its template, and the workbook of proposals
`rcm consolidate` writes for the Secretariat to mark the ones to adopt. English and Spanish; part
of the one catalog (core/texts.py re-exports everything here)."""
from __future__ import annotations

# The template's column headings (▾: a list) and input messages (Excel: 32 characters of title,
# 255 of message).
ACT_HEADERS = {
    "en": {"ref": "Ref.", "decision": "Keep or drop ▾", "pillar": "Relevant pillar ▾", "theme": "Topic (theme) ▾",
           "activity": "Proposed activity", "expected_results": "Expected results (one per line)",
           "indicators": "Result indicators (one per line)", "responsible": "Responsible party ▾",
           "deadline": "Deadline ▾"},
    "es": {"ref": "Ref.", "decision": "Mantener o eliminar ▾", "pillar": "Pilar pertinente ▾",
           "theme": "Tema ▾", "activity": "Actividad propuesta",
           "expected_results": "Resultados esperados (uno por línea)",
           "indicators": "Indicadores de resultado (uno por línea)", "responsible": "Parte responsable ▾",
           "deadline": "Plazo ▾"},
}

ACT_HELP = {
    "en": {
        "ref": ("Reference", "The ref of a current priority activity. Filled in by the Secretariat; leave it as it is."),
        "decision": ("Keep or drop", "A current priority activity: keep it (change its cells if it should change) "
                                     "or drop it."),
        "pillar": ("Relevant pillar", "Pick the pillar of the Strategic Plan the activity belongs to."),
        "theme": ("Topic", "Pick the topic. The list shows only the themes of the pillar chosen in the previous "
                           "column: choose the pillar first."),
        "activity": ("Proposed activity", "Describe the activity in a sentence or two: what is done, with whom, "
                                          "where."),
        "expected_results": ("Expected results", "The measurable results the activity should reach. Several: one "
                                                 "per line (Alt+Enter starts a new line in a cell)."),
        "indicators": ("Result indicators", "How each result is measured. Several: one per line (Alt+Enter starts "
                                            "a new line in a cell)."),
        "responsible": ("Responsible party", "Pick who would be responsible for the activity."),
        "deadline": ("Deadline", "Pick the year of the Strategic Plan by which the results are due."),
    },
    "es": {
        "ref": ("Referencia", "La referencia de una actividad prioritaria vigente. La completa la Secretaría; "
                              "déjela como está."),
        "decision": ("Mantener o eliminar", "Una actividad prioritaria vigente: manténgala (cambie sus celdas si "
                                            "debe cambiar) o elimínela."),
        "pillar": ("Pilar pertinente", "Elija el pilar del Plan Estratégico al que pertenece la actividad."),
        "theme": ("Tema", "Elija el tema. La lista muestra solo los temas del pilar elegido en la columna "
                          "anterior: elija primero el pilar."),
        "activity": ("Actividad propuesta", "Describa la actividad en una o dos frases: qué se hace, con quién, "
                                            "dónde."),
        "expected_results": ("Resultados esperados", "Los resultados medibles que la actividad debe alcanzar. "
                                                     "Varios: uno por línea (Alt+Entrar abre una línea nueva en la "
                                                     "celda)."),
        "indicators": ("Indicadores de resultado", "Cómo se mide cada resultado. Varios: uno por línea "
                                                   "(Alt+Entrar abre una línea nueva en la celda)."),
        "responsible": ("Parte responsable", "Elija quién sería responsable de la actividad."),
        "deadline": ("Plazo", "Elija el año del Plan Estratégico en que vencen los resultados."),
    },
}

# The template's own words (the title block's labels and the column table come from texts.UI).
ACT_UI = {
    "en": {
        "matrix_sheet": "Activity matrix",
        "matrix_title": "Activity Matrix: proposed activities",
        "objective": "Specific objective",
        "no_objective": "(not set in the plan)",
        "hint": ("One proposed activity per row, at most {limit} per working group in the year (Strategic Plan 3.9). "
                 "Rows with a ref are the group's current priority activities: keep, change or drop each. Use the "
                 "rows without a ref for new ones."),
        "instructions_title": "How to fill in this Activity Matrix",
        "steps": [
            "Open the sheet «{matrix}». It proposes the priority activities of the working group for {period}.",
            "Rows with a ref are the group's current priority activities. For each, choose Keep or Drop in the "
            "column «{decision}»; to change one, keep it and edit its cells.",
            "Propose new activities in the empty rows: pick the pillar first, then the topic (the list shows only "
            "that pillar's themes), then describe the activity.",
            "Pillar, topic and description are required on every row you use. Write several expected results or "
            "indicators one per line. Leave unused rows empty.",
            "Pick values from the lists; do not type or paste over them.",
            "Save the file as an Excel workbook (.xlsx). You may rename it: the workbook identifies itself.",
            "Send it back by {due} to {return_to}.",
        ],
        "keep": "Keep",
        "drop": "Drop",
    },
    "es": {
        "matrix_sheet": "Matriz de actividades",
        "matrix_title": "Matriz de Actividades: actividades propuestas",
        "objective": "Objetivo específico",
        "no_objective": "(no definido en el plan)",
        "hint": ("Una actividad propuesta por fila, como máximo {limit} por grupo de trabajo en el año (Plan "
                 "Estratégico 3.9). Las filas con referencia son las actividades prioritarias vigentes del grupo: "
                 "manténgalas, modifíquelas o elimínelas. Use las filas sin referencia para las nuevas."),
        "instructions_title": "Cómo completar esta Matriz de Actividades",
        "steps": [
            "Abra la hoja «{matrix}». En ella se proponen las actividades prioritarias del grupo de trabajo para "
            "{period}.",
            "Las filas con referencia son las actividades prioritarias vigentes del grupo. Para cada una, elija "
            "Mantener o Eliminar en la columna «{decision}»; para cambiarla, manténgala y modifique sus celdas.",
            "Proponga actividades nuevas en las filas vacías: elija primero el pilar, luego el tema (la lista muestra "
            "solo los temas de ese pilar) y describa la actividad.",
            "El pilar, el tema y la descripción son obligatorios en cada fila que use. Escriba varios resultados "
            "esperados o indicadores uno por línea. Deje vacías las filas que no use.",
            "Elija los valores de las listas; no los escriba ni pegue encima.",
            "Guarde el archivo como libro de Excel (.xlsx). Puede cambiarle el nombre: el libro se identifica solo.",
            "Envíelo a más tardar el {due} a {return_to}.",
        ],
        "keep": "Mantener",
        "drop": "Eliminar",
    },
}

# The workbook of proposals (outbox/<period>/activities_<period>.xlsx).
ACT_OUT = {
    "en": {
        "sheet_proposals": "Proposals", "sheet_rejected": "Rejected proposals",
        "title": "Proposed priority activities, {period}",
        "note": ("One row per proposal, grouped by working group; proposals of the same activity (same topic, nearly "
                 "the same description, or the same ref) share an activity number. Mark with x in the column «{adopt}» "
                 "at most {limit} proposals per working group, write the missing English or Spanish text of each, "
                 "save, and run: rcm plan adopt {file}"),
        "adopt": "Adopt (x)", "working_group": "Working group", "objective": "Specific objective",
        "activity_no": "Activity no.", "countries": "Countries proposing it", "country": "Country",
        "decision": "Proposal", "ref": "Ref.", "pillar": "Pillar", "theme": "Topic (theme)",
        "activity_en": "Activity (English)", "activity_es": "Activity (Spanish)",
        "results_en": "Expected results (English)", "results_es": "Expected results (Spanish)",
        "indicators_en": "Result indicators (English)", "indicators_es": "Result indicators (Spanish)",
        "responsible": "Responsible party", "deadline": "Deadline", "source_file": "Source file", "row": "Row",
        "key": "Key", "codes": "Finding codes", "reasons": "Reasons", "period": "Period", "sheet": "Sheet",
        "keep": "keep", "change": "change", "new": "new", "drop": "drop",
        "doc_title": "Activity Matrix proposals — {period}", "none": "No proposal was received.",
        "adopt_prompt": "Mark with x the proposals to adopt (at most {limit} per working group).",
    },
    "es": {
        "sheet_proposals": "Propuestas", "sheet_rejected": "Propuestas rechazadas",
        "title": "Actividades prioritarias propuestas, {period}",
        "note": ("Una fila por propuesta, agrupadas por grupo de trabajo; las propuestas de la misma actividad (mismo "
                 "tema, descripción casi igual, o la misma referencia) comparten un número de actividad. Marque con x "
                 "en la columna «{adopt}» como máximo {limit} propuestas por grupo de trabajo, escriba el texto en "
                 "inglés o en español que falte en cada una, guarde, y ejecute: rcm plan adopt {file}"),
        "adopt": "Adoptar (x)", "working_group": "Grupo de trabajo", "objective": "Objetivo específico",
        "activity_no": "N.º de actividad", "countries": "Países que la proponen", "country": "País",
        "decision": "Propuesta", "ref": "Ref.", "pillar": "Pilar", "theme": "Tema",
        "activity_en": "Actividad (inglés)", "activity_es": "Actividad (español)",
        "results_en": "Resultados esperados (inglés)", "results_es": "Resultados esperados (español)",
        "indicators_en": "Indicadores de resultado (inglés)", "indicators_es": "Indicadores de resultado (español)",
        "responsible": "Parte responsable", "deadline": "Plazo", "source_file": "Archivo de origen", "row": "Fila",
        "key": "Clave", "codes": "Códigos de hallazgo", "reasons": "Motivos", "period": "Período", "sheet": "Hoja",
        "keep": "mantener", "change": "modificar", "new": "nueva", "drop": "eliminar",
        "doc_title": "Propuestas de la Matriz de Actividades — {period}", "none": "No se recibió ninguna propuesta.",
        "adopt_prompt": "Marque con x las propuestas que adoptar (como máximo {limit} por grupo de trabajo).",
    },
}

# The annual report's section on the priority activities (registry/priorities.py).
ACT_REPORT = {
    "en": {
        "priorities": "Priority activities of the working groups (Strategic Plan 3.9)",
        "priorities_intro": ("Each priority activity as the countries reported it in their latest return of the "
                             "year: how many reported it completed, in process or pending, and who did not report it."),
        "priority_activity": "Priority activity", "not_reported_col": "Not reported",
        "priorities_none": "No working group has priority activities in the plan.",
    },
    "es": {
        "priorities": "Actividades prioritarias de los grupos de trabajo (Plan Estratégico 3.9)",
        "priorities_intro": ("Cada actividad prioritaria tal como la informaron los países en su última respuesta del "
                             "año: cuántos la informaron cumplida, en proceso o pendiente, y quiénes no la informaron."),
        "priority_activity": "Actividad prioritaria", "not_reported_col": "No informada",
        "priorities_none": "Ningún grupo de trabajo tiene actividades prioritarias en el plan.",
    },
}

# The e-mails of an Activity Matrix round (mail/forms.word): where they differ from the follow-up
# matrix's, under act.<key>; part of core/words.py's table. {limit}: at most so many (section 3.9).
ACT_LINES = {
    "en": {
        "act.email.subject.templates": "{org}: Activity Matrix for {country}, {period} – due {due}",
        "act.email.subject.reminders": "Reminder – {org}: Activity Matrix for {country}, {period} – due {due}",
        "act.email.subject.feedback": "{org}: feedback on your Activity Matrix for {country}, {period}",
        "act.email.subject.receipts": "{org}: receipt of your Activity Matrix for {country}, {period}",
        "act.email.intro.templates": ("Attached you will find the Activity Matrix workbooks of {country} for "
                                      "{in_period}, one per working group. In each, please propose up to {limit} "
                                      "priority activities of the working group for {period} (Strategic Plan, "
                                      "section 3.9), and keep, change or drop its current ones:"),
        "act.email.intro.reminders": ("According to our records, the following Activity Matrix workbooks of "
                                      "{country} for {in_period} have not been received in a usable form yet:"),
        "act.email.intro.feedback": ("Thank you for your Activity Matrix proposals for {in_period}. Attached are "
                                     "copies of your workbooks of {country} with the cells that need attention "
                                     "marked:"),
        "act.email.intro.receipts": ("Thank you. This is what we have received of the Activity Matrix workbooks of "
                                     "{country} for {in_period}:"),
        "act.email.what": ("What to do: open each workbook in Excel. In its Activity Matrix sheet, choose Keep or "
                           "Drop for each current priority activity (the rows with a ref; edit its cells to change "
                           "it), and propose new activities in the empty rows, at most {limit} in all: pick the "
                           "pillar first, then the topic, describe the activity, and write its expected results and "
                           "result indicators, one per line. Save it as an Excel workbook (.xlsx). Do not rename, "
                           "add or delete sheets or columns."),
        "act.receipt.accepted": ("{n} proposal accepted", "{n} proposals accepted"),
        "act.receipt.accepted_some": "{ok} of {n} proposals accepted",
        "act.receipt.no_rows": "no activity proposed",
    },
    "es": {
        "act.email.subject.templates": "{org}: Matriz de Actividades de {country}, {period} – fecha límite {due}",
        "act.email.subject.reminders": ("Recordatorio – {org}: Matriz de Actividades de {country}, {period} – "
                                        "fecha límite {due}"),
        "act.email.subject.feedback": "{org}: observaciones sobre su Matriz de Actividades de {country}, {period}",
        "act.email.subject.receipts": "{org}: acuse de recibo de su Matriz de Actividades de {country}, {period}",
        "act.email.intro.templates": ("Adjuntamos los libros de la Matriz de Actividades de {country} sobre "
                                      "{in_period}, uno por grupo de trabajo. En cada uno, proponga como máximo "
                                      "{limit} actividades prioritarias del grupo de trabajo para {period} (Plan "
                                      "Estratégico, sección 3.9) y mantenga, modifique o elimine las vigentes:"),
        "act.email.intro.reminders": ("Según nuestros registros, aún no hemos recibido en forma utilizable los "
                                      "siguientes libros de la Matriz de Actividades de {country} sobre {in_period}:"),
        "act.email.intro.feedback": ("Gracias por sus propuestas de la Matriz de Actividades sobre {in_period}. "
                                     "Adjuntamos copias de sus libros de {country} con las celdas que requieren "
                                     "atención marcadas:"),
        "act.email.intro.receipts": ("Gracias. Esto es lo que hemos recibido de los libros de la Matriz de "
                                     "Actividades de {country} sobre {in_period}:"),
        "act.email.what": ("Qué hacer: abra cada libro en Excel. En su hoja de la Matriz de Actividades, elija "
                           "Mantener o Eliminar para cada actividad prioritaria vigente (las filas con referencia; "
                           "modifique sus celdas para cambiarla) y proponga actividades nuevas en las filas vacías, "
                           "como máximo {limit} en total: elija primero el pilar, luego el tema, describa la "
                           "actividad y escriba sus resultados esperados e indicadores de resultado, uno por línea. "
                           "Guárdelo como libro de Excel (.xlsx). No cambie el nombre de las hojas ni agregue o "
                           "borre hojas o columnas."),
        "act.receipt.accepted": ("{n} propuesta aceptada", "{n} propuestas aceptadas"),
        "act.receipt.accepted_some": "{ok} de {n} propuestas aceptadas",
        "act.receipt.no_rows": "ninguna actividad propuesta",
    },
}
