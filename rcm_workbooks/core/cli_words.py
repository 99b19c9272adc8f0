"""Lines of `rcm consolidate` and `rcm validate` about what a round did not find, and the words of
a plan file that is missing or not valid YAML, in English and Spanish. Part of the one catalog:
core/words.py merges them into WORDS (kept apart so that no module of the catalog passes 500 lines).
A pair is (one, several), picked by `n`.
"""
from __future__ import annotations

CLI_LINES = {
    "en": {
        "consolidate.other_period": (
            "1 return is of {periods}, not {period}: it was rejected, and its findings are left out here. "
            "To consolidate it, run rcm consolidate --period {first}.",
            "{n} returns are of {periods}, not {period}: they were rejected, and their findings are left out "
            "here. To consolidate them, run rcm consolidate --period {first}."),
        "consolidate.other_periods": (
            "1 return is of another period ({periods}), not {period}: it was rejected, and its findings are "
            "left out here. To consolidate it, run rcm consolidate --period with its period.",
            "{n} returns are of other periods ({periods}), not {period}: they were rejected, and their findings "
            "are left out here. To consolidate them, run rcm consolidate --period with each of those periods, "
            "for example --period {first}."),
        "consolidate.none_of_period": "No return of {period} is in the inbox.",
        "consolidate.none_of_period_written": ("No return of {period} is in the inbox: the consolidated workbook "
                                               "of {period} written below is empty."),
        "validate.nothing": "No file to validate in {paths}: give the returned workbooks, or the folders that hold them.",
        "plan.missing": ("{root} has inbox/, outbox/ and templates/, but templates/plan.yaml is missing. Restore it "
                         "from a backup, import the plan workbook with `rcm plan import FILE`, or copy the default "
                         "plan: {default}"),
        "plan.yaml_syntax": ("{name}, line {line}, column {column}: this is not valid YAML. The file is cut short "
                             "or a line is not indented right; compare it with the lines above it."),
        "plan.yaml_alias": ("{name}, line {line}, column {column}: the plan repeats an entry with a YAML alias "
                            "(*name). Write each entry out in full."),
    },
    "es": {
        "consolidate.other_period": (
            "1 respuesta es de {periods}, no de {period}: se rechazó y sus hallazgos no se muestran aquí. "
            "Para consolidarla, ejecute rcm consolidate --period {first}.",
            "{n} respuestas son de {periods}, no de {period}: se rechazaron y sus hallazgos no se muestran aquí. "
            "Para consolidarlas, ejecute rcm consolidate --period {first}."),
        "consolidate.other_periods": (
            "1 respuesta es de otro período ({periods}), no de {period}: se rechazó y sus hallazgos no se "
            "muestran aquí. Para consolidarla, ejecute rcm consolidate --period con su período.",
            "{n} respuestas son de otros períodos ({periods}), no de {period}: se rechazaron y sus hallazgos no "
            "se muestran aquí. Para consolidarlas, ejecute rcm consolidate --period con cada uno de esos "
            "períodos, por ejemplo --period {first}."),
        "consolidate.none_of_period": "No hay ninguna respuesta de {period} en la bandeja de entrada.",
        "consolidate.none_of_period_written": ("No hay ninguna respuesta de {period} en la bandeja de entrada: el "
                                               "libro consolidado de {period} que se escribió está vacío."),
        "validate.nothing": ("No hay ningún archivo que validar en {paths}: indique los libros devueltos o las "
                             "carpetas que los contienen."),
        "plan.missing": ("{root} tiene inbox/, outbox/ y templates/, pero falta templates/plan.yaml. Restáurelo de "
                         "una copia de seguridad, importe el libro del plan con `rcm plan import ARCHIVO` o copie "
                         "el plan predeterminado: {default}"),
        "plan.yaml_syntax": ("{name}, línea {line}, columna {column}: esto no es YAML válido. El archivo está "
                             "incompleto o una línea no tiene la sangría correcta; compárela con las líneas de "
                             "arriba."),
        "plan.yaml_alias": ("{name}, línea {line}, columna {column}: el plan repite una entrada con un alias de "
                            "YAML (*nombre). Escriba cada entrada completa."),
    },
}
