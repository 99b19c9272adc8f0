"""A table of rows under named columns: what the outputs need of a frame, without pandas' import.

Importing pandas costs about half a second, as long as the whole of a real round's work (44
returns); the merge itself is a list of rows and one sort. So consolidation builds Tables, and
`to_pandas()` gives the DataFrame to whoever wants one (library users, notebooks), at that cost.
The writers take either a Table or a DataFrame (`Table.of`).
"""
from __future__ import annotations

import operator
from typing import Iterable, Iterator, Sequence


class Table:
    __slots__ = ("columns", "rows", "_pos")

    def __init__(self, columns: Sequence[str], rows: Iterable[tuple] = ()):
        self.columns = list(columns)
        self.rows = [tuple(r) for r in rows]
        self._pos = {c: i for i, c in enumerate(self.columns)}
        width = len(self.columns)
        bad = next((i for i, r in enumerate(self.rows) if len(r) != width), None)
        if bad is not None:
            raise ValueError(f"row {bad} has {len(self.rows[bad])} values for {width} columns")

    @classmethod
    def from_dicts(cls, records: Iterable[dict], columns: Sequence[str]) -> Table:
        """Rows from dicts; a column a record lacks is None, a key outside `columns` is left out."""
        t = cls(columns)
        t.rows = [tuple(map(rec.get, t.columns)) for rec in records]
        return t

    @classmethod
    def of(cls, data) -> Table:
        """A Table as is; a pandas DataFrame (or anything with .columns and .itertuples) as a Table."""
        if isinstance(data, Table):
            return data
        if data is None:
            return cls([])
        return cls([str(c) for c in data.columns], data.itertuples(index=False, name=None))

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, column: str) -> list:
        """The column's values, in row order; a column the table lacks is all None."""
        i = self._pos.get(column)
        return [None] * len(self.rows) if i is None else [r[i] for r in self.rows]

    def __eq__(self, other) -> bool:
        return isinstance(other, Table) and self.columns == other.columns and self.rows == other.rows

    def __repr__(self) -> str:
        return f"Table({len(self.rows)} rows x {self.columns})"

    def records(self, columns: Sequence[str] | None = None) -> Iterator[tuple]:
        """Each row as a tuple of `columns` (default: all) in that order; None for an absent column."""
        if columns is None or list(columns) == self.columns:
            return iter(self.rows)
        picks = [self._pos.get(c) for c in columns]
        if None not in picks and len(picks) > 1:
            return map(operator.itemgetter(*picks), self.rows)  # in C: the CSV of 50,000 rows
        return (tuple(None if i is None else r[i] for i in picks) for r in self.rows)

    def dicts(self) -> Iterator[dict]:
        return (dict(zip(self.columns, r)) for r in self.rows)

    def sorted(self, key) -> Table:
        """A new Table, its rows sorted (stably) by key(row), row being the tuple: use position()
        for a column's index in it."""
        t = Table(self.columns)
        t.rows = sorted(self.rows, key=key)
        return t

    def position(self, column: str) -> int:
        return self._pos[column]

    def to_pandas(self):
        """The same rows as a pandas DataFrame of object columns (imports pandas)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns, dtype=object)
