"""Sizes a reader can take in: no module of the package over 500 lines, no function over 80."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rcm_workbooks"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
MODULES = sorted(PACKAGE.rglob("*.py"))


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int, int]]:
    """(name, first line, lines) of every function or method longer than `limit` lines."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > limit:
                out.append((node.name, node.lineno, lines))
    return out


def test_the_package_is_there():
    assert len(MODULES) > 30 and PACKAGE / "cli.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_function_sizes(path):
    source = path.read_text(encoding="utf-8")
    lines = len(source.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines; split it (at most {MAX_MODULE_LINES})"
    assert long_functions(source) == [], f"functions over {MAX_FUNCTION_LINES} lines in {path.name}"


def test_the_measure_can_fail():
    body = "\n".join(f"    x{i} = {i}" for i in range(80))
    assert long_functions(f"def short():\n{body[:-len(body.splitlines()[-1]) - 1]}\n") == []
    assert long_functions(f"def long():\n{body}\n") == [("long", 1, 81)]
    nested = f"class C:\n    def method(self):\n{chr(10).join('    ' + line for line in body.splitlines())}\n"
    assert long_functions(nested) == [("method", 2, 81)]
