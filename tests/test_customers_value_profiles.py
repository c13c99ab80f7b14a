"""Value tiers, the Pareto view, segment profiles and their descriptions."""

import numpy as np
import pandas as pd
import pytest

from segtools.customers import (describe_segments, pareto_table, revenue_share_of_top, segment_profile,
                                value_tiers)


@pytest.fixture
def base():
    return pd.DataFrame({"monetary": [500.0, 20.0, 80.0, 10.0, 40.0, 40.0, 5.0, 100.0, 60.0, 35.0]},
                        index=[f"C{i}" for i in range(10)])


def test_value_tiers_by_hand(base):
    tiers = value_tiers(base)
    # ranked: C0 500, C7 100 | C2 80, C8 60, C4 40 | C5 40, C9 35, C1 20, C3 10, C6 5
    assert tiers[tiers == "Top 20%"].index.tolist() == ["C0", "C7"]
    assert tiers[tiers == "Next 30%"].index.tolist() == ["C2", "C4", "C8"]  # tie 40: C4 before C5
    assert (tiers == "Bottom 50%").sum() == 5
    with pytest.raises(ValueError, match="add up to 1"):
        value_tiers(base, shares=(0.5, 0.4), labels=("a", "b"))


def test_pareto_by_hand(base):
    table = pareto_table(base)
    assert table["customer_share"].iloc[1] == 0.2
    assert table["revenue_share"].iloc[1] == pytest.approx(600 / 890)
    assert table["revenue_share"].iloc[-1] == pytest.approx(1.0)
    assert revenue_share_of_top(base, top=0.2) == pytest.approx(600 / 890)


def test_profile_by_hand_and_no_mutation():
    d = pd.DataFrame({"monetary": [10.0, 30.0, 100.0, 60.0], "style": ["a", "a", "b", "a"],
                      "seg": ["low", "low", "high", None]})
    before = d.copy()
    p = segment_profile(d, "seg")
    pd.testing.assert_frame_equal(d, before)
    assert p.index.tolist() == ["(no segment)", "high", "low"]  # nothing dropped
    assert p["customers"].sum() == 4
    assert p.loc["low", "revenue_share"] == pytest.approx(0.2)
    assert p.loc["low", "monetary"] == 20.0 and p.loc["low", "monetary_lift"] == pytest.approx(20 / 50)
    # the base's most common style is "a" (3 of 4): its share is reported in every row, never the row's own top
    assert p.attrs["levels"] == {"style": "a"}
    assert p.loc["high", "style=a_share"] == 0.0 and p.loc["low", "style=a_share"] == 1.0
    assert p.loc["low", "style=a_lift"] == pytest.approx(1 / 0.75)
    med = segment_profile(d, "seg", ["monetary"], stat="median")
    assert med.loc["low", "monetary_lift"] == pytest.approx(20 / 45)


def test_profile_keeps_category_order_and_describes():
    d = pd.DataFrame({"monetary": [1.0, 2.0, 30.0], "frequency": [1, 1, 9]})
    seg = pd.Series(pd.Categorical(["small", "small", "big"], categories=["big", "small", "unused"]))
    p = segment_profile(d, seg)
    assert p.index.tolist() == ["big", "small"]
    text = describe_segments(p)
    assert text["big"].startswith("big: 1 customers (33% of customers, 91% of revenue)")
    assert "frequency 9 (2.5x the base)" in text["big"]


def test_category_columns_report_one_fixed_level_in_every_row():
    # the trainer's case: members are 69 %, 45 % and 23 % of three segments; a table that reported the share of
    # each row's most common value would read 0.69 / 0.55 / 0.77 and mix members with non-members
    member = [True] * 69 + [False] * 31 + [True] * 45 + [False] * 55 + [True] * 23 + [False] * 77
    seg = ["top"] * 100 + ["mid"] * 100 + ["low"] * 100
    d = pd.DataFrame({"member": member, "style": (["x"] * 10 + ["y"] * 90) * 3, "seg": seg, "monetary": 1.0})
    p = segment_profile(d, "seg", ["member", "style"])
    assert p["member=True_share"].round(2).to_dict() == {"low": 0.23, "mid": 0.45, "top": 0.69}
    assert p.loc["top", "member=True_lift"] == pytest.approx(0.69 / (137 / 300))
    assert "member" not in p.columns and p.attrs["levels"] == {"member": True, "style": "y"}
    named = segment_profile(d, "seg", ["style"], levels={"style": "x"})
    assert named["style=x_share"].tolist() == [0.1, 0.1, 0.1]
    with pytest.raises(ValueError, match="does not occur"):
        segment_profile(d, "seg", ["style"], levels={"style": "z"})
    with pytest.raises(ValueError, match="not profiled"):
        segment_profile(d, "seg", ["style"], levels={"colour": "x"})
    assert "69% with member=True" in describe_segments(p)["top"]
