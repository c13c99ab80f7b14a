"""Model-based lead scoring: features, a time-based split that respects censoring, a scorer.

The scorer is a scikit-learn pipeline (imputation, one-hot encoding of text columns,
logistic regression or gradient boosting) wrapped in probability calibration. It refuses
columns known only after the outcome, the classic way a lead model looks brilliant in
testing and fails in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.base import BaseEstimator, ClassifierMixin

from segtools.errors import ValidationError
from segtools._validation import require_columns, require_frame, require_no_missing
from segtools.leads.encoding import as_float, thread_limit
from segtools.leads.leakage import TARGET, leak_alarm, post_outcome_columns, refuse_post_outcome

#: Columns that identify a lead rather than describe it: never features.
IDENTIFIERS = ("lead_id", "name", "email", "company")


def lead_features(leads, *, post_outcome=(), exclude=IDENTIFIERS, outcome_col=None, keep_flagged=()):
    """The feature table of a lead list: attributes and signals, nothing known after the outcome.

    Drops identifiers (``lead_id``, ``name``, ``email``, ``company``), date columns and every
    post-outcome column (:data:`POST_OUTCOME_COLUMNS`, the target ``converted`` and the names
    in ``post_outcome``, any case and spacing). With ``outcome_col`` the leak alarm
    (:func:`~segtools.leads.leakage.leak_alarm`) drops the columns that give it away, bar ``keep_flagged``.

    Parameters
    ----------
    leads : DataFrame
        One row per lead.
    post_outcome : sequence of str
        More columns known only after the outcome, dropped like the built-in ones.
    exclude : sequence of str
        Identifier columns to drop.
    outcome_col : str, optional
        The outcome column (1/0, yes/no, true/false, Y/N): run the leak alarm against it.
    keep_flagged : sequence of str
        Columns the alarm flags that are kept anyway (an explicit choice).

    Returns
    -------
    DataFrame
        The feature columns; ``attrs["dropped"]`` lists the dropped columns by reason,
        ``attrs["leak_alarm"]`` the alarm's rows with their evidence.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import lead_features
    >>> leads = load_case("startup").leads
    >>> X = lead_features(leads)
    >>> X.attrs["dropped"]["post-outcome"]
    ['converted', 'converted_at', 'status', 'customer_id', 'deal_value']
    >>> "demo_requested" in X.columns
    True
    >>> leaky = leads.assign(sales_tag=leads["converted"].map({True: "Closed", False: "Open"}))
    >>> lead_features(leaky, outcome_col="converted").attrs["dropped"]["leak alarm"]
    ['sales_tag']
    """
    require_frame(leads, table="leads")
    banned = set(post_outcome_columns(leads.columns, post_outcome))
    if outcome_col is not None:
        banned.add(outcome_col)
    dropped = {"identifier": [c for c in leads.columns if c in exclude],
               "date": [c for c in leads.columns if str(leads[c].dtype).startswith("datetime") and c not in banned],
               "post-outcome": [c for c in leads.columns if c in banned]}
    alarm = None
    if outcome_col is not None:
        known = leads[outcome_col].notna() if outcome_col in leads.columns else None
        gone = set(dropped["identifier"]) | set(dropped["date"])
        alarm = leak_alarm(leads.loc[known, [c for c in leads.columns if c not in gone]], outcome_col,
                           post_outcome=post_outcome, keep_flagged=keep_flagged, exclude=())
        alarm = alarm[(alarm["reason"] != "post-outcome") | ~alarm["column"].isin([outcome_col])]
        dropped["leak alarm"] = alarm.loc[~alarm["kept"] & (alarm["reason"] != "post-outcome"), "column"].tolist()
    drop = {c for cols in dropped.values() for c in cols}
    X = leads[[c for c in leads.columns if c not in drop]].copy()
    X.attrs["dropped"] = dropped
    if alarm is not None:
        X.attrs["leak_alarm"] = alarm.to_dict("records")
    return X


def converted_within(leads, *, horizon_days: int = 90):
    """True where a lead converted within ``horizon_days`` of its creation (the label to predict).

    Parameters
    ----------
    leads : DataFrame
        With ``created_at`` and ``converted_at``.
    horizon_days : int, default 90
        The days a lead has to convert.

    Returns
    -------
    Series of bool
        Named ``converted``, indexed like ``leads``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import converted_within
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-01"] * 3),
    ...                       "converted_at": pd.to_datetime(["2025-02-01", "2025-06-01", None])})
    >>> converted_within(leads, horizon_days=90).tolist()
    [True, False, False]
    """
    require_columns(leads, ["created_at", "converted_at"], table="leads")
    lag = (leads["converted_at"] - leads["created_at"]).dt.days
    return (lag <= horizon_days).fillna(False).astype(bool).rename(TARGET)


@dataclass
class TimeSplit:
    """Leads split by creation date, as a scorer would be trained and then used.

    Attributes
    ----------
    train, test : DataFrame
        Leads created before ``cutoff - horizon`` (outcome known at the cut-off), and leads
        created from ``cutoff`` until ``snapshot_date - horizon`` (each had the full horizon to convert).
    y_train, y_test : Series of bool
        Converted within the horizon.
    excluded : DataFrame
        The other leads, with a ``reason``: ``gap`` (outcome not yet known at the cut-off) or
        ``censored`` (too recent to judge at ``snapshot_date``).
    """

    train: object
    test: object
    y_train: object
    y_test: object
    excluded: object
    cutoff: object
    horizon_days: int

    def summary(self):
        """Rows and conversion rate per part (train, test, and each exclusion reason).

        Returns
        -------
        DataFrame
            ``part``, ``leads`` and ``conversion_rate`` (NaN for the excluded parts).
        """
        import pandas as pd

        rows = [("train", len(self.train), self.y_train.mean()), ("test", len(self.test), self.y_test.mean())]
        for reason, part in self.excluded.groupby("reason", sort=True):
            rows.append((f"excluded: {reason}", len(part), float("nan")))
        return pd.DataFrame(rows, columns=["part", "leads", "conversion_rate"])


def time_split(leads, cutoff, snapshot_date, *, horizon_days: int = 90):
    """Split leads in time, leaving out the ones whose outcome is not yet known (censoring).

    Parameters
    ----------
    leads : DataFrame
        With ``created_at`` and ``converted_at``.
    cutoff : Timestamp-like
        The day the model is (pretend) deployed.
    snapshot_date : Timestamp-like
        The day of the analysis (``case.snapshot_date``).
    horizon_days : int
        A lead counts as converted when it did so within this many days of creation.

    Returns
    -------
    TimeSplit

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import time_split
    >>> case = load_case("startup")
    >>> split = time_split(case.leads, "2025-04-01", case.snapshot_date, horizon_days=90)
    >>> split.summary()["part"].tolist()
    ['train', 'test', 'excluded: censored', 'excluded: gap']
    >>> len(split.train) + len(split.test) + len(split.excluded) == len(case.leads)
    True
    """
    import pandas as pd

    require_columns(leads, ["created_at", "converted_at"], table="leads")
    require_no_missing(leads, "created_at", table="leads")
    cutoff, snapshot = pd.Timestamp(cutoff), pd.Timestamp(snapshot_date)
    horizon = pd.Timedelta(days=horizon_days)
    if cutoff + horizon > snapshot:
        raise ValueError(f"cutoff {cutoff.date()} + {horizon_days} days is after snapshot_date {snapshot.date()}: "
                         "no test lead would have had time to convert")
    created = leads["created_at"]
    is_train = created < cutoff - horizon
    is_test = (created >= cutoff) & (created <= snapshot - horizon)
    y = converted_within(leads, horizon_days=horizon_days)
    reason = pd.Series("censored", index=leads.index).where(created >= cutoff, "gap")
    excluded = leads[~is_train & ~is_test].assign(reason=reason[~is_train & ~is_test])
    return TimeSplit(leads[is_train].copy(), leads[is_test].copy(), y[is_train], y[is_test], excluded,
                     cutoff, horizon_days)


def build_pipeline(model="logistic", *, random_state=0):
    """The unguarded scikit-learn pipeline: impute, encode mixed columns, classify.

    Numbers and yes/no flags are imputed with the median (plus a was-missing indicator) and
    scaled; text columns are one-hot encoded (:class:`~segtools.leads.encoding.TextOneHot`:
    a ``missing`` column, and zeros for categories not seen in training).
    It does not check for leakage: :class:`LeadScorer` does.

    Parameters
    ----------
    model : {"logistic", "boosting"}
        Logistic regression or histogram gradient boosting.
    random_state : int, default 0
        Seed of the boosting model.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``prep`` and ``model``, unfitted.

    Examples
    --------
    >>> from segtools.leads import build_pipeline
    >>> build_pipeline("boosting").steps[-1][0]
    'model'
    """
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from segtools.leads.encoding import TextOneHot

    numeric = make_pipeline(FunctionTransformer(as_float, feature_names_out="one-to-one"),
                            SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    prep = ColumnTransformer([("num", numeric, make_column_selector(dtype_include=["number", "bool"])),
                              ("cat", TextOneHot(min_frequency=5), make_column_selector(dtype_exclude=["number", "bool"]))],
                             sparse_threshold=0.0)
    if model == "logistic":
        clf = LogisticRegression(C=1.0, max_iter=1000)
    elif model == "boosting":
        clf = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.08, max_leaf_nodes=15,
                                             l2_regularization=1.0, early_stopping=False,
                                             random_state=random_state)
    else:
        raise ValueError(f"model must be 'logistic' or 'boosting', got {model!r}")
    return Pipeline([("prep", prep), ("model", clf)])


class LeadScorer(ClassifierMixin, BaseEstimator):
    """Predict each lead's chance to convert, with calibrated probabilities.

    Parameters
    ----------
    model : {"logistic", "boosting"}
        Logistic regression or histogram gradient boosting.
    calibration : {"sigmoid", "isotonic"}
        How ``CalibratedClassifierCV`` maps scores to probabilities.
    cv : int
        Folds for the calibration.
    post_outcome : sequence of str
        More columns known only after the outcome, refused like the built-in ones.
    keep_flagged : sequence of str
        Columns the leak alarm flags (a copy of the outcome, a column that separates it
        almost perfectly alone) that may stay anyway; any other flagged column is refused.
    random_state : int
        Seed for the boosting model and the folds.
    n_threads : int or None
        Limit on OpenMP/BLAS threads while fitting and scoring (1 keeps small fits fast and
        repeatable on a busy machine); None leaves the libraries' defaults.

    Attributes
    ----------
    features_ : list of str
        The columns it was trained on (scoring needs the same, in any order).
    calibrated_ : CalibratedClassifierCV
    leak_alarm_ : DataFrame
        The leak alarm's rows for the training columns (kept ones only).

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import LeadScorer, lead_features, time_split
    >>> case = load_case("startup")
    >>> split = time_split(case.leads, "2025-04-01", case.snapshot_date)
    >>> scorer = LeadScorer().fit(lead_features(split.train), split.y_train)
    >>> p = scorer.predict_proba(lead_features(split.test))[:, 1]
    >>> bool(0 <= p.min() and p.max() <= 1)
    True
    >>> scorer.fit(split.train, split.y_train)
    Traceback (most recent call last):
    ...
    segtools.errors.ValidationError: leads: column(s) 'converted', 'converted_at', 'status', 'customer_id', 'deal_value' in 2,516 rows are known only after the outcome (post-outcome); a scorer trained on them learns the answer, not the lead. Drop them, or use segtools.leads.lead_features(leads) to select features.
    """

    def __init__(self, model="logistic", *, calibration="sigmoid", cv=3, post_outcome=(), keep_flagged=(),
                 random_state=0, n_threads=1):
        self.model = model
        self.n_threads = n_threads
        self.calibration = calibration
        self.cv = cv
        self.post_outcome = post_outcome
        self.keep_flagged = keep_flagged
        self.random_state = random_state

    def _check(self, X):
        require_frame(X, table="leads")
        refuse_post_outcome(list(X.columns), len(X), post_outcome=self.post_outcome)
        dates = [c for c in X.columns if str(X[c].dtype).startswith("datetime")]
        if dates:
            raise ValidationError(f"leads: date column(s) {dates} in {len(X):,} rows: turn them into numbers "
                                  "(e.g. days since) or drop them; lead_features drops them", table="leads")

    def fit(self, X, y):
        """Fit on lead features ``X`` (a DataFrame) and outcomes ``y`` (bool)."""
        import numpy as np
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.model_selection import StratifiedKFold

        self._check(X)
        y = np.asarray(y, dtype=bool)
        if len(y) != len(X):
            raise ValidationError(f"leads: y has {len(y):,} values for {len(X):,} rows", table="leads")
        if y.all() or not y.any():
            raise ValidationError(f"leads: y has one class only in {len(y):,} rows; need both converted and not",
                                  table="leads")
        self._refuse_flagged(X, y)
        self.features_ = list(X.columns)
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        self.calibrated_ = CalibratedClassifierCV(build_pipeline(self.model, random_state=self.random_state),
                                                  method=self.calibration, cv=folds, ensemble=False)
        with thread_limit(self.n_threads):
            self.calibrated_.fit(X, y)
        self.classes_ = self.calibrated_.classes_
        return self

    def _refuse_flagged(self, X, y):
        """Raise when the leak alarm flags a column of ``X`` that ``keep_flagged`` does not name."""
        import pandas as pd

        target = "__outcome__"
        alarm = leak_alarm(pd.concat([X.reset_index(drop=True), pd.Series(y, name=target)], axis=1), target,
                           keep_flagged=self.keep_flagged, exclude=())
        self.leak_alarm_ = alarm
        flagged = alarm[~alarm["kept"]]
        if len(flagged):
            named = "; ".join(f"{r.column!r} ({r.reason}: {r.evidence})" for r in flagged.itertuples())
            raise ValidationError(f"leads: the leak alarm flags {named} in {len(X):,} rows; a scorer trained on "
                                  "them learns the answer, not the lead. Drop them (lead_features(leads, "
                                  "outcome_col=...) does), or keep them on purpose with keep_flagged=[...].",
                                  table="leads")

    def _frame(self, X):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "features_")
        self._check(X)
        require_columns(X, self.features_, why="the scorer was trained on them", table="leads")
        return X[self.features_]

    def predict_proba(self, X):
        """Calibrated probabilities, shape (n, 2): column 1 is the chance to convert."""
        X = self._frame(X)
        with thread_limit(self.n_threads):
            return self.calibrated_.predict_proba(X)

    def predict(self, X):
        """True where the chance to convert is at least one half."""
        return self.predict_proba(X)[:, 1] >= 0.5

    def conversion_probability(self, X):
        """The chance to convert as a Series aligned with ``X``.

        Parameters
        ----------
        X : DataFrame
            Lead features with the columns the scorer was trained on.

        Returns
        -------
        Series
            The probability of each lead, named ``probability``, indexed like ``X``.
        """
        import pandas as pd

        return pd.Series(self.predict_proba(X)[:, 1], index=X.index, name="probability")
