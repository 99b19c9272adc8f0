"""What became of each file of the inbox."""
from __future__ import annotations

from enum import Enum


class Verdict(str, Enum):
    """A str, so the JSON, the registry's `files.verdict` and comparisons with plain strings keep
    the same values."""

    ACCEPTED = "accepted"  # read and merged (its bad rows go to Rejected rows)
    REJECTED = "rejected"  # a file-level error: none of its rows is merged
    SUPERSEDED = "superseded"  # valid, but a later return for the same group, country and period stands
    IGNORED = "ignored"  # not a return: a duplicate, a lock file, a file of an earlier round

    def __str__(self) -> str:  # f-strings and str() give the value on every Python version
        return self.value
