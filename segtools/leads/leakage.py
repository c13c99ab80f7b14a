"""The leakage rules of lead scoring, in one place: which columns are known only after the outcome.

A column filled in once a lead's outcome is known (the date it converted, its status, the
customer it became, the deal's value) predicts the outcome perfectly in history and not at
all for an open lead. The scorers refuse such columns as features.
"""

from __future__ import annotations

from segtools.data.contracts import CONTRACTS
from segtools.errors import ValidationError

#: Columns known only once a lead's outcome is known: using them as features leaks the answer.
POST_OUTCOME_COLUMNS = CONTRACTS["leads"].post_outcome
#: The outcome the scorers predict.
TARGET = "converted"


def post_outcome_set(post_outcome=()) -> tuple:
    """The post-outcome columns plus the target plus the analyst's own ``post_outcome`` names.

    Parameters
    ----------
    post_outcome : str or iterable of str
        More columns the analyst knows to be filled in after the outcome.

    Returns
    -------
    tuple of str
        Every column a scorer must not use, without repeats.

    Examples
    --------
    >>> from segtools.leads.leakage import post_outcome_set
    >>> post_outcome_set("call_notes")[-1]
    'call_notes'
    """
    if isinstance(post_outcome, str):
        post_outcome = (post_outcome,)
    return tuple(dict.fromkeys((*POST_OUTCOME_COLUMNS, TARGET, *post_outcome)))


def refuse_post_outcome(columns, n_rows: int, *, post_outcome=(), table: str = "leads") -> None:
    """Raise if any of ``columns`` is known only after the outcome (leakage).

    Parameters
    ----------
    columns : iterable of str
        The columns a scorer is about to use.
    n_rows : int
        The table's rows, for the message.
    post_outcome : str or iterable of str
        More post-outcome columns.
    table : str
        The table's name, for the message.

    Raises
    ------
    ValidationError
        Naming every leaking column.

    Returns
    -------
    None
    """
    leaked = [c for c in columns if c in post_outcome_set(post_outcome)]
    if leaked:
        raise ValidationError(
            f"{table}: column(s) {', '.join(map(repr, leaked))} in {n_rows:,} rows are known only after the "
            "outcome (post-outcome); a scorer trained on them learns the answer, not the lead. Drop them, "
            "or use segtools.leads.lead_features(leads) to select features.", table=table)
