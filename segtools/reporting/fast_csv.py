"""CSV formatted by Arrow, column by column: the same bytes as pandas' ``to_csv``, ten times faster.

:func:`segtools.reporting.exports.write_csv` writes a table of :data:`FAST_CSV_ROWS` rows or more
with :func:`write_like_pandas` (a report on millions of customers); anything this path does not
format (dates, mixed objects, nullable floats or booleans, empty text cells) is left to pandas, so
the file is the same either way (``tests/test_report_big_paths.py`` compares the bytes).
"""

from __future__ import annotations

from functools import lru_cache

from segtools.data.safe_csv import FORMULA_STARTS, neutralise_formulas
from segtools.reporting.text_bytes import holds_any, starts_with_any

#: From this many rows on, :func:`segtools.reporting.exports.write_csv` formats the cells with pyarrow (same bytes, ten times faster).
FAST_CSV_ROWS = 100_000
#: Rows formatted at a time by that path (its memory: one chunk's text).
FAST_CSV_CHUNK = 250_000
_NEEDS_QUOTES = '[,"\n]'  # what Python's csv module quotes (QUOTE_MINIMAL: separator, quote, line end)
_QUOTED_CHARS = ',"\n'  # the same characters, for :func:`segtools.reporting.text_bytes.holds_any`


def _text_array(s):
    """A text column as an Arrow string array (no copy when pandas already keeps it in Arrow)."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(s.array, pd.arrays.ArrowStringArray):
        arr = pa.array(s.array)
    else:
        arr = pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.string(), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.string())


def neutralise_risky_columns(df):
    """``neutralise_formulas`` on the text columns that have a risky cell; the others as they are.

    The risky cells are found column by column in Arrow (a categorical column by its categories), so
    a big table with none pays no Python call per cell. The result writes the same CSV as
    :func:`segtools.data.safe_csv.neutralise_formulas` of the whole table.

    Parameters
    ----------
    df : DataFrame

    Returns
    -------
    DataFrame
        ``df`` itself when no cell is risky, else a shallow copy with those columns neutralised.

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_risky_columns(pd.DataFrame({"a": ["=1+1", "x"], "n": [1, 2]}))["a"].tolist()
    ["'=1+1", 'x']
    """
    import pandas as pd
    import pyarrow as pa

    risky = []
    for col in df.columns:
        s = df[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = pd.Series(s.cat.categories)
        if not (isinstance(s.dtype, pd.StringDtype) or s.dtype == object):
            continue
        try:
            text = _text_array(s)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: the careful path decides
            risky.append(col)
            continue
        if starts_with_any(text, FORMULA_STARTS):
            risky.append(col)
    if not risky:
        return df
    out = df.copy(deep=False)
    out[risky] = neutralise_formulas(df[risky])
    return out


def write_like_pandas(df, path) -> bool:
    """Write ``df`` as pandas' ``to_csv`` would, formatted in Arrow :data:`FAST_CSV_CHUNK` rows at a time.

    The same bytes as pandas, column by column instead of cell by cell. Two threads format chunks
    (Arrow's kernels release the GIL: half the time on two cores) and the file gets them in order,
    with at most three chunks' text held at a time, so memory stays flat on millions of rows. False
    (the file is then rewritten by pandas) when a chunk holds a type this path does not format.

    Parameters
    ----------
    df : DataFrame
        Formulas already neutralised (:func:`neutralise_risky_columns`).
    path : str or Path
        The file to write (the report's own output, never an input).

    Returns
    -------
    bool
        True when the whole file was written; False when pandas must write it.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> write_like_pandas(pd.DataFrame({"id": ["a,b", "c"], "value": [1.5, 2.0]}), path)
    True
    >>> path.read_text(encoding="utf-8").splitlines()
    ['id,value', '"a,b",1.5', 'c,2.0']
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    workers = 2
    df.columns.get_loc(df.columns[0])  # build the column lookup once, here, not in two threads at once
    starts = iter(range(0, len(df), FAST_CSV_CHUNK))
    with open(path, "wb") as f, ThreadPoolExecutor(max_workers=workers) as pool:  # our own output file
        f.write(_csv_line([str(c) for c in df.columns]).encode("utf-8") + b"\n")

        def submit(start):
            return pool.submit(_arrow_csv_body, df.iloc[start:start + FAST_CSV_CHUNK])

        pending = deque(submit(start) for _, start in zip(range(workers + 1), starts))  # range first: no chunk lost
        while pending:
            body = pending.popleft().result()
            if body is None:
                for rest in pending:
                    rest.cancel()
                return False
            f.write(body)
            start = next(starts, None)
            if start is not None:
                pending.append(submit(start))
    return True


def _csv_line(cells) -> str:
    """One CSV line as pandas writes it: a cell is quoted (inner quotes doubled) only when it must be."""
    import re

    return ",".join('"' + c.replace('"', '""') + '"' if re.search(_NEEDS_QUOTES, c) else c for c in cells)


def _arrow_text(s):
    """The column's cells as pandas' to_csv writes them, as an Arrow text array (None: a type left to pandas)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):  # text categories are written as their text
        if pd.api.types.infer_dtype(dtype.categories) not in ("string", "empty"):
            return None
        codes = pa.array(s.cat.codes.to_numpy(), mask=s.isna().to_numpy())
        return _arrow_text(pd.Series(dtype.categories)).take(codes)
    if pd.api.types.is_bool_dtype(dtype) and not isinstance(dtype, pd.BooleanDtype):
        return pa.array(np.where(s.to_numpy(), "True", "False"))
    if pd.api.types.is_integer_dtype(dtype):
        values = pa.array(s, from_pandas=True)
        text = _table_text(values, None)
        return pc.cast(values, pa.string()) if text is None else text
    if pd.api.types.is_float_dtype(dtype) and not isinstance(dtype, pd.Float64Dtype):
        values = s.to_numpy(dtype=float)
        text = _rounded_text(values)
        if text is not None:
            return text
        text = pc.cast(pa.array(values, from_pandas=True), pa.string())
        plain = pc.invert(pc.match_substring_regex(text, "[.en]"))  # Python writes 760.0 where Arrow writes 760
        text = pc.if_else(plain, pc.binary_join_element_wise(text, pa.scalar(""), ".0"), text)
        # Python's repr switches to exponents at other sizes than Arrow: those few cells are formatted by Python
        size = np.abs(values)
        odd = np.flatnonzero((size >= 1e15) | ((size < 1e-3) & (size > 0))
                             | pc.fill_null(pc.match_substring(text, "e"), False).to_numpy(zero_copy_only=False))
        if len(odd):  # put Python's text in those cells only (the others stay Arrow text)
            mask = np.zeros(len(values), dtype=bool)
            mask[odd] = True
            text = pc.replace_with_mask(text, pa.array(mask), pa.array([repr(float(v)) for v in values[odd]],
                                                                       type=pa.string()))
        return text
    if pd.api.types.is_string_dtype(dtype) and (dtype != object or pd.api.types.infer_dtype(s) in ("string", "empty")):
        text = _text_array(s)
        if not holds_any(text, _QUOTED_CHARS):
            return text
        # quote each distinct text once (a column of sentences repeats a few of them), then spread them out
        coded = pc.dictionary_encode(text)
        words = coded.dictionary
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(words, '"', '""'), '"', "")
        words = pc.if_else(pc.match_substring_regex(words, _NEEDS_QUOTES), quoted, words)
        return pc.take(words, coded.indices)
    return None


#: Decimals up to which :func:`_rounded_text` recognises a rounded float column (money: 2; shares: 4).
ROUNDED_DECIMALS = 6


def _rounded_text(values):
    """Python's ``repr`` of each float, as Arrow text, when all are rounded to a few decimals; else None.

    A report's float columns are rounded (money to cents, shares to 4 decimals). A float ``v`` equal to
    ``round(v, d)`` is the double nearest to ``k / 10**d`` for a whole ``k``; with at most 15 significant
    digits that decimal is the only one of its length that reads back as ``v``, so ``repr(v)`` is that
    decimal with its trailing zeros dropped (one kept: ``760.0``). The text is built from the whole
    numbers ``|k| // 10**d`` (Arrow's integer text) and a table of the ``10**d`` endings, with no
    float formatting at all. None (the general path formats the column) when some value has more than
    :data:`ROUNDED_DECIMALS` decimals, or is a size at which ``repr`` writes an exponent (from ``1e16``
    up, below ``1e-4``) or infinite. Missing values (NaN) stay missing.

    Examples
    --------
    >>> import numpy as np
    >>> _rounded_text(np.array([760.0, -0.05, 12.3, -0.0, np.nan, 0.0001])).to_pylist()
    ['760.0', '-0.05', '12.3', '-0.0', None, '0.0001']
    >>> _rounded_text(np.array([1 / 3])) is None
    True
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = np.isnan(values)
    finite = np.where(missing, 0.0, values)
    size = np.abs(finite)
    if not (size < 1e15).all() or ((size > 0) & (size < 1e-4)).any():  # exponents, infinities: the general path
        return None
    for decimals in range(ROUNDED_DECIMALS + 1):
        scale = 10 ** decimals
        k = np.rint(finite * scale)
        if (k / scale == finite).all() and (np.abs(k) < 1e15).all():  # round(v, decimals) == v, <= 15 digits
            break
    else:
        return None
    whole = np.abs(k).astype(np.int64)
    negative = np.signbit(finite)
    text = _table_text(pa.array(whole), decimals, negative)
    if text is not None:
        return pc.if_else(pa.array(missing), pa.scalar(None, type=pa.string()), text) if missing.any() else text
    units = whole // scale
    lead = pc.cast(pa.array(np.where(negative, -units, units)), pa.string())  # "-12"; "0" for -0.05
    minus_zero = negative & (units == 0)
    if minus_zero.any():
        lead = pc.replace_with_mask(lead, pa.array(minus_zero), pa.array(["-0"] * int(minus_zero.sum())))
    text = pc.binary_join_element_wise(lead, _endings(decimals).take(pa.array(whole % scale)), "")
    return pc.if_else(pa.array(missing), pa.scalar(None, type=pa.string()), text) if missing.any() else text


#: Whole numbers below this are written by looking their text up in a table (:func:`_texts`) instead of formatting
#: each (a table this size stays in the processor's cache; a larger one is no faster than formatting)
TEXT_TABLE_SIZE = 1 << 18
_TABLES = {}


def _table_text(whole, decimals, negative=None):
    """The text of each whole number of ``whole`` (an Arrow integer array) read from a table, or None when it is too big.

    ``decimals`` None: the integer's own text (``12``); else the text of ``whole / 10**decimals`` as
    ``repr`` writes it (``0.12`` for 12 with 2 decimals, ``12.0`` with 0). ``negative`` (booleans,
    optional) puts a minus sign before those cells (``-0.0`` included); a negative integer in
    ``whole`` has its sign kept the same way. One ``take`` from a table built once per number of
    decimals replaces Arrow's number-to-text cast and two joins: half the time or less for such a
    column (a report's CSV of 5 million customers took a fifth less time in all). None (the caller
    formats) when a number is :data:`TEXT_TABLE_SIZE` or more.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(whole) == 0:
        return None
    low, high = (v.as_py() for v in pc.min_max(whole).values())
    if low is None:  # all missing
        return None
    if low < 0:
        if negative is not None or -low >= TEXT_TABLE_SIZE:
            return None
        negative = pc.fill_null(pc.less(whole, 0), False).to_numpy(zero_copy_only=False)
        whole, high = pc.abs(whole), max(high, -low)
    if high >= TEXT_TABLE_SIZE:
        return None
    text = _texts(decimals, high).take(whole)
    if negative is not None and np.any(negative):
        text = pc.if_else(pa.array(negative), pc.binary_join_element_wise("-", text, ""), text)
    return text


def _texts(decimals, high):
    """The texts of 0, 1, ..., at least ``high`` (see :func:`_table_text`), built by Arrow in powers of two and kept."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    table = _TABLES.get(decimals)
    if table is None or len(table) <= high:
        size = 1 << max(10, int(high).bit_length())
        k = np.arange(size, dtype=np.int64)
        if decimals is None:
            table = pc.cast(pa.array(k), pa.string())
        else:
            scale = 10 ** decimals
            table = pc.binary_join_element_wise(pc.cast(pa.array(k // scale), pa.string()),
                                                _endings(decimals).take(pa.array(k % scale)), "")
        _TABLES[decimals] = table  # two threads may both build it: the same table either way
    return table


@lru_cache(maxsize=None)
def _endings(decimals):
    """The ``10**decimals`` decimal endings as ``repr`` writes them: ``.0``, ``.01``, ..., ``.99`` for 2 decimals."""
    import pyarrow as pa

    return pa.array(["." + (f"{i:0{decimals}d}".rstrip("0") or "0") if decimals else ".0"
                     for i in range(10 ** decimals)])


def _arrow_csv_body(df):
    """The rows of ``df`` as pandas' ``to_csv(index=False, lineterminator="\\n")`` writes them (bytes), or None.

    None when a column has a type this path does not format (dates, mixed objects, nullable
    floats or booleans) or when the table has fewer than two columns: pandas writes those.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if df.shape[1] < 2:
        return None
    columns = []
    for col in df.columns:
        text = _arrow_text(df[col])
        if text is None:
            return None
        text = text.cast(pa.large_string())
        if pc.any(pc.equal(text, "")).as_py():  # an empty text cell: leave the exact rules to pandas
            return None
        columns.append(text)
    comma, empty, end = (pa.scalar(c, type=pa.large_string()) for c in (",", "", "\n"))
    columns[-1] = pc.binary_join_element_wise(columns[-1], empty, end, null_handling="replace",
                                              null_replacement="")  # the last cell and the line end
    lines = pc.binary_join_element_wise(*columns, comma, null_handling="replace", null_replacement="")
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[int(offsets[0]):int(offsets[-1])]  # the file's rows, not copied
