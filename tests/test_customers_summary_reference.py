"""repeat_purchase_summary against the reference implementation, lifetimes' summary_data_from_transaction_data.

lifetimes (a test-only dependency) counts every transaction row as a purchase event,
whatever its amount, and sums the amounts of one period. So does segtools by default
(``returns="event"``, ``zero_amount="purchase"``): the two agree on every customer,
zero-amount purchases, same-day purchases and refunds (on a purchase day, on a day of
their own, before the first purchase) included. The other treatments (``returns="net"``,
``zero_amount="exclude"``) are options, and their differences are pinned down below.
"""

import numpy as np
import pandas as pd
import pytest

lifetimes_utils = pytest.importorskip("lifetimes.utils", reason="lifetimes (dev dependency) is the reference")

from segtools.customers import repeat_purchase_summary

SNAPSHOT = pd.Timestamp("2025-12-31")  # a Wednesday: the weekly summaries cut a week in the middle
PERIODS = ["D", "W"]

def _reference(tx, period):
    ref = lifetimes_utils.summary_data_from_transaction_data(
        tx, "customer_id", "date", monetary_value_col="amount", observation_period_end=SNAPSHOT, freq=period)
    return ref.sort_index()


def _ours(tx, period):
    out = repeat_purchase_summary(tx, SNAPSHOT, period=period)
    return out.astype(float)


def _assert_same(tx, period):
    ours, ref = _ours(tx, period), _reference(tx, period)
    assert list(ours.index) == list(ref.index), "different customers"
    pd.testing.assert_frame_equal(ours, ref, check_index_type=False, check_names=False, rtol=1e-9, atol=1e-9)


def _log(seed, n_customers=300, start="2021-01-01"):
    """A purchase log with positive amounts, several orders on some days and early one-time buyers."""
    rng = np.random.default_rng(seed)
    first_day = pd.Timestamp(start)
    span = (SNAPSHOT - first_day).days
    rows = []
    for i in range(n_customers):
        cid = f"C{i:04d}"
        first = int(rng.integers(0, span + 1))
        if i % 5 == 0:  # one-time buyers, most of them early in the history
            days = [int(rng.integers(0, max(span // 10, 1)))]
        else:
            n = int(rng.integers(1, 12))
            days = [first] + sorted(int(d) for d in rng.integers(first, span + 1, size=n))
        if i % 7 == 0:  # several orders on the same day
            days = days + days[-1:] * 2
        for d in days:
            rows.append((cid, first_day + pd.Timedelta(days=d), round(float(rng.gamma(2.0, 25.0)) + 0.01, 2)))
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equal_on_positive_purchase_logs(seed, period):
    _assert_same(_log(seed), period)


@pytest.mark.parametrize("period", PERIODS)
def test_equal_for_one_time_buyers_early_in_a_long_history(period):
    tx = pd.DataFrame({"customer_id": ["A", "B", "B", "C"],
                       "date": pd.to_datetime(["2015-03-04", "2015-03-04", "2025-12-31", "2025-12-29"]),
                       "amount": [10.0, 5.0, 7.0, 3.0]})
    _assert_same(tx, period)
    assert _ours(tx, period).loc["A", "frequency"] == 0


@pytest.mark.parametrize("period", PERIODS)
def test_equal_with_same_day_purchases(period):
    tx = pd.DataFrame({"customer_id": ["A"] * 5,
                       "date": pd.to_datetime(["2025-01-06", "2025-01-06", "2025-03-03", "2025-03-03",
                                               "2025-03-03"]),
                       "amount": [10.0, 20.0, 1.0, 2.0, 3.0]})
    _assert_same(tx, period)
    assert _ours(tx, period).loc["A", "monetary_value"] == 6.0  # one repeat period with 1 + 2 + 3


@pytest.mark.parametrize("period", PERIODS)
def test_equal_when_refunds_fall_on_a_purchase_day(period):
    tx = _log(3)
    refunds = tx.groupby("customer_id").tail(1).sample(frac=0.3, random_state=3)
    tx = pd.concat([tx, refunds.assign(amount=-refunds["amount"] / 2)], ignore_index=True)
    _assert_same(tx, period)


@pytest.mark.parametrize("period", PERIODS)
def test_zero_amount_purchases_count_as_purchases(period):
    # A buys for 0 in the middle (a free sample, a 100 % voucher); Z only ever buys for 0
    tx = pd.DataFrame({"customer_id": ["A", "A", "A", "Z"],
                       "date": pd.to_datetime(["2025-01-06", "2025-03-03", "2025-06-02", "2025-02-03"]),
                       "amount": [10.0, 0.0, 30.0, 0.0]})
    _assert_same(tx, period)


@pytest.mark.parametrize("period", PERIODS)
def test_zero_amount_purchases_in_generated_logs(period):
    tx = _log(4)
    zero = tx.sample(frac=0.1, random_state=4).index
    tx.loc[zero, "amount"] = 0.0
    _assert_same(tx, period)


@pytest.mark.parametrize("period", PERIODS)
def test_refund_in_a_period_without_purchase(period):
    tx = pd.DataFrame({"customer_id": ["A", "A", "A"],
                       "date": pd.to_datetime(["2025-01-06", "2025-03-03", "2025-06-02"]),
                       "amount": [10.0, 30.0, -5.0]})
    _assert_same(tx, period)


@pytest.mark.parametrize("period", PERIODS)
def test_refund_before_the_first_purchase(period):
    tx = pd.DataFrame({"customer_id": ["A", "A", "A", "R"],
                       "date": pd.to_datetime(["2024-12-02", "2025-01-06", "2025-03-03", "2025-02-03"]),
                       "amount": [-4.0, 10.0, 30.0, -8.0]})
    _assert_same(tx, period)


def test_lifetimes_keeps_rows_after_the_snapshot_inside_its_week():
    # Not a difference to fix in segtools: lifetimes truncates by period, so with freq="W" a purchase on
    # Friday 2026-01-02 still counts for a Wednesday 2025-12-31 snapshot (a leak from the future).
    tx = pd.DataFrame({"customer_id": ["A", "A"], "date": pd.to_datetime(["2025-12-01", "2026-01-02"]),
                       "amount": [10.0, 20.0]})
    ref = _reference(tx, "W")
    ours = repeat_purchase_summary(tx, SNAPSHOT, period="W", after_snapshot="exclude")
    assert ref.loc["A", "frequency"] == 1.0
    assert ours.loc["A", "frequency"] == 0 and ours.attrs["excluded"]["after_snapshot"] == 1


def test_the_options_change_what_the_docs_say():
    tx = pd.DataFrame({"customer_id": ["A", "A", "A", "R", "Z", "A"],
                       "date": pd.to_datetime(["2025-01-06", "2025-03-03", "2025-06-02", "2025-02-03",
                                               "2025-02-03", "2025-04-07"]),
                       "amount": [10.0, 30.0, -5.0, -8.0, 0.0, 0.0]})
    default = repeat_purchase_summary(tx, SNAPSHOT)
    net = repeat_purchase_summary(tx, SNAPSHOT, returns="net", zero_amount="exclude")
    assert default.index.tolist() == ["A", "R", "Z"] and net.index.tolist() == ["A"]
    assert default.loc["A", "frequency"] == 3 and net.loc["A", "frequency"] == 1
    assert net.loc["A", "monetary_value"] == 25.0  # the refund undoes part of the 30.0 purchase
    assert net.attrs["excluded"]["zero_amount"] == 2
    assert net.attrs["excluded"]["refunds_before_first_purchase"] == 1
    assert default.attrs["excluded"]["zero_amount"] == 0
    assert default.attrs["affected"] == {"zero_amount_rows": 2, "zero_amount_customers": 2,
                                         "only_zero_amount_customers": 1, "refund_rows": 2, "refund_customers": 2}
    assert default.attrs["rules"] == {"zero_amount": "purchase", "returns": "event"}


@pytest.mark.parametrize("period", PERIODS)
def test_equal_on_a_log_with_every_trap_at_once(period):
    tx = _log(5)
    rng = np.random.default_rng(5)
    tx.loc[tx.sample(frac=0.05, random_state=5).index, "amount"] = 0.0
    refunds = tx.sample(frac=0.08, random_state=6)
    shift = pd.to_timedelta(rng.integers(-60, 60, size=len(refunds)), unit="D")
    refunds = refunds.assign(amount=-refunds["amount"] / 3, date=(refunds["date"] + shift).clip(upper=SNAPSHOT))
    _assert_same(pd.concat([tx, refunds], ignore_index=True), period)
