"""Named segments that stay true in time, on a log shaped like a real music retailer's (the traps of issue 11).

The generated log: 18 months, most customers buy once in the first quarter and never again,
a minority buys repeatedly all along; it has zero-amount purchases (some customers only ever
took free items), several orders on one day, and refunds (on purchase days, on days of their
own, before a first purchase).
"""

import numpy as np
import pandas as pd
import pytest

from segtools.customers import (ACTIVE_SEGMENTS, ONLY_FREE_ITEMS, activity_windows, explain_empty_segments,
                                name_segments, rfm, rfm_scores)
from segtools.reporting.customer_table import NO_PURCHASE, customer_segments

SNAPSHOT = pd.Timestamp("2025-06-30")
START = pd.Timestamp("2024-01-01")


def music_log(seed=0, n=2_000):
    """Half the customers buy once in the first quarter; repeat buyers every ~40 days; traps mixed in."""
    rng = np.random.default_rng(seed)
    span = (SNAPSHOT - START).days
    rows = []
    for i in range(n):
        cid = f"C{i:05d}"
        if i % 10 < 6:  # one-time buyers, all in the first quarter
            days = [int(rng.integers(0, 90))]
        elif i % 10 < 9:  # repeat buyers who stop at some point
            first = int(rng.integers(0, 90))
            stop = int(rng.integers(first + 30, span + 1))
            days = sorted({first, *rng.integers(first, stop + 1, size=int(rng.integers(1, 12))).tolist()})
        else:  # steady buyers up to the snapshot
            days = list(range(int(rng.integers(0, 40)), span + 1, int(rng.integers(20, 60))))
        amounts = np.round(rng.gamma(2.0, 8.0, size=len(days)) + 1, 2)
        if i % 50 == 0:  # a few customers only ever take free items
            amounts[:] = 0.0
        elif i % 13 == 0 and len(days) > 1:  # a free item among paid ones
            amounts[0] = 0.0
        for d, a in zip(days, amounts):
            rows.append((cid, START + pd.Timedelta(days=d), float(a)))
        if i % 17 == 0:  # two more orders on the last day
            rows += [(cid, START + pd.Timedelta(days=days[-1]), float(amounts[-1]))] * 2
        if i % 19 == 0 and amounts.sum() > 0:  # a refund on a day of its own, after the last purchase
            rows.append((cid, START + pd.Timedelta(days=min(days[-1] + 3, span)), -2.0))
        if i % 23 == 0:  # a refund before the first purchase
            rows.append((cid, START + pd.Timedelta(days=days[0]) - pd.Timedelta(days=1), -1.0))
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    customers = pd.DataFrame({"customer_id": [f"C{i:05d}" for i in range(n)] + ["NEVER"]})
    return customers, tx


def _with_ids(tx):
    """Same-day repeats are real orders: a transaction id tells them apart for the report's contract."""
    return tx.assign(transaction_id=[f"T{i:06d}" for i in range(len(tx))])


@pytest.fixture(scope="module")
def music():
    customers, tx = music_log()
    return customers, tx, customer_segments(customers, tx, snapshot_date=SNAPSHOT, n_segments=3)


def test_relative_quintiles_alone_make_stale_champions():
    _, tx = music_log()
    table = rfm(tx, SNAPSHOT)
    named = name_segments(rfm_scores(table))
    stale = table["recency"] > 180
    # the trap: quintile recency calls customers silent for half a year and more "recent"
    assert (named[stale].isin(ACTIVE_SEGMENTS)).sum() > 100


def test_no_active_named_segment_holds_a_customer_older_than_the_window(music):
    _, _, seg = music
    active = int(seg.attrs["windows"].loc["active window", "days"])
    in_active = seg["segment"].isin(ACTIVE_SEGMENTS)
    assert in_active.sum() > 0
    assert seg.loc[in_active, "recency_days"].max() <= active
    assert seg.attrs["capped"] > 0


def test_the_window_comes_from_the_purchase_rhythm_with_a_floor():
    _, tx = music_log()
    w = activity_windows(tx, SNAPSHOT)
    rhythm, active, lapsed = w["days"].tolist()
    assert 20 <= rhythm <= 80 and active == 3 * rhythm and lapsed == 2 * active
    assert w.loc["purchase rhythm", "how derived"].startswith("median over")
    given = activity_windows(tx, SNAPSHOT, active_window_days=60)
    assert given["days"].tolist()[1:] == [60, 120] and "analyst" in given.loc["active window", "how derived"]
    once = tx.groupby("customer_id").head(1)  # nobody buys twice: no rhythm, the floor
    floor = activity_windows(once, SNAPSHOT, floor_days=45)
    assert pd.isna(floor.loc["purchase rhythm", "days"]) and floor.loc["active window", "days"] == 45


@pytest.mark.parametrize("kwargs", [{"active_window_days": 0}, {"active_window_days": 2.5}, {"factor": -1},
                                    {"floor_days": 0}])
def test_bad_window_arguments_are_value_errors(kwargs):
    _, tx = music_log(n=50)
    with pytest.raises(ValueError):
        activity_windows(tx, SNAPSHOT, **kwargs)


def test_an_analyst_window_is_obeyed(music):
    customers, tx, _ = music
    seg = customer_segments(customers, tx, snapshot_date=SNAPSHOT, n_segments=3, active_window_days=30)
    assert seg.loc[seg["segment"].isin(ACTIVE_SEGMENTS), "recency_days"].max() <= 30


def test_empty_segments_are_explained(music):
    _, _, seg = music
    counts = seg["segment"].value_counts()
    empty = {s for s in seg["segment"].cat.categories if counts.get(s, 0) == 0} - {NO_PURCHASE[0]}
    explained = seg.attrs["empty_segments"]
    assert set(explained.index) == empty
    assert explained["why"].str.len().gt(10).all()


def test_explain_empty_segments_names_the_reason():
    s = pd.DataFrame({"r_score": [1, 2, 5], "f_score": [1, 4, 4], "m_score": [1, 4, 4]})
    why = explain_empty_segments(s, name_segments(s), active_window_days=90)
    assert why.loc["New", "why"].startswith("no customer has r_score == 5") is False  # one customer has it
    assert "the last 90 days" in why.loc["Promising", "why"]
    assert why.loc["Loyal", "why"].startswith("its 1 matching customers are taken by an earlier rule")


def test_only_free_items_get_their_own_segment_and_action(music):
    _, tx, seg = music
    paid = set(tx.loc[tx["amount"] > 0, "customer_id"])
    free = seg[seg["frequency"].gt(0) & ~seg["customer_id"].isin(paid)]
    assert len(free) == 40  # every 50th of 2,000
    assert (free["segment"] == ONLY_FREE_ITEMS[0]).all()
    assert (free["recommended_action"] == ONLY_FREE_ITEMS[2]).all()
    assert "first paid purchase" in ONLY_FREE_ITEMS[2]
    assert not seg.loc[seg["segment"] != NO_PURCHASE[0], "recommended_action"].eq(NO_PURCHASE[1]).any()
    assert seg.set_index("customer_id").loc["NEVER", "segment"] == NO_PURCHASE[0]


def test_zero_amount_and_same_day_purchases_count(music):
    _, tx, seg = music
    by_hand = tx[tx["amount"] >= 0].groupby("customer_id").size()
    got = seg.set_index("customer_id")["frequency"]
    assert got.loc[by_hand.index].tolist() == by_hand.tolist()
    assert len(seg) == 2_001  # nobody vanished


def test_the_report_counts_what_each_rule_touched(music):
    from segtools.reporting._customer_section import awkward_rows, customer_sizes

    _, tx, seg = music
    a = seg.attrs["affected"]
    zero, neg = tx["amount"] == 0, tx["amount"] < 0
    assert a == {"zero_amount_rows": int(zero.sum()), "zero_amount_customers": tx.loc[zero, "customer_id"].nunique(),
                 "only_zero_amount_customers": 40, "refund_rows": int(neg.sum()),
                 "refund_customers": tx.loc[neg, "customer_id"].nunique()}
    table = awkward_rows(seg)
    assert table.loc["refunds", "transactions"] == neg.sum()
    assert table.loc["customers with only zero-amount purchases", "customers"] == 40
    sizes = customer_sizes(seg)
    assert sizes["zero_amounts_and_refunds"] == a
    assert sizes["windows"]["active window"] == int(seg.attrs["windows"].loc["active window", "days"])
    assert sizes["empty_segments"] == list(seg.attrs["empty_segments"].index)
    assert sum(sizes["segments"].values()) == len(seg)
    assert seg.attrs["excluded"]["refunds_before_first_purchase"] > 0


def test_predicted_value_columns_and_groups(music):
    _, _, seg = music
    assert seg.attrs["outlook"]["unsupported"] is None
    buyers = seg[seg["frequency"] > 0]
    assert buyers["p_alive"].between(0, 1).all() and buyers["predicted_value"].ge(0).all()
    groups = buyers["value_outlook"].value_counts()
    assert groups["most valuable next year"] == len(buyers) // 5
    assert groups["likely lapsed"] > 0
    never = seg.set_index("customer_id").loc["NEVER"]
    assert pd.isna(never["predicted_value"]) and pd.isna(never["value_outlook"])


def test_the_report_says_when_the_data_cannot_support_predicted_value():
    from segtools.reporting import build_report

    customers, tx = music_log(n=60)
    tx = tx.groupby("customer_id").head(1)  # nobody bought twice
    report = build_report({"customers": customers, "transactions": _with_ids(tx)}, sections=("customers",))
    assert "no predicted value" in report.notes and "bought again" in report.notes["no predicted value"]
    assert "predicted value" not in report.tables
    assert report.summary["sizes"]["predicted_value"] == {"unsupported": report.segments.attrs["outlook"][
        "unsupported"]}
    assert "recency windows" in report.tables and "zero amounts and refunds" in report.tables
    assert "empty segments" in report.notes


def test_the_report_shows_windows_value_groups_and_assumptions():
    from segtools.reporting import build_report

    customers, tx = music_log(n=600)
    report = build_report({"customers": customers, "transactions": _with_ids(tx)}, sections=("customers",))
    assert list(report.tables["recency windows"].columns) == ["days", "how derived"]
    groups = report.tables["predicted value"]
    assert set(groups.index) >= {"most valuable next year", "likely lapsed"}
    assert list(groups.columns) == ["customers", "mean_p_alive", "total_expected_purchases", "total_predicted_value"]
    valued = report.segments.dropna(subset=["predicted_value"])
    assert groups["total_predicted_value"].sum() == pytest.approx(valued["predicted_value"].sum(), abs=0.05)
    assert report.summary["sizes"]["predicted_value"]["likely lapsed"] == groups.loc["likely lapsed", "customers"]
    text = " ".join(key for _, kind, key in report.layout if kind == "markdown")
    assert "non-contractual" in text and "subscriptions" in text


def test_windows_from_a_summary_are_the_windows_of_the_transactions(music):
    from segtools.customers import repeat_purchase_summary
    from segtools.customers.windows import windows_from_summary

    _, tx, _ = music
    daily = repeat_purchase_summary(tx, SNAPSHOT, period="D", returns="net", after_snapshot="exclude")
    for days in (None, 45):
        pd.testing.assert_frame_equal(windows_from_summary(daily, active_window_days=days),
                                      activity_windows(tx, SNAPSHOT, active_window_days=days))
    with pytest.raises(ValueError, match="factor"):
        windows_from_summary(daily, factor=0)


def test_a_large_base_is_fitted_on_a_fixed_seed_sample_and_predicted_whole(music):
    from segtools.customers import PurchaseModel, SpendModel, repeat_purchase_summary
    from segtools.customers.outlook import FIT_SAMPLE, fit_rows, outlook_from_summary

    _, tx, _ = music
    weekly = repeat_purchase_summary(tx, SNAPSHOT, period="W", returns="net", after_snapshot="exclude")
    assert len(weekly) < FIT_SAMPLE  # small data: fitted whole, exactly as without a sample
    whole = outlook_from_summary(weekly)
    assert whole.attrs["fit"] == {"customers": len(weekly), "of": len(weekly), "sampled": False, "random_state": None}
    pd.testing.assert_frame_equal(whole, outlook_from_summary(weekly, fit_sample=None))
    one, again = (outlook_from_summary(weekly, fit_sample=800, random_state=3) for _ in range(2))
    assert one.attrs["fit"] == {"customers": 800, "of": len(weekly), "sampled": True, "random_state": 3}
    pd.testing.assert_frame_equal(one, again)  # the same sample, the same numbers, every run
    assert one.index.equals(weekly.index) and one["predicted_value"].notna().all()  # every customer predicted
    rows = fit_rows(len(weekly), fit_sample=800, random_state=3)
    assert len(set(rows)) == 800
    sample = weekly.iloc[rows]
    assert one.attrs["params"]["purchase"] == PurchaseModel().fit(sample).params_.to_dict()
    assert one.attrs["params"]["spend"] == SpendModel().fit(sample).params_.to_dict()
    other = outlook_from_summary(weekly, fit_sample=800, random_state=4)
    assert other.attrs["params"] != one.attrs["params"]


def test_the_report_says_the_models_were_fitted_on_a_sample(monkeypatch):
    import segtools.customers.outlook
    from segtools.reporting import build_report

    customers, tx = music_log(n=600)
    monkeypatch.setattr(segtools.customers.outlook, "FIT_SAMPLE", 300)
    lines = []
    report = build_report({"customers": customers, "transactions": _with_ids(tx)}, sections=("customers",),
                          progress=lines.append)
    assert report.segments.attrs["outlook"]["fit"]["sampled"]
    assert "a random sample of 300 of the" in report.notes["predicted value sample"]
    assert any("on a random sample of 300 of" in line for line in lines)
