"""Input checks shared by every segtools module: errors that name the table, the column and the rows.

Each check raises :class:`segtools.errors.ValidationError` (``err.table`` is set) instead of
letting a confusing error surface from deep inside pandas or scikit-learn.
"""

from __future__ import annotations

from segtools.errors import ValidationError


def _examples(labels, k: int = 5) -> str:
    shown = ", ".join(str(x) for x in list(labels[:k]))
    return shown + (", ..." if len(labels) > k else "")


def require_frame(df, table: str = "table") -> None:
    """Raise unless ``df`` is a pandas DataFrame."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"{table}: expected a pandas DataFrame, got {type(df).__name__}", table=table)


def require_columns(df, columns, table: str = "table", why: str = "") -> None:
    """Raise naming every column of ``columns`` that ``df`` lacks, the row count and what it has."""
    require_frame(df, table)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        reason = f" ({why})" if why else ""
        raise ValidationError(
            f"{table}: column(s) {', '.join(map(repr, missing))} not found in {len(df):,} rows{reason}; "
            f"the table has {', '.join(map(str, df.columns))}", table=table)


def _problem(table: str, column: str, check: str, bad, message: str):
    import pandas as pd

    labels = bad.index[bad.to_numpy()]
    problems = pd.DataFrame({"column": [column], "check": [check], "rows": [len(labels)],
                             "examples": [_examples(labels)]})
    raise ValidationError(f"table {table!r}, column {column!r}: {len(labels):,} of {len(bad):,} rows {message} "
                          f"(row labels {_examples(labels)})", table=table, problems=problems)


def require_no_missing(df, columns, table: str = "table") -> None:
    """Raise if any of ``columns`` (a name or a list) has missing values, with the count and row labels."""
    for column in [columns] if isinstance(columns, str) else columns:
        bad = df[column].isna()
        if bad.any():
            _problem(table, column, "not missing", bad, "are missing")


def require_datetime(df, column: str, table: str = "table") -> None:
    """Raise unless ``column`` holds timezone-naive dates (datetime64)."""
    import pandas as pd

    dtype = df[column].dtype
    if not pd.api.types.is_datetime64_dtype(dtype) or isinstance(dtype, pd.DatetimeTZDtype):
        raise ValidationError(
            f"table {table!r}, column {column!r}: all {len(df):,} rows must be timezone-naive dates "
            f"(datetime64), found {dtype}; convert with pd.to_datetime", table=table)


def require_numeric(df, column: str, table: str = "table") -> None:
    """Raise unless ``column`` holds numbers (booleans do not count)."""
    import pandas as pd

    dtype = df[column].dtype
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        raise ValidationError(
            f"table {table!r}, column {column!r}: all {len(df):,} rows must be numbers, found {dtype}", table=table)


def require_choice(name: str, value, choices) -> None:
    """Raise a ValueError unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
