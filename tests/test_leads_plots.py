"""Lead charts and widgets: they draw what they are given, without warnings."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from segtools import plots
from segtools.data import load_case
from segtools.errors import ValidationError
from segtools.leads import (RuleScorer, calibration_table, capacity_table, default_points, gains_table, grade_leads,
                            grade_matrix, segment_conversion)


@pytest.fixture(scope="module")
def data():
    case = load_case("consulting")
    leads = case.leads
    scores = RuleScorer(default_points("consulting")).fit(leads).transform(leads).assign(converted=leads["converted"])
    p = (scores["score"] - scores["score"].min()) / (scores["score"].max() - scores["score"].min())
    return case, leads, scores, p


@pytest.fixture(autouse=True)
def no_warnings_and_close():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def test_score_distribution(data):
    ax = plots.score_distribution(data=data[2])
    assert ax.get_xlabel() == "score" and len(ax.get_legend().get_texts()) == 2


def test_grade_heatmap_shows_rates(data):
    graded = grade_leads(data[2])
    m = grade_matrix(graded, data[1]["converted"])
    ax = plots.grade_heatmap(data=m)
    texts = [t.get_text() for t in ax.texts]
    a1 = m.query("fit_grade == 'A' and engagement_level == 1").iloc[0]
    assert f"{a1['rate']:.0%}\n{a1['leads']:,} leads" in texts


def test_gains_lift_calibration_capacity_and_segments(data):
    case, leads, scores, p = data
    g = pd.concat([gains_table(leads["converted"], scores["score"]).assign(scorer="rules"),
                   gains_table(leads["converted"], np.arange(len(leads))).assign(scorer="arrival order")])
    assert plots.gains_chart(data=g, hue="scorer").get_ylabel() == "share of all conversions found"
    assert len(plots.lift_chart(data=g, hue="scorer").patches) >= 20
    assert plots.calibration_chart(data=calibration_table(leads["converted"], p)).get_title() == "Calibration"
    t = capacity_table(leads, p, leads["converted"], [0, 5, 10])
    ax = plots.capacity_chart(data=t)
    assert len(ax.get_lines()) >= 3
    seg = segment_conversion(leads, "specific_need")
    assert plots.segment_rates_chart(data=seg, y="specific_need").get_ylabel() == "specific_need"


def test_charts_name_missing_columns(data):
    with pytest.raises(ValidationError, match="'rate'"):
        plots.grade_heatmap(data=pd.DataFrame({"fit_grade": ["A"], "engagement_level": [1], "leads": [1]}))


def test_widgets_follow_the_slider(data):
    from segtools.widgets.leads import capacity_explorer, explanation_explorer

    case, leads, scores, p = data
    t = capacity_table(leads, p, leads["converted"], [0, 5, 10])
    box = capacity_explorer(t)
    box.children[0].value = 10
    row = t.query("capacity == 10 and strategy == 'score'").iloc[0]
    assert f"{row['conversions']:,.1f}" in box.children[1].value
    ex = explanation_explorer(RuleScorer(default_points("consulting")).fit(leads), leads, top=3)
    first = ex.children[1].value
    ex.children[0].value = ex.children[0].options[1]
    assert ex.children[1].value != first
