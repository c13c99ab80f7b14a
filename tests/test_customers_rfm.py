"""RFM definitions checked against hand-computed values (snapshot 2026-01-01)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segtools.customers import repeat_purchase_summary, rfm, rfm_exclusions
from segtools.customers._fast import factorize_ids
from segtools.errors import ValidationError

SNAP = pd.Timestamp("2026-01-01")


@pytest.fixture
def tx():
    rows = [
        ("A", "2025-12-01", 10.0), ("A", "2025-12-01", 20.0),  # two orders on one day
        ("A", "2025-12-21", 30.0), ("A", "2025-12-25", -5.0),  # a refund of the 12-21 purchase
        ("B", "2025-06-01", 50.0),                              # a one-time buyer
        ("C", "2026-01-01", 8.0),                               # only purchase on the snapshot date
        ("D", "2025-11-01", -15.0),                             # refund before the first purchase
        ("D", "2025-11-10", 40.0), ("D", "2025-11-15", -10.0), ("D", "2025-12-10", 100.0),
        ("E", "2025-10-01", -20.0),                             # refunds only: no purchase
        ("F", "2025-12-01", 0.0), ("F", "2025-12-02", 5.0),     # a zero-amount row
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def test_classic_rfm_by_hand(tx):
    out = rfm(tx, SNAP)
    assert out.index.tolist() == ["A", "B", "C", "D", "F"]
    assert out["recency"].tolist() == [11, 214, 0, 22, 30]
    assert out["frequency"].tolist() == [3, 1, 1, 2, 2]  # F's zero-amount row is a purchase (a free item)
    assert out["monetary"].tolist() == [55.0, 50.0, 8.0, 130.0, 5.0]
    assert out.attrs["excluded"] == {"after_snapshot": 0, "zero_amount": 0, "refunds_ignored": 0,
                                     "refunds_before_first_purchase": 2, "customers_without_purchase": 1}
    assert out.attrs["affected"] == {"zero_amount_rows": 1, "zero_amount_customers": 1,
                                     "only_zero_amount_customers": 0, "refund_rows": 4, "refund_customers": 3}
    excluded = rfm(tx, SNAP, zero_amount="exclude")
    assert excluded["frequency"].tolist() == [3, 1, 1, 2, 1]
    assert excluded.attrs["excluded"]["zero_amount"] == 1


def test_rfm_refuses_the_event_treatment(tx):
    with pytest.raises(ValueError, match="returns"):
        rfm(tx, SNAP, returns="event")


def test_only_free_items_keep_their_customer(tx):
    free = pd.DataFrame({"customer_id": ["G", "G"], "date": pd.to_datetime(["2025-12-01", "2025-12-20"]),
                         "amount": [0.0, 0.0]})
    out = rfm(pd.concat([tx, free], ignore_index=True), SNAP)
    assert out.loc["G"].tolist() == [12, 2, 0.0]
    assert out.attrs["affected"]["only_zero_amount_customers"] == 1


def test_classic_rfm_distinct_days_and_mean(tx):
    out = rfm(tx, SNAP, frequency="days", monetary="mean")
    assert out.loc["A", "frequency"] == 2  # the two orders of 12-01 collapse
    assert out.loc["A", "monetary"] == pytest.approx(55.0 / 2)
    assert rfm(tx, SNAP, monetary="mean").loc["A", "monetary"] == pytest.approx(55.0 / 3)


def test_returns_ignore(tx):
    out = rfm(tx, SNAP, returns="ignore")
    assert out.loc["A", "monetary"] == 60.0 and out.loc["D", "monetary"] == 140.0
    assert out.attrs["excluded"]["refunds_ignored"] == 4
    assert out.attrs["excluded"]["refunds_before_first_purchase"] == 0


def test_repeat_purchase_summary_daily_by_hand(tx):
    out = repeat_purchase_summary(tx, SNAP, returns="net", zero_amount="exclude")
    assert out["frequency"].tolist() == [1, 0, 0, 1, 0]
    assert out["recency"].tolist() == [20, 0, 0, 30, 0]
    assert out["T"].tolist() == [31, 214, 0, 52, 30]
    # A: repeat day 12-21 (30) net of the 12-25 refund; D: the 11-15 refund undoes the first period
    assert out["monetary_value"].tolist() == [25.0, 0.0, 0.0, 100.0, 0.0]


def test_repeat_purchase_summary_default_counts_every_row(tx):
    out = repeat_purchase_summary(tx, SNAP)  # as lifetimes: every row an event, E (refunds only) included
    assert out.index.tolist() == ["A", "B", "C", "D", "E", "F"]
    assert out["frequency"].tolist() == [2, 0, 0, 3, 0, 1]
    assert out["T"].tolist() == [31, 214, 0, 61, 92, 31]
    assert out.loc["A", "monetary_value"] == (30.0 - 5.0) / 2 and out.loc["F", "monetary_value"] == 5.0


def test_repeat_purchase_summary_weekly_by_hand(tx):
    out = repeat_purchase_summary(tx, SNAP, period="W", returns="net")
    # 2025-12-01 is a Monday; 12-21 is the Sunday of the third week; 2026-01-01 is in the fifth week
    assert out.loc["A"].tolist() == [1, 2, 4, 25.0]
    assert out.loc["C"].tolist() == [0, 0, 0, 0.0]


def test_same_week_purchases_collapse():
    df = pd.DataFrame({"customer_id": ["A", "A", "A"],
                       "date": pd.to_datetime(["2025-12-01", "2025-12-07", "2025-12-08"]),
                       "amount": [10.0, 20.0, 40.0]})
    weekly = repeat_purchase_summary(df, SNAP, period="W")
    daily = repeat_purchase_summary(df, SNAP)
    assert weekly.loc["A", "frequency"] == 1 and weekly.loc["A", "monetary_value"] == 40.0
    assert daily.loc["A", "frequency"] == 2 and daily.loc["A", "monetary_value"] == 30.0


def test_after_snapshot_raises_or_is_counted(tx):
    late = pd.concat([tx, pd.DataFrame({"customer_id": ["A"], "date": [pd.Timestamp("2026-01-05")],
                                        "amount": [99.0]})], ignore_index=True)
    with pytest.raises(ValidationError, match=r"'transactions'.*'date'.*1 of 14 rows.*after the snapshot"):
        rfm(late, SNAP)
    out = rfm(late, SNAP, after_snapshot="exclude")
    assert out.attrs["excluded"]["after_snapshot"] == 1
    assert out.loc["A", "monetary"] == 55.0
    reasons = rfm_exclusions(late, SNAP, zero_amount="exclude")
    assert reasons["reason"].value_counts().to_dict() == {"refund before first purchase": 2, "zero amount": 1,
                                                         "after snapshot": 1}
    assert rfm_exclusions(late, SNAP, returns="event")["reason"].tolist() == ["after snapshot"]


def test_inputs_are_not_changed(tx):
    before = tx.copy()
    rfm(tx, SNAP)
    repeat_purchase_summary(tx, SNAP, period="W")
    rfm_exclusions(tx, SNAP)
    pd.testing.assert_frame_equal(tx, before)


def test_bad_input_names_table_column_and_rows(tx):
    broken = tx.copy()
    broken.loc[[1, 4], "amount"] = np.nan
    with pytest.raises(ValidationError, match=r"'transactions', column 'amount': 2 of 13 rows are missing"):
        rfm(broken, SNAP)
    with pytest.raises(ValidationError, match=r"transactions: column\(s\) 'amount' not found in 13 rows"):
        rfm(tx.drop(columns="amount"), SNAP)
    with pytest.raises(ValidationError, match="column 'date'.*datetime64"):
        rfm(tx.assign(date=tx["date"].astype(str)), SNAP)
    with pytest.raises(ValueError, match="snapshot_date is required"):
        rfm(tx, None)
    with pytest.raises(ValueError, match="period"):
        repeat_purchase_summary(tx, SNAP, period="M")


def test_factorize_fast_path_matches_pandas():
    ids = pd.Series(["C0003", "C0001", "C0010", "C0001", "C9999", "C0003"], dtype="str")
    codes, uniques = factorize_ids(ids)
    expected_codes, expected_uniques = pd.factorize(ids, sort=True)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques.tolist() == list(expected_uniques)
    mixed = pd.Series(["b", "a", "ccc", "a"], dtype="str")  # different widths: the fallback
    codes, uniques = factorize_ids(mixed)
    assert codes.tolist() == [1, 0, 2, 0] and uniques.tolist() == ["a", "b", "ccc"]
    codes, uniques = factorize_ids(pd.Series([30, 10, 30]))  # numbers: the fallback too
    assert codes.tolist() == [1, 0, 1] and uniques.tolist() == [10, 30]


def test_rfm_with_integer_customer_ids():
    df = pd.DataFrame({"customer_id": [7, 3, 7], "date": pd.to_datetime(["2025-12-01", "2025-12-02", "2025-12-11"]),
                       "amount": [1.0, 2.0, 3.0]})
    out = rfm(df, SNAP)
    assert out.index.tolist() == [3, 7] and out["recency"].tolist() == [30, 21]


def _reference(df):
    """Slow, obvious pandas version of the classic RFM rules (zero amounts are free purchases)."""
    rows = {}
    for cid, g in df.groupby("customer_id"):
        buys = g[g["amount"] >= 0]
        if buys.empty:
            continue
        first = buys["date"].min()
        refunds = g[(g["amount"] < 0) & (g["date"] >= first)]["amount"].sum()
        rows[cid] = ((SNAP - buys["date"].max()).days, len(buys), buys["amount"].sum() + refunds,
                     buys["date"].nunique())
    return pd.DataFrame.from_dict(rows, orient="index", columns=["recency", "frequency", "monetary", "days"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["X01", "X02", "Y10", "Z99", "A00"]),
                          st.integers(0, 60), st.sampled_from([-7.5, -1.0, 0.0, 2.5, 10.0, 99.0])),
                min_size=1, max_size=40))
def test_rfm_matches_a_slow_reference(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "offset", "amount"])
    df["customer_id"] = df["customer_id"].astype("str")
    df["date"] = SNAP - pd.to_timedelta(df.pop("offset"), unit="D")
    expected = _reference(df)
    out = rfm(df, SNAP)
    assert out.index.tolist() == expected.index.tolist()
    assert out["recency"].tolist() == expected["recency"].tolist()
    assert out["frequency"].tolist() == expected["frequency"].tolist()
    np.testing.assert_allclose(out["monetary"].to_numpy(float), expected["monetary"].to_numpy(float))
    assert rfm(df, SNAP, frequency="days")["frequency"].tolist() == expected["days"].tolist()


def test_on_a_case_world():
    from segtools.data import load_case

    case = load_case("retail")
    out = rfm(case.transactions, case.snapshot_date)
    summary = repeat_purchase_summary(case.transactions, case.snapshot_date)
    assert out.index.equals(summary.index)
    assert (out["recency"] >= 1).all() and (summary["T"] >= summary["recency"]).all()
    assert ((summary["frequency"] == 0) == (summary["monetary_value"] == 0)).all() or (
        summary.loc[summary["frequency"] == 0, "monetary_value"] == 0).all()
    assert len(out) + out.attrs["excluded"]["customers_without_purchase"] == case.transactions["customer_id"].nunique()
