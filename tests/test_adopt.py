"""`rcm plan adopt`: marked proposals become priority activities, with refs that never shift."""
from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest
from test_activities import YEAR, proposals_round, pws  # noqa: F401  (pws: a fixture)

from rcm_workbooks.core.plan import Label, PriorityActivity, load_plan
from rcm_workbooks.core.plan_yaml import dump_plan
from rcm_workbooks.intake.adoptbook import read_book
from rcm_workbooks.planbook.adopt import adopt
from rcm_workbooks.planbook.sheets import PlanWorkbookError, Rule
from rcm_workbooks.round import consolidate

NOW = dt.datetime(2026, 3, 1, 9, 0)


@pytest.fixture
def book(pws):  # noqa: F811
    proposals_round(pws)
    consolidate(pws, pws.load_plan(), period=YEAR)
    return pws.period_dir(YEAR) / f"activities_{YEAR}.xlsx"


def mark(path, *picks, **texts):
    """Mark x on the rows `picks` chooses (a function of the row's values), typing `texts` (key ->
    text) into the empty half of a text; return the rows marked."""
    found = read_book(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[found.sheet]
    marked = []
    for pick in picks:
        row = next(r for r in found.rows if pick(r.values) and r not in marked)
        ws.cell(row.number, found.columns["adopt"] + 1).value = "x"
        for key, text in texts.items():  # the missing half of a text given in one language
            other = key[:-2] + ("es" if key.endswith("en") else "en")
            if not row.values[key] and row.values[other]:
                ws.cell(row.number, found.columns[key] + 1).value = text
        marked.append(row)
    wb.save(path)
    return marked


def cluster(n):
    return lambda v: v["activity_no"] == f"PROT-{n}" and v["decision"] != "drop"


TRANSLATED = {"activity_en": "Regional workshop on consular protection", "activity_es": "Taller regional",
              "results_en": "Consular staff trained", "results_es": "Personal consular capacitado",
              "indicators_en": "Officials trained", "indicators_es": "Funcionarios capacitados"}


def test_three_adopted_proposals_become_the_groups_priority_activities(pws, book):  # noqa: F811
    before = pws.load_plan()
    mark(book, cluster(1), cluster(2), cluster(3), **TRANSLATED)
    done = adopt(pws.plan_path, book, now=NOW)
    assert done.changed and done.plan.version == "2" and done.backup.name == "plan_v1_2026-03-01.yaml"
    assert load_plan(pws.plan_path) == done.plan
    acts = done.plan.group("PROT").priority_activities
    # P2 (kept by all four) and P1 keep their refs; the new activity gets P3, a ref PROT never had.
    assert [a.ref for a in acts] == ["P2", "P1", "P3"]
    assert acts[0] == before.group("PROT").priority_activities[1]  # kept as it was
    assert acts[2].activity == Label("Regional workshop on consular protection", "Taller regional")
    assert acts[2].expected_results == Label("Consular staff trained", "Personal consular capacitado")
    assert (acts[2].pillar, acts[2].theme) == ("P3", "T2")
    assert [g.priority_activities for g in done.plan.working_groups[1:]] == [(), (), ()]  # not marked: unchanged
    again = adopt(pws.plan_path, book, now=NOW)
    assert not again.changed and load_plan(pws.plan_path) == done.plan
    # The follow-up templates carry each activity under its own ref, whatever its place.
    from conftest import read_meta
    from rcm_workbooks.template.generate import generate

    (made,) = generate(pws, done.plan, "2026-H1", groups=["PROT"], countries=["MEX"])
    meta = read_meta(made.path)
    assert [meta[f"ref.{r}"] for r in meta["prefilled_rows"].split(",")] == ["MEX-PROT-P2", "MEX-PROT-P1",
                                                                            "MEX-PROT-P3"]


def test_a_new_activity_never_takes_a_ref_the_group_had(pws, book):  # noqa: F811
    mark(book, cluster(3), **TRANSLATED)
    done = adopt(pws.plan_path, book, in_use={("activity", "PROT/P7"), ("activity", "IRMM/P9")})
    (act,) = done.plan.group("PROT").priority_activities
    assert act.ref == "P8"  # after P1, P2 of the plan and P7 of a workbook or the registry


def test_more_than_three_are_refused_with_the_list(pws, book):  # noqa: F811
    before = pws.plan_path.read_bytes()
    rows = mark(book, cluster(1), cluster(2), cluster(3), cluster(4), **TRANSLATED)
    with pytest.raises(PlanWorkbookError) as info:
        adopt(pws.plan_path, book)
    # PROT-3 (English) and PROT-4 (Spanish) become one activity once their translations are typed.
    alike, p = info.value.problems
    assert alike.rule is Rule.ADOPTED_ALIKE and alike.cell == f"C{rows[3].number}"
    assert (alike.params["first"], alike.params["at"]) == (rows[2].number, rows[3].number)
    assert p.rule is Rule.TOO_MANY_ADOPTED and p.params["count"] == 4
    assert p.params["rows"] == ", ".join(str(r.number) for r in rows)
    assert "PROT" in p.message("en") and "como máximo 3" in p.message("es")
    assert pws.plan_path.read_bytes() == before and not (pws.plan_path.parent / "backups").exists()


def test_every_problem_of_the_marks_at_once(pws, book):  # noqa: F811
    found = read_book(book)
    wb = openpyxl.load_workbook(book)
    ws = wb[found.sheet]
    col = {k: c + 1 for k, c in found.columns.items()}
    drop = next(r for r in found.rows if r.values["decision"] == "drop")
    spanish = next(r for r in found.rows if r.values["country"] == "Guatemala" and r.values["decision"] == "new")
    twins = [r for r in found.rows if r.values["activity_no"] == spanish.values["activity_no"]]
    ws.cell(drop.number, col["adopt"]).value = "x"
    ws.cell(spanish.number, col["adopt"]).value = "sí"
    other = next(r for r in found.rows if r.values["decision"] == "new" and r.values["country"] == "Belize")
    ws.cell(other.number, col["adopt"]).value = "x"
    ws.cell(other.number, col["theme"]).value = "Not a theme"
    wb.save(book)
    with pytest.raises(PlanWorkbookError) as info:
        adopt(pws.plan_path, book)
    got = {(p.rule, p.cell) for p in info.value.problems}
    letter = {k: chr(ord("A") + c) for k, c in found.columns.items()}
    assert got == {(Rule.DROPPED_ADOPTED, f"{letter['decision']}{drop.number}"),
                   (Rule.TRANSLATION_MISSING, f"{letter['activity_en']}{spanish.number}"),
                   (Rule.VALUE_UNKNOWN, f"{letter['theme']}{other.number}"),
                   (Rule.TRANSLATION_MISSING, f"{letter['results_es']}{other.number}"),
                   (Rule.TRANSLATION_MISSING, f"{letter['indicators_es']}{other.number}"),
                   (Rule.TRANSLATION_MISSING, f"{letter['activity_es']}{other.number}")}, \
        [p.render() for p in info.value.problems]
    assert len(twins) == 1
    missing = next(p for p in info.value.problems if p.rule is Rule.TRANSLATION_MISSING)
    assert "English" in missing.message("en") and "inglés" in missing.message("es")


def test_the_same_activity_twice_and_files_that_are_no_such_workbook(pws, book, tmp_path):  # noqa: F811
    mark(book, cluster(3), cluster(3), **TRANSLATED)
    with pytest.raises(PlanWorkbookError) as info:
        adopt(pws.plan_path, book)
    assert [p.rule for p in info.value.problems] == [Rule.ADOPTED_TWICE]
    for source, rule in ((b"%PDF-1.4\n", Rule.FILE_UNREADABLE), (tmp_path / "none.xlsx", Rule.FILE_UNREADABLE)):
        with pytest.raises(PlanWorkbookError) as info:
            adopt(pws.plan_path, source)
        assert [p.rule for p in info.value.problems] == [rule]
    from rcm_workbooks.planbook.write import export_plan

    with pytest.raises(PlanWorkbookError) as info:
        adopt(pws.plan_path, export_plan(pws.load_plan()))
    assert [p.rule for p in info.value.problems] == [Rule.NOT_ACTIVITIES]
    other = dataclasses.replace(pws.load_plan(), id="OTHER-PLAN")
    pws.plan_path.write_text(dump_plan(other), encoding="utf-8")
    with pytest.raises(PlanWorkbookError) as info:
        adopt(pws.plan_path, book)
    assert [(p.rule, p.params["found"]) for p in info.value.problems] == [(Rule.OTHER_PLAN, "RCM-SP-2019-2022")]


def test_nothing_marked(pws, book):  # noqa: F811
    with pytest.raises(PlanWorkbookError) as info:
        adopt(pws.plan_path, book)
    (p,) = info.value.problems
    assert p.rule is Rule.NOTHING_MARKED and "'Adopt (x)'" in p.message("en")


def test_refs_travel_with_their_activities_through_the_plan_workbook(tmp_path):
    from rcm_workbooks.planbook.sheets import ACTIVITIES
    from rcm_workbooks.planbook.write import export_plan, import_plan_workbook
    from test_activities import priority_plan

    plan = priority_plan()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(export_plan(plan))
    wb = openpyxl.load_workbook(path)
    ws = wb[ACTIVITIES.name]
    heads = [c.value for c in ws[2]]
    ref_col = heads.index("Ref.") + 1
    assert [ws.cell(r, ref_col).value for r in (3, 4)] == ["P1", "P2"] and ws.cell(3, ref_col).protection.locked
    first, second = [[c.value for c in ws[r]] for r in (3, 4)]
    for c, v in enumerate(second, 1):  # the two rows swapped, as a person moves them
        ws.cell(3, c).value = v
    for c, v in enumerate(first, 1):
        ws.cell(4, c).value = v
    for c, v in enumerate(["PROT", "P2", "T1", "New", "Nueva"], 1):  # a new activity, no ref
        ws.cell(5, c).value = v
    wb.save(path)
    back = import_plan_workbook(path, plan, in_use={("activity", "PROT/P4")})
    assert not isinstance(back, list), [p.render() for p in back]
    acts = back.group("PROT").priority_activities
    assert [(a.ref, a.activity.en[:10]) for a in acts] == [("P2", "Joint trai"), ("P1", "Regional p"), ("P5", "New")]
    ws.cell(5, ref_col).value = "P1"  # a ref typed twice
    wb.save(path)
    problems = import_plan_workbook(path, plan)
    assert [(p.rule, p.cell) for p in problems] == [(Rule.REF_DUPLICATE, f"{chr(64 + ref_col)}5")]


def test_priority_activities_hold_lines_refs_and_codes_in_yaml():
    from rcm_workbooks.core.plan import parse_plan
    from test_activities import priority_plan

    plan = priority_plan()
    act = PriorityActivity("P3", "T8", Label("A", "B"), Label("One\nTwo", "Uno\nDos"), Label("", ""), "P7", "MC", "Y2")
    richer = dataclasses.replace(plan, working_groups=tuple(
        dataclasses.replace(g, priority_activities=(act,)) if g.code == "IRMM" else g for g in plan.working_groups))
    text = dump_plan(richer)
    assert "      - ref: P7\n" in text and 'expected_results: {en: "One\\nTwo", es: "Uno\\nDos"}' in text
    assert parse_plan(text) == richer
    with pytest.raises(Exception) as info:
        parse_plan(text.replace("responsible: MC", "responsible: NOPE"))
    assert "unknown responsible 'NOPE'" in str(info.value)


def test_several_results_one_per_line_survive_the_plan_workbook(tmp_path):
    from rcm_workbooks.planbook.write import export_plan, import_plan_workbook
    from test_activities import priority_plan

    plan = priority_plan()
    act = dataclasses.replace(plan.group("PROT").priority_activities[0],
                              expected_results=Label("One\nTwo", "Uno\nDos"), responsible="MC", deadline="Y2")
    plan = dataclasses.replace(plan, working_groups=tuple(
        dataclasses.replace(g, priority_activities=(act,)) if g.code == "PROT" else g for g in plan.working_groups))
    back = import_plan_workbook(export_plan(plan), plan)
    assert back == plan and back.group("PROT").priority_activities[0].expected_results.es == "Uno\nDos"


def test_one_activity_proposed_in_each_language_is_adopted_once(pws, book):  # noqa: F811
    """Proposals in Spanish and in English of one activity have two activity numbers until both
    languages are filled; adopting both would put the activity twice in the plan."""
    before = pws.plan_path.read_bytes()
    english, spanish = mark(book, cluster(3), cluster(4), **TRANSLATED)
    with pytest.raises(PlanWorkbookError) as info:
        adopt(pws.plan_path, book)
    (p,) = info.value.problems
    assert p.rule is Rule.ADOPTED_ALIKE and p.cell == f"C{spanish.number}"
    assert f"{english.number} (PROT-3)" in p.message("en") and f"{spanish.number} (PROT-4)" in p.message("en")
    assert "misma actividad" in p.message("es")
    assert pws.plan_path.read_bytes() == before


def test_adopting_the_same_marks_again_changes_nothing(pws, book):  # noqa: F811
    mark(book, cluster(1), cluster(3), **TRANSLATED)
    first = adopt(pws.plan_path, book, now=NOW)
    written = pws.plan_path.read_bytes()
    again = adopt(pws.plan_path, book, now=NOW)
    assert first.changed and not again.changed and again.groups == first.groups
    assert pws.plan_path.read_bytes() == written


def test_a_plan_that_would_not_load_is_a_problem_and_never_written(pws, book, monkeypatch):  # noqa: F811
    from rcm_workbooks.planbook import adopt as adopting

    mark(book, cluster(1), cluster(3), **TRANSLATED)
    before = pws.plan_path.read_bytes()
    made = adopting.with_refs

    def same_ref(plan, groups, taken):  # two activities under one ref: the plan would not load
        new = made(plan, groups, taken)
        acts = new.group("PROT").priority_activities
        twin = tuple(dataclasses.replace(a, ref=acts[0].ref) for a in acts)
        return dataclasses.replace(new, working_groups=tuple(dataclasses.replace(g, priority_activities=twin)
                                                             if g.code == "PROT" else g for g in new.working_groups))

    monkeypatch.setattr(adopting, "with_refs", same_ref)
    with pytest.raises(PlanWorkbookError) as info:
        adopt(pws.plan_path, book)
    (p,) = info.value.problems
    assert p.rule is Rule.PLAN_INVALID and "P" in p.params["detail"]
    assert pws.plan_path.read_bytes() == before


def test_an_activity_the_plan_holds_twice_gives_its_refs_once(pws):  # noqa: F811
    from rcm_workbooks.planbook.adopt import with_refs

    plan = pws.load_plan()
    act = PriorityActivity("P3", "T2", Label("Workshop", "Taller"), Label("", ""), Label("", ""), "")
    twice = dataclasses.replace(plan, working_groups=tuple(
        dataclasses.replace(g, priority_activities=(dataclasses.replace(act, ref="P2"), dataclasses.replace(act, ref="P3")))
        if g.code == "PROT" else g for g in plan.working_groups))
    new = with_refs(twice, {"PROT": [(None, act), (None, act)]}, set())
    assert [a.ref for a in new.group("PROT").priority_activities] == ["P3", "P4"]
