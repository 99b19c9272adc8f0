"""The layers of the package (docs/architecture.md) are kept: import-linter reads the contracts
in pyproject.toml and fails on any import that goes up a layer or closes a circle."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    proc = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_a_broken_contract_is_seen(tmp_path):
    """The check can fail: a core module that imports the command line breaks the contracts."""
    bad = REPO / "rcm_workbooks" / "core" / "_layer_probe.py"
    bad.write_text("from rcm_workbooks import cli  # noqa: F401\n", encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                              cwd=REPO, capture_output=True, text=True, timeout=300)
    finally:
        bad.unlink()
    assert proc.returncode != 0
    assert "BROKEN" in proc.stdout
