"""Tests of segtools.over_time (re-segmentation over time, transitions, drift, hold-out tests)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segtools.errors import ValidationError
from segtools.over_time import (assign_holdout, holdout_test, monthly_segments, population_stability,
                               segment_shares, transition_matrix)

BINS, LABELS = (0, 1, 50), ("dormant", "light", "heavy")


def _usage():
    # a: Jan heavy, Feb light, Mar gone; b: Jan dormant, Feb-Mar heavy; c: joins in Mar (exactly 50 = heavy)
    return pd.DataFrame({
        "customer_id": ["a", "a", "b", "b", "b", "c"],
        "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-01", "2025-02-01", "2025-03-01",
                                 "2025-03-01"]),
        "sessions": [120, 49, 0, 75, 200, 50],
    })


def test_monthly_segments_by_hand():
    seg = monthly_segments(_usage(), bins=BINS, labels=LABELS)
    got = {(r.customer_id, r.month.strftime("%m")): r.segment for r in seg.itertuples()}
    assert got == {("a", "01"): "heavy", ("a", "02"): "light", ("a", "03"): "churned",
                   ("b", "01"): "dormant", ("b", "02"): "heavy", ("b", "03"): "heavy",
                   ("c", "03"): "heavy"}
    assert list(seg["segment"].cat.categories) == ["churned", *LABELS]
    assert seg["segment"].cat.ordered
    assert seg.loc[seg["segment"] == "churned", "sessions"].isna().all()


def test_monthly_segments_does_not_mutate_input():
    usage = _usage()
    before = usage.copy()
    monthly_segments(usage, bins=BINS, labels=LABELS)
    pd.testing.assert_frame_equal(usage, before)


@pytest.mark.parametrize("change, message", [
    (lambda u: u.drop(columns="sessions"), "'sessions' not found in 6 rows"),
    (lambda u: u.assign(sessions=[1.0, np.nan, 3, 4, 5, 6]), "column 'sessions': 1 of 6 rows are missing (row labels 1)"),
    (lambda u: u.assign(sessions=[1, -2, 3, 4, 5, -6]), "2 value(s) below the lowest bin"),
    (lambda u: pd.concat([u, u.iloc[:1]]), "1 duplicate"),
])
def test_monthly_segments_errors_name_table_column_rows(change, message):
    with pytest.raises(ValidationError, match="usage") as err:
        monthly_segments(change(_usage()), bins=BINS, labels=LABELS)
    assert message in str(err.value)


def test_monthly_segments_rejects_bad_bins():
    with pytest.raises(ValueError, match="bins must increase"):
        monthly_segments(_usage(), bins=(0, 50, 10), labels=LABELS)
    with pytest.raises(ValueError, match="bins must increase"):
        monthly_segments(_usage(), bins=(0, 1), labels=LABELS)
    with pytest.raises(ValueError, match="gone_label"):
        monthly_segments(_usage(), bins=BINS, labels=("churned", "light", "heavy"))


def test_transition_matrix_counts_and_new_row():
    seg = monthly_segments(_usage(), bins=BINS, labels=LABELS)
    m = transition_matrix(seg, "2025-02-01", "2025-03-01")
    # a: light -> churned, b: heavy -> heavy, c: new -> heavy
    assert m.loc["light", "churned"] == 1
    assert m.loc["heavy", "heavy"] == 1
    assert m.loc["new", "heavy"] == 1
    assert m.to_numpy().sum() == 3
    assert "dormant" not in m.index  # empty rows are left out, not zero-filled
    share = transition_matrix(seg, "2025-01-01", "2025-03-01", normalize=True)
    np.testing.assert_allclose(share.sum(axis=1), 1.0)
    assert share.loc["heavy", "churned"] == 1.0


def test_transition_matrix_unknown_month():
    seg = monthly_segments(_usage(), bins=BINS, labels=LABELS)
    with pytest.raises(ValidationError, match="2024-12-01 not found in column 'month'"):
        transition_matrix(seg, "2024-12-01", "2025-03-01")


def test_transition_matrix_refuses_customers_that_vanish():
    seg = pd.DataFrame({"customer_id": ["a", "b", "b"], "month": pd.to_datetime(["2025-01-01"] * 2 + ["2025-02-01"]),
                        "segment": ["x", "x", "y"]})
    with pytest.raises(ValidationError, match="1 customer"):
        transition_matrix(seg, "2025-01-01", "2025-02-01")


def test_segment_shares_exclude_and_counts():
    seg = monthly_segments(_usage(), bins=BINS, labels=LABELS)
    shares = segment_shares(seg)
    march = shares.loc["2025-03-01"]
    assert march["heavy"] == 1.0 and march["n"] == 2 and march["n_excluded"] == 1
    jan = shares.loc["2025-01-01"]
    assert jan["dormant"] == 0.5 and jan["heavy"] == 0.5
    assert list(shares.columns[:3]) == list(LABELS)  # the segments' own order, not alphabetical
    everyone = segment_shares(seg, exclude=())
    assert everyone.loc["2025-03-01", "churned"] == pytest.approx(1 / 3)


def test_population_stability_by_hand():
    shares = pd.DataFrame({"a": [0.5, 0.6, 0.5], "b": [0.5, 0.4, 0.5], "n": [10, 10, 10]},
                          index=pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]))
    psi = population_stability(shares, "2025-01-01")
    expected = 0.1 * math.log(0.6 / 0.5) + (-0.1) * math.log(0.4 / 0.5)  # 0.04055
    assert psi.iloc[0] == 0 and psi.iloc[2] == 0
    assert psi.iloc[1] == pytest.approx(expected)
    assert psi.iloc[1] == pytest.approx(0.040546, abs=1e-6)
    with pytest.raises(ValidationError, match="reference month 2024-01-01"):
        population_stability(shares, "2024-01-01")


def test_assign_holdout_exact_size_reproducible_and_pure():
    data = pd.DataFrame({"customer_id": [f"C{i:03d}" for i in range(101)]})
    one = assign_holdout(data, fraction=0.2, random_state=7)
    two = assign_holdout(data, fraction=0.2, random_state=7)
    other = assign_holdout(data, fraction=0.2, random_state=8)
    assert (one["group"] == "hold_out").sum() == 20
    assert one["group"].tolist() == two["group"].tolist()
    assert one["group"].tolist() != other["group"].tolist()
    assert "group" not in data.columns
    with pytest.raises(ValueError, match="between 0 and 1"):
        assign_holdout(data, fraction=1.5)
    with pytest.raises(ValueError, match="leaves a group empty"):
        assign_holdout(data.head(2), fraction=0.1)


def _campaign(k1, n1, k0, n0):
    return pd.DataFrame({"group": ["campaign"] * n1 + ["hold_out"] * n0,
                         "kept": [True] * k1 + [False] * (n1 - k1) + [True] * k0 + [False] * (n0 - k0)})


def test_holdout_test_by_hand():
    r = holdout_test(_campaign(60, 100, 50, 100), outcome_col="kept").iloc[0]
    # se = sqrt(.6*.4/100 + .5*.5/100) = 0.07; z(97.5%) = 1.959964
    assert r["n_campaign"] == 100 and r["n_hold_out"] == 100
    assert r["difference"] == pytest.approx(0.1)
    assert r["ci_low"] == pytest.approx(0.1 - 1.959964 * 0.07, abs=1e-6)
    assert r["ci_high"] == pytest.approx(0.1 + 1.959964 * 0.07, abs=1e-6)
    assert r["lift"] == pytest.approx(1.2)
    narrow = holdout_test(_campaign(60, 100, 50, 100), outcome_col="kept", confidence=0.9).iloc[0]
    assert narrow["ci_high"] - narrow["ci_low"] < r["ci_high"] - r["ci_low"]
    assert narrow["ci_low"] == pytest.approx(0.1 - 1.644854 * 0.07, abs=1e-6)


def test_holdout_test_clear_interval_when_effect_is_large():
    r = holdout_test(_campaign(800, 1000, 500, 1000), outcome_col="kept").iloc[0]
    assert r["ci_low"] > 0


def test_holdout_test_errors():
    data = _campaign(6, 10, 5, 10)
    with pytest.raises(ValidationError, match="'kept' must be True/False; 1 of 20 rows"):
        holdout_test(data.assign(kept=[1] * 19 + [3]), outcome_col="kept")
    with pytest.raises(ValidationError, match="2 row\\(s\\) in neither"):
        holdout_test(data.assign(group=["x", "y"] + data["group"].tolist()[2:]), outcome_col="kept")
    with pytest.raises(ValidationError, match="group 'hold_out' is empty"):
        holdout_test(data[data["group"] == "campaign"], outcome_col="kept")
    with pytest.raises(ValidationError, match="'missing' not found in 20 rows"):
        holdout_test(data, outcome_col="missing")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4), st.integers(0, 120)), min_size=1, max_size=40))
def test_every_customer_month_is_kept_and_counted_once(rows):
    usage = pd.DataFrame(rows, columns=["cid", "m", "sessions"]).drop_duplicates(["cid", "m"])
    usage = usage.assign(customer_id=usage["cid"].map("C{}".format),
                         month=pd.to_datetime("2025-01-01") + pd.to_timedelta(usage["m"] * 31, unit="D"))
    usage["month"] = usage["month"].dt.to_period("M").dt.to_timestamp()
    usage = usage[["customer_id", "month", "sessions"]]
    seg = monthly_segments(usage, bins=BINS, labels=LABELS)
    merged = usage.merge(seg, on=["customer_id", "month"], how="left", suffixes=("", "_seg"))
    assert len(merged) == len(usage)
    assert (merged["sessions"] == merged["sessions_seg"]).all()
    assert (merged["segment"] != "churned").all()
    last = seg["month"].max()
    assert transition_matrix(seg, seg["month"].min(), last).to_numpy().sum() == (seg["month"] == last).sum()


def test_charts_return_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from segtools.plots.over_time import drift_chart, holdout_chart, segment_share_chart, transition_heatmap

    seg = monthly_segments(_usage(), bins=BINS, labels=LABELS)
    shares = segment_shares(seg)
    for ax in (transition_heatmap(data=transition_matrix(seg, "2025-01-01", "2025-03-01")),
               segment_share_chart(data=shares),
               drift_chart(data=population_stability(shares, "2025-01-01")),
               holdout_chart(data=holdout_test(_campaign(6, 10, 5, 10), outcome_col="kept"))):
        assert isinstance(ax, plt.Axes)
    plt.close("all")
    with pytest.raises(ValidationError):
        transition_heatmap(data=pd.DataFrame())
