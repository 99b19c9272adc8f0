"""The generated templates, read back with openpyxl (DESIGN sections 5 and 9)."""
from __future__ import annotations

import math
import re
import zipfile

import openpyxl
import pytest
from conftest import DUE, PERIOD, PRIORITY_ACTIVITIES_YAML, load_workbook, plan_text_with_priorities, read_meta
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.protection import hash_password

from rcm_workbooks.core.fields import CODED, DEFAULT_ROWS, FIELDS, REQUIRED
from rcm_workbooks.core.texts import CHECK, ERROR_ALERT, HEADERS, HELP, UI
from rcm_workbooks.template.build import (
    MAX_ROWS,
    TemplateError,
    TemplateSpec,
    build,
    file_name,
    row_digest,
)
from rcm_workbooks.template.generate import TemplatesExist, generate

META_KEYS = (
    ["schema", "plan_id", "plan_version", "period", "working_group", "country", "language", "due_date",
     "matrix_sheet", "header_row", "first_row", "last_row"]
    + [f"col.{f}" for f in ("pillar", "theme", "activity", "indicators", "measured_by", "responsible",
                            "deadline", "status", "risks", "progress", "next_steps", "ref")]
    + ["template_id", "fingerprint"]
)
LIST_NAMES = {"pillar": "Pillars", "responsible": "Responsible", "deadline": "Deadlines", "status": "Statuses"}
# English workbooks for BLZ/CAN/USA, Spanish for the others.
SAMPLES = [("GTM", "PROT"), ("CAN", "BORD"), ("MEX", "IRMM"), ("USA", "LABR")]
THEME_FORMULA = re.compile(
    r'^=?INDIRECT\("(?P<prefix>[^"]+)"&MATCH\(\$(?P<col>[A-Z]+)\$?(?P<row>\d+),(?P<range>[A-Za-z_]\w*),0\)\)$')


# --- helpers -------------------------------------------------------------------------------


def span(col: str, first: int, last: int) -> str:
    """A1 range of one column's rows (a single cell is written without ':')."""
    return f"{col}{first}" if first == last else f"{col}{first}:{col}{last}"


def ints(meta, *keys):
    return [int(meta[k]) for k in keys]


def matrix_of(wb, meta):
    return wb[meta["matrix_sheet"]]


def validations(ws) -> dict[str, object]:
    """Data validations of a sheet by column letter (each must cover one column)."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        ranges = str(dv.sqref).split()
        assert len(ranges) == 1, f"validation over several ranges: {dv.sqref}"
        col = re.match(r"^([A-Z]+)", ranges[0]).group(1)
        assert col not in out, f"two validations in column {col}"
        out[col] = dv
    return out


def resolve_name(wb, name: str) -> list:
    """Values of the cells a workbook-level defined name points at."""
    dn = wb.defined_names[name]
    dests = list(dn.destinations)
    assert len(dests) == 1, f"{name} -> {dn.attr_text}"
    sheet, ref = dests[0]
    cells = wb[sheet][ref.replace("$", "")]
    if not isinstance(cells, tuple):
        cells = ((cells,),)
    return [c.value for row in cells for c in row]


def visible_texts(wb) -> list[str]:
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    out.append(c.value)
    return out


@pytest.fixture(params=SAMPLES, ids=lambda s: f"{s[0]}-{s[1]}")
def sample(request, generated):
    country, group = request.param
    path = generated.path(country, group)
    lang = generated.plan.country(country).language
    return path, country, group, lang


# --- the round -----------------------------------------------------------------------------


def test_round_writes_44_files(generated):
    assert len(generated.made) == 44
    paths = {g.path for g in generated.made}
    assert len(paths) == 44
    pairs = {(g.country, g.working_group) for g in generated.made}
    assert pairs == {(c.code, w.code) for c in generated.plan.countries for w in generated.plan.working_groups}
    for g in generated.made:
        assert g.path.is_file()
        assert g.path.parent == generated.workspace.templates_dir(PERIOD) / g.country
        assert g.path.name == file_name(PERIOD, g.working_group, g.country)
        assert g.path.name == f"RCM_{PERIOD}_{g.country}_{g.working_group}.xlsx"
        assert zipfile.is_zipfile(g.path)
    # nothing else (no temporary files left behind)
    on_disk = {p for p in generated.workspace.templates_dir(PERIOD).rglob("*") if p.is_file()}
    assert on_disk == paths


def test_meta_of_every_file_agrees_with_file(generated):
    ids = set()
    for g in generated.made:
        meta = read_meta(g.path)
        missing = [k for k in META_KEYS if k not in meta]
        assert not missing, f"{g.path.name}: missing _meta keys {missing}"
        country = generated.plan.country(g.country)
        assert meta["schema"] == "rcm-workbooks/1"
        assert meta["plan_id"] == generated.plan.id
        assert meta["plan_version"] == generated.plan.version
        assert meta["period"] == PERIOD
        assert meta["working_group"] == g.working_group
        assert meta["country"] == g.country
        assert meta["language"] == country.language == g.language
        assert meta["due_date"] == DUE.isoformat()
        assert meta["matrix_sheet"] == UI[country.language]["matrix_sheet"]
        header_row, first_row, last_row = ints(meta, "header_row", "first_row", "last_row")
        assert first_row == header_row + 1
        assert last_row - first_row + 1 == DEFAULT_ROWS == 100  # default --rows, no priority activities
        assert re.fullmatch(r"[0-9a-f]{64}", meta["fingerprint"])
        assert meta["template_id"]
        ids.add(meta["template_id"])
        assert g.meta == meta  # what generate() returned is what the file holds
    assert len(ids) == 44, "template_id must be unique per workbook"


def test_fingerprint_differs_between_workbooks(generated):
    prints = {read_meta(g.path)["fingerprint"] for g in generated.made}
    assert len(prints) == 44


# --- one workbook at a time ----------------------------------------------------------------


def test_sheets_and_states(sample):
    path, country, group, lang = sample
    wb = load_workbook(path)
    ui = UI[lang]
    assert wb.sheetnames == [ui["instructions_sheet"], ui["matrix_sheet"], "_lists", "_meta"]
    states = [ws.sheet_state for ws in wb.worksheets]
    assert states == ["visible", "visible", "veryHidden", "veryHidden"]


def test_workbook_structure_locked(sample):
    path = sample[0]
    wb = load_workbook(path)
    assert wb.security is not None and wb.security.lockStructure
    xml = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    assert xml.count("<workbookProtection") == 1
    # schema order: workbookPr, workbookProtection, bookViews
    assert xml.index("<workbookPr") < xml.index("<workbookProtection") < xml.index("<bookViews")


def test_sheets_protected(sample, generated):
    path, country, group, lang = sample
    wb = load_workbook(path)
    meta = read_meta(path)
    pw = hash_password(generated.plan.protection_password)
    for name in (UI[lang]["instructions_sheet"], meta["matrix_sheet"], "_meta"):
        ws = wb[name]
        assert ws.protection.sheet is True, name
        assert ws.protection.password == pw, name


def test_meta_describes_file(sample, generated):
    path, country, group, lang = sample
    meta = read_meta(path)
    assert (meta["country"], meta["working_group"], meta["language"]) == (country, group, lang)
    assert meta["period"] == PERIOD and meta["due_date"] == "2025-06-30"
    wb = load_workbook(path)
    assert meta["matrix_sheet"] == wb.sheetnames[1]
    assert meta["prefilled_rows"] == ""
    assert not [k for k in meta if k.startswith("locked.")]


def test_meta_columns_point_at_headers(sample):
    path, country, group, lang = sample
    meta = read_meta(path)
    ws = matrix_of(load_workbook(path), meta)
    header_row = int(meta["header_row"])
    letters = [meta[f"col.{f}"] for f in FIELDS]
    assert len(set(letters)) == len(FIELDS)
    for f in FIELDS:
        assert ws[f"{meta[f'col.{f}']}{header_row}"].value == HEADERS[lang][f], f
    # the input columns are B..L and ref is A (as the protection test below relies on)
    assert meta["col.ref"] == "A"
    assert sorted(letters[1:]) == [get_column_letter(i) for i in range(2, 13)]
    # right of the last column only the workbook's own check, then nothing
    assert meta["col.check"] == "M" and ws.cell(header_row, 13).value == {"en": "Check", "es": "Revisión"}[lang]
    assert ws.cell(header_row, 14).value is None


def test_input_cells_unlocked_rest_locked(sample):
    path, country, group, lang = sample
    meta = read_meta(path)
    ws = matrix_of(load_workbook(path), meta)
    header_row, first, last = ints(meta, "header_row", "first_row", "last_row")
    for r in range(first, last + 1):
        assert ws.cell(r, 1).protection.locked is True, f"A{r}"
        for c in range(2, 13):
            assert ws.cell(r, c).protection.locked is False, f"{get_column_letter(c)}{r}"
    locked_sample = ["A1", "B1", "B2", "C2", "C3", "K3", "A4", f"A{header_row}", f"B{header_row}",
                     f"L{header_row}", f"M{first}", f"M{last}", f"N{first + 3}", f"A{last + 1}",
                     f"B{last + 1}", f"L{last + 1}", "Z100"]
    for a1 in locked_sample:
        assert ws[a1].protection.locked is True, a1
    for name in meta:
        if name.startswith("title."):
            assert ws[meta[name]].protection.locked is True, name


def test_instructions_sheet_fully_locked(sample):
    path, country, group, lang = sample
    ws = load_workbook(path)[UI[lang]["instructions_sheet"]]
    for row in ws.iter_rows():
        for c in row:
            assert c.protection.locked is True, c.coordinate


def test_list_validations(sample, generated):
    path, country, group, lang = sample
    meta = read_meta(path)
    wb = load_workbook(path)
    ws = matrix_of(wb, meta)
    first, last = ints(meta, "first_row", "last_row")
    dvs = validations(ws)
    alert_title, alert_msg = ERROR_ALERT[lang]
    for f, name in LIST_NAMES.items():
        col = meta[f"col.{f}"]
        dv = dvs[col]
        assert dv.type == "list", f
        assert dv.formula1 in (name, f"={name}"), f"{f}: {dv.formula1} (point at a defined name)"
        assert str(dv.sqref) == f"{col}{first}:{col}{last}", f
        assert dv.errorStyle in (None, "stop"), f  # None is the XML default, 'stop'
        assert dv.showErrorMessage is True, f
        assert (dv.errorTitle, dv.error) == (alert_title, alert_msg), f
        assert dv.showInputMessage is True, f
        assert (dv.promptTitle, dv.prompt) == HELP[lang][f], f
        assert dv.showDropDown in (None, False), f  # True would *hide* the in-cell arrow
    # the lists hold the plan's labels in the template's language
    p = generated.plan
    assert resolve_name(wb, "Pillars") == [x.label(lang) for x in p.pillars]
    assert resolve_name(wb, "Responsible") == [x.label(lang) for x in p.responsible_parties]
    assert resolve_name(wb, "Deadlines") == [x.label(lang) for x in p.deadlines]
    assert resolve_name(wb, "Statuses") == [x.label(lang) for x in p.statuses]
    for name in ("Pillars", "Responsible", "Deadlines", "Statuses"):
        sheet, _ = next(wb.defined_names[name].destinations)
        assert sheet == "_lists"


def test_every_column_has_an_input_message(sample):
    path, country, group, lang = sample
    meta = read_meta(path)
    ws = matrix_of(load_workbook(path), meta)
    first, last = ints(meta, "first_row", "last_row")
    dvs = validations(ws)
    for f in FIELDS:
        col = meta[f"col.{f}"]
        dv = dvs[col]
        assert str(dv.sqref) == f"{col}{first}:{col}{last}"
        assert (dv.promptTitle, dv.prompt) == HELP[lang][f]
        assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255
        if f not in CODED:
            assert dv.type in (None, "none"), f


def theme_lists(wb, meta) -> dict[str, list]:
    """Evaluate the theme dropdown's INDIRECT/MATCH formula for every entry of the pillar list."""
    ws = matrix_of(wb, meta)
    first, last = ints(meta, "first_row", "last_row")
    dv = validations(ws)[meta["col.theme"]]
    assert dv.type == "list"
    assert str(dv.sqref) == f"{meta['col.theme']}{first}:{meta['col.theme']}{last}"
    assert dv.errorStyle in (None, "stop") and dv.showErrorMessage is True
    m = THEME_FORMULA.match(dv.formula1)
    assert m, dv.formula1
    assert m["col"] == meta["col.pillar"] and int(m["row"]) == first  # relative to the top input row
    assert m["range"] == "Pillars"
    pillars = resolve_name(wb, m["range"])
    out = {}
    for label in pillars:
        position = pillars.index(label) + 1  # MATCH(..., 0) is 1-based, first exact match
        name = f"{m['prefix']}{position}"
        assert name in wb.defined_names, name
        out[label] = resolve_name(wb, name)
    return out


@pytest.mark.parametrize("country,group", [("CAN", "PROT"), ("GTM", "PROT"), ("BLZ", "LABR"), ("HND", "BORD")])
def test_dependent_theme_dropdown(generated, country, group):
    path = generated.path(country, group)
    meta = read_meta(path)
    lang = meta["language"]
    assert lang == generated.plan.country(country).language
    lists = theme_lists(load_workbook(path), meta)
    expected = {p.label(lang): [t.label(lang) for t in p.themes] for p in generated.plan.pillars}
    assert lists == expected
    assert [len(v) for v in lists.values()] == [9, 11, 15]


def test_both_languages_covered_by_theme_test(generated):
    assert generated.plan.country("CAN").language == "en"
    assert generated.plan.country("GTM").language == "es"


def test_freeze_and_print(sample):
    path, country, group, lang = sample
    meta = read_meta(path)
    wb = load_workbook(path)
    ws = matrix_of(wb, meta)
    header_row, last = ints(meta, "header_row", "last_row")
    m = re.fullmatch(r"([A-Z]+)(\d+)", ws.freeze_panes or "")
    assert m, ws.freeze_panes
    assert int(m.group(2)) == header_row + 1  # everything down to the header row stays in view
    assert column_index_from_string(m.group(1)) <= 2
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1, "1")  # None: the default, 1 page wide
    assert ws.page_setup.fitToHeight in (0, "0")
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    area = ws.print_area if isinstance(ws.print_area, str) else ",".join(ws.print_area)
    assert area.endswith(f"$A$1:$M${last}"), area  # the check column is printed too
    instr = wb[UI[lang]["instructions_sheet"]]
    assert instr.page_setup.orientation == "landscape"


def test_title_block(sample, generated):
    path, country, group, lang = sample
    meta = read_meta(path)
    ws = matrix_of(load_workbook(path), meta)
    p = generated.plan
    expected = {
        "plan": p.title(lang),
        "working_group": p.group(group).label(lang),
        "country": p.country(country).label(lang),
        # periods and dates in words, for people; the codes stay in `_meta` and the file name
        "period": {"en": "first half of 2025", "es": "primer semestre de 2025"}[lang],
        "due_date": {"en": "30 June 2025", "es": "30 de junio de 2025"}[lang],
    }
    assert (meta["period"], meta["due_date"]) == (PERIOD, "2025-06-30")
    assert {k[len("title."):] for k in meta if k.startswith("title.")} == set(expected)
    header_row = int(meta["header_row"])
    for key, value in expected.items():
        cell = ws[meta[f"title.{key}"]]
        assert cell.value == value, key
        assert cell.row < header_row, key
        # its caption, in the template's language, sits just left of it
        caption = ws.cell(cell.row, cell.column - 1).value
        assert caption and caption.rstrip(": ") == UI[lang][key], key
    assert str(ws["A1"].value).startswith(p.title(lang))


def test_no_due_date(workspace, plan):
    made = generate(workspace, plan, PERIOD, groups=["PROT"], countries=["GTM", "CAN"])
    for g in made:
        meta = read_meta(g.path)
        assert meta["due_date"] == ""
        ws = matrix_of(openpyxl.load_workbook(g.path), meta)
        assert ws[meta["title.due_date"]].value == UI[g.language]["no_due_date"]


def test_instructions(sample, generated):
    path, country, group, lang = sample
    wb = load_workbook(path)
    ws = wb[UI[lang]["instructions_sheet"]]
    ui, p = UI[lang], generated.plan
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert ws["A1"].value == ui["instructions_title"]
    return_to = p.return_to(lang) or p.organization(lang)
    due = {"en": "30 June 2025", "es": "30 de junio de 2025"}[lang]
    first, last = ints(read_meta(path), "first_row", "last_row")
    for step in ui["steps"]:
        assert step.format(matrix=ui["matrix_sheet"], due=due, return_to=return_to, check="M",
                           check_header=CHECK[lang]["header"], ready=CHECK[lang]["ready"], first=first,
                           last=last) in texts
    period = {"en": "first half of 2025", "es": "primer semestre de 2025"}[lang]
    for value in (p.title(lang), p.group(group).label(lang), p.country(country).label(lang), period, due):
        assert value in texts
    assert not any(PERIOD in str(t) or "2025-06-30" in str(t) for t in texts)  # no code for people
    # the column table: letter, heading, help, required
    rows = {r[0]: r[1:4] for r in ws.iter_rows(values_only=True) if r[0] in set("ABCDEFGHIJKL") and r[1]}
    assert len(rows) == len(FIELDS)
    for f in FIELDS:
        heading, help_text, required = rows[read_meta(path)[f"col.{f}"]]
        assert heading == HEADERS[lang][f]
        assert help_text.startswith(HELP[lang][f][1])
        assert required == (ui["yes"] if f in REQUIRED else ui["no"])


def test_spanish_workbook_is_wholly_spanish(generated):
    path = generated.path("GTM", "PROT")
    wb = load_workbook(path)
    meta = read_meta(path)
    es, en = UI["es"], UI["en"]
    assert wb.sheetnames[:2] == [es["instructions_sheet"], es["matrix_sheet"]]
    ws = matrix_of(wb, meta)
    header_row = int(meta["header_row"])
    assert [ws.cell(header_row, c).value for c in range(1, 13)] == [HEADERS["es"][f] for f in FIELDS]
    texts = visible_texts(wb)
    english_headers = [h for f, h in HEADERS["en"].items() if h != HEADERS["es"][f]]
    english_ui = [v for k, v in en.items() if isinstance(v, str) and v != es[k]]
    english_labels = [x.label.en for x in (*generated.plan.pillars, *generated.plan.statuses,
                                           *generated.plan.deadlines, *generated.plan.working_groups)]
    for t in texts:
        for h in english_headers:
            assert h not in t, f"English header {h!r} in {t!r}"
        assert t.rstrip(":") not in english_ui, t
        assert t not in english_labels, t
    for dv in ws.data_validations.dataValidation:
        assert (dv.promptTitle, dv.prompt) in [*HELP["es"].values(), CHECK["es"]["help"]]
        if dv.type == "list":
            assert (dv.errorTitle, dv.error) == ERROR_ALERT["es"]
    assert resolve_name(wb, "Statuses") == ["Cumplido", "En proceso de implementación", "No alcanzado"]
    assert ws[meta["title.working_group"]].value == "Protección"
    # the check's words are in the formulas: Spanish ones only
    english_check = [max(re.split(r"\{\w+\}", v), key=len) for k, v in CHECK["en"].items()
                     if isinstance(v, str) and v != CHECK["es"][k]]
    assert ws[f"{meta['col.check']}{meta['first_row']}"].value == "=_CK_check"
    formulas = wb.defined_names["_CK_check"].attr_text + ws[meta["check_cell"]].value
    assert "Falta: " in formulas and "Listo para enviar" in formulas
    assert not [w for w in english_check if w in formulas]
    assert "Gobernanza migratoria" in resolve_name(wb, "Pillars")


def test_english_workbook_is_wholly_english(generated):
    path = generated.path("CAN", "PROT")
    wb = load_workbook(path)
    spanish_headers = [h for f, h in HEADERS["es"].items() if h != HEADERS["en"][f]]
    for t in visible_texts(wb):
        for h in spanish_headers:
            assert h not in t, f"Spanish header {h!r} in {t!r}"
    assert resolve_name(wb, "Statuses") == ["Completed", "In process of being implemented", "Not achieved"]


def test_lang_option_overrides_country_language(workspace, plan):
    made = generate(workspace, plan, PERIOD, groups=["PROT"], countries=["GTM"], lang="en", due=DUE)
    assert len(made) == 1 and made[0].language == "en"
    path = made[0].path
    meta = read_meta(path)
    assert meta["language"] == "en" and meta["country"] == "GTM"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == [UI["en"]["instructions_sheet"], UI["en"]["matrix_sheet"]]
    ws = matrix_of(wb, meta)
    assert [ws.cell(int(meta["header_row"]), c).value for c in range(1, 13)] == [HEADERS["en"][f] for f in FIELDS]
    assert resolve_name(wb, "Pillars") == [p.label.en for p in plan.pillars]
    assert ws[meta["title.country"]].value == "Guatemala"
    assert theme_lists(wb, meta)["Migration governance"][0] == "Generation and use of migration data"
    # and the other way round: an English-speaking country in Spanish
    made = generate(workspace, plan, PERIOD, groups=["PROT"], countries=["CAN"], lang="es")
    meta = read_meta(made[0].path)
    assert meta["language"] == "es" and meta["matrix_sheet"] == UI["es"]["matrix_sheet"]
    wb = openpyxl.load_workbook(made[0].path)
    assert matrix_of(wb, meta)[meta["title.country"]].value == "Canadá"


@pytest.mark.parametrize("rows", [0, 1, 7])
def test_rows_option(workspace, plan, rows):
    made = generate(workspace, plan, PERIOD, groups=["BORD"], countries=["PAN"], rows=rows)
    meta = read_meta(made[0].path)
    first, last = ints(meta, "first_row", "last_row")
    assert last - first + 1 == max(rows, 1)
    ws = matrix_of(openpyxl.load_workbook(made[0].path), meta)
    dv = validations(ws)[meta["col.status"]]
    assert str(dv.sqref) == span(meta["col.status"], first, last)
    assert ws.cell(last, 2).protection.locked is False
    assert ws.cell(last + 1, 2).protection.locked is True


@pytest.mark.parametrize("rows", [-1, MAX_ROWS + 1])
def test_rows_out_of_range_refused(plan, rows):
    spec = TemplateSpec(plan, PERIOD, plan.group("PROT"), plan.country("GTM"), "es", DUE, rows)
    with pytest.raises(TemplateError):
        build(spec)


# --- priority activities -------------------------------------------------------------------


def test_priority_activities_prefilled(priority_workspace):
    plan = priority_workspace.load_plan()
    made = generate(priority_workspace, plan, PERIOD, groups=["PROT", "IRMM"], countries=["GTM", "BLZ"], due=DUE)
    assert len(made) == 4
    acts = plan.group("PROT").priority_activities
    for g in made:
        meta = read_meta(g.path)
        wb = openpyxl.load_workbook(g.path)
        ws = matrix_of(wb, meta)
        header_row, first, last = ints(meta, "header_row", "first_row", "last_row")
        lang = g.language
        if g.working_group == "IRMM":
            assert meta["prefilled_rows"] == ""
            assert last - first + 1 == DEFAULT_ROWS
            assert ws.cell(first, 1).value in (None, "")
            continue
        assert meta["prefilled_rows"] == f"{first},{first + 1}"
        assert last - first + 1 == DEFAULT_ROWS + 2  # the pre-filled rows come on top of the empty ones
        themes = theme_lists(wb, meta)
        pillars = resolve_name(wb, "Pillars")
        for k, act in enumerate(acts):
            r = first + k
            pillar = plan.pillar(act.pillar)
            theme = pillar.theme(act.theme)
            cell = {f: ws[f"{meta[f'col.{f}']}{r}"] for f in FIELDS}
            assert cell["ref"].value == f"{g.country}-PROT-P{k + 1}"
            assert cell["pillar"].value == pillar.label(lang)
            assert cell["theme"].value == theme.label(lang)
            assert cell["activity"].value == act.activity(lang)
            assert act.indicators(lang) in cell["indicators"].value
            if act.expected_results(lang):
                assert act.expected_results(lang) in cell["indicators"].value
            # the pre-filled values are valid under the row's own dropdowns
            assert cell["pillar"].value in pillars
            assert cell["theme"].value in themes[cell["pillar"].value]
            for f in ("ref", "pillar", "theme", "activity", "indicators"):
                assert cell[f].protection.locked is True, (r, f)
            for f in ("status", "progress", "next_steps", "responsible", "deadline", "risks", "measured_by"):
                assert cell[f].protection.locked is False, (r, f)
                assert cell[f].value in (None, ""), (r, f)
            digest = row_digest([cell[f].value or "" for f in ("ref", "pillar", "theme", "activity", "indicators")])
            assert meta[f"locked.{r}"] == digest
        assert sorted(k for k in meta if k.startswith("locked.")) == [f"locked.{first}", f"locked.{first + 1}"]
        # the first empty row after them is an ordinary input row
        r = first + len(acts)
        assert ws.cell(r, 1).protection.locked is True and ws.cell(r, 2).protection.locked is False
        assert ws.cell(r, 2).value in (None, "")
    gtm = read_meta(next(g.path for g in made if g.country == "GTM" and g.working_group == "PROT"))
    ws = matrix_of(openpyxl.load_workbook(next(g.path for g in made if g.country == "GTM" and g.working_group == "PROT")), gtm)
    assert ws[f"D{gtm['first_row']}"].value == "Protocolo regional para niñez migrante no acompañada"
    assert "Número de países que aplican el protocolo" in ws[f"E{gtm['first_row']}"].value


def test_prefilled_rows_and_headings_are_as_tall_as_their_text(priority_workspace):
    """Neither Excel nor LibreOffice grows a written row to its wrapped text: a pre-filled row
    without a height drew its pillar, activity and "Expected results: ..." over each other, and a
    two-line heading was cut at its top."""
    from rcm_workbooks.template.build import WIDTHS

    plan = priority_workspace.load_plan()
    for g in generate(priority_workspace, plan, PERIOD, groups=["PROT"], countries=["GTM", "BLZ"], due=DUE):
        meta = read_meta(g.path)
        ws = matrix_of(openpyxl.load_workbook(g.path), meta)
        header_row, first = ints(meta, "header_row", "first_row")
        # the longest heading's lines at a bold line's characters, and a spare line
        heads = {f: ws[f"{meta[f'col.{f}']}{header_row}"].value for f in FIELDS}
        lines = max(math.ceil(len(h) / (WIDTHS[f] * 0.95)) for f, h in heads.items())
        assert lines >= 2 and ws.row_dimensions[header_row].height >= 15 * (lines + 1), (g.language, heads)
        for r in (first, first + 1):
            needed = max(sum(math.ceil(len(line) / (WIDTHS[f] * 1.2)) or 1 for line in str(v).split("\n"))
                         for f in FIELDS if (v := ws[f"{meta[f'col.{f}']}{r}"].value))
            assert needed >= 2, (g.language, r)  # the case at hand: more than a line
            assert (ws.row_dimensions[r].height or 15) >= 15 * needed, (g.language, r, needed)
        assert ws.row_dimensions[first + 2].height is None  # an empty row keeps the default


def test_row_digest_detects_edits():
    base = ["GTM-PROT-P1", "a", "b", "c", "d"]
    assert row_digest(base) == row_digest(list(base))
    assert row_digest(base) != row_digest(["GTM-PROT-P1", "a", "b", "c", "d "])
    assert row_digest(["ab", "c"]) != row_digest(["a", "bc"])


# --- reproducibility -----------------------------------------------------------------------


def _round_bytes(ws, plan) -> dict[str, bytes]:
    made = generate(ws, plan, PERIOD, groups=["PROT", "LABR"], countries=["GTM", "CAN"], due=DUE)
    return {g.path.name: g.path.read_bytes() for g in made}


def test_source_date_epoch_makes_identical_files(tmp_path, monkeypatch, plan):
    from rcm_workbooks.workspace import init_workspace

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    a = _round_bytes(init_workspace(tmp_path / "a"), plan)
    b = _round_bytes(init_workspace(tmp_path / "b"), plan)
    assert len(a) == 4 and a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], f"{name} differs between two runs with SOURCE_DATE_EPOCH"
    meta = read_meta(tmp_path / "a" / "outbox" / PERIOD / "templates" / "GTM" / "RCM_2025-H1_GTM_PROT.xlsx")
    assert meta["generated_at"].startswith("2025-01-01T00:00:00")
    core = zipfile.ZipFile(tmp_path / "a" / "outbox" / PERIOD / "templates" / "GTM" / "RCM_2025-H1_GTM_PROT.xlsx").read("docProps/core.xml").decode()
    assert "2025-01-01T00:00:00Z" in core
    # still one id per workbook
    ids = {read_meta(p)["template_id"] for p in (tmp_path / "a" / "outbox").rglob("*.xlsx")}
    assert len(ids) == 4


def test_without_source_date_epoch_ids_differ(tmp_path, monkeypatch, plan):
    from rcm_workbooks.workspace import init_workspace

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    ws_a, ws_b = init_workspace(tmp_path / "a"), init_workspace(tmp_path / "b")
    _round_bytes(ws_a, plan)
    _round_bytes(ws_b, plan)
    rel = f"outbox/{PERIOD}/templates/GTM/RCM_2025-H1_GTM_PROT.xlsx"
    ma, mb = read_meta(tmp_path / "a" / rel), read_meta(tmp_path / "b" / rel)
    assert ma["template_id"] != mb["template_id"]
    # the fingerprint covers the locked content only: same content, same fingerprint
    assert ma["fingerprint"] == mb["fingerprint"]
    assert (tmp_path / "a" / rel).read_bytes() != (tmp_path / "b" / rel).read_bytes()


def test_generate_overwrites_existing_round(workspace, plan, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = generate(workspace, plan, PERIOD, groups=["PROT"], countries=["GTM"], due=DUE)
    old_id = read_meta(first[0].path)["template_id"]
    with pytest.raises(TemplatesExist) as refused:  # they may have been e-mailed: only on purpose
        generate(workspace, plan, PERIOD, groups=["PROT"], countries=["GTM"], due=DUE, rows=5)
    assert refused.value.params == {"period": PERIOD, "paths": [first[0].path]}
    assert read_meta(first[0].path)["template_id"] == old_id
    second = generate(workspace, plan, PERIOD, groups=["PROT"], countries=["GTM"], due=DUE, rows=5, force=True)
    assert first[0].path == second[0].path and second[0].replaced and not first[0].replaced
    meta = read_meta(second[0].path)
    assert int(meta["last_row"]) - int(meta["first_row"]) + 1 == 5
    assert meta["template_id"] != old_id
    assert [p.name for p in first[0].path.parent.iterdir()] == [first[0].path.name]


@pytest.mark.parametrize("country,group", [("GTM", "PROT"), ("CAN", "LABR")])
def test_the_fast_sheet_writes_what_xlsxwriter_writes(monkeypatch, country, group):
    """build.sheet_class skips XlsxWriter's rewriting of formulas (nothing in a template needs a
    prefix): the package is the same byte for byte, pre-filled rows, check and lists included."""
    from xlsxwriter.worksheet import Worksheet

    from rcm_workbooks.core.plan import parse_plan
    from rcm_workbooks.template import build as template_build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    plan = parse_plan(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML))
    g, c = plan.group(group), plan.country(country)
    spec = template_build.TemplateSpec(plan, PERIOD, g, c, c.language, DUE, DEFAULT_ROWS,
                                       template_build.priority_rows(plan, g, c))
    fast, _ = template_build.build(spec)
    monkeypatch.setattr(template_build, "sheet_class", lambda: Worksheet)
    slow, _ = template_build.build(spec)
    assert fast == slow and len(spec.prefilled) == (2 if group == "PROT" else 0)
