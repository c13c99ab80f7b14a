"""CSV exports that import cleanly into a CRM or an e-mail tool.

Two files sit next to every report:

``customer_segments.csv``, one row a customer:

================== ==================================================================
column             meaning
================== ==================================================================
customer_id        the customer's id, as in the customers table
segment            the named RFM segment (``No purchases yet`` for customers who never
                   bought before the snapshot date)
recency_days       days from the last purchase to the snapshot date (segmentation
                   recency, not the first-to-last span used for lifetime value)
frequency          number of purchases (refunds are not purchases)
monetary           net amount spent (refunds subtracted), in the data's currency
r_score            recency score, 1 (longest ago) to 5 (most recent)
f_score            frequency score, 1 (fewest) to 5 (most)
m_score            monetary score, 1 (least) to 5 (most)
recommended_action what to do for the segment, in one sentence
================== ==================================================================

Equal values always get equal scores, so heavily tied data may use fewer than five.
Customers who never bought have empty scores.

``lead_priorities.csv``, one row a lead, best first:

================== ==================================================================
column             meaning
================== ==================================================================
lead_id            the lead's id, as in the leads table
score              total points (fit plus engagement); higher means call sooner
grade              fit letter (A fits best) and engagement digit (1 most engaged)
tier               hot, warm or cold from the grade; ``closed`` for won or lost leads
rank               1 = call first; closed leads have no rank
call_this_period   ``True`` for the open leads the sales capacity covers this period
reason             the rules that earned the most points, in words
================== ==================================================================

The files are plain UTF-8 (no byte-order mark), comma-separated, one header row,
``\\n`` line ends, and no index column. Any text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe so that a
spreadsheet shows it as text instead of running it as a formula (CSV injection).
"""

from __future__ import annotations

from segtools.data.safe_csv import FORMULA_STARTS, neutralise_formulas  # re-exported: the report's CSVs use it
from segtools.errors import ValidationError

__all__ = ["FORMULA_STARTS", "neutralise_formulas", "customer_segments_export", "lead_priorities_export",
           "write_csv", "write_summary", "summary_json", "CUSTOMER_SEGMENT_COLUMNS", "LEAD_PRIORITY_COLUMNS"]

CUSTOMER_SEGMENT_COLUMNS = {
    "customer_id": "the customer's id, as in the customers table",
    "segment": "the named RFM segment, or 'No purchases yet'",
    "recency_days": "days from the last purchase to the snapshot date",
    "frequency": "number of purchases (refunds are not purchases)",
    "monetary": "net amount spent (refunds subtracted)",
    "r_score": "recency score, 1 (longest ago) to 5 (most recent)",
    "f_score": "frequency score, 1 (fewest) to 5 (most)",
    "m_score": "monetary score, 1 (least) to 5 (most)",
    "recommended_action": "what to do for the segment, in one sentence",
    "p_alive": "probability that the customer still buys (BG/NBD); empty when the data cannot support the model",
    "expected_purchases": "expected purchases over the report's horizon (BG/NBD)",
    "expected_spend": "expected spend per purchase (Gamma-Gamma)",
    "predicted_value": "expected purchases times expected spend over the horizon",
    "value_outlook": "most valuable next year, active, likely lapsed or one purchase",
}

LEAD_PRIORITY_COLUMNS = {
    "lead_id": "the lead's id, as in the leads table",
    "score": "total points (fit plus engagement); higher means call sooner",
    "grade": "fit letter (A fits best) and engagement digit (1 most engaged)",
    "tier": "hot, warm or cold from the grade; closed for won or lost leads",
    "rank": "1 = call first; closed leads have no rank",
    "call_this_period": "True for the open leads the sales capacity covers this period",
    "reason": "the rules that earned the most points, in words",
}


def _select(df, columns: dict, table: str, optional=()):
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"{table}: expected a pandas DataFrame, got {type(df).__name__}", table=table)
    missing = [c for c in columns if c not in df.columns and c not in optional]
    if missing:
        raise ValidationError(
            f"{table}: column(s) {', '.join(map(repr, missing))} not found in {len(df):,} rows; "
            f"the export needs {', '.join(columns)}", table=table)
    return df[[c for c in columns if c in df.columns]].copy()


def customer_segments_export(segments):
    """Pick and order the documented columns of ``customer_segments.csv``.

    Parameters
    ----------
    segments : DataFrame
        One row a customer with at least ``customer_id``, ``segment`` and
        ``recommended_action``; the RFM columns are kept when present.

    Returns
    -------
    DataFrame
        The columns of :data:`CUSTOMER_SEGMENT_COLUMNS` that ``segments`` has, in that order.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.reporting.exports import customer_segments_export
    >>> seg = pd.DataFrame({"segment": ["Champions"], "customer_id": ["C00001"],
    ...                     "recommended_action": ["Reward them"], "name": ["Ann"]})
    >>> list(customer_segments_export(seg).columns)
    ['customer_id', 'segment', 'recommended_action']
    """
    optional = [c for c in CUSTOMER_SEGMENT_COLUMNS if c not in ("customer_id", "segment", "recommended_action")]
    return _select(segments, CUSTOMER_SEGMENT_COLUMNS, "customer_segments", optional)


def lead_priorities_export(priorities):
    """Pick and order the documented columns of ``lead_priorities.csv``.

    Parameters
    ----------
    priorities : DataFrame
        One row a lead with the columns of :data:`LEAD_PRIORITY_COLUMNS`
        (``call_this_period`` may be absent).

    Returns
    -------
    DataFrame
        Those columns, in that order, sorted by rank (unranked leads last).

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.reporting.exports import lead_priorities_export
    >>> p = pd.DataFrame({"lead_id": ["L2", "L1"], "score": [5.0, 9.0], "grade": ["B2", "A1"],
    ...                   "tier": ["cold", "hot"], "rank": [2, 1], "reason": ["x", "y"]})
    >>> lead_priorities_export(p)["lead_id"].tolist()
    ['L1', 'L2']
    """
    out = _select(priorities, LEAD_PRIORITY_COLUMNS, "lead_priorities", optional=("call_this_period",))
    return out.sort_values("rank", kind="stable", na_position="last").reset_index(drop=True)


def write_csv(df, path) -> int:
    """Write ``df`` as a plain UTF-8 CSV with formulas neutralised; return the number of rows.

    Parameters
    ----------
    df : DataFrame
    path : str or Path
        The file to write (its folder must exist).

    Returns
    -------
    int
        Rows written (not counting the header).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from segtools.reporting.exports import write_csv
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_csv(pd.DataFrame({"name": ["+31 6 1234"], "n": [1]}), folder / "x.csv")
    1
    >>> (folder / "x.csv").read_text(encoding="utf-8")
    "name,n\\n'+31 6 1234,1\\n"
    """
    big = len(df) >= FAST_CSV_ROWS
    safe = _neutralise_risky_columns(df) if big else neutralise_formulas(df)
    if not (big and _write_arrow_csv(safe, path)):
        safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return len(safe)


#: From this many rows on, :func:`write_csv` formats the cells with pyarrow (same bytes, ten times faster).
FAST_CSV_ROWS = 100_000
#: Rows formatted at a time by that path (its memory: one chunk's text).
FAST_CSV_CHUNK = 250_000
_NEEDS_QUOTES = '[,"\n]'  # what Python's csv module quotes (QUOTE_MINIMAL: separator, quote, line end)


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


def _neutralise_risky_columns(df):
    """:func:`neutralise_formulas` on the text columns that have a risky cell; the others as they are.

    The risky cells are found column by column in Arrow (a categorical column by its categories), so
    a big table with none pays no Python call per cell. The result writes the same CSV.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    starts = "^[" + "".join("\\" + c if c in "\\^]-[" else c for c in FORMULA_STARTS) + "]"
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
        if pc.any(pc.match_substring_regex(text, starts)).as_py():
            risky.append(col)
    if not risky:
        return df
    out = df.copy(deep=False)
    out[risky] = neutralise_formulas(df[risky])
    return out


def _write_arrow_csv(df, path) -> bool:
    """Write ``df`` as pandas' ``to_csv`` would, formatted in Arrow :data:`FAST_CSV_CHUNK` rows at a time.

    The same bytes as pandas, column by column instead of cell by cell; one chunk's text is held at a
    time, so memory stays flat on millions of rows. False (the file is then rewritten by pandas) when
    a chunk holds a type this path does not format.
    """
    with open(path, "wb") as f:  # the report's own output file, never an input
        f.write(_csv_line([str(c) for c in df.columns]).encode("utf-8") + b"\n")
        for start in range(0, len(df), FAST_CSV_CHUNK):
            body = _arrow_csv_body(df.iloc[start:start + FAST_CSV_CHUNK])
            if body is None:
                return False
            f.write(body)
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
        return pc.cast(pa.array(s, from_pandas=True), pa.string())
    if pd.api.types.is_float_dtype(dtype) and not isinstance(dtype, pd.Float64Dtype):
        values = s.to_numpy(dtype=float)
        text = pc.cast(pa.array(values, from_pandas=True), pa.string())
        plain = pc.invert(pc.match_substring_regex(text, "[.en]"))  # Python writes 760.0 where Arrow writes 760
        text = pc.if_else(plain, pc.binary_join_element_wise(text, pa.scalar(""), ".0"), text)
        # Python's repr switches to exponents at other sizes than Arrow: those few cells are formatted by Python
        size = np.abs(values)
        odd = np.flatnonzero((size >= 1e15) | ((size < 1e-3) & (size > 0))
                             | pc.fill_null(pc.match_substring(text, "e"), False).to_numpy(zero_copy_only=False))
        if len(odd):
            cells = text.to_numpy(zero_copy_only=False).astype(object)
            cells[odd] = [repr(float(v)) for v in values[odd]]
            text = pa.array(cells, type=pa.string())
        return text
    if pd.api.types.is_string_dtype(dtype) and (dtype != object or pd.api.types.infer_dtype(s) in ("string", "empty")):
        text = _text_array(s)
        if not pc.any(pc.match_substring_regex(text, _NEEDS_QUOTES)).as_py():
            return text
        # quote each distinct text once (a column of sentences repeats a few of them), then spread them out
        coded = pc.dictionary_encode(text)
        words = coded.dictionary
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(words, '"', '""'), '"', "")
        words = pc.if_else(pc.match_substring_regex(words, _NEEDS_QUOTES), quoted, words)
        return pc.take(words, coded.indices)
    return None


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


def _plain(v):
    """JSON for what ``json`` cannot write: dates as ISO text (day only at midnight), numpy scalars as numbers."""
    if hasattr(v, "isoformat"):
        text = v.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    if hasattr(v, "item"):
        return v.item()
    return str(v)


def summary_json(**fields) -> str:
    """The run's summary as JSON text: sorted keys, dates as ISO text, two-space indent, one final newline.

    Parameters
    ----------
    **fields
        The summary's entries (any JSON value, dates, numpy numbers).

    Returns
    -------
    str
    """
    import json

    return json.dumps(fields, indent=2, sort_keys=True, default=_plain, ensure_ascii=False) + "\n"


def write_summary(path, **fields) -> dict:
    """Write the run's JSON summary (sorted keys, dates as ISO text) and return it.

    Parameters
    ----------
    path : str or Path
        The file to write.
    **fields
        The summary's entries (see :func:`summary_json`).

    Returns
    -------
    dict
        The summary as read back from its JSON text.

    Examples
    --------
    >>> import json, tempfile, pathlib, pandas as pd
    >>> from segtools.reporting import write_summary
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "summary.json"
    >>> _ = write_summary(p, rows_in={"leads": 3}, snapshot_date=pd.Timestamp("2026-01-01"))
    >>> json.loads(p.read_text())["snapshot_date"]
    '2026-01-01'
    """
    import json
    from pathlib import Path

    text = summary_json(**fields)
    Path(path).write_text(text, encoding="utf-8")
    return json.loads(text)
