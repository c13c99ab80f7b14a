"""A points table learned from history: a few readable rules per group, from the closed leads.

:func:`suggest_points` turns the leads whose outcome is known into an editable fit +
engagement points table (the format of :mod:`segtools.leads.rules`): for each of the most
telling columns one threshold (numbers) or a few levels (text), points from the lift of the
leads the rule picks (10 points per doubling of the conversion rate, rounded to 5), and a
cap per group. Columns the leak alarm flags are left out. When the leads have their last
activity dates it also proposes the engagement decay (``half_life_days``): the candidate
(:data:`HALF_LIVES`) with the best held-out ROC AUC. :func:`write_points` saves the table
(and its half-life) as CSV or YAML, which ``segtools report --points`` reads back.
"""

from __future__ import annotations

from segtools._validation import require_frame
from segtools.errors import ValidationError
from segtools.leads.points import write_points

__all__ = ["HALF_LIVES", "activity_dates", "held_out_points", "points_on_splits", "suggest_points", "write_points"]

#: Column names read as engagement (what the lead did) rather than fit (who the lead is).
ENGAGEMENT_WORDS = ("view", "visit", "open", "click", "download", "webinar", "demo", "trial", "activity", "time",
                    "session", "event", "usage", "login", "call", "contact", "page", "email", "e-mail")
#: The least leads a rule must pick (and leave out) to be suggested.
MIN_ROWS = 20
#: Candidate half-lives in days (None: no decay) for the engagement points.
HALF_LIVES = (None, 14, 30, 60, 90)
#: The held-out ROC AUC a decay must add over no decay to be proposed (a simpler table wins ties).
DECAY_GAIN = 0.005
#: Share of the closed leads (the newest) the held-out measurement uses.
TEST_SHARE = 0.25


def _lift_points(rate, base) -> float:
    """10 points per doubling of the conversion rate against the base rate, rounded to 5."""
    import math

    rate = min(max(rate, 1e-3), 1.0)
    return float(5 * round(2 * math.log2(rate / base)))


def _numeric_rule(x, y, base):
    """The best single threshold ``x >= t``: (strength, op, value, points) or None."""
    import numpy as np

    ok = np.isfinite(x)
    best = None
    for t in np.unique(np.quantile(x[ok], [0.25, 0.5, 0.75, 0.9])) if ok.any() else ():
        above = ok & (x >= t)
        n_a = int(above.sum())
        if n_a < MIN_ROWS or ok.sum() - n_a < MIN_ROWS:
            continue
        r_a, r_b = y[above].mean(), y[ok & ~above].mean()
        strength = abs(r_a - r_b) * np.sqrt(n_a * (ok.sum() - n_a)) / ok.sum()
        if best is None or strength > best[0]:
            best = (strength, ">=", float(t), _lift_points(r_a, base))
    return best


def _level_rules(x, y, base, max_levels):
    """Up to ``max_levels`` telling levels of a text column: [(strength, "in", [level], points)]."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"x": x.astype("str").where(x.notna()), "y": y}).dropna()
    per = frame.groupby("x")["y"].agg(["size", "mean"])
    per = per[(per["size"] >= MIN_ROWS) & (len(frame) - per["size"] >= MIN_ROWS)]
    per["strength"] = (per["mean"] - base).abs() * np.sqrt(per["size"] * (len(frame) - per["size"])) / len(frame)
    rules = []
    for level, row in per.sort_values("strength", ascending=False).head(max_levels).iterrows():
        pts = _lift_points(row["mean"], base)
        if pts:
            rules.append((float(row["strength"]), "in", [level], pts))
    return rules


def _score_kind(column) -> str:
    low = str(column).lower()
    return "engagement" if any(w in low for w in ENGAGEMENT_WORDS) else "fit"


def _derive(X, y, *, max_groups, max_levels):
    """The rules learned from features ``X`` and outcome ``y`` (a points table as a list of dicts)."""
    import numpy as np
    import pandas as pd

    base = float(y.mean())
    found = []
    for col in X.columns:
        s = X[col]
        if s.dtype == bool or str(s.dtype) == "boolean":
            x = s.astype("float").to_numpy()
            rules = [r for r in [_numeric_rule(x, y, base)] if r]
            rules = [(r[0], "==", True, r[3]) for r in rules]
        elif pd.api.types.is_numeric_dtype(s):
            rules = [r for r in [_numeric_rule(s.astype(float).to_numpy(), y, base)] if r]
        else:
            rules = _level_rules(s, y, base, max_levels)
        rules = [r for r in rules if r[3] != 0]
        if rules:
            found.append((max(r[0] for r in rules), col, rules))
    found.sort(key=lambda f: (-f[0], str(f[1])))
    table = []
    for _, col, rules in found[:max_groups]:
        cap = sum(r[3] for r in rules if r[3] > 0) or np.nan
        for _, op, value, pts in rules:
            table.append({"score": _score_kind(col), "group": str(col), "column": col, "op": op,
                          "value": value, "points": pts, "cap": cap})
    if not table:
        raise ValidationError("leads: no column separates converted from not converted leads well enough to "
                              "suggest a rule", table="leads")
    return table


def _auc(y, s) -> float:
    """ROC AUC of scores ``s``; NaN when ``y`` holds one outcome, 0.5 when the scores are all alike."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    if y.all() or not y.any():
        return float("nan")
    return float(roc_auc_score(y, s)) if len(np.unique(s)) > 1 else 0.5


def _scores(rules, X, activity, snapshot_date, half_life, activity_col):
    """Points of the leads ``X`` under ``rules``, engagement decayed with ``half_life`` (None: no decay)."""
    from segtools.leads.rules import RuleScorer

    if half_life is not None:
        X = X.assign(**{activity_col: activity})
    scorer = RuleScorer(rules, half_life=half_life if half_life is not None else float("inf"),
                        snapshot_date=snapshot_date, activity_col=activity_col)
    return scorer.fit(X).transform(X)["score"].to_numpy()


def _choose(aucs: dict):
    """The half-life with the best AUC; a decay must beat no decay (None) by :data:`DECAY_GAIN`."""
    import math

    plain = aucs.get(None, float("nan"))
    best, best_auc = None, -math.inf
    for h, auc in aucs.items():
        if h is not None and not math.isnan(auc) and auc > best_auc:
            best, best_auc = h, auc
    if best is not None and (math.isnan(plain) or best_auc >= plain + DECAY_GAIN):
        return best
    return None


def held_out_points(X, y, train, test, *, activity=None, snapshot_date=None, half_lives=HALF_LIVES,
                    activity_col: str = "last_activity_at", max_groups: int = 8, max_levels: int = 3):
    """Learn a points table on the leads ``train`` and score the leads ``test`` with it.

    With last activity dates the half-life is chosen among ``half_lives`` on the training
    leads alone (the rules learned on their older three quarters, measured on the rest), so
    the scores of ``test`` are a fair measurement of the whole procedure.

    Parameters
    ----------
    X : DataFrame
        Feature columns of the closed leads (:func:`segtools.leads.lead_features`).
    y : ndarray of bool
        Their outcome.
    train, test : ndarray of int
        Positions in ``X``; ``train`` in time order when the leads have creation dates.
    activity : Series or ndarray of datetime, optional
        Last activity date of each lead in ``X`` (None: no decay).
    snapshot_date : Timestamp-like, optional
        The date the decay counts from; needed with ``activity``.
    half_lives : sequence
        Candidate half-lives in days, None for no decay.
    activity_col : str, default "last_activity_at"
        The name the activity dates are scored under.
    max_groups, max_levels : int
        As in :func:`suggest_points`.

    Returns
    -------
    tuple
        ``(scores of test, half-life used or None)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from segtools.leads.suggest import held_out_points
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"page_views": rng.poisson(4, 400)})
    >>> y = rng.random(400) < X["page_views"].to_numpy() / 12
    >>> scores, half_life = held_out_points(X, y, np.arange(300), np.arange(300, 400))
    >>> len(scores), half_life
    (100, None)
    """
    import numpy as np

    train, test = np.asarray(train), np.asarray(test)
    half_life = None
    if activity is not None:
        activity = np.asarray(activity)
        inner = int(len(train) * (1 - TEST_SHARE))
        fit, check = train[:inner], train[inner:]
        try:
            rules = _derive(X.iloc[fit], y[fit], max_groups=max_groups, max_levels=max_levels)
        except ValidationError:
            rules = None
        if rules is not None:
            half_life = _choose({h: _auc(y[check], _scores(rules, X.iloc[check], activity[check], snapshot_date, h,
                                                           activity_col)) for h in half_lives})
    rules = _derive(X.iloc[train], y[train], max_groups=max_groups, max_levels=max_levels)
    return _scores(rules, X.iloc[test], None if activity is None else activity[test], snapshot_date, half_life,
                   activity_col), half_life


def points_on_splits(X, y, splits, *, activity=None, snapshot_date=None, half_lives=HALF_LIVES,
                     activity_col: str = "last_activity_at", max_groups: int = 8, max_levels: int = 3) -> dict:
    """Learn points tables on each ``(train, test)`` split, score the held-out leads, learn the final table.

    One split: the table's half-life is the candidate whose held-out ROC AUC is best (rules
    learned on ``train``); several folds: the one chosen most often on the training leads.

    Parameters
    ----------
    X, y, activity, snapshot_date, half_lives, activity_col, max_groups, max_levels
        As in :func:`held_out_points`.
    splits : list of tuple
        ``(train, test)`` positions, e.g. ``History.splits``.

    Returns
    -------
    dict
        ``test`` (positions held out), ``scores`` (their points, each from a table that did not
        see them), ``table`` (learned from every lead, ``attrs["half_life_days"]`` set) and
        ``half_life_auc`` (held-out ROC AUC per candidate; one split with activity dates only).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from segtools.leads.suggest import points_on_splits
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"page_views": rng.poisson(4, 400)})
    >>> y = rng.random(400) < X["page_views"].to_numpy() / 12
    >>> out = points_on_splits(X, y, [(np.arange(300), np.arange(300, 400))])
    >>> len(out["scores"]), out["table"]["column"].tolist()
    (100, ['page_views'])
    """
    import numpy as np
    import pandas as pd

    kw = {"activity_col": activity_col, "max_groups": max_groups, "max_levels": max_levels}
    act = None if activity is None else np.asarray(activity)
    tests, scores, chosen = [], [], []
    for train, test in splits:
        s, h = held_out_points(X, y, train, test, activity=act, snapshot_date=snapshot_date, half_lives=half_lives,
                               **kw)
        tests.append(np.asarray(test))
        scores.append(s)
        chosen.append(h)
    half_life, aucs = None, {}
    if act is not None and len(splits) == 1:
        train, test = splits[0]
        rules = _derive(X.iloc[train], y[train], max_groups=max_groups, max_levels=max_levels)
        aucs = {h: _auc(y[test], _scores(rules, X.iloc[test], act[test], snapshot_date, h, activity_col))
                for h in half_lives}
        half_life = _choose(aucs)
    elif act is not None:
        half_life = max(set(chosen), key=lambda h: (chosen.count(h), h is None))
    table = pd.DataFrame(_derive(X, y, max_groups=max_groups, max_levels=max_levels))
    table = table.sort_values(["score", "group"], kind="stable", key=lambda c: c.map({"fit": 0, "engagement": 1})
                              if c.name == "score" else c).reset_index(drop=True)
    table.attrs["half_life_days"] = None if half_life is None else float(half_life)
    return {"test": np.concatenate(tests), "scores": np.concatenate(scores), "table": table,
            "half_life_auc": {"none" if h is None else f"{h:g}": round(a, 4) for h, a in aucs.items()}}


def activity_dates(leads, activity_col: str = "last_activity_at", snapshot_date=None):
    """``(last activity dates, snapshot date)`` of the leads, or ``(None, None)`` without usable dates.

    The default snapshot date is the day after the latest activity (never a hidden today).

    Parameters
    ----------
    leads : DataFrame
    activity_col : str, default "last_activity_at"
    snapshot_date : Timestamp-like, optional

    Returns
    -------
    tuple
        ``(Series of datetime or None, Timestamp or None)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads.suggest import activity_dates
    >>> dates, snapshot = activity_dates(pd.DataFrame({"last_activity_at": ["2025-01-01", "2025-02-01"]}))
    >>> str(snapshot.date())
    '2025-02-02'
    """
    import pandas as pd

    if activity_col not in leads.columns:
        return None, None
    dates = pd.to_datetime(leads[activity_col], errors="coerce")
    if dates.notna().sum() == 0 or dates.notna().sum() < leads[activity_col].notna().sum():
        return None, None  # no dates, or some values are not dates: no decay is proposed
    if snapshot_date is None:
        snapshot_date = dates.max().normalize() + pd.Timedelta(days=1)
    return dates, pd.Timestamp(snapshot_date)


def suggest_points(leads, *, outcome_col: str = "converted", is_open=None, post_outcome=(), keep_flagged=(),
                   max_groups: int = 8, max_levels: int = 3, date_col: str = "created_at",
                   activity_col: str = "last_activity_at", snapshot_date=None, half_lives=HALF_LIVES):
    """An editable points table learned from the closed leads, with its held-out ROC AUC.

    The rules are learned on the older three quarters of the closed leads (a random three
    quarters without ``date_col``) and measured on the rest; the table returned is then
    learned again from every closed lead. When the leads have ``activity_col`` the table
    also proposes a half-life for the engagement points: each candidate of ``half_lives``
    is measured on the held-out leads (``attrs["half_life_auc"]``) and the best is kept, a
    decay only when it adds at least :data:`DECAY_GAIN` to the ROC AUC of no decay.

    Parameters
    ----------
    leads : DataFrame
        Leads with the outcome (missing, or ``is_open``, for leads still open).
    outcome_col : str, default "converted"
        The outcome: 1/0, yes/no, true/false or Y/N.
    is_open : array-like of bool, optional
        Leads still open (not learned from).
    post_outcome, keep_flagged : iterable of str
        As in :func:`segtools.leads.lead_features`: declared post-outcome columns, flagged columns kept.
    max_groups : int, default 8
        The most columns (one group each) the table uses.
    max_levels : int, default 3
        The most levels of a text column that get a rule.
    date_col : str, default "created_at"
        Creation dates, for the time-ordered measurement.
    activity_col : str, default "last_activity_at"
        Last activity dates; without them (or with values that are not dates) no decay is proposed.
    snapshot_date : Timestamp-like, optional
        The date the decay counts from; by default the day after the latest activity.
    half_lives : sequence, default (None, 14, 30, 60, 90)
        Candidate half-lives in days; None stands for no decay.

    Returns
    -------
    DataFrame
        ``score, group, column, op, value, points, cap``; ``attrs["half_life_days"]`` is the
        proposed half-life (None: no decay), ``attrs["half_life_auc"]`` the held-out ROC AUC
        of each candidate, ``attrs["roc_auc"]`` the held-out ROC AUC of the points with the
        half-life chosen on the training leads alone (not flattered by the choice), and
        ``attrs["leak_alarm"]`` the columns left out.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads.suggest import suggest_points
    >>> leads = load_case("startup").leads
    >>> table = suggest_points(leads, is_open=leads["status"].eq("open"))
    >>> list(table.columns), bool(table.attrs["roc_auc"] > 0.6)
    (['score', 'group', 'column', 'op', 'value', 'points', 'cap'], True)
    >>> sorted(table.attrs["half_life_auc"], key=str)
    ['14', '30', '60', '90', 'none']
    """
    import numpy as np

    from segtools.leads.leakage import outcome_flags
    from segtools.leads.model import lead_features

    require_frame(leads, table="leads")
    if max_groups < 1 or max_levels < 1:
        raise ValueError("max_groups and max_levels must be at least 1")
    half_lives = tuple(half_lives)
    if any(h is not None and (isinstance(h, bool) or not isinstance(h, (int, float)) or not h > 0)
           for h in half_lives) or not half_lives:
        raise ValueError(f"half_lives must be positive numbers of days or None, got {half_lives!r}")
    if outcome_col not in leads.columns:
        raise ValueError(f"outcome_col {outcome_col!r} is not a column of leads")
    flags = outcome_flags(leads[outcome_col], name=outcome_col)
    open_ = flags.isna().to_numpy() if is_open is None else np.asarray(is_open, dtype=bool) | flags.isna().to_numpy()
    closed = leads[~open_]
    y = flags[~open_].to_numpy(dtype=bool)
    if y.all() or not y.any():
        raise ValidationError(f"leads: the {len(y):,} closed leads all have the same outcome", table="leads")
    X = lead_features(closed, post_outcome=post_outcome, outcome_col=outcome_col, keep_flagged=keep_flagged)
    if date_col in closed.columns and closed[date_col].notna().all():
        order = np.argsort(closed[date_col].to_numpy(), kind="stable")
    else:
        order = np.random.default_rng(0).permutation(len(y))
    cut = int(len(y) * (1 - TEST_SHARE))
    train, test = order[:cut], order[cut:]
    activity, snapshot = activity_dates(closed, activity_col, snapshot_date)
    out = points_on_splits(X, y, [(train, test)], activity=activity, snapshot_date=snapshot, half_lives=half_lives,
                           activity_col=activity_col, max_groups=max_groups, max_levels=max_levels)
    auc, table, per_candidate = _auc(y[test], out["scores"]), out["table"], out["half_life_auc"]
    half_life = table.attrs["half_life_days"]
    table.attrs.update(roc_auc=auc, half_life_days=None if half_life is None else float(half_life),
                       half_life_auc=per_candidate, snapshot_date=snapshot, leak_alarm=X.attrs["leak_alarm"])
    return table
