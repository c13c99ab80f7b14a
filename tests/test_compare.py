"""Tests of segtools.compare: outcomes per segment, the lead-to-customer funnel, the contrast table.

The small tables below are worked by hand; the expected numbers are written out, not
recomputed with the code under test.
"""

import math

import pandas as pd
import pytest

from segtools import compare
from segtools.errors import ValidationError


@pytest.fixture
def leads():
    # 8 leads: hot converts 3 of 4, cold 1 of 3, one lead has no segment and converted.
    return pd.DataFrame({
        "lead_id": [f"L{i}" for i in range(1, 9)],
        "segment": ["hot", "hot", "hot", "hot", "cold", "cold", "cold", None],
        "converted": [True, True, True, False, True, False, False, True],
        "customer_id": ["C1", "C2", "C9", None, "C3", None, None, "C4"],
        "deal_value": [100.0, 50.0, 20.0, None, 10.0, None, None, 5.0],
    })


@pytest.fixture
def customer_segment():
    # C9 is a customer nobody segmented.
    return pd.Series({"C1": "loyal", "C2": "one-off", "C3": "one-off", "C4": "loyal", "C5": "loyal"})


def test_funnel_counts_and_rates_by_hand(leads, customer_segment):
    f = compare.funnel(leads, "segment", customer_segment)
    cell = f.set_index(["lead_segment", "customer_segment"])
    # segments in sorted order, then the catch-all labels that were used
    assert list(f["lead_segment"].cat.categories) == ["cold", "hot", compare.NO_SEGMENT]
    assert list(f["customer_segment"].cat.categories) == ["loyal", "one-off", compare.NO_SEGMENT]
    assert len(f) == 9  # every pair, zeros included
    hot = cell.loc["hot"]
    assert hot["leads"].tolist() == [4, 4, 4]
    assert hot["converted"].tolist() == [3, 3, 3]
    assert hot["conversion_rate"].iloc[0] == pytest.approx(0.75)
    # hot: C1 loyal, C2 one-off, C9 unsegmented customer
    assert hot["customers"].tolist() == [1, 1, 1]
    assert hot["share_of_converted"].tolist() == pytest.approx([1 / 3] * 3)
    assert hot["share_of_leads"].tolist() == pytest.approx([0.25] * 3)
    cold = cell.loc["cold"]
    assert cold["customers"].tolist() == [0, 1, 0]
    assert cold["share_of_leads"].sum() == pytest.approx(1 / 3)
    # the lead without a segment converted into a loyal customer: kept, not dropped
    assert cell.loc[(compare.NO_SEGMENT, "loyal"), "customers"] == 1
    # nothing lost: all 5 conversions are somewhere in the table
    assert f["customers"].sum() == 5


def test_funnel_share_of_converted_is_nan_when_no_conversion(customer_segment):
    leads = pd.DataFrame({"s": ["a", "b"], "converted": [True, False], "customer_id": ["C1", None]})
    f = compare.funnel(leads, "s", customer_segment).set_index(["lead_segment", "customer_segment"])
    assert f.loc[("b", "loyal"), "leads"] == 1
    assert math.isnan(f.loc[("b", "loyal"), "share_of_converted"])
    assert f.loc[("a", "loyal"), "share_of_converted"] == 1.0


def test_funnel_accepts_series_frame_and_categorical_order(leads, customer_segment):
    labels = pd.Series(pd.Categorical(leads["segment"], categories=["hot", "cold"]), index=leads.index)
    frame = customer_segment.rename_axis("customer_id").rename("segment").reset_index()
    f = compare.funnel(leads, labels, frame)
    assert list(f["lead_segment"].cat.categories)[:2] == ["hot", "cold"]
    assert f["customers"].sum() == 5


def test_funnel_matrix_margins(leads, customer_segment):
    m = compare.funnel_matrix(compare.funnel(leads, "segment", customer_segment))
    assert m.loc["hot"].tolist() == [1, 1, 1, 3, 1, 4]
    assert list(m.columns) == ["loyal", "one-off", compare.NO_SEGMENT, "converted", "not converted", "leads"]
    shares = compare.funnel_matrix(compare.funnel(leads, "segment", customer_segment), value="share_of_leads")
    assert shares.loc["cold", "conversion_rate"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="value must be one of"):
        compare.funnel_matrix(compare.funnel(leads, "segment", customer_segment), value="revenue")


def test_funnel_does_not_change_its_input(leads, customer_segment):
    before, seg_before = leads.copy(), customer_segment.copy()
    compare.funnel(leads, "segment", customer_segment)
    compare.lead_outcomes(leads, "segment")
    pd.testing.assert_frame_equal(leads, before)
    pd.testing.assert_series_equal(customer_segment, seg_before)


def test_funnel_rejects_customer_id_on_a_lead_that_did_not_convert(leads, customer_segment):
    bad = leads.assign(customer_id=leads["customer_id"].fillna("C5"))
    with pytest.raises(ValidationError, match=r"leads: 3 of 8 rows have a 'customer_id' but 'converted' is False"):
        compare.funnel(bad, "segment", customer_segment)


def test_funnel_errors_name_table_column_and_rows(leads, customer_segment):
    with pytest.raises(ValidationError, match=r"leads: column\(s\) 'converted' not found in 8 rows"):
        compare.funnel(leads.drop(columns="converted"), "segment", customer_segment)
    with pytest.raises(ValidationError, match=r"column 'converted' has 1 missing value\(s\) in 8 rows"):
        compare.funnel(leads.assign(converted=leads["converted"].astype(object).where(leads.index != 3)),
                       "segment", customer_segment)
    with pytest.raises(ValidationError, match=r"no label for 2 of 8 rows"):
        compare.funnel(leads, leads["segment"].iloc[:6], customer_segment)
    with pytest.raises(ValidationError, match=r"7 labels for 8 rows"):
        compare.funnel(leads, ["a"] * 7, customer_segment)
    dup = pd.Series(["a", "b"], index=["C1", "C1"])
    with pytest.raises(ValidationError, match=r"customer_segment: 1 customer_id\(s\) appear more than once"):
        compare.funnel(leads, "segment", dup)
    with pytest.raises(ValidationError, match="leads: expected a pandas DataFrame"):
        compare.funnel(leads.to_dict(), "segment", customer_segment)


def test_lead_outcomes_by_hand(leads):
    out = compare.lead_outcomes(leads, "segment")
    assert out.index.tolist() == ["cold", "hot", compare.NO_SEGMENT, compare.ALL]
    assert out["leads"].tolist() == [3, 4, 1, 8]
    assert out["converted"].tolist() == [1, 3, 1, 5]
    assert out.loc["hot", "conversion_rate"] == pytest.approx(0.75)
    assert out.loc["hot", "lift"] == pytest.approx(0.75 / (5 / 8))  # 1.2
    assert out.loc["cold", "share_of_conversions"] == pytest.approx(0.2)
    assert out.loc["hot", "first_payments"] == pytest.approx(170.0)
    assert out.loc[compare.ALL, "first_payments"] == pytest.approx(185.0)
    assert out.loc[compare.ALL, "lift"] == pytest.approx(1.0)


def test_customer_outcomes_by_hand():
    tx = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "D"],
        "date": pd.to_datetime(["2025-01-01", "2025-11-15", "2025-12-01", "2025-03-01", "2025-12-20"]),
        "amount": [100.0, 50.0, -20.0, 30.0, 8.0],
    })
    seg = pd.Series({"A": "gold", "B": "basic", "C": "basic"})  # C never bought, D not segmented
    out = compare.customer_outcomes(tx, seg, "2026-01-01", active_days=60)
    assert out.index.tolist() == ["basic", "gold", compare.NO_SEGMENT, compare.ALL]
    assert out["customers"].tolist() == [2, 1, 1, 4]
    assert out["revenue"].tolist() == pytest.approx([30.0, 130.0, 8.0, 168.0])  # net of the refund
    assert out.loc["gold", "purchases_per_customer"] == 2  # the refund is not a purchase
    assert out.loc["basic", "revenue_per_customer"] == pytest.approx(15.0)
    assert out.loc["gold", "repeat_rate"] == 1.0
    assert out.loc["basic", "active_rate"] == 0.0
    assert out.loc[compare.ALL, "active_rate"] == pytest.approx(0.5)  # A and D within 60 days
    assert out.loc["gold", "share_of_revenue"] == pytest.approx(130 / 168)


def test_customer_outcomes_refuses_transactions_after_snapshot():
    tx = pd.DataFrame({"customer_id": ["A", "A"], "amount": [1.0, 2.0],
                       "date": pd.to_datetime(["2025-12-31", "2026-01-01"])})
    with pytest.raises(ValidationError, match=r"transactions: 1 of 2 rows in column 'date' are on or after"):
        compare.customer_outcomes(tx, pd.Series({"A": "x"}), "2026-01-01")


def test_purchase_gap_days_by_hand():
    tx = pd.DataFrame({"customer_id": ["A", "A", "B", "B", "B"], "amount": [1.0, 1.0, 1.0, -1.0, 1.0],
                       "date": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-01", "2025-01-02",
                                               "2025-01-31"])})
    # gaps: A 4 days; B 30 days (the refund is not a purchase) -> median 17
    assert compare.purchase_gap_days(tx) == 17.0


@pytest.fixture(scope="module")
def startup():
    from segtools.data import load_case

    return load_case("startup")


def test_contrast_table_is_filled_from_the_data(startup):
    key = startup.answer_key
    t = compare.contrast_table(
        customers=startup.customers, transactions=startup.transactions, leads=startup.leads,
        customer_segment=key["customers"], lead_segment=key["leads"]["segment"],
        snapshot_date=startup.snapshot_date, customer_data=["engagement", "purchases", "NPS"],
        lead_data=["interest level", "demographics", "purchasing power"],
        customer_method="planted", lead_method="planted", lead_actions={"ready_buyers": "book a demo"})
    assert t.index.tolist() == list(compare.ASPECTS)
    assert t.columns.tolist() == ["customer segmentation", "lead segmentation"]
    n_conv = int(startup.leads["converted"].sum())
    assert f"{len(startup.leads):,} leads" in t.loc["population", "lead segmentation"]
    assert f"{n_conv:,} have bought since" in t.loc["population", "lead segmentation"]
    assert f"{len(startup.customers):,} customers" in t.loc["population", "customer segmentation"]
    assert "NPS" in t.loc["typical data", "customer segmentation"]
    assert t.loc["typical actions", "lead segmentation"] == "ready_buyers: book a demo"
    for name in key["leads"]["segment"].unique():
        assert name in t.loc["methods", "lead segmentation"]
    assert t.notna().all().all()


# ---------------------------------------------------------------- charts
def test_funnel_chart_draws_one_annotation_per_lead_segment(leads, customer_segment):
    import matplotlib

    matplotlib.use("Agg")
    from segtools import plots

    ax = plots.funnel_chart(data=compare.funnel(leads, "segment", customer_segment))
    assert [t.get_text() for t in ax.texts] == ["1 of 3 (33%)", "3 of 4 (75%)", "1 of 1 (100%)"]
    matplotlib.pyplot.close("all")


def test_layer_cake_biggest_layer_at_the_bottom_and_total_row_left_out():
    import matplotlib

    matplotlib.use("Agg")
    from segtools import plots

    tx = pd.DataFrame({"customer_id": ["A", "B", "C"], "amount": [1.0, 2.0, 3.0],
                       "date": pd.to_datetime(["2025-01-01"] * 3)})
    out = compare.customer_outcomes(tx, pd.Series({"A": "x", "B": "y", "C": "y"}), "2026-01-01")
    ax = plots.layer_cake(data=out)
    assert [t.get_text() for t in ax.texts] == ["y · 2", "x · 1"]
    with pytest.raises(ValidationError, match=r"layers: column\(s\) 'people' not found in 3 rows"):
        plots.layer_cake(data=out, size_col="people")
    matplotlib.pyplot.close("all")


def test_seed_sieve_counts_kept_and_sifted_out():
    import matplotlib

    matplotlib.use("Agg")
    from segtools import plots

    data = pd.DataFrame({"s": [5, 4, 3, 2, 1], "converted": [True, True, False, True, False]})
    ax = plots.seed_sieve(data=data, score_col="s", threshold=3)
    assert [t.get_text() for t in ax.texts] == ["kept: 3 leads, 67% grew", "sifted out: 2 leads, 50% grew"]
    ax = plots.seed_sieve(data=data, score_col="s", capacity=1)
    assert ax.texts[0].get_text() == "kept: 1 lead, 100% grew"
    with pytest.raises(ValidationError, match=r"leads: 1 of 5 rows have no 's'"):
        plots.seed_sieve(data=data.assign(s=[5, None, 3, 2, 1]), score_col="s", capacity=2)
    with pytest.raises(ValueError, match="give capacity"):
        plots.seed_sieve(data=data, score_col="s")
    matplotlib.pyplot.close("all")


def test_empty_segments_are_kept_with_zero_counts():
    leads = pd.DataFrame({"converted": [True, False]})
    labels = pd.Series(pd.Categorical(["x", "x"], categories=["x", "empty"]))
    out = compare.lead_outcomes(leads, labels)
    assert out.loc["empty", "leads"] == 0
    assert math.isnan(out.loc["empty", "conversion_rate"])
    tx = pd.DataFrame({"customer_id": ["A"], "amount": [1.0], "date": pd.to_datetime(["2025-01-01"])})
    seg = pd.Series(pd.Categorical(["x"], categories=["x", "empty"]), index=["A"])
    cust = compare.customer_outcomes(tx, seg, "2026-01-01")
    assert cust.loc["empty", ["customers", "revenue"]].tolist() == [0, 0.0]


def test_customer_outcomes_refuses_transactions_without_customer():
    tx = pd.DataFrame({"customer_id": ["A", None], "amount": [1.0, 2.0],
                       "date": pd.to_datetime(["2025-12-01", "2025-12-02"])})
    with pytest.raises(ValidationError, match=r"transactions: column 'customer_id' has 1 missing value\(s\) in 2 rows"):
        compare.customer_outcomes(tx, pd.Series({"A": "x"}), "2026-01-01")
