"""Input checks shared by the lead modules: clear errors that name table, column and rows."""

from __future__ import annotations

from functools import partial

from segtools import checks
from segtools.errors import ValidationError

#: Columns known only once a lead's outcome is known: using them as features leaks the answer.
POST_OUTCOME_COLUMNS = ("converted_at", "status", "customer_id", "deal_value")
#: The outcome the scorers predict.
TARGET = "converted"


# The shared checks, with "leads" as the table named when a caller does not say.
require_frame = partial(checks.require_frame, table="leads")
require_columns = partial(checks.require_columns, table="leads")
require_no_missing = partial(checks.require_no_missing, table="leads")


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
