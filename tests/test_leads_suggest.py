"""A points table carries its decay: the half_life_days setting, read, written, used and suggested."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segtools.errors import ValidationError
from segtools.leads import RuleScorer, default_points, points_table
from segtools.leads.suggest import HALF_LIVES, suggest_points, write_points

README = Path(__file__).resolve().parents[1] / "README.md"
RULES = [{"score": "fit", "group": "size", "column": "company_size", "op": ">=", "value": 50, "points": 10},
         {"score": "engagement", "group": "web", "column": "page_views", "op": ">=", "value": 3, "points": 20}]


def _scored_leads():
    return pd.DataFrame({"lead_id": ["a", "b", "c"], "company_size": [80, 10, 80], "page_views": [5, 5, 0],
                         "last_activity_at": pd.to_datetime(["2025-01-01", "2024-12-02", None])})


def test_the_yaml_mapping_form_and_a_plain_list_are_both_tables(tmp_path):
    path = tmp_path / "points.yml"
    path.write_text("half_life_days: 30\nrules:\n- {score: fit, group: size, column: company_size, op: '>=', "
                    "value: 50, points: 10}\n", encoding="utf-8")
    assert points_table(str(path)).attrs["half_life_days"] == 30.0
    path.write_text("- {score: fit, group: size, column: company_size, op: '>=', value: 50, points: 10}\n")
    assert points_table(str(path)).attrs["half_life_days"] is None  # backward compatible: no decay of its own
    path.write_text("half_life_days: null\nrules:\n- {score: fit, group: s, column: s, op: present, points: 1}\n")
    assert points_table(str(path)).attrs["half_life_days"] is None


@pytest.mark.parametrize("setting, match", [({"half_life_days": -5}, "positive"), ({"half_life_days": "soon"}, "positive"),
                                            ({"half_life_days": True}, "positive"), ({"halflife": 30}, "halflife")])
def test_a_bad_half_life_or_key_breaks_the_contract(setting, match):
    with pytest.raises(ValidationError, match=match):
        points_table({**setting, "rules": RULES})


def test_the_csv_column_is_filled_in_once_and_must_agree(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("score,group,column,op,value,points,cap,half_life_days\nfit,size,company_size,>=,50,10,,\n"
                    "engagement,web,page_views,>=,3,20,,45\n", encoding="utf-8")
    table = points_table(str(path))
    assert table.attrs["half_life_days"] == 45.0 and "half_life_days" not in table.columns
    path.write_text("score,group,column,op,value,points,cap,half_life_days\nfit,size,company_size,>=,50,10,,30\n"
                    "engagement,web,page_views,>=,3,20,,45\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="more than one value"):
        points_table(str(path))


def test_the_readme_examples_are_the_same_complete_table(tmp_path):
    section = README.read_text(encoding="utf-8").split("### The points table")[1].split("\n### ")[0]
    yaml_text = re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)
    csv_text = re.search(r"```text\n(.*?)```", section, re.DOTALL).group(1)
    (tmp_path / "points.yml").write_text(yaml_text, encoding="utf-8")
    (tmp_path / "points.csv").write_text(csv_text, encoding="utf-8")
    from_yaml, from_csv = points_table(str(tmp_path / "points.yml")), points_table(str(tmp_path / "points.csv"))
    assert from_yaml.attrs["half_life_days"] == from_csv.attrs["half_life_days"] == 30.0
    assert from_yaml["rule"].tolist() == from_csv["rule"].tolist() and len(from_yaml) == 7
    assert from_yaml["points"].tolist() == from_csv["points"].tolist()


def test_the_scorer_takes_the_tables_half_life_unless_given_one():
    leads = _scored_leads()
    table = points_table({"half_life_days": 30, "rules": RULES})
    own = RuleScorer(table, snapshot_date="2025-01-01").fit(leads)
    assert own.half_life_ == 30.0
    assert own.transform(leads)["decay"].round(3).tolist() == [1.0, 0.5, 0.0]
    explicit = RuleScorer(RULES, half_life=30, snapshot_date="2025-01-01").fit(leads).transform(leads)
    assert own.transform(leads).equals(explicit)
    assert RuleScorer(table, half_life=60, snapshot_date="2025-01-01").fit(leads).half_life_ == 60.0
    off = RuleScorer(table, half_life=float("inf"), snapshot_date="2025-01-01").fit(leads)
    assert off.half_life_ is None and off.transform(leads)["decay"].eq(1.0).all()
    no_dates = RuleScorer(table).fit(leads.drop(columns="last_activity_at"))  # nothing to decay from
    assert no_dates.half_life_ is None
    assert RuleScorer(table).fit(leads).half_life_ is None  # no snapshot_date: no date to count from
    with pytest.raises(ValueError, match="snapshot_date"):
        RuleScorer(RULES, half_life=30).fit(leads)
    with pytest.raises(TypeError, match="half_life"):
        RuleScorer(RULES, half_life="30", snapshot_date="2025-01-01").fit(leads)
    with pytest.raises(ValueError, match="positive"):
        RuleScorer(RULES, half_life=0, snapshot_date="2025-01-01").fit(leads)


@pytest.mark.parametrize("name", ["points.yml", "points.csv"])
def test_write_points_keeps_the_half_life_and_a_table_without_one_stays_plain(tmp_path, name):
    table = default_points("startup")
    write_points(table, tmp_path / name)
    assert points_table(str(tmp_path / name)).attrs["half_life_days"] is None
    assert "half_life_days" not in (tmp_path / name).read_text()
    if name.endswith(".yml"):
        import yaml

        assert isinstance(yaml.safe_load((tmp_path / name).read_text()), list)
    table.attrs["half_life_days"] = 21.0
    write_points(table, tmp_path / name)
    back = points_table(str(tmp_path / name))
    assert back.attrs["half_life_days"] == 21.0 and back["rule"].tolist() == table["rule"].tolist()
    write_points(table, tmp_path / name, half_life_days=40)
    assert points_table(str(tmp_path / name)).attrs["half_life_days"] == 40.0
    with pytest.raises(ValueError, match="half_life_days"):
        write_points(table, tmp_path / name, half_life_days=-1)


def _fading_leads(n=1600, seed=5):
    """Leads whose page views matter only while recent: the right table decays its engagement."""
    rng = np.random.default_rng(seed)
    snapshot = pd.Timestamp("2025-07-01")
    created = pd.Timestamp("2024-07-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    days = rng.uniform(0, 180, n)
    views = rng.poisson(6, n)
    logit = -3.0 + 0.9 * views * 0.5 ** (days / 20)
    won = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"lead_id": [f"L{i:05d}" for i in range(n)], "created_at": created,
                         "page_views": views, "industry": rng.choice(["a", "b", "c"], n),
                         "last_activity_at": snapshot - pd.to_timedelta(np.round(days), unit="D"),
                         "converted": won})


def test_suggest_points_proposes_a_half_life_when_recency_matters(tmp_path):
    leads = _fading_leads()
    table = suggest_points(leads)
    aucs = table.attrs["half_life_auc"]
    assert set(aucs) == {"none", "14", "30", "60", "90"}
    assert table.attrs["half_life_days"] in (14.0, 30.0, 60.0, 90.0)
    assert aucs[f"{table.attrs['half_life_days']:g}"] >= aucs["none"] + 0.005
    assert str(table.attrs["snapshot_date"].date()) == "2025-07-02"  # the day after the latest activity
    write_points(table, tmp_path / "points.yml")
    assert points_table(str(tmp_path / "points.yml")).attrs["half_life_days"] == table.attrs["half_life_days"]


def test_suggest_points_proposes_no_half_life_without_activity_dates():
    leads = _fading_leads().drop(columns="last_activity_at")
    table = suggest_points(leads)
    assert table.attrs["half_life_days"] is None and table.attrs["half_life_auc"] == {}
    assert table.attrs["roc_auc"] > 0.55
    with pytest.raises(ValueError, match="half_lives"):
        suggest_points(leads, half_lives=(None, -3))
    assert HALF_LIVES == (None, 14, 30, 60, 90)
