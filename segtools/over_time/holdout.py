"""Hold-out tests: split a target segment at random, then compare the campaign group with the hold-out."""

from __future__ import annotations

import math

from segtools._validation import require_columns, require_no_missing
from segtools.errors import ValidationError


def assign_holdout(data, *, fraction: float = 0.2, random_state: int = 0, group_col: str = "group",
                   treated: str = "campaign", control: str = "hold_out"):
    """Split rows at random into a campaign group and a hold-out group (a copy with ``group_col``).

    Exactly ``round(fraction * len(data))`` rows go to the hold-out group; the same
    ``random_state`` gives the same split.

    Parameters
    ----------
    data : DataFrame
        One row per targeted customer.
    fraction : float, default 0.2
        The share of rows held out, strictly between 0 and 1.
    random_state : int, default 0
        Seed of the random split.
    group_col : str, default "group"
        The column added.
    treated, control : str
        The labels of the campaign group and the hold-out group.

    Returns
    -------
    DataFrame
        A copy of ``data`` with ``group_col``.

    Examples
    --------
    >>> import pandas as pd
    >>> split = assign_holdout(pd.DataFrame({"customer_id": list("abcdefghij")}), fraction=0.3, random_state=1)
    >>> split["group"].value_counts().to_dict()
    {'campaign': 7, 'hold_out': 3}
    """
    import numpy as np
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data: expected a pandas DataFrame, got {type(data).__name__}")
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie strictly between 0 and 1, got {fraction}")
    n_hold = round(fraction * len(data))
    if n_hold == 0 or n_hold == len(data):
        raise ValueError(f"a hold-out of {fraction:.0%} of {len(data):,} rows leaves a group empty")
    order = np.random.default_rng(random_state).permutation(len(data))
    groups = np.full(len(data), treated, dtype=object)
    groups[order[:n_hold]] = control
    out = data.copy()
    out[group_col] = groups
    return out


def holdout_test(data, *, outcome_col: str, group_col: str = "group", treated: str = "campaign",
                 control: str = "hold_out", confidence: float = 0.95):
    """Compare the outcome rate of the campaign group with the hold-out group.

    The difference of the two rates gets a normal-approximation (Wald) confidence interval,
    ``d +- z * sqrt(p1 (1 - p1) / n1 + p0 (1 - p0) / n0)``. If the interval excludes zero,
    the campaign changed the rate at that confidence; if it straddles zero, the test cannot
    tell the campaign from chance.

    Parameters
    ----------
    data : DataFrame
        One row per targeted customer, with the group and a True/False outcome.
    outcome_col : str
        The outcome (e.g. ``active_after`` = still a customer three months later).
    group_col : str, default "group"
        The group column (as made by :func:`assign_holdout`).
    treated, control : str
        The labels of the campaign group and the hold-out group.
    confidence : float, default 0.95
        The confidence level of the interval.

    Returns
    -------
    DataFrame
        One row: ``n_campaign``, ``n_hold_out``, ``rate_campaign``, ``rate_hold_out``,
        ``difference``, ``ci_low``, ``ci_high``, ``lift`` (rate_campaign / rate_hold_out)
        and ``confidence``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"group": ["campaign"] * 100 + ["hold_out"] * 100,
    ...                    "kept": [True] * 60 + [False] * 40 + [True] * 50 + [False] * 50})
    >>> r = holdout_test(df, outcome_col="kept").iloc[0]
    >>> [round(float(r[k]), 4) for k in ("difference", "ci_low", "ci_high")]
    [0.1, -0.0372, 0.2372]
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import norm

    require_columns(data, [group_col, outcome_col], "campaign")
    require_no_missing(data, outcome_col, "campaign")
    outcome = data[outcome_col]
    if not outcome.isin([True, False]).all():
        raise ValidationError(f"campaign: column {outcome_col!r} must be True/False; "
                              f"{int((~outcome.isin([True, False])).sum()):,} of {len(data):,} rows are not",
                              table="campaign")
    other = ~data[group_col].isin([treated, control])
    if other.any():
        raise ValidationError(f"campaign: column {group_col!r} has {int(other.sum()):,} row(s) in neither "
                              f"{treated!r} nor {control!r} ({len(data):,} rows)", table="campaign")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence}")
    stats = {}
    for name in (treated, control):
        y = outcome[data[group_col] == name].astype(bool)
        if len(y) == 0:
            raise ValidationError(f"campaign: group {name!r} is empty in {len(data):,} rows", table="campaign")
        stats[name] = (len(y), float(y.mean()))
    (n1, p1), (n0, p0) = stats[treated], stats[control]
    z = norm.ppf(0.5 + confidence / 2)
    se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    d = p1 - p0
    return pd.DataFrame([{f"n_{treated}": n1, f"n_{control}": n0, f"rate_{treated}": p1, f"rate_{control}": p0,
                          "difference": d, "ci_low": d - z * se, "ci_high": d + z * se,
                          "lift": p1 / p0 if p0 > 0 else np.nan, "confidence": confidence}])
