"""Typed result tables: one numpy structured array, columns by name, rows as records.

The per-surface and per-building tables of the studies are built column-wise with numpy (no
Python loop per surface) and stored unrounded. The stated precision of each column
(``digits``) applies where a table is *presented*: its rows (:meth:`Table.rows`, iteration, ``t[i]``)
are plain Python dicts rounded to it, exactly as the CSV, GeoJSON, HTML report and model
attributes write them. :meth:`Table.to_pandas` gives a DataFrame (unrounded) for notebooks.

>>> t = Table.from_columns({"id": np.array(["a", "b"], object), "kwh": np.array([1.234, 5.0])},
...                        digits={"kwh": 1})
>>> t["kwh"]            # a column: read-only float64 array
array([1.234, 5.   ])
>>> t[0]                # a row, as exported
{'id': 'a', 'kwh': 1.2}
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import numpy as np

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class Table:
    """A table with typed columns (a numpy structured array) and a stated precision per column.

    Parameters
    ----------
    data : (m,) structured array; a column may be 2-D (``monthly_kwh_m2``: (m, 12) float64)
    digits : column -> decimals its presented values are rounded to (others: as they are)
    """

    def __init__(self, data: np.ndarray, digits: Mapping[str, int] | None = None) -> None:
        if data.dtype.names is None:
            raise TypeError("a Table needs a structured array")
        self._data = data
        self._data.flags.writeable = False
        self.digits = dict(digits or {})

    @classmethod
    def from_columns(cls, columns: Mapping[str, np.ndarray], digits: Mapping[str, int] | None = None,
                     length: int | None = None) -> "Table":
        """A table from equally long column arrays (``(m,)`` or ``(m, k)``), in the given order."""
        cols = {k: np.asarray(v) for k, v in columns.items()}
        m = length if length is not None else (len(next(iter(cols.values()))) if cols else 0)
        dtype = [(k, v.dtype, v.shape[1:]) if v.ndim > 1 else (k, v.dtype) for k, v in cols.items()]
        data = np.empty(m, dtype=dtype)
        for k, v in cols.items():
            if len(v) != m:
                raise ValueError(f"column {k!r} has {len(v)} rows, not {m}")
            data[k] = v
        return cls(data, digits)

    # -- columns ------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._data.dtype.names)

    @property
    def data(self) -> np.ndarray:
        """The (m,) structured array (read only)."""
        return self._data

    def __len__(self) -> int:
        return len(self._data)

    def __getitem__(self, key: Any) -> Any:
        """``t["col"]``: the column (read-only array); ``t[i]``: row i as a dict; ``t[mask]``,
        ``t[indices]``, ``t[a:b]``: a Table of those rows."""
        if isinstance(key, str):
            return self._data[key]
        if isinstance(key, (int, np.integer)):
            n = len(self._data)
            i = int(key) + (n if key < 0 else 0)
            if not 0 <= i < n:
                raise IndexError(f"row {key} of a table of {n}")
            return self._row_dicts(slice(i, i + 1))[0]
        return Table(np.array(self._data[key]), self.digits)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows())

    def __repr__(self) -> str:
        return f"Table({len(self)} rows: {', '.join(self.columns)})"

    # -- presentation -------------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        """Every row as a dict of Python values rounded to the stated precision (as exported)."""
        return self._row_dicts(slice(None))

    def _row_dicts(self, sel: slice) -> list[dict[str, Any]]:
        part = self._data[sel]
        cols = {}
        for name in self.columns:
            values = part[name].tolist()
            d = self.digits.get(name)
            if d is not None:
                if part[name].ndim > 1:
                    values = [[round(x, d) for x in v] for v in values]
                else:
                    values = [round(x, d) for x in values]
            cols[name] = values
        return [dict(zip(cols, vals)) for vals in zip(*cols.values())] if cols else []

    def to_pandas(self):
        """A pandas DataFrame (unrounded); a (m, 12) column becomes ``<name>_jan`` ... ``<name>_dec``,
        another (m, k) column ``<name>_0`` ... ``<name>_<k-1>``."""
        import pandas as pd

        out: dict[str, Any] = {}
        for name in self.columns:
            col = self._data[name]
            if col.ndim > 1:
                tags = MONTHS if col.shape[1] == 12 else [str(j) for j in range(col.shape[1])]
                for j, tag in enumerate(tags):
                    out[f"{name}_{tag}"] = col[:, j]
            else:
                out[name] = col
        return pd.DataFrame(out, index=pd.RangeIndex(len(self)))

    def where(self, mask: np.ndarray) -> "Table":
        """The rows where ``mask`` (m,) bool is True."""
        return self[np.asarray(mask, bool)]
