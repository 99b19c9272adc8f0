"""Checks shared by the tests of the command line."""
from __future__ import annotations


def one_line_exit_2(res, *needles) -> str:
    """The command could not run: exit code 2, one line on stderr starting "Error: " and holding
    every needle, no traceback. Returns that line."""
    assert res.exit_code == 2, (res.exit_code, res.output)
    assert "Traceback" not in res.output
    err = res.stderr.strip()
    assert err.startswith("Error: ") and "\n" not in err, err
    for n in needles:
        assert n in err, err
    return err
