"""The formulas behind :mod:`segtools.customers.predicted` (numpy and scipy only).

BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers the easy way: an
alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284; the
log-likelihood is their equation (6) written in logs (no hypergeometric function), the
probability of being alive their (13) and the conditional expectation their (10).
Gamma-Gamma: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
customer base analysis", Journal of Marketing Research 42(4), 415-430, and Fader &
Hardie (2013), "The Gamma-Gamma model of monetary value" (note 025), equations (1a)
and (5).

Every formula takes plain arrays (:func:`summary_arrays` checks a summary and returns
them): ``x`` repeat purchases (frequency), ``t_x`` time of the last purchase
(recency), ``T`` age, ``m`` mean spend per repeat purchase.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, expit, gammaln, hyp2f1

from segtools._validation import require_columns, require_no_missing, require_numeric
from segtools.errors import SegtoolsError, ValidationError

TABLE = "summary"
# |log parameter| beyond this (times scaled so that the longest T is 1) means a parameter ran off to 0 or infinity
MAX_LOG_PARAM = 12.0


class ConvergenceError(SegtoolsError, RuntimeError):
    """The maximum-likelihood search did not converge (try a small ``penalizer``)."""


def bgnbd_loglik(params, x, t_x, T):
    """Per-customer BG/NBD log-likelihood for ``params = (r, alpha, a, b)``."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    # B(a+1, b+x-1)/B(a, b+x) = a/(b+x-1); only customers with a repeat purchase can have died
    a4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x)
    return a1 + a2 + np.logaddexp(a3, np.where(x > 0, a4, -np.inf))


def bgnbd_p_alive(params, x, t_x, T):
    """P(alive at T | x, t_x, T), equation (13)."""
    r, alpha, a, b = params
    log_odds_dead = (np.log(a) - np.log(b + np.maximum(x, 1) - 1)
                     + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)))
    return np.where(x > 0, expit(-log_odds_dead), 1.0)


def bgnbd_expected(params, x, t_x, T, t):
    """Expected purchases in ``(T, T + t]`` given ``(x, t_x, T)``, equation (10)."""
    r, alpha, a, b = params
    if np.isclose(a, 1.0):
        raise ValueError("a = 1: the conditional expectation (10) is undefined; refit or perturb the data")
    ra, rb, rc = r + x, b + x, a + b + x - 1
    z = t / (alpha + T + t)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        log_h = np.log(hyp2f1(ra, rb, rc, z))
        # Euler's transformation where the series overflows: 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z)
        alt = np.log(hyp2f1(rc - ra, rc - rb, rc, z)) + (rc - ra - rb) * np.log1p(-z)
    log_h = np.where(np.isfinite(log_h), log_h, alt)
    bracket = -np.expm1(log_h + ra * (np.log(alpha + T) - np.log(alpha + T + t)))
    return (a + b + x - 1) / (a - 1) * bracket * bgnbd_p_alive(params, x, t_x, T)


#: ``predicted_value``'s default: returning customers whose ``p_alive`` is below it are "likely lapsed".
LAPSED_BELOW = 0.5


def status_codes(x, p_alive, lapsed_below=LAPSED_BELOW):
    """The status of each customer as a code: 0 one purchase (``x == 0``), 1 likely lapsed, 2 active.

    Examples
    --------
    >>> status_codes(np.array([0, 3, 3]), np.array([1.0, 0.2, 0.9])).tolist()
    [0, 1, 2]
    """
    return np.where(x == 0, 0, np.where(p_alive < lapsed_below, 1, 2))


def gamma_gamma_loglik(params, x, m):
    """Per-customer Gamma-Gamma log-density of the mean spend ``m`` over ``x`` repeat purchases."""
    p, q, v = params
    px = p * x
    return (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v) + (px - 1) * np.log(m)
            + px * np.log(x) - (px + q) * np.log(x * m + v))


def bgnbd_loglik_of(x, t_x, T):
    """:func:`bgnbd_loglik` on fixed data as a function of ``params`` alone, for a fit's many evaluations.

    The terms that depend on one column only (gamma and beta functions of ``x``, logs of
    ``alpha + T`` and ``alpha + t_x``) are computed once per distinct value of that column and
    looked up: a weekly summary has a few dozen distinct frequencies and a hundred distinct ages.
    Every value is the same formula on the same inputs in the same order, so the result equals
    :func:`bgnbd_loglik`'s to the last bit.

    Examples
    --------
    >>> import numpy as np
    >>> x, t_x, T = np.array([0., 2., 2.]), np.array([0., 3., 5.]), np.array([6., 6., 8.])
    >>> params = np.array([0.5, 3.0, 0.8, 2.0])
    >>> np.array_equal(bgnbd_loglik_of(x, t_x, T)(params), bgnbd_loglik(params, x, t_x, T))
    True
    """
    xs, ix = np.unique(x, return_inverse=True)
    ts, it = np.unique(t_x, return_inverse=True)
    Ts, iT = np.unique(T, return_inverse=True)
    died = x > 0
    xm = np.maximum(xs, 1)

    def loglik(params):
        r, alpha, a, b = params
        rx = (r + xs)[ix]
        a1 = (gammaln(r + xs) - gammaln(r) + r * np.log(alpha))[ix]
        a2 = (betaln(a, b + xs) - betaln(a, b))[ix]
        a3 = -rx * np.log(alpha + Ts)[iT]
        a4 = (np.log(a) - np.log(b + xm - 1))[ix] - rx * np.log(alpha + ts)[it]
        return a1 + a2 + np.logaddexp(a3, np.where(died, a4, -np.inf))

    return loglik


def gamma_gamma_loglik_of(x, m):
    """:func:`gamma_gamma_loglik` on fixed data as a function of ``params`` alone (see :func:`bgnbd_loglik_of`).

    The gamma functions and ``log(x)`` are computed once per distinct frequency, ``log(m)`` once
    for the fit; only ``log(x * m + v)`` is left per customer. Equal to :func:`gamma_gamma_loglik`
    to the last bit.

    Examples
    --------
    >>> import numpy as np
    >>> x, m, params = np.array([1., 3., 1.]), np.array([20., 35.5, 12.]), np.array([2.0, 3.0, 15.0])
    >>> np.array_equal(gamma_gamma_loglik_of(x, m)(params), gamma_gamma_loglik(params, x, m))
    True
    """
    xs, ix = np.unique(x, return_inverse=True)
    log_m, log_xs = np.log(m), np.log(xs)

    def loglik(params):
        p, q, v = params
        pxs = p * xs
        px = pxs[ix]
        head = (gammaln(pxs + q) - gammaln(pxs) - gammaln(q) + q * np.log(v))[ix]
        return head + (px - 1) * log_m + (pxs * log_xs)[ix] - (px + q) * np.log(x * m + v)

    return loglik


def gamma_gamma_expected(params, x, m):
    """E(mean spend | x, m), equation (5): a weighted mean of the population mean and ``m``."""
    p, q, v = params
    if q <= 1:
        raise ValueError(f"q = {q:.4g} <= 1: the population mean spend p*v/(q-1) is not finite")
    return p * (v + x * m) / (p * x + q - 1)


def fit_log_params(loglik, names, penalizer, data=(), *, tol=1e-10, weights=None):
    """Maximise ``mean(loglik) - penalizer * sum(params**2)`` over log-parameters.

    ``loglik(params, *data)`` gives the per-row log-likelihood (``data`` empty for a function of
    the parameters alone, such as :func:`bgnbd_loglik_of`'s). ``names`` name the parameters (for
    errors). ``weights``, when given, count how many customers each row of ``data`` stands for
    (:func:`distinct_rows`): the mean is then weighted, the same likelihood computed once per
    distinct row. Returns the parameters and the mean log-likelihood at the optimum.
    """
    # a weighted sum by numpy's pairwise summation, not np.dot: BLAS splits a long dot product across as many
    # threads as it may use at that moment (scikit-learn lowers that number while k-means runs), and a sum in
    # another order moves the fitted parameters in their 7th digit
    mean = np.mean if weights is None else (lambda values: np.sum(weights * values) / np.sum(weights))

    def objective(theta):
        params = np.exp(theta)
        value = -mean(loglik(params, *data)) + penalizer * np.sum(params ** 2)
        return value if np.isfinite(value) else np.inf

    n_params = len(names)
    best = None
    for start in (np.full(n_params, 0.1), np.zeros(n_params), np.full(n_params, 1.0)):
        res = minimize(objective, start, method="BFGS", options={"gtol": tol})
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
            best = res
    if best is None or not np.isfinite(best.fun):
        raise ConvergenceError("the likelihood could not be evaluated for these data")
    runaway = [f"{name} -> {'0' if t < 0 else 'infinity'}" for name, t in zip(names, best.x) if abs(t) > MAX_LOG_PARAM]
    if runaway:
        raise ConvergenceError(f"the likelihood has no finite maximum for these data ({', '.join(runaway)}); the "
                               "model does not describe them (e.g. a -> 0: nobody seems to drop out). A penalizer "
                               "(e.g. penalizer=0.001) holds back parameters that run off to infinity")
    params = np.exp(best.x)
    return params, float(mean(loglik(params, *data)))


def per_distinct_row(func, x, t_x, T):
    """``func(x, t_x, T)``, computed once per distinct ``(x, t_x, T)`` and spread back to every customer.

    A weekly summary of millions of customers holds a few hundred thousand distinct rows at most
    (whole weeks), and the BG/NBD formulas (a hypergeometric function each) cost the most per row.
    Rows of whole numbers below 2**20 are coded by hashing one 64-bit key; anything else is
    computed row by row. Each value comes from the same formula on the same inputs either way.

    Examples
    --------
    >>> import numpy as np
    >>> per_distinct_row(lambda x, t, T: x + t + T, np.array([1., 1., 2.]), np.array([3., 3., 4.]),
    ...                  np.array([9., 9., 9.])).tolist()
    [13.0, 13.0, 15.0]
    """
    import pandas as pd

    def whole(v):
        return v.min() >= 0 and v.max() < 2**20 and np.array_equal(v, np.floor(v))

    if len(x) < 1000 or not all(whole(v) for v in (x, t_x, T)):
        return func(x, t_x, T)
    key = (x.astype(np.int64) << 40) | (t_x.astype(np.int64) << 20) | T.astype(np.int64)
    codes, keys = pd.factorize(key, sort=False)
    if len(keys) > len(x) // 2:  # mostly distinct: nothing to save
        return func(x, t_x, T)
    first = np.zeros(len(keys), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(x) - 1, -1, -1)  # the first row of each distinct row
    return func(x[first], t_x[first], T[first])[codes]


def distinct_rows(*columns):
    """The distinct rows of equal-length arrays, and how many times each occurs (for ``weights``).

    Customers with the same ``(x, t_x, T)`` have the same likelihood: a weekly summary of
    50,000 customers has a few thousand distinct rows, so the fit evaluates each once (lifetimes'
    ``weights`` does the same).

    Examples
    --------
    >>> import numpy as np
    >>> (x, t), n = distinct_rows(np.array([1., 0., 1.]), np.array([5., 0., 5.]))
    >>> x.tolist(), t.tolist(), n.tolist()
    ([0.0, 1.0], [0.0, 5.0], [1, 2])
    """
    rows, counts = np.unique(np.column_stack(columns), axis=0, return_counts=True)
    return tuple(rows.T), counts


def _bad(summary, mask, column, check, message):
    import pandas as pd

    labels = summary.index[mask]
    shown = ", ".join(map(str, labels[:5])) + (", ..." if len(labels) > 5 else "")
    problems = pd.DataFrame({"column": [column], "check": [check], "rows": [len(labels)], "examples": [shown]})
    raise ValidationError(f"table {TABLE!r}, column {column!r}: {len(labels):,} of {len(summary):,} customers "
                          f"{message} (customers {shown})", table=TABLE, problems=problems)


def summary_arrays(summary, columns):
    """Validated float arrays (a dict by column) of a repeat-purchase summary."""
    require_columns(summary, columns, TABLE, why="expected the output of repeat_purchase_summary")
    for column in columns:
        require_numeric(summary, column, TABLE)
    require_no_missing(summary, columns, TABLE)
    out = {c: summary[c].to_numpy(dtype=np.float64) for c in columns}
    x = out["frequency"]
    if (x < 0).any() or (x != np.round(x)).any():
        _bad(summary, (x < 0) | (x != np.round(x)), "frequency", "count", "are not whole numbers >= 0")
    if "recency" in out:
        t_x, T = out["recency"], out["T"]
        if (t_x < 0).any() or (t_x > T).any():
            _bad(summary, (t_x < 0) | (t_x > T), "recency", "0 <= recency <= T", "have recency < 0 or above T")
        if ((x == 0) & (t_x != 0)).any():
            _bad(summary, (x == 0) & (t_x != 0), "recency", "0 without repeat", "have frequency 0 but recency > 0")
    return out
