"""The generated order log of notebook 10 and the benchmarks: customers who come and go when asked."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from segtools.engines.synthetic import LIFETIME_SEED, order_log

SNAPSHOT = pd.Timestamp("2026-01-01")


def _log(rows, *, lifetimes, seed=0, chunks=1):
    rng = np.random.default_rng(seed)
    parts = [order_log(rows, n_customers=300, snapshot_date=SNAPSHOT, rng=rng, lifetimes=lifetimes)
             for _ in range(chunks)]  # chunk by chunk, as the benchmarks write it
    return pa.concat_tables(parts).to_pandas()


def test_without_lifetimes_every_customer_buys_over_the_two_years():
    tx = _log(30_000, lifetimes=False)
    assert tx["date"].min() >= SNAPSHOT - pd.Timedelta(days=729) and tx["date"].max() <= SNAPSHOT
    span = tx.groupby("customer_id")["date"].agg(lambda d: (d.max() - d.min()).days)
    assert span.median() > 650  # nobody stops buying
    assert (tx["amount"] < 0).mean() == pytest.approx(0.03, abs=0.004)
    assert (tx["amount"] == 0).mean() == pytest.approx(0.01, abs=0.004)


def test_with_lifetimes_each_customer_buys_within_its_own_span_in_every_chunk():
    tx = pd.concat([_log(10_000, lifetimes=True, chunks=3), _log(10_000, lifetimes=True, chunks=2, seed=5)])
    days = tx.groupby("customer_id")["date"]
    assert days.agg(lambda d: (d.max() - d.min()).days).median() < 400  # a year on average, cut at the snapshot
    assert (days.max() < SNAPSHOT - pd.Timedelta(days=180)).mean() > 0.25  # many stopped half a year before
    spans = np.random.default_rng(LIFETIME_SEED)  # the spans the generator draws, the same for every chunk
    start = spans.integers(0, 730, 301)
    length = np.minimum(np.floor(spans.exponential(365.0, 301)), 729 - start)
    code = days.min().index.str[1:].astype(int)
    lo = SNAPSHOT - pd.Timedelta(days=729) + pd.to_timedelta(start[code], unit="D")
    hi = lo + pd.to_timedelta(length[code], unit="D")
    assert (days.min().to_numpy() >= lo.to_numpy()).all() and (days.max().to_numpy() <= hi.to_numpy()).all()
