"""Input checks shared by the customer functions: clear errors that name table, column and rows."""

from __future__ import annotations

import pandas as pd

from segtools.errors import ValidationError


def _examples(labels, k: int = 5) -> str:
    shown = ", ".join(str(x) for x in list(labels[:k]))
    return shown + (", ..." if len(labels) > k else "")


def require_frame(df, table: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"{table}: expected a pandas DataFrame, got {type(df).__name__}", table=table)


def require_columns(df: pd.DataFrame, columns, table: str) -> None:
    require_frame(df, table)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(
            f"table {table!r} ({len(df):,} rows) has no column {', '.join(map(repr, missing))}; "
            f"it has {', '.join(map(str, df.columns))}",
            table=table,
        )


def _problem(table: str, column: str, check: str, bad: pd.Series, message: str):
    labels = bad.index[bad.to_numpy()]
    problems = pd.DataFrame({"column": [column], "check": [check], "rows": [len(labels)],
                             "examples": [_examples(labels)]})
    raise ValidationError(f"table {table!r}, column {column!r}: {len(labels):,} of {len(bad):,} rows {message} "
                          f"(row labels {_examples(labels)})", table=table, problems=problems)


def require_no_missing(df: pd.DataFrame, columns, table: str) -> None:
    for column in columns:
        bad = df[column].isna()
        if bad.any():
            _problem(table, column, "not missing", bad, "are missing")


def require_datetime(df: pd.DataFrame, column: str, table: str) -> None:
    dtype = df[column].dtype
    if not pd.api.types.is_datetime64_dtype(dtype) or isinstance(dtype, pd.DatetimeTZDtype):
        raise ValidationError(
            f"table {table!r}, column {column!r}: all {len(df):,} rows must be timezone-naive dates "
            f"(datetime64), found {dtype}; convert with pd.to_datetime",
            table=table,
        )


def require_numeric(df: pd.DataFrame, column: str, table: str) -> None:
    dtype = df[column].dtype
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        raise ValidationError(
            f"table {table!r}, column {column!r}: all {len(df):,} rows must be numbers, found {dtype}",
            table=table,
        )


def require_choice(name: str, value, choices) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
