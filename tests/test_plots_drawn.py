"""The charts draw what they are given: small tables with known values, checked on the Axes.

Each public chart of :mod:`segtools.plots` has a test here (checked by
:func:`test_every_public_chart_has_a_drawn_test`): bar counts and heights, line data,
heatmap cell texts and colours, tick labels, legend entries, titles and axis labels are
compared with the numbers and labels of the input table.
"""

from __future__ import annotations

import importlib
import inspect
import sys

import matplotlib.dates
import matplotlib.pyplot as plt  # the Agg backend is set in conftest.py
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, QuadMesh

TOPICS = ("customers", "leads", "compare", "over_time", "datasets")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _plots(topic):
    return importlib.import_module(f"segtools.plots.{topic}")


def texts(labels):
    return [t.get_text() for t in labels]


def legend_texts(ax):
    legend = ax.get_legend()
    assert legend is not None, "the chart has no legend"
    return texts(legend.get_texts())


def mesh(ax):
    (quad,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return np.asarray(quad.get_array(), dtype=float).ravel()


def bars(ax):
    """Rectangles drawn as bars (seaborn's bars live in ax.containers)."""
    return [patch for container in ax.containers for patch in container]


def step_height(area, x):
    """How high the filled area reaches above ``x`` (0 when it has no height there)."""
    path = area.get_paths()[0]
    ys = np.linspace(0.0005, 1.2, 2400)
    inside = ys[[path.contains_point((x, y)) for y in ys]]
    return float(inside.max()) if len(inside) else 0.0


def line(ax, label=None):
    """The data of the line labelled ``label`` (its own label, or its colour's entry in the legend)."""
    drawn = [ln for ln in ax.get_lines() if len(ln.get_xdata())]
    if label is None:
        lines = drawn
    else:
        lines = [ln for ln in drawn if ln.get_label() == label]
        if not lines and ax.get_legend() is not None:  # seaborn labels a hue level's legend handle, not its line
            handles = dict(zip(legend_texts(ax), ax.get_legend().legend_handles))
            colour = handles[label].get_color() if label in handles else None
            lines = [ln for ln in drawn if colour is not None and ln.get_color() == colour
                     and ln.get_label().startswith("_")]
    assert lines, f"no line labelled {label!r}; lines: {[ln.get_label() for ln in ax.get_lines()]}"
    ln = lines[0]
    return np.asarray(ln.get_xdata(), dtype=float), np.asarray(ln.get_ydata(), dtype=float)


def test_every_public_chart_has_a_drawn_test():
    here = sys.modules[__name__]
    charts = {f"{topic}.{name}" for topic in TOPICS
              for name, fn in inspect.getmembers(_plots(topic), inspect.isfunction)
              if not name.startswith("_") and fn.__module__ == f"segtools.plots.{topic}"}
    tested = {f"{topic}.{name}" for topic in TOPICS for name in dir(_plots(topic))
              if hasattr(here, f"test_{name}")}
    assert charts <= tested, f"charts without a test in {__file__}: {sorted(charts - tested)}"


# ------------------------------------------------------------------------------------------------ customers


def test_rfm_heatmap():
    # cell (r, f) holds 3 * (r - 1) + f customers: 1 .. 9
    rows = [(r, f) for r in (1, 2, 3) for f in (1, 2, 3) for _ in range(3 * (r - 1) + f)]
    data = pd.DataFrame(rows, columns=["r_score", "f_score"]).assign(monetary=lambda d: 100.0 * d["r_score"])
    ax = _plots("customers").rfm_heatmap(data)
    assert texts(ax.texts) == ["7", "8", "9", "4", "5", "6", "1", "2", "3"]  # recency 3 on top
    np.testing.assert_array_equal(mesh(ax), [7, 8, 9, 4, 5, 6, 1, 2, 3])
    assert texts(ax.get_yticklabels()) == ["3", "2", "1"] and texts(ax.get_xticklabels()) == ["1", "2", "3"]
    assert (ax.get_ylabel(), ax.get_xlabel(), ax.get_title()) == ("r_score", "f_score", "customers per score cell")

    ax = _plots("customers").rfm_heatmap(data, value_col="monetary")
    assert texts(ax.texts) == ["300"] * 3 + ["200"] * 3 + ["100"] * 3
    assert ax.get_title() == "mean monetary per cell"


def test_profile_heatmap():
    profile = pd.DataFrame({"recency_lift": [0.5, 2.0], "frequency_lift": [3.0, 0.4], "customers": [8, 2]},
                           index=["a", "b"])
    ax = _plots("customers").profile_heatmap(profile)
    assert texts(ax.texts) == ["0.50", "3.00", "2.00", "0.40"]
    np.testing.assert_allclose(mesh(ax), np.log2([0.5, 3.0, 2.0, 0.4]))  # colour = log2 lift
    assert texts(ax.get_xticklabels()) == ["recency", "frequency"] and texts(ax.get_yticklabels()) == ["a", "b"]
    assert ax.get_title() == "lift against the whole base (1 = average)" and ax.get_ylabel() == ""


def test_segment_share_plot():
    profile = pd.DataFrame({"customer_share": [0.8, 0.2], "revenue_share": [0.3, 0.7]}, index=["small", "big"])
    ax = _plots("customers").segment_share_plot(profile)
    assert len(bars(ax)) == 4
    customers, revenue = ax.containers
    assert [b.get_width() for b in customers] == pytest.approx([0.8, 0.2])
    assert [b.get_width() for b in revenue] == pytest.approx([0.3, 0.7])
    assert texts(ax.get_yticklabels()) == ["small", "big"]
    assert legend_texts(ax) == ["customer_share", "revenue_share"]
    assert (ax.get_xlabel(), ax.get_title()) == ("share", "share of customers and of revenue per segment")


def test_k_selection_plot():
    scores = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.3, 0.5, 0.4]})
    ax = _plots("customers").k_selection_plot(scores, best=3)
    x, y = line(ax)
    np.testing.assert_array_equal(x, [2, 3, 4])
    np.testing.assert_allclose(y, [0.3, 0.5, 0.4])
    chosen = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(chosen) == 1 and list(chosen[0].get_xdata()) == [3, 3]
    assert "chosen k = 3" in texts(ax.texts)
    assert list(ax.get_xticks()) == [2, 3, 4]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("k", "silhouette")
    assert ax.get_title() == "silhouette against the number of segments k"


def test_pareto_plot():
    table = pd.DataFrame({"customer_share": [0.2, 0.6, 1.0], "revenue_share": [0.7, 0.95, 1.0]})
    ax = _plots("customers").pareto_plot(table, mark=0.2)
    x, y = line(ax, "customers, best first")
    np.testing.assert_allclose(x, [0.2, 0.6, 1.0])
    np.testing.assert_allclose(y, [0.7, 0.95, 1.0])
    x, y = line(ax, "every customer equal")
    assert list(x) == [0, 1] and list(y) == [0, 1]
    assert "top 20%: 70% of revenue" in texts(ax.texts)
    (dots,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(dots.get_offsets(), [[0.2, 0.7]])
    assert legend_texts(ax) == ["customers, best first", "every customer equal"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "share of customers", "share of revenue", "Pareto view of customer value")


# ------------------------------------------------------------------------------------------------ leads


def test_score_distribution():
    scores = pd.DataFrame({"score": [0.5, 0.5, 1.5, 2.5, 2.5, 2.5], "converted": [0, 0, 0, 1, 1, 0]})
    ax = _plots("leads").score_distribution(scores, bins=[0, 1, 2, 3])
    # one step area per outcome, each scaled to its own total: not converted 2/4, 1/4, 1/4; converted 0, 0, 2/2
    colours = {text: tuple(h.get_edgecolor()) for text, h in zip(legend_texts(ax), ax.get_legend().legend_handles)}
    assert len(ax.collections) == 2
    for outcome, expected in (("0", [0.5, 0.25, 0.25]), ("1", [0.0, 0.0, 1.0])):
        (area,) = [c for c in ax.collections if tuple(c.get_edgecolor()[0]) == colours[outcome]]
        assert [step_height(area, mid) for mid in (0.5, 1.5, 2.5)] == pytest.approx(expected, abs=0.002)
    assert sorted(legend_texts(ax)) == ["0", "1"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "score", "share of the group's leads", "score by converted")


def test_grade_heatmap():
    matrix = pd.DataFrame({"fit_grade": ["A", "A", "B", "B"], "engagement_level": [1, 2, 1, 2],
                           "leads": [10, 1200, 0, 4], "rate": [0.5, 0.25, 0.0, 0.75]})
    ax = _plots("leads").grade_heatmap(matrix)
    assert texts(ax.texts) == ["50%\n10 leads", "25%\n1,200 leads", "no leads", "75%\n4 leads"]
    np.testing.assert_allclose(mesh(ax), [0.5, 0.25, 0.0, 0.75])
    assert texts(ax.get_yticklabels()) == ["A", "B"] and texts(ax.get_xticklabels()) == ["1", "2"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "engagement level (1 most engaged)", "fit grade (A fits best)", "Conversion rate by grade")


def test_gains_chart():
    gains = pd.concat([
        pd.DataFrame({"cum_leads_share": [0.5, 1.0], "cum_conversions_share": [0.8, 1.0], "scorer": "rules"}),
        pd.DataFrame({"cum_leads_share": [0.5, 1.0], "cum_conversions_share": [0.5, 1.0], "scorer": "random"}),
    ], ignore_index=True)
    ax = _plots("leads").gains_chart(gains, hue="scorer")
    for scorer, expected in (("rules", [0, 0.8, 1.0]), ("random", [0, 0.5, 1.0])):
        x, y = line(ax, scorer)
        np.testing.assert_allclose(x, [0, 0.5, 1.0])  # the curve starts at the origin
        np.testing.assert_allclose(y, expected)
    x, y = line(ax, "random order")
    assert list(x) == [0, 1] and list(y) == [0, 1]
    assert legend_texts(ax) == ["rules", "random", "random order"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "share of leads called (best scores first)", "share of all conversions found", "Cumulative gains")


def test_lift_chart():
    gains = pd.DataFrame({"decile": [1, 2, 3], "lift": [2.5, 1.0, 0.25]})
    ax = _plots("leads").lift_chart(gains)
    assert [b.get_height() for b in bars(ax)] == pytest.approx([2.5, 1.0, 0.25])
    assert texts(ax.get_xticklabels()) == ["1", "2", "3"]
    assert [ln.get_ydata()[0] for ln in ax.get_lines() if ln.get_linestyle() == "--"] == [1.0]  # the average
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "score decile (1 = highest scores)", "lift (1 = average)", "Lift by decile")


def test_calibration_chart():
    table = pd.DataFrame({"mean_predicted": [0.1, 0.4, 0.8], "observed_rate": [0.05, 0.5, 0.9]})
    ax = _plots("leads").calibration_chart(table)
    x, y = line(ax, "perfectly calibrated")
    assert x[0] == y[0] == 0 and x[1] == y[1] == pytest.approx(0.9 * 1.05)
    data_lines = [ln for ln in ax.get_lines() if ln.get_label() != "perfectly calibrated"]
    assert len(data_lines) == 1
    np.testing.assert_allclose(data_lines[0].get_xdata(), [0.1, 0.4, 0.8])
    np.testing.assert_allclose(data_lines[0].get_ydata(), [0.05, 0.5, 0.9])
    assert ax.get_xlim() == pytest.approx((0, 0.945)) and ax.get_ylim() == pytest.approx((0, 0.945))
    assert legend_texts(ax) == ["perfectly calibrated"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "mean predicted probability", "observed conversion rate", "Calibration")


def test_capacity_chart():
    table = pd.DataFrame({"capacity": [0, 5, 10] * 2, "strategy": ["score"] * 3 + ["arrival"] * 3,
                          "conversions": [0.0, 4.0, 6.0, 0.0, 1.0, 2.0],
                          "expected_conversions": [0.0, 3.5, 6.5, np.nan, np.nan, np.nan]})
    ax = _plots("leads").capacity_chart(table, expected=True)
    for strategy, expected in (("score", [0, 4, 6]), ("arrival", [0, 1, 2])):
        x, y = line(ax, strategy)
        np.testing.assert_array_equal(x, [0, 5, 10])
        np.testing.assert_allclose(y, expected)
    x, y = line(ax, "score: expected by the model")
    np.testing.assert_allclose(y, [0, 3.5, 6.5])
    assert legend_texts(ax) == ["score", "arrival", "score: expected by the model"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "leads followed up per week", "conversions", "Conversions by weekly capacity")


def test_segment_rates_chart():
    table = pd.DataFrame({"source": ["web", "fair"], "rate": [0.3, 0.6], "ci_low": [0.2, 0.1],
                          "ci_high": [0.4, 0.9], "too_small": [False, True]})
    ax = _plots("leads").segment_rates_chart(table, y="source")
    (dots,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(dots.get_offsets()[:, 0], [0.3, 0.6])
    (intervals,) = [c for c in ax.collections if not isinstance(c, PathCollection)]
    segments = [np.asarray(s)[:, 0].tolist() for s in intervals.get_segments()]
    assert segments == [[0.2, 0.4], [0.1, 0.9]]
    assert texts(ax.get_yticklabels()) == ["web", "fair"]
    assert legend_texts(ax) == ["enough leads", "too small to judge"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "conversion rate (with 95% interval)", "source", "Conversion rate by source")


# ------------------------------------------------------------------------------------------------ compare


def test_funnel_chart():
    funnel = pd.DataFrame({"lead_segment": ["hot", "hot", "cold"], "customer_segment": ["loyal", "one-off", "loyal"],
                           "share_of_leads": [0.25, 0.25, 0.1], "leads": [4, 4, 10], "converted": [2, 2, 1]})
    ax = _plots("compare").funnel_chart(funnel)
    widths = sorted(round(p.get_width(), 6) for p in ax.patches if p.get_width() > 0)
    assert widths == [0.1, 0.25, 0.25]
    hot_left = sorted(p.get_x() for p in ax.patches if p.get_width() > 0 and abs(p.get_y() + p.get_height() / 2) < 1e-9)
    assert hot_left == pytest.approx([0.0, 0.25])  # hot: loyal then one-off, stacked
    assert texts(ax.texts) == ["2 of 4 (50%)", "1 of 10 (10%)"]
    assert texts(ax.get_yticklabels()) == ["hot", "cold"]
    assert ax.get_legend().get_title().get_text() == "became a customer in"
    assert legend_texts(ax) == ["loyal", "one-off"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "share of the lead segment that became a customer", "lead segment", "From lead segment to customer segment")


def test_layer_cake():
    from segtools.compare import ALL  # the total row, left out

    layers = pd.DataFrame({"customer_segment": ["small", "big", "mid", ALL], "customers": [10, 60, 30, 100],
                           "offer": ["coupon", "club", "coupon", ""], "detail": ["-10%", "events", "-5%", ""]})
    ax = _plots("compare").layer_cake(layers, segment_col="customer_segment", size_col="customers",
                                      text_col="detail", flavour_col="offer")
    layer_bars = bars(ax)[:-1]  # the last bar is the plate
    assert [b.get_height() for b in layer_bars] == pytest.approx([0.6, 0.3, 0.1])  # thickness = share of customers
    assert [b.get_y() for b in layer_bars] == pytest.approx([0.0, 0.6, 0.9])  # the biggest at the bottom
    assert len({b.get_width() for b in layer_bars}) == 1  # one cake: every layer the same offer
    colours = [b.get_facecolor() for b in layer_bars]
    assert colours[1] == colours[2] != colours[0]  # same flavour, same colour
    assert texts(ax.texts) == ["big · 60 · events", "mid · 30 · -5%", "small · 10 · -10%"]
    assert legend_texts(ax) == ["club", "coupon"]
    assert ax.get_title() == "One offer, layered by customer segment (thickness = customers)"


def test_seed_sieve():
    leads = pd.DataFrame({"p": [0.9, 0.8, 0.3, 0.1, 0.2], "converted": [True, False, True, False, False]})
    ax = _plots("compare").seed_sieve(leads, score_col="p", capacity=2, random_state=0)
    (seeds,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sorted(seeds.get_offsets()[:, 1].tolist()) == [0.1, 0.2, 0.3, 0.8, 0.9]  # one seed per lead, at its score
    mesh_lines = [ln for ln in ax.get_lines() if len(set(ln.get_ydata())) == 1]
    assert [ln.get_ydata()[0] for ln in mesh_lines] == [0.8]  # the mesh at the score of the last lead kept
    assert texts(ax.texts) == ["kept: 2 leads, 50% grew", "sifted out: 3 leads, 33% grew"]
    assert legend_texts(ax) == ["did not grow", "grew (converted)"]
    assert (ax.get_ylabel(), ax.get_title()) == (
        "lead score (p)", "Lead scoring as a sieve: keep the seeds most likely to grow")

    ax = _plots("compare").seed_sieve(leads, score_col="p", capacity=[1, 3], random_state=0)
    mesh_lines = [ln for ln in ax.get_lines() if len(set(ln.get_ydata())) == 1]
    assert [ln.get_ydata()[0] for ln in mesh_lines] == [0.9, 0.3]  # one mesh per capacity
    assert texts(ax.texts) == ["top 1: keeps 1 lead, 1 buyer; 1 of 2 buyers fall through",
                               "top 3: keeps 3 leads, 2 buyers; 0 of 2 buyers fall through"]
    ax = _plots("compare").seed_sieve(leads, score_col="p", threshold=[0.25], random_state=0)
    assert texts(ax.texts) == ["score >= 0.25: keeps 3 leads, 2 buyers; 0 of 2 buyers fall through"]


def test_rate_heatmap():  # the case studies' chart, moved here from segtools.workbook.case_study
    leads = pd.DataFrame({"need": ["a", "a", "a", "b"], "region": ["x", "x", "y", "y"],
                          "won": [True, False, True, False]})
    ax = _plots("compare").rate_heatmap(leads, rows="need", columns="region", title="t", xlabel="region")
    np.testing.assert_array_equal(np.ma.filled(mesh(ax).astype(float), np.nan), [0.5, 1.0, np.nan, 0.0])
    assert texts(ax.texts) == ["50%\n(2)", "100%\n(1)", "0%\n(1)"]  # rate and leads; the empty cell is blank
    assert (ax.get_xlabel(), ax.get_title()) == ("region (leads in brackets)", "t")


def test_half_year_mix_chart():  # the case studies' chart, moved here from segtools.workbook.case_study
    dates = pd.Series(pd.to_datetime(["2025-01-01", "2025-02-01", "2025-07-01"]))
    ax = _plots("compare").half_year_mix_chart(dates, pd.Series(["a", None, "a"], name="kind"),
                                               weights=pd.Series([3.0, 1.0, 2.0]))
    heights = [round(b.get_height(), 2) for b in bars(ax)]
    assert heights == [0.75, 1.0, 0.25, 0.0]  # per kind, per half-year: a, then unknown
    assert texts(ax.get_xticklabels()) == ["2025 H1", "2025 H2"]
    assert legend_texts(ax) == ["a", "unknown"] and ax.get_ylabel() == "share"


# ------------------------------------------------------------------------------------------------ over time


def test_transition_heatmap():
    counts = pd.DataFrame({"light": [8, 2], "heavy": [1, 5]}, index=pd.Index(["light", "heavy"], name="from"))
    counts.columns.name = "to"
    ax = _plots("over_time").transition_heatmap(counts)
    assert texts(ax.texts) == ["8", "1", "2", "5"]
    np.testing.assert_array_equal(mesh(ax), [8, 1, 2, 5])
    assert texts(ax.get_xticklabels()) == ["light", "heavy"] and texts(ax.get_yticklabels()) == ["light", "heavy"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "segment at the end (to)", "segment at the start (from)", "Who moved where")

    shares = counts.div(counts.sum(axis=1), axis=0)
    ax = _plots("over_time").transition_heatmap(shares, title="shares")
    assert texts(ax.texts) == ["89%", "11%", "29%", "71%"] and ax.get_title() == "shares"


def test_segment_share_chart():
    months = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]).rename("month")
    shares = pd.DataFrame({"light": [0.6, 0.5, 0.4], "heavy": [0.4, 0.5, 0.6], "n": [10, 12, 15]}, index=months)
    ax = _plots("over_time").segment_share_chart(shares)
    for segment in ("light", "heavy"):
        x, y = line(ax, segment)
        np.testing.assert_allclose(y, shares[segment])
        np.testing.assert_allclose(x, matplotlib.dates.date2num(months))
    assert legend_texts(ax) == ["light", "heavy"]  # the count column "n" is not a segment
    assert (ax.get_ylabel(), ax.get_title()) == ("share of active customers", "Segment mix month by month")


def test_drift_chart():
    months = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"])
    psi = pd.Series([0.0, 0.05, 0.3], index=months)
    ax = _plots("over_time").drift_chart(psi, thresholds=(0.1, 0.25))
    x, y = line(ax)
    np.testing.assert_allclose(y, [0.0, 0.05, 0.3])
    np.testing.assert_allclose(x, matplotlib.dates.date2num(months))
    levels = [ln.get_ydata()[0] for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert levels == [0.1, 0.25]
    assert texts(ax.texts) == ["moved", "re-segment"]
    assert (ax.get_ylabel(), ax.get_title()) == (
        "PSI against the reference month", "Segment drift (population stability index)")


def test_holdout_chart():
    result = pd.DataFrame({"rate_campaign": [0.6, 0.3], "rate_hold_out": [0.5, 0.3], "difference": [0.1, 0.0],
                           "ci_low": [0.02, -0.05], "ci_high": [0.18, 0.05], "confidence": [0.9, 0.9]},
                          index=["loyal", "new"])
    ax = _plots("over_time").holdout_chart(result)
    (dots,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(dots.get_offsets()[:, 0], [10.0, 0.0])  # percentage points
    assert texts(ax.get_yticklabels()) == ["loyal\n60% vs 50%", "new\n30% vs 30%"]
    (errorbar,) = ax.containers
    segments = errorbar.lines[2][0].get_segments()
    np.testing.assert_allclose([np.asarray(s)[:, 0] for s in segments], [[2.0, 18.0], [-5.0, 5.0]])
    assert (ax.get_xlabel(), ax.get_title()) == (
        "campaign rate minus hold-out rate (percentage points)", "Campaign against hold-out (90% confidence interval)")


# ------------------------------------------------------------------------------------------------ datasets


def test_world_overview():
    sizes = pd.DataFrame({"world": ["retail", "retail", "startup", "startup"],
                          "table": ["customers", "leads", "customers", "leads"], "rows": [100, 4000, 30, 900]})
    ax = _plots("datasets").world_overview(sizes)
    customers, leads = ax.containers
    assert [b.get_height() for b in customers] == [100, 30] and [b.get_height() for b in leads] == [4000, 900]
    assert texts(ax.get_xticklabels()) == ["retail", "startup"]
    assert legend_texts(ax) == ["customers", "leads"] and ax.get_legend().get_title().get_text() == "table"
    assert ax.get_yscale() == "log"
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("rows (log scale)", "")
