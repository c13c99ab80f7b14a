"""Segment conversion rates with Wilson intervals."""

import math

import numpy as np
import pandas as pd
import pytest

from segtools.errors import ValidationError
from segtools.leads import segment_conversion, wilson_interval


def wilson_by_hand(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.mark.parametrize("k, n", [(3, 12), (0, 10), (10, 10), (45, 400)])
def test_wilson_matches_the_formula(k, n):
    low, high = wilson_interval(k, n)
    assert (float(low), float(high)) == pytest.approx(wilson_by_hand(k, n))
    assert 0 <= low <= k / n <= high <= 1


def test_wilson_known_value_and_edge_cases():
    low, high = wilson_interval(3, 12)
    assert (round(float(low), 4), round(float(high), 4)) == (0.0889, 0.5323)
    assert float(wilson_interval(0, 10)[0]) == pytest.approx(0.0, abs=1e-12)
    low, high = wilson_interval(0, 0)
    assert np.isnan(low) and np.isnan(high)
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


def test_segments_count_every_lead_and_flag_small_ones():
    leads = pd.DataFrame({
        "industry": pd.array(["a"] * 50 + ["b"] * 8 + [None] * 2, dtype="str"),
        "size": ["big"] * 30 + ["small"] * 30,
        "converted": [True] * 10 + [False] * 40 + [True] * 4 + [False] * 4 + [False, True],
    })
    t = segment_conversion(leads, "industry", min_leads=30)
    assert t["leads"].sum() == 60
    row = t.set_index("industry").loc["b"]
    assert (row["leads"], row["conversions"], row["rate"], row["too_small"]) == (8, 4, 0.5, True)
    assert "(missing)" in set(t["industry"])
    assert t.set_index("industry").loc["a", "too_small"] == np.False_
    both = segment_conversion(leads, ["industry", "size"], min_leads=5, max_width=0.5)
    assert both["leads"].sum() == 60
    # 30 "a"/big leads, 10 converted: the interval is narrower than 0.5, so it is judged
    ab = both.set_index(["industry", "size"]).loc[("a", "big")]
    assert (ab["leads"], ab["conversions"], ab["too_small"]) == (30, 10, False)


def test_bad_input():
    leads = pd.DataFrame({"industry": ["a", "b"], "converted": [True, None]})
    with pytest.raises(ValidationError, match="1 missing values in 2 rows"):
        segment_conversion(leads, "industry")
    with pytest.raises(ValidationError, match="'region'"):
        segment_conversion(leads, "region")
