"""The lead report on generated files with the traps of real exports.

An outcome under another name, a near-perfect sales status column, a yes/no text outcome,
tied scores at the capacity boundary, and a file without dates.
"""

import json

import numpy as np
import pandas as pd
import pytest

from segtools.errors import ValidationError
from segtools.leads import (
    LeadScorer,
    call_list,
    capacity_table,
    grade_leads,
    lead_features,
    leak_alarm,
)
from segtools.leads.history import learn_from_history, learned_points_table, outcome_of
from segtools.leads.suggest import suggest_points, write_points
from segtools.reporting import build_report
from segtools.reporting.lead_table import lead_priorities


def _leads(n=800, seed=3, dates=True):
    """Leads whose conversion depends on page views and industry, plus the traps."""
    rng = np.random.default_rng(seed)
    views = rng.poisson(4, n)
    industry = rng.choice(["software", "retail", "finance"], n)
    logit = -2.2 + 0.3 * views + np.where(industry == "software", 0.8, 0.0)
    won = rng.random(n) < 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame({"Lead Number": [f"X{i:05d}" for i in range(n)], "Page Views": views,
                          "Industry": industry, "Converted": np.where(won, "Yes", "no"),
                          "Won flag": np.where(won, "Y", "N"),
                          "Current Status": np.where(won ^ (rng.random(n) < 0.03), "Closed - revert", "Ringing"),
                          "Call Minutes": np.round(rng.gamma(2, 2, n) + 4 * won, 1)})
    if dates:
        frame["Created"] = pd.date_range("2024-01-01", periods=n, freq="12h").strftime("%Y-%m-%d")
    return frame


def _mapping(path, dates=True):
    created = ", Created: created_at" if dates else ""
    path.write_text("tables:\n  leads:\n    columns: {Lead Number: lead_id, Converted: converted" + created + "}\n"
                    "    post_outcome: [call minutes]\n", encoding="utf-8")
    return path


def test_outcome_words_are_read_in_any_case_and_others_refused():
    assert outcome_of(pd.DataFrame({"y": ["YES", "no", "Y", "n", "True", "0"]}), "y").tolist() == \
        [True, False, True, False, True, False]
    with pytest.raises(ValueError, match="'maybe'"):
        outcome_of(pd.DataFrame({"y": ["yes", "maybe"]}), "y")


def test_leak_alarm_names_the_copy_the_status_and_the_declared_column():
    leads = _leads()
    alarm = leak_alarm(leads, "Converted", post_outcome=["CALL minutes"], exclude=("Lead Number",)).set_index("column")
    assert alarm.loc["Won flag", "reason"] == "outcome copy"
    assert alarm.loc["Current Status", "reason"] in ("separates alone", "nearly pure levels")
    assert alarm.loc["Call Minutes", "reason"] == "post-outcome"
    assert "Page Views" not in alarm.index and "Industry" not in alarm.index


def test_lead_features_drops_flagged_columns_unless_kept():
    leads = _leads()
    X = lead_features(leads, outcome_col="Converted", post_outcome=["call_minutes"])
    assert {"Won flag", "Current Status", "Call Minutes", "Converted"}.isdisjoint(X.columns)
    kept = lead_features(leads, outcome_col="Converted", keep_flagged=["current status"])
    assert "Current Status" in kept.columns and "Won flag" not in kept.columns


def test_lead_scorer_refuses_a_flagged_column_and_keeps_it_when_asked():
    leads = _leads()
    y = outcome_of(leads, "Converted").to_numpy(dtype=bool)
    X = leads[["Page Views", "Industry", "Current Status"]]
    with pytest.raises(ValidationError, match="Current Status"):
        LeadScorer(cv=2).fit(X, y)
    assert LeadScorer(cv=2, keep_flagged=["Current Status"]).fit(X, y).features_ == list(X.columns)


def test_history_with_dates_uses_a_time_split_and_without_dates_cross_validation():
    leads = _leads().rename(columns={"Converted": "converted"})
    leads["created_at"] = pd.to_datetime(leads.pop("Created"))
    timed = learn_from_history(leads, post_outcome=["Call Minutes"])
    assert timed.method.startswith("time-ordered split")
    undated = learn_from_history(leads.drop(columns="created_at"), post_outcome=["Call Minutes"])
    assert undated.method.startswith("5-fold cross-validation")
    assert 0.6 < undated.measures.iloc[0]["roc_auc"] < 0.95  # no leak: not near 1


def test_report_learns_from_a_text_outcome_and_names_its_leaks(tmp_path):
    path = tmp_path / "education_leads.csv"
    _leads().to_csv(path, index=False)
    report = build_report(leads=path, mapping=_mapping(tmp_path / "m.yml"), sections=("leads",), capacity=50,
                          out=tmp_path / "out")
    assert report.title == "education_leads"
    measures = report.tables["how well it ranks"]
    assert 0.6 < measures.loc["model", "roc_auc"] < 0.95
    alarm = report.tables["leak alarm"]
    assert {"Won flag", "Current Status", "Call Minutes"} <= set(alarm.index)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert {r["column"] for r in summary["sizes"]["leak_alarm"]} >= {"Won flag", "Current Status"}
    assert summary["sizes"]["ranked_by"] == "calibrated probability"
    assert "gains and lift" in report.tables and "calibration" in report.tables
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["lead_priorities.csv", "suggested_points.yml",
                                                                     "summary.json"]
    files_text = "\n".join(t for s, k, t in report.layout if s == "files" and k == "markdown")
    assert "customer_segments.csv" not in files_text


def test_report_without_dates_says_no_decay_and_shows_no_nan(tmp_path):
    path = tmp_path / "leads.csv"
    _leads(dates=False).to_csv(path, index=False)
    report = build_report(leads=path, mapping=_mapping(tmp_path / "m.yml", dates=False), sections=("leads",),
                          snapshot_date="2025-01-01")
    text = "\n".join(t for s, k, t in report.layout if k == "markdown")
    assert "half-life" not in text
    assert "cross-validation" in text
    for name, table in report.tables.items():
        shown = table.astype(str)
        assert not shown.isin(["nan", "<NA>", "NaN", "None"]).any().any(), name


def test_report_without_outcome_says_it_cannot_measure_itself(tmp_path):
    path = tmp_path / "leads.csv"
    _leads().drop(columns="Converted").to_csv(path, index=False)
    mapping = tmp_path / "m.yml"
    mapping.write_text("tables:\n  leads:\n    columns: {Lead Number: lead_id, Page Views: page_views}\n")
    report = build_report(leads=path, mapping=mapping, sections=("leads",), snapshot_date="2025-01-01")
    assert "cannot measure" in report.notes["cannot measure"]
    assert report.summary["sizes"]["ranked_by"] == "rule points"


def test_ties_at_the_capacity_boundary_are_counted_and_broken_at_random():
    leads = pd.DataFrame({"lead_id": [f"L{i:03d}" for i in range(100)],
                          "page_views": [20] * 10 + [5] * 60 + [0] * 30})
    pri = lead_priorities(leads, points=[{"score": "engagement", "group": "web", "column": "page_views",
                                          "op": ">=", "value": 3, "points": 5}], snapshot_date="2025-01-01",
                          capacity=30)
    assert pri.attrs["ties"]["tied"] == 70 and pri.attrs["ties"]["called"] == 30
    called = pri.loc[pri["call_this_period"], "lead_id"]
    assert called.tolist() != sorted(called)[:30] or called.max() > "L029"  # not the first ids
    again = lead_priorities(leads, points=[{"score": "engagement", "group": "web", "column": "page_views",
                                            "op": ">=", "value": 3, "points": 5}], snapshot_date="2025-01-01",
                            capacity=30)
    assert again["call_this_period"].equals(pri["call_this_period"])  # seeded: reproducible
    graded = grade_leads(pd.DataFrame({"fit_score": [0.0] * 100, "engagement_score": [5.0] * 70 + [0.0] * 30}))
    assert graded["grade"].str[0].nunique() == 1 and graded["grade"].str[0].iloc[0] != "A"


def test_call_list_refuses_points_as_probabilities_and_breaks_ties_by_a_key():
    leads = pd.DataFrame({"lead_id": ["a", "b", "c"], "pts": [40.0, 10.0, 10.0], "recent": [1, 2, 3]})
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        call_list(leads, "pts", 2)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        capacity_table(leads.assign(created_at=pd.Timestamp("2025-01-06"), won=True), "pts", "won", [1])
    calls = call_list(leads, "pts", 2, kind="points", tie_break="recent")
    assert calls["lead_id"].tolist() == ["a", "c"] and "cum_expected_conversions" not in calls


def test_suggested_points_round_trip_through_a_file(tmp_path):
    leads = _leads().rename(columns={"Converted": "converted", "Page Views": "page_views", "Lead Number": "lead_id"})
    table = suggest_points(leads, post_outcome=["Call Minutes"])
    assert not {"Won flag", "Current Status", "Call Minutes"} & set(table["column"])
    assert table.attrs["roc_auc"] > 0.6
    for name in ("points.yml", "points.csv"):
        write_points(table, tmp_path / name)
        pri = lead_priorities(leads.drop(columns=["converted"]), points=str(tmp_path / name),
                              snapshot_date="2025-01-01")
        assert pri["score"].nunique() > 1


def test_a_missing_analysis_date_is_named_as_the_parameter_not_the_flag():
    from segtools.reporting import ReportError

    leads = pd.DataFrame({"lead_id": ["a", "b"], "page_views": [1, 5]})
    with pytest.raises(ReportError, match=r'snapshot_date="YYYY-MM-DD"'):
        build_report(tables={"leads": leads}, sections=("leads",))


def test_report_echoes_its_lead_options(tmp_path):
    path = tmp_path / "leads.csv"
    _leads().to_csv(path, index=False)
    report = build_report(leads=path, mapping=_mapping(tmp_path / "m.yml"), sections=("leads",),
                          keep_flagged="Current Status", post_outcome=["Won flag"], snapshot_date="2025-06-01")
    p = report.parameters
    assert p["flagged columns kept"] == "Current Status" and p["snapshot date from"] == "given"
    assert p["post-outcome columns"] == "call minutes, Won flag"  # the mapping's, then the option's
    alarm = report.tables["leak alarm"]
    assert alarm.loc["Current Status", "kept"] == "kept on purpose"
    assert "Current Status" in report.priorities.attrs["history"].features


@pytest.mark.parametrize("dates", [True, False])
def test_learned_points_are_measured_on_the_models_held_out_leads(dates):
    leads = _leads(dates=dates).rename(columns={"Converted": "converted"})
    if dates:
        leads["created_at"] = pd.to_datetime(leads.pop("Created"))
    history = learn_from_history(leads, post_outcome=["Call Minutes"])
    table = learned_points_table(leads, history)
    m, model = table.attrs["measures"], history.measures.iloc[0]
    assert (m["leads"], m["conversions"]) == (model["leads"], model["conversions"])  # the same held-out leads
    assert 0.6 < m["roc_auc"] < 0.95 and 0 < m["average_precision"] <= 1
    assert not {"Won flag", "Current Status", "Call Minutes"} & set(table["column"])  # leaks stay out
    assert table.attrs["half_life_days"] is None  # no activity dates, no decay
    assert len(history.splits) == (1 if dates else 5)
    with pytest.raises(TypeError, match="learn_from_history"):
        learned_points_table(leads, "not a history")


def test_report_compares_model_learned_table_and_your_points_table(tmp_path):
    path = tmp_path / "leads.csv"
    _leads().to_csv(path, index=False)
    points = tmp_path / "points.yml"
    write_points([{"score": "engagement", "group": "web", "column": "Page Views", "op": ">=", "value": 5,
                   "points": 10}], points)
    report = build_report(leads=path, mapping=_mapping(tmp_path / "m.yml"), points=points, sections=("leads",),
                          snapshot_date="2025-06-01", out=tmp_path / "out")
    table = report.tables["how well it ranks"]
    assert table.index.tolist() == ["model", "learned points table", "your points table"]
    # every lead has its outcome: 5-fold cross-validation, so every lead is held out once, for all three
    assert table["held-out leads"].tolist() == [800, 800, 800]
    assert table["conversions"].nunique() == 1
    assert 0.6 < table.loc["learned points table", "roc_auc"] < 0.95
    assert table.loc["your points table", "roc_auc"] < table.loc["model", "roc_auc"]
    learned = report.tables["learned points table"]
    assert "Page Views" in learned["group"].tolist() and not learned.astype(str).isin(["nan"]).any().any()
    measured = report.summary["sizes"]["measured"]
    assert abs(measured["learned points table"]["roc_auc"] - table.loc["learned points table", "roc_auc"]) < 1e-3
    assert report.learned_points is not None and "half_life_days" in report.learned_points.attrs
    # the learned table is written next to the report, in the format --points takes back
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["lead_priorities.csv", "suggested_points.yml",
                                                                     "summary.json"]
    from segtools.leads import points_table

    assert len(points_table(str(tmp_path / "out" / "suggested_points.yml"))) == len(learned)


def test_report_labels_the_default_rules_and_uses_the_tables_half_life(tmp_path):
    from segtools.leads import default_points

    default = build_report(case="startup", sections=("leads",))
    assert default.tables["how well it ranks"].index.tolist() == ["model", "learned points table",
                                                                  "default points table (startup)"]
    table = default_points("startup")
    table.attrs["half_life_days"] = 45
    write_points(table, tmp_path / "points.yml")
    report = build_report(case="startup", sections=("leads",), points=tmp_path / "points.yml")
    text = "\n".join(t for s, k, t in report.layout if k == "markdown")
    assert "half-life of 45 days since the last activity (the points table's half_life_days)" in text
    assert report.tables["how well it ranks"].index[-1] == "your points table"
    assert "half-life of 30 days" in "\n".join(t for s, k, t in default.layout if k == "markdown")
