"""Predicted value for a report: the models of :mod:`segtools.customers.predicted`, or a reason not to show them.

:func:`value_outlook` summarises the purchase log weekly (refunds netted into the
purchase they undo, zero-amount purchases counted), fits the BG/NBD purchase model and
the Gamma-Gamma spend model, and returns one row per customer with ``p_alive``,
``expected_purchases``, ``expected_spend`` and ``predicted_value`` over the horizon,
plus a ``value_outlook`` group:

- ``"most valuable next year"``: the top ``top_share`` of customers by predicted value;
- ``"likely lapsed"``: returning customers whose probability of still buying is below 0.5;
- ``"active"`` and ``"one purchase"`` (BG/NBD cannot tell whether a one-time buyer left).

When the data cannot support the models (fewer than ``min_repeat_buyers`` returning
customers, a fit that fails even with a small penalizer), it returns no numbers and
says why in ``attrs["unsupported"]``. Warnings of the fit (e.g. spend correlated with
frequency) are kept in ``attrs["warnings"]`` instead of being printed.

On a large base the models are fitted on a random sample of :data:`FIT_SAMPLE` customers
(drawn with ``random_state``, so every run draws the same one), then predict for every
customer: four and three parameters describe the whole population, and 50,000 customers
pin them down well, while the fit's cost grows with every customer (on 500,000 customers
the fits took about a minute on a 2-core machine). ``attrs["fit"]`` says how many customers the models
were fitted on; a base of :data:`FIT_SAMPLE` customers or fewer is fitted whole.

The models assume *non-contractual* purchases: customers leave silently and do not
come back. For subscriptions, where a cancellation is observed, use a churn model.
"""

from __future__ import annotations

import warnings
from contextlib import nullcontext

import numpy as np
import pandas as pd

from segtools.customers.rfm import repeat_purchase_summary

#: The value group of the top share of predicted value (the others are predicted_value's status labels).
MOST_VALUABLE = "most valuable next year"
PENALIZERS = (0.0, 0.001)
#: the most customers the models are fitted on; a larger base is sampled (fixed seed), predictions cover everyone
FIT_SAMPLE = 50_000
OUTLOOK_COLUMNS = ["p_alive", "expected_purchases", "expected_spend", "predicted_value", "value_outlook"]


def value_outlook(transactions, snapshot_date, *, horizon_weeks=52, min_repeat_buyers=30, top_share=0.2,
                  fit_sample=FIT_SAMPLE, random_state=0, customer_id_col="customer_id", date_col="date",
                  amount_col="amount") -> pd.DataFrame:
    """Predicted value over the next ``horizon_weeks`` per customer, or an empty table with the reason.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction; rows after ``snapshot_date`` are left out.
    snapshot_date : date-like
        The end of observation.
    horizon_weeks : int
        The forecast horizon in weeks (52: the next year).
    min_repeat_buyers : int
        Fewer returning customers than this: no numbers, a reason instead.
    top_share : float
        Share of customers (by predicted value) labelled ``"most valuable next year"``.
    fit_sample : int or None
        Fit the models on a random sample of this many customers when there are more
        (None: always on every customer); predictions are for every customer.
    random_state : int
        Seed of that sample.
    customer_id_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer id, columns :data:`OUTLOOK_COLUMNS` (empty when
        unsupported); ``attrs``: ``unsupported`` (None or the reason), ``warnings``
        (list of str), ``params``, ``repeat_buyers`` and ``fit`` (``customers`` the models were
        fitted on, ``of`` how many, ``sampled``, ``random_state``).

    Examples
    --------
    >>> from segtools.data import load_case
    >>> case = load_case("retail")
    >>> out = value_outlook(case.transactions, case.snapshot_date)
    >>> out.attrs["unsupported"] is None, list(out.columns) == OUTLOOK_COLUMNS
    (True, True)
    >>> int((out["value_outlook"] == "most valuable next year").sum()) == len(out) // 5
    True
    >>> tiny = case.transactions.head(5)
    >>> value_outlook(tiny, case.snapshot_date).attrs["unsupported"]
    'only 0 customers bought again (at least 30 are needed to fit the purchase model)'
    """
    if not (isinstance(horizon_weeks, (int, np.integer)) and horizon_weeks >= 1):
        raise ValueError(f"horizon_weeks must be a whole number of weeks, 1 or more, got {horizon_weeks!r}")
    if not 0 < top_share < 1:
        raise ValueError(f"top_share must be between 0 and 1, got {top_share!r}")
    summary = repeat_purchase_summary(transactions, snapshot_date, period="W", returns="net",
                                      after_snapshot="exclude", customer_id_col=customer_id_col, date_col=date_col,
                                      amount_col=amount_col)
    return outlook_from_summary(summary, horizon_weeks=horizon_weeks, min_repeat_buyers=min_repeat_buyers,
                                top_share=top_share, fit_sample=fit_sample, random_state=random_state)


def fit_rows(n: int, *, fit_sample=FIT_SAMPLE, random_state=0):
    """Positions (sorted) of the customers the models are fitted on: all ``n``, or a fixed-seed sample.

    Parameters
    ----------
    n : int
        Customers in the summary.
    fit_sample : int or None
        The most customers to fit on (None: every customer).
    random_state : int
        Seed of the sample (:func:`numpy.random.default_rng`).

    Returns
    -------
    ndarray of int or None
        None when every customer is used, else ``fit_sample`` sorted positions drawn without replacement.

    Examples
    --------
    >>> fit_rows(10, fit_sample=20) is None
    True
    >>> fit_rows(10, fit_sample=3, random_state=0).tolist() == fit_rows(10, fit_sample=3, random_state=0).tolist()
    True
    """
    if fit_sample is None or n <= fit_sample:
        return None
    if not (isinstance(fit_sample, (int, np.integer)) and fit_sample >= 2):
        raise ValueError(f"fit_sample must be a whole number of customers, 2 or more, or None; got {fit_sample!r}")
    return np.sort(np.random.default_rng(random_state).choice(n, size=int(fit_sample), replace=False))


def _top(values, n):
    """Positions of the ``n`` largest values, ties taken in row order (the first ``n`` of a stable sort, descending).

    Examples
    --------
    >>> import numpy as np
    >>> _top(np.array([1.0, 5.0, 3.0, 5.0, 3.0]), 3).tolist()
    [1, 2, 3]
    """
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    cut = np.partition(values, len(values) - n)[len(values) - n]  # the n-th largest (a partition, not a sort)
    above = np.flatnonzero(values > cut)
    tied = np.flatnonzero(values == cut)[:n - len(above)]
    return np.sort(np.concatenate([above, tied]))


def outlook_from_summary(summary, *, horizon_weeks=52, min_repeat_buyers=30, top_share=0.2, spend_decimals=None,
                         fit_sample=FIT_SAMPLE, random_state=0, record_warnings=True):
    """:func:`value_outlook` from a weekly repeat-purchase summary that is already computed (by any engine).

    Parameters
    ----------
    summary : DataFrame
        The weekly summary with refunds netted (``frequency``, ``recency``, ``T``, ``monetary_value``).
    horizon_weeks, min_repeat_buyers, top_share
        As in :func:`value_outlook`.
    spend_decimals : int, optional
        Round each customer's repeat spend (``monetary_value`` times ``frequency``) to this many
        decimals first: sums depend on the order of addition, so pandas, DuckDB and Spark then fit
        the models on the same numbers. None keeps the spend as it is.
    fit_sample, random_state
        As in :func:`value_outlook`.
    record_warnings : bool, default True
        Record the fit's warnings into ``attrs["warnings"]``. False raises them instead, for a
        caller that records them itself and adds them with :func:`keep_warnings` (a report fits
        the models in a thread of their own, :func:`segtools._beside.beside`, and
        ``warnings.catch_warnings`` is not safe in a thread).

    Returns
    -------
    DataFrame
        As :func:`value_outlook`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"frequency": [0], "recency": [0], "T": [3], "monetary_value": [0.0]})
    >>> outlook_from_summary(s).attrs["unsupported"]
    'only 0 customers bought again (at least 30 are needed to fit the purchase model)'
    """
    from segtools.customers._clv import status_codes
    from segtools.customers.predicted import (ACTIVE, LAPSED, ONE_PURCHASE, ConvergenceError, PurchaseModel,
                                              SpendModel, predicted_value)

    if spend_decimals is not None:
        freq = summary["frequency"].to_numpy()
        spend = np.round(summary["monetary_value"].to_numpy(dtype=float) * freq, spend_decimals)
        summary = summary.assign(monetary_value=np.where(freq > 0, spend / np.maximum(freq, 1), 0.0))
    repeat = int((summary["frequency"] > 0).sum())
    empty = pd.DataFrame({c: pd.Series(dtype="float64") for c in OUTLOOK_COLUMNS[:-1]},
                         index=summary.index[:0]).assign(value_outlook=pd.Series(dtype="str"))
    rows = fit_rows(len(summary), fit_sample=fit_sample, random_state=random_state)
    fit_on = summary if rows is None else summary.iloc[rows]
    attrs = {"unsupported": None, "warnings": [], "params": {}, "repeat_buyers": repeat,
             "horizon_weeks": int(horizon_weeks),
             "fit": {"customers": len(fit_on), "of": len(summary), "sampled": rows is not None,
                     "random_state": random_state if rows is not None else None}}
    if repeat < min_repeat_buyers:
        empty.attrs.update(attrs, unsupported=f"only {repeat:,} customers bought again (at least "
                                              f"{min_repeat_buyers:,} are needed to fit the purchase model)")
        return empty
    table, notes = None, []
    with (warnings.catch_warnings(record=True) if record_warnings else nullcontext([])) as caught:
        if record_warnings:
            warnings.simplefilter("always")
        for penalizer in PENALIZERS:
            try:
                # the spend model first: it is the one that fails most often (v -> infinity), and then the
                # purchase model would be refitted anyway
                models = {"spend_model": SpendModel(penalizer=penalizer).fit(fit_on),
                          "purchase_model": PurchaseModel(penalizer=penalizer).fit(fit_on)}
                table = predicted_value(summary, horizon=horizon_weeks, **models)  # every customer, vectorised
                break
            except (ConvergenceError, ValueError, ArithmeticError) as err:  # ValidationError is a ValueError
                notes.append(f"penalizer {penalizer:g}: {err}")
    if table is None:
        empty.attrs.update(attrs, unsupported="the models could not be fitted on these data (" + "; ".join(notes)
                           + ")")
        return empty
    if notes:
        notes = [f"the unpenalised fit failed, so the models were fitted with penalizer={penalizer:g} "
                 f"(a small pull of the parameters towards 1): {notes[0]}"]
    values = table["predicted_value"].to_numpy()
    if not np.isfinite(values).all():
        empty.attrs.update(attrs, unsupported="the fitted models give non-finite predictions on these data")
        return empty
    n_top = int(np.floor(top_share * len(table)))
    names = pd.array([ONE_PURCHASE, LAPSED, ACTIVE, MOST_VALUABLE], dtype="str")  # the status codes, then the top's
    # the status as predicted_value set it, from the same rule's codes (no hashing of millions of labels)
    code = status_codes(summary["frequency"].to_numpy(), table["p_alive"].to_numpy()).astype(np.int64)
    code[_top(values, n_top)] = 3
    out = table.drop(columns="status").assign(value_outlook=names.take(code))
    out.attrs.update(attrs, warnings=notes, params=table.attrs["params"])
    return keep_warnings(out, caught)


def keep_warnings(outlook, caught):
    """``outlook`` with the warnings ``caught`` while its models were fitted added to ``attrs["warnings"]``.

    Each distinct message once, sorted, after the notes already there; an outlook without numbers
    (``attrs["unsupported"]`` set) says why instead, and is returned as it is.

    Parameters
    ----------
    outlook : DataFrame
        The result of :func:`outlook_from_summary` with ``record_warnings=False``.
    caught : list of warnings.WarningMessage
        The warnings raised while it was computed.

    Returns
    -------
    DataFrame
        ``outlook`` itself, its ``attrs["warnings"]`` completed.

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> out = pd.DataFrame()
    >>> out.attrs.update(unsupported=None, warnings=["a note"])
    >>> caught = [warnings.WarningMessage(UserWarning("b"), UserWarning, "f.py", 1)] * 2
    >>> keep_warnings(out, caught).attrs["warnings"]
    ['a note', 'b']
    """
    if outlook.attrs.get("unsupported") is None:
        outlook.attrs["warnings"] = list(outlook.attrs.get("warnings", [])) + sorted({str(w.message) for w in caught})
    return outlook
