"""How good is a lead score? ROC AUC, average precision, gains and lift, top-k, calibration.

Every function takes the outcome ``y`` (bool, did the lead convert) and a ``score`` (any
number where higher means more likely; for calibration, a probability).
"""

from __future__ import annotations

from segtools.errors import ValidationError


def _arrays(y, score, table="scores"):
    import numpy as np

    y = np.asarray(y, dtype=float)
    s = np.asarray(score, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise ValidationError(f"{table}: y has {y.size:,} values and score {s.size:,}; they must match", table=table)
    for name, a in (("y", y), ("score", s)):
        bad = np.isnan(a)
        if bad.any():
            raise ValidationError(f"{table}: {name} has {int(bad.sum()):,} missing values in {a.size:,} rows",
                                  table=table)
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValidationError(f"{table}: y must be True/False (or 1/0)", table=table)
    return y, s


def _ranked(y, s):
    """Outcomes in descending score order; ties keep their input order (a stable sort)."""
    import numpy as np

    order = np.argsort(-s, kind="stable")
    return y[order]


def evaluate_scores(y, score):
    """ROC AUC, average precision and (for probabilities) the Brier score, via scikit-learn.

    Parameters
    ----------
    y : array-like of bool
        Whether each lead converted.
    score : array-like of float
        The lead score, higher = more likely (a probability for the Brier score).

    Returns
    -------
    Series
        ``leads``, ``conversions``, ``base_rate``, ``roc_auc``, ``average_precision`` and
        ``brier`` (NaN when ``score`` is not a probability).

    Examples
    --------
    >>> from segtools.leads import evaluate_scores
    >>> float(evaluate_scores([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])["roc_auc"])
    0.75
    """
    import numpy as np
    import pandas as pd
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

    y, s = _arrays(y, score)
    if y.min() == y.max():
        raise ValidationError(f"scores: y has one class only in {y.size:,} rows", table="scores")
    is_prob = bool(s.min() >= 0 and s.max() <= 1)
    return pd.Series({"leads": float(y.size), "conversions": float(y.sum()), "base_rate": float(y.mean()),
                      "roc_auc": float(roc_auc_score(y, s)), "average_precision": float(average_precision_score(y, s)),
                      "brier": float(brier_score_loss(y, s)) if is_prob else np.nan})


def gains_table(y, score, *, n_bins: int = 10):
    """Gains and lift by score decile (1 = the highest scores).

    Leads are ranked by score and cut into ``n_bins`` groups of (nearly) equal size; tied
    scores keep their input order, so present leads in a neutral order (e.g. by id).

    Parameters
    ----------
    y : array-like of bool
        Whether each lead converted.
    score : array-like of float
        The lead score, higher = more likely.
    n_bins : int, default 10
        The number of groups, between 1 and the number of leads.

    Returns
    -------
    DataFrame
        ``decile``, ``leads``, ``conversions``, ``rate``, ``lift`` (rate / overall rate),
        ``cum_leads_share``, ``cum_conversions_share`` (the gain) and ``cum_lift``.

    Examples
    --------
    >>> from segtools.leads import gains_table
    >>> g = gains_table([1, 0, 1, 0, 0, 0, 0, 0, 0, 0], range(10, 0, -1), n_bins=5)
    >>> g[["decile", "conversions", "lift", "cum_conversions_share"]].values.tolist()
    [[1.0, 1.0, 2.5, 0.5], [2.0, 1.0, 2.5, 1.0], [3.0, 0.0, 0.0, 1.0], [4.0, 0.0, 0.0, 1.0], [5.0, 0.0, 0.0, 1.0]]
    """
    import numpy as np
    import pandas as pd

    y, s = _arrays(y, score)
    if not 1 <= n_bins <= y.size:
        raise ValueError(f"n_bins must be between 1 and the {y.size:,} rows, got {n_bins!r}")
    ranked = _ranked(y, s)
    parts = np.array_split(ranked, n_bins)
    leads = np.array([len(p) for p in parts])
    conv = np.array([p.sum() for p in parts])
    base = y.mean()
    out = pd.DataFrame({"decile": np.arange(1, n_bins + 1), "leads": leads, "conversions": conv})
    out["rate"] = out["conversions"] / out["leads"]
    out["lift"] = out["rate"] / base if base > 0 else np.nan
    out["cum_leads_share"] = out["leads"].cumsum() / y.size
    out["cum_conversions_share"] = out["conversions"].cumsum() / y.sum() if y.sum() > 0 else np.nan
    out["cum_lift"] = out["cum_conversions_share"] / out["cum_leads_share"]
    return out


def top_k_capture(y, score, *, k=(0.05, 0.1, 0.2, 0.3)):
    """Share of all conversions found among the top ``k`` share of leads by score.

    The top k% holds ``ceil(k * n)`` leads.

    Parameters
    ----------
    y : array-like of bool
        Whether each lead converted.
    score : array-like of float
        The lead score, higher = more likely.
    k : float or sequence of float
        Shares of leads, each in (0, 1].

    Returns
    -------
    DataFrame
        One row per share: ``k``, ``leads``, ``conversions``, ``captured`` (share of all
        conversions), ``precision`` and ``lift``.

    Examples
    --------
    >>> from segtools.leads import top_k_capture
    >>> t = top_k_capture([1, 0, 1, 0, 0, 0, 0, 0, 0, 1], range(10, 0, -1), k=[0.1, 0.3])
    >>> t[["k", "leads", "conversions", "captured"]].values.tolist()
    [[0.1, 1.0, 1.0, 0.3333333333333333], [0.3, 3.0, 2.0, 0.6666666666666666]]
    """
    import numpy as np
    import pandas as pd

    y, s = _arrays(y, score)
    ks = np.atleast_1d(np.asarray(k, dtype=float))
    if ((ks <= 0) | (ks > 1)).any():
        raise ValueError(f"k must be shares between 0 (excluded) and 1, got {k!r}")
    cum = np.concatenate([[0.0], np.cumsum(_ranked(y, s))])
    n_top = np.ceil(ks * y.size - 1e-9).astype(int)
    conv = cum[n_top]
    total = y.sum()
    return pd.DataFrame({"k": ks, "leads": n_top, "conversions": conv,
                         "captured": conv / total if total else np.nan,
                         "precision": conv / n_top, "lift": (conv / n_top) / y.mean() if total else np.nan})


def calibration_table(y, probability, *, n_bins: int = 10, strategy: str = "quantile"):
    """Mean predicted probability against the observed conversion rate, per bin.

    Bins as in :func:`sklearn.calibration.calibration_curve` (``strategy`` ``"quantile"``
    or ``"uniform"``); empty bins are left out, as there. Adds the number of leads per bin.

    Parameters
    ----------
    y : array-like of bool
        Whether each lead converted.
    probability : array-like of float
        Predicted chance to convert, between 0 and 1.
    n_bins : int, default 10
        The number of bins.
    strategy : {"quantile", "uniform"}
        Bins of equal size, or of equal width on [0, 1].

    Returns
    -------
    DataFrame
        ``bin``, ``leads``, ``mean_predicted`` and ``observed_rate`` per non-empty bin.

    Examples
    --------
    >>> from segtools.leads import calibration_table
    >>> c = calibration_table([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], n_bins=2)
    >>> c[["leads", "mean_predicted", "observed_rate"]].round(2).values.tolist()
    [[2.0, 0.15, 0.0], [2.0, 0.8, 1.0]]
    """
    import numpy as np
    import pandas as pd

    if strategy not in ("quantile", "uniform"):
        raise ValueError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}")
    if int(n_bins) != n_bins or n_bins < 1:
        raise ValueError(f"n_bins must be a positive whole number, got {n_bins!r}")
    y, p = _arrays(y, probability)
    if p.min() < 0 or p.max() > 1:
        raise ValidationError("scores: probability must lie between 0 and 1", table="scores")
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0, 100, n_bins + 1))
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(edges[1:-1], p, side="right")
    frame = pd.DataFrame({"bin": ids + 1, "y": y, "p": p})
    out = frame.groupby("bin").agg(leads=("y", "size"), mean_predicted=("p", "mean"), observed_rate=("y", "mean"))
    return out.reset_index()
