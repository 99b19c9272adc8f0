"""Words of the plan workbook (`rcm plan export` / `import`) and of the problems its import and
`rcm plan adopt` report, in English and Spanish. Part of the one catalog: core/texts.py
re-exports everything here.

The plan workbook speaks both languages at once: its sheet names, headings and prompts are made
of the English and the Spanish entries of one key ("Code / Código"). A problem is worded in the
reader's language from PLAN_RULES; the placeholders are the problem's parameters.
"""
from __future__ import annotations

PLANBOOK = {
    "en": {
        # sheet names (a sheet is named "English - Spanish" when the two differ) and what each holds
        "sheet.readme": "Read me", "sheet.plan": "Plan", "sheet.pillars": "Pillars", "sheet.themes": "Themes",
        "sheet.working_groups": "Working groups", "sheet.activities": "Activities", "sheet.countries": "Countries",
        "sheet.responsible_parties": "Responsible", "sheet.statuses": "Statuses", "sheet.deadlines": "Deadlines",
        "what.plan": "The plan as a whole. Grey cells are fixed; edit the white ones.",
        "what.pillars": "The programmatic pillars (Strategic Plan 3.8).",
        "what.themes": "The themes of each pillar: a theme is its pillar and its code together.",
        "what.working_groups": "The working groups and their specific objective (Strategic Plan 3.9).",
        "what.activities": ("Each working group's priority activities: at most 3 per group (Strategic Plan 3.9), in "
                            "the order templates show them. Several expected results or indicators: one per line."),
        "what.countries": "The member countries (ISO 3166 alpha-3 codes) and the language of their templates.",
        "what.responsible_parties": "The responsible parties (Table 2, section 4.2 item 5).",
        "what.statuses": "The statuses (section 4.2 item 7); mark with x the one that counts as completed.",
        "what.deadlines": "The deadlines (section 4.2 item 6).",
        # column headings
        "col.key": "Key", "col.what": "What it is", "col.english": "English", "col.spanish": "Spanish",
        "col.code": "Code", "col.en": "Name (English)", "col.es": "Name (Spanish)",
        "col.objective_en": "Specific objective (English)", "col.objective_es": "Specific objective (Spanish)",
        "col.retired": "Retired (x)", "col.group": "Working group", "col.pillar": "Pillar", "col.theme": "Theme",
        "col.activity_en": "Activity (English)", "col.activity_es": "Activity (Spanish)",
        "col.results_en": "Expected results (English)", "col.results_es": "Expected results (Spanish)",
        "col.indicators_en": "Indicators (English)", "col.indicators_es": "Indicators (Spanish)",
        "col.responsible": "Responsible party", "col.deadline": "Deadline", "col.ref": "Ref.",
        "col.language": "Template language (en/es)", "col.done": "Counts as completed (x)",
        # the Plan sheet's rows
        "field.id": "Identifier of the plan (returns carry it)", "field.version": "Version (the import raises it)",
        "field.title": "Title", "field.organization": "Organization",
        "field.return_to": "Where focal points send their workbook back",
        "field.protection_password": "Sheet-protection password of the templates (a guard rail, not a secret)",
        # prompts of the dropdowns and input messages
        "prompt.flag": "Write x or leave empty.", "prompt.language": "Pick en or es.", "prompt.code_title": "Code",
        "prompt.code": "Pick a code of the list.", "prompt.theme_title": "Theme",
        "prompt.theme": "The theme's code within the pillar, e.g. T8.",
        "prompt.ref": "Filled in by the import for a new activity; keep it with its activity.",
        # the Read me sheet
        "readme.rule": "Rule", "readme.text": "English",
        "readme.1.name": "What this is",
        "readme.1": ("The plan {title}, version {version}, as a workbook. Edit it, then run `rcm plan import` with "
                     "this file: the plan changes only when every check passes."),
        "readme.2.name": "Grey and white cells",
        "readme.2": ("Grey cells are fixed: the codes of entries already in the plan, which workbooks and the "
                     "registry refer to. White cells can be edited."),
        "readme.3.name": "Adding an entry",
        "readme.3": ("Fill a blank row at the bottom of a sheet, code included. Empty rows are ignored; more rows "
                     "can be inserted at the bottom."),
        "readme.4.name": "Codes",
        "readme.4": ("Capital letters, digits and _ only, starting with a letter, at most 16 (ASCII: no accents, no "
                     "spaces), unique in their sheet. A theme's code is unique within its pillar: a theme is its "
                     "pillar and its code together. Countries use ISO 3166 alpha-3 codes (e.g. GTM)."),
        "readme.5.name": "Retiring instead of deleting",
        "readme.5": ("A code that workbooks already carry cannot be removed or renamed. Mark it retired (x): new "
                     "templates no longer offer it, and returns that use it still validate."),
        "readme.6.name": "Names",
        "readme.6": ("Every name needs English and Spanish; names in one list must differ, so a dropdown can tell "
                     "them apart."),
        "readme.7.name": "Working groups",
        "readme.7": ("The specific objective is optional (if given, in both languages). Each group has at most 3 "
                     "priority activities (Strategic Plan 3.9): one row each on the sheet '{activities}', naming the "
                     "group, the pillar and the theme by their codes, the activity in both languages, and optionally "
                     "expected results and indicators (both languages, one per line), the responsible party and the "
                     "deadline (codes). The ref is the activity's id in the templates: a new row gets one."),
        "readme.8.name": "Countries and statuses",
        "readme.8": ("A country's template language is en or es. At least one status in use is marked as counting "
                     "as completed."),
        "readme.9.name": "Sheets",
        "readme.9": ("Do not rename or delete sheets or headings. If the plan changed since this export, the "
                     "import refuses this workbook: export again."),
        "readme.10.name": "After the import",
        "readme.10": ("Every problem is listed with its sheet and cell. When there is none, templates/plan.yaml is "
                      "replaced, its version raised, and the previous plan kept in templates/backups/."),
        # where a problem is, and the words its parameters are made of
        "where.sheet": "Sheet '{sheet}'", "where.cell": "cell {cell}",
        "lang.en": "English", "lang.es": "Spanish", "what.pillar": "The pillar", "what.theme": "The theme",
        "what.responsible": "The responsible party", "what.deadline": "The deadline",
        "scope.pillar": " (pillar {pillar})",
        "detail.reads_back": "written as YAML, it reads back differently.",
    },
    "es": {
        "sheet.readme": "Léame", "sheet.plan": "Plan", "sheet.pillars": "Pilares", "sheet.themes": "Temas",
        "sheet.working_groups": "Grupos", "sheet.activities": "Actividades", "sheet.countries": "Países",
        "sheet.responsible_parties": "Responsables", "sheet.statuses": "Estados", "sheet.deadlines": "Plazos",
        "what.plan": "El plan en su conjunto. Las celdas grises son fijas; edite las blancas.",
        "what.pillars": "Los pilares programáticos (Plan Estratégico 3.8).",
        "what.themes": "Los temas de cada pilar: un tema es su pilar y su código juntos.",
        "what.working_groups": "Los grupos de trabajo y su objetivo específico (Plan Estratégico 3.9).",
        "what.activities": ("Las actividades prioritarias de cada grupo de trabajo: como máximo 3 por grupo (Plan "
                            "Estratégico 3.9), en el orden en que las muestran las plantillas. Varios resultados "
                            "esperados o indicadores: uno por línea."),
        "what.countries": "Los países miembros (códigos ISO 3166 alfa-3) y el idioma de sus plantillas.",
        "what.responsible_parties": "Las partes responsables (Tabla 2, sección 4.2 punto 5).",
        "what.statuses": "Los estados (sección 4.2 punto 7); marque con x el que cuenta como cumplido.",
        "what.deadlines": "Los plazos (sección 4.2 punto 6).",
        "col.key": "Clave", "col.what": "Qué es", "col.english": "Inglés", "col.spanish": "Español",
        "col.code": "Código", "col.en": "Nombre (inglés)", "col.es": "Nombre (español)",
        "col.objective_en": "Objetivo específico (inglés)", "col.objective_es": "Objetivo específico (español)",
        "col.retired": "Retirado (x)", "col.group": "Grupo de trabajo", "col.pillar": "Pilar", "col.theme": "Tema",
        "col.activity_en": "Actividad (inglés)", "col.activity_es": "Actividad (español)",
        "col.results_en": "Resultados esperados (inglés)", "col.results_es": "Resultados esperados (español)",
        "col.indicators_en": "Indicadores (inglés)", "col.indicators_es": "Indicadores (español)",
        "col.responsible": "Parte responsable", "col.deadline": "Plazo", "col.ref": "Ref.",
        "col.language": "Idioma de la plantilla (en/es)", "col.done": "Cuenta como cumplido (x)",
        "field.id": "Identificador del plan (las respuestas lo llevan)",
        "field.version": "Versión (la importación la aumenta)", "field.title": "Título",
        "field.organization": "Organización", "field.return_to": "A dónde devuelven su libro los puntos focales",
        "field.protection_password": ("Contraseña de protección de hojas de las plantillas (una barrera, no un "
                                      "secreto)"),
        "prompt.flag": "Escriba x o deje vacío.", "prompt.language": "Elija en o es.", "prompt.code_title": "Código",
        "prompt.code": "Elija un código de la lista.", "prompt.theme_title": "Tema",
        "prompt.theme": "El código del tema dentro del pilar, p. ej. T8.",
        "prompt.ref": "La completa la importación para una actividad nueva; consérvela con su actividad.",
        "readme.rule": "Regla", "readme.text": "Español",
        "readme.1.name": "Qué es esto",
        "readme.1": ("El plan {title}, versión {version}, como libro. Edítelo y luego ejecute `rcm plan import` con "
                     "este archivo: el plan cambia solo si pasan todas las comprobaciones."),
        "readme.2.name": "Celdas grises y blancas",
        "readme.2": ("Las celdas grises son fijas: los códigos de las entradas que ya están en el plan, a los que se "
                     "refieren los libros y el registro. Las celdas blancas se pueden editar."),
        "readme.3.name": "Agregar una entrada",
        "readme.3": ("Llene una fila en blanco al final de una hoja, con su código. Las filas vacías se ignoran; se "
                     "pueden insertar más filas al final."),
        "readme.4.name": "Códigos",
        "readme.4": ("Solo mayúsculas, dígitos y _, comenzando por una letra, como máximo 16 (ASCII: sin acentos ni "
                     "espacios), únicos en su hoja. El código de un tema es único dentro de su pilar: un tema es su "
                     "pilar y su código juntos. Los países usan códigos ISO 3166 alfa-3 (p. ej. GTM)."),
        "readme.5.name": "Retirar en lugar de eliminar",
        "readme.5": ("Un código que ya llevan los libros no se puede eliminar ni cambiar. Márquelo como retirado "
                     "(x): las plantillas nuevas ya no lo ofrecen, y las respuestas que lo usan siguen siendo "
                     "válidas."),
        "readme.6.name": "Nombres",
        "readme.6": ("Cada nombre necesita inglés y español; los nombres de una lista deben ser distintos, para que "
                     "una lista desplegable los distinga."),
        "readme.7.name": "Grupos de trabajo",
        "readme.7": ("El objetivo específico es opcional (si se da, en ambos idiomas). Cada grupo tiene como máximo "
                     "3 actividades prioritarias (Plan Estratégico 3.9): una fila cada una en la hoja "
                     "'{activities}', con el grupo, el pilar y el tema por sus códigos, la actividad en ambos "
                     "idiomas y, opcionalmente, resultados esperados e indicadores (ambos idiomas, uno por línea), "
                     "la parte responsable y el plazo (códigos). La ref. es el identificador de la actividad en las "
                     "plantillas: una fila nueva recibe una."),
        "readme.8.name": "Países y estados",
        "readme.8": ("El idioma de plantilla de un país es en o es. Al menos un estado en uso está marcado como "
                     "cumplido."),
        "readme.9.name": "Hojas",
        "readme.9": ("No cambie el nombre ni elimine hojas o encabezados. Si el plan cambió después de esta "
                     "exportación, la importación rechaza este libro: exporte de nuevo."),
        "readme.10.name": "Después de la importación",
        "readme.10": ("Cada problema se indica con su hoja y celda. Si no hay ninguno, templates/plan.yaml se "
                      "reemplaza, su versión aumenta y el plan anterior se guarda en templates/backups/."),
        "where.sheet": "Hoja '{sheet}'", "where.cell": "celda {cell}",
        "lang.en": "inglés", "lang.es": "español", "what.pillar": "El pilar", "what.theme": "El tema",
        "what.responsible": "La parte responsable", "what.deadline": "El plazo",
        "scope.pillar": " (pilar {pillar})",
        "detail.reads_back": "escrito como YAML, se lee de otra manera.",
    },
}

# A problem of a plan workbook or of an activities workbook given to `rcm plan adopt`, by rule.
PLAN_RULES = {
    "en": {
        "plan-file-unreadable": "The file cannot be read as a workbook: {detail} Save it again from Excel as .xlsx.",
        "plan-not-a-plan-workbook": ("This is not a plan workbook (none of its sheets is a sheet of `rcm plan "
                                     "export`). Export the plan and edit that workbook."),
        "plan-sheet-missing": ("The sheet '{expected}' is missing. Export the plan again and copy your changes into "
                               "the new workbook."),
        "plan-sheet-renamed": "This sheet looks like '{expected}' renamed. Rename it back to '{expected}'.",
        "plan-headings-missing": ("The heading row ({headings}) was not found in the first rows. Restore the "
                                  "headings of the exported workbook."),
        "plan-column-missing": "The column '{heading}' is missing from the heading row. Restore it as exported.",
        "plan-field-missing": "The row '{key}' ({what}) is missing. Restore it as exported.",
        "plan-other-plan": ("This workbook holds the plan '{found}', but the workspace's plan is '{expected}'. "
                            "Import only a workbook exported from this workspace."),
        "plan-outdated": ("This workbook was exported from version {found} of the plan, which is now at version "
                          "{expected}. Export it again and redo your changes, so none made since is undone."),
        "plan-code-missing": ("This row has no code. Write a code (capital letters, digits and _, starting with a "
                              "letter), or empty the row."),
        "plan-code-invalid": ("'{value}' is not a valid code: use capital letters, digits and _ only, starting with "
                              "a letter, at most 16 (ASCII, no accents or spaces)."),
        "plan-country-invalid": ("'{value}' is not an ISO 3166 alpha-3 country code: use three capital letters, "
                                 "e.g. GTM for Guatemala."),
        "plan-code-duplicate": ("The code '{value}' is already used in cell {first}{scope}. Codes must be unique; "
                                "give this row another code."),
        "plan-label-missing": "The {language} text is empty. Every name needs English and Spanish.",
        "plan-label-duplicate": ("'{value}' is also the name in cell {first}; a dropdown could not tell them apart. "
                                 "Make the names differ."),
        "plan-language-invalid": "'{value}' is not a template language: write en or es.",
        "plan-flag-invalid": "'{value}' is not a mark: write x (yes) or leave the cell empty (no).",
        "plan-pillar-unknown": "'{value}' is not a pillar code of the sheet '{sheet_of}'. Use one of: {allowed}.",
        "plan-theme-unknown": "Pillar {pillar} has no theme '{value}'. Use one of: {allowed}.",
        "plan-group-unknown": ("'{value}' is not a working group code of the sheet '{sheet_of}'. Use one of: "
                               "{allowed}."),
        "plan-code-unknown": "'{value}' is not a code of the sheet '{sheet_of}'. Use one of: {allowed}.",
        "plan-retired-reference": ("{what} '{value}' is retired, so a priority activity cannot use it. Choose a "
                                   "current one, or retire the activity's group."),
        "plan-too-many-activities": ("The working group {value} has {count} priority activities; the Strategic Plan "
                                     "(3.9) allows at most {limit}. Remove the extra rows."),
        "plan-pillar-without-themes": "The pillar {value} has no theme. Add its themes on the sheet '{sheet_of}'.",
        "plan-list-empty": "No entry of this sheet is left in use. Keep at least one that is not retired.",
        "plan-no-done-status": "No status in use is marked as counting as completed. Mark one with x.",
        "plan-invalid": "The plan made from this workbook would not load: {detail}",
        "plan-code-removed": ("The code {value} ({label}) is no longer in the plan, but workbooks already carry it. "
                              "Put it back with its code and mark it retired (x) instead."),
        "plan-ref-invalid": ("'{value}' is not a valid ref: use capital letters, digits and _ only, starting with a "
                             "letter (e.g. P4), or leave it empty for a new activity."),
        "plan-ref-duplicate": ("The ref '{value}' is already used by the activity in cell {first} of the same "
                               "working group. Leave the new activity's ref empty: the import gives it one."),
        # rcm plan adopt
        "adopt-not-an-activities-workbook": ("This is not the activities workbook `rcm consolidate` writes for an "
                                             "Activity Matrix round (activities_<period>.xlsx)."),
        "adopt-nothing-marked": ("No proposal is marked in the column '{heading}'. Mark with x the proposals to "
                                 "adopt, save the workbook and run the command again."),
        "adopt-too-many": ("{count} proposals of the working group {value} are marked to adopt, in rows {rows}; the "
                           "Strategic Plan (3.9) allows at most {limit} priority activities. Unmark the extra ones."),
        "adopt-translation-missing": ("The {language} text of this adopted proposal is empty. Write the "
                                      "translation here: the plan keeps every activity in English and Spanish."),
        "adopt-dropped": ("This proposal drops the priority activity {value}; it cannot be adopted. Unmark it, or "
                          "mark a proposal that keeps it."),
        "adopt-twice": ("The activity {value} is marked to adopt twice (also in row {first}). Mark one proposal of "
                        "each activity."),
        "adopt-same-activity": ("Rows {first} ({other}) and {at} ({value}) propose the same activity: the same "
                                "theme and nearly the same text. Adopt one of them only, so that the plan holds each "
                                "activity once."),
        "adopt-value-unknown": "'{value}' is not one of the plan's values here. Use one of: {allowed}.",
    },
    "es": {
        "plan-file-unreadable": ("El archivo no se puede leer como libro: {detail} Guárdelo de nuevo desde Excel "
                                 "como .xlsx."),
        "plan-not-a-plan-workbook": ("Este no es un libro del plan (ninguna de sus hojas es de `rcm plan export`). "
                                     "Exporte el plan y edite ese libro."),
        "plan-sheet-missing": ("Falta la hoja '{expected}'. Exporte el plan de nuevo y copie sus cambios en el "
                               "libro nuevo."),
        "plan-sheet-renamed": ("Esta hoja parece ser '{expected}' con otro nombre. Devuélvale el nombre "
                               "'{expected}'."),
        "plan-headings-missing": ("No se encontró la fila de encabezados ({headings}) en las primeras filas. "
                                  "Restaure los encabezados del libro exportado."),
        "plan-column-missing": "Falta la columna '{heading}' en la fila de encabezados. Restáurela como se exportó.",
        "plan-field-missing": "Falta la fila '{key}' ({what}). Restáurela como se exportó.",
        "plan-other-plan": ("Este libro contiene el plan '{found}', pero el plan del espacio de trabajo es "
                            "'{expected}'. Importe solo un libro exportado de este espacio de trabajo."),
        "plan-outdated": ("Este libro se exportó de la versión {found} del plan, que ahora está en la versión "
                          "{expected}. Expórtelo de nuevo y rehaga sus cambios, para no deshacer ninguno hecho "
                          "desde entonces."),
        "plan-code-missing": ("Esta fila no tiene código. Escriba un código (mayúsculas, dígitos y _, comenzando "
                              "por una letra), o vacíe la fila."),
        "plan-code-invalid": ("'{value}' no es un código válido: use solo mayúsculas, dígitos y _, comenzando por "
                              "una letra, como máximo 16 (ASCII, sin acentos ni espacios)."),
        "plan-country-invalid": ("'{value}' no es un código de país ISO 3166 alfa-3: use tres letras mayúsculas, "
                                 "p. ej. GTM para Guatemala."),
        "plan-code-duplicate": ("El código '{value}' ya se usa en la celda {first}{scope}. Los códigos deben ser "
                                "únicos; dé otro código a esta fila."),
        "plan-label-missing": "El texto en {language} está vacío. Cada nombre necesita inglés y español.",
        "plan-label-duplicate": ("'{value}' también es el nombre de la celda {first}; una lista desplegable no "
                                 "podría distinguirlos. Haga que los nombres difieran."),
        "plan-language-invalid": "'{value}' no es un idioma de plantilla: escriba en o es.",
        "plan-flag-invalid": "'{value}' no es una marca: escriba x (sí) o deje la celda vacía (no).",
        "plan-pillar-unknown": "'{value}' no es un código de pilar de la hoja '{sheet_of}'. Use uno de: {allowed}.",
        "plan-theme-unknown": "El pilar {pillar} no tiene el tema '{value}'. Use uno de: {allowed}.",
        "plan-group-unknown": ("'{value}' no es un código de grupo de trabajo de la hoja '{sheet_of}'. Use uno de: "
                               "{allowed}."),
        "plan-code-unknown": "'{value}' no es un código de la hoja '{sheet_of}'. Use uno de: {allowed}.",
        "plan-retired-reference": ("{what} '{value}' está retirado, así que una actividad prioritaria no puede "
                                   "usarlo. Elija uno vigente, o retire el grupo de la actividad."),
        "plan-too-many-activities": ("El grupo de trabajo {value} tiene {count} actividades prioritarias; el Plan "
                                     "Estratégico (3.9) permite como máximo {limit}. Elimine las filas de más."),
        "plan-pillar-without-themes": "El pilar {value} no tiene temas. Agregue sus temas en la hoja '{sheet_of}'.",
        "plan-list-empty": "No queda ninguna entrada en uso en esta hoja. Conserve al menos una que no esté retirada.",
        "plan-no-done-status": "Ningún estado en uso está marcado como cumplido. Marque uno con x.",
        "plan-invalid": "El plan hecho con este libro no se podría cargar: {detail}",
        "plan-code-removed": ("El código {value} ({label}) ya no está en el plan, pero hay libros que ya lo llevan. "
                              "Vuelva a ponerlo con su código y márquelo como retirado (x)."),
        "plan-ref-invalid": ("'{value}' no es una referencia válida: use solo mayúsculas, dígitos y _, comenzando "
                             "por una letra (p. ej. P4), o déjela vacía para una actividad nueva."),
        "plan-ref-duplicate": ("La referencia '{value}' ya la usa la actividad de la celda {first} del mismo grupo "
                               "de trabajo. Deje vacía la referencia de la actividad nueva: la importación le da "
                               "una."),
        "adopt-not-an-activities-workbook": ("Este no es el libro de actividades que escribe `rcm consolidate` en "
                                             "una ronda de la Matriz de Actividades (activities_<período>.xlsx)."),
        "adopt-nothing-marked": ("Ninguna propuesta está marcada en la columna '{heading}'. Marque con x las "
                                 "propuestas que adoptar, guarde el libro y vuelva a ejecutar el comando."),
        "adopt-too-many": ("Hay {count} propuestas del grupo de trabajo {value} marcadas para adoptar, en las filas "
                           "{rows}; el Plan Estratégico (3.9) permite como máximo {limit} actividades prioritarias. "
                           "Desmarque las de más."),
        "adopt-translation-missing": ("El texto en {language} de esta propuesta adoptada está vacío. Escriba aquí "
                                      "la traducción: el plan guarda cada actividad en inglés y en español."),
        "adopt-dropped": ("Esta propuesta elimina la actividad prioritaria {value}; no se puede adoptar. "
                          "Desmárquela, o marque una propuesta que la conserve."),
        "adopt-twice": ("La actividad {value} está marcada dos veces para adoptar (también en la fila {first}). "
                        "Marque una propuesta de cada actividad."),
        "adopt-same-activity": ("Las filas {first} ({other}) y {at} ({value}) proponen la misma actividad: el mismo "
                                "tema y casi el mismo texto. Adopte solo una de ellas, para que el plan tenga cada "
                                "actividad una sola vez."),
        "adopt-value-unknown": "'{value}' no es uno de los valores del plan aquí. Use uno de: {allowed}.",
    },
}


def both(key: str, sep: str = " / ") -> str:
    """The English and the Spanish words of `key` together, as the plan workbook shows them."""
    en, es = PLANBOOK["en"][key], PLANBOOK["es"][key]
    return en if en == es else f"{en}{sep}{es}"


def each(key: str, **values) -> dict[str, str]:
    """The words of `key` in each language: a parameter a problem renders in its reader's language."""
    return {lang: PLANBOOK[lang][key].format(**values) for lang in ("en", "es")}


# The command line's lines of the plan in Excel, of the Activity Matrix's round and of the demo's
# cycle: entries of words.WORDS (`say` finds them there), kept here so words.py stays under 500 lines.
LINES = {
    "en": {
        "n.proposals": ("{n} proposal", "{n} proposals"),
        "plan.exported": "Wrote {path} (plan {id}, version {version}). Edit it in Excel, then run: rcm plan import {path}",
        "plan.problems": ("The plan was not changed: {path} has {n} problem.",
                          "The plan was not changed: {path} has {n} problems."),
        "plan.imported": "templates/plan.yaml is now version {version}; the previous plan is kept as {backup}.",
        "plan.unchanged": "Nothing changed: the workbook holds the plan as it is.",
        "plan.adopted": ("Adopted {n} proposal: templates/plan.yaml is now version {version}; the previous plan is "
                         "kept as {backup}.",
                         "Adopted {n} proposals: templates/plan.yaml is now version {version}; the previous plan is "
                         "kept as {backup}."),
        "plan.adopt_unchanged": "Nothing changed: the marked proposals are the groups' priority activities already.",
        "plan.adopted_group": "  {group}: {activities}",
        "plan.adopt_next": "The next follow-up templates carry them pre-filled, each with its ref (COUNTRY-GROUP-REF).",
        "generate.activities": ("  Activity Matrix: {n} current priority activity pre-filled in all; blank rows for "
                                "new proposals in each workbook: {rows}",
                                "  Activity Matrix: {n} current priority activities pre-filled in all; blank rows for "
                                "new proposals in each workbook: {rows}"),
        "generate.carry_activities": ("{flag} is for follow-up templates: the Activity Matrix always carries the "
                                      "current priority activities."),
        "demo.activities": "  1. Activity Matrix {year}: {workbooks}; {n} returned with {proposals} of {activities}, "
                           "{rows_rejected}:",
        "demo.activities_book": "     {path}   (Proposals with the Adopt column, Returns, Findings, Rejected proposals)",
        "demo.adopted": "  2. adopted {activities} as the working groups' priority activities, each with its ref: "
                        "templates/plan.yaml version {version}",
    },
    "es": {
        "n.proposals": ("{n} propuesta", "{n} propuestas"),
        "plan.exported": ("Se escribió {path} (plan {id}, versión {version}). Edítelo en Excel y luego ejecute: "
                          "rcm plan import {path}"),
        "plan.problems": ("El plan no se cambió: {path} tiene {n} problema.",
                          "El plan no se cambió: {path} tiene {n} problemas."),
        "plan.imported": "templates/plan.yaml está ahora en la versión {version}; el plan anterior se guarda en {backup}.",
        "plan.unchanged": "Nada cambió: el libro contiene el plan tal como está.",
        "plan.adopted": ("Se adoptó {n} propuesta: templates/plan.yaml está ahora en la versión {version}; el plan "
                         "anterior se guarda en {backup}.",
                         "Se adoptaron {n} propuestas: templates/plan.yaml está ahora en la versión {version}; el plan "
                         "anterior se guarda en {backup}."),
        "plan.adopt_unchanged": ("Nada cambió: las propuestas marcadas ya son las actividades prioritarias de los "
                                 "grupos."),
        "plan.adopted_group": "  {group}: {activities}",
        "plan.adopt_next": ("Las próximas plantillas de seguimiento las llevan precompletadas, cada una con su "
                            "referencia (PAÍS-GRUPO-REF)."),
        "generate.activities": ("  Matriz de Actividades: {n} actividad prioritaria vigente precompletada en total; "
                                "filas en blanco para propuestas nuevas en cada libro: {rows}",
                                "  Matriz de Actividades: {n} actividades prioritarias vigentes precompletadas en "
                                "total; filas en blanco para propuestas nuevas en cada libro: {rows}"),
        "generate.carry_activities": ("{flag} es para las plantillas de seguimiento: la Matriz de Actividades siempre "
                                      "lleva las actividades prioritarias vigentes."),
        "demo.activities": "  1. Matriz de Actividades {year}: {workbooks}; devueltos: {n}, con {proposals} de "
                           "{activities}, {rows_rejected}:",
        "demo.activities_book": "     {path}   (Propuestas con la columna Adoptar, Respuestas, Hallazgos, Propuestas "
                                "rechazadas)",
        "demo.adopted": "  2. se adoptaron {activities} como actividades prioritarias de los grupos de trabajo, cada una "
                        "con su referencia: templates/plan.yaml versión {version}",
    },
}
