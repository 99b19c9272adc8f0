"""Plausible answers of a focal point, in English or Spanish, for the synthetic focal point.

`synthetic_rows(plan, group, country, language, rng, n)` makes the rows; `prefilled_updates`
the updates of the pre-filled rows. Deterministic for a given `random.Random`.
"""
from __future__ import annotations

import random
from collections.abc import Sequence

from ..core.plan import Choice, Plan

# Fields a focal point may still update on a pre-filled row (the others are locked).
PREFILL_UPDATABLE = ("measured_by", "responsible", "deadline", "status", "risks", "progress", "next_steps")

# (pillar, theme) codes that fit each working group of the default plan; other plans fall back
# to any theme.
GROUP_THEMES = {
    "PROT": (("P3", "T2"), ("P3", "T5"), ("P3", "T7"), ("P3", "T8"), ("P3", "T9"), ("P3", "T11"),
             ("P3", "T12"), ("P3", "T14"), ("P1", "T6")),
    "IRMM": (("P3", "T3"), ("P3", "T4"), ("P3", "T10"), ("P3", "T13"), ("P3", "T15"), ("P1", "T3"),
             ("P1", "T4"), ("P1", "T5"), ("P1", "T8"), ("P1", "T9")),
    "LABR": (("P2", "T1"), ("P2", "T3"), ("P2", "T4"), ("P2", "T5"), ("P2", "T6"), ("P2", "T8"),
             ("P2", "T9"), ("P2", "T10"), ("P1", "T4"), ("P1", "T7")),
    "BORD": (("P1", "T1"), ("P1", "T2"), ("P1", "T5"), ("P1", "T6"), ("P1", "T7"), ("P3", "T4"),
             ("P3", "T13")),
}

ACTIVITY_FORMS = (
    ("Regional training workshop on {topic} for {audience}", "Taller regional de capacitación sobre {topic} para {audience}"),
    ("National seminar on {topic} with {audience}", "Seminario nacional sobre {topic} con {audience}"),
    ("Virtual course on {topic} for {audience}", "Curso virtual sobre {topic} dirigido a {audience}"),
    ("Updating the national protocol on {topic}", "Actualización del protocolo nacional sobre {topic}"),
    ("Technical exchange between member countries on {topic}", "Intercambio técnico entre países miembros sobre {topic}"),
    ("Awareness campaign on {topic}", "Campaña de sensibilización sobre {topic}"),
    ("Drafting a regional guide on {topic}", "Elaboración de una guía regional sobre {topic}"),
    ("Mapping of services and institutions working on {topic}", "Mapeo de servicios e instituciones que trabajan en {topic}"),
    ("Pilot project on {topic} with {audience}", "Proyecto piloto sobre {topic} con {audience}"),
)

TOPICS = {
    "PROT": (
        ("identification and referral of unaccompanied migrant children", "identificación y referencia de niñas, niños y adolescentes migrantes no acompañados"),
        ("international protection and refugee status determination", "protección internacional y determinación de la condición de refugiado"),
        ("comprehensive care for victims of trafficking in persons", "atención integral a víctimas de trata de personas"),
        ("consular protection of migrants in transit", "protección consular de personas migrantes en tránsito"),
        ("gender-based violence against migrant women", "violencia basada en género contra mujeres migrantes"),
        ("prevention of statelessness and late birth registration", "prevención de la apatridia y registro tardío de nacimientos"),
        ("psychosocial support for returned migrants", "apoyo psicosocial a personas migrantes retornadas"),
    ),
    "IRMM": (
        ("attention to people in mass migration flows", "atención a personas en flujos migratorios masivos"),
        ("contingency plans for large movements of migrants", "planes de contingencia ante movimientos masivos de personas migrantes"),
        ("prevention of irregular migration in communities of origin", "prevención de la migración irregular en comunidades de origen"),
        ("dismantling migrant smuggling networks", "desmantelamiento de redes de tráfico ilícito de migrantes"),
        ("safe and dignified return and reception", "retorno y recepción seguros y dignos"),
        ("temporary shelters and humanitarian assistance", "albergues temporales y asistencia humanitaria"),
        ("information exchange on extra-regional migration", "intercambio de información sobre migración extrarregional"),
    ),
    "LABR": (
        ("fair recruitment of migrant workers", "contratación equitativa de personas trabajadoras migrantes"),
        ("temporary labor migration programs", "programas de migración laboral temporal"),
        ("recognition of migrant workers' skills and certifications", "reconocimiento de competencias y certificaciones de personas trabajadoras migrantes"),
        ("portability of social security rights", "portabilidad de derechos de seguridad social"),
        ("labor inspection in agricultural sectors employing migrants", "inspección laboral en sectores agrícolas que emplean a personas migrantes"),
        ("remittances and financial inclusion", "remesas e inclusión financiera"),
        ("labor reintegration of returned migrants", "reintegración laboral de personas migrantes retornadas"),
    ),
    "BORD": (
        ("integrated border management", "gestión integral de fronteras"),
        ("exchange of migration data between border posts", "intercambio de datos migratorios entre puestos fronterizos"),
        ("detection of fraudulent travel documents", "detección de documentos de viaje fraudulentos"),
        ("biometric registration at land border crossings", "registro biométrico en pasos fronterizos terrestres"),
        ("risk analysis at ports of entry", "análisis de riesgo en puntos de entrada"),
        ("coordinated border controls with neighbouring countries", "controles fronterizos coordinados con países vecinos"),
        ("identification of vulnerable persons at the border", "identificación de personas en situación de vulnerabilidad en la frontera"),
    ),
}

AUDIENCES = {
    "PROT": (("child protection officers", "personal de protección de la niñez"), ("consular staff", "personal consular"),
             ("officials of the refugee commission", "funcionarios de la comisión de refugiados")),
    "IRMM": (("migration officers", "oficiales de migración"), ("civil protection staff", "personal de protección civil"),
             ("municipal authorities in border areas", "autoridades municipales de zonas fronterizas")),
    "LABR": (("labor inspectors", "inspectores de trabajo"), ("employers' organizations", "organizaciones de empleadores"),
             ("public employment services", "servicios públicos de empleo")),
    "BORD": (("border police", "policía de fronteras"), ("customs and migration officers", "oficiales de aduanas y migración"),
             ("staff at land border posts", "personal de los puestos fronterizos terrestres")),
}

PLACES = (("in {country}", "en {country}"), ("in the northern border region", "en la región fronteriza norte"),
          ("in the capital", "en la capital"), ("in the southern border departments", "en los departamentos fronterizos del sur"))

INDICATORS = {
    "": (
        ("Number of officials trained: {n}", "Número de funcionarios capacitados: {n}"),
        ("Number of institutions taking part: {k}", "Número de instituciones participantes: {k}"),
        ("Protocol approved and published (target: 1)", "Protocolo aprobado y publicado (meta: 1)"),
        ("Share of participants passing the final evaluation: {p}%", "Porcentaje de participantes que aprueban la evaluación final: {p} %"),
    ),
    "PROT": (("Cases referred to protection services: {n}", "Casos referidos a servicios de protección: {n}"),
             ("Number of children assisted: {n}", "Número de niñas, niños y adolescentes atendidos: {n}")),
    "IRMM": (("Number of people assisted in shelters: {n}", "Número de personas atendidas en albergues: {n}"),
             ("Contingency plans updated: {k}", "Planes de contingencia actualizados: {k}")),
    "LABR": (("Number of workers placed through the program: {n}", "Número de trabajadores colocados mediante el programa: {n}"),
             ("Labor inspections carried out: {n}", "Inspecciones laborales realizadas: {n}")),
    "BORD": (("Share of border posts connected to the system: {p}%", "Porcentaje de puestos fronterizos conectados al sistema: {p} %"),
             ("Fraudulent documents detected: {n}", "Documentos fraudulentos detectados: {n}")),
}

MEASURED_BY = {
    "": (("National Migration Institute", "Instituto Nacional de Migración"), ("Ministry of Foreign Affairs", "Ministerio de Relaciones Exteriores"),
         ("IOM country office", "Oficina de país de la OIM"), ("RCM Executive Secretariat", "Secretaría Ejecutiva de la CRM")),
    "PROT": (("National Child Protection Council", "Consejo Nacional de la Niñez y la Adolescencia"), ("UNHCR", "ACNUR"),
             ("Refugee Commission", "Comisión de Refugiados")),
    "IRMM": (("Civil Protection Agency", "Coordinadora Nacional de Protección Civil"),
             ("Directorate General of Migration", "Dirección General de Migración y Extranjería")),
    "LABR": (("Ministry of Labor", "Ministerio de Trabajo y Previsión Social"), ("ILO", "OIT")),
    "BORD": (("Border Police", "Policía de Fronteras"), ("National Customs Service", "Servicio Nacional de Aduanas")),
}

RISKS = (
    ("Budget cuts in the participating institutions", "Recortes presupuestarios en las instituciones participantes"),
    ("Turnover of trained staff", "Rotación del personal capacitado"),
    ("Delays in the approval of the inter-institutional agreement", "Retrasos en la aprobación del convenio interinstitucional"),
    ("Depends on funding from cooperation partners", "Depende del financiamiento de la cooperación internacional"),
    ("A sudden increase in migration flows may divert resources", "Un aumento repentino de los flujos migratorios puede desviar recursos"),
    ("New authorities after the elections", "Cambio de autoridades tras las elecciones"),
    ("Limited connectivity in remote border areas", "Conectividad limitada en zonas fronterizas remotas"),
    ("The hurricane season may postpone field activities", "La temporada de huracanes puede postergar las actividades de campo"),
)

PROGRESS = {
    "done": (
        ("{k} sessions held in {month} with {n} participants; final report delivered.", "Se realizaron {k} sesiones en {month} con {n} participantes; se entregó el informe final."),
        ("The document was approved by the working group in {month}.", "El documento fue aprobado por el grupo de trabajo en {month}."),
        ("Activity completed in {month}; results shared with the member countries.", "Actividad concluida en {month}; resultados compartidos con los países miembros."),
    ),
    "open": (
        ("Terms of reference drafted; {k} of {m} sessions held.", "Se elaboraron los términos de referencia; se realizaron {k} de {m} sesiones."),
        ("First draft shared with the member countries for comments in {month}.", "Primer borrador compartido con los países miembros para comentarios en {month}."),
        ("Coordination meetings held with {k} institutions; implementation under way.", "Se sostuvieron reuniones de coordinación con {k} instituciones; la implementación avanza."),
    ),
    "failed": (
        ("Postponed for lack of funding.", "Se pospuso por falta de financiamiento."),
        ("No progress: the responsible institution did not appoint a focal point.", "Sin avances: la institución responsable no designó un punto focal."),
        ("Suspended in {month} because of the emergency response.", "Suspendida en {month} por la atención de la emergencia."),
    ),
}

NEXT_STEPS = (
    ("Share the results at the next Vice-Ministerial Meeting.", "Compartir los resultados en la próxima Reunión Viceministerial."),
    ("Replicate the workshop in the border departments.", "Replicar el taller en los departamentos fronterizos."),
    ("Seek funding for a second phase.", "Gestionar financiamiento para una segunda fase."),
    ("Validate the guide with the member countries.", "Validar la guía con los países miembros."),
    ("Follow up on the cases referred.", "Dar seguimiento a los casos referidos."),
    ("Include the indicators in the annual report.", "Incluir los indicadores en el informe anual."),
)

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
}

STATUS_WEIGHTS = {"COMPLETED": 35, "IN_PROCESS": 50, "NOT_ACHIEVED": 15}
RESPONSIBLE_WEIGHTS = {"MC": 40, "FP": 15, "WG": 15, "ES": 10, "OBS": 8}


def _pick(rng: random.Random, pairs: Sequence[tuple[str, str]], lang: str) -> str:
    en, es = pairs[rng.randrange(len(pairs))]
    return es if lang == "es" else en


def _weighted(rng: random.Random, items: Sequence[Choice], weights: dict[str, int], default: int) -> Choice:
    return rng.choices(items, weights=[weights.get(c.code, default) for c in items])[0]


def _status_kind(plan: Plan, choice: Choice) -> str:
    if choice.done:
        return "done"
    if "NOT" in choice.code.upper():
        return "failed"
    return "open"


def synthetic_rows(plan: Plan, group_code: str, country_code: str, language: str,
                   rng: random.Random, n: int) -> list[dict]:
    """`n` plausible answers in `language` ("en" or "es") for one working group and country.

    Values are exactly what a careful focal point would type or pick: labels in the template's
    language, the theme always one of the chosen pillar's themes. Deterministic for a given rng.
    """
    lang = "es" if language == "es" else "en"
    country = plan.country(country_code)
    country_name = country.label(lang) if country else country_code
    fits = [(p, t) for p, t in ((plan.pillar(pc), tc) for pc, tc in GROUP_THEMES.get(group_code, ()))
            if p is not None and p.theme(t) is not None]
    all_themes = [(p, t.code) for p in plan.pillars for t in p.themes]
    topics = TOPICS.get(group_code) or tuple(x for v in TOPICS.values() for x in v)
    audiences = AUDIENCES.get(group_code) or tuple(x for v in AUDIENCES.values() for x in v)
    indicators = INDICATORS[""] + INDICATORS.get(group_code, ())
    measurers = MEASURED_BY[""] + MEASURED_BY.get(group_code, ())
    months = MONTHS[lang]
    rows = []
    for _ in range(n):
        pillar, tcode = rng.choice(fits) if fits and rng.random() < 0.85 else rng.choice(all_themes)
        theme = pillar.theme(tcode)
        form_en, form_es = ACTIVITY_FORMS[rng.randrange(len(ACTIVITY_FORMS))]
        form = form_es if lang == "es" else form_en
        activity = form.format(topic=_pick(rng, topics, lang), audience=_pick(rng, audiences, lang))
        if rng.random() < 0.5:
            activity += " " + _pick(rng, PLACES, lang).format(country=country_name)
        numbers = {"n": rng.randint(8, 400), "k": rng.randint(2, 12), "p": rng.randint(20, 100),
                   "m": rng.randint(6, 15), "month": months[rng.randrange(12)]}
        status = _weighted(rng, plan.statuses, STATUS_WEIGHTS, 20)
        row = {
            "pillar": pillar.label(lang),
            "theme": theme.label(lang),
            "activity": activity,
            "indicators": _pick(rng, indicators, lang).format(**numbers),
            "measured_by": _pick(rng, measurers, lang) if rng.random() < 0.95 else "",
            "responsible": _weighted(rng, plan.responsible_parties, RESPONSIBLE_WEIGHTS, 3).label(lang),
            "deadline": rng.choice(plan.deadlines).label(lang),
            "status": status.label(lang),
            "risks": _pick(rng, RISKS, lang) if rng.random() < 0.9 else "",
            "progress": _pick(rng, PROGRESS[_status_kind(plan, status)], lang).format(**numbers),
            "next_steps": _pick(rng, NEXT_STEPS, lang) if rng.random() < 0.9 else "",
        }
        rows.append(row)
    return rows


def prefilled_updates(plan: Plan, group_code: str, country_code: str, language: str,
                      rng: random.Random, prefilled_rows: Sequence[int]) -> list[dict]:
    """Updates a focal point types on the pre-filled (priority) rows: only the unlocked columns."""
    base = synthetic_rows(plan, group_code, country_code, language, rng, len(prefilled_rows))
    return [{"row": r, **{k: v for k, v in d.items() if k in PREFILL_UPDATABLE}}
            for r, d in zip(prefilled_rows, base)]
