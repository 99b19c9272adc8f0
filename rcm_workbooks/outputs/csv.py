"""The machine CSV: one row per accepted activity, the columns of core.fields.MACHINE_COLUMNS, plan
codes (not labels) in the coded columns, UTF-8, CRLF line ends."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..core.fields import MACHINE_COLUMNS
from ..core.files import write_atomic
from ..core.table import Table


def write_csv(path: Path, matrix) -> Path:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(MACHINE_COLUMNS)
    # Straight from the records, not DataFrame.to_csv: texts must stay exactly as typed.
    writer.writerows(Table.of(matrix).records(MACHINE_COLUMNS))  # None is written as ""
    write_atomic(path, buf.getvalue().encode("utf-8"))
    return path
