"""Charts for lead segmentation: each takes ``data=`` first, draws with seaborn, returns the Axes."""

from __future__ import annotations

from segtools._validation import require_columns
from segtools.plots._axes import axes_for


def score_distribution(data, *, x="score", hue="converted", bins=30, ax=None):
    """Histogram of a score per outcome, each outcome scaled to its own total (shares, not counts).

    Parameters
    ----------
    data : DataFrame
        One row per lead.
    x : str, default "score"
        The score column.
    hue : str, default "converted"
        The outcome column; one histogram per value.
    bins : int, default 30
        Histogram bins.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.plots import score_distribution
    >>> ax = score_distribution(pd.DataFrame({"score": [1, 2, 3, 8, 9], "converted": [0, 0, 0, 1, 1]}))
    >>> ax.get_xlabel()
    'score'
    """
    import seaborn as sns

    require_columns(data, [x, hue], table="scores")
    ax = axes_for(ax)
    sns.histplot(data=data, x=x, hue=hue, bins=bins, stat="proportion", common_norm=False, element="step", ax=ax)
    ax.set_ylabel("share of the group's leads")
    ax.set_title(f"{x} by {hue}")
    return ax


def grade_heatmap(data, *, ax=None, cmap="YlGn"):
    """Grade matrix (fit A-D by engagement 1-4) coloured by conversion rate, annotated with rate and leads.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`segtools.leads.grade_matrix`.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    cmap : str, default "YlGn"
        The colour map.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import grade_matrix
    >>> from segtools.plots import grade_heatmap
    >>> m = grade_matrix(pd.DataFrame({"fit_grade": ["A", "B"], "engagement_level": [1, 2]}), [True, False])
    >>> grade_heatmap(m).get_ylabel()
    'fit grade (A fits best)'
    """
    import numpy as np
    import seaborn as sns

    require_columns(data, ["fit_grade", "engagement_level", "leads", "rate"], table="grade matrix")
    rate = data.pivot(index="fit_grade", columns="engagement_level", values="rate")
    leads = data.pivot(index="fit_grade", columns="engagement_level", values="leads")
    labels = np.where(leads.to_numpy() > 0,
                      [[f"{r:.0%}\n{n:,} leads" if n else "" for r, n in zip(rr, nn)]
                       for rr, nn in zip(rate.to_numpy(), leads.to_numpy())], "no leads")
    ax = axes_for(ax, (6.4, 4.8))
    sns.heatmap(rate.astype(float), annot=labels, fmt="", cmap=cmap, cbar_kws={"label": "conversion rate"},
                linewidths=0.5, ax=ax)
    ax.set_xlabel("engagement level (1 most engaged)")
    ax.set_ylabel("fit grade (A fits best)")
    ax.set_title("Conversion rate by grade")
    return ax


def gains_chart(data, *, hue=None, ax=None):
    """Cumulative gains: share of conversions found against share of leads called, best first.

    The dashed diagonal is calling at random.

    Parameters
    ----------
    data : DataFrame
        :func:`segtools.leads.gains_table` output, optionally several stacked.
    hue : str, optional
        A column telling stacked tables apart (e.g. ``scorer``), one line or colour each.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> from segtools.leads import gains_table
    >>> from segtools.plots import gains_chart
    >>> gains_chart(gains_table([1, 0, 1, 0, 0], [5, 4, 3, 2, 1], n_bins=5)).get_xlabel()
    'share of leads called (best scores first)'
    """
    import pandas as pd
    import seaborn as sns

    require_columns(data, ["cum_leads_share", "cum_conversions_share"] + ([hue] if hue else []), table="gains")
    starts = [{"cum_leads_share": 0.0, "cum_conversions_share": 0.0, **({hue: h} if hue else {})}
              for h in (data[hue].unique() if hue else [None])]
    frame = pd.concat([pd.DataFrame(starts), data], ignore_index=True)
    ax = axes_for(ax)
    sns.lineplot(data=frame, x="cum_leads_share", y="cum_conversions_share", hue=hue, marker="o", ax=ax)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="random order")
    ax.set_xlabel("share of leads called (best scores first)")
    ax.set_ylabel("share of all conversions found")
    ax.set_title("Cumulative gains")
    ax.legend(loc="lower right")
    return ax


def lift_chart(data, *, hue=None, ax=None):
    """Lift per decile: how many times the average conversion rate each decile reaches.

    Parameters
    ----------
    data : DataFrame
        :func:`segtools.leads.gains_table` output, optionally several stacked.
    hue : str, optional
        A column telling stacked tables apart (e.g. ``scorer``), one line or colour each.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> from segtools.leads import gains_table
    >>> from segtools.plots import lift_chart
    >>> lift_chart(gains_table([1, 0, 1, 0, 0], [5, 4, 3, 2, 1], n_bins=5)).get_ylabel()
    'lift (1 = average)'
    """
    import seaborn as sns

    require_columns(data, ["decile", "lift"] + ([hue] if hue else []), table="gains")
    ax = axes_for(ax)
    sns.barplot(data=data, x="decile", y="lift", hue=hue, ax=ax)
    ax.axhline(1.0, linestyle="--", color="grey")
    ax.set_xlabel("score decile (1 = highest scores)")
    ax.set_ylabel("lift (1 = average)")
    ax.set_title("Lift by decile")
    return ax


def calibration_chart(data, *, hue=None, ax=None):
    """Observed conversion rate against mean predicted probability per bin; the diagonal is perfect.

    Parameters
    ----------
    data : DataFrame
        :func:`segtools.leads.calibration_table` output, optionally several stacked.
    hue : str, optional
        A column telling stacked tables apart (e.g. ``scorer``), one line or colour each.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> from segtools.leads import calibration_table
    >>> from segtools.plots import calibration_chart
    >>> calibration_chart(calibration_table([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], n_bins=2)).get_title()
    'Calibration'
    """
    import seaborn as sns

    require_columns(data, ["mean_predicted", "observed_rate"] + ([hue] if hue else []), table="calibration")
    ax = axes_for(ax, (5.2, 5.0))
    top = float(max(data["mean_predicted"].max(), data["observed_rate"].max(), 0.05)) * 1.05
    ax.plot([0, top], [0, top], linestyle="--", color="grey", label="perfectly calibrated")
    sns.lineplot(data=data, x="mean_predicted", y="observed_rate", hue=hue, marker="o", ax=ax)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("mean predicted probability")
    ax.set_ylabel("observed conversion rate")
    ax.set_title("Calibration")
    ax.legend(loc="upper left")
    return ax


def capacity_chart(data, *, y="conversions", expected=False, ax=None):
    """Conversions (or revenue) against weekly follow-up capacity, one line per strategy.

    Parameters
    ----------
    data : DataFrame
        :func:`segtools.leads.capacity_table` output.
    y : str, default "conversions"
        Any of its measures.
    expected : bool, default False
        Also draw the conversions the model expected when calling by score (a dashed black
        line): where it follows the actual line, the model's probabilities can be trusted
        for planning.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import capacity_table
    >>> from segtools.plots import capacity_chart
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-06", "2025-01-07"]),
    ...                       "p": [0.2, 0.7], "won": [False, True]})
    >>> capacity_chart(capacity_table(leads, "p", "won", [0, 1, 2]), expected=True).get_xlabel()
    'leads followed up per week'
    """
    import seaborn as sns

    require_columns(data, ["capacity", "strategy", y], table="capacity")
    ax = axes_for(ax)
    sns.lineplot(data=data, x="capacity", y=y, hue="strategy", style="strategy", markers=True, ax=ax)
    if expected:
        score = data[data["strategy"] == "score"].sort_values("capacity")
        column = "expected_conversions" if y == "conversions" else "expected_revenue"
        ax.plot(score["capacity"], score[column], color="black", linestyle="--", linewidth=1,
                label="score: expected by the model")
        ax.legend()
    ax.set_xlabel("leads followed up per week")
    ax.set_ylabel(y.replace("_", " "))
    ax.set_title(f"{y.replace('_', ' ').capitalize()} by weekly capacity")
    return ax


def segment_rates_chart(data, *, y, confidence=0.95, ax=None):
    """Conversion rate per segment with its confidence interval; segments too small are grey.

    Parameters
    ----------
    data : DataFrame
        :func:`segtools.leads.segment_conversion` output.
    y : str
        The segment column (drawn on the y axis).
    confidence : float, default 0.95
        Only labels the axis (use the level the table was computed with).
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import segment_conversion
    >>> from segtools.plots import segment_rates_chart
    >>> t = segment_conversion(pd.DataFrame({"s": ["a"] * 40 + ["b"] * 5, "converted": [True, False] * 22 + [True]}), "s")
    >>> segment_rates_chart(t, y="s").get_xlabel()
    'conversion rate (with 95% interval)'
    """
    import seaborn as sns

    require_columns(data, [y, "rate", "ci_low", "ci_high", "too_small"], table="segments")
    frame = data.assign(judged=data["too_small"].map({False: "enough leads", True: "too small to judge"}))
    ax = axes_for(ax, (6.4, max(2.5, 0.45 * len(frame) + 1)))
    labels = frame[y].astype(str)
    colours = {"enough leads": "C0", "too small to judge": "0.6"}
    ax.hlines(labels, frame["ci_low"], frame["ci_high"], colors=[colours[j] for j in frame["judged"]], linewidth=2)
    sns.scatterplot(x=frame["rate"].to_numpy(), y=labels.to_numpy(), hue=frame["judged"].to_numpy(),
                    palette=colours, s=60, zorder=3, ax=ax)
    ax.set_xlabel(f"conversion rate (with {confidence:.0%} interval)")
    ax.set_ylabel(y)
    ax.set_title(f"Conversion rate by {y}")
    return ax
