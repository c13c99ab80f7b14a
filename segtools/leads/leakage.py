"""The leak alarm of lead scoring, in one place: which columns give the outcome away.

A column filled in once a lead's outcome is known (the date it converted, its status, the
customer it became, the deal's value, a sales "current status" tag, the call's duration)
predicts the outcome perfectly in history and not at all for an open lead. Three kinds of
columns are named here and kept out of every model and learned points table:

* **post-outcome**: the contract's post-outcome columns, the target, and the columns an
  analyst declares (``post_outcome=`` or ``post_outcome:`` in the mapping), matched
  case- and space-insensitively;
* **outcome copy**: the outcome under another name (a column that agrees with it, or with
  its opposite, on at least 99% of the rows);
* **separates alone**: a column whose values alone rank the outcome almost perfectly
  (single-column ROC AUC of at least 0.9), or whose large levels are nearly pure (converted
  at 97% or more, or at 3% or less, and holding most of both classes).

Keeping a flagged column takes an explicit ``keep_flagged=[...]``.

Examples
--------
>>> import pandas as pd
>>> from segtools.leads.leakage import leak_alarm
>>> leads = pd.DataFrame({"visits": [1, 5, 2, 8] * 25, "y": ["yes", "no", "no", "yes"] * 25})
>>> leads["won"] = leads["y"].eq("yes")
>>> leak_alarm(leads, "y")[["column", "reason"]].to_dict("records")
[{'column': 'won', 'reason': 'outcome copy'}]
"""

from __future__ import annotations

from segtools.data.contracts import CONTRACTS
from segtools.errors import ValidationError

#: Columns known only once a lead's outcome is known: using them as features leaks the answer.
POST_OUTCOME_COLUMNS = CONTRACTS["leads"].post_outcome
#: The outcome the scorers predict.
TARGET = "converted"
#: Words read as a converted (True) or not converted (False) outcome, in any case.
TRUE_WORDS = ("1", "1.0", "yes", "y", "true", "t", "won", "converted", "ja", "j", "oui", "si", "sí")
FALSE_WORDS = ("0", "0.0", "no", "n", "false", "f", "lost", "not converted", "nee", "nein", "non")
#: A column alone with at least this ROC AUC separates the outcome "almost perfectly".
AUC_ALARM = 0.9
#: Levels converting at least (or at most 1 minus) this share are "nearly pure".
PURE_LEVEL = 0.97
#: The least rows a level needs to count (rarer levels are pooled).
MIN_LEVEL_ROWS = 20
ALARM_COLUMNS = ["column", "reason", "evidence", "kept"]


def _key(name) -> str:
    """A column name folded for matching: lower case, no spaces, underscores or dashes."""
    return "".join(ch for ch in str(name).lower() if ch not in " _-\t")


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


def post_outcome_columns(columns, post_outcome=()) -> list:
    """Which of ``columns`` are post-outcome, matching names case- and space-insensitively.

    Parameters
    ----------
    columns : iterable of str
        A table's columns.
    post_outcome : str or iterable of str
        The analyst's declared post-outcome names (``"Current Status"`` matches ``current_status``).

    Returns
    -------
    list of str
        The matching columns, in table order.

    Examples
    --------
    >>> from segtools.leads.leakage import post_outcome_columns
    >>> post_outcome_columns(["lead_id", "Current Status", "visits"], ["current_status"])
    ['Current Status']
    """
    keys = {_key(c) for c in post_outcome_set(post_outcome)}
    return [c for c in columns if _key(c) in keys]


def outcome_flags(values, *, name: str = "converted"):
    """Read an outcome column as True/False: 1/0, yes/no, true/false, Y/N, won/lost in any case.

    Parameters
    ----------
    values : Series
        The outcome as the file has it (bool, numbers or words; missing stays missing).
    name : str
        The column's name as the user gave it, for the message.

    Returns
    -------
    Series
        Nullable ``boolean``, indexed like ``values``.

    Raises
    ------
    ValueError
        When a value is none of the known words, naming the values and how many rows have them.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads.leakage import outcome_flags
    >>> outcome_flags(pd.Series(["Yes", "no", None, "Y"])).tolist()
    [True, False, <NA>, True]
    """
    import pandas as pd

    if values.dtype == bool or str(values.dtype) == "boolean":
        return values.astype("boolean")
    words = values.astype("str").str.strip().str.lower().where(values.notna())
    known = words.isin(TRUE_WORDS) | words.isin(FALSE_WORDS) | words.isna()
    if not known.all():
        bad = words[~known].value_counts()
        shown = ", ".join(f"{v!r} ({n:,} rows)" for v, n in bad.head(5).items())
        raise ValueError(f"outcome column {name!r} must be 1/0, yes/no, true/false or Y/N; it has {shown}")
    return pd.Series(words.isin(TRUE_WORDS), index=values.index, dtype="boolean").where(words.notna())


def _codes(series):
    """A column as numbers for a one-column AUC: numbers as they are, text as its pooled level."""
    import pandas as pd

    if str(series.dtype).startswith("datetime"):
        return series.astype("int64").where(series.notna()).astype(float), None
    if series.dtype == bool or pd.api.types.is_numeric_dtype(series):
        return pd.to_numeric(series, errors="coerce").astype(float), None
    text = series.astype("str").where(series.notna(), "(missing)")
    counts = text.value_counts()
    rare = counts.index[counts < MIN_LEVEL_ROWS]
    return None, text.where(~text.isin(rare), "(rare)")


def _auc(y, score) -> float:
    """ROC AUC by the rank-sum (Mann-Whitney) formula: ties count half, as scikit-learn's."""
    from scipy.stats import rankdata

    n1 = int(y.sum())
    n0 = len(y) - n1
    return float((rankdata(score)[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _column_alarm(series, y):
    """``(reason, evidence)`` when ``series`` gives the outcome ``y`` (bool array) away, else None."""
    import numpy as np
    import pandas as pd

    numbers, levels = _codes(series)
    if levels is None and numbers.notna().sum() == 0:
        return None
    as_flag = None
    if series.nunique(dropna=True) <= 2:
        try:
            as_flag = outcome_flags(series).to_numpy(dtype=float, na_value=np.nan)
        except (ValueError, TypeError):
            as_flag = None
    if as_flag is not None and np.isfinite(as_flag).mean() > 0.5:
        ok = np.isfinite(as_flag)
        agree = float((as_flag[ok] == y[ok]).mean())
        if max(agree, 1 - agree) >= 0.99:
            return "outcome copy", f"equals the outcome{'' if agree >= 0.99 else ' reversed'} on {max(agree, 1 - agree):.1%} of {int(ok.sum()):,} rows"
    if levels is not None:
        rate = pd.Series(y).groupby(levels.to_numpy()).mean()
        score = levels.map(rate).to_numpy(float)
    else:
        score = numbers.fillna(numbers.median() if numbers.notna().any() else 0).to_numpy(float)
        if np.isnan(score).any():
            return None
    if len(np.unique(score)) < 2:
        return None
    auc = _auc(y, score)
    auc = max(auc, 1 - auc)
    if auc >= AUC_ALARM:
        return "separates alone", f"ROC AUC {auc:.3f} from this column alone"
    if levels is not None:
        frame = pd.DataFrame({"level": levels.to_numpy(), "y": y})
        per = frame.groupby("level")["y"].agg(["size", "mean", "sum"])
        per = per[per["size"] >= MIN_LEVEL_ROWS]
        hi = per[per["mean"] >= PURE_LEVEL]
        lo = per[per["mean"] <= 1 - PURE_LEVEL]
        pos, neg = y.sum(), (~y).sum()
        if len(hi) and len(lo) and hi["sum"].sum() >= 0.5 * pos and (lo["size"] - lo["sum"]).sum() >= 0.5 * neg:
            return "nearly pure levels", (f"{len(hi)} level(s) convert at {PURE_LEVEL:.0%}+ and {len(lo)} at "
                                          f"{1 - PURE_LEVEL:.0%} or less, over {int(hi['size'].sum() + lo['size'].sum()):,} rows")
    return None


def leak_alarm(leads, outcome_col: str = TARGET, *, post_outcome=(), keep_flagged=(), exclude=("lead_id",)):
    """Name every column of ``leads`` that gives the outcome away, with the evidence.

    Parameters
    ----------
    leads : DataFrame
        Leads with the outcome column (rows with a missing outcome are not used).
    outcome_col : str, default "converted"
        The outcome column (1/0, yes/no, true/false, Y/N).
    post_outcome : str or iterable of str
        Columns the analyst declares post-outcome (matched case- and space-insensitively).
    keep_flagged : iterable of str
        Flagged columns to keep anyway (their row says ``kept``).
    exclude : iterable of str
        Columns not to test (identifiers).

    Returns
    -------
    DataFrame
        ``column, reason, evidence, kept``: one row per flagged column; reasons are
        ``post-outcome``, ``outcome copy``, ``separates alone``, ``nearly pure levels``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads.leakage import leak_alarm
    >>> leads = pd.DataFrame({"Tag": ["won deal", "lost"] * 50, "visits": range(100),
    ...                       "converted": [True, False] * 50, "Call minutes": range(100)})
    >>> leak_alarm(leads, post_outcome=["call minutes"])[["column", "reason"]].values.tolist()
    [['Tag', 'separates alone'], ['Call minutes', 'post-outcome']]
    """
    import numpy as np
    import pandas as pd

    if outcome_col not in leads.columns:
        raise ValueError(f"outcome_col {outcome_col!r} is not a column of leads")
    if isinstance(keep_flagged, str):
        keep_flagged = (keep_flagged,)
    keep = {_key(c) for c in keep_flagged}
    y_all = outcome_flags(leads[outcome_col], name=outcome_col)
    known = y_all.notna().to_numpy()
    y = y_all[known].to_numpy(dtype=bool)
    declared = set(post_outcome_columns(leads.columns, post_outcome))
    builtin = {_key(c) for c in post_outcome_set()}
    skip = {outcome_col, *exclude}
    rows = []
    for col in leads.columns:
        if col in skip:
            continue
        if col in declared:
            own = col in post_outcome_columns([col], tuple(post_outcome) if not isinstance(post_outcome, str)
                                              else (post_outcome,)) and _key(col) not in builtin
            rows.append((col, "post-outcome", "declared post-outcome (mapping or post_outcome=)" if own else
                         "filled in after the outcome (leads contract)"))
            continue
        if y.all() or not y.any():
            continue
        found = _column_alarm(leads[col][known].reset_index(drop=True), y)
        if found:
            rows.append((col, *found))
    out = pd.DataFrame(rows, columns=ALARM_COLUMNS[:3])
    out["kept"] = np.array([_key(c) in keep for c in out["column"]], dtype=bool)
    return out


def refuse_post_outcome(columns, n_rows: int, *, post_outcome=(), table: str = "leads") -> None:
    """Raise if any of ``columns`` is known only after the outcome (leakage).

    Parameters
    ----------
    columns : iterable of str
        The columns a scorer is about to use.
    n_rows : int
        The table's rows, for the message.
    post_outcome : str or iterable of str
        More post-outcome columns (matched case- and space-insensitively).
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
    leaked = post_outcome_columns(columns, post_outcome)
    if leaked:
        raise ValidationError(
            f"{table}: column(s) {', '.join(map(repr, leaked))} in {n_rows:,} rows are known only after the "
            "outcome (post-outcome); a scorer trained on them learns the answer, not the lead. Drop them, "
            "or use segtools.leads.lead_features(leads) to select features.", table=table)
