"""The tables behind the reports, checked against values worked out by hand."""

import pandas as pd
import pytest

from segtools.errors import ValidationError
from segtools.customers import rfm_segment_map
from segtools.reporting.customer_table import NO_PURCHASE, customer_segments
from segtools.reporting.lead_table import lead_priorities

SNAPSHOT = pd.Timestamp("2026-01-01")


@pytest.fixture
def shop():
    customers = pd.DataFrame({"customer_id": [f"C{i}" for i in range(1, 7)], "name": list("abcdef")})
    rows = [("C1", "2025-12-30", 50), ("C1", "2025-12-20", 50), ("C1", "2025-12-10", 50), ("C1", "2025-11-01", 50),
            ("C2", "2025-12-25", 100), ("C2", "2026-01-05", 999),  # the second is after the snapshot
            ("C3", "2025-06-01", 30), ("C3", "2025-05-01", 30), ("C3", "2025-04-01", 30),
            ("C4", "2024-01-01", 500), ("C4", "2024-02-01", -100),  # a refund: not a purchase
            ("C5", "2025-10-01", 20), ("C5", "2025-09-01", 20)]
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    tx["date"] = pd.to_datetime(tx["date"])
    tx["amount"] = tx["amount"].astype(float)
    return customers, tx


def test_rfm_values_scores_and_segments_by_hand(shop):
    customers, tx = shop
    before = tx.copy()
    seg = customer_segments(customers, tx, snapshot_date=SNAPSHOT, n_segments=2).set_index("customer_id")
    pd.testing.assert_frame_equal(tx, before)  # input untouched
    # recency = days from the last purchase (refunds do not count) to the snapshot
    assert seg["recency_days"].tolist()[:5] == [2, 7, 214, 731, 92]
    assert seg["frequency"].tolist() == [4, 1, 3, 1, 2, 0]
    assert seg["monetary"].tolist() == [200.0, 100.0, 90.0, 400.0, 40.0, 0.0]
    # five buyers: untied recency and spend are ranks; frequency has four distinct values
    # (1, 2, 3, 4), so its scores stop at 4 and the two single purchases share score 1.
    # The purchase rhythm (median of the repeat buyers' mean gaps: C1 19.7, C5 30, C3 30.5 days) is 30 days,
    # so the active window is 90 days and the lapsed window 180: C5 (92 days) drops from recency score 3 to 2,
    # C3 (214 days) from 2 to 1
    assert seg.attrs["windows"]["days"].tolist() == [30, 90, 180]
    assert seg["r_score"].tolist()[:5] == [5, 4, 1, 1, 2]
    assert seg.attrs["capped"] == 2
    assert seg["f_score"].tolist()[:5] == [4, 1, 3, 1, 2]
    assert seg["m_score"].tolist()[:5] == [4, 3, 2, 5, 1]
    # the default map, first match wins: 544 Champions, 413 Promising (one recent purchase),
    # 132 At risk, 115 Lost, 221 Hibernating
    assert seg["segment"].astype(str).tolist() == ["Champions", "Promising", "At risk", "Lost",
                                                   "Hibernating", "No purchases yet"]
    assert seg.loc["C6", ["r_score", "f_score", "m_score", "cluster"]].isna().all()
    actions = dict(zip(rfm_segment_map()["segment"], rfm_segment_map()["action"]))
    assert seg.loc["C1", "recommended_action"] == actions["Champions"]
    assert seg.loc["C6", "recommended_action"] == NO_PURCHASE[1]
    assert seg.attrs["excluded"]["after_snapshot"] == 1


def test_every_customer_keeps_a_row_and_clusters_are_numbered_by_spend(shop):
    customers, tx = shop
    seg = customer_segments(customers, tx, snapshot_date=SNAPSHOT, n_segments=2)
    assert seg["customer_id"].tolist() == customers["customer_id"].tolist()
    buyers = seg.dropna(subset=["cluster"])
    spend = buyers.groupby("cluster")["monetary"].mean()
    assert list(spend.index) == [1, 2] and spend.loc[1] > spend.loc[2]


def test_customer_segments_name_the_missing_column(shop):
    customers, tx = shop
    with pytest.raises(ValidationError, match=r"amount"):
        customer_segments(customers, tx.drop(columns="amount"), snapshot_date=SNAPSHOT)
    with pytest.raises(ValidationError, match=r"customers: column 'customer_id' not found in 6 rows"):
        customer_segments(customers.rename(columns={"customer_id": "id"}), tx, snapshot_date=SNAPSHOT)


POINTS = [{"score": "fit", "group": "industry", "column": "industry", "op": "==", "value": "software", "points": 10},
          {"score": "engagement", "group": "web", "column": "page_views", "op": ">=", "value": 5, "points": 5},
          {"score": "engagement", "group": "email", "column": "email_clicks", "op": ">=", "value": 1, "points": 3}]


@pytest.fixture
def leads():
    return pd.DataFrame({"lead_id": ["L1", "L2", "L3", "L4"],
                         "industry": ["software", "retail", "software", "software"],
                         "page_views": [10, 6, 1, 9], "email_clicks": [2, 0, 0, 1],
                         "status": ["open", "open", "open", "won"]})


def test_lead_scores_ranks_tiers_and_reasons_by_hand(leads):
    before = leads.copy()
    p = lead_priorities(leads, points=POINTS, snapshot_date=SNAPSHOT, capacity=1).set_index("lead_id")
    pd.testing.assert_frame_equal(leads, before)
    assert p["score"].tolist() == [18.0, 5.0, 10.0, 18.0]
    assert p["rank"].tolist()[:3] == [1, 3, 2] and pd.isna(p.loc["L4", "rank"])
    assert p["call_this_period"].tolist() == [True, False, False, False]
    assert p.loc["L1", "reason"] == "industry == software; page_views >= 5"
    assert p.loc["L2", "reason"] == "page_views >= 5"
    # fit 10,0,10,10: the quartile cuts collapse (10,10,7.5), so the three tied leads are graded by
    # their middle rank (B), never all "A"; engagement 8,5,0,8 -> cuts 8,6.5,3.75 -> 1,3,4,1
    assert p["grade"].tolist() == ["B1", "D3", "B4", "B1"]
    # hot = A1, A2, B1; the won lead is closed whatever its grade
    assert p["tier"].tolist() == ["hot", "cold", "cold", "closed"]


def test_without_status_the_converted_flag_closes_leads(leads):
    no_status = leads.drop(columns="status").assign(converted=[False, False, True, False])
    p = lead_priorities(no_status, points=POINTS, snapshot_date=SNAPSHOT, capacity=5).set_index("lead_id")
    assert p.loc["L3", "tier"] == "closed" and p.loc["L3", "status"] == "converted"
    assert not p.loc["L3", "call_this_period"]
    # equal scores share the top two ranks; the order between them is a seeded draw, never the id order
    assert sorted(p.loc[["L1", "L4"], "rank"].tolist()) == [1, 2]


def test_a_lead_no_rule_fires_for_still_gets_a_row(leads):
    quiet = pd.concat([leads, pd.DataFrame({"lead_id": ["L5"], "industry": ["retail"], "page_views": [0],
                                            "email_clicks": [0], "status": ["open"]})], ignore_index=True)
    p = lead_priorities(quiet, points=POINTS, snapshot_date=SNAPSHOT, capacity=1).set_index("lead_id")
    assert p.loc["L5", "reason"] == "no rule fired" and p.loc["L5", "rank"] == 4


def test_dates_and_capacity_are_keyword_only(shop, leads):
    customers, tx = shop
    with pytest.raises(TypeError):
        customer_segments(customers, tx, SNAPSHOT)
    with pytest.raises(TypeError):
        lead_priorities(leads, POINTS, SNAPSHOT)


def test_capacity_sets_the_call_list_and_nothing_else(leads):
    one = lead_priorities(leads, points=POINTS, snapshot_date=SNAPSHOT, capacity=1)
    all_ = lead_priorities(leads, points=POINTS, snapshot_date=SNAPSHOT, capacity=10)
    assert one["call_this_period"].sum() == 1 and all_["call_this_period"].sum() == 3  # three open leads
    pd.testing.assert_frame_equal(one.drop(columns="call_this_period"), all_.drop(columns="call_this_period"))


def test_the_snapshot_date_moves_recency(shop):
    customers, tx = shop
    early = customer_segments(customers, tx, snapshot_date="2025-12-31", n_segments=2).set_index("customer_id")
    late = customer_segments(customers, tx, snapshot_date=SNAPSHOT, n_segments=2).set_index("customer_id")
    assert (late["recency_days"] - early["recency_days"]).dropna().eq(1).all()
