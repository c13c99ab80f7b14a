"""Learning from a lead list's own history: fit the calibrated scorer on the closed leads and measure it.

When the leads carry their outcome (converted or not), the closed leads are the
history: :func:`learn_from_history` runs the leak alarm, fits :class:`~segtools.leads.LeadScorer`
on the clean features, measures it on leads it did not see (a time-ordered split when the
leads have ``created_at``, cross-validation otherwise), scores a points table against the
same held-out outcomes, and gives every open lead a calibrated probability.
:func:`learned_points_table` learns an editable points table from the same closed leads, on
the same split or folds, so its held-out ROC AUC can stand beside the model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from segtools._validation import require_frame
from segtools.errors import ValidationError
from segtools.leads.leakage import outcome_flags

#: Share of the closed leads (the most recent) held out when the leads have creation dates.
TEST_SHARE = 0.25
#: Folds of the cross-validation when they do not.
FOLDS = 5


@dataclass
class History:
    """What the closed leads taught: the scorer, how well it ranks, the leaks it left out.

    Attributes
    ----------
    scorer : LeadScorer
        Fitted on every closed lead's clean features.
    features : list of str
        The columns it uses.
    leak_alarm : DataFrame
        ``column, reason, evidence, kept``: the columns that give the outcome away.
    method : str
        How it was measured (``time-ordered split ...`` or ``5-fold cross-validation``).
    measures : DataFrame
        ROC AUC and average precision on held-out leads, per scorer (model, and points when given).
    gains : DataFrame
        Gains and lift by decile of the model's held-out probabilities.
    calibration : DataFrame
        Predicted against observed conversion per bin of held-out probabilities.
    probability : Series
        The calibrated chance to convert of every lead (open ones from the full fit;
        closed ones as scored when held out), indexed like the leads.
    closed : ndarray of bool
        Which leads were learned from (the closed ones).
    splits : list of tuple
        ``(train, test)`` positions among the closed leads: one time-ordered split, or the folds.
    """

    scorer: object
    features: list
    leak_alarm: object
    method: str
    measures: object
    gains: object
    calibration: object
    probability: object
    closed: object = None
    splits: list = field(default_factory=list)


def outcome_of(leads, outcome_col: str = "converted"):
    """The outcome as a nullable boolean Series (see :func:`segtools.leads.leakage.outcome_flags`).

    Parameters
    ----------
    leads : DataFrame
    outcome_col : str, default "converted"

    Returns
    -------
    Series
        ``boolean``; missing where the outcome is not known yet.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads.history import outcome_of
    >>> outcome_of(pd.DataFrame({"y": ["yes", "NO"]}), "y").tolist()
    [True, False]
    """
    require_frame(leads, table="leads")
    if outcome_col not in leads.columns:
        raise ValueError(f"outcome_col {outcome_col!r} is not a column of leads")
    return outcome_flags(leads[outcome_col], name=outcome_col)


def _held_out(X, y, dates, *, model, random_state, keep_flagged):
    """Held-out probabilities and the method: newest TEST_SHARE by date, else out-of-fold."""
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import StratifiedKFold

    from segtools.leads.model import LeadScorer

    make = lambda: LeadScorer(model, random_state=random_state, keep_flagged=keep_flagged)
    if dates is not None and dates.notna().all():
        order = np.argsort(dates.to_numpy(), kind="stable")
        n_test = max(int(round(len(y) * TEST_SHARE)), 1)
        train, test = order[:-n_test], order[-n_test:]
        if y[train].all() or not y[train].any() or y[test].all() or not y[test].any():
            dates = None
        else:
            cut = pd.Timestamp(dates.iloc[test].min())
            p = make().fit(X.iloc[train], y[train]).predict_proba(X.iloc[test])[:, 1]
            return [(train, test)], test, p, (f"time-ordered split: trained on the {len(train):,} leads created before "
                             f"{cut:%Y-%m-%d}, measured on the {len(test):,} created from then on")
    folds = min(FOLDS, int(min(y.sum(), (~y).sum())))
    if folds < 2:
        raise ValidationError(f"leads: {int(y.sum()):,} converted and {int((~y).sum()):,} not converted among "
                              "the closed leads: too few of one kind to learn from", table="leads")
    p = np.empty(len(y))
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=random_state).split(X, y))
    for tr, te in splits:
        p[te] = make().fit(X.iloc[tr], y[tr]).predict_proba(X.iloc[te])[:, 1]
    return splits, np.arange(len(y)), p, f"{folds}-fold cross-validation on the {len(y):,} closed leads (no creation dates)"


def learn_from_history(leads, *, outcome_col: str = "converted", is_open=None, post_outcome=(), keep_flagged=(),
                       points_score=None, model: str = "logistic", date_col: str = "created_at",
                       random_state: int = 0) -> History:
    """Fit the calibrated scorer on the closed leads, measure it on held-out leads, score the open ones.

    Parameters
    ----------
    leads : DataFrame
        Every lead, with the outcome column (missing or ``is_open`` for leads still open).
    outcome_col : str, default "converted"
        The outcome: 1/0, yes/no, true/false or Y/N in any case (anything else: ValueError).
    is_open : array-like of bool, optional
        Which leads are still open; by default those with a missing outcome.
    post_outcome : iterable of str
        Columns declared post-outcome (any case and spacing).
    keep_flagged : iterable of str
        Columns the leak alarm flags that are kept on purpose.
    points_score : array-like of float, optional
        Rule points of every lead, measured against the same held-out outcomes.
    model : {"logistic", "boosting"}
        The scorer's model.
    date_col : str, default "created_at"
        Creation dates for the time-ordered split (cross-validation without them).
    random_state : int, default 0
        Seed of the folds and the model.

    Returns
    -------
    History

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads.history import learn_from_history
    >>> leads = load_case("consulting").leads
    >>> h = learn_from_history(leads, is_open=leads["status"].eq("open"))
    >>> h.method.split(":")[0], list(h.measures.index)
    ('time-ordered split', ['model (calibrated probability)'])
    >>> bool(h.measures.loc["model (calibrated probability)", "roc_auc"] > 0.6)
    True
    """
    import numpy as np
    import pandas as pd

    from segtools.leads.evaluation import (
        calibration_table,
        evaluate_scores,
        gains_table,
    )
    from segtools.leads.model import LeadScorer, lead_features

    flags = outcome_of(leads, outcome_col)
    open_ = flags.isna().to_numpy() if is_open is None else np.asarray(is_open, dtype=bool) | flags.isna().to_numpy()
    closed = leads[~open_]
    y = flags[~open_].to_numpy(dtype=bool)
    if y.all() or not y.any():
        raise ValidationError(f"leads: all {len(y):,} closed leads have the same outcome in {outcome_col!r}; "
                              "need converted and not converted leads to learn from", table="leads")
    X = lead_features(closed, post_outcome=post_outcome, outcome_col=outcome_col, keep_flagged=keep_flagged)
    alarm = pd.DataFrame(X.attrs["leak_alarm"], columns=["column", "reason", "evidence", "kept"])
    if X.shape[1] == 0:
        raise ValidationError("leads: no feature column is left after the identifiers, dates and leaking "
                              "columns are taken out", table="leads")
    dates = closed[date_col] if date_col in closed.columns else None
    splits, test, p, method = _held_out(X, y, dates, model=model, random_state=random_state, keep_flagged=keep_flagged)
    rows = {"model (calibrated probability)": evaluate_scores(y[test], p)}
    if points_score is not None:
        pts = np.asarray(points_score, dtype=float)[~open_][test]
        rows["rule points"] = evaluate_scores(y[test], pts)
    measures = pd.DataFrame(rows).T[["leads", "conversions", "base_rate", "roc_auc", "average_precision"]]
    measures[["leads", "conversions"]] = measures[["leads", "conversions"]].astype("int64")
    scorer = LeadScorer(model, random_state=random_state, keep_flagged=keep_flagged).fit(X, y)
    probability = pd.Series(np.nan, index=leads.index, name="probability")
    probability.iloc[np.flatnonzero(~open_)[test]] = p
    if open_.any():
        probability[open_] = scorer.predict_proba(leads.loc[open_, list(X.columns)])[:, 1]
    return History(scorer, list(X.columns), alarm, method, measures, gains_table(y[test], p, n_bins=min(10, len(test))),
                   calibration_table(y[test], p, n_bins=min(10, len(test))), probability, ~open_, splits)


def learned_points_table(leads, history, *, outcome_col: str = "converted", snapshot_date=None,
                         activity_col: str = "last_activity_at", max_groups: int = 8, max_levels: int = 3):
    """A points table learned from the closed leads of ``history``, measured on the model's held-out leads.

    On each split (or fold) of :func:`learn_from_history` a table is learned from the training
    leads (:func:`segtools.leads.suggest.held_out_points`, half-life chosen on them alone when
    the leads have ``activity_col``) and scores the held-out leads; the table returned is
    learned from every closed lead, with the half-life that ranks the held-out leads best.

    Parameters
    ----------
    leads : DataFrame
        The leads given to :func:`learn_from_history`.
    history : History
        Its result.
    outcome_col : str, default "converted"
        The outcome column.
    snapshot_date : Timestamp-like, optional
        The date engagement decays from; by default the day after the latest activity.
    activity_col : str, default "last_activity_at"
        Last activity dates (no decay without them).
    max_groups, max_levels : int
        As in :func:`segtools.leads.suggest_points`.

    Returns
    -------
    DataFrame
        The points table (``score, group, column, op, value, points, cap``) with
        ``attrs["measures"]``, a dict of leads, conversions, base_rate, roc_auc and
        average_precision on the held-out leads (as a row of ``history.measures``), and
        ``attrs["half_life_days"]``, its half-life (None: no decay).

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads.history import learn_from_history, learned_points_table
    >>> leads = load_case("consulting").leads
    >>> h = learn_from_history(leads, is_open=leads["status"].eq("open"))
    >>> table = learned_points_table(leads, h)
    >>> m = table.attrs["measures"]
    >>> m["leads"] == int(h.measures.iloc[0]["leads"]), m["roc_auc"] > 0.6
    (True, True)
    """
    import numpy as np

    from segtools.leads.evaluation import evaluate_scores
    from segtools.leads.suggest import activity_dates, points_on_splits

    if not isinstance(history, History) or history.closed is None or not history.splits:
        raise TypeError("history must be the result of learn_from_history")
    closed = leads[np.asarray(history.closed, dtype=bool)]
    y = outcome_of(closed, outcome_col).to_numpy(dtype=bool)
    activity, snapshot = activity_dates(closed, activity_col, snapshot_date)
    out = points_on_splits(closed[history.features], y, history.splits, activity=activity, snapshot_date=snapshot,
                           activity_col=activity_col, max_groups=max_groups, max_levels=max_levels)
    test, s, table = out["test"], out["scores"], out["table"]
    m = evaluate_scores(y[test], s)
    measures = {"leads": int(m["leads"]), "conversions": int(m["conversions"]),
                **{k: float(m[k]) for k in ("base_rate", "roc_auc", "average_precision")}}
    table.attrs.update(measures=measures, snapshot_date=snapshot)
    return table
