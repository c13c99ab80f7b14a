"""Charts for customer segmentation: each takes ``data=`` first, draws with seaborn, returns the Axes.

``rfm_heatmap`` (customers per recency-by-frequency score cell), ``profile_heatmap``
(lift of each feature per segment), ``segment_share_plot`` (share of customers against
share of revenue), ``k_selection_plot`` (silhouette or BIC against k) and
``pareto_plot`` (cumulative revenue share against customer share).
"""

from __future__ import annotations

import numpy as np

from segtools._validation import require_columns
from segtools.plots._axes import axes_for


def rfm_heatmap(data, *, x="f_score", y="r_score", value_col=None, ax=None, cmap="Blues"):
    """Grid of recency score (rows, 5 on top) by frequency score: customers per cell, or the mean of ``value_col``.

    Parameters
    ----------
    data : DataFrame
        Output of :func:`segtools.customers.rfm_scores`.
    x, y : str
        Score columns for columns and rows of the grid.
    value_col : str, optional
        Show the mean of this column per cell instead of the number of customers.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    cmap : str, default "Blues"
        The colour map.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.plots import rfm_heatmap
    >>> ax = rfm_heatmap(pd.DataFrame({"r_score": [1, 5, 5], "f_score": [1, 1, 5]}))
    >>> ax.get_ylabel()
    'r_score'
    """
    import seaborn as sns

    require_columns(data, [x, y] + ([value_col] if value_col else []), "rfm")
    ax = axes_for(ax)
    rows = range(int(data[y].max()), 0, -1)
    cols = range(1, int(data[x].max()) + 1)
    if value_col:
        grid = data.pivot_table(index=y, columns=x, values=value_col, aggfunc="mean", observed=True)
    else:
        grid = data.groupby([y, x], observed=True).size().unstack(fill_value=0)
    grid = grid.reindex(index=rows, columns=cols)
    sns.heatmap(grid, annot=True, fmt=",.0f", cmap=cmap, cbar=False, linewidths=0.5, ax=ax)
    ax.set_title(f"mean {value_col} per cell" if value_col else "customers per score cell")
    return ax


def profile_heatmap(data, *, features=None, ax=None, cmap="RdBu_r"):
    """Lift of each feature per segment (a profile table's ``*_lift`` columns), on a log scale centred on 1.

    Parameters
    ----------
    data : DataFrame
        Output of :func:`segtools.customers.segment_profile`.
    features : list of str, optional
        The features shown (their ``*_lift`` columns); all when omitted.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    cmap : str, default "RdBu_r"
        A diverging colour map.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.plots import profile_heatmap
    >>> p = pd.DataFrame({"recency_lift": [0.5, 2.0], "frequency_lift": [3.0, 0.4]}, index=["a", "b"])
    >>> profile_heatmap(p).get_xticklabels()[0].get_text()
    'recency'
    """
    import seaborn as sns

    lifts = [c for c in data.columns if c.endswith("_lift")] if features is None else [f"{f}_lift" for f in features]
    require_columns(data, lifts, "profile")
    table = data[lifts].astype(float).rename(columns=lambda c: c[:-5])
    ax = axes_for(ax, figsize=(max(6.4, 1.1 * len(lifts)), 0.5 * len(table) + 1.8))
    log = np.log2(table.clip(lower=1 / 16, upper=16))
    sns.heatmap(log, annot=table, fmt=".2f", cmap=cmap, center=0, vmin=-2, vmax=2, linewidths=0.5,
                cbar_kws={"label": "log2 lift (0 = like the base)"}, ax=ax)
    ax.set_ylabel("")
    ax.set_title("lift against the whole base (1 = average)")
    return ax


def segment_share_plot(data, *, ax=None):
    """Bars of each segment's share of customers next to its share of revenue.

    Parameters
    ----------
    data : DataFrame
        A profile table with ``customer_share`` and ``revenue_share``, one row per segment.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.plots import segment_share_plot
    >>> p = pd.DataFrame({"customer_share": [0.8, 0.2], "revenue_share": [0.3, 0.7]}, index=["a", "b"])
    >>> segment_share_plot(p).get_xlabel()
    'share'
    """
    import seaborn as sns

    require_columns(data, ["customer_share", "revenue_share"], "profile")
    long = (data[["customer_share", "revenue_share"]].rename_axis("segment").reset_index()
            .melt(id_vars="segment", var_name="measure", value_name="share"))
    long["segment"] = long["segment"].astype(str)
    ax = axes_for(ax, figsize=(6.4, 0.45 * len(data) + 1.6))
    sns.barplot(data=long, y="segment", x="share", hue="measure", orient="h", ax=ax)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_ylabel("")
    ax.set_title("share of customers and of revenue per segment")
    return ax


def k_selection_plot(data, *, y="silhouette", best=None, ax=None):
    """The k-selection curve: ``y`` (silhouette, inertia or BIC) against k, the chosen k marked.

    Parameters
    ----------
    data : DataFrame
        ``ClusterSegmenter.k_scores_``.
    y : str, default "silhouette"
        The measure drawn.
    best : int, optional
        The chosen k, marked with a line.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.plots import k_selection_plot
    >>> ax = k_selection_plot(pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.3, 0.5, 0.4]}), best=3)
    >>> ax.get_xlabel()
    'k'
    """
    import seaborn as sns

    require_columns(data, ["k", y], "k_scores")
    ax = axes_for(ax)
    sns.lineplot(data=data, x="k", y=y, marker="o", ax=ax)
    if best is not None:
        ax.axvline(best, color="grey", linestyle="--")
        ax.annotate(f"chosen k = {best}", (best, data[y].max()), textcoords="offset points", xytext=(5, -10))
    ax.set_xticks(list(data["k"]))
    ax.set_title(f"{y} against the number of segments k")
    return ax


def pareto_plot(data, *, mark=0.2, ax=None):
    """Cumulative revenue share against cumulative customer share, with the equality line.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`segtools.customers.pareto_table`.
    mark : float, default 0.2
        Marks where the best ``mark`` share of customers stands (0 or None: no mark).
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.plots import pareto_plot
    >>> t = pd.DataFrame({"customer_share": [0.5, 1.0], "revenue_share": [0.9, 1.0]})
    >>> pareto_plot(t).get_ylabel()
    'share of revenue'
    """
    import seaborn as sns

    require_columns(data, ["customer_share", "revenue_share"], "pareto")
    ax = axes_for(ax)
    curve = data[["customer_share", "revenue_share"]]
    if len(curve) > 2000:  # thin the curve for drawing; the shape does not change
        curve = curve.iloc[np.unique(np.linspace(0, len(curve) - 1, 2000).astype(int))]
    sns.lineplot(data=curve, x="customer_share", y="revenue_share", ax=ax, label="customers, best first")
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="every customer equal")
    if mark:
        idx = int(np.searchsorted(data["customer_share"].to_numpy(), mark))
        share = float(data["revenue_share"].iloc[min(idx, len(data) - 1)])
        ax.scatter([mark], [share], color="C3", zorder=3)
        ax.annotate(f"top {mark:.0%}: {share:.0%} of revenue", (mark, share), textcoords="offset points",
                    xytext=(8, -14))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel("share of customers")
    ax.set_ylabel("share of revenue")
    ax.legend(loc="lower right")
    ax.set_title("Pareto view of customer value")
    return ax
