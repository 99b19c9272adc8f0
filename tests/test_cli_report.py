"""The one report of `rcm validate` and `rcm consolidate`: its structure, its exit code, its text in
English and Spanish (plurals right, no word of the other language), and the errors the command line
words from the library's codes."""
from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import sqlite3
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from rcm_workbooks.cli import cli
from rcm_workbooks.cli_kit import FLAGS, problem_line
from rcm_workbooks.core.errors import Problem, RcmError, WorkspaceError
from rcm_workbooks.core.fields import CODED, FIELDS
from rcm_workbooks.core.findings import Finding, Severity
from rcm_workbooks.core.texts import ERRORS, WORDS, WORKSPACE, say
from rcm_workbooks.core.verdicts import Verdict
from rcm_workbooks.intake.consolidate import _internal_error, _supersede, judge
from rcm_workbooks.intake.report import Report
from rcm_workbooks.intake.validate import Return, Row, _verdict

PERIOD = "2025-H1"
FILE_KEYS = {"path", "verdict", "reason", "country", "working_group", "period", "rows_accepted",
             "rows_rejected", "sha256", "detail", "sender", "sent_at"}
SUMMARY_KEYS = {"files_seen", "files_accepted", "files_rejected", "files_superseded", "files_ignored",
                "rows_accepted", "rows_rejected", "findings", "periods", "outputs", "files"}
# Words that give the other language away in a line the report writes itself ("error" is both).
ENGLISH = {"row", "rows", "file", "files", "accepted", "rejected", "ignored", "superseded", "merged", "wrote",
           "errors", "warning", "warnings", "note", "notes", "info", "same", "content", "lock",
           "internal", "consolidated", "round", "link", "nothing", "written", "e-mail", "by"}
SPANISH = {"fila", "filas", "archivo", "archivos", "aceptado", "aceptados", "aceptada", "aceptadas", "rechazado",
           "rechazados", "rechazada", "rechazadas", "ignorado", "ignorados", "reemplazado", "reemplazados",
           "incorporada", "incorporadas", "escribió", "errores", "advertencia", "advertencias", "nota", "notas",
           "mismo", "contenido", "bloqueo", "interno", "ronda", "enlace", "nada", "correo", "por", "aviso",
           "avisos"}


# --- returns of every kind, made without files -----------------------------------------------


def _row(number: int, plan, *, bad: bool = False) -> Row:
    pillar = plan.pillars[0]
    codes = {"pillar": pillar.code, "theme": pillar.themes[0].code, "responsible": plan.responsible_parties[0].code,
             "deadline": plan.deadlines[0].code, "status": plan.statuses[0].code}
    values = {f: (codes[f] if f in CODED else f"{f} {number}") for f in FIELDS}
    row = Row(number, values, codes)
    if bad:
        row.findings.append(Finding("required-missing", file="", sheet="Matriz", cell=f"D{number}",
                                    column="activity", row=number, params={"column_label": "Actividad"}))
    return row


def _identified(name: str, plan, good: int, bad: int = 0, *, saved: int = 1, group: str = "PROT") -> Return:
    ret = Return(path=Path(name), name=name, sha256=name.encode().hex(), period=PERIOD, working_group=group,
                 country="GTM", language="es", matrix_sheet="Matriz", saved_at=dt.datetime(2025, 5, saved))
    ret.rows = [_row(7 + i, plan) for i in range(good)] + [_row(7 + good + i, plan, bad=True) for i in range(bad)]
    return _verdict(ret)


def every_kind(plan) -> list[Return]:
    """One file for each reason a verdict can give (the findings carry no words of a language)."""
    one = _identified("uno.xlsx", plan, 1)
    two = _identified("dos.xlsx", plan, 2, 1, group="LABR")
    older = Return(path=Path("viejo.xlsx"), name="viejo.xlsx", period=PERIOD, working_group="IRMM", country="GTM",
                  saved_at=dt.datetime(2025, 4, 1))
    newer = Return(path=Path("nuevo.xlsx"), name="nuevo.xlsx", period=PERIOD, working_group="IRMM", country="GTM",
                   saved_at=dt.datetime(2025, 5, 1))
    for r in (older, newer):
        _verdict(r)
    empty = Return(path=Path("vacío.xlsx"), name="vacío.xlsx")
    empty.add("file-empty")
    _verdict(empty)
    lock = Return(path=Path("~$uno.xlsx"), name="~$uno.xlsx")
    lock.ignore("lock-file")
    junk = Return(path=Path("Thumbs.db"), name="Thumbs.db")
    junk.ignore("system-file")
    link = Return(path=Path("enlace.xlsx"), name="enlace.xlsx")
    link.ignore("link")
    twin = Return(path=Path("copia/uno.xlsx"), name="copia/uno.xlsx")
    twin.ignore_as_duplicate("uno.xlsx")
    earlier = Return(path=Path("h2.xlsx"), name="h2.xlsx", period="2024-H2", working_group="PROT", country="GTM")
    earlier.ignore("earlier-round", period="2024-H2")
    broken = _internal_error(Path("raro.xlsx"), "raro.xlsx", RuntimeError("boom"))
    mail = Return(path=Path("respuesta.eml"), name="respuesta.eml")
    mail.add("file-empty")
    mail.set_verdict(Verdict.REJECTED, "email_no_attachment", sender="ana@example.org")
    returns = [one, two, older, newer, empty, lock, junk, link, twin, earlier, broken, mail]
    _supersede(returns)
    return returns


# --- the verdict enum ------------------------------------------------------------------------


def test_verdicts_are_strings_for_json_and_the_registry():
    assert [v.value for v in Verdict] == ["accepted", "rejected", "superseded", "ignored"]
    assert Verdict.ACCEPTED == "accepted" and f"{Verdict.IGNORED}" == "ignored" and str(Verdict.REJECTED) == "rejected"
    assert json.dumps({"verdict": Verdict.SUPERSEDED}) == '{"verdict": "superseded"}'
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE files(verdict TEXT)")
    db.execute("INSERT INTO files VALUES (?)", (Verdict.ACCEPTED,))
    assert db.execute("SELECT verdict, typeof(verdict) FROM files").fetchone() == ("accepted", "text")


# --- structure -------------------------------------------------------------------------------


def test_validation_report_structure(plan):
    returns = every_kind(plan)
    report = Report.of_validation(returns)
    data = report.to_dict("es")
    assert set(data) == {"files", "findings"}
    assert [f["path"] for f in data["files"]] == [r.name for r in returns]
    for entry in data["files"]:
        assert set(entry) == FILE_KEYS | {"findings"}
        assert entry["verdict"] in {v.value for v in Verdict}
    by = {f["path"]: f for f in data["files"]}
    assert [by[n]["verdict"] for n in ("uno.xlsx", "dos.xlsx", "viejo.xlsx", "nuevo.xlsx", "vacío.xlsx", "~$uno.xlsx",
                                       "raro.xlsx")] == ["accepted", "accepted", "superseded", "accepted", "rejected",
                                                         "ignored", "rejected"]
    assert (by["dos.xlsx"]["rows_accepted"], by["dos.xlsx"]["rows_rejected"]) == (2, 1)
    assert [f["code"] for f in by["dos.xlsx"]["findings"]] == ["required-missing"]
    assert by["dos.xlsx"]["findings"][0]["message"].startswith("'Actividad' es obligatorio")  # in --lang
    assert by["dos.xlsx"]["reason"] == "2 rows accepted, 1 rejected"  # reasons stay English in JSON
    # h2.xlsx, set aside as an earlier round's, was reported in its round: none of its findings counts
    assert data["findings"] == {"error": 4, "warning": 1, "info": 4}
    assert sum(data["findings"].values()) == len(report.findings)
    assert report.exit_code == 1  # rejected files, and a rejected row
    assert json.loads(report.to_json("es")) == json.loads(json.dumps(data))


def test_consolidation_report_structure(plan):
    returns = every_kind(plan)
    report = judge(None, plan, returns, PERIOD)
    data = report.to_dict()
    assert set(data) == SUMMARY_KEYS and all(set(f) == FILE_KEYS for f in data["files"])
    assert (data["files_seen"], data["files_accepted"], data["files_rejected"], data["files_superseded"],
            data["files_ignored"]) == (12, 3, 3, 1, 5)
    assert data["files_seen"] == sum(data[k] for k in ("files_accepted", "files_rejected", "files_superseded",
                                                       "files_ignored"))
    assert (data["rows_accepted"], data["rows_rejected"]) == (3, 1)
    assert data["rows_accepted"] == len(report.periods[PERIOD].matrix) == sum(f["rows_accepted"] for f in data["files"])
    assert data["periods"] == [PERIOD] and data["outputs"] == []
    assert report.exit_code == 1


@pytest.mark.parametrize("lang", ["en", "es"])
def test_files_of_earlier_rounds_are_one_line(plan, lang):
    """Files set aside as consolidated in an earlier round: one line that counts them, none of
    their names or findings; the exit code is the round's own."""
    returns = [_identified("uno.xlsx", plan, 1)]
    for i, period in enumerate(("2024-H2", "2024-H2", "2024-H1")):
        old = Return(path=Path(f"old{i}.xlsx"), name=f"old{i}.xlsx", period=period, working_group="PROT",
                     country="GTM")
        old.add("required-missing", row=7, column="activity")  # cleared by round.consolidate; never shown
        old.ignore("earlier-round", period=period)
        returns.append(old)
    report = judge(None, plan, returns, PERIOD)
    text = report.to_text(lang)
    assert "old0.xlsx" not in text and "old2.xlsx" not in text
    assert say("consolidate.set_aside", lang, n=3, periods="2024-H1, 2024-H2") in text.splitlines()
    assert report.findings == [] and report.exit_code == 0
    assert report.to_dict()["findings"] == {"error": 0, "warning": 0, "info": 0}
    assert report.count(Verdict.IGNORED) == 3  # still counted among the files, as set aside


@pytest.mark.parametrize("bad, superseded_bad, validate_code, consolidate_code", [
    (0, 0, 0, 0),  # every row accepted
    (1, 0, 1, 1),  # a rejected row
    (0, 1, 1, 0),  # a bad row of a superseded file: validation judges each file alone
])
def test_exit_codes(plan, bad, superseded_bad, validate_code, consolidate_code):
    old = _identified("viejo.xlsx", plan, 1, superseded_bad, saved=1)
    new = _identified("nuevo.xlsx", plan, 2, bad, saved=2)
    _supersede([old, new])
    assert old.verdict is Verdict.SUPERSEDED
    assert Report.of_validation([old, new]).exit_code == validate_code
    assert judge(None, plan, [old, new], PERIOD).exit_code == consolidate_code


# --- words: plurals and one language at a time -----------------------------------------------


@pytest.mark.parametrize("lang, n, want", [
    ("en", 0, "0 rows accepted"), ("en", 1, "1 row accepted"), ("en", 2, "2 rows accepted"),
    ("es", 0, "0 filas aceptadas"), ("es", 1, "1 fila aceptada"), ("es", 2, "2 filas aceptadas"),
])
def test_plurals(lang, n, want):
    assert say("reason.rows", lang, n=n) == want
    assert say("n.files_accepted", lang, n=n) == f"{n} " + {"en": "accepted", "es": "aceptado" if n == 1 else "aceptados"}[lang]


@pytest.mark.parametrize("lang, files, want", [
    ("en", 0, "0 files: 0 accepted, 0 rejected, 0 superseded, 0 ignored; 0 rows merged, 0 rows rejected."),
    ("en", 1, "1 file: 1 accepted, 0 rejected, 0 superseded, 0 ignored; 1 row merged, 0 rows rejected."),
    ("en", 2, "2 files: 2 accepted, 0 rejected, 0 superseded, 0 ignored; 3 rows merged, 0 rows rejected."),
    ("es", 0, "0 archivos: 0 aceptados, 0 rechazados, 0 reemplazados, 0 ignorados; 0 filas incorporadas, "
                   "0 filas rechazadas."),
    ("es", 1, "1 archivo: 1 aceptado, 0 rechazados, 0 reemplazados, 0 ignorados; 1 fila incorporada, "
                   "0 filas rechazadas."),
    ("es", 2, "2 archivos: 2 aceptados, 0 rechazados, 0 reemplazados, 0 ignorados; 3 filas incorporadas, "
                   "0 filas rechazadas."),
])
def test_summary_line_plurals(plan, lang, files, want):
    returns = [_identified(f"r{i}.xlsx", plan, i + 1) for i in range(files)]
    for i, r in enumerate(returns):
        r.working_group = ["PROT", "IRMM"][i]
    text = judge(None, plan, returns, PERIOD).to_text(lang)
    assert want in text.splitlines(), text


def _own_words(text: str, returns: list[Return], lang: str) -> set[str]:
    """The words the report wrote itself: file names, finding codes and the findings' own messages
    (the findings catalog, tested with every code elsewhere) are taken out first."""
    for r in returns:
        for f in r.all_findings():
            text = text.replace(f.render(lang)[len(f.file) + 2:] if f.file else f.render(lang), " ")
            text = text.replace(f.message(lang, with_fix=False), " ").replace(f.code, " ")
    for r in sorted(returns, key=lambda r: -len(r.name)):
        text = text.replace(r.name, " ")
    return {w.strip(string.punctuation).casefold() for w in re.split(r"[\s,;:()\[\]]+", text)} - {""}


@pytest.mark.parametrize("kind", ["validate", "consolidate"])
def test_text_has_no_word_of_the_other_language(plan, kind):
    returns = every_kind(plan)
    report = Report.of_validation(returns) if kind == "validate" else judge(None, plan, returns, PERIOD)
    report.outputs = [Path("/x/outbox/2025-H1/consolidated_2025-H1.xlsx")] if kind == "consolidate" else []
    english = _own_words(report.to_text("en").replace("/x/outbox/2025-H1/consolidated_2025-H1.xlsx", " "), returns, "en")
    spanish = _own_words(report.to_text("es").replace("/x/outbox/2025-H1/consolidated_2025-H1.xlsx", " "), returns, "es")
    assert not spanish & ENGLISH, sorted(spanish & ENGLISH)
    assert not english & SPANISH, sorted(english & SPANISH)
    # and each language did say something of its own
    assert {"rows", "accepted", "ignored"} <= english and {"filas", "aceptadas", "ignorado"} <= spanish


def test_every_reason_has_its_words_in_spanish(plan):
    lines = {r.name: r.reason_in("es") for r in every_kind(plan)}
    assert lines == {
        "uno.xlsx": "1 fila aceptada", "dos.xlsx": "2 filas aceptadas, 1 rechazada",
        "viejo.xlsx": "reemplazado por nuevo.xlsx", "nuevo.xlsx": "0 filas aceptadas",
        "vacío.xlsx": "El archivo está vacío (0 bytes).",
        "~$uno.xlsx": "archivo de bloqueo de Excel (~$), que se crea mientras alguien tiene el libro abierto",
        "Thumbs.db": "archivo del sistema operativo",
        "enlace.xlsx": "un enlace a otro archivo, no un archivo; ponga el archivo mismo en la bandeja de entrada",
        "copia/uno.xlsx": "mismo contenido que uno.xlsx", "h2.xlsx": "consolidado en la ronda de 2024-H2",
        "raro.xlsx": "No se pudo procesar el archivo por un error interno de la herramienta.",  # the exception: in `detail`
        "respuesta.eml": "un correo de ana@example.org sin ningún libro adjunto",
    }
    ignored = next(f for f in every_kind(plan)[5].findings if f.code == "file-ignored")
    assert ignored.message("es") == "Ignorado: archivo de bloqueo de Excel (~$), que se crea mientras alguien tiene el libro abierto."
    assert ignored.message("en") == "Ignored: Excel lock file (~$), written while someone has the workbook open."


def _placeholders(text) -> set[str]:
    texts = text if isinstance(text, tuple) else (text,)
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name}


# Worded by the command that expects them, from core.texts.WORKSPACE (a list of paths, exit 1...).
OWN_HANDLERS = {Problem.NOT_A_WORKSPACE, Problem.TEMPLATES_EXIST, Problem.DUE_BEFORE_PERIOD, Problem.INBOX_EMPTY}


def test_every_problem_verdict_and_severity_has_its_words():
    for lang in ("en", "es"):
        assert {p.value for p in Problem if p not in OWN_HANDLERS} <= ERRORS[lang].keys()
        assert {p.value for p in OWN_HANDLERS} <= WORKSPACE[lang].keys()
        assert {f"verdict.{v.value}" for v in Verdict} | {f"severity.{s.value}" for s in Severity} <= WORDS[lang].keys()


# --- errors: data in the library, words and flags in the command line ------------------------


def test_library_errors_carry_a_code_and_data_not_words():
    root = Path(__file__).resolve().parents[1] / "rcm_workbooks"
    raising = re.compile(r"raise (\w*Error)\((?!Problem\.|problem)")
    for path in root.rglob("*.py"):
        if path.name == "cli.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            m = raising.search(line)
            assert not (m and m.group(1) in {"WorkspaceError", "TemplateError", "WorkbookOutputError"}), (path, line)
    exc = WorkspaceError(Problem.OUTPUT_READ_ONLY, path=Path("/x/out"))
    assert (exc.problem, exc.params) == (Problem.OUTPUT_READ_ONLY, {"path": Path("/x/out")})
    assert "--" not in str(exc) and "/x/out" in str(exc)
    with pytest.raises(ValueError):
        WorkspaceError("the output folder is read-only")  # a sentence is no code
    from rcm_workbooks.core.files import NotAWorkspace

    for error in (exc, NotAWorkspace(Path("/x"), searched=True)):  # as a worker process sends it back
        again = pickle.loads(pickle.dumps(error))
        assert (type(again), again.problem, again.params) == (type(error), error.problem, error.params)


@pytest.mark.parametrize("problem, params, en, es", [
    (Problem.OUTPUT_READ_ONLY, {"path": "/x/out"},
     "the output folder /x/out is read-only; make it writable or choose another with --out.",
     "la carpeta de salida /x/out es de solo lectura; permita escribir en ella o elija otra con --out."),
    (Problem.NOT_A_DATE, {"text": "mañana", "field": "due"},
     "--due 'mañana' is not a date. Write it as YYYY-MM-DD, for example 2025-06-30.",
     "--due 'mañana' no es una fecha. Escríbala como AAAA-MM-DD, por ejemplo 2025-06-30."),
    (Problem.ROWS_OUT_OF_RANGE, {"low": 0, "high": 10000}, "--rows must be between 0 and 10000",
     "--rows debe estar entre 0 y 10000"),
    (Problem.UNKNOWN_GROUP, {"codes": ["XYZ", "abc"], "valid": ["PROT", "IRMM"]},
     "unknown working group XYZ, abc; valid codes: PROT, IRMM",
     "grupo de trabajo desconocido: XYZ, abc; códigos válidos: PROT, IRMM"),
])
def test_the_command_line_words_errors_and_names_its_flags(problem, params, en, es):
    exc = RcmError(problem, **params)
    assert (problem_line(exc, "en"), problem_line(exc, "es")) == (en, es)
    assert problem_line(exc, None) == en


def test_every_problem_can_be_worded():
    for problem in set(Problem) - OWN_HANDLERS:
        fields = _placeholders(ERRORS["en"][problem.value]) - {"flag"}
        exc = RcmError(problem, **{k: "x" for k in fields}, **({"field": "due"} if problem is Problem.NOT_A_DATE else {}))
        for lang in ("en", "es"):
            line = problem_line(exc, lang)
            assert "{" not in line and "\n" not in line, (problem, line)
            if "{flag}" in ERRORS[lang][problem.value]:
                assert (FLAGS.get(problem.value) or "--due") in line, (problem, line)


def test_cli_errors_follow_lang(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["-C", str(tmp_path), "consolidate", "--lang", "es"])
    assert res.exit_code == 2
    assert res.stderr.strip() == (f"Error: {tmp_path} no es un espacio de trabajo: falta templates/plan.yaml. "
                                  "Indique un espacio de trabajo con -C CARPETA o cree uno con `rcm init CARPETA`.")
    from rcm_workbooks.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    (ws.inbox / "nota.txt").write_text("hola", encoding="utf-8")
    out = tmp_path / "no" / "out"
    for lang, want in [("es", f"Error: no se puede crear la carpeta de salida {out}: {out.parent} no existe. "
                              "Revise la ruta indicada con --out."),
                       ("en", f"Error: cannot create the output folder {out}: {out.parent} does not exist. "
                              "Check the path given with --out.")]:
        res = runner.invoke(cli, ["-C", str(ws.root), "consolidate", "--out", str(out), "--lang", lang])
        assert (res.exit_code, res.stderr.strip()) == (2, want)
    res = runner.invoke(cli, ["validate", str(tmp_path / "nada.xlsx"), "--lang", "es"])
    assert (res.exit_code, res.stderr.strip()) == (2, f"Error: no se encontró: {tmp_path / 'nada.xlsx'}")
    res = runner.invoke(cli, ["validate", str(tmp_path / "nada.xlsx")])
    assert (res.exit_code, res.stderr.strip()) == (2, f"Error: not found: {tmp_path / 'nada.xlsx'}")


# --- the commands, end to end, in Spanish ----------------------------------------------------


@pytest.fixture(scope="module")
def spanish_inbox(tmp_path_factory):
    """A workspace and an inbox of Spanish returns: good, with a bad row, a copy, Excel's lock file."""
    import random

    from rcm_workbooks.demo.fill import fill_workbook, synthetic_rows
    from rcm_workbooks.template.generate import generate
    from rcm_workbooks.workspace import init_workspace

    root = tmp_path_factory.mktemp("es")
    ws = init_workspace(root / "ws")
    plan = ws.load_plan()
    made = {(g.country, g.working_group): g for g in generate(ws, plan, PERIOD, groups=["PROT", "IRMM"],
                                                               countries=["GTM"], lang="es", rows=6)}
    inbox = root / "inbox"
    for (country, group), g in made.items():
        rows = synthetic_rows(plan, group, country, "es", random.Random(len(group)), 3)
        if group == "IRMM":
            rows[0]["status"] = "Hecho"
        fill_workbook(g.path, inbox / f"{country} {group}.xlsx", rows, saved_at=dt.datetime(2025, 5, 1))
    (inbox / "copia").mkdir()
    (inbox / "copia" / "GTM PROT.xlsx").write_bytes((inbox / "GTM PROT.xlsx").read_bytes())
    (inbox / "~$GTM PROT.xlsx").write_bytes(b"\x00" * 165)
    return ws, plan, inbox


@pytest.mark.parametrize("command", ["validate", "consolidate"])
def test_commands_print_no_english_word_with_lang_es(spanish_inbox, tmp_path, command):
    from rcm_workbooks.intake.consolidate import validate_paths

    ws, plan, inbox = spanish_inbox
    args = (["validate", str(inbox)] if command == "validate" else
            ["consolidate", "--inbox", str(inbox), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "r.sqlite")])
    res = CliRunner().invoke(cli, ["-C", str(ws.root), *args, "--lang", "es"])
    assert res.exit_code == 1, res.output  # the bad row
    returns = validate_paths([inbox], plan).files
    text = res.stdout.replace(str(tmp_path), " ")
    words = _own_words(text, returns, "es")
    assert not words & ENGLISH, sorted(words & ENGLISH)
    assert {"aceptado", "ignorado", "filas", "aceptadas", "rechazada"} <= words, sorted(words)
    want = ("4 archivos: 1 error, 0 avisos, 2 notas." if command == "validate" else
            "4 archivos: 2 aceptados, 0 rechazados, 0 reemplazados, 2 ignorados; 5 filas incorporadas, 1 fila rechazada.")
    assert want in res.stdout.splitlines(), res.stdout
