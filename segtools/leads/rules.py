"""Rule-based lead scoring: an editable points table, caps per group, decay, explanations.

A points table is plain data, one row a rule, so an analyst can edit it in a spreadsheet
and load it from CSV or YAML:

=========  ====================================================================
column     meaning
=========  ====================================================================
score      ``fit`` (who the lead is) or ``engagement`` (what the lead did)
group      rules in one group share a cap (e.g. all the e-mail rules)
column     the lead column the rule tests
op         ``==  !=  <  <=  >  >=  in  not in  between  missing  present``
value      a number or text; for ``in``/``not in`` a list (or ``a|b|c``);
           for ``between`` two numbers, both ends included (or ``lo|hi``)
points     what the rule adds when it fires (negative rules subtract)
cap        optional: the most a group can add in total (blank = no cap)
=========  ====================================================================

A rule on a missing value does not fire (except ``missing``), so unknown company sizes
earn nothing rather than a guess. Engagement can fade: with ``half_life=30`` the
engagement points of a lead whose last activity was 30 days before ``snapshot_date`` count half.
A table can carry its own half-life (``half_life_days``, see :func:`points_table`); the scorer
uses it when no ``half_life`` is given, with a ``snapshot_date`` and leads with their last activity dates.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin

from segtools._validation import require_columns, require_frame
from segtools.leads.defaults import DEFAULT_POINTS
from segtools.leads.points import (
    HALF_LIFE_KEY,
    OPS,
    SCORES,
    TABLE_COLUMNS,
    points_table,
    rule_mask,
)

__all__ = ["OPS", "SCORES", "TABLE_COLUMNS", "RuleScorer", "as_points_table", "decay_factor", "default_points",
           "points_table", "rule_mask", "rule_scores"]


def _points_matrix(leads, rules, table: str = "leads"):
    """Points per lead (rows) and rule (columns) as a numpy array, with unique rule labels."""
    import numpy as np

    require_columns(leads, list(dict.fromkeys(rules["column"])), table=table, why="used by the points table")
    values = np.zeros((len(leads), len(rules)), order="F")  # one contiguous column per rule
    labels = []
    for i, r in enumerate(rules.itertuples()):
        mask = rule_mask(leads[r.column], r.op, r.value)
        values[:, i] = np.where(mask, r.points, 0.0)
        labels.append(r.rule if r.rule not in labels else f"{r.rule} #{i}")
    return values, labels


def _capped(points, rules):
    """Sum per score after applying each group's cap; returns (fit, engagement, cap adjustments)."""
    import numpy as np

    values, _ = points
    out = {s: np.zeros(len(values)) for s in SCORES}
    adjustments = {}
    groups = {}
    for i, key in enumerate(zip(rules["score"], rules["group"])):
        groups.setdefault(key, []).append(i)
    for (score, group), idx in groups.items():
        total = values[:, idx[0]].copy()
        for j in idx[1:]:
            total += values[:, j]
        cap = rules["cap"].iloc[idx[0]]
        if not np.isnan(cap):
            capped = np.minimum(total, cap)
            adjustments[(score, group)] = capped - total
            total = capped
        out[score] += total
    return out["fit"], out["engagement"], adjustments


def decay_factor(last_activity, snapshot_date, half_life: float):
    """``0.5 ** (days since last activity / half_life)``; activity after ``snapshot_date`` counts fully.

    A missing last activity date gets factor 0 (no evidence of recent engagement) and is counted
    in the result's ``decay`` column, never dropped.

    Parameters
    ----------
    last_activity : Series of datetime
        Each lead's last activity date.
    snapshot_date : Timestamp-like
        The scoring date (e.g. ``case.snapshot_date``).
    half_life : float
        Days after which the factor is one half; must be positive.

    Returns
    -------
    Series
        The factor (0 to 1) per lead, named ``decay``, indexed like ``last_activity``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads.rules import decay_factor
    >>> decay_factor(pd.Series(pd.to_datetime(["2026-01-01", "2025-12-02", "2025-11-02"])),
    ...              pd.Timestamp("2026-01-01"), half_life=30).round(3).tolist()
    [1.0, 0.5, 0.25]
    """
    import numpy as np
    import pandas as pd

    if half_life is None or half_life <= 0:
        raise ValueError(f"half_life must be a positive number of days, got {half_life!r}")
    days = (pd.Timestamp(snapshot_date) - pd.to_datetime(last_activity)).dt.total_seconds().to_numpy() / 86400.0
    factor = np.power(0.5, np.clip(days, 0, None) / half_life)
    return pd.Series(np.nan_to_num(factor, nan=0.0), index=last_activity.index, name="decay")


class RuleScorer(TransformerMixin, BaseEstimator):
    """Score leads with a points table: fit score + (decayed) engagement score, explained.

    Parameters
    ----------
    points : DataFrame, list of dict, path, or world name
        The points table (see :func:`points_table`), e.g. ``default_points("startup")``; a
        world name such as ``"startup"`` is short for :func:`segtools.leads.default_points`.
        Required: ``fit`` raises ``ValueError`` without it.
    half_life : float or None
        Days after which engagement points count half (``float("inf")``: no decay). None (the
        default) takes the table's ``half_life_days`` when it has one, ``snapshot_date`` is
        given and the leads have ``activity_col``; otherwise no decay (see ``half_life_``).
    snapshot_date : Timestamp-like or None
        The scoring date for the decay (e.g. ``case.snapshot_date``); needed whenever engagement decays.
    activity_col : str
        The column with each lead's last activity date.
    lead_id_col : str
        The lead identifier, copied into the results.

    Attributes
    ----------
    points_ : DataFrame
        The checked points table.
    half_life_ : float or None
        The half-life in days the scores use (given, or the table's); None when nothing decays.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import RuleScorer, default_points
    >>> case = load_case("startup")
    >>> scorer = RuleScorer(default_points("startup"), half_life=30, snapshot_date=case.snapshot_date)
    >>> scorer = scorer.fit(case.leads)
    >>> scores = scorer.transform(case.leads)
    >>> list(scores.columns)
    ['lead_id', 'fit_score', 'engagement_points', 'decay', 'engagement_score', 'score']
    >>> why = scorer.explain(case.leads.head(1))
    >>> bool(abs(why["counted"].sum() - scores["score"].iloc[0]) < 1e-9)
    True
    """

    def __init__(self, points=None, *, half_life=None, snapshot_date=None, activity_col="last_activity_at",
                 lead_id_col="lead_id"):
        self.points = points
        self.half_life = half_life
        self.snapshot_date = snapshot_date
        self.activity_col = activity_col
        self.lead_id_col = lead_id_col

    def fit(self, X, y=None):
        """Check the points table against the columns of ``X``; learns nothing from the data."""
        import math
        import numbers

        require_frame(X, table="leads")
        if self.points is None:
            raise ValueError("give a points table (a DataFrame, a list of rules, a .csv/.yaml path), "
                             "e.g. RuleScorer(default_points('startup'))")
        self.points_ = as_points_table(self.points)
        needed = list(dict.fromkeys(self.points_["column"]))
        half_life, given = self.half_life, self.half_life is not None
        if not given and self.activity_col in X.columns and self.snapshot_date is not None:
            half_life = self.points_.attrs.get(HALF_LIFE_KEY)  # the table's decay needs dates to count from
        if half_life is not None:
            if isinstance(half_life, bool) or not isinstance(half_life, numbers.Real):
                raise TypeError(f"half_life must be a number of days or None, got {half_life!r}")
            if not half_life > 0:
                raise ValueError(f"half_life must be a positive number of days, got {half_life!r}")
            half_life = None if math.isinf(half_life) else half_life
        if half_life is not None:
            if self.snapshot_date is None:
                raise ValueError("half_life needs snapshot_date, the scoring date (e.g. case.snapshot_date)")
            needed.append(self.activity_col)
        self.half_life_ = None if half_life is None else float(half_life)
        require_columns(X, needed, why="used by the points table", table="leads")
        return self

    def _parts(self, X):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "points_")
        require_frame(X, table="leads")
        points = _points_matrix(X, self.points_)
        fit, eng, adjustments = _capped(points, self.points_)
        if self.half_life_ is None:
            import numpy as np

            decay = np.ones(len(X))
        else:
            require_columns(X, [self.activity_col], why="needed for the decay", table="leads")
            decay = decay_factor(X[self.activity_col], self.snapshot_date, self.half_life_).to_numpy()
        return points, fit, eng, decay, adjustments

    def transform(self, X):
        """One row per lead: ``fit_score``, ``engagement_points``, ``decay``, ``engagement_score``, ``score``."""
        import pandas as pd

        _, fit, eng, decay, _ = self._parts(X)
        out = pd.DataFrame({"fit_score": fit, "engagement_points": eng, "decay": decay,
                            "engagement_score": eng * decay}, index=X.index)
        out["score"] = out["fit_score"] + out["engagement_score"]
        if self.lead_id_col in X.columns:
            out.insert(0, self.lead_id_col, X[self.lead_id_col])
        return out

    def explain(self, X):
        """Which rules fired for each lead, for how many points; ``counted`` sums to the score.

        Parameters
        ----------
        X : DataFrame
            Leads with the columns the points table uses.

        Returns
        -------
        DataFrame
            One row per rule that fired (and per cap that took points away): ``lead`` (the id,
            or the row label), ``score`` (fit or engagement), ``group``, ``rule``, ``points``
            (from the table; cap rows show what a cap took away), ``decay`` and ``counted``
            (points after decay).
        """
        import numpy as np
        import pandas as pd

        points, _, _, decay, adjustments = self._parts(X)
        ids = X[self.lead_id_col].to_numpy() if self.lead_id_col in X.columns else X.index.to_numpy()
        matrix, _ = points
        frames = []
        for i, r in enumerate(self.points_.itertuples()):
            values = matrix[:, i]
            hit = values != 0
            frames.append(pd.DataFrame({"lead": ids[hit], "score": r.score, "group": r.group, "rule": r.rule,
                                        "points": values[hit], "_row": np.flatnonzero(hit)}))
        for (score, group), adj in adjustments.items():
            hit = adj != 0
            frames.append(pd.DataFrame({"lead": ids[hit], "score": score, "group": group,
                                        "rule": f"cap on {group}", "points": adj[hit], "_row": np.flatnonzero(hit)}))
        out = pd.concat(frames, ignore_index=True)
        out["decay"] = np.where(out["score"] == "engagement", decay[out["_row"].to_numpy()], 1.0)
        out["counted"] = out["points"] * out["decay"]
        return out.sort_values(["_row", "score", "group"], kind="stable").drop(columns="_row").reset_index(drop=True)


def rule_scores(leads, points, *, half_life=None, snapshot_date=None, **kwargs):
    """Rule points of each lead: shorthand for ``RuleScorer(...).fit(leads).transform(leads)``.

    Parameters
    ----------
    leads : DataFrame
        One row per lead with the columns the points table uses.
    points : DataFrame, list of dict, path, or world name
        The points table, as in :class:`RuleScorer`.
    half_life : float or None
        Days after which engagement points count half; None = the table's ``half_life_days``
        when it has one (and the leads their last activity dates), else no decay.
    snapshot_date : Timestamp-like or None
        The scoring date for the decay; needed whenever engagement decays.
    **kwargs
        Further :class:`RuleScorer` parameters (``activity_col``, ``lead_id_col``).

    Returns
    -------
    DataFrame
        One row per lead: the id, ``fit_score``, ``engagement_points``, ``decay``,
        ``engagement_score`` and ``score`` (points, not probabilities).

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import default_points, rule_scores
    >>> s = rule_scores(load_case("retail").leads, default_points("retail"))
    >>> len(s), bool((s["score"] == s["fit_score"] + s["engagement_score"]).all())
    (4000, True)
    """
    return RuleScorer(points, half_life=half_life, snapshot_date=snapshot_date, **kwargs).fit(leads).transform(leads)


def as_points_table(points):
    """A checked points table from a table, a list of rules, a path, or a world name.

    Parameters
    ----------
    points : DataFrame, list of dict, dict, str path (``.csv``, ``.yaml``, ``.yml``) or world name
        As :class:`RuleScorer` takes it.

    Returns
    -------
    DataFrame
        See :func:`points_table` (``attrs["half_life_days"]`` holds the table's decay, or None).

    Examples
    --------
    >>> from segtools.leads.rules import as_points_table
    >>> as_points_table("startup").attrs["half_life_days"] is None
    True
    """
    if isinstance(points, str) and not points.endswith((".csv", ".yaml", ".yml")):
        return default_points(points)
    return points_table(points)


def default_points(world: str):
    """The default points table of a case world, checked and ready to edit.

    Parameters
    ----------
    world : str
        ``retail``, ``startup``, ``consulting`` or ``agency``.

    Returns
    -------
    DataFrame
        See :func:`segtools.leads.points_table`; save it with ``to_csv`` to edit it.

    Examples
    --------
    >>> from segtools.leads import default_points
    >>> t = default_points("startup")
    >>> sorted(t["score"].unique()), int(t["points"].max())
    (['engagement', 'fit'], 25)
    """
    if world not in DEFAULT_POINTS:
        raise ValueError(f"no default points table for {world!r}; choose one of {', '.join(DEFAULT_POINTS)}")
    return points_table(DEFAULT_POINTS[world])
