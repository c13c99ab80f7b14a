"""Charts for segmentation over time: segment mix, drift, transitions, a hold-out test.

Each takes ``data=`` first (the output of the matching function in
:mod:`segtools.over_time`) and returns the matplotlib Axes.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from segtools.plots.over_time import transition_heatmap
>>> matrix = pd.DataFrame({"light": [8, 2], "heavy": [1, 5]}, index=["light", "heavy"])
>>> transition_heatmap(data=matrix).get_title()
'Who moved where'
"""

from __future__ import annotations

from segtools.errors import ValidationError
from segtools.plots._axes import axes_for


def _month_axis(ax) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def transition_heatmap(data, *, ax=None, title: str = "Who moved where", cmap: str = "Blues"):
    """Heatmap of a transition matrix: rows = segment before, columns = segment after.

    Counts are written as integers, shares (rows summing to 1) as percentages.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`segtools.over_time.transition_matrix`.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    title : str
        The chart title.
    cmap : str, default "Blues"
        The colour map.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    import numpy as np
    import pandas as pd
    import seaborn as sns

    if not isinstance(data, pd.DataFrame) or data.empty:
        raise ValidationError("transition matrix: expected a non-empty DataFrame", table="transitions")
    ax = axes_for(ax, (7, 4))
    values = data.to_numpy(dtype=float)
    is_share = bool(np.all(values <= 1.0)) and not np.allclose(values, np.round(values))
    sns.heatmap(data.astype(float), annot=True, fmt=".0%" if is_share else ".0f", cmap=cmap, cbar=False,
                linewidths=0.5, ax=ax)
    ax.set_xlabel(f"segment at the end ({data.columns.name or 'to'})")
    ax.set_ylabel(f"segment at the start ({data.index.name or 'from'})")
    ax.set_title(title)
    return ax


def segment_share_chart(data, *, ax=None, title: str = "Segment mix month by month"):
    """Lines of each segment's share per month.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`segtools.over_time.segment_shares`.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    title : str
        The chart title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"light": [0.6, 0.5], "heavy": [0.4, 0.5], "n": [10, 12]},
    ...                       index=pd.to_datetime(["2025-01-01", "2025-02-01"]).rename("month"))
    >>> len(segment_share_chart(data=shares).get_lines()) >= 2
    True
    """
    import pandas as pd
    import seaborn as sns
    from matplotlib.ticker import PercentFormatter

    if not isinstance(data, pd.DataFrame) or data.empty:
        raise ValidationError("segment shares: expected a non-empty DataFrame", table="shares")
    wide = data.drop(columns=[c for c in ("n", "n_excluded") if c in data.columns])
    period = wide.index.name or "month"
    long = wide.rename_axis(period).reset_index().melt(id_vars=period, var_name="segment", value_name="share")
    ax = axes_for(ax, (7, 4))
    sns.lineplot(data=long, x=period, y="share", hue="segment", hue_order=list(wide.columns), ax=ax)
    if ax.get_legend() is not None:  # beside the plot, never over the lines
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title="segment", frameon=False)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    _month_axis(ax)
    ax.set_ylabel("share of active customers")
    ax.set_title(title)
    return ax


def drift_chart(data, *, ax=None, thresholds=(0.1, 0.25), title: str = "Segment drift (population stability index)"):
    """The population stability index per month, with the usual 0.1 and 0.25 reading lines.

    Parameters
    ----------
    data : Series
        The output of :func:`segtools.over_time.population_stability`.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    thresholds : pair of float, default (0.1, 0.25)
        The reading lines: above the first the mix has moved, above the second re-segment.
    title : str
        The chart title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    import pandas as pd
    import seaborn as sns

    if not isinstance(data, pd.Series) or data.empty:
        raise ValidationError("drift: expected a non-empty Series of PSI values", table="drift")
    ax = axes_for(ax, (7, 4))
    frame = data.rename("psi").rename_axis("month").reset_index()
    sns.lineplot(data=frame, x="month", y="psi", marker="o", ax=ax)
    for level, label in zip(thresholds, ("moved", "re-segment")):
        ax.axhline(level, color="grey", linestyle="--", linewidth=1)
        ax.annotate(label, (frame["month"].iloc[0], level), xytext=(2, 2), textcoords="offset points",
                    color="grey", fontsize=9)
    _month_axis(ax)
    ax.set_ylabel("PSI against the reference month")
    ax.set_title(title)
    return ax


def holdout_chart(data, *, ax=None, treated: str = "campaign", control: str = "hold_out",
                  title: str = "Campaign against hold-out"):
    """The difference in outcome rate (campaign minus hold-out) with its confidence interval.

    A vertical line marks zero: an interval that crosses it cannot tell the campaign from chance.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`segtools.over_time.holdout_test`, one row per test (e.g. per segment);
        the row labels name the tests.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    treated, control : str
        The group labels used in :func:`segtools.over_time.holdout_test`.
    title : str
        The chart title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from segtools.over_time import holdout_test
    >>> df = pd.DataFrame({"group": ["campaign"] * 100 + ["hold_out"] * 100,
    ...                    "kept": [True] * 60 + [False] * 40 + [True] * 50 + [False] * 50})
    >>> holdout_chart(data=holdout_test(df, outcome_col="kept")).get_xlabel()
    'campaign rate minus hold-out rate (percentage points)'
    """
    import pandas as pd
    import seaborn as sns

    needed = [f"rate_{treated}", f"rate_{control}", "difference", "ci_low", "ci_high"]
    if not isinstance(data, pd.DataFrame) or data.empty or any(c not in data.columns for c in needed):
        raise ValidationError(f"holdout result: expected the output of holdout_test with columns {needed}",
                              table="holdout")
    ax = axes_for(ax, (7, 4))
    frame = data.assign(test=[f"{label}\n{t:.0%} vs {c:.0%}" for label, t, c in
                              zip(data.index, data[f"rate_{treated}"], data[f"rate_{control}"])])
    frame = frame.assign(**{k: frame[k] * 100 for k in ("difference", "ci_low", "ci_high")})
    sns.scatterplot(data=frame, x="difference", y="test", s=80, color="tab:blue", zorder=3, ax=ax)
    ax.errorbar(frame["difference"], range(len(frame)), fmt="none", ecolor="tab:blue", capsize=6,
                xerr=[frame["difference"] - frame["ci_low"], frame["ci_high"] - frame["difference"]])
    ax.axvline(0, color="grey", linestyle="--", linewidth=1)
    level = data["confidence"].iloc[0] if "confidence" in data.columns else 0.95
    ax.set_xlabel(f"{treated} rate minus {control.replace('_', '-')} rate (percentage points)")
    ax.set_ylabel("")
    ax.set_title(f"{title} ({level:.0%} confidence interval)" if title else "")
    return ax
