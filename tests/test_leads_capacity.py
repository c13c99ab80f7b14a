"""Prioritisation under capacity, against a hand-computed example."""

import numpy as np
import pandas as pd
import pytest

from segtools.errors import ValidationError
from segtools.leads import call_list, capacity_table, follow_up


def leads():
    # Week of Mon 2025-01-06: a, b, c; week of Mon 2025-01-13: d, e.
    return pd.DataFrame({
        "lead_id": ["a", "b", "c", "d", "e"],
        "created_at": pd.to_datetime(["2025-01-06", "2025-01-07", "2025-01-08", "2025-01-13", "2025-01-19"]),
        "p": [0.9, 0.2, 0.5, 0.1, 0.6],
        "won": [True, False, True, False, False],
        "deal_value": [100.0, np.nan, 300.0, np.nan, np.nan],
    })


def test_follow_up_per_week():
    df = leads()
    assert follow_up(df, "p", 1, strategy="score").tolist() == [True, False, False, False, True]
    assert follow_up(df, "p", 1, strategy="fcfs").tolist() == [True, False, False, True, False]
    assert follow_up(df, "p", 2, strategy="score").tolist() == [True, False, True, True, True]
    picked = follow_up(df, "p", 1, strategy="random", random_state=3)
    assert picked.sum() == 2 and picked.iloc[:3].sum() == 1


def test_capacity_table_by_hand():
    t = capacity_table(leads(), "p", "won", [1, 2], value=200.0, revenue="deal_value").set_index(
        ["capacity", "strategy"])
    # capacity 1: score calls a (week 1) and e (week 2): expected 0.9 + 0.6, actual 1, revenue 100
    assert t.loc[(1, "score")].tolist() == pytest.approx([2, 1.5, 1, 300.0, 100.0])
    # first come first served calls a and d: expected 1.0, actual 1
    assert t.loc[(1, "fcfs")].tolist() == pytest.approx([2, 1.0, 1, 200.0, 100.0])
    # random, on average: week 1 mean p 1.6/3, mean won 2/3, mean revenue 400/3; week 2 0.35, 0, 0
    assert t.loc[(1, "random")].tolist() == pytest.approx([2, 1.6 / 3 + 0.35, 2 / 3, 200 * (1.6 / 3 + 0.35),
                                                           400 / 3])
    # capacity 2: score calls a, c, d, e -> actual 2, revenue 400
    assert t.loc[(2, "score")].tolist() == pytest.approx([4, 2.1, 2, 420.0, 400.0])
    assert t.loc[(2, "random")]["conversions"] == pytest.approx(2 * 2 / 3)


def test_more_capacity_than_leads_calls_everyone():
    t = capacity_table(leads(), "p", "won", [10])
    assert (t["followed_up"] == 5).all()
    assert np.allclose(t["conversions"], 2) and np.allclose(t["expected_conversions"], 2.3)
    assert t["revenue"].isna().all()  # no revenue column given: unknown, not zero


def test_call_list_ranks_by_probability():
    c = call_list(leads(), "p", capacity=3, value="deal_value")
    assert c["lead_id"].tolist() == ["a", "e", "c"]
    assert c["cum_expected_conversions"].round(6).tolist() == [0.9, 1.5, 2.0]
    assert c["expected_value"].iloc[0] == pytest.approx(90.0)


def test_bad_input():
    df = leads()
    with pytest.raises(ValidationError, match="4 values for 5 rows"):
        capacity_table(df, [0.1, 0.2, 0.3, 0.4], "won", [1])
    df.loc[1, "created_at"] = pd.NaT
    with pytest.raises(ValidationError, match=r"'leads', column 'created_at': 1 of 5 rows are missing \(row labels 1\)"):
        follow_up(df, "p", 1)
    with pytest.raises(ValueError, match="capacity"):
        call_list(leads(), "p", -1)
