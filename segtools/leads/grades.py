"""Grades, tiers and qualification stages from rule scores, all thresholds configurable.

A *grade* crosses how well a lead fits (letters A to D, A fits best) with how engaged it
is (digits 1 to 4, 1 most engaged): ``A1`` is a well-fitting, active lead, ``D4`` neither.
*Tiers* (hot, warm, cold) group grades into what sales does next; *stages* say whether
marketing (MQL) or sales (SQL) should own a lead.
"""

from __future__ import annotations

from segtools.errors import ValidationError
from segtools._validation import require_columns

LETTERS = ("A", "B", "C", "D")
LEVELS = (1, 2, 3, 4)
DEFAULT_HOT = ("A1", "A2", "B1")
DEFAULT_WARM = ("A3", "B2", "B3", "C1", "C2")


def _cuts(values, cuts, name):
    """Three descending minimums; None = the data's 75th, 50th and 25th percentiles."""
    import numpy as np

    if cuts is None:
        return tuple(float(q) for q in np.nanquantile(values, [0.75, 0.5, 0.25]))
    cuts = tuple(float(c) for c in cuts)
    if len(cuts) != 3 or list(cuts) != sorted(cuts, reverse=True):
        raise ValueError(f"{name} must be three descending thresholds, got {cuts}")
    return cuts


def _band(values, cuts):
    import numpy as np

    a, b, c = cuts
    return np.select([values >= a, values >= b, values >= c], [0, 1, 2], default=3)


def _tie_band(values):
    """Bands 0-3 by each value's mid-rank share, so a tie lands in one band at its middle, never at the top."""
    import numpy as np
    from scipy.stats import rankdata

    share = rankdata(values, method="average") / max(len(values), 1)
    return np.select([share > 0.75, share > 0.5, share > 0.25], [0, 1, 2], default=3)


def _auto_band(values, cuts, name):
    """Bands from given cuts, or from quartile cuts while they are distinct, else by mid-rank (ties)."""
    import numpy as np

    found = _cuts(values, cuts, name)
    if cuts is None and len(set(found)) < 3 and len(values):
        return _tie_band(np.asarray(values, dtype=float)), True
    return _band(np.asarray(values, dtype=float), found), False


def grade_leads(scores, *, fit_cuts=None, engagement_cuts=None, fit_col="fit_score",
                engagement_col="engagement_score"):
    """Add ``fit_grade`` (A-D), ``engagement_level`` (1-4) and ``grade`` (e.g. ``B2``) to scores.

    Parameters
    ----------
    scores : DataFrame
        Output of :class:`RuleScorer` (or any frame with the two score columns).
    fit_cuts, engagement_cuts : three numbers or None
        The minimum score for A/B/C (levels 1/2/3), descending; below the last is D (4).
        None takes the quartiles of ``scores``, which makes four groups of similar size.
        When many leads share a score the quartiles coincide; then each score's band is
        set by its mid-rank (a tie goes to the band of its middle, so a tied majority is
        never all "A"), and ``attrs["ties"]`` names the score that could not separate leads.
    fit_col, engagement_col : str
        The columns to grade.

    Returns
    -------
    DataFrame
        A copy of ``scores`` with the three new columns; ``attrs["ties"]`` lists the score
        columns whose quartiles collapsed (empty when every cut was distinct or given).

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import grade_leads
    >>> s = pd.DataFrame({"fit_score": [40, 20, 5, -5], "engagement_score": [0, 30, 12, 50]})
    >>> grade_leads(s, fit_cuts=(30, 15, 0), engagement_cuts=(40, 20, 10))["grade"].tolist()
    ['A4', 'B2', 'C3', 'D1']
    >>> tied = grade_leads(pd.DataFrame({"fit_score": [10] * 7 + [20], "engagement_score": [0] * 6 + [5, 9]}))
    >>> tied["grade"].tolist(), tied.attrs["ties"]
    (['C3', 'C3', 'C3', 'C3', 'C3', 'C3', 'C1', 'A1'], ['fit_score', 'engagement_score'])
    """
    import numpy as np

    require_columns(scores, [fit_col, engagement_col], table="scores")
    out = scores.copy()
    for col in (fit_col, engagement_col):
        if out[col].isna().any():
            raise ValidationError(f"scores: column {col!r} has {int(out[col].isna().sum())} missing values in "
                                  f"{len(out):,} rows", table="scores")
    f, f_tied = _auto_band(out[fit_col].to_numpy(float), fit_cuts, "fit_cuts")
    e, e_tied = _auto_band(out[engagement_col].to_numpy(float), engagement_cuts, "engagement_cuts")
    out["fit_grade"] = np.array(LETTERS, dtype=object)[f]
    out["engagement_level"] = (e + 1).astype("int64")
    out["grade"] = out["fit_grade"] + out["engagement_level"].astype(str)
    out["fit_grade"] = out["fit_grade"].astype("str")
    out["grade"] = out["grade"].astype("str")
    out.attrs["ties"] = [c for c, t in ((fit_col, f_tied), (engagement_col, e_tied)) if t]
    return out


def grade_matrix(graded, outcome, *, fit_grade_col="fit_grade", engagement_level_col="engagement_level"):
    """Leads, conversions and conversion rate for every cell of the grade matrix (all 16, even empty).

    Parameters
    ----------
    graded : DataFrame
        Output of :func:`grade_leads`.
    outcome : array-like of bool
        Whether each lead converted, aligned with ``graded``.
    fit_grade_col, engagement_level_col : str
        The grade columns of ``graded``.

    Returns
    -------
    DataFrame
        ``fit_grade``, ``engagement_level``, ``leads``, ``conversions``, ``rate`` (NaN when empty).

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import grade_matrix
    >>> g = pd.DataFrame({"fit_grade": ["A", "A", "B"], "engagement_level": [1, 1, 2]})
    >>> m = grade_matrix(g, [True, False, True])
    >>> m.query("leads > 0")[["fit_grade", "engagement_level", "leads", "rate"]].to_dict("records")
    [{'fit_grade': 'A', 'engagement_level': 1, 'leads': 2, 'rate': 0.5}, {'fit_grade': 'B', 'engagement_level': 2, 'leads': 1, 'rate': 1.0}]
    """
    import numpy as np
    import pandas as pd

    require_columns(graded, [fit_grade_col, engagement_level_col], table="scores")
    y = np.asarray(outcome, dtype=float)
    if len(y) != len(graded):
        raise ValueError(f"outcome has {len(y):,} values for {len(graded):,} rows of graded")
    frame = pd.DataFrame({"fit_grade": graded[fit_grade_col].to_numpy(), "engagement_level":
                          graded[engagement_level_col].to_numpy(), "y": y})
    agg = frame.groupby(["fit_grade", "engagement_level"]).agg(leads=("y", "size"), conversions=("y", "sum"))
    full = pd.MultiIndex.from_product([LETTERS, LEVELS], names=["fit_grade", "engagement_level"])
    agg = agg.reindex(full, fill_value=0).reset_index()
    agg["fit_grade"] = agg["fit_grade"].astype("str")
    agg["leads"] = agg["leads"].astype("int64")
    agg["conversions"] = agg["conversions"].astype("int64")
    agg["rate"] = agg["conversions"] / agg["leads"].where(agg["leads"] > 0)
    return agg


def tier_leads(graded, *, hot=DEFAULT_HOT, warm=DEFAULT_WARM, grade_col="grade"):
    """Add a ``tier`` column: hot, warm or cold, from lists of grades.

    Parameters
    ----------
    graded : DataFrame
        Output of :func:`grade_leads` (or any frame with a grade column).
    hot, warm : sequence of str
        The grades of each tier; every other grade is cold.
    grade_col : str, default "grade"
        The grade column.

    Returns
    -------
    DataFrame
        A copy of ``graded`` with an ordered categorical ``tier`` (hot, warm, cold).

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import tier_leads
    >>> tier_leads(pd.DataFrame({"grade": ["A1", "B2", "D4"]}))["tier"].tolist()
    ['hot', 'warm', 'cold']
    """
    import numpy as np
    import pandas as pd

    require_columns(graded, [grade_col], table="scores")
    both = set(hot) & set(warm)
    if both:
        raise ValueError(f"grades {sorted(both)} are both hot and warm")
    out = graded.copy()
    g = out[grade_col]
    tier = np.select([g.isin(hot).to_numpy(), g.isin(warm).to_numpy()], ["hot", "warm"], default="cold")
    out["tier"] = pd.Categorical(tier, categories=["hot", "warm", "cold"], ordered=True)
    return out


def qualify_leads(scores, *, mql=25.0, sql=50.0, sql_min_fit=None, score_col="score", fit_col="fit_score"):
    """Add a ``stage`` column: ``SQL``, ``MQL`` or ``lead``.

    Parameters
    ----------
    scores : DataFrame
        Rule scores.
    mql : float
        Marketing-qualified from this total score up: marketing nurtures the lead.
    sql : float
        Sales-qualified from this total score up: sales calls.
    sql_min_fit : float or None
        Also require this fit score for SQL (a very active lead that does not fit stays MQL).
    score_col, fit_col : str
        The total score and fit score columns.

    Returns
    -------
    DataFrame
        A copy of ``scores`` with an ordered categorical ``stage`` (SQL, MQL, lead).

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import qualify_leads
    >>> s = pd.DataFrame({"score": [10, 30, 70, 70], "fit_score": [0, 10, 30, -5]})
    >>> qualify_leads(s, mql=25, sql=50, sql_min_fit=0)["stage"].tolist()
    ['lead', 'MQL', 'SQL', 'MQL']
    """
    import numpy as np
    import pandas as pd

    if sql < mql:
        raise ValueError(f"the SQL threshold ({sql}) is below the MQL threshold ({mql})")
    require_columns(scores, [score_col] + ([fit_col] if sql_min_fit is not None else []), table="scores")
    out = scores.copy()
    s = out[score_col].to_numpy(float)
    is_sql = s >= sql
    if sql_min_fit is not None:
        is_sql &= out[fit_col].to_numpy(float) >= sql_min_fit
    stage = np.select([is_sql, s >= mql], ["SQL", "MQL"], default="lead")
    out["stage"] = pd.Categorical(stage, categories=["SQL", "MQL", "lead"], ordered=True)
    return out
