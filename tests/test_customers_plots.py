"""The customer charts draw and return their Axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from segtools import plots  # noqa: E402
from segtools.customers import (ClusterSegmenter, pareto_table, rfm, rfm_scores,  # noqa: E402
                                segment_profile)
from segtools.data import load_case  # noqa: E402
from segtools.errors import ValidationError  # noqa: E402


@pytest.fixture(scope="module")
def scored():
    case = load_case("retail")
    return rfm_scores(rfm(case.transactions, case.snapshot_date))


def test_charts_return_axes(scored):
    profile = segment_profile(scored, pd.cut(scored["recency"], [-1, 90, 365, 2000]).astype(str),
                              ["recency", "frequency", "monetary"])
    seg = ClusterSegmenter(k_range=(2, 4), n_init=2).fit(scored[["recency", "frequency", "monetary"]])
    axes = [plots.rfm_heatmap(data=scored), plots.rfm_heatmap(data=scored, value_col="monetary"),
            plots.profile_heatmap(data=profile), plots.segment_share_plot(data=profile),
            plots.k_selection_plot(data=seg.k_scores_, best=seg.n_clusters_), plots.pareto_plot(data=pareto_table(scored))]
    assert all(isinstance(ax, plt.Axes) for ax in axes)
    assert len(axes[0].texts) == 25  # a 5 x 5 grid, every cell annotated
    plt.close("all")


def test_chart_refuses_missing_columns(scored):
    with pytest.raises(ValidationError, match="r_score"):
        plots.rfm_heatmap(data=scored.drop(columns="r_score"))
