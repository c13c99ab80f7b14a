"""A generated order log for trying the engines on big data: one chunk of transactions at a time.

Notebook 10, its exercises' answer keys and ``bench/engines.py`` all write their logs with
:func:`order_log`, so the log they describe is the same one; ``bench/report_big.py`` writes it with
``lifetimes=True``, so that the report's predicted-value models have dropouts to fit.
"""

from __future__ import annotations


#: the seed of the customers' active spans (``lifetimes=True``): the same in every chunk of a log
LIFETIME_SEED = 20_260_101


def order_log(rows: int, *, n_customers: int, snapshot_date, rng, lifetimes: bool = False):
    """``rows`` generated transactions as a pyarrow table: ids, two years of dates, refunds and zero amounts.

    Customer ids are ``C0000001`` to ``C{n_customers:07d}``, drawn uniformly; dates are uniform over
    the 730 days before ``snapshot_date``; amounts are log-normal (median about 33) rounded to cents,
    with 3 % refunds (negative) and 1 % zero amounts. The ids are built in Arrow, with no Python
    object per row, so chunks of tens of millions of rows are cheap to write.

    With ``lifetimes=True`` customers also come and go, as real ones do: each buys only within its
    own active span (a start uniform over the two years and a length drawn from an exponential
    distribution with a mean of a year, cut at the snapshot), the same span in every chunk. Without
    it nobody ever stops buying, and the predicted-value models (BG/NBD) find no dropout to fit.

    Parameters
    ----------
    rows : int
        Transactions in this chunk.
    n_customers : int
        Customers the ids are drawn from.
    snapshot_date : str or Timestamp
        The analysis date; every transaction falls in the two years before it.
    rng : numpy.random.Generator
        The random generator; pass the same one to consecutive calls to write a log chunk by chunk.
    lifetimes : bool
        Customers buy only within an active span of their own (seeded by :data:`LIFETIME_SEED`).

    Returns
    -------
    pyarrow.Table
        Columns ``customer_id`` (string), ``date`` (timestamp[us]) and ``amount`` (float64).

    Examples
    --------
    >>> import numpy as np
    >>> from segtools.engines.synthetic import order_log
    >>> table = order_log(1000, n_customers=50, snapshot_date="2026-01-01", rng=np.random.default_rng(0))
    >>> table.num_rows, table.column_names
    (1000, ['customer_id', 'date', 'amount'])
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    snap_day = (pd.Timestamp(snapshot_date) - pd.Timestamp("1970-01-01")).days
    codes = rng.integers(1, n_customers + 1, rows)
    ids = pc.binary_join_element_wise("C", pc.utf8_lpad(pa.array(codes).cast(pa.string()), width=7, padding="0"), "")
    if lifetimes:
        spans = np.random.default_rng(LIFETIME_SEED)
        start = spans.integers(0, 730, n_customers + 1)  # days after the window opens (index: customer number)
        length = np.minimum(np.floor(spans.exponential(365.0, n_customers + 1)), 729 - start)
        days = snap_day - 729 + start[codes] + np.floor(rng.random(rows) * (length[codes] + 1)).astype(np.int64)
    else:
        days = snap_day - rng.integers(0, 730, rows)
    amount = np.round(rng.lognormal(3.5, 0.8, rows), 2)
    kind = rng.random(rows)
    amount[kind < 0.03] *= -1
    amount[(kind >= 0.03) & (kind < 0.04)] = 0.0
    dates = pa.array(days.astype("datetime64[D]").astype("datetime64[us]"))
    return pa.table({"customer_id": ids, "date": dates, "amount": amount})
