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
# Empty input rows a template offers by default (rcm generate --rows): room for every activity of
# a working group in a country. A protected sheet cannot insert rows, so this is the limit a focal
# point meets; the Instructions sheet says it and what to do when it is reached.
DEFAULT_ROWS = 100
MAX_ROWS = 10_000  # the most --rows gives


MACHINE_COLUMNS = [
    "period", "working_group", "country", "ref", "pillar", "theme", "activity", "indicators",
    "measured_by", "responsible", "deadline", "status", "risks", "progress", "next_steps",
    "source_file", "source_sha256",
]
# The Matrix frame: the CSV's columns, then the sheet row and the language of the return.
MATRIX_FRAME_COLUMNS = MACHINE_COLUMNS + ["source_row", "language"]
REJECTED_COLUMNS = ["period", "working_group", "country", "source_file", "sheet", "row", *FIELDS,
                    "codes", "reasons", "source_sha256"]

# The Activity Matrix (Strategic Plan 3.9): one proposed activity a row. `decision` (keep or drop)
# is asked only of the rows pre-filled with the group's current priority activities.
ACTIVITY_FIELDS = ("ref", "decision", "pillar", "theme", "activity", "expected_results", "indicators",
                   "responsible", "deadline")
ACTIVITY_CODED = ("decision", "pillar", "theme", "responsible", "deadline")
ACTIVITY_REQUIRED = ("pillar", "theme", "activity")
ACTIVITY_TEXT = ("activity", "expected_results", "indicators")
DECISIONS = ("keep", "drop")
# The rows of a consolidated Activity Matrix round (intake.proposals.frames).
PROPOSAL_COLUMNS = ["period", "working_group", "country", "cluster", "countries", "decision", "ref", "pillar",
                    "theme", "activity", "expected_results", "indicators", "responsible", "deadline", "language",
                    "source_file", "source_row", "source_sha256"]
# The columns of the workbook of proposals the Secretariat marks (outputs.activities writes it,
# intake.adoptbook reads it back for `rcm plan adopt`).
PROPOSALS_BOOK = ("adopt", "working_group", "activity_no", "countries", "country", "decision", "ref", "pillar",
                  "theme", "activity_en", "activity_es", "results_en", "results_es", "indicators_en",
                  "indicators_es", "responsible", "deadline", "source_file", "row", "key")
