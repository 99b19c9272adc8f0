"""One catalog of words: every word exists in English and Spanish, and neither language speaks the
other's words. The catalogs are core/texts.py (words) and core/findings.py (finding codes)."""
from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import string
from pathlib import Path

import pytest
from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities

from rcm_workbooks.core import texts
from rcm_workbooks.core.findings import CATALOG, DATA_PARAMS, Finding
from rcm_workbooks.core.plan import DEFAULT_PLAN, load_plan

LANGS = ("en", "es")
# Words only one of the two languages uses (not "no", "plan", "error", "a", "en", "es": both use them).
MARKERS = {
    "en": {"the", "was", "were", "is", "are", "and", "of", "with", "it", "to", "from", "row", "rows", "file",
           "files", "cell", "sheet", "typed", "number", "text", "workbook", "workbooks", "please", "date",
           "accepted", "rejected", "wrote", "sent", "which", "not", "an", "document", "picture", "unknown",
           "archive", "plain"},
    "es": {"el", "la", "los", "las", "del", "se", "fila", "filas", "archivo", "archivos", "celda", "hoja",
           "número", "texto", "escribió", "una", "con", "que", "por", "para", "libro", "libros", "fecha", "y",
           "aceptada", "rechazada", "está", "su", "documento", "imagen", "desconocido"},
}
CORPUS = Path(__file__).parent / "corpus"


def words(text: str) -> set[str]:
    """The words of a text, its placeholders left out (their names are no words a person reads)."""
    return set(re.findall(r"[^\W\d_]+", re.sub(r"\{[^{}]*\}", " ", text).lower()))


def foreign(text: str, lang: str) -> set[str]:
    """The words of the other language in a text meant to be in `lang`."""
    other = "es" if lang == "en" else "en"
    return words(text) & MARKERS[other]


def placeholders(text) -> set[str]:
    forms = text if isinstance(text, tuple) else (text,)
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


# --- every word in both languages ---------------------------------------------------------------


def one_sided(catalog: dict) -> list[str]:
    """What a {lang: {key: words}} catalog lacks: keys in one language only, empty words, forms or
    placeholders that differ between the languages."""
    problems = []
    for key in sorted(set(catalog["en"]) | set(catalog["es"])):
        if key not in catalog["en"] or key not in catalog["es"]:
            problems.append(f"{key}: only in {'en' if key in catalog['en'] else 'es'}")
            continue
        en, es = catalog["en"][key], catalog["es"][key]
        flat_en = [x for v in (en if isinstance(en, (tuple, list)) else [en]) for x in (v if isinstance(v, tuple) else [v])]
        flat_es = [x for v in (es if isinstance(es, (tuple, list)) else [es]) for x in (v if isinstance(v, tuple) else [v])]
        if any(not str(x).strip() for x in flat_en + flat_es) or len(flat_en) != len(flat_es):
            problems.append(f"{key}: empty, or not the same number of parts")
        elif {p for x in flat_en for p in placeholders(x)} != {p for x in flat_es for p in placeholders(x)}:
            problems.append(f"{key}: not the same placeholders")
    return problems


CATALOGS = {"WORDS": texts.WORDS, "WORKSPACE": texts.WORKSPACE, "ERRORS": texts.ERRORS, "REGISTRY": texts.REGISTRY,
            "PLANBOOK": texts.PLANBOOK, "PLAN_RULES": texts.PLAN_RULES, "ACT_HEADERS": texts.ACT_HEADERS,
            "ACT_HELP": texts.ACT_HELP, "ACT_UI": texts.ACT_UI, "ACT_OUT": texts.ACT_OUT, "ACT_REPORT": texts.ACT_REPORT,
            "HEADERS": texts.HEADERS, "HELP": texts.HELP, "UI": texts.UI,
            "CHECK": texts.CHECK,
            "ERROR_ALERT": {lang: {"alert": texts.ERROR_ALERT[lang]} for lang in LANGS},
            "MONTHS": {lang: dict(enumerate(texts.MONTHS[lang])) for lang in LANGS},
            **{f"TERMS[{name}]": table for name, table in texts.TERMS.items()},
            "findings": {lang: {c.code: (getattr(c, lang), getattr(c, f"fix_{lang}") or "-") for c in CATALOG.values()}
                         for lang in LANGS}}


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_every_word_exists_in_both_languages(name):
    assert one_sided(CATALOGS[name]) == []


def test_the_workbooks_check_speaks_from_the_catalog(monkeypatch):
    """The check column's and the banner's words are the catalog's: none is written in the module
    that builds the formulas, and a change in the catalog is a change in the formulas."""
    from rcm_workbooks.template import selfcheck
    from rcm_workbooks.template.build import BANNER_CELL, CHECK_COLUMN, COLUMNS

    import ast

    tree = ast.parse(Path(selfcheck.__file__).read_text(encoding="utf-8"))
    docs = {id(d.body[0].value) for d in ast.walk(tree) if isinstance(d, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and d.body and isinstance(d.body[0], ast.Expr)}  # docstrings are for programmers
    literals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                and id(n) not in docs]
    for lang in LANGS:
        for key, entry in texts.CHECK[lang].items():
            for text in every_text(entry):
                for piece in (p.strip() for p in re.split(r"\{\w+\}", text)):
                    assert len(piece) < 4 or not [x for x in literals if piece in x], (lang, key, piece)
    layout = selfcheck.Layout("M", 5, 6, 105, COLUMNS, "es", CHECK_COLUMN, BANNER_CELL)
    monkeypatch.setitem(texts.CHECK["es"], "missing", "Sin llenar: ")
    monkeypatch.setitem(texts.CHECK["es"], "ready", "Se puede enviar")
    assert '"; Sin llenar: "' in selfcheck.check_formula(layout)
    assert '"Se puede enviar"' in selfcheck.banner_formula(layout)
    assert selfcheck.evaluate({"activity": "x"}, selfcheck.spellings(load_plan(DEFAULT_PLAN)), "es") \
        .startswith("Sin llenar: ")


def test_a_word_in_one_language_only_is_caught():
    broken = {"en": {"a": "Hello {name}", "b": ("{n} file", "{n} files"), "c": "x"},
              "es": {"a": "Hola {nombre}", "b": ("{n} archivo",), "d": "y"}}
    assert one_sided(broken) == ["a: not the same placeholders", "b: empty, or not the same number of parts",
                                 "c: only in en", "d: only in es"]
    assert one_sided({"en": {"a": "Hello"}, "es": {"a": " "}}) == ["a: empty, or not the same number of parts"]


def test_a_fix_exists_in_both_languages_or_in_neither():
    assert [c.code for c in CATALOG.values() if bool(c.fix_en) != bool(c.fix_es)] == []


# --- neither language speaks the other's words ----------------------------------------------------


def every_text(entry):
    if isinstance(entry, (tuple, list)):
        for x in entry:
            yield from every_text(x)
    else:
        yield str(entry)


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_no_word_of_the_other_language(name):
    found = {}
    for lang in LANGS:
        for key, entry in CATALOGS[name][lang].items():
            for text in every_text(entry):
                bad = foreign(text, lang)
                if bad:
                    found[f"{lang} {key}"] = sorted(bad)
    assert found == {}


def test_every_placeholder_is_data_or_a_worded_code():
    """A parameter carries data (shown as it is) or a code each language words: never words of one
    language (the `cell-not-text` bug: "A número was typed", "Se escribió un number")."""
    wrong = {}
    for c in CATALOG.values():
        used = set().union(*(placeholders(t) for t in (c.en, c.es, c.fix_en, c.fix_es, c.fp_en, c.fp_es)))
        # a period or a date is worded by each language; its code stays at hand as {name_code}
        loose = used - DATA_PARAMS - set(c.terms) - {f"{name}_code" for name in c.spelled}
        if loose:
            wrong[c.code] = sorted(loose)
        for table in c.terms.values():
            assert table in texts.TERMS, (c.code, table)
    for name, table in texts.TERMS.items():
        inner = set().union(*(placeholders(w) for lang in LANGS for w in table[lang].values()))
        assert inner <= DATA_PARAMS, (name, inner - DATA_PARAMS)
    assert wrong == {}


def renderings(code: str):
    """The code with neutral data ("7") and each word of each of its coded parameters."""
    c = CATALOG[code]
    data = {name: "7" for name in set().union(*(placeholders(t) for t in (c.en, c.es, c.fix_en, c.fix_es)))}
    tables = {name: list(texts.TERMS[table]["en"]) for name, table in c.terms.items()}
    for n in (1, 2):
        for combo in itertools.product(*tables.values()) if tables else [()]:
            yield Finding(code, file="f.xlsx", sheet="S", cell="B7", value="7",
                          params={**data, "n": n, **dict(zip(tables, combo))})


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_finding_speaks_one_language(code):
    for f in renderings(code):
        for lang in LANGS:
            for text in (f.message(lang), f.render(lang)):
                assert "{" not in text and "}" not in text, text
                assert not foreign(text, lang), (lang, text)


def test_the_marker_test_catches_a_word_of_the_other_language():
    # what the code said before the catalog worded the kind: the parameter carried one language's word
    assert foreign("A número was typed in a text column; it was kept as the text '45'.", "en") == {"número"}
    assert foreign("Se escribió un number en una columna de texto", "es") == {"number"}
    assert foreign("Esto no es un libro de Excel: parece an unknown kind of file.", "es") == {"an", "unknown", "of", "file"}


# --- plurals and dates --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_counts_take_the_singular_for_one_only(lang):
    counted = [k for k, v in texts.WORDS[lang].items() if isinstance(v, tuple)]
    assert len(counted) > 20
    for key in counted:
        one, two, zero = (texts.say(key, lang, n=n, **{p: "x" for p in placeholders(texts.WORDS[lang][key]) - {"n"}})
                          for n in (1, 2, 0))
        assert one != two and zero == two.replace("2", "0", 1), key
    assert texts.say("n.files", "en", n=1) == "1 file" and texts.say("n.files", "en", n=0) == "0 files"
    assert texts.say("n.rows_merged", "es", n=1) == "1 fila incorporada"
    assert texts.say("n.rows_merged", "es", n=3) == "3 filas incorporadas"


def test_finding_messages_count_too():
    one = Finding("fp-uncovered", params={"n": 1, "detail": "MEX/PROT"})
    two = Finding("fp-uncovered", params={"n": 2, "detail": "MEX/PROT, GTM/PROT"})
    assert one.message("en", with_fix=False) == \
        "1 country/working-group pair has no focal point and will receive no e-mail: MEX/PROT."
    assert two.message("es", with_fix=False).startswith("2 pares país/grupo de trabajo no tienen punto focal")


def test_dates():
    day = dt.date(2025, 6, 30)
    assert texts.format_date(day, "en") == "30 June 2025"
    assert texts.format_date(day, "es") == "30 de junio de 2025"
    assert texts.format_date(None, "es") == "no se fijó fecha límite"


def test_where_a_finding_is():
    f = Finding("cell-formula", file="r.xlsx", sheet="Matriz", cell="D7", value="x", params={"detail": "=A1"})
    assert f.render("es").startswith("r.xlsx: Hoja Matriz, celda D7: La celda contiene una fórmula")
    assert f.render("en").startswith("r.xlsx: Sheet Matriz, cell D7: The cell holds a formula")
    g = Finding("fp-missing-value", file="l.csv", row=4, column="name", heading="Name / Nombre", params={"howto": "name"})
    assert g.render("es") == ("l.csv: Fila 4, columna 'Name / Nombre': La celda está vacía. "
                              "Escriba el nombre del punto focal (se usa en el saludo).")


# --- the real path: what the reader and the validator put in the parameters ------------------------


@pytest.fixture(scope="module")
def plan():
    return load_plan(DEFAULT_PLAN)


def spanish_return(plan) -> bytes:
    """A Spanish template with a number, a date and TRUE typed into its text columns."""
    import openpyxl

    from rcm_workbooks.template.build import TemplateSpec, build

    data, _ = build(TemplateSpec(plan, "2025-H1", plan.group("PROT"), plan.country("GTM"), "es",
                                 dt.date(2025, 6, 30), 10, ()))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    meta = {str(a.value): str(b.value) for a, b in wb["_meta"].iter_rows(min_col=1, max_col=2) if a.value}
    ws = wb[meta["matrix_sheet"]]
    pillar = plan.pillar("P1")
    values = {"pillar": pillar.label.es, "theme": pillar.theme("T1").label.es, "activity": "Taller regional",
              "status": plan.statuses[0].label.es, "indicators": 45, "risks": dt.datetime(2025, 3, 1),
              "progress": True}
    for f, v in values.items():
        ws[f"{meta['col.' + f]}{meta['first_row']}"] = v
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_cell_not_text_is_worded_in_the_readers_language(tmp_path, plan):
    from rcm_workbooks.intake.consolidate import read_all, scan

    (tmp_path / "GTM.xlsx").write_bytes(spanish_return(plan))
    (ret,) = read_all(scan([tmp_path]), plan, period="2025-H1")
    found = {f.column: f for f in ret.all_findings() if f.code == "cell-not-text"}
    assert {c: f.params["kind"] for c, f in found.items()} == {"indicators": "number", "risks": "date",
                                                               "progress": "boolean"}
    assert found["indicators"].message("en") == "A number was typed in a text column; it was kept as the text '45'."
    assert found["indicators"].message("es") == \
        "Se escribió un número en una columna de texto; se conservó como el texto '45'."
    assert found["risks"].message("es").startswith("Se escribió una fecha en una columna de texto")
    for f in found.values():
        for lang in LANGS:
            assert not foreign(f.message(lang).replace(f"'{f.value}'", ""), lang), f.message(lang)


NOT_WORKBOOKS = {
    "minutes.pdf": b"%PDF-1.4\n% x\n%%EOF\n",
    "photo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    "letter.rtf": b"{\\rtf1\\ansi hello}",
    "page.xlsx": b"<!DOCTYPE html><html><body>x</body></html>",
    "export.csv": b"ref,pillar,theme\n1,2,3\n",
    "notes.txt": b"just some words\n",
    "blob.bin": b"\x80\x81\x82",
}


def zipped(names: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in names.items():
            z.writestr(name, body)
    return out.getvalue()


def test_file_kinds_are_codes_each_language_words(tmp_path, plan):
    from rcm_workbooks.intake.consolidate import read_all, scan

    files = dict(NOT_WORKBOOKS)
    files["report.docx"] = zipped({"word/document.xml": b"<w/>"})
    files["slides.pptx"] = zipped({"ppt/presentation.xml": b"<p/>"})
    files["text.odt"] = zipped({"mimetype": b"application/vnd.oasis.opendocument.text"})
    files["archive.zip"] = zipped({"a.txt": b"a"})
    files["~$lock.xlsx"] = b"\x00" * 165
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    kinds = {}
    for ret in read_all(scan([tmp_path]), plan, period="2025-H1"):
        (f,) = [f for f in ret.all_findings() if f.code in ("file-not-spreadsheet", "file-ignored")]
        table = texts.TERMS[CATALOG[f.code].terms[next(iter(CATALOG[f.code].terms))]]
        code = f.params.get("kind") or f.params.get("reason")
        assert code in table["en"], (ret.name, code)
        kinds[ret.name] = code
        for lang in LANGS:
            assert not foreign(f.message(lang), lang), f.message(lang)
    # the sniffer's kinds (intake.sniff); three bytes of cp1252 read as text
    assert kinds == {"minutes.pdf": "pdf", "photo.png": "image", "letter.rtf": "word-processing",
                     "page.xlsx": "html-as-excel", "export.csv": "csv", "notes.txt": "text", "blob.bin": "text",
                     "report.docx": "word-processing", "slides.pptx": "presentation", "text.odt": "word-processing",
                     "archive.zip": "zip", "~$lock.xlsx": "lock-file"}


def test_the_corpus_findings_carry_codes_their_tables_know(tmp_path_factory):
    """Every finding of the corpus of odd inputs, read through the real path: its coded parameters
    are codes of their tables, and its message, data left aside, is in one language."""
    from rcm_workbooks.intake.consolidate import read_all, scan

    path = tmp_path_factory.mktemp("plan") / "plan.yaml"
    path.write_text(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML), encoding="utf-8")
    corpus_plan = load_plan(path)
    files = [p for p in sorted(CORPUS.iterdir()) if p.is_file() and not p.name.endswith((".json", ".py"))]
    seen = set()
    for ret in read_all(scan(files), corpus_plan, period="2025-H1"):
        for f in ret.all_findings():
            c = CATALOG[f.code]
            for name, table in c.terms.items():
                assert f.params.get(name) in texts.TERMS[table]["en"], (ret.name, f.code, f.params)
            # data is left aside; any other parameter is rendered as the code gave it
            neutral = Finding(f.code, value="7", params={
                k: ("7" if k in DATA_PARAMS and k != "n" else v) for k, v in f.params.items()})
            for lang in LANGS:
                assert not foreign(neutral.message(lang), lang), (ret.name, neutral.message(lang))
            seen.add(f.code)
    assert {"cell-not-text", "file-not-spreadsheet", "file-ignored"} <= seen


# --- the command's lines follow --lang (English where a command has none) -----------------------


def run(*args):
    from click.testing import CliRunner

    from rcm_workbooks.cli import cli

    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res.output


def test_the_commands_lines_in_each_language(tmp_path):
    root = tmp_path / "ws"
    out = run("init", root)
    assert out.startswith(f"Workspace ready: {root.resolve()}\n")
    assert run("-C", root, "plan", "check").endswith(
        ": OK — plan RCM-SP-2019-2022 version 1: 3 pillars, 35 themes, 4 working groups, 11 countries, "
        "10 responsible parties, 3 statuses, 3 deadlines.\n")
    shown = run("-C", root, "plan", "show", "--lang", "es")
    assert shown.startswith("Plan Estratégico de la CRM 2019-2022 (RCM-SP-2019-2022, versión 1)")
    assert "\nGrupos de trabajo:\n" in shown and "\nPlazos:\n" in shown and "Deadlines" not in shown
    one = run("-C", root, "generate", "--period", "2025-H1", "--country", "MEX", "--group", "PROT", "--lang", "es")
    assert one.startswith("Se escribió 1 libro de 2025-H1 en ")
    four = run("-C", root, "generate", "--period", "2025-H2", "--country", "MEX")
    assert four.startswith("Wrote 4 workbooks for 2025-H2 into ")


def demo_result():
    from rcm_workbooks.demo.run import DemoResult

    summary = {"files_seen": 1, "files_accepted": 1, "files_rejected": 0, "files_superseded": 0, "files_ignored": 0,
               "rows_accepted": 1, "rows_rejected": 2, "findings": {"error": 1, "warning": 0, "info": 3}}
    second = {"period": "2025-H2", "workbooks": 1, "carried": 1, "returned": 1, "summary": summary,
              "year": 2025, "report": Path("/w/outbox/report_2025_en.docx")}
    activities = {"year": "2025", "workbooks": 1, "returned": 1, "proposals": 1, "activities": 1, "rows_rejected": 0,
                  "book": Path("/w/outbox/2025/activities_2025.xlsx"), "adopted": 3, "version": "2"}
    return DemoResult(Path("/w"), Path("w"), "2025-H1", 1.25, 1, 1, summary, second, None, activities)


def test_the_demo_tells_what_it_did_in_either_language():
    en, es = demo_result().lines("en"), demo_result().lines("es")
    assert en[0] == "Demo round 2025-H1 in /w (1.2 s)"
    assert en[1] == ("  1. Activity Matrix 2025: 1 workbook; 1 returned with 1 proposal of 1 activity, "
                     "0 rows rejected:")
    assert es[3] == ("  2. se adoptaron 3 actividades como actividades prioritarias de los grupos de trabajo, cada una "
                     "con su referencia: templates/plan.yaml versión 2")
    assert en[6] == ("  5. consolidated 1 file: 1 accepted, 0 rejected, 0 superseded, 0 ignored; 1 row merged, "
                     "2 rows rejected; findings: 1 error, 0 warnings, 3 notes")
    assert es[6] == ("  5. consolidación de 1 archivo: aceptados: 1, rechazados: 0, reemplazados: 0, ignorados: 0; "
                     "1 fila incorporada, 2 filas rechazadas; hallazgos: 1 error, 0 avisos, 3 notas")
    assert en[-1] == "  Try it yourself: cd w && rcm consolidate --period 2025-H1"
    assert len(en) == len(es) == 16
    for lang, lines in (("en", en), ("es", es)):
        for line in lines:
            assert not foreign(re.sub(r"/\S*", "", line), lang), line
