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
says why in ``attrs["unsupported"]``. Warnings of the fit (e.g. spend correlated with frequency) are
kept in ``attrs["warnings"]`` instead of being printed.

The models assume *non-contractual* purchases: customers leave silently and do not
come back. For subscriptions, where a cancellation is observed, use a churn model.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from segtools.customers.rfm import repeat_purchase_summary

MOST_VALUABLE, LIKELY_LAPSED = "most valuable next year", "likely lapsed"
PENALIZERS = (0.0, 0.001)
OUTLOOK_COLUMNS = ["p_alive", "expected_purchases", "expected_spend", "predicted_value", "value_outlook"]


def value_outlook(transactions, snapshot_date, *, horizon_weeks=52, min_repeat_buyers=30, top_share=0.2,
                  customer_id_col="customer_id", date_col="date", amount_col="amount") -> pd.DataFrame:
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
    customer_id_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer id, columns :data:`OUTLOOK_COLUMNS` (empty when
        unsupported); ``attrs``: ``unsupported`` (None or the reason), ``warnings``
        (list of str), ``params`` and ``repeat_buyers``.

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
                                top_share=top_share)


def outlook_from_summary(summary, *, horizon_weeks=52, min_repeat_buyers=30, top_share=0.2, spend_decimals=None):
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
    from segtools.customers.predicted import ConvergenceError, predicted_value

    if spend_decimals is not None:
        freq = summary["frequency"].to_numpy()
        spend = np.round(summary["monetary_value"].to_numpy(dtype=float) * freq, spend_decimals)
        summary = summary.assign(monetary_value=np.where(freq > 0, spend / np.maximum(freq, 1), 0.0))
    repeat = int((summary["frequency"] > 0).sum())
    empty = pd.DataFrame({c: pd.Series(dtype="float64") for c in OUTLOOK_COLUMNS[:-1]},
                         index=summary.index[:0]).assign(value_outlook=pd.Series(dtype="str"))
    attrs = {"unsupported": None, "warnings": [], "params": {}, "repeat_buyers": repeat,
             "horizon_weeks": int(horizon_weeks)}
    if repeat < min_repeat_buyers:
        empty.attrs.update(attrs, unsupported=f"only {repeat:,} customers bought again (at least "
                                              f"{min_repeat_buyers:,} are needed to fit the purchase model)")
        return empty
    table, notes = None, []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for penalizer in PENALIZERS:
            try:
                table = predicted_value(summary, horizon=horizon_weeks, penalizer=penalizer)
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
    order = np.argsort(-values, kind="stable")
    group = table["status"].to_numpy(dtype=object).copy()
    group[table["status"].to_numpy() == "likely lapsed"] = LIKELY_LAPSED
    group[order[:n_top]] = MOST_VALUABLE
    out = table.drop(columns="status").assign(value_outlook=pd.array(group, dtype="str"))
    out.attrs.update(attrs, warnings=notes + sorted({str(w.message) for w in caught}), params=table.attrs["params"])
    return out
