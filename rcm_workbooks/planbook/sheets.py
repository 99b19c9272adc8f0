"""The plan workbook's layout (sheets, columns, bilingual headings) and the problems its import reports.

Shared by the writer and the reader so that what is written is exactly what is read back. A
problem keeps its rule, sheet, cell and parameters as data; its sentence is rendered from the
catalog (core/plan_words.py) in English or Spanish, and so are the sheets' names and headings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ..core.plan_words import PLAN_RULES, PLANBOOK, both

SCHEMA = "rcm-plan-workbook/1"
META_SHEET = "_plan"
HEADING_ROW = 2  # 1-based; row 1 says what the sheet holds
FIRST_ROW = 3


@dataclass(frozen=True)
class Column:
    key: str
    width: int = 30
    # code: locked once in the plan | text: a label half | flag: x or empty | language | ref: a code of
    # another sheet (locked like a code where it is part of the identity) | key: a Plan-sheet field
    kind: str = "text"
    identity: bool = False  # part of what identifies the row (locked in rows already in the plan)
    words: str = ""  # the catalog key of its heading (col.<words>), when not col.<key>

    @property
    def en(self) -> str:
        return PLANBOOK["en"][f"col.{self.words or self.key}"]

    @property
    def es(self) -> str:
        return PLANBOOK["es"][f"col.{self.words or self.key}"]

    @property
    def heading(self) -> str:
        return both(f"col.{self.words or self.key}")


@dataclass(frozen=True)
class SheetSpec:
    key: str
    columns: tuple[Column, ...]
    kind: str = ""  # the kind of code it holds, as codes in use are named (pillar, theme, ...)

    @property
    def name(self) -> str:
        return both(f"sheet.{self.key}", " - ")

    @property
    def what_en(self) -> str:
        return PLANBOOK["en"][f"what.{self.key}"]

    @property
    def what_es(self) -> str:
        return PLANBOOK["es"][f"what.{self.key}"]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _code(identity: bool = True) -> Column:
    return Column("code", 12, "code", identity)


def _names(prefix: str = "", width: int = 50) -> tuple[Column, Column]:
    return Column(f"{prefix}en", width), Column(f"{prefix}es", width)


RETIRED = Column("retired", 13, "flag")
README_SHEET = both("sheet.readme", " - ")
PLAN = SheetSpec("plan", (Column("key", 22, "key", True), Column("what", 46), Column("en", 50, words="english"),
                          Column("es", 50, words="spanish")))
PILLARS = SheetSpec("pillars", (_code(), *_names(), RETIRED), "pillar")
THEMES = SheetSpec("themes", (Column("pillar", 10, "ref", True), _code(), *_names(), RETIRED), "theme")
GROUPS = SheetSpec("working_groups", (_code(), *_names(), *_names("objective_"), RETIRED), "working_group")
ACTIVITIES = SheetSpec("activities", (
    Column("group", 14, "ref"), Column("pillar", 10, "ref"), Column("theme", 10, "ref"),
    *_names("activity_", 34), *_names("results_", 30), *_names("indicators_", 30),
    Column("responsible", 14, "ref"), Column("deadline", 12, "ref"), Column("ref", 8, "text", True)))
COUNTRIES = SheetSpec("countries", (_code(), *_names(), Column("language", 16, "language"), RETIRED), "country")
RESPONSIBLE = SheetSpec("responsible_parties", (_code(), *_names(), RETIRED), "responsible")
STATUSES = SheetSpec("statuses", (_code(), *_names(), Column("done", 16, "flag"), RETIRED), "status")
DEADLINES = SheetSpec("deadlines", (_code(), *_names(), RETIRED), "deadline")

SHEETS = (PLAN, PILLARS, THEMES, GROUPS, ACTIVITIES, COUNTRIES, RESPONSIBLE, STATUSES, DEADLINES)
BY_KIND = {s.kind: s for s in SHEETS if s.kind}
# Plan-sheet rows: key -> (editable, bilingual); what each is: PLANBOOK's field.<key>
PLAN_FIELDS = {"id": (False, False), "version": (False, False), "title": (True, True), "organization": (True, True),
               "return_to": (True, True), "protection_password": (True, False)}
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
    CODE_UNKNOWN = "plan-code-unknown"
    REF_INVALID = "plan-ref-invalid"
    REF_DUPLICATE = "plan-ref-duplicate"
    # rcm plan adopt
    NOT_ACTIVITIES = "adopt-not-an-activities-workbook"
    NOTHING_MARKED = "adopt-nothing-marked"
    TOO_MANY_ADOPTED = "adopt-too-many"
    TRANSLATION_MISSING = "adopt-translation-missing"
    DROPPED_ADOPTED = "adopt-dropped"
    ADOPTED_TWICE = "adopt-twice"
    ADOPTED_ALIKE = "adopt-same-activity"
    VALUE_UNKNOWN = "adopt-value-unknown"


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

    def values(self, lang: str = "en") -> dict:
        """The parameters in `lang`: a parameter given in each language ({"en": .., "es": ..}) gives its own."""
        lang = "es" if lang == "es" else "en"
        return {k: v[lang] if isinstance(v, dict) and set(v) == {"en", "es"} else v for k, v in self.params.items()}

    def message(self, lang: str = "en") -> str:
        return PLAN_RULES["es" if lang == "es" else "en"][self.rule.value].format_map(_Blank(self.values(lang)))

    def where(self, lang: str = "en") -> str:
        words = PLANBOOK["es" if lang == "es" else "en"]
        parts = [words["where.sheet"].format(sheet=self.sheet) if self.sheet else "",
                 words["where.cell"].format(cell=self.cell) if self.cell else ""]
        return ", ".join(p for p in parts if p)

    def render(self, lang: str = "en") -> str:
        where = self.where(lang)
        return f"{where}: {self.message(lang)}" if where else self.message(lang)

    def to_dict(self, lang: str = "en") -> dict:
        return {"rule": self.rule.value, "sheet": self.sheet, "cell": self.cell,
                "params": self.values(lang), "message": self.message(lang)}


class PlanWorkbookError(Exception):
    """The workbook cannot become the plan; `problems` lists every reason, each with its sheet and cell."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))
