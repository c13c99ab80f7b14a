"""Lead segments with conversion rates and Wilson confidence intervals.

A segment of 12 leads with 3 conversions has a 25% conversion rate, but the true rate could
plausibly be anywhere from 9% to 53%. The Wilson interval says so, and segments too small to
judge are flagged rather than dropped.
"""

from __future__ import annotations

from segtools.errors import ValidationError
from segtools._validation import require_columns, require_frame


def wilson_interval(successes, trials, *, confidence: float = 0.95):
    """Wilson score interval for a proportion; returns ``(low, high)`` arrays (NaN where no trials).

    Parameters
    ----------
    successes : int or array-like of int
        Conversions, between 0 and ``trials``.
    trials : int or array-like of int
        Leads.
    confidence : float, default 0.95
        The confidence level, between 0 and 1.

    Returns
    -------
    low, high : ndarray of float
        The interval bounds, NaN where ``trials`` is 0.

    Examples
    --------
    >>> from segtools.leads import wilson_interval
    >>> low, high = wilson_interval(3, 12)
    >>> round(float(low), 4), round(float(high), 4)
    (0.0889, 0.5323)
    """
    import numpy as np
    from scipy.stats import norm

    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1")
    if (k < 0).any() or (k > n).any():
        raise ValueError("successes must lie between 0 and trials")
    z = norm.ppf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # The exact bounds at 0 and n successes are 0 and 1; say so instead of rounding to 0.9999999999999999.
    low = np.where((k == 0) & (n > 0), 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where((k == n) & (n > 0), 1.0, np.clip(centre + half, 0.0, 1.0))
    return low, high


def segment_conversion(leads, by, *, outcome_col="converted", min_leads: int = 30, confidence: float = 0.95,
                       max_width: float | None = None):
    """Conversion rate per lead segment, with a Wilson interval and a too-small flag.

    Parameters
    ----------
    leads : DataFrame
        Leads whose outcome is known (leave out the ones too recent to judge).
    by : str or list of str
        Segment columns (text, flags, or numbers already binned, e.g. with ``pd.cut``).
        Missing values form their own segment, shown as ``"(missing)"``.
    outcome_col : str
        The boolean outcome column.
    min_leads : int
        Segments with fewer leads are flagged ``too_small``.
    confidence : float, default 0.95
        The confidence level of the Wilson interval.
    max_width : float, optional
        Also flag segments whose interval is wider than this (e.g. 0.2 = 20 points).

    Returns
    -------
    DataFrame
        The segment columns, ``leads``, ``conversions``, ``rate``, ``ci_low``, ``ci_high``,
        ``too_small``, sorted by rate (highest first). Every lead is in exactly one row.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import segment_conversion
    >>> leads = pd.DataFrame({"industry": ["a"] * 40 + ["b"] * 5, "converted": [True] * 10 + [False] * 35})
    >>> segment_conversion(leads, "industry")[["industry", "leads", "conversions", "too_small"]].values.tolist()
    [['a', 40, 10, False], ['b', 5, 0, True]]
    """
    import pandas as pd

    require_frame(leads, table="leads")
    by = [by] if isinstance(by, str) else list(by)
    require_columns(leads, by + [outcome_col], why="segment columns and outcome", table="leads")
    y = leads[outcome_col]
    if y.isna().any():
        raise ValidationError(f"leads: column {outcome_col!r} has {int(y.isna().sum()):,} missing values in "
                              f"{len(leads):,} rows; keep only leads whose outcome is known", table="leads")
    keys = {}
    for col in by:
        s = leads[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        keys[col] = s.astype(object).where(s.notna(), "(missing)").astype(str)
    frame = pd.DataFrame(keys).assign(_y=y.astype(bool).to_numpy())
    out = frame.groupby(by, sort=True).agg(leads=("_y", "size"), conversions=("_y", "sum")).reset_index()
    out["leads"] = out["leads"].astype("int64")
    out["conversions"] = out["conversions"].astype("int64")
    out["rate"] = out["conversions"] / out["leads"]
    out["ci_low"], out["ci_high"] = wilson_interval(out["conversions"], out["leads"], confidence=confidence)
    out["too_small"] = out["leads"] < min_leads
    if max_width is not None:
        out["too_small"] |= (out["ci_high"] - out["ci_low"]) > max_width
    return out.sort_values(["rate", "leads"], ascending=[False, False], kind="stable").reset_index(drop=True)
