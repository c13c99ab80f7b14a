"""Input checks shared by the lead modules: clear errors that name table, column and rows."""

from __future__ import annotations

from segtools.errors import ValidationError

#: Columns known only once a lead's outcome is known: using them as features leaks the answer.
POST_OUTCOME_COLUMNS = ("converted_at", "status", "customer_id", "deal_value")
#: The outcome the scorers predict.
TARGET = "converted"


def require_frame(df, table: str = "leads"):
    """Raise unless ``df`` is a pandas DataFrame."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"{table}: expected a pandas DataFrame, got {type(df).__name__}", table=table)


def require_columns(df, columns, table: str = "leads", why: str = "") -> None:
    """Raise a ValidationError naming every column of ``columns`` that ``df`` lacks."""
    require_frame(df, table)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        reason = f" ({why})" if why else ""
        raise ValidationError(
            f"{table}: column(s) {', '.join(map(repr, missing))} not found in {len(df):,} rows{reason}; "
            f"the table has {', '.join(map(str, df.columns))}", table=table)


def require_no_missing(df, column: str, table: str = "leads") -> None:
    """Raise if ``column`` has missing values, with the count and example row labels."""
    bad = df[column].isna()
    if bad.any():
        examples = ", ".join(map(str, df.index[bad][:5]))
        raise ValidationError(
            f"{table}: column {column!r} has {int(bad.sum()):,} missing value(s) in {len(df):,} rows "
            f"(e.g. rows {examples})", table=table)


def post_outcome_set(post_outcome=()) -> tuple:
    """The post-outcome columns plus the target plus the analyst's own ``post_outcome`` names."""
    if isinstance(post_outcome, str):
        post_outcome = (post_outcome,)
    return tuple(dict.fromkeys((*POST_OUTCOME_COLUMNS, TARGET, *post_outcome)))


def refuse_post_outcome(columns, n_rows: int, post_outcome=(), table: str = "leads") -> None:
    """Raise if any of ``columns`` is known only after the outcome (leakage)."""
    leaked = [c for c in columns if c in post_outcome_set(post_outcome)]
    if leaked:
        raise ValidationError(
            f"{table}: column(s) {', '.join(map(repr, leaked))} in {n_rows:,} rows are known only after the "
            "outcome (post-outcome); a scorer trained on them learns the answer, not the lead. Drop them, "
            "or use segtools.leads.lead_features(leads) to select features.", table=table)
