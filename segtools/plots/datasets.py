"""Charts that introduce the case worlds."""

from __future__ import annotations


def world_overview(data, *, x: str = "world", y: str = "rows", hue: str = "table", ax=None, log: bool = True):
    """Bar chart of table sizes per world (log scale by default: the tables differ by orders of magnitude).

    Parameters
    ----------
    data : DataFrame
        One row per (world, table) with a row count, e.g. from :func:`segtools.data.case_sizes`.
    x, y, hue : str
        Column names for the bars' position, height and colour.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    log : bool, default True
        A log scale for the heights.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.plots.datasets import world_overview
    >>> sizes = pd.DataFrame({"world": ["a", "a"], "table": ["customers", "leads"], "rows": [10, 40]})
    >>> world_overview(data=sizes).get_ylabel()
    'rows (log scale)'
    """
    import seaborn as sns

    from segtools.plots._axes import axes_for

    ax = axes_for(ax, (8, 4))
    sns.barplot(data=data, x=x, y=y, hue=hue, ax=ax)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(f"{y} (log scale)" if log else y)
    ax.set_xlabel("")
    ax.legend(title=hue, bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    return ax
