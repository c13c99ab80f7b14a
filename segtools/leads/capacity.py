"""Prioritisation under sales capacity: who to call this week, and what it is worth.

A sales team can follow up only so many leads a week. Given each lead's chance to convert
(and optionally its expected deal value) these functions build the ranked call list and
compare three ways to spend the same capacity on held-out leads: by score, first come
first served, and at random.
"""

from __future__ import annotations

from segtools.errors import ValidationError
from segtools._validation import require_columns, require_frame, require_no_missing

STRATEGIES = ("score", "fcfs", "random")


def _vector(leads, values, name, default=None):
    """A float numpy array aligned with ``leads``: from a column name, a scalar or array-like."""
    import numpy as np

    if values is None:
        if default is None:
            raise ValueError(f"{name} is required")
        values = default
    if isinstance(values, str):
        require_columns(leads, [values], why=name, table="leads")
        values = leads[values]
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        arr = np.full(len(leads), float(arr))
    if arr.shape != (len(leads),):
        raise ValidationError(f"leads: {name} has {arr.size:,} values for {len(leads):,} rows", table="leads")
    return arr


def _probabilities(p, name="probability"):
    """Refuse values outside [0, 1]: expected conversions need calibrated probabilities, not points."""
    import numpy as np

    finite = p[np.isfinite(p)]
    if finite.size and (finite.min() < 0 or finite.max() > 1):
        raise ValueError(f"{name} must be calibrated probabilities in [0, 1], got values from {finite.min():g} "
                         f"to {finite.max():g}; rule points are not probabilities (call_list(..., kind='points') "
                         "ranks by points without expected conversions)")
    return p


def boundary_ties(score, capacity: int) -> dict:
    """How many leads share the score at the call-list boundary, and how many of them fit on the list.

    Parameters
    ----------
    score : array-like of float
        The scores (probabilities or points) of the leads to rank, higher first.
    capacity : int
        The length of the call list.

    Returns
    -------
    dict
        ``score`` at the boundary (None when everybody fits), ``tied`` leads with that score,
        ``called`` of them on the list, ``distinct_scores``.

    Examples
    --------
    >>> from segtools.leads.capacity import boundary_ties
    >>> boundary_ties([0.9, 0.5, 0.5, 0.5, 0.1], 2)
    {'score': 0.5, 'tied': 3, 'called': 1, 'distinct_scores': 3}
    """
    import numpy as np

    s = np.asarray(score, dtype=float)
    distinct = int(len(np.unique(s[np.isfinite(s)])))
    capacity = int(capacity)
    if capacity <= 0 or capacity >= len(s):
        return {"score": None, "tied": 0, "called": 0, "distinct_scores": distinct}
    last = float(np.sort(s)[::-1][capacity - 1])
    tied = int((s == last).sum())
    called = int(capacity - (s > last).sum())
    if tied == called:
        return {"score": None, "tied": 0, "called": 0, "distinct_scores": distinct}
    return {"score": last, "tied": tied, "called": called, "distinct_scores": distinct}


def _order(p, leads, tie_break, random_state):
    """Best first; ties broken by a seeded random draw or by a secondary column (higher first), never by id."""
    import numpy as np

    if tie_break == "random":
        second = np.random.default_rng(random_state).random(len(p))
    else:
        require_columns(leads, [tie_break], why="tie_break", table="leads")
        second = -np.asarray(leads[tie_break].rank(method="average").fillna(0), dtype=float)
    return np.lexsort((second, -p))


def call_list(leads, probability, capacity: int, *, value=None, lead_id_col="lead_id", kind="probability",
              tie_break="random", random_state=0):
    """The ``capacity`` leads to call first, best first, with expected conversions and revenue.

    Parameters
    ----------
    leads : DataFrame
        Open leads.
    probability : str or array-like
        Chance to convert (column name or values aligned with ``leads``): calibrated
        probabilities in [0, 1]; with ``kind="points"``, rule points.
    capacity : int
        How many leads the team can call.
    value : str, float or array-like, optional
        Expected deal value of a lead if it converts (not the post-outcome ``deal_value``!).
    lead_id_col : str, default "lead_id"
        The lead identifier, copied into the list when ``leads`` has it.
    kind : {"probability", "points"}
        ``points`` ranks by rule points and reports no expected conversions or revenue
        (points are not probabilities).
    tie_break : "random" or str
        How leads with the same score are ordered: a seeded random draw, or a column of
        ``leads`` (higher first, e.g. ``"last_activity_at"``). Never by the id's order.
    random_state : int, default 0
        Seed of the random tie-break.

    Returns
    -------
    DataFrame
        ``rank``, the id, ``probability`` (or ``points``), and for probabilities ``expected_value``,
        ``cum_expected_conversions``, ``cum_expected_revenue``. ``attrs["ties"]`` is
        :func:`boundary_ties`: how many leads tie at the capacity boundary.

    Raises
    ------
    ValueError
        A probability outside [0, 1], a negative capacity, an unknown ``kind``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import call_list
    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "p": [0.2, 0.6, 0.4]})
    >>> call_list(leads, "p", capacity=2, value=100)[["rank", "lead_id", "cum_expected_revenue"]].values.tolist()
    [[1, 'L2', 60.0], [2, 'L3', 100.0]]
    >>> tied = pd.DataFrame({"lead_id": ["a", "b", "c", "d"], "pts": [30, 10, 10, 10]})
    >>> calls = call_list(tied, "pts", capacity=2, kind="points")
    >>> list(calls.columns), calls.attrs["ties"]["tied"]
    (['rank', 'lead_id', 'points'], 3)
    """
    import numpy as np
    import pandas as pd

    require_frame(leads, table="leads")
    if kind not in ("probability", "points"):
        raise ValueError(f"kind must be 'probability' or 'points', got {kind!r}")
    p = _vector(leads, probability, "probability")
    if kind == "probability":
        _probabilities(p)
    v = _vector(leads, value, "value", default=np.nan)
    if capacity < 0:
        raise ValueError(f"capacity must be zero or more, got {capacity!r}")
    order = _order(p, leads, tie_break, random_state)[: int(capacity)]
    out = pd.DataFrame({"rank": np.arange(1, len(order) + 1)})
    if lead_id_col in leads.columns:
        out[lead_id_col] = leads[lead_id_col].to_numpy()[order]
    if kind == "points":
        out["points"] = p[order]
    else:
        out["probability"] = p[order]
        out["expected_value"] = p[order] * v[order]
        out["cum_expected_conversions"] = out["probability"].cumsum()
        out["cum_expected_revenue"] = out["expected_value"].cumsum()
    out.attrs["ties"] = boundary_ties(p, capacity)
    return out


def _weeks(leads, week_col):
    require_columns(leads, [week_col], why="the week a lead arrives", table="leads")
    require_no_missing(leads, week_col, table="leads")
    return leads[week_col].dt.to_period("W").astype(str).to_numpy()


def follow_up(leads, probability, capacity: int, *, strategy: str = "score", week_col="created_at",
              random_state=0):
    """Which leads get followed up when the team takes ``capacity`` a week, by arrival week.

    ``score`` takes each week's highest probabilities, ``fcfs`` the earliest arrivals,
    ``random`` a seeded random pick.

    Parameters
    ----------
    leads : DataFrame
        Leads with their arrival dates.
    probability : str or array-like
        Chance to convert (column name or values aligned with ``leads``).
    capacity : int
        Leads the team can follow up per week.
    strategy : {"score", "fcfs", "random"}
        How each week's leads are picked.
    week_col : str, default "created_at"
        The arrival date column; leads are grouped by its Monday-to-Sunday week.
    random_state : int, default 0
        Seed of the ``random`` pick.

    Returns
    -------
    Series of bool
        ``followed_up``, aligned with ``leads``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import follow_up
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-06", "2025-01-07", "2025-01-13"]),
    ...                       "p": [0.1, 0.9, 0.5]})
    >>> follow_up(leads, "p", 1, strategy="score").tolist(), follow_up(leads, "p", 1, strategy="fcfs").tolist()
    ([False, True, True], [True, False, True])
    """
    import numpy as np
    import pandas as pd

    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    if capacity < 0:
        raise ValueError(f"capacity must be zero or more, got {capacity!r}")
    p = _vector(leads, probability, "probability")
    frame = pd.DataFrame({"week": _weeks(leads, week_col), "t": leads[week_col].to_numpy(),
                          "pos": np.arange(len(leads))})
    if strategy == "score":
        frame["key"] = -p
    elif strategy == "fcfs":
        frame["key"] = frame["t"].rank(method="first").to_numpy()
    else:
        frame["key"] = np.random.default_rng(random_state).random(len(leads))
    frame = frame.sort_values(["week", "key", "pos"], kind="stable")
    picked = frame.groupby("week", sort=False).cumcount() < int(capacity)
    mask = np.zeros(len(leads), dtype=bool)
    mask[frame["pos"].to_numpy()[picked.to_numpy()]] = True
    return pd.Series(mask, index=leads.index, name="followed_up")


def capacity_table(leads, probability, outcome, capacities, *, value=None, revenue=None, week_col="created_at"):
    """Expected and actual conversions (and revenue) per weekly capacity and strategy.

    For each weekly capacity, leads are picked within their arrival week by ``score``,
    ``fcfs`` (first come, first served) or ``random``; for ``random`` the table shows the
    exact average over all random picks (each week: capacity x the week's mean), so no seed
    is involved. Conversions count only among the followed-up leads.

    Parameters
    ----------
    leads : DataFrame
        Held-out leads with their arrival dates.
    probability : str or array-like
        The scorer's calibrated chance to convert, in [0, 1] (a ValueError otherwise).
    outcome : str or array-like of bool
        Whether each lead actually converted (evaluation only).
    capacities : iterable of int
        Leads the team can follow up per week.
    value : str, float or array-like, optional
        Expected deal value if converted, for ``expected_revenue``.
    revenue : str or array-like, optional
        Actual deal value of converted leads (e.g. ``deal_value``), for ``revenue``.
    week_col : str, default "created_at"
        The arrival date column.

    Returns
    -------
    DataFrame
        ``capacity``, ``strategy``, ``followed_up``, ``expected_conversions``, ``conversions``,
        ``expected_revenue``, ``revenue``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import capacity_table
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-06", "2025-01-07", "2025-01-13"]),
    ...                       "p": [0.1, 0.9, 0.5], "won": [False, True, False]})
    >>> capacity_table(leads, "p", "won", [1])[["strategy", "expected_conversions", "conversions"]].values.tolist()
    [['score', 1.4, 1.0], ['fcfs', 0.6, 0.0], ['random', 1.0, 0.5]]
    """
    import numpy as np
    import pandas as pd

    require_frame(leads, table="leads")
    p = _probabilities(_vector(leads, probability, "probability"))
    y = _vector(leads, outcome, "outcome")
    v = _vector(leads, value, "value", default=np.nan)
    r = np.nan_to_num(_vector(leads, revenue, "revenue", default=np.nan) * y, nan=0.0) if revenue is not None \
        else np.full(len(leads), np.nan)
    weeks = _weeks(leads, week_col)
    parts = pd.DataFrame({"week": weeks, "p": p, "y": y, "ev": p * v, "r": r})
    per_week = parts.groupby("week").agg(n=("p", "size"), p=("p", "mean"), y=("y", "mean"),
                                         ev=("ev", "mean"), r=("r", "mean"))
    rows = []
    for cap in capacities:
        cap = int(cap)
        if cap < 0:
            raise ValueError(f"capacities must be zero or more, got {cap}")
        for strategy in ("score", "fcfs"):
            m = follow_up(leads, p, cap, strategy=strategy, week_col=week_col).to_numpy()
            rows.append((cap, strategy, int(m.sum()), p[m].sum(), y[m].sum(), parts["ev"][m].sum(), r[m].sum()))
        k = np.minimum(per_week["n"], cap)
        rows.append((cap, "random", int(k.sum()), (k * per_week["p"]).sum(), (k * per_week["y"]).sum(),
                     (k * per_week["ev"]).sum(), (k * per_week["r"]).sum()))
    out = pd.DataFrame(rows, columns=["capacity", "strategy", "followed_up", "expected_conversions", "conversions",
                                      "expected_revenue", "revenue"])
    if value is None:  # unknown, not zero
        out["expected_revenue"] = np.nan
    if revenue is None:
        out["revenue"] = np.nan
    return out.round({"expected_conversions": 10, "conversions": 10})
