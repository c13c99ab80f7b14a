"""A DuckDB result as the DataFrame ``.df()`` gives, fetched through Arrow (faster on millions of rows).

DuckDB's ``.df()`` builds the pandas columns itself, one thread, about a second for a result of
5M customers; Arrow hands the columns over in a fraction of that. :func:`frame` converts the Arrow
columns to exactly the dtypes ``.df()`` gives for the types a summary returns (text, whole numbers,
HUGEINT sums, floats, booleans), and leaves any other result to ``.df()``, so callers see the same
frame either way (``tests/test_engines_fetch.py`` compares them).
"""

from __future__ import annotations

#: DuckDB types :func:`frame` converts itself; any other column sends the whole result to ``.df()``
_INTS = {"TINYINT": "Int8", "SMALLINT": "Int16", "INTEGER": "Int32", "BIGINT": "Int64"}
_OTHERS = {"VARCHAR", "HUGEINT", "DOUBLE", "BOOLEAN"}


def frame(relation):
    """``relation.df()``, the same columns and dtypes, fetched as Arrow when its types allow.

    Parameters
    ----------
    relation : duckdb.DuckDBPyRelation
        A query not yet run (it runs once here).

    Returns
    -------
    DataFrame
        As ``.df()``: text as pandas' ``str``, whole numbers as ``int64`` (``Int64`` when some are
        missing), HUGEINT sums as ``float64``, floats with NaN for missing values, booleans as
        ``bool`` (``boolean`` when some are missing).

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> out = frame(con.sql("SELECT 'a' AS id, sum(x) AS n, NULL::BIGINT AS m FROM range(3) t(x)"))
    >>> out.dtypes.astype(str).tolist(), out["n"].tolist()
    (['str', 'float64', 'Int64'], [3.0])
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    types = [str(t) for t in relation.types]
    if len(set(relation.columns)) < len(types) or not all(t in _INTS or t in _OTHERS for t in types):
        return relation.df()
    table = relation.to_arrow_table()
    columns = {}
    for name, kind, col in zip(table.column_names, types, table.columns):
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
        missing = col.null_count > 0
        if kind == "VARCHAR":
            columns[name] = pd.array(col, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        elif kind == "HUGEINT":  # .df() gives float64: whole numbers that fit in 64 bits convert exactly
            try:
                whole = pc.cast(col, pa.int64())
            except pa.ArrowInvalid:  # beyond 64 bits: DuckDB's own conversion
                return relation.df()
            columns[name] = whole.to_numpy(zero_copy_only=False).astype(np.float64) if not missing else \
                pc.cast(whole, pa.float64()).to_numpy(zero_copy_only=False)
        elif kind in _INTS:
            columns[name] = pd.arrays.IntegerArray(*_values_and_mask(col)) if missing else \
                col.to_numpy(zero_copy_only=False)
        elif kind == "DOUBLE":
            columns[name] = col.to_numpy(zero_copy_only=False)
        else:  # BOOLEAN
            columns[name] = pd.arrays.BooleanArray(*_values_and_mask(col)) if missing else \
                col.to_numpy(zero_copy_only=False)
    return pd.DataFrame(columns, columns=table.column_names, copy=False)


def _values_and_mask(col):
    """An Arrow column with missing values as numpy values (missing ones zero or False) and a missing-mask."""
    import pyarrow.compute as pc

    return (pc.fill_null(col, False if str(col.type) == "bool" else 0).to_numpy(zero_copy_only=False),
            col.is_null().to_numpy(zero_copy_only=False))
