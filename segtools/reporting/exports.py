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
    return df[[c for c in columns if c in df.columns]]  # a new table (copy-on-write): the input stays as it is


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
    from segtools.reporting import fast_csv

    big = len(df) >= fast_csv.FAST_CSV_ROWS
    safe = fast_csv.neutralise_risky_columns(df) if big else neutralise_formulas(df)
    if not (big and fast_csv.write_like_pandas(safe, path)):
        safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return len(safe)


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
