"""The case-study skeleton of notebooks 04-06: known values, band edges, the censoring boundary, the playbook."""

import math

import numpy as np
import pandas as pd
import pytest

from segtools.errors import ValidationError
from segtools.workbook.case_study import (
    PLAYBOOK_COLUMNS,
    case_world,
    decision_curve,
    explore_by,
    half_year_mix_chart,
    judged_leads,
    net_promoter_score,
    nps_group,
    planted_crosstab,
    playbook,
    rate_heatmap,
    rate_test,
    size_band,
)

SNAPSHOT = pd.Timestamp("2026-01-01")


# --- NPS ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("scores, expected", [
    ([9, 10], 100.0),                       # all promoters
    ([0, 6], -100.0),                       # all detractors
    ([7, 8], 0.0),                          # passives count in the base only
    ([10, 9, 8, 7, 6, 0], 0.0),             # 2 promoters, 2 detractors of 6
    ([10, 10, 9, 3], 50.0),                 # 75% - 25%
    ([10, 8, 8, 8, 6], 0.0),
    ([9, 7, 7, 7], 25.0),
    ([10, None, np.nan, 0, 0], -100 / 3),   # missing answers are left out, not counted as passives
])
def test_net_promoter_score_known_values(scores, expected):
    assert net_promoter_score(scores) == pytest.approx(expected)


def test_nps_edges_six_is_a_detractor_nine_a_promoter():
    assert net_promoter_score([6]) == -100.0
    assert net_promoter_score([7]) == 0.0
    assert net_promoter_score([8]) == 0.0
    assert net_promoter_score([9]) == 100.0
    assert nps_group(pd.Series([6, 7, 8, 9, None], index=list("abcde"))).to_dict() == {
        "a": "detractor", "b": "passive", "c": "passive", "d": "promoter", "e": "no answer"}


def test_nps_without_answers_is_nan_and_out_of_scale_answers_are_refused():
    assert math.isnan(net_promoter_score([]))
    assert math.isnan(net_promoter_score([None, np.nan]))
    with pytest.raises(ValueError, match="between 0 and 10"):
        net_promoter_score([5, 11])
    with pytest.raises(ValueError):
        net_promoter_score([-1])


def test_nps_works_as_a_groupby_aggregation():
    frame = pd.DataFrame({"segment": ["a", "a", "b", "b"], "nps_score": [10, 0, 9, np.nan]})
    assert frame.groupby("segment")["nps_score"].agg(net_promoter_score).to_dict() == {"a": 0.0, "b": 100.0}


# --- size bands -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("employees, band", [
    (1, "1-9"), (9, "1-9"), (9.5, "10-49"), (10, "10-49"), (49, "10-49"), (50, "50-249"), (249, "50-249"),
    (250, "250+"), (24_096, "250+"), (None, "size unknown"), (0, "size unknown"), (-3, "size unknown"),
])
def test_size_band_edges(employees, band):
    assert size_band([employees]).tolist() == [band]


def test_size_band_is_ordered_keeps_the_index_and_can_leave_unknown_missing():
    sizes = pd.Series([300, 5, None], index=["x", "y", "z"])
    bands = size_band(sizes)
    assert bands.index.tolist() == ["x", "y", "z"]
    assert list(bands.cat.categories) == ["1-9", "10-49", "50-249", "250+", "size unknown"]
    assert bands.name == "size_band"
    assert size_band(sizes, unknown=None).isna().tolist() == [False, False, True]


def test_size_band_refuses_text():
    with pytest.raises(ValueError):
        size_band(["a lot"])


# --- leads old enough to judge --------------------------------------------------------------------------------

def _leads(created, converted):
    return pd.DataFrame({"lead_id": [f"L{i}" for i in range(len(created))],
                         "created_at": pd.to_datetime(created), "converted_at": pd.to_datetime(converted)},
                        index=[10 * (i + 1) for i in range(len(created))])


def test_judged_leads_at_the_horizon_boundary():
    boundary = SNAPSHOT - pd.Timedelta(days=90)          # 2025-10-03
    leads = _leads([boundary - pd.Timedelta(days=1), boundary, boundary + pd.Timedelta(days=1)], [None] * 3)
    judged = judged_leads(leads, SNAPSHOT, horizon_days=90)
    assert judged["lead_id"].tolist() == ["L0", "L1"]    # created exactly horizon_days before: judged
    assert judged.index.tolist() == [10, 20]
    assert judged_leads(leads, SNAPSHOT, horizon_days=89)["lead_id"].tolist() == ["L0", "L1", "L2"]
    assert judged_leads(leads, str(SNAPSHOT.date()), horizon_days=91)["lead_id"].tolist() == ["L0"]


def test_judged_leads_won_means_bought_within_the_horizon():
    created = ["2025-01-01"] * 4
    converted = ["2025-04-01", "2025-04-02", "2025-01-01", None]   # day 90, day 91, same day, never
    judged = judged_leads(_leads(created, converted), SNAPSHOT, horizon_days=90)
    assert judged["won"].tolist() == [True, False, True, False]
    assert judged["won"].dtype == bool


def test_judged_leads_returns_a_copy_and_checks_its_input():
    leads = _leads(["2025-01-01"], [None])
    judged = judged_leads(leads, SNAPSHOT)
    judged.loc[judged.index, "lead_id"] = "changed"
    assert "won" not in leads.columns and leads["lead_id"].tolist() == ["L0"]
    with pytest.raises(ValidationError, match="converted_at"):
        judged_leads(leads.drop(columns="converted_at"), SNAPSHOT)
    with pytest.raises(ValueError, match="horizon_days"):
        judged_leads(leads, SNAPSHOT, horizon_days=-1)


def test_judged_leads_on_a_world_matches_the_rule_by_hand():
    world = case_world("consulting", notebook_setup=False)
    judged = judged_leads(world.leads, world.snapshot_date, horizon_days=90)
    by_hand = world.leads[(world.snapshot_date - world.leads["created_at"]).dt.days >= 90]
    assert judged.index.equals(by_hand.index)
    assert 0 < judged["won"].sum() <= judged["converted"].sum()


# --- the playbook ---------------------------------------------------------------------------------------------

def _row(**changes):
    row = {"segment": "hot", "action": "call within a day", "measure": "conversion rate", "baseline": "21%",
           "target": "25%", "owner": "sales"}
    row.update(changes)
    return row


def test_playbook_has_the_six_columns_in_order_and_keeps_extra_keys_first():
    plan = playbook([_row(population="leads"), _row(segment="cold", population="leads", baseline=0.02)])
    assert plan.columns.tolist() == ["population", *PLAYBOOK_COLUMNS]
    assert plan["segment"].tolist() == ["hot", "cold"]
    assert plan.loc[1, "baseline"] == 0.02


def test_playbook_refuses_a_row_without_owner():
    row = _row()
    del row["owner"]
    with pytest.raises(ValueError, match=r"row 2 \(warm\) has no owner"):
        playbook([_row(), {**row, "segment": "warm"}])


@pytest.mark.parametrize("empty", [None, "", "   ", float("nan")])
def test_playbook_refuses_an_empty_field(empty):
    with pytest.raises(ValueError, match="has no target"):
        playbook([_row(target=empty)])


def test_playbook_refuses_no_rows_and_rows_that_are_not_mappings():
    with pytest.raises(ValueError, match="no rows"):
        playbook([])
    with pytest.raises(ValueError, match="not a mapping"):
        playbook([("hot", "call", "rate", "21%", "25%", "sales")])


# --- the shared charts and the world ---------------------------------------------------------------------------

def test_rate_heatmap_shows_rates_and_counts_of_every_cell():
    leads = pd.DataFrame({"need": ["a", "a", "a", "b"], "region": ["x", "x", "y", "y"],
                          "won": [True, False, True, False]})
    ax = rate_heatmap(leads, rows="need", columns="region", title="t", xlabel="region")
    assert sorted(t.get_text() for t in ax.texts) == ["0%\n(1)", "100%\n(1)", "50%\n(2)"]
    assert ax.get_xlabel() == "region (leads in brackets)" and ax.get_title() == "t"


def test_explore_by_filters_the_rows_it_draws():
    import matplotlib.pyplot as plt

    seen = []

    def draw(subset, label):
        seen.append((label, len(subset)))
        return plt.subplots()[0]

    box = explore_by(pd.DataFrame({"industry": ["a", "b", "b", None]}), "industry", draw, everything="all")
    box.children[0].children[0].value = "b"
    assert seen == [("all", 4), ("b", 2)]


def test_half_year_mix_chart_weights_the_shares():
    dates = pd.Series(pd.to_datetime(["2025-01-01", "2025-02-01", "2025-07-01"]))
    ax = half_year_mix_chart(dates, pd.Series(["a", None, "a"], name="kind"), weights=pd.Series([3.0, 1.0, 2.0]))
    heights = sorted(round(p.get_height(), 2) for p in ax.patches if p.get_height() > 0)
    assert heights == [0.25, 0.75, 1.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "unknown"]


def test_case_world_unpacks_and_the_planted_crosstab_counts_every_customer():
    case, customers, transactions, leads, snapshot = case_world("agency", notebook_setup=False)
    assert case.name == "agency" and snapshot == case.snapshot_date
    assert (len(customers), len(transactions), len(leads)) == tuple(map(len, (case.customers, case.transactions,
                                                                              case.leads)))
    rules = pd.Series("one", index=customers["customer_id"])
    assert int(planted_crosstab(case, rules).to_numpy().sum()) == len(customers)


def test_case_world_generates_a_new_world_from_a_random_state():
    committed = case_world("agency", notebook_setup=False)
    fresh = case_world("agency", random_state=7, notebook_setup=False)
    again = case_world("agency", random_state=7, notebook_setup=False)
    assert fresh.leads.equals(again.leads) and not fresh.leads.equals(committed.leads)


def test_rate_test_two_groups_is_a_two_proportion_z_test_with_counts():
    from scipy.stats import chi2_contingency

    data = pd.DataFrame({"fit": ["yes"] * 100 + ["no"] * 100, "won": [True] * 30 + [False] * 160 + [True] * 10})
    result = rate_test(data, "fit")
    assert result.test == "two-proportion z-test"
    assert result.table.loc[["no", "yes"], ["leads", "won"]].to_numpy().tolist() == [[100, 10], [100, 30]]
    assert result.table.loc["yes", "rate"] == pytest.approx(0.3)
    chi2, p = chi2_contingency([[30, 70], [10, 90]], correction=False)[:2]
    assert result.statistic ** 2 == pytest.approx(chi2) and result.p_value == pytest.approx(p)


def test_rate_test_many_groups_is_a_chi_square_and_equal_rates_are_not_significant():
    data = pd.DataFrame({"g": list("abc") * 40, "won": [True, True, True, False, False, False] * 20})
    result = rate_test(data, "g")
    assert result.test == "chi-square test" and result.p_value == pytest.approx(1.0)
    with pytest.raises(ValueError, match="two groups"):
        rate_test(data.assign(g="a"), "g")


def test_decision_curve_censors_open_leads_at_the_snapshot():
    created = pd.to_datetime(["2025-01-01"] * 4 + ["2025-12-21"] * 4)
    converted = pd.to_datetime(["2025-01-06", "2025-02-20", None, None, None, None, None, None])
    curve = decision_curve(pd.DataFrame({"created_at": created, "converted_at": converted}), "2026-01-01",
                           days=[5, 30, 50, 100])
    # at day 5 one of 8 has bought; the 4 recent leads leave at day 11 (censored), so at day 50
    # one of the 3 still followed buys: 1 - (7/8) * (2/3)
    assert curve["bought"].tolist() == [1, 1, 2, 2]
    assert curve["followed"].tolist() == [8, 3, 3, 2]
    assert curve["bought_share"].tolist() == pytest.approx([1 / 8, 1 / 8, 1 - 7 / 8 * 2 / 3, 1 - 7 / 8 * 2 / 3])
    naive = converted.notna().mean()  # counting the recent leads as never buying understates it
    assert curve.loc[100, "bought_share"] > naive
