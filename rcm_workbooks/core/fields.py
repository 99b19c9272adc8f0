"""The fields of the follow-up matrix and the columns of the outputs built from them."""
from __future__ import annotations

# The follow-up matrix (Strategic Plan 4.2 items 1-8, plus what the annual report needs).
# Order here is the column order of the template; `ref` comes first so a row can be told apart.
FIELDS = (
    "ref", "pillar", "theme", "activity", "indicators", "measured_by",
    "responsible", "deadline", "status", "risks", "progress", "next_steps",
)
CODED = ("pillar", "theme", "responsible", "deadline", "status")
REQUIRED = ("pillar", "theme", "activity", "status")
INPUT_FIELDS = FIELDS[1:]
TEXT_FIELDS = tuple(f for f in INPUT_FIELDS if f not in CODED)


MACHINE_COLUMNS = [
    "period", "working_group", "country", "ref", "pillar", "theme", "activity", "indicators",
    "measured_by", "responsible", "deadline", "status", "risks", "progress", "next_steps",
    "source_file", "source_sha256",
]
# The Matrix frame: the CSV's columns, then the sheet row and the language of the return.
MATRIX_FRAME_COLUMNS = MACHINE_COLUMNS + ["source_row", "language"]
REJECTED_COLUMNS = ["period", "working_group", "country", "source_file", "sheet", "row", *FIELDS,
                    "codes", "reasons", "source_sha256"]
