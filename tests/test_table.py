"""The Table the consolidation builds instead of a DataFrame, and its way to pandas."""
import subprocess
import sys

import pytest

from rcm_workbooks.core.table import Table


def sample() -> Table:
    return Table.from_dicts(
        [{"g": "PROT", "n": 2, "t": "b"}, {"g": "LABR", "n": 1, "t": "a", "extra": "x"}, {"g": "PROT", "n": 1}],
        ["g", "n", "t"])


def test_from_dicts_keeps_order_fills_none_and_leaves_out_unknown_keys():
    t = sample()
    assert t.columns == ["g", "n", "t"] and len(t) == 3
    assert t.rows == [("PROT", 2, "b"), ("LABR", 1, "a"), ("PROT", 1, None)]
    assert t["n"] == [2, 1, 1] and t["absent"] == [None, None, None]


def test_records_in_any_column_order():
    t = sample()
    assert list(t.records(["t", "g", "absent"])) == [("b", "PROT", None), ("a", "LABR", None), (None, "PROT", None)]
    assert list(t.records()) == t.rows
    assert list(t.dicts())[1] == {"g": "LABR", "n": 1, "t": "a"}


def test_a_stable_sort():
    t = sample()
    s = t.sorted(lambda r: r[t.position("n")])
    assert s.rows == [("LABR", 1, "a"), ("PROT", 1, None), ("PROT", 2, "b")]  # ties keep their order
    assert t.rows[0] == ("PROT", 2, "b")  # the original is untouched


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="row 1 has 1 values for 2 columns"):
        Table(["a", "b"], [(1, 2), (3,)])


def test_round_trip_through_pandas():
    t = sample()
    frame = t.to_pandas()
    assert list(frame.columns) == t.columns and frame.shape == (3, 3)
    assert frame["n"].dtype == object and frame.at[2, "t"] is None
    assert Table.of(frame) == t
    assert Table.of(t) is t and len(Table.of(None)) == 0


def test_the_consolidation_path_does_not_import_pandas(tmp_path):
    """Importing pandas costs as much as a whole real round; the writers must not need it."""
    code = (
        "import sys\n"
        "from rcm_workbooks import round, outputs\n"
        "from rcm_workbooks.outputs import csv, workbook, feedback, progress\n"
        "from rcm_workbooks.intake import consolidate, validate, reader\n"
        "from rcm_workbooks.registry import store\n"
        "from rcm_workbooks.core import table\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_matrix_frame_is_built_in_the_order_of_its_columns():
    """consolidate.frames writes each row as one tuple: period, group, country, ref, the fields."""
    from rcm_workbooks.core.fields import FIELDS, MACHINE_COLUMNS, MATRIX_FRAME_COLUMNS

    assert MACHINE_COLUMNS[:4] == ["period", "working_group", "country", "ref"] and FIELDS[0] == "ref"
    assert tuple(MACHINE_COLUMNS[4:15]) == FIELDS[1:]
    assert MACHINE_COLUMNS[15:] == ["source_file", "source_sha256"]
    assert MATRIX_FRAME_COLUMNS == MACHINE_COLUMNS + ["source_row", "language"]
