"""Grades, tiers and MQL/SQL stages."""

import numpy as np
import pandas as pd
import pytest

from segtools.errors import ValidationError
from segtools.leads import grade_leads, grade_matrix, qualify_leads, tier_leads


def scores():
    return pd.DataFrame({"fit_score": [40, 30, 29, 15, 0, -1, 35, 10],
                         "engagement_score": [50, 40, 39.9, 20, 10, 0, 5, 45],
                         "score": [90, 70, 68.9, 35, 10, -1, 40, 55]})


def test_fixed_cuts_give_the_hand_computed_grades():
    g = grade_leads(scores(), fit_cuts=(30, 15, 0), engagement_cuts=(40, 20, 10))
    # fit: >=30 A, >=15 B, >=0 C, else D; engagement: >=40 1, >=20 2, >=10 3, else 4
    assert g["grade"].tolist() == ["A1", "A1", "B2", "B2", "C3", "D4", "A4", "C1"]
    assert g["fit_grade"].tolist() == ["A", "A", "B", "B", "C", "D", "A", "C"]
    assert g["engagement_level"].tolist() == [1, 1, 2, 2, 3, 4, 4, 1]


def test_default_cuts_are_quartiles():
    s = pd.DataFrame({"fit_score": np.arange(8.0), "engagement_score": np.arange(8.0)[::-1]})
    g = grade_leads(s)
    assert g["fit_grade"].value_counts().to_dict() == {"A": 2, "B": 2, "C": 2, "D": 2}
    assert g["grade"].tolist()[:2] == ["D1", "D1"]


def test_grading_returns_a_copy():
    s = scores()
    before = s.copy()
    grade_leads(s)
    pd.testing.assert_frame_equal(s, before)


def test_cuts_must_descend():
    with pytest.raises(ValueError, match="descending"):
        grade_leads(scores(), fit_cuts=(0, 15, 30))


def test_missing_scores_are_refused():
    s = scores()
    s.loc[2, "fit_score"] = np.nan
    with pytest.raises(ValidationError, match="1 missing values in 8 rows"):
        grade_leads(s)


def test_grade_matrix_has_all_sixteen_cells_and_hand_computed_rates():
    g = grade_leads(scores(), fit_cuts=(30, 15, 0), engagement_cuts=(40, 20, 10))
    m = grade_matrix(g, [True, False, True, True, False, False, False, True])
    assert len(m) == 16 and m["leads"].sum() == 8
    a1 = m.query("fit_grade == 'A' and engagement_level == 1").iloc[0]
    assert (a1["leads"], a1["conversions"], a1["rate"]) == (2, 1, 0.5)
    b2 = m.query("fit_grade == 'B' and engagement_level == 2").iloc[0]
    assert b2["rate"] == 1.0
    assert m.query("leads == 0")["rate"].isna().all()
    with pytest.raises(ValueError, match="3 values for 8 rows"):
        grade_matrix(g, [True, False, True])


def test_tiers_follow_the_configured_grades():
    g = pd.DataFrame({"grade": ["A1", "A2", "B2", "C4", "D1"]})
    assert tier_leads(g)["tier"].tolist() == ["hot", "hot", "warm", "cold", "cold"]
    assert tier_leads(g, hot=["D1"], warm=["A1"])["tier"].tolist() == ["warm", "cold", "cold", "cold", "hot"]
    with pytest.raises(ValueError, match="both hot and warm"):
        tier_leads(g, hot=["A1"], warm=["A1"])


def test_mql_and_sql_thresholds():
    q = qualify_leads(scores(), mql=35, sql=60)
    assert q["stage"].tolist() == ["SQL", "SQL", "SQL", "MQL", "lead", "lead", "MQL", "MQL"]
    q = qualify_leads(scores(), mql=35, sql=50, sql_min_fit=20)
    # the 55-point lead has fit 10: active but not a fit, so it stays MQL
    assert q["stage"].tolist()[-1] == "MQL"
    with pytest.raises(ValueError, match="below the MQL"):
        qualify_leads(scores(), mql=50, sql=40)
