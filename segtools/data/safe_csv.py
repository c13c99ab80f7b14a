"""CSV files a CRM or an e-mail tool can import without running a formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV injection). :func:`neutralise_formulas` puts an apostrophe in front
of such text; numbers (a refund of ``-20.0``) are left alone. :func:`to_crm_csv` writes
plain UTF-8, comma-separated, one header row, ``\\n`` line ends and no index column.
"""

from __future__ import annotations

from pathlib import Path

#: Characters that make a spreadsheet treat a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df):
    """Return a copy of ``df`` in which no text cell can run as a spreadsheet formula.

    A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    gets a leading apostrophe. Numbers are left alone (a refund of ``-20.0`` stays a
    number), as are missing values and the column names' order.

    Parameters
    ----------
    df : DataFrame
        Any table; it is not changed.

    Returns
    -------
    DataFrame
        A new DataFrame; ``df`` is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.data.safe_csv import neutralise_formulas
    >>> df = pd.DataFrame({"name": ["=1+1", "Ann", "@SUM(A1)", None], "amount": [-5.0, 1.0, 2.0, 3.0]})
    >>> neutralise_formulas(df)["name"].tolist()
    ["'=1+1", 'Ann', "'@SUM(A1)", nan]
    >>> neutralise_formulas(df)["amount"].tolist()
    [-5.0, 1.0, 2.0, 3.0]
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"neutralise_formulas: expected a pandas DataFrame, got {type(df).__name__}")
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, (pd.StringDtype, pd.CategoricalDtype)) or s.dtype == object:
            text = s.astype(object)
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS)).astype(bool)
            if risky.any():
                text = text.where(~risky, "'" + text[risky].astype(str))
                # text columns keep their dtype; object and categorical columns become object
                out[col] = text.astype(s.dtype) if isinstance(s.dtype, pd.StringDtype) else text
    return out


def to_crm_csv(frame, path):
    """Write ``frame`` as a CSV file a CRM or e-mail tool imports, formulas neutralised.

    Parameters
    ----------
    frame : DataFrame
        The table to export; it is not changed.
    path : str or Path
        The file to write; its folder is created if missing.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from segtools.data.safe_csv import to_crm_csv
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> out = to_crm_csv(pd.DataFrame({"email": ["a@example.com"], "tags": ["+vip"]}), folder / "tags.csv")
    >>> out.read_text(encoding="utf-8")
    "email,tags\\na@example.com,'+vip\\n"
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_formulas(frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path
