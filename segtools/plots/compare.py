"""Charts of the contrast between customer and lead segmentation.

* :func:`funnel_chart`: each lead segment's conversion, split by the customer segment its
  buyers joined (from :func:`segtools.compare.funnel`).
* :func:`layer_cake`: customer segments as the layers of a cake, each as wide as it is big.
* :func:`seed_sieve`: lead scoring as a sieve over a heap of seeds; the seeds that grew are
  the leads that converted.

Each takes ``data=`` first and returns the matplotlib Axes.
"""

from __future__ import annotations

from segtools._validation import require_columns
from segtools.errors import ValidationError
from segtools.plots._axes import axes_for


def funnel_chart(data, *, ax=None, palette="Set2", annotate=True):
    """Stacked bars: the share of each lead segment that became a customer, by customer segment.

    Parameters
    ----------
    data : DataFrame
        The result of :func:`segtools.compare.funnel`.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    palette : str or list, default "Set2"
        Colours of the customer segments.
    annotate : bool, default True
        Write "converted of leads (rate)" at the end of each bar.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.compare import funnel
    >>> leads = pd.DataFrame({"s": ["hot", "hot", "cold"], "converted": [True, False, True],
    ...                       "customer_id": ["C1", None, "C2"]})
    >>> ax = funnel_chart(data=funnel(leads, "s", pd.Series({"C1": "loyal", "C2": "one-off"})))
    >>> ax.get_xlabel()
    'share of the lead segment that became a customer'
    """
    import seaborn as sns

    require_columns(data, ["lead_segment", "customer_segment", "share_of_leads", "leads", "converted"], "funnel")
    ax = axes_for(ax, (8, 0.6 * data["lead_segment"].nunique() + 1.8))
    sns.histplot(data=data, y="lead_segment", hue="customer_segment", weights="share_of_leads",
                 multiple="stack", discrete=True, shrink=0.7, palette=palette, ax=ax, linewidth=0.5,
                 edgecolor="white", alpha=1)
    per = data.drop_duplicates("lead_segment")
    top = per["conversion_rate"].max() if "conversion_rate" in per else (per["converted"] / per["leads"]).max()
    if annotate:
        for i, (_, row) in enumerate(per.iterrows()):
            rate = row["converted"] / row["leads"] if row["leads"] else 0.0
            ax.text(rate + top * 0.015, i, f"{int(row['converted']):,} of {int(row['leads']):,} ({rate:.0%})",
                    va="center", fontsize=9)
    ax.set_xlim(0, top * 1.35 if top > 0 else 1)
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel("share of the lead segment that became a customer")
    ax.set_ylabel("lead segment")
    legend = ax.get_legend()
    if legend is not None:
        legend.set_title("became a customer in")
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.set_title("From lead segment to customer segment")
    return ax


def layer_cake(data, *, segment_col="customer_segment", size_col="customers", text_col=None, ax=None,
               palette="pastel"):
    """Customer segments drawn as the layers of a cake: one layer a segment, as wide as it is big.

    The biggest layer sits at the bottom. ``text_col`` (a column of strings, e.g. the
    flavour each layer gets: its offer, its message) is written beside each layer.

    Parameters
    ----------
    data : DataFrame
        One row a segment, e.g. :func:`segtools.compare.customer_outcomes`; the segment
        names are the column ``segment_col`` or, failing that, the index. A total row labelled
        :data:`segtools.compare.ALL` is left out.
    segment_col : str, default "customer_segment"
        The segment names.
    size_col : str, default "customers"
        The column that sets each layer's width.
    text_col : str, optional
        A column of text written beside each layer.
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    palette : str or list, default "pastel"
        The layers' colours.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> layers = pd.DataFrame({"customer_segment": ["a", "b"], "customers": [30, 10]})
    >>> ax = layer_cake(data=layers)
    >>> [t.get_text() for t in ax.texts]
    ['a · 30', 'b · 10']
    """
    import seaborn as sns

    from segtools.compare import ALL

    segment, size, text = segment_col, size_col, text_col
    _require = [size] + ([text] if text else [])
    if segment not in getattr(data, "columns", ()):
        data = data.rename_axis(segment).reset_index() if hasattr(data, "reset_index") else data
    require_columns(data, [segment, *_require], "layers")
    layers = data[data[segment].astype(str) != ALL].sort_values(size, ascending=False, kind="stable")
    if layers.empty or (layers[size] < 0).any():
        raise ValidationError(f"layers: column {size!r} needs at least one row and no negative sizes "
                              f"({len(layers):,} rows)", table="layers")
    ax = axes_for(ax, (9, 0.75 * len(layers) + 1.5))
    widest = float(layers[size].max()) or 1.0
    colours = sns.color_palette(palette, len(layers))
    for level, (colour, (_, row)) in enumerate(zip(colours, layers.iterrows())):
        width = max(float(row[size]) / widest, 0.04)
        ax.barh(level, width, left=-width / 2, height=0.92, color=colour, edgecolor="#6b4f3a", linewidth=1.2)
        label = f"{row[segment]} · {row[size]:,}"
        if text:
            label += f" · {row[text]}"
        ax.text(0.56, level, label, va="center", fontsize=9)
    ax.barh(-0.62, 1.15, left=-0.575, height=0.16, color="#bbbbbb")  # the plate
    ax.set_xlim(-0.6, 1.9)
    ax.set_ylim(-0.9, len(layers) - 0.3)
    ax.set_axis_off()
    ax.set_title(f"Customer segments as the layers of a cake (width = {size})")
    return ax


def seed_sieve(data, *, score_col, outcome_col="converted", capacity=None, threshold=None, ax=None,
               random_state=0, palette=("#c9b79c", "#2e8b57")):
    """Lead scoring as a sieve: every lead a seed at its score; the mesh keeps the best-scored ones.

    The leads that converted are the seeds that grew. Above the mesh are the leads sales
    follows up (the ``capacity`` best, or those scoring at least ``threshold``); the text
    says how many seeds each side holds and what share of them grew.

    Parameters
    ----------
    data : DataFrame
        One row a lead with a numeric score and a boolean outcome.
    score_col : str
        The score column (higher = more likely to convert).
    outcome_col : str, default "converted"
        The outcome column (True = the lead converted).
    capacity : int, optional
        How many leads can be followed up; the mesh sits at the score of the last one kept.
    threshold : float, optional
        The score a lead needs to be kept (used when ``capacity`` is not given).
    ax : matplotlib.axes.Axes, optional
        The Axes to draw on; a new figure when omitted.
    random_state : int, default 0
        Seed of the horizontal jitter that spreads the heap.
    palette : pair of colours
        The colours of seeds that did not grow and of seeds that grew.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"p": [0.9, 0.8, 0.3, 0.1], "converted": [True, False, False, False]})
    >>> ax = seed_sieve(data=leads, score_col="p", capacity=2)
    >>> ax.texts[0].get_text()
    'kept: 2 leads, 50% grew'
    """
    import numpy as np
    import pandas as pd
    import seaborn as sns

    score, converted = score_col, outcome_col
    require_columns(data, [score, converted], "leads")
    bad = data[score].isna() | data[converted].isna()
    if bad.any():
        raise ValidationError(f"leads: {int(bad.sum()):,} of {len(data):,} rows have no {score!r} or "
                              f"{converted!r}; score or drop them first", table="leads")
    if capacity is None and threshold is None:
        raise ValueError("give capacity (how many leads to keep) or threshold (the score to reach)")
    scores = data[score].astype(float)
    if capacity is not None:
        capacity = int(min(max(capacity, 0), len(data)))
        ranked = scores.sort_values(ascending=False, kind="stable")
        kept = pd.Series(False, index=data.index)
        kept.loc[ranked.index[:capacity]] = True
        threshold = float(ranked.iloc[capacity - 1]) if capacity else float(scores.max()) + 1
    else:
        kept = scores >= threshold
    grew = data[converted].astype(bool)
    rng = np.random.default_rng(random_state)
    heap = pd.DataFrame({"spread": rng.uniform(-1, 1, len(data)), score: scores.to_numpy(),
                         "seed": np.where(grew, "grew (converted)", "did not grow")})
    heap = heap.sort_values("seed", ascending=True, kind="stable")  # seeds that grew on top
    ax = axes_for(ax, (8, 5))
    sns.scatterplot(data=heap, x="spread", y=score, hue="seed", hue_order=["did not grow", "grew (converted)"],
                    palette=list(palette), s=14, alpha=0.75, linewidth=0, ax=ax)
    ax.axhline(threshold, color="#444444", linestyle=(0, (4, 2)), linewidth=1.5)
    lo, hi = float(scores.min()), float(scores.max())
    pad = (hi - lo) * 0.04 or 0.5
    ax.axhspan(threshold - pad / 3, threshold + pad / 3, color="#999999", alpha=0.25, linewidth=0)
    n_kept, n_out = int(kept.sum()), int((~kept).sum())
    share_kept = grew[kept].mean() if n_kept else 0.0
    share_out = grew[~kept].mean() if n_out else 0.0
    kept_text = f"kept: {n_kept:,} lead{'s' * (n_kept != 1)}, {share_kept:.0%} grew"
    out_text = f"sifted out: {n_out:,} lead{'s' * (n_out != 1)}, {share_out:.0%} grew"
    ax.text(1.05, threshold + pad, kept_text, va="bottom", fontsize=9)
    ax.text(1.05, threshold - pad, out_text, va="top", fontsize=9)
    ax.set_xlim(-1.1, 3.0)
    ax.set_xticks([])
    ax.set_xlabel("")
    ax.set_ylabel(f"lead score ({score})")
    sns.move_legend(ax, "upper right", title=None, frameon=False, fontsize=9)
    ax.set_title("Lead scoring as a sieve: keep the seeds most likely to grow")
    return ax
