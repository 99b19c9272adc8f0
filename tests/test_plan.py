"""The plan file: the shipped default (verbatim from the Strategic Plan) and broken plans."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import (
    PLAN_YAML,
    PRIORITY_ACTIVITIES_YAML,
    REPO,
    plan_text_with_priorities,
)

from rcm_workbooks.core.plan import (
    DEFAULT_PLAN,
    LANGUAGES,
    Label,
    PlanError,
    load_plan,
    parse_plan,
)

# A copy of the Strategic Plan 2019-2022 as text (the source of the default plan), kept with the
# tests so a clone checks the plan against it on its own.
SEED = REPO / "tests" / "data" / "rcm-strategic-plan-2019-2022.txt"


# --- the default plan ----------------------------------------------------------------------


def seed_pillars() -> list[tuple[str, list[str]]]:
    """Section 3.8 of the seed: the line of pillar names and the line that lists their topics."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    idx = [i for i, line in enumerate(lines) if "1) Generation and use of migration data" in line]
    assert len(idx) == 1, "the seed should list the topics of the pillars on one line"
    topics_line = lines[idx[0]]
    names_line = next(line for line in reversed(lines[: idx[0]]) if line.strip())
    names = [n.strip() for n in names_line.split("\t") if n.strip()]
    columns = [c for c in re.split(r"<ol[^>]*>", topics_line) if c.strip()]
    out = []
    for name, column in zip(names, columns, strict=True):
        items = [t.strip() for t in re.split(r"(?:^|\s)\d{1,2}\)\s", column) if t.strip()]
        out.append((name, items))
    return out


def test_seed_parser_sanity():
    pillars = seed_pillars()
    assert [len(t) for _, t in pillars] == [9, 11, 15]
    assert pillars[0][0] == "Migration governance"
    assert pillars[2][1][-1] == "Effective response systems to emergencies or migratory crises"


def test_default_plan_pillars_and_themes_verbatim_from_seed(plan):
    expected = seed_pillars()
    assert len(plan.pillars) == 3
    assert [len(p.themes) for p in plan.pillars] == [9, 11, 15]
    for pillar, (name, topics) in zip(plan.pillars, expected):
        assert pillar.label.en == name
        assert [t.label.en for t in pillar.themes] == topics
        # codes: P1..P3 / T1..Tn, unique within the pillar
        assert [t.code for t in pillar.themes] == [f"T{i}" for i in range(1, len(topics) + 1)]
        assert all(t.pillar == pillar.code for t in pillar.themes)
    assert [p.code for p in plan.pillars] == ["P1", "P2", "P3"]


def test_theme_is_identified_by_pillar_and_theme(plan):
    # P1/T9 and P3/T15 read almost alike: both exist and are distinct.
    t19 = plan.pillar("P1").theme("T9")
    t315 = plan.pillar("P3").theme("T15")
    assert t19 is not None and t315 is not None
    assert t19.label.en != t315.label.en
    assert plan.pillar("P1").theme("T15") is None


def test_default_plan_groups_countries_lists(plan):
    assert [g.code for g in plan.working_groups] == ["PROT", "IRMM", "LABR", "BORD"]
    assert [g.label.en for g in plan.working_groups] == [
        "Protection", "Irregular and mass migration", "Labor migration", "Border management"]
    assert all(g.priority_activities == () for g in plan.working_groups)

    codes = [c.code for c in plan.countries]
    assert len(codes) == 11 and len(set(codes)) == 11
    assert set(codes) == {"BLZ", "CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "USA"}
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    langs = {c.code: c.language for c in plan.countries}
    assert {c for c, lang in langs.items() if lang == "en"} == {"BLZ", "CAN", "USA"}
    assert all(lang in LANGUAGES for lang in langs.values())
    assert plan.country("GTM").label.es == "Guatemala"
    assert plan.country("MEX").label.es == "México"

    assert len(plan.statuses) == 3
    assert [s.label.en.lower() for s in plan.statuses] == [
        "completed", "in process of being implemented", "not achieved"]
    assert [s.done for s in plan.statuses] == [True, False, False]
    assert len(plan.deadlines) == 3
    assert [d.label.en for d in plan.deadlines] == ["1st year", "2nd year", "3rd year"]
    assert len(plan.responsible_parties) >= 5
    assert len({r.code for r in plan.responsible_parties}) == len(plan.responsible_parties)


def _all_labels(plan) -> list[tuple[str, Label]]:
    out = [("title", plan.title), ("organization", plan.organization), ("return_to", plan.return_to)]
    for p in plan.pillars:
        out.append((p.code, p.label))
        out += [(f"{p.code}/{t.code}", t.label) for t in p.themes]
    for items in (plan.working_groups, plan.countries, plan.responsible_parties, plan.statuses, plan.deadlines):
        out += [(i.code, i.label) for i in items]
    return out


def test_every_label_has_en_and_es(plan):
    labels = _all_labels(plan)
    assert len(labels) > 60
    for where, label in labels:
        assert label.en.strip(), where
        assert label.es.strip(), where
        assert label("es") == label.es and label("en") == label.en
    # Spanish labels really are Spanish for the translated lists (not copies of the English).
    for items in (plan.pillars, plan.working_groups, plan.statuses, plan.deadlines):
        assert all(i.label.en != i.label.es for i in items)


def test_codes_are_short_ascii(plan):
    for where, _ in _all_labels(plan)[3:]:
        for code in where.split("/"):
            assert re.fullmatch(r"[A-Z][A-Z0-9_]{0,15}", code), code


def test_workspace_plan_is_the_packaged_plan():
    assert PLAN_YAML.read_bytes() == DEFAULT_PLAN.read_bytes()


def test_load_plan_default_and_source(plan):
    assert plan.id == "RCM-SP-2019-2022"
    assert plan.version == "1"
    assert load_plan(PLAN_YAML) == plan


# --- broken plans --------------------------------------------------------------------------


BASE = PLAN_YAML.read_text(encoding="utf-8")


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) >= 1, f"fixture edit: {old!r} not in the plan"
    return text.replace(old, new, count)


def line_of(text: str, snippet: str, nth: int = 1) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), 1) if snippet in line]
    assert len(hits) >= nth, f"{snippet!r} not found {nth} times"
    return hits[nth - 1]


def problems_of(tmp_path: Path, text: str) -> tuple[str, list[str]]:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as info:
        load_plan(path)
    problems = info.value.problems
    assert problems, "PlanError without problems"
    assert str(info.value) == "\n".join(problems)
    return str(path), problems


def find_problem(problems: list[str], file: str, line: int | None, key: str | None) -> str:
    """The one problem naming this file, line and key path (the key exactly, not a longer path)."""
    def matches(p: str) -> bool:
        if file not in p:
            return False
        if line is not None and not re.search(rf"\bline {line}\b", p):
            return False
        if key is not None and not re.search(re.escape(key) + r"(?![\w.\[])", p):
            return False
        return True

    hits = [p for p in problems if matches(p)]
    assert len(hits) == 1, f"expected one problem at {file}, line {line}, key {key}; got:\n" + "\n".join(problems)
    return hits[0]


def test_duplicate_theme_code(tmp_path):
    text = edit(BASE, "{code: T3, label: {en: Addressing", "{code: T2, label: {en: Addressing")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    p = find_problem(problems, file, line_of(text, "Addressing extra-regional"), "pillars[0].themes[2].code")
    assert "T2" in p and "duplicate" in p.lower()


def test_duplicate_country_code(tmp_path):
    text = edit(BASE, "{code: CAN,", "{code: BLZ,")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    find_problem(problems, file, line_of(text, "en: Canada"), "countries[1].code")


def test_theme_without_label(tmp_path):
    text = edit(BASE, "- {code: T2, label: {en: Integrated border management, es: Gestión integral de fronteras}}",
                "- {code: T2}")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    # The label key is missing, so the right line is the theme's own line.
    find_problem(problems, file, line_of(text, "- {code: T2}"), "pillars[0].themes[1].label")


def test_pillar_label_missing_es(tmp_path):
    text = edit(BASE, "      es: Gobernanza migratoria\n", "")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    p = find_problem(problems, file, line_of(text, "en: Migration governance") - 1, "pillars[0].label")
    assert "'es'" in p


def test_theme_label_missing_es(tmp_path):
    text = edit(BASE, "{en: Return, es: Retorno}", "{en: Return}")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    p = find_problem(problems, file, line_of(text, "{en: Return}"), "pillars[0].themes[7].label")
    assert "'es'" in p


def test_unknown_language(tmp_path):
    text = edit(BASE, "{en: Return, es: Retorno}", "{en: Return, es: Retorno, fr: Retour}")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    p = find_problem(problems, file, line_of(text, "fr: Retour"), "pillars[0].themes[7].label.fr")
    assert "fr" in p


def test_unknown_country_language(tmp_path):
    text = edit(BASE, "{code: GTM, language: es,", "{code: GTM, language: pt,")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    find_problem(problems, file, line_of(text, "{code: GTM"), "countries[5].language")


@pytest.mark.parametrize("bad", ["BZ", "BLZE", "Blz", "B1Z"])
def test_country_code_not_alpha3(tmp_path, bad):
    text = edit(BASE, "{code: BLZ,", f"{{code: {bad},")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    p = find_problem(problems, file, line_of(text, "en: Belize"), "countries[0].code")
    assert bad in p


def _activity(pillar: str, theme: str, n: int) -> str:
    return (f"      - pillar: {pillar}\n"
            f"        theme: {theme}\n"
            f"        activity: {{en: Activity {n}, es: Actividad {n}}}\n")


def test_priority_activities_fixture_plan_loads(priority_plan_file):
    p = load_plan(priority_plan_file)
    acts = p.group("PROT").priority_activities
    assert [(a.pillar, a.theme) for a in acts] == [("P3", "T8"), ("P1", "T6")]
    assert acts[0].activity.es == "Protocolo regional para niñez migrante no acompañada"
    assert acts[0].expected_results.en == "Protocol adopted by the member countries"
    assert acts[1].expected_results == Label("", "")  # optional
    assert all(g.priority_activities == () for g in p.working_groups[1:])


def test_at_most_three_priority_activities(tmp_path):
    text = plan_text_with_priorities("".join(_activity("P1", f"T{i}", i) for i in range(1, 5)))
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    p = find_problem(problems, file, line_of(text, "    priority_activities:"), "working_groups[0].priority_activities")
    assert "4" in p and "3" in p


def test_three_priority_activities_are_fine():
    text = plan_text_with_priorities("".join(_activity("P1", f"T{i}", i) for i in range(1, 4)))
    assert len(parse_plan(text).group("PROT").priority_activities) == 3


def test_priority_activity_unknown_pillar(tmp_path):
    text = plan_text_with_priorities(_activity("P9", "T1", 1))
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    p = find_problem(problems, file, line_of(text, "pillar: P9"),
                     "working_groups[0].priority_activities[0].pillar")
    assert "P9" in p and "P1" in p  # names the valid pillars


def test_priority_activity_unknown_theme(tmp_path):
    text = plan_text_with_priorities(_activity("P1", "T15", 1))  # T15 exists only in P3
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    find_problem(problems, file, line_of(text, "theme: T15"), "working_groups[0].priority_activities[0].theme")


def test_invalid_yaml(tmp_path):
    text = edit(BASE, "id: RCM-SP-2019-2022", "id: RCM-SP: 2019-2022")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    find_problem(problems, file, line_of(text, "id: RCM-SP: 2019"), None)


def test_invalid_yaml_tab_indent(tmp_path):
    text = edit(BASE, "  - code: P2\n", "\t- code: P2\n")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    find_problem(problems, file, line_of(text, "\t- code: P2"), None)


def test_duplicate_key(tmp_path):
    text = edit(BASE, 'version: "1"\n', 'version: "1"\nversion: "2"\n')
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    p = find_problem(problems, file, line_of(text, 'version: "2"'), "version")
    assert "twice" in p or "duplicate" in p.lower()


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n"])
def test_empty_file(tmp_path, text):
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    assert file in problems[0]


def test_not_a_mapping(tmp_path):
    file, problems = problems_of(tmp_path, "- just\n- a list\n")
    assert len(problems) == 1 and file in problems[0]


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert str(path) in info.value.problems[0]


def test_all_problems_are_collected(tmp_path):
    text = edit(BASE, "{code: BLZ,", "{code: BZ,")
    text = edit(text, "{en: Return, es: Retorno}", "{en: Return}")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 2, problems
    find_problem(problems, file, line_of(text, "en: Belize"), "countries[0].code")
    find_problem(problems, file, line_of(text, "{en: Return}"), "pillars[0].themes[7].label")


def test_many_problems_are_collected(tmp_path):
    text = edit(BASE, "{code: BLZ,", "{code: BZ,")
    text = edit(text, "{code: CAN,", "{code: CRI,")              # duplicate of the next one
    text = edit(text, "{en: Return, es: Retorno}", "{en: Return, es: Retorno, pt: Retorno}")
    text = edit(text, "- {code: Y2, label: {en: 2nd year, es: Segundo año}}", "- {code: Y2, label: {en: 2nd year}}")
    file, problems = problems_of(tmp_path, text)
    assert len(problems) == 4, problems
    find_problem(problems, file, line_of(text, "en: Belize"), "countries[0].code")
    find_problem(problems, file, line_of(text, "en: Costa Rica"), "countries[2].code")
    find_problem(problems, file, line_of(text, "pt: Retorno"), "pillars[0].themes[7].label.pt")
    find_problem(problems, file, line_of(text, "en: 2nd year"), "deadlines[1].label")


def test_parse_plan_uses_given_name():
    with pytest.raises(PlanError) as info:
        parse_plan(edit(BASE, "{code: BLZ,", "{code: BZ,"), "somewhere/my-plan.yaml")
    assert info.value.problems[0].startswith("somewhere/my-plan.yaml")


def test_priority_fixture_text_is_based_on_default(priority_plan_text):
    assert priority_plan_text.startswith(BASE.split("working_groups:")[0])
    assert PRIORITY_ACTIVITIES_YAML in priority_plan_text
    assert REPO.joinpath("templates", "plan.yaml").is_file()


def test_an_alias_in_the_plan_is_refused_where_it_stands(tmp_path):
    """Aliases (*name) make every level of nesting multiply the walk (nine levels of nine: a plan
    check that never ends); the plan needs none, so the first one is named and refused."""
    from click.testing import CliRunner

    from rcm_workbooks.cli import cli
    from rcm_workbooks.core.plan import PlanError, parse_plan

    levels = ['a: &a ["x", "x", "x"]'] + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
                                           for i in range(8)]
    text = "\n".join(levels) + "\n"
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "bomb.yaml")
    assert caught.value.syntax == {"name": "bomb.yaml", "line": 1, "column": 4, "word": "plan.yaml_alias"}
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(cli, ["plan", "check", "--file", str(path)])
    assert res.exit_code == 2
    assert "bomb.yaml, line 1, column 4" in res.output and "YAML alias" in res.output
    from rcm_workbooks.core.texts import say

    assert "alias de YAML" in say("plan.yaml_alias", "es", **caught.value.syntax)
