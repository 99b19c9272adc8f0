"""The CLI's JSON and exit codes on the demo's inbox are a contract: scripts of the Secretariat
read them. tests/golden/demo_cli.json holds what `rcm validate` and `rcm consolidate` said of the
demo's inbox before the package was reorganised, with the `detail` each file and finding has
carried since (what a reader saw where it failed; empty for the demo's files) and the PDF's own
advice; only the files' hashes (which change with every generated template's random id) are left
out of the comparison."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "demo_cli.json"
COMMANDS = {
    "validate": ["validate", "inbox", "--format", "json"],
    "consolidate_H1": ["consolidate", "--period", "2025-H1", "--json"],
    "consolidate_H2": ["consolidate", "--period", "2025-H2", "--json"],
}


def _strip(x):
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k != "sha256"}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


def _rcm(args, cwd: Path) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "rcm_workbooks", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)
    return proc.returncode, proc.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("contract") / "demo"
    code, _ = _rcm(["demo", str(root)], root.parent)
    assert code == 0
    return root


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_and_exit_code_unchanged(demo, tmp_path, name):
    ws = tmp_path / "ws"
    shutil.copytree(demo, ws)
    code, text = _rcm(COMMANDS[name], ws)
    got = {"exit": code, "json": _strip(json.loads(text.replace(str(ws), "<ws>")))}
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    assert got == want
