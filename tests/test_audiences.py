"""segtools.audiences: each tool's segment, with edge cases and counts."""

import pandas as pd
import pytest

from segtools import NO_SEGMENT
from segtools.data.safe_csv import neutralise_formulas
from segtools.audiences import (ActiveList, audience_counts, condition_mask, contact_scores, email_segment,
                                event_segment, lifestyle_enrichment, needs_segments, set_dummies, social_audience, static_list, tag_table, to_crm_csv)
from segtools.data import load_case


@pytest.fixture(scope="module")
def retail():
    return load_case("retail")


@pytest.fixture
def people():
    return pd.DataFrame({"customer_id": ["A", "B", "C", "D"], "email": ["a@x.nl", "b@x.nl", None, "d@x.nl"],
                         "age": [22, 45, 30, None], "country": ["Spain", "Italy", "Spain", "Spain"],
                         "recency": [5, 200, 40, 10]})


def test_condition_mask_all_any_and_missing_values(people):
    assert condition_mask(people, ["age < 35", "country == 'Spain'"]).tolist() == [True, False, True, False]
    assert condition_mask(people, ["age > 40", "recency <= 10"], match="any").tolist() == [True, True, False, True]
    with pytest.raises(ValueError):
        condition_mask(people, ["age < 3"], match="some")
    with pytest.raises(ValueError):
        condition_mask(people, [])
    with pytest.raises(TypeError):
        condition_mask(people, [3])


def test_active_list_follows_the_data_while_a_static_list_stays(people):
    later = people.assign(recency=[300, 1, 400, 2])
    active = ActiveList(["recency <= 30"])
    frozen = static_list(people, ["recency <= 30"], snapshot_date="2025-07-01")
    assert active.members(people) == ["A", "D"] and active.members(later) == ["B", "D"]
    assert frozen["customer_id"].tolist() == ["A", "D"]
    assert (frozen["added_on"] == pd.Timestamp("2025-07-01")).all()
    with pytest.raises(ValueError):
        static_list(people, "recency <= 30", snapshot_date=None)
    with pytest.raises(ValueError):
        ActiveList("recency <= 30", match="none")


def test_event_segment_counts_only_the_window_before_the_snapshot():
    events = pd.DataFrame({"customer_id": ["A", "A", "B", "C", "D"], "page": ["pricing", "home", "pricing",
                                                                              "pricing", "pricing"],
                           "date": pd.to_datetime(["2025-12-31", "2025-12-25", "2025-12-02", "2025-12-01",
                                                   "2026-01-01"])})
    seg = event_segment(events, snapshot_date="2026-01-01", days=30)
    assert seg["customer_id"].tolist() == ["A", "B"] and seg["events"].tolist() == [2, 1]
    pricing = event_segment(events, snapshot_date="2026-01-01", days=30, conditions="page == 'pricing'")
    assert pricing["events"].tolist() == [1, 1]
    assert event_segment(events, snapshot_date="2026-01-01", days=30, min_events=2)["customer_id"].tolist() == ["A"]
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError):
            event_segment(events, snapshot_date="2026-01-01", days=bad)


def test_contact_scores_reuse_the_rule_scorer_and_list_above_a_threshold():
    from segtools.leads import RuleScorer

    case = load_case("startup")
    scores = contact_scores(case.leads, "startup", snapshot_date=case.snapshot_date, half_life=30, min_score=40)
    expected = RuleScorer("startup", half_life=30, snapshot_date=case.snapshot_date).fit(case.leads)
    pd.testing.assert_series_equal(scores["score"], expected.transform(case.leads)["score"])
    assert scores["in_list"].sum() == (scores["score"] >= 40).sum() > 0
    assert not contact_scores(case.leads, "startup", snapshot_date=case.snapshot_date)["in_list"].any()


def test_email_segment_takes_one_to_five_conditions(people):
    assert email_segment(people, "country == 'Spain'")["customer_id"].tolist() == ["A", "C", "D"]
    with pytest.raises(ValueError):
        email_segment(people, [])
    with pytest.raises(ValueError):
        email_segment(people, ["age > 1"] * 6)
    assert len(email_segment(people, ["age > 1"] * 5)) == 3
    with pytest.raises(ValueError):
        email_segment(people, "age > 1", email_col="mail")


def test_tag_table_counts_untagged_and_missing_addresses(people):
    t = tag_table(people, {"spain": "country == 'Spain'", "recent": ["recency <= 10"]})
    assert t.to_dict("records") == [{"email": "a@x.nl", "tags": "spain, recent"},
                                    {"email": "d@x.nl", "tags": "spain, recent"}]
    assert t.attrs == {"untagged": 1, "without_email": 1}
    with pytest.raises(ValueError):
        tag_table(people, {})


def test_crm_csv_neutralises_formulas_and_leaves_input_alone(tmp_path):
    frame = pd.DataFrame({"email": ["=cmd|' /C calc'!A0", "ok@x.nl"], "amount": [-1.5, 2.0]})
    before = frame.copy()
    path = to_crm_csv(frame, tmp_path / "out" / "tags.csv")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("'=") and "-1.5" in text and "\r" not in text
    pd.testing.assert_frame_equal(frame, before)
    with pytest.raises(TypeError):
        neutralise_formulas([1, 2])


def test_lifestyle_enrichment_counts_matches_cost_and_keeps_unmatched(retail):
    profiles, codes = retail.tables["profiles"], retail.tables["lifestyle_codes"]
    e = lifestyle_enrichment(profiles, codes, snapshot_date=retail.snapshot_date)
    matched = profiles["postcode"].isin(codes["postcode"]).sum()
    assert len(e.table) == len(profiles) and e.value("matched") == matched
    assert e.value("unmatched") == len(e.unmatched) == len(profiles) - matched
    assert (e.table["lifestyle_group"] == NO_SEGMENT).sum() == len(e.unmatched)
    assert e.value("cost") == pytest.approx(matched * codes["cost_per_record"].iloc[0])
    assert set(e.risks["risk"]) == {"no code", "stale code", "area, not person", "consent and privacy"}
    with pytest.raises(ValueError):
        lifestyle_enrichment(profiles, pd.concat([codes, codes.head(1)]), snapshot_date=retail.snapshot_date)
    with pytest.raises(ValueError):
        lifestyle_enrichment(profiles, codes.drop(columns="cost_per_record"), snapshot_date=retail.snapshot_date)


def test_social_audience_per_segment(retail):
    segments = retail.answer_key["customers"]
    table = social_audience(retail.tables["profiles"], segments.head(2900))
    assert table["customers"].sum() == len(retail.tables["profiles"]) and table.loc[NO_SEGMENT, "customers"] == 100
    assert table.loc["trendy_young", "main_device"] == "mobile"
    assert table["follows_share"].between(0, 1).all()
    counts = audience_counts(retail.tables["profiles"], segments, field="device")
    assert counts.to_numpy().sum() == len(segments)
    with pytest.raises(ValueError):
        audience_counts(retail.tables["profiles"], segments, field="shoe_size")


def test_set_dummies_splits_sets():
    df = pd.DataFrame({"customer_id": ["A", "B", "C"], "integrations": ["slack;jira", "none", "jira"]})
    out = set_dummies(df, set_col="integrations")
    assert list(out.columns) == ["customer_id", "jira", "slack"] and out["jira"].sum() == 2


def test_needs_segments_leave_non_respondents_without_a_segment(retail):
    survey = retail.tables["survey"]
    result = needs_segments(survey, retail.customers, n_clusters=3)
    assert len(result.labels) == len(retail.customers)
    assert (result.labels["segment"] != NO_SEGMENT).sum() == len(survey)
    assert result.share_answered == pytest.approx(len(survey) / len(retail.customers))
    assert result.profile["respondents"].sum() == len(survey) and len(result.profile) == 3
    assert "price_first" in result.profile.index
    with pytest.raises(ValueError):
        needs_segments(pd.concat([survey, survey.head(1)]), retail.customers)
