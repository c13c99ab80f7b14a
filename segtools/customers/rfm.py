"""RFM summaries of a transaction table, with every definition written out.

Two different summaries share the letters R, F and M; this module keeps them apart.

**Classic segmentation RFM** (:func:`rfm`), one row per customer:

- ``recency``: whole days from the customer's last purchase to the snapshot date
  (a purchase on the snapshot date itself has recency 0);
- ``frequency``: the number of purchases, counted as orders (transaction rows,
  ``frequency="orders"``) or as distinct purchase days (``frequency="days"``);
- ``monetary``: the customer's total spend (``monetary="total"``) or the spend per
  purchase (``monetary="mean"``: total divided by ``frequency``).

**Repeat-purchase summary** (:func:`repeat_purchase_summary`), the input that
customer-lifetime-value models (BG/NBD, Gamma-Gamma) expect. Purchases are first
collapsed into periods (a day, ``period="D"``, or a Monday-to-Sunday week, ``"W"``):

- ``frequency``: the number of distinct purchase periods after the first one;
- ``recency``: periods from the first to the last purchase period (not the classic
  recency: a customer who bought twice long ago has a large value here);
- ``T``: periods from the first purchase period to the period of the snapshot date;
- ``monetary_value``: mean spend per repeat period (the first period left out),
  0 for a customer with no repeat period.

**The rules for awkward rows**:

- zero-amount rows (a free sample, a 100 % voucher) are purchases with no spend
  (``zero_amount="purchase"``, the default, as lifetimes counts them) or are excluded
  and counted (``zero_amount="exclude"``);
- refunds (negative amounts), three treatments chosen with ``returns=``:

  * ``"event"`` (the default of :func:`repeat_purchase_summary`): every row is an
    event of the log, as ``lifetimes.utils.summary_data_from_transaction_data``
    counts it: a refund on a day without a purchase is a period of its own (negative
    spend) and a refund before the first purchase starts the history. With the
    defaults the summary equals lifetimes' on every customer;
  * ``"net"`` (the default of :func:`rfm`): a refund is never a purchase; it is
    subtracted from the spend of the purchase it most plausibly undoes: the
    customer's latest purchase period on or before the refund's date (classic RFM
    simply nets it from the total). A refund dated before the customer's first
    purchase has nothing to undo: it is excluded and counted;
  * ``"ignore"``: refunds are excluded and counted;

- rows dated after the snapshot date raise a
  :class:`~segtools.errors.ValidationError` (``after_snapshot="raise"``, the default)
  or are excluded and counted (``after_snapshot="exclude"``);
- customers with no purchase left after these rules do not appear, and are counted.

The counts are stored in ``result.attrs["excluded"]``; ``result.attrs["affected"]`` counts
the rows and customers each rule touched (zero amounts, refunds, customers with only
zero-amount purchases) and ``result.attrs["rules"]`` names the treatments used.
:func:`rfm_exclusions` returns the excluded rows themselves, each with its reason. Dates are compared by calendar day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segtools._validation import (require_choice, require_columns, require_datetime,
                                       require_no_missing, require_numeric)
from segtools.customers._fast import factorize_ids
from segtools.errors import ValidationError

TABLE = "transactions"
RETURNS = ("event", "net", "ignore")
_UNITS_PER_DAY = {"ns": 86_400_000_000_000, "us": 86_400_000_000, "ms": 86_400_000, "s": 86_400}
_BIG = np.iinfo(np.int64).max
_SMALL = np.iinfo(np.int64).min


def _days(values: np.ndarray) -> np.ndarray:
    unit = np.datetime_data(values.dtype)[0]
    if unit in _UNITS_PER_DAY:
        return values.view(np.int64) // _UNITS_PER_DAY[unit]
    return values.astype("datetime64[D]").astype(np.int64)


def _snapshot_day(snapshot_date) -> int:
    if snapshot_date is None:
        raise ValueError("snapshot_date is required: pass the analysis date explicitly, e.g. case.snapshot_date")
    snap = pd.Timestamp(snapshot_date)
    if snap is pd.NaT or snap.tzinfo is not None:
        raise ValueError(f"snapshot_date must be a timezone-naive date, got {snapshot_date!r}")
    return int(np.datetime64(snap.normalize(), "D").astype(np.int64))


class _Prepared:
    """Arrays of one transaction table after validation and the exclusion rules."""

    def __init__(self, transactions, snapshot_date, customer_id_col, date_col, amount_col,
                 returns, after_snapshot, zero_amount="purchase", return_choices=RETURNS):
        require_choice("returns", returns, return_choices)
        require_choice("zero_amount", zero_amount, ("purchase", "exclude"))
        require_choice("after_snapshot", after_snapshot, ("raise", "exclude"))
        cols = [customer_id_col, date_col, amount_col]
        require_columns(transactions, cols, TABLE)
        require_datetime(transactions, date_col, TABLE)
        require_numeric(transactions, amount_col, TABLE)
        require_no_missing(transactions, cols, TABLE)
        self.snap_day = _snapshot_day(snapshot_date)
        self.day = _days(transactions[date_col].to_numpy())
        self.amount = transactions[amount_col].to_numpy(dtype=np.float64)
        if not np.isfinite(self.amount).all():
            bad = int((~np.isfinite(self.amount)).sum())
            raise ValidationError(f"table {TABLE!r}, column {amount_col!r}: {bad:,} of {len(self.amount):,} rows "
                                  "are infinite", table=TABLE)
        self.after = self.day > self.snap_day
        n_after = int(self.after.sum())
        if n_after and after_snapshot == "raise":
            raise ValidationError(
                f"table {TABLE!r}, column {date_col!r}: {n_after:,} of {len(self.day):,} rows are dated after the "
                f"snapshot date {pd.Timestamp(snapshot_date).date()}; pass after_snapshot='exclude' to leave them "
                "out (they are then counted), or choose a later snapshot date", table=TABLE)
        self.codes, self.uniques = factorize_ids(transactions[customer_id_col])
        self.n = len(self.uniques)
        kept = ~self.after
        negative = (self.amount < 0) & kept
        zero = (self.amount == 0) & kept
        paid = (self.amount > 0) & kept
        self.purchase = paid | zero if zero_amount == "purchase" else paid
        self.zero = zero if zero_amount == "exclude" else np.zeros_like(zero)
        if returns == "event":
            self.purchase = self.purchase | negative
            self.refund = np.zeros_like(negative)
        else:
            self.refund = negative
        self.returns = returns
        self.affected = _affected(self.codes, self.n, zero, negative, paid)
        self.rules = {"zero_amount": zero_amount, "returns": returns}
        pc = self.codes[self.purchase]
        self.p_codes, self.p_day, self.p_amount = pc, self.day[self.purchase], self.amount[self.purchase]
        self.orders = np.bincount(pc, minlength=self.n)
        self.has = self.orders > 0
        self.counts = {"after_snapshot": n_after, "zero_amount": int(self.zero.sum())}

    def first_last(self, periods):
        first = np.full(self.n, _BIG)
        last = np.full(self.n, _SMALL)
        np.minimum.at(first, self.p_codes, periods)
        np.maximum.at(last, self.p_codes, periods)
        return first, last

    def refunds(self, first, periods_of):
        """Codes, periods and amounts of the refunds to net, after counting the rest."""
        r_codes = self.codes[self.refund]
        if self.returns != "net":
            self.counts["refunds_ignored"] = len(r_codes) if self.returns == "ignore" else 0
            self.counts["refunds_before_first_purchase"] = 0
            empty = np.array([], dtype=np.int64)
            return empty, empty, np.array([], dtype=np.float64)
        r_per = periods_of(self.day[self.refund])
        ok = self.has[r_codes] & (r_per >= first[r_codes])
        self.counts["refunds_ignored"] = 0
        self.counts["refunds_before_first_purchase"] = int((~ok).sum())
        return r_codes[ok], r_per[ok], self.amount[self.refund][ok]

    def frame(self, columns: dict, customer_id_col: str) -> pd.DataFrame:
        has = self.has
        self.counts["customers_without_purchase"] = int(self.n - has.sum())
        out = pd.DataFrame({k: v[has] for k, v in columns.items()},
                           index=pd.Index(self.uniques[has], name=customer_id_col))
        out.attrs["excluded"] = dict(self.counts)
        out.attrs["affected"] = dict(self.affected)
        out.attrs["rules"] = dict(self.rules)
        return out


def _affected(codes, n, zero, negative, paid) -> dict:
    """Rows and customers touched by the zero-amount and refund rules."""
    def customers(mask):
        return np.bincount(codes[mask], minlength=n) > 0

    has_zero, has_paid = customers(zero), customers(paid)
    return {"zero_amount_rows": int(zero.sum()), "zero_amount_customers": int(has_zero.sum()),
            "only_zero_amount_customers": int((has_zero & ~has_paid).sum()),
            "refund_rows": int(negative.sum()), "refund_customers": int(customers(negative).sum())}


def _distinct_count(codes: np.ndarray, periods: np.ndarray, n: int) -> np.ndarray:
    """Number of distinct periods per code (one sort of a packed integer key)."""
    if len(codes) == 0:
        return np.zeros(n, dtype=np.int64)
    low = periods.min()
    span = int(periods.max() - low + 1)
    dtype = np.int32 if n * span < np.iinfo(np.int32).max else np.int64
    key = codes.astype(dtype) * dtype(span) + (periods - low).astype(dtype)
    key.sort()
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    return np.bincount(key[new] // dtype(span), minlength=n)


def rfm(transactions, snapshot_date, *, frequency="orders", monetary="total", returns="net", zero_amount="purchase",
        after_snapshot="raise", customer_id_col="customer_id", date_col="date", amount_col="amount"):
    """Classic segmentation RFM: recency, frequency and monetary value per customer.

    Here ``recency`` is the *segmentation* recency: whole days since the customer's last
    purchase, up to ``snapshot_date`` (small is good). It is not the ``recency`` of
    :func:`repeat_purchase_summary`, which counts periods from the *first to the last*
    purchase (large for a loyal customer) as lifetime-value models expect.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction, with a customer id, a date and an amount
        (negative amounts are refunds).
    snapshot_date : date-like
        The analysis date; recency counts whole days up to it. Never "today".
    frequency : {"orders", "days"}
        Count purchase rows, or distinct days with a purchase (same-day orders collapse).
    monetary : {"total", "mean"}
        Total net spend, or that total divided by ``frequency``.
    returns : {"net", "ignore"}
        Net refunds from the spend (refunds before a first purchase are excluded and
        counted) or exclude them all (counted). A refund is never a purchase here.
    zero_amount : {"purchase", "exclude"}
        Count zero-amount rows as purchases with no spend (free items), or exclude them
        (counted).
    after_snapshot : {"raise", "exclude"}
        What to do with rows dated after the snapshot date.
    customer_id_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted), columns ``recency`` (days), ``frequency``
        and ``monetary``; ``attrs["excluded"]`` counts what was left out and why,
        ``attrs["affected"]`` the rows and customers with zero amounts and refunds.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["A", "A", "A", "B", "C"],
    ...     "date": pd.to_datetime(["2025-12-01", "2025-12-01", "2025-12-20", "2025-06-01", "2026-01-01"]),
    ...     "amount": [10.0, 20.0, -5.0, 50.0, 8.0]})
    >>> rfm(tx, "2026-01-01")  # doctest: +NORMALIZE_WHITESPACE
                 recency  frequency  monetary
    customer_id
    A                 31          2      25.0
    B                214          1      50.0
    C                  0          1       8.0
    >>> rfm(tx, "2026-01-01", frequency="days")["frequency"].tolist()
    [1, 1, 1]
    """
    require_choice("frequency", frequency, ("orders", "days"))
    require_choice("monetary", monetary, ("total", "mean"))
    prep = _Prepared(transactions, snapshot_date, customer_id_col, date_col, amount_col, returns, after_snapshot,
                     zero_amount, return_choices=("net", "ignore"))
    first, last = prep.first_last(prep.p_day)
    spend = np.bincount(prep.p_codes, weights=prep.p_amount, minlength=prep.n)
    r_codes, _, r_amount = prep.refunds(first, lambda d: d)
    spend += np.bincount(r_codes, weights=r_amount, minlength=prep.n)
    freq = prep.orders if frequency == "orders" else _distinct_count(prep.p_codes, prep.p_day, prep.n)
    value = spend if monetary == "total" else spend / np.maximum(freq, 1)
    return prep.frame({"recency": prep.snap_day - last, "frequency": freq, "monetary": value}, customer_id_col)


def _period_of(period: str):
    require_choice("period", period, ("D", "W"))
    if period == "D":
        return lambda days: days
    return lambda days: (days + 3) // 7  # day 0 (1970-01-01) is a Thursday: weeks start on Monday


def repeat_purchase_summary(transactions, snapshot_date, *, period="D", returns="event", zero_amount="purchase",
                            after_snapshot="raise", customer_id_col="customer_id", date_col="date",
                            amount_col="amount"):
    """Repeat-purchase summary (frequency, recency, T, monetary_value) for lifetime-value models.

    With the defaults it equals ``lifetimes.utils.summary_data_from_transaction_data``
    (``monetary_value_col`` given, ``freq`` ``"D"`` or ``"W"``) on every customer: every
    row up to the snapshot date is a purchase event, zero amounts and refunds included.
    ``recency`` here is the span from the first to the last purchase period, not the
    days since the last purchase of :func:`rfm`.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction (negative amounts are refunds).
    snapshot_date : date-like
        The end of observation; ``T`` runs up to its period.
    period : {"D", "W"}
        Collapse purchases into days or Monday-to-Sunday weeks; all outputs count periods.
    returns : {"event", "net", "ignore"}
        ``"event"``: every row is an event, as in lifetimes (a refund on a day without a
        purchase is a period of its own, one before the first purchase starts the
        history); ``"net"``: refunds are netted into the purchase period they undo (see
        the module notes); ``"ignore"``: refunds are excluded and counted.
    zero_amount : {"purchase", "exclude"}
        Zero-amount rows are purchase events (as in lifetimes), or excluded and counted.
    after_snapshot, customer_id_col, date_col, amount_col
        As in :func:`rfm`.

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted), columns ``frequency`` (repeat periods),
        ``recency`` (first to last purchase period), ``T`` (first purchase period to the
        snapshot's period) and ``monetary_value`` (mean spend per repeat period, 0
        without one); ``attrs["excluded"]`` counts what was left out.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["A", "A", "A", "A", "B"],
    ...     "date": pd.to_datetime(["2025-12-01", "2025-12-01", "2025-12-11", "2025-12-21", "2025-12-30"]),
    ...     "amount": [10.0, 20.0, 30.0, 50.0, 8.0]})
    >>> repeat_purchase_summary(tx, "2026-01-01")  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency   T  monetary_value
    customer_id
    A                    2       20  31            40.0
    B                    0        0   2             0.0
    """
    period_of = _period_of(period)
    prep = _Prepared(transactions, snapshot_date, customer_id_col, date_col, amount_col, returns, after_snapshot,
                     zero_amount)
    periods = period_of(prep.p_day)
    first, last = prep.first_last(periods)
    n_periods = _distinct_count(prep.p_codes, periods, prep.n)
    in_first = periods == first[prep.p_codes]
    spend = np.bincount(prep.p_codes[~in_first], weights=prep.p_amount[~in_first], minlength=prep.n)
    r_codes, r_per, r_amount = prep.refunds(first, period_of)
    if len(r_codes):
        second = np.full(prep.n, _BIG)
        np.minimum.at(second, prep.p_codes[~in_first], periods[~in_first])
        later = r_per >= second[r_codes]  # booked against a repeat period, not the first
        spend += np.bincount(r_codes[later], weights=r_amount[later], minlength=prep.n)
    freq = np.maximum(n_periods - 1, 0)
    value = np.where(freq > 0, spend / np.maximum(freq, 1), 0.0)
    snap_period = int(period_of(np.array([prep.snap_day]))[0])
    return prep.frame({"frequency": freq, "recency": last - first, "T": snap_period - first,
                       "monetary_value": value}, customer_id_col)


def rfm_exclusions(transactions, snapshot_date, *, returns="net", zero_amount="purchase",
                   customer_id_col="customer_id", date_col="date", amount_col="amount"):
    """The transaction rows that :func:`rfm` and :func:`repeat_purchase_summary` leave out, with the reason.

    Reasons: ``after snapshot``, ``zero amount`` (with ``zero_amount="exclude"``),
    ``refund before first purchase`` (with ``returns="net"``) and ``refund ignored``
    (with ``returns="ignore"``); with ``returns="event"`` no refund is left out.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction (negative amounts are refunds).
    snapshot_date : date-like
        The analysis date; rows after it are listed as ``after snapshot``.
    returns : {"event", "net", "ignore"}
        As in :func:`repeat_purchase_summary`.
    zero_amount : {"purchase", "exclude"}
        As in :func:`rfm`.
    customer_id_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        The excluded rows of ``transactions`` (same index and columns) plus ``reason``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...                    "date": pd.to_datetime(["2025-12-01", "2026-02-01", "2025-12-01"]),
    ...                    "amount": [10.0, 5.0, -3.0]})
    >>> rfm_exclusions(tx, "2026-01-01")["reason"].tolist()
    ['after snapshot', 'refund before first purchase']
    """
    prep = _Prepared(transactions, snapshot_date, customer_id_col, date_col, amount_col, returns, "exclude",
                     zero_amount)
    first, _ = prep.first_last(prep.p_day)
    reason = np.full(len(prep.day), "", dtype=object)
    reason[prep.after] = "after snapshot"
    reason[prep.zero] = "zero amount"
    idx = np.flatnonzero(prep.refund)
    if returns == "ignore":
        reason[idx] = "refund ignored"
    elif returns == "net":
        codes = prep.codes[idx]
        bad = ~(prep.has[codes] & (prep.day[idx] >= first[codes]))
        reason[idx[bad]] = "refund before first purchase"
    keep = reason != ""
    return transactions.loc[keep].assign(reason=pd.array(reason[keep], dtype="str"))
