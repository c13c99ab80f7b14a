"""Rule-based lead scoring: points, caps, missing values, decay, explanations, errors."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segtools.data import WORLDS, load_case
from segtools.errors import ValidationError
from segtools.leads import RuleScorer, decay_factor, default_points, points_table, rule_scores
from segtools.leads.reference import score_rowwise

SNAPSHOT_DATE = pd.Timestamp("2026-01-01")

TABLE = [
    {"score": "fit", "group": "size", "column": "company_size", "op": ">=", "value": 50, "points": 10},
    {"score": "fit", "group": "size", "column": "company_size", "op": "missing", "value": None, "points": -2},
    {"score": "fit", "group": "role", "column": "role", "op": "==", "value": "student", "points": -20},
    {"score": "fit", "group": "industry", "column": "industry", "op": "in", "value": ["software", "finance"],
     "points": 5},
    {"score": "engagement", "group": "email", "column": "email_opens", "op": ">=", "value": 1, "points": 4, "cap": 8},
    {"score": "engagement", "group": "email", "column": "email_clicks", "op": "between", "value": [1, 3],
     "points": 6, "cap": 8},
    {"score": "engagement", "group": "demo", "column": "demo_requested", "op": "==", "value": True, "points": 20},
]


def small_leads():
    return pd.DataFrame({
        "lead_id": ["L1", "L2", "L3", "L4"],
        "company_size": [120.0, np.nan, 50.0, 10.0],
        "role": pd.array(["founder", "student", None, "student"], dtype="str"),
        "industry": pd.array(["software", "retail", "finance", None], dtype="str"),
        "email_opens": [3, 0, 1, 0],
        "email_clicks": [3, 0, 4, 1],
        "demo_requested": [True, False, False, True],
        "last_activity_at": pd.to_datetime(["2026-01-01", "2025-12-22", "2025-12-12", None]),
    })


def test_scores_match_a_hand_computed_example():
    scores = rule_scores(small_leads(), TABLE)
    # L1: size 10 + industry 5 = 15 fit; email 4 + 6 = 10 capped at 8, demo 20 -> 28.
    # L2: size missing -2, student -20 = -22; no engagement.
    # L3: size 10 (50 >= 50), role missing fires nothing, industry 5 = 15; opens 4, clicks 4 outside 1..3 -> 4.
    # L4: student -20, industry missing fires nothing = -20; clicks 6, demo 20 = 26.
    assert scores["fit_score"].tolist() == [15, -22, 15, -20]
    assert scores["engagement_score"].tolist() == [28, 0, 4, 26]
    assert scores["score"].tolist() == [43, -22, 19, 6]
    assert scores["lead_id"].tolist() == ["L1", "L2", "L3", "L4"]


def test_decay_halves_engagement_every_half_life():
    scores = RuleScorer(TABLE, half_life=10, snapshot_date=SNAPSHOT_DATE).fit(small_leads()).transform(small_leads())
    # Last activity 0, 10 and 20 days before snapshot_date; L4 has no activity date -> factor 0.
    assert scores["decay"].tolist() == [1.0, 0.5, 0.25, 0.0]
    assert scores["engagement_score"].tolist() == [28, 0, 1, 0]
    assert scores["score"].tolist() == [43, -22, 16, -20]


def test_decay_factor_counts_future_activity_fully():
    last = pd.Series(pd.to_datetime(["2026-01-11", "2025-12-02"]))
    assert decay_factor(last, SNAPSHOT_DATE, 30).round(6).tolist() == [1.0, 0.5]
    with pytest.raises(ValueError, match="half_life"):
        decay_factor(last, SNAPSHOT_DATE, 0)


def test_explanation_lists_fired_rules_and_sums_to_the_score():
    leads = small_leads()
    scorer = RuleScorer(TABLE, half_life=10, snapshot_date=SNAPSHOT_DATE).fit(leads)
    why = scorer.explain(leads)
    l1 = why[why["lead"] == "L1"]
    assert set(l1["rule"]) == {"company_size >= 50", "industry in software|finance", "email_opens >= 1",
                               "email_clicks between 1|3", "demo_requested == True", "cap on email"}
    assert l1.loc[l1["rule"] == "cap on email", "points"].item() == -2
    totals = why.groupby("lead")["counted"].sum()
    scores = scorer.transform(leads).set_index("lead_id")["score"]
    assert np.allclose(totals.reindex(scores.index, fill_value=0), scores)


def test_scoring_does_not_change_its_input():
    leads = small_leads()
    before = leads.copy()
    RuleScorer(TABLE, half_life=10, snapshot_date=SNAPSHOT_DATE).fit(leads).explain(leads)
    rule_scores(leads, TABLE)
    pd.testing.assert_frame_equal(leads, before)


def test_points_table_loads_from_csv_and_yaml(tmp_path):
    leads = small_leads()
    csv = tmp_path / "points.csv"
    table = pd.DataFrame(TABLE)
    table["value"] = ["50", "", "student", "software|finance", "1", "1|3", "true"]
    table.to_csv(csv, index=False)
    yaml_path = tmp_path / "points.yaml"
    import yaml

    yaml_path.write_text(yaml.safe_dump(TABLE), encoding="utf-8")
    expected = rule_scores(leads, TABLE)["score"]
    assert rule_scores(leads, str(csv))["score"].tolist() == expected.tolist()
    assert rule_scores(leads, str(yaml_path))["score"].tolist() == expected.tolist()


def test_unknown_column_names_table_column_and_rows():
    with pytest.raises(ValidationError, match=r"leads: column\(s\) 'company_size' not found in 2 rows") as err:
        rule_scores(small_leads().drop(columns="company_size").head(2), TABLE)
    assert err.value.table == "leads"


@pytest.mark.parametrize("change, message", [
    ({"op": "~"}, "op must be one of"),
    ({"score": "vibes"}, "score must be fit or engagement"),
    ({"points": "many"}, "'points' is not a number"),
    ({"op": "between", "value": [1, 2, 3]}, "between needs two values"),
])
def test_bad_points_tables_are_refused(change, message):
    with pytest.raises(ValidationError, match=message):
        points_table([{**TABLE[0], **change}])


def test_a_group_with_two_caps_is_refused():
    rows = [dict(TABLE[4], cap=8), dict(TABLE[5], cap=9)]
    with pytest.raises(ValidationError, match="more than one cap"):
        points_table(rows)


def test_half_life_needs_a_scoring_date():
    with pytest.raises(ValueError, match="snapshot_date"):
        RuleScorer(TABLE, half_life=30).fit(small_leads())


def test_points_table_is_required():
    with pytest.raises(ValueError, match="give a points table"):
        RuleScorer().fit(small_leads())


@pytest.mark.parametrize("world", WORLDS)
def test_default_tables_agree_with_the_row_by_row_reference(world):
    case = load_case(world)
    leads = case.leads.iloc[::20]
    fast = RuleScorer(default_points(world), half_life=30, snapshot_date=case.snapshot_date).fit(leads).transform(leads)["score"]
    slow = score_rowwise(leads, default_points(world), half_life=30, snapshot_date=case.snapshot_date)
    assert np.allclose(fast, slow)
    assert fast.std() > 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.floats(-5, 200, allow_nan=False)),
                          st.sampled_from(["founder", "student", "software", None]),
                          st.integers(0, 6), st.booleans(), st.integers(-40, 400)),
                min_size=1, max_size=30),
       st.sampled_from([None, 7.0, 30.0]))
def test_vectorised_scores_equal_row_by_row_scores(rows, half_life):
    leads = pd.DataFrame({
        "company_size": [r[0] if r[0] is not None else math.nan for r in rows],
        "role": pd.array([r[1] for r in rows], dtype="str"),
        "industry": pd.array([r[1] for r in rows], dtype="str"),
        "email_opens": [r[2] for r in rows], "email_clicks": [r[2] // 2 for r in rows],
        "demo_requested": [r[3] for r in rows],
        "last_activity_at": SNAPSHOT_DATE - pd.to_timedelta([r[4] for r in rows], unit="D"),
    })
    fast = RuleScorer(TABLE, half_life=half_life, snapshot_date=SNAPSHOT_DATE).fit(leads).transform(leads)["score"]
    slow = score_rowwise(leads, TABLE, half_life=half_life, snapshot_date=SNAPSHOT_DATE)
    assert np.allclose(fast, slow)
