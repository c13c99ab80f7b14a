"""Predicted customer value: who is still buying, how often, and how much (BG/NBD + Gamma-Gamma).

Two probability models, fitted by maximum likelihood with scipy, turn a
repeat-purchase summary (:func:`segtools.customers.repeat_purchase_summary`: columns
``frequency``, ``recency``, ``T`` and ``monetary_value``, all counted in periods) into
forward-looking numbers per customer:

- :class:`PurchaseModel`, the BG/NBD model (Fader, Hardie & Lee 2005, "Counting your
  customers the easy way"): the probability that a customer is still active
  (:meth:`~PurchaseModel.probability_alive`) and the expected number of purchases in
  the next ``horizon`` periods (:meth:`~PurchaseModel.expected_purchases`);
- :class:`SpendModel`, the Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV"):
  the expected spend per future purchase (:meth:`~SpendModel.expected_spend`);
- :func:`predicted_value` puts both together, one row per customer, with a
  ``"likely lapsed"`` / ``"active"`` label.

**What the models assume.** BG/NBD: purchases are *non-contractual* (nobody tells you
when a customer leaves; you only stop seeing orders); while active, a customer buys
as a Poisson process with their own rate (rates vary across customers as a Gamma
distribution, parameters ``r`` and ``alpha``); after each purchase the customer
becomes inactive for good with their own probability (a Beta distribution across
customers, parameters ``a`` and ``b``) and *never comes back* ("dies once"); rates and
drop-out probabilities are independent. Gamma-Gamma: the spend of one purchase varies
around each customer's own mean (Gamma, shape ``p``), those means vary across
customers (inverse-Gamma-like, ``q`` and ``v``), and *the spend per purchase is
independent of how often the customer buys*. That last assumption can be checked:
:class:`SpendModel` stores the correlation between ``frequency`` and
``monetary_value`` of the returning customers in ``frequency_spend_corr_`` and warns
when its size reaches 0.3 (on the CDNOW sample it is 0.11). Only returning customers
(``frequency > 0``) inform the spend model; a one-time buyer gets the population mean.

**When not to use them.** Subscriptions and contracts, where a cancellation is
observed, are a churn problem: model the observed cancellations instead (a classifier
or a survival model). Also avoid the models for customers who come back after a long
break as a matter of course (seasonal buyers break "dies once"), for purchase logs too
short to see anyone lapse, and for spend that clearly grows with frequency. The value
is undiscounted and in the units of ``monetary_value`` (net spend, or margin if you
summarise margins). Times are in the summary's periods: ``horizon=52`` means 52 weeks
on a weekly summary and 52 days on a daily one.

The formulas are in :mod:`segtools.customers._clv`; both models reproduce the
published CDNOW estimates (see ``tests/test_customers_predicted.py``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from segtools.customers import _clv
from segtools.customers._clv import TABLE, ConvergenceError, summary_arrays
from segtools.errors import ValidationError

LAPSED, ACTIVE, ONE_PURCHASE = "likely lapsed", "active", "one purchase"
MAX_CORRELATION = 0.3

__all__ = ["ConvergenceError", "PurchaseModel", "SpendModel", "predicted_value"]


class PurchaseModel(BaseEstimator):
    """BG/NBD model of repeat purchases: probability of being active, expected purchases.

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty on the four parameters (``alpha`` measured with the longest ``T``
        as the time unit, so the penalty does not depend on the period), added to
        the mean negative log-likelihood. The same convention as ``lifetimes``'
        ``penalizer_coef``. Use a small value (0.001 to 0.1) when the fit does not
        converge on small or odd data.

    Attributes
    ----------
    params_ : Series
        ``r``, ``alpha`` (Gamma purchase rates, ``alpha`` in periods), ``a``, ``b``
        (Beta drop-out probabilities).
    log_likelihood_ : float
        Mean log-likelihood per customer at the fitted parameters.
    n_customers_ : int
        Customers used in the fit.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.customers import repeat_purchase_summary
    >>> case = load_case("retail")
    >>> summary = repeat_purchase_summary(case.transactions, case.snapshot_date, period="W", returns="net")
    >>> model = PurchaseModel().fit(summary)
    >>> model.params_.round(2).to_dict()
    {'r': 0.17, 'alpha': 4.46, 'a': 0.71, 'b': 4.27}
    >>> model.probability_alive(summary).lt(0.5).sum()  # customers who have likely lapsed
    np.int64(...)
    >>> nextyear = model.expected_purchases(summary, horizon=52)  # weeks, as the summary
    >>> bool(nextyear.between(0, 52).all())
    True
    """

    def __init__(self, *, penalizer=0.0):
        self.penalizer = penalizer

    def fit(self, summary, y=None):
        """Fit by maximum likelihood on a repeat-purchase summary.

        Parameters
        ----------
        summary : DataFrame
            Columns ``frequency``, ``recency`` and ``T`` (one row per customer), e.g.
            from :func:`segtools.customers.repeat_purchase_summary`.
        y : None
            Ignored (scikit-learn convention).

        Returns
        -------
        PurchaseModel
            ``self``, fitted.
        """
        if not self.penalizer >= 0:
            raise ValueError(f"penalizer must be >= 0, got {self.penalizer!r}")
        data = summary_arrays(summary, ["frequency", "recency", "T"])
        x, t_x, T = data["frequency"], data["recency"], data["T"]
        if len(x) == 0 or T.max() <= 0 or x.max() == 0:
            raise ValidationError(f"table {TABLE!r}: needs customers with a repeat purchase and T > 0 to fit "
                                  f"(got {len(x):,} customers, {int((x > 0).sum()):,} returning)", table=TABLE)
        scale = 1.0 / T.max()
        data, counts = _clv.distinct_rows(x, t_x * scale, T * scale)  # the likelihood once per distinct row
        params, _ = _clv.fit_log_params(_clv.bgnbd_loglik_of(*data), ("r", "alpha", "a", "b"), self.penalizer,
                                        weights=counts)
        params[1] /= scale
        self.params_ = pd.Series(params, index=["r", "alpha", "a", "b"])
        self.log_likelihood_ = float(np.mean(_clv.bgnbd_loglik(params, x, t_x, T)))
        self.n_customers_ = len(x)
        return self

    def probability_alive(self, summary):
        """Probability that each customer is still active at the end of observation.

        Parameters
        ----------
        summary : DataFrame
            Columns ``frequency``, ``recency`` and ``T``.

        Returns
        -------
        Series
            Named ``p_alive``, same index as ``summary``; 1.0 for customers without a
            repeat purchase (in BG/NBD a customer can only drop out right after a purchase).

        Examples
        --------
        >>> import pandas as pd
        >>> model = PurchaseModel()  # with the published CDNOW parameters (weeks):
        >>> model.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> s = pd.DataFrame({"frequency": [2, 2], "recency": [38.0, 5.0], "T": [39.0, 39.0]})
        >>> model.probability_alive(s).round(3).tolist()
        [0.804, 0.123]
        """
        check_is_fitted(self, "params_")
        p = self._predict(summary_arrays(summary, ["frequency", "recency", "T"]), None)[:, 0]
        return pd.Series(p, index=summary.index, name="p_alive")

    def expected_purchases(self, summary, *, horizon):
        """Expected number of purchases of each customer in the next ``horizon`` periods.

        Parameters
        ----------
        summary : DataFrame
            Columns ``frequency``, ``recency`` and ``T``.
        horizon : float
            Length of the forecast window, in the summary's periods (> 0).

        Returns
        -------
        Series
            Named ``expected_purchases``, same index as ``summary``.

        Examples
        --------
        >>> import pandas as pd
        >>> model = PurchaseModel()  # with the published CDNOW parameters (weeks):
        >>> model.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> s = pd.DataFrame({"frequency": [2, 2, 0], "recency": [38.0, 5.0, 0.0], "T": [39.0, 39.0, 39.0]})
        >>> model.expected_purchases(s, horizon=39).round(2).tolist()
        [1.35, 0.21, 0.19]
        """
        check_is_fitted(self, "params_")
        e = self._predict(summary_arrays(summary, ["frequency", "recency", "T"]), horizon, alive=False)[:, -1]
        return pd.Series(e, index=summary.index, name="expected_purchases")

    def _predict(self, d, horizon, *, alive=True):
        """Columns ``p_alive`` (with ``alive``) and expected purchases over ``horizon`` (unless None) of the
        arrays ``d`` (:func:`summary_arrays`), each computed once per distinct ``(x, t_x, T)``."""
        if horizon is not None and (not np.isscalar(horizon) or not horizon > 0):
            raise ValueError(f"horizon must be a number of periods > 0, got {horizon!r}")
        params = self.params_.to_numpy()

        def columns(x, t_x, T):
            out = [_clv.bgnbd_p_alive(params, x, t_x, T)] if alive else []
            if horizon is not None:
                out.append(_clv.bgnbd_expected(params, x, t_x, T, float(horizon)))
            return np.column_stack(out)

        return _clv.per_distinct_row(columns, d["frequency"], d["recency"], d["T"])


class SpendModel(BaseEstimator):
    """Gamma-Gamma model of spend per purchase: expected spend of each customer's future purchases.

    Fitted on the returning customers (``frequency > 0``) whose ``monetary_value``
    (mean spend per repeat purchase) is positive; returning customers whose refunds
    netted their repeat spend to 0 or below are left out of the fit and counted in
    ``n_excluded_``.

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty on ``p``, ``q`` and ``v`` added to the mean negative log-likelihood
        (``lifetimes``' ``penalizer_coef`` convention; ``v`` is in spend units).

    Attributes
    ----------
    params_ : Series
        ``p`` (shape of a customer's spend per purchase), ``q`` and ``v`` (spread of
        the customers' mean spend; population mean ``p * v / (q - 1)``).
    frequency_spend_corr_ : float
        Pearson correlation of ``frequency`` and ``monetary_value`` among the returning
        customers; the model assumes 0 and warns when its size is 0.3 or more.
    log_likelihood_ : float
        Mean log-likelihood per returning customer at the fitted parameters.
    n_customers_ : int
        Returning customers used in the fit.
    n_excluded_ : int
        Returning customers left out because their ``monetary_value`` is 0 or below.

    Examples
    --------
    In the retail case spend per purchase grows with frequency, and the model says so:

    >>> import warnings
    >>> from segtools.data import load_case
    >>> from segtools.customers import repeat_purchase_summary
    >>> case = load_case("retail")
    >>> summary = repeat_purchase_summary(case.transactions, case.snapshot_date, period="W", returns="net")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     model = SpendModel().fit(summary)
    >>> round(model.frequency_spend_corr_, 2), len(caught), model.n_customers_, model.n_excluded_
    (0.38, 1, 1211, 16)
    >>> model.params_.round(2).to_dict()
    {'p': 2.38, 'q': 3.82, 'v': 108.1}
    """

    def __init__(self, *, penalizer=0.0):
        self.penalizer = penalizer

    def fit(self, summary, y=None):
        """Fit by maximum likelihood on the returning customers of a repeat-purchase summary.

        Parameters
        ----------
        summary : DataFrame
            Columns ``frequency`` and ``monetary_value``, e.g. from
            :func:`segtools.customers.repeat_purchase_summary`.
        y : None
            Ignored (scikit-learn convention).

        Returns
        -------
        SpendModel
            ``self``, fitted.
        """
        if not self.penalizer >= 0:
            raise ValueError(f"penalizer must be >= 0, got {self.penalizer!r}")
        d = summary_arrays(summary, ["frequency", "monetary_value"])
        back = d["frequency"] > 0
        usable = back & (d["monetary_value"] > 0)
        x, m = d["frequency"][usable], d["monetary_value"][usable]
        if len(x) < 2:
            raise ValidationError(f"table {TABLE!r}: needs at least 2 returning customers (frequency > 0) to "
                                  f"fit, got {len(x)}", table=TABLE)
        corr = float(np.corrcoef(x, m)[0, 1]) if np.ptp(x) > 0 and np.ptp(m) > 0 else 0.0
        if abs(corr) >= MAX_CORRELATION:
            warnings.warn(f"spend per purchase is correlated with frequency (r = {corr:.2f}) among the {len(x):,} "
                          "returning customers; the Gamma-Gamma model assumes they are independent, so expected "
                          "spend is biased", UserWarning, stacklevel=2)
        params, _ = _clv.fit_log_params(_clv.gamma_gamma_loglik_of(x, m), ("p", "q", "v"), self.penalizer)
        self.params_ = pd.Series(params, index=["p", "q", "v"])
        self.frequency_spend_corr_ = corr
        self.log_likelihood_ = float(np.mean(_clv.gamma_gamma_loglik(params, x, m)))
        self.n_customers_ = len(x)
        self.n_excluded_ = int((back & ~usable).sum())
        return self

    def expected_spend(self, summary):
        """Expected spend per future purchase of each customer.

        A weighted mean of the population mean ``p * v / (q - 1)`` and the customer's own
        ``monetary_value``; the more repeat purchases, the more weight on their own.
        A ``monetary_value`` below 0 (refunds larger than the repeat spend) counts as 0.

        Parameters
        ----------
        summary : DataFrame
            Columns ``frequency`` and ``monetary_value``.

        Returns
        -------
        Series
            Named ``expected_spend``, same index as ``summary``.

        Examples
        --------
        >>> import pandas as pd
        >>> model = SpendModel()  # with the published CDNOW parameters:
        >>> model.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
        >>> s = pd.DataFrame({"frequency": [0, 1, 10], "monetary_value": [0.0, 100.0, 100.0]})
        >>> model.expected_spend(s).round(2).tolist()
        [35.22, 80.26, 97.28]
        """
        check_is_fitted(self, "params_")
        e = self._predict(summary_arrays(summary, ["frequency", "monetary_value"]))
        return pd.Series(e, index=summary.index, name="expected_spend")

    def _predict(self, d):
        """Expected spend of the arrays ``d`` (:func:`summary_arrays`)."""
        return _clv.gamma_gamma_expected(self.params_.to_numpy(), d["frequency"], np.maximum(d["monetary_value"], 0.0))


def predicted_value(summary, *, horizon, purchase_model=None, spend_model=None, penalizer=0.0,
                    lapsed_below=_clv.LAPSED_BELOW):
    """Predicted value of each customer over the next ``horizon`` periods, with an active/lapsed label.

    ``predicted_value = expected_purchases * expected_spend`` (undiscounted, in the
    units of ``monetary_value``). ``status`` is ``"likely lapsed"`` when ``p_alive`` is
    below ``lapsed_below``, ``"active"`` otherwise, except for customers without a
    repeat purchase: BG/NBD gives them ``p_alive = 1`` by construction (a customer can
    only drop out right after a purchase), so they are labelled ``"one purchase"``
    rather than called active; their ``expected_purchases`` still falls with ``T``.

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`segtools.customers.repeat_purchase_summary`: columns
        ``frequency``, ``recency``, ``T`` and ``monetary_value``.
    horizon : float
        Forecast window in the summary's periods (days for ``period="D"``, weeks for ``"W"``).
    purchase_model : PurchaseModel, optional
        A fitted model; by default one is fitted on ``summary``.
    spend_model : SpendModel, optional
        A fitted model; by default one is fitted on ``summary``'s returning customers.
    penalizer : float, default 0.0
        Passed to the models fitted here.
    lapsed_below : float, default 0.5
        Customers with ``p_alive`` below this are labelled ``"likely lapsed"``.

    Returns
    -------
    DataFrame
        Same index as ``summary``; columns ``p_alive``, ``expected_purchases``,
        ``expected_spend``, ``predicted_value`` and ``status`` (``"active"``,
        ``"likely lapsed"`` or ``"one purchase"``). ``attrs["params"]`` holds both
        models' parameters.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.customers import repeat_purchase_summary
    >>> import warnings
    >>> case = load_case("retail")
    >>> summary = repeat_purchase_summary(case.transactions, case.snapshot_date, period="W", returns="net")
    >>> with warnings.catch_warnings(record=True) as caught:  # the spend model warns: r = 0.36 here
    ...     warnings.simplefilter("always")
    ...     table = predicted_value(summary, horizon=52)  # the next 52 weeks
    >>> list(table.columns)
    ['p_alive', 'expected_purchases', 'expected_spend', 'predicted_value', 'status']
    >>> table["status"].value_counts().to_dict()
    {'one purchase': 1773, 'likely lapsed': 665, 'active': 562}
    >>> top = table["predicted_value"].idxmax()
    >>> top, table.loc[top, ["p_alive", "expected_purchases", "expected_spend"]].astype(float).round(2).tolist()
    ('C02413', [0.97, 8.43, 195.0])
    """
    if purchase_model is None:
        purchase_model = PurchaseModel(penalizer=penalizer).fit(summary)
    if spend_model is None:
        spend_model = SpendModel(penalizer=penalizer).fit(summary)
    check_is_fitted(purchase_model, "params_")
    check_is_fitted(spend_model, "params_")
    d = summary_arrays(summary, ["frequency", "recency", "T", "monetary_value"])  # checked once for both models
    both = purchase_model._predict(d, horizon)
    p_alive, purchases, spend = both[:, 0], both[:, 1], spend_model._predict(d)
    code = _clv.status_codes(d["frequency"], p_alive, lapsed_below)  # 0, 1, 2: in the order of these labels
    status = pd.array([ONE_PURCHASE, LAPSED, ACTIVE], dtype="str").take(code)  # no text object per customer
    out = pd.DataFrame({"p_alive": p_alive, "expected_purchases": purchases, "expected_spend": spend,
                        "predicted_value": purchases * spend, "status": status},
                       index=summary.index)
    out.attrs["params"] = {"purchase": purchase_model.params_.to_dict(), "spend": spend_model.params_.to_dict()}
    return out
