"""The plan workbook's layout (sheets, columns, bilingual headings) and the problems its import reports.

Shared by the writer and the reader so that what is written is exactly what is read back. A
problem keeps its rule, sheet, cell and parameters as data; its sentence is rendered from the
catalog below in English or Spanish.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

SCHEMA = "rcm-plan-workbook/1"
META_SHEET = "_plan"
README_SHEET = "Read me - Léame"
HEADING_ROW = 2  # 1-based; row 1 says what the sheet holds
FIRST_ROW = 3


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    es: str
    width: int = 30
    # code: locked once in the plan | text: a label half | flag: x or empty | language | ref: a code of
    # another sheet (locked like a code where it is part of the identity) | key: a Plan-sheet field
    kind: str = "text"
    identity: bool = False  # part of what identifies the row (locked in rows already in the plan)

    @property
    def heading(self) -> str:
        return f"{self.en} / {self.es}"


@dataclass(frozen=True)
class SheetSpec:
    key: str
    name: str
    what_en: str
    what_es: str
    columns: tuple[Column, ...]
    kind: str = ""  # the kind of code it holds, as codes in use are named (pillar, theme, ...)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _code(identity: bool = True) -> Column:
    return Column("code", "Code", "Código", 12, "code", identity)


def _names(what_en: str = "Name", what_es: str = "Nombre", prefix: str = "", width: int = 50) -> tuple[Column, Column]:
    return (Column(f"{prefix}en", f"{what_en} (English)", f"{what_es} (inglés)", width),
            Column(f"{prefix}es", f"{what_en} (Spanish)", f"{what_es} (español)", width))


RETIRED = Column("retired", "Retired (x)", "Retirado (x)", 13, "flag")

PLAN = SheetSpec("plan", "Plan", "The plan as a whole. Grey cells are fixed; edit the white ones.",
                 "El plan en su conjunto. Las celdas grises son fijas; edite las blancas.", (
                     Column("key", "Key", "Clave", 22, "key", True),
                     Column("what", "What it is", "Qué es", 46),
                     Column("en", "English", "Inglés", 50),
                     Column("es", "Spanish", "Español", 50)))
PILLARS = SheetSpec("pillars", "Pillars - Pilares", "The programmatic pillars (Strategic Plan 3.8).",
                    "Los pilares programáticos (Plan Estratégico 3.8).", (_code(), *_names(), RETIRED), "pillar")
THEMES = SheetSpec("themes", "Themes - Temas", "The themes of each pillar: a theme is its pillar and its code together.",
                   "Los temas de cada pilar: un tema es su pilar y su código juntos.", (
                       Column("pillar", "Pillar", "Pilar", 10, "ref", True), _code(), *_names(), RETIRED), "theme")
GROUPS = SheetSpec("working_groups", "Working groups - Grupos", "The working groups and their specific objective (Strategic Plan 3.9).",
                   "Los grupos de trabajo y su objetivo específico (Plan Estratégico 3.9).", (
                       _code(), *_names(),
                       *_names("Specific objective", "Objetivo específico", "objective_"), RETIRED), "working_group")
ACTIVITIES = SheetSpec(
    "activities", "Activities - Actividades",
    "Each working group's priority activities: at most 3 per group (Strategic Plan 3.9), in the order templates show them.",
    "Las actividades prioritarias de cada grupo de trabajo: como máximo 3 por grupo (Plan Estratégico 3.9), en el orden en que las muestran las plantillas.", (
        Column("group", "Working group", "Grupo de trabajo", 14, "ref"),
        Column("pillar", "Pillar", "Pilar", 10, "ref"),
        Column("theme", "Theme", "Tema", 10, "ref"),
        *_names("Activity", "Actividad", "activity_", 34),
        *_names("Expected results", "Resultados esperados", "results_", 30),
        *_names("Indicators", "Indicadores", "indicators_", 30)))
COUNTRIES = SheetSpec("countries", "Countries - Países", "The member countries (ISO 3166 alpha-3 codes) and the language of their templates.",
                      "Los países miembros (códigos ISO 3166 alfa-3) y el idioma de sus plantillas.", (
                          _code(), *_names(),
                          Column("language", "Template language (en/es)", "Idioma de la plantilla (en/es)", 16, "language"),
                          RETIRED), "country")
RESPONSIBLE = SheetSpec("responsible_parties", "Responsible - Responsables", "The responsible parties (Table 2, section 4.2 item 5).",
                        "Las partes responsables (Tabla 2, sección 4.2 punto 5).", (_code(), *_names(), RETIRED), "responsible")
STATUSES = SheetSpec("statuses", "Statuses - Estados", "The statuses (section 4.2 item 7); mark with x the one that counts as completed.",
                     "Los estados (sección 4.2 punto 7); marque con x el que cuenta como cumplido.", (
                         _code(), *_names(),
                         Column("done", "Counts as completed (x)", "Cuenta como cumplido (x)", 16, "flag"), RETIRED), "status")
DEADLINES = SheetSpec("deadlines", "Deadlines - Plazos", "The deadlines (section 4.2 item 6).",
                      "Los plazos (sección 4.2 punto 6).", (_code(), *_names(), RETIRED), "deadline")

SHEETS = (PLAN, PILLARS, THEMES, GROUPS, ACTIVITIES, COUNTRIES, RESPONSIBLE, STATUSES, DEADLINES)
BY_KIND = {s.kind: s for s in SHEETS if s.kind}
# Plan-sheet rows: key -> (English, Spanish description, editable, bilingual)
PLAN_FIELDS = {
    "id": ("Identifier of the plan (returns carry it)", "Identificador del plan (las respuestas lo llevan)", False, False),
    "version": ("Version (the import raises it)", "Versión (la importación la aumenta)", False, False),
    "title": ("Title", "Título", True, True),
    "organization": ("Organization", "Organización", True, True),
    "return_to": ("Where focal points send their workbook back", "A dónde devuelven su libro los puntos focales", True, True),
    "protection_password": ("Sheet-protection password of the templates (a guard rail, not a secret)",
                            "Contraseña de protección de hojas de las plantillas (una barrera, no un secreto)", True, False),
}
# ISO 3166-1 alpha-3 (249 codes, as in iso-codes 4.15); X.. is the range left for user-assigned codes (XKX).
ISO_ALPHA3 = frozenset("""
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR
BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL
COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK
FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV
HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO
LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG
MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN
PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE
SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO
TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
""".split())
TRUE_WORDS = {"x", "yes", "y", "si", "s", "true", "1", "retired", "retirado", "done", "cumplido", "verdadero"}
FALSE_WORDS = {"", "no", "n", "false", "0", "falso", "-"}
LANGUAGE_WORDS = {"en": "en", "english": "en", "ingles": "en", "es": "es", "spanish": "es", "espanol": "es",
                  "castellano": "es"}


class Rule(str, Enum):
    FILE_UNREADABLE = "plan-file-unreadable"
    NOT_A_PLAN = "plan-not-a-plan-workbook"
    SHEET_MISSING = "plan-sheet-missing"
    SHEET_RENAMED = "plan-sheet-renamed"
    HEADINGS_MISSING = "plan-headings-missing"
    COLUMN_MISSING = "plan-column-missing"
    FIELD_MISSING = "plan-field-missing"
    OTHER_PLAN = "plan-other-plan"
    OUTDATED = "plan-outdated"
    CODE_MISSING = "plan-code-missing"
    CODE_INVALID = "plan-code-invalid"
    COUNTRY_INVALID = "plan-country-invalid"
    CODE_DUPLICATE = "plan-code-duplicate"
    LABEL_MISSING = "plan-label-missing"
    LABEL_DUPLICATE = "plan-label-duplicate"
    LANGUAGE_INVALID = "plan-language-invalid"
    FLAG_INVALID = "plan-flag-invalid"
    PILLAR_UNKNOWN = "plan-pillar-unknown"
    THEME_UNKNOWN = "plan-theme-unknown"
    GROUP_UNKNOWN = "plan-group-unknown"
    RETIRED_REFERENCE = "plan-retired-reference"
    TOO_MANY_ACTIVITIES = "plan-too-many-activities"
    PILLAR_EMPTY = "plan-pillar-without-themes"
    LIST_EMPTY = "plan-list-empty"
    NO_DONE_STATUS = "plan-no-done-status"
    PLAN_INVALID = "plan-invalid"
    CODE_REMOVED = "plan-code-removed"


# rule -> (English, Spanish); {placeholders} come from the problem's params.
MESSAGES: dict[Rule, tuple[str, str]] = {
    Rule.FILE_UNREADABLE: ("The file cannot be read as a workbook: {detail} Save it again from Excel as .xlsx.",
                           "El archivo no se puede leer como libro: {detail_es} Guárdelo de nuevo desde Excel como .xlsx."),
    Rule.NOT_A_PLAN: ("This is not a plan workbook (none of its sheets is a sheet of `rcm plan export`). Export the plan and edit that workbook.",
                      "Este no es un libro del plan (ninguna de sus hojas es de `rcm plan export`). Exporte el plan y edite ese libro."),
    Rule.SHEET_MISSING: ("The sheet '{expected}' is missing. Export the plan again and copy your changes into the new workbook.",
                         "Falta la hoja '{expected}'. Exporte el plan de nuevo y copie sus cambios en el libro nuevo."),
    Rule.SHEET_RENAMED: ("This sheet looks like '{expected}' renamed. Rename it back to '{expected}'.",
                         "Esta hoja parece ser '{expected}' con otro nombre. Devuélvale el nombre '{expected}'."),
    Rule.HEADINGS_MISSING: ("The heading row ({headings}) was not found in the first rows. Restore the headings of the exported workbook.",
                            "No se encontró la fila de encabezados ({headings}) en las primeras filas. Restaure los encabezados del libro exportado."),
    Rule.COLUMN_MISSING: ("The column '{heading}' is missing from the heading row. Restore it as exported.",
                          "Falta la columna '{heading}' en la fila de encabezados. Restáurela como se exportó."),
    Rule.FIELD_MISSING: ("The row '{key}' ({what}) is missing. Restore it as exported.",
                         "Falta la fila '{key}' ({what_es}). Restáurela como se exportó."),
    Rule.OTHER_PLAN: ("This workbook holds the plan '{found}', but the workspace's plan is '{expected}'. Import only a workbook exported from this workspace.",
                      "Este libro contiene el plan '{found}', pero el plan del espacio de trabajo es '{expected}'. Importe solo un libro exportado de este espacio de trabajo."),
    Rule.OUTDATED: ("This workbook was exported from version {found} of the plan, which is now at version {expected}. Export it again and redo your changes, so none made since is undone.",
                    "Este libro se exportó de la versión {found} del plan, que ahora está en la versión {expected}. Expórtelo de nuevo y rehaga sus cambios, para no deshacer ninguno hecho desde entonces."),
    Rule.CODE_MISSING: ("This row has no code. Write a code (capital letters, digits and _, starting with a letter), or empty the row.",
                        "Esta fila no tiene código. Escriba un código (mayúsculas, dígitos y _, comenzando por una letra), o vacíe la fila."),
    Rule.CODE_INVALID: ("'{value}' is not a valid code: use capital letters, digits and _ only, starting with a letter, at most 16 (ASCII, no accents or spaces).",
                        "'{value}' no es un código válido: use solo mayúsculas, dígitos y _, comenzando por una letra, como máximo 16 (ASCII, sin acentos ni espacios)."),
    Rule.COUNTRY_INVALID: ("'{value}' is not an ISO 3166 alpha-3 country code: use three capital letters, e.g. GTM for Guatemala.",
                           "'{value}' no es un código de país ISO 3166 alfa-3: use tres letras mayúsculas, p. ej. GTM para Guatemala."),
    Rule.CODE_DUPLICATE: ("The code '{value}' is already used in cell {first}{scope}. Codes must be unique; give this row another code.",
                          "El código '{value}' ya se usa en la celda {first}{scope_es}. Los códigos deben ser únicos; dé otro código a esta fila."),
    Rule.LABEL_MISSING: ("The {language} text is empty. Every name needs English and Spanish.",
                         "El texto en {language_es} está vacío. Cada nombre necesita inglés y español."),
    Rule.LABEL_DUPLICATE: ("'{value}' is also the name in cell {first}; a dropdown could not tell them apart. Make the names differ.",
                           "'{value}' también es el nombre de la celda {first}; una lista desplegable no podría distinguirlos. Haga que los nombres difieran."),
    Rule.LANGUAGE_INVALID: ("'{value}' is not a template language: write en or es.",
                            "'{value}' no es un idioma de plantilla: escriba en o es."),
    Rule.FLAG_INVALID: ("'{value}' is not a mark: write x (yes) or leave the cell empty (no).",
                        "'{value}' no es una marca: escriba x (sí) o deje la celda vacía (no)."),
    Rule.PILLAR_UNKNOWN: ("'{value}' is not a pillar code of the sheet '{sheet_of}'. Use one of: {allowed}.",
                          "'{value}' no es un código de pilar de la hoja '{sheet_of}'. Use uno de: {allowed}."),
    Rule.THEME_UNKNOWN: ("Pillar {pillar} has no theme '{value}'. Use one of: {allowed}.",
                         "El pilar {pillar} no tiene el tema '{value}'. Use uno de: {allowed}."),
    Rule.GROUP_UNKNOWN: ("'{value}' is not a working group code of the sheet '{sheet_of}'. Use one of: {allowed}.",
                         "'{value}' no es un código de grupo de trabajo de la hoja '{sheet_of}'. Use uno de: {allowed}."),
    Rule.RETIRED_REFERENCE: ("{what} '{value}' is retired, so a priority activity cannot use it. Choose a current one, or retire the activity's group.",
                             "{what_es} '{value}' está retirado, así que una actividad prioritaria no puede usarlo. Elija uno vigente, o retire el grupo de la actividad."),
    Rule.TOO_MANY_ACTIVITIES: ("The working group {value} has {count} priority activities; the Strategic Plan (3.9) allows at most {limit}. Remove the extra rows.",
                               "El grupo de trabajo {value} tiene {count} actividades prioritarias; el Plan Estratégico (3.9) permite como máximo {limit}. Elimine las filas de más."),
    Rule.PILLAR_EMPTY: ("The pillar {value} has no theme. Add its themes on the sheet '{sheet_of}'.",
                        "El pilar {value} no tiene temas. Agregue sus temas en la hoja '{sheet_of}'."),
    Rule.LIST_EMPTY: ("No entry of this sheet is left in use. Keep at least one that is not retired.",
                      "No queda ninguna entrada en uso en esta hoja. Conserve al menos una que no esté retirada."),
    Rule.NO_DONE_STATUS: ("No status in use is marked as counting as completed. Mark one with x.",
                          "Ningún estado en uso está marcado como cumplido. Marque uno con x."),
    Rule.PLAN_INVALID: ("The plan made from this workbook would not load: {detail}",
                        "El plan hecho con este libro no se podría cargar: {detail}"),
    Rule.CODE_REMOVED: ("The code {value} ({label}) is no longer in the plan, but workbooks already carry it. Put it back with its code and mark it retired (x) instead.",
                        "El código {value} ({label_es}) ya no está en el plan, pero hay libros que ya lo llevan. Vuelva a ponerlo con su código y márquelo como retirado (x)."),
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


@dataclass(frozen=True)
class Problem:
    """One reason a plan workbook cannot be imported: its rule, where it is, and the values it names."""

    rule: Rule
    sheet: str = ""
    cell: str = ""
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = "en") -> str:
        en, es = MESSAGES[self.rule]
        return (es if lang == "es" else en).format_map(_Blank(self.params))

    def where(self, lang: str = "en") -> str:
        es = lang == "es"
        parts = [f"{'Hoja' if es else 'Sheet'} '{self.sheet}'" if self.sheet else "",
                 f"{'celda' if es else 'cell'} {self.cell}" if self.cell else ""]
        return ", ".join(p for p in parts if p)

    def render(self, lang: str = "en") -> str:
        where = self.where(lang)
        return f"{where}: {self.message(lang)}" if where else self.message(lang)

    def to_dict(self, lang: str = "en") -> dict:
        return {"rule": self.rule.value, "sheet": self.sheet, "cell": self.cell,
                "params": dict(self.params), "message": self.message(lang)}


class PlanWorkbookError(Exception):
    """The workbook cannot become the plan; `problems` lists every reason, each with its sheet and cell."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))
