"""Quiet when right, loud when something is off: `rcm generate` does not overwrite a round's templates
without --force and refuses a due date before the period; every command finds the workspace from
a sub-folder, as git does; `rcm --help` shows each command's first sentence whole; an empty inbox
says where it looked and what to do, writes nothing and exits 1."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import read_meta

from rcm_workbooks.cli import cli
from rcm_workbooks.core.files import NotAWorkspace, open_workspace
from rcm_workbooks.core.periods import period_start
from rcm_workbooks.core.texts import WORKSPACE
from rcm_workbooks.round import NothingToConsolidate, consolidate
from rcm_workbooks.template.generate import DueBeforePeriod, generate
from rcm_workbooks.workspace import init_workspace

H1 = "2025-H1"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def ws(tmp_path):
    return init_workspace(tmp_path / "ws")


def rcm(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def templates(ws, period=H1) -> dict[str, tuple[bytes, int]]:
    """Every template of the period, relative to the workspace, with its bytes and mtime."""
    return {p.relative_to(ws.root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(ws.templates_dir(period).rglob("*")) if p.is_file()}


def generated(ws, *args) -> dict[str, tuple[bytes, int]]:
    res = rcm("-C", ws.root, "generate", "--period", H1, *args)
    assert res.exit_code == 0, res.output + res.stderr
    return templates(ws)


# --- generate: existing templates ------------------------------------------------------------


def test_refuses_to_overwrite_and_says_which_and_why(ws):
    before = generated(ws, "--country", "GTM", "--country", "CAN")
    assert len(before) == 8
    res = rcm("-C", ws.root, "generate", "--period", H1)  # the whole round: 8 of its 44 exist
    assert res.exit_code == 2
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert lines[0] == f"Error: 8 templates of {H1} exist already; nothing was written."
    shown = [line.strip() for line in lines[1:4]]
    assert all(line.startswith("  ") for line in lines[1:5])
    assert set(shown) < set(before), shown  # the first few, relative to the workspace
    assert shown[0] == "outbox/2025-H1/templates/CAN/RCM_2025-H1_CAN_PROT.xlsx"  # in the plan's order
    assert lines[4].strip() == "and 5 more"
    assert len(lines) == 6
    assert "e-mailed" in lines[5] and "ids" in lines[5] and lines[5].endswith("add --force.")
    assert templates(ws) == before  # same bytes, same mtime, and no other country written
    assert not list(ws.outbox.rglob(".tmp-*"))


def test_refusal_of_one_template_in_spanish(ws):
    before = generated(ws, "--country", "GTM", "--group", "PROT")
    res = rcm("-C", ws.root, "generate", "--period", H1, "--country", "gtm", "--lang", "es")
    assert res.exit_code == 2
    lines = res.stderr.splitlines()
    assert lines == [
        f"Error: Ya existe 1 plantilla de {H1}; no se escribió nada.",
        "  outbox/2025-H1/templates/GTM/RCM_2025-H1_GTM_PROT.xlsx",
        WORKSPACE["es"]["templates-exist-why"][0].format(flag="--force"),
    ]
    assert templates(ws) == before


def test_missing_templates_are_written_without_force(ws):
    before = generated(ws, "--country", "GTM")
    after = generated(ws, "--country", "CAN")  # a country added to the round later
    assert {k: v for k, v in after.items() if "/GTM/" in k} == before
    assert sum("/CAN/" in k for k in after) == 4


def test_force_overwrites_and_says_so(ws):
    before = generated(ws, "--country", "GTM", "--group", "PROT", "--rows", "3")
    res = rcm("-C", ws.root, "generate", "--period", H1, "--country", "GTM", "--group", "PROT", "--group", "LABR",
              "--rows", "5", "--force")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[1] == ("Overwrote 1 template that existed already (--force): send the new one "
                                          "to its focal point if the old one was sent.")
    path = ws.templates_dir(H1) / "GTM" / "RCM_2025-H1_GTM_PROT.xlsx"
    assert path.read_bytes() != before["outbox/2025-H1/templates/GTM/RCM_2025-H1_GTM_PROT.xlsx"][0]
    meta = read_meta(path)
    assert int(meta["last_row"]) - int(meta["first_row"]) + 1 == 5
    assert len(templates(ws)) == 2


def test_force_with_nothing_in_the_way_says_nothing_of_overwriting(ws):
    res = rcm("-C", ws.root, "generate", "--period", H1, "--country", "PAN", "--group", "BORD", "--force")
    assert res.exit_code == 0, res.output
    assert "Overwrote" not in res.output


# --- generate: the due date ------------------------------------------------------------------


@pytest.mark.parametrize("period, start", [("2025-H1", dt.date(2025, 1, 1)), ("2025-H2", dt.date(2025, 7, 1)),
                                           ("2025", dt.date(2025, 1, 1))])
def test_period_start(period, start):
    assert period_start(period) == start


@pytest.mark.parametrize("period, due, start", [("2025-H1", "2024-12-31", "2025-01-01"),
                                                ("2025-H2", "2025-06-30", "2025-07-01"),
                                                ("2025", "2024-06-30", "2025-01-01")])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_due_before_the_period_is_refused(ws, period, due, start, lang):
    res = rcm("-C", ws.root, "generate", "--period", period, "--due", due, "--lang", lang)
    assert res.exit_code == 2
    err = res.stderr
    assert err.count("\n") == 1 and err.startswith("Error: --due ")
    assert due in err and start in err and period in err
    assert ("es anterior al inicio" if lang == "es" else "is before") in err
    assert not list(ws.outbox.rglob("*.xlsx"))


def test_due_on_the_first_day_is_accepted(ws):
    res = rcm("-C", ws.root, "generate", "--period", "2025-H2", "--due", "2025-07-01", "--country", "MEX",
              "--group", "LABR")
    assert res.exit_code == 0, res.output
    assert read_meta(ws.templates_dir("2025-H2") / "MEX" / "RCM_2025-H2_MEX_LABR.xlsx")["due_date"] == "2025-07-01"


def test_library_refuses_the_due_date_with_data(ws):
    with pytest.raises(DueBeforePeriod) as refused:
        generate(ws, ws.load_plan(), "2025-H2", due=dt.date(2025, 6, 30), countries=["GTM"])
    assert refused.value.problem == "due-before-period"
    assert refused.value.params == {"due": dt.date(2025, 6, 30), "period": "2025-H2", "start": dt.date(2025, 7, 1)}


# --- the workspace from a sub-folder -----------------------------------------------------------


def run_in(cwd: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "rcm_workbooks", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_open_workspace_walks_up_and_C_does_not(ws, monkeypatch):
    deep = ws.inbox / "2025-H1" / "Guatemala"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert open_workspace().root == ws.root.resolve()
    with pytest.raises(NotAWorkspace) as named:
        open_workspace(deep)
    assert named.value.params == {"start": deep.resolve(), "searched": False, "lost_plan": None}
    monkeypatch.chdir(ws.root.parent)
    with pytest.raises(NotAWorkspace) as outside:
        open_workspace()
    assert outside.value.params == {"start": ws.root.parent.resolve(), "searched": True, "lost_plan": None}


def test_commands_in_a_sub_folder_find_the_workspace(ws):
    sub = ws.inbox / "from Guatemala"
    sub.mkdir()
    proc = run_in(sub, "plan", "check")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{ws.plan_path.resolve()}: OK")
    proc = run_in(sub, "generate", "--period", H1, "--country", "GTM", "--group", "PROT")
    assert proc.returncode == 0, proc.stderr
    assert (ws.templates_dir(H1) / "GTM" / "RCM_2025-H1_GTM_PROT.xlsx").is_file()
    assert not (sub / "outbox").exists()


def test_relative_paths_keep_meaning_where_the_user_is(ws):
    generated(ws, "--country", "GTM", "--group", "PROT")
    shutil.copy(ws.templates_dir(H1) / "GTM" / "RCM_2025-H1_GTM_PROT.xlsx", ws.inbox / "some.xlsx")
    proc = run_in(ws.inbox, "validate", "some.xlsx", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    [entry] = json.loads(proc.stdout)["files"]
    assert entry["path"].endswith("some.xlsx")
    assert (entry["country"], entry["working_group"], entry["period"]) == ("GTM", "PROT", H1)
    # consolidate's --inbox too: "." is the folder the user is in, not the workspace
    empty = ws.inbox / "nothing yet"
    empty.mkdir()
    proc = run_in(empty, "consolidate", "--inbox", ".")
    assert proc.returncode == 1, proc.stderr
    assert f"no file in {empty.resolve()}." in proc.stdout


def test_outside_any_workspace(tmp_path):
    proc = run_in(tmp_path, "consolidate")
    assert proc.returncode == 2
    assert proc.stdout == "" and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"Error: {tmp_path.resolve()} is not a workspace, nor inside one")
    assert "-C DIR" in proc.stderr and "`rcm init DIR`" in proc.stderr


def test_C_names_the_workspace_itself(ws):
    res = rcm("-C", ws.inbox, "consolidate", "--lang", "es")
    assert res.exit_code == 2
    assert res.stderr == (f"Error: {ws.inbox.resolve()} no es un espacio de trabajo: falta templates/plan.yaml. "
                          "Indique un espacio de trabajo con -C CARPETA o cree uno con `rcm init CARPETA`.\n")


# --- --help -------------------------------------------------------------------------------------


def first_sentence(command) -> str:
    words = (command.help or "").split("\n\n")[0].split()
    return " ".join(words[:next(i + 1 for i, w in enumerate(words) if w.endswith("."))])


def listings():
    yield [], cli
    yield ["plan"], cli.commands["plan"]


@pytest.mark.parametrize("args, group", list(listings()), ids=["rcm", "plan"])
def test_help_shows_each_first_sentence_whole_on_one_line(args, group):
    text = CliRunner().invoke(cli, [*args, "--help"], terminal_width=80).output.split("Commands:")[1]
    assert "..." not in text
    for name, command in group.commands.items():
        sentence = first_sentence(command)
        assert len(sentence) > 20, name
        assert re.search(rf"^  {name} +{re.escape(sentence)}$", text, re.M), (name, sentence, text)


def test_help_on_a_narrow_terminal_wraps_instead_of_cutting():
    text = CliRunner().invoke(cli, ["--help"], terminal_width=50).output.split("Commands:")[1]
    assert "..." not in text
    listing = " ".join(text.split())
    for name, command in cli.commands.items():
        assert f"{name} {first_sentence(command)}" in listing


# --- an empty inbox -----------------------------------------------------------------------------


def test_empty_inbox_says_where_and_what_to_do(ws):
    generated(ws, "--country", "GTM")  # a round was generated: still nothing to consolidate
    outbox_before = sorted(p.relative_to(ws.root) for p in ws.outbox.rglob("*"))
    res = rcm("-C", ws.root, "consolidate", "--period", H1)
    assert res.exit_code == 1
    inbox = ws.inbox.resolve()
    assert res.stdout == (f"Nothing to consolidate: there is no file in {inbox}. Drop the returned workbooks or "
                          f"saved e-mails into {inbox}, then run rcm consolidate again.\n")
    assert sorted(p.relative_to(ws.root) for p in ws.outbox.rglob("*")) == outbox_before
    assert not list(ws.outbox.rglob("consolidated_*"))
    assert not (ws.root / "registry.sqlite").exists()


def test_empty_inbox_in_spanish_and_json(ws):
    res = rcm("-C", ws.root, "consolidate", "--lang", "es", "--json")
    assert res.exit_code == 1
    obj = json.loads(res.stdout)
    inbox = str(ws.inbox.resolve())
    assert obj == {"error": "inbox-empty", "inbox": inbox, "files_seen": 0, "outputs": [],
                   "message": WORKSPACE["es"]["inbox-empty"].format(inbox=inbox)}
    assert obj["message"].startswith("Nada que consolidar")
    assert not list(ws.outbox.rglob("*.xlsx"))


def test_library_says_nothing_to_consolidate_with_the_inbox(ws):
    with pytest.raises(NothingToConsolidate) as empty:
        consolidate(ws, ws.load_plan(), period=H1)
    assert empty.value.problem == "inbox-empty" and empty.value.params == {"inbox": ws.inbox}
    assert not (ws.root / "registry.sqlite").exists()


def test_words_exist_in_both_languages():
    def forms(entry):
        return (entry,) if isinstance(entry, str) else entry

    def fields(text):
        return sorted(set(re.findall(r"{(\w+)}", text)))

    assert WORKSPACE["en"].keys() == WORKSPACE["es"].keys()
    for key, en in WORKSPACE["en"].items():
        es = WORKSPACE["es"][key]
        assert len(forms(en)) == len(forms(es)), key
        for e, s in zip(forms(en), forms(es)):
            assert e.strip() and s.strip() and e != s, key
            assert fields(e) == fields(s), key
