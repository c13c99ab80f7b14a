"""Charts of the contrast between customer and lead segmentation.

* :func:`funnel_chart`: each lead segment's conversion, split by the customer segment its
  buyers joined (from :func:`segtools.compare.funnel`).
* :func:`layer_cake`: customer segments as the layers of a cake, each as wide as it is big.
* :func:`seed_sieve`: lead scoring as a sieve over a heap of seeds; the seeds that grew are
  the leads that converted.
* :func:`rate_heatmap` and :func:`half_year_mix_chart`: the case studies' conversion over two
  attributes and a mix over half-years.

Each takes ``data=`` first and returns the matplotlib Axes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from segtools._validation import require_columns
from segtools.errors import ValidationError
from segtools.plots._axes import axes_for

if TYPE_CHECKING:
    import pandas as pd


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
                    va="center", fontsize=9, bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                                   "edgecolor": "none", "alpha": 0.85})
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


def layer_cake(data, *, segment_col="customer_segment", size_col="customers", text_col=None, flavour_col=None,
               ax=None, palette="pastel"):
    """One offer as a layered cake: a layer per customer segment, as thick as the segment is big.

    The cake is the offer every customer gets; each layer is a segment, its thickness its share of
    ``size_col`` (biggest at the bottom) and its colour its flavour, the way the offer is adjusted
    for it (``flavour_col``: a discount, a feature, a message). Each layer is labelled
    "segment · size", plus ``text_col`` when given.

    Parameters
    ----------
    data : DataFrame
        One row a segment, e.g. :func:`segtools.compare.customer_outcomes`; the segment names are
        the column ``segment_col`` or, failing that, the index. A total row labelled
        :data:`segtools.compare.ALL` is left out.
    segment_col : str, default "customer_segment"
        The segment names.
    size_col : str, default "customers"
        The column that sets each layer's thickness.
    text_col : str, optional
        A column of text written beside each layer (e.g. the numbers behind the flavour).
    flavour_col : str, optional
        The offer adjustment of each layer; layers with the same flavour share a colour and the
        legend names the flavours. Default: a colour per segment, no legend.
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
    >>> layers = pd.DataFrame({"customer_segment": ["a", "b"], "customers": [30, 10],
    ...                        "offer": ["loyalty points", "welcome discount"]})
    >>> ax = layer_cake(data=layers, flavour_col="offer")
    >>> [t.get_text() for t in ax.texts], [round(float(p.get_height()), 2) for p in ax.patches[:2]]
    (['a · 30', 'b · 10'], [0.75, 0.25])
    """
    import seaborn as sns

    from segtools.compare import ALL

    segment, size, text = segment_col, size_col, text_col
    _require = [size] + ([text] if text else []) + ([flavour_col] if flavour_col else [])
    if segment not in getattr(data, "columns", ()):
        data = data.rename_axis(segment).reset_index() if hasattr(data, "reset_index") else data
    require_columns(data, [segment, *_require], "layers")
    layers = data[data[segment].astype(str) != ALL].sort_values(size, ascending=False, kind="stable")
    if layers.empty or (layers[size] < 0).any() or float(layers[size].sum()) <= 0:
        raise ValidationError(f"layers: column {size!r} needs at least one row, no negative sizes and a "
                              f"positive total ({len(layers):,} rows)", table="layers")
    keys = layers[flavour_col].astype(str) if flavour_col else layers[segment].astype(str)
    flavours = list(dict.fromkeys(keys))
    room = 0.21 * (len(flavours) + 1) + 0.15 if flavour_col else 0.0  # inches under the plate for the legend
    ax = axes_for(ax, (9, 0.6 * len(layers) + 2.5 + room))
    colour_of = dict(zip(flavours, sns.color_palette(palette, len(flavours))))
    thickness = layers[size].astype(float) / float(layers[size].sum())
    bottom = 0.0
    for (_, row), key, height in zip(layers.iterrows(), keys, thickness.tolist()):
        label = key if flavour_col and key not in [c.get_label() for c in ax.containers] else None
        ax.bar(0, height, bottom=bottom, width=1.0, color=colour_of[key], edgecolor="#6b4f3a", linewidth=1.2,
               label=label)
        words = f"{row[segment]} · {row[size]:,}" + (f" · {row[text]}" if text else "")
        ax.text(0.56, bottom + height / 2, words, va="center", fontsize=9)
        bottom += height
    ax.bar(0, 0.03, bottom=-0.04, width=1.2, color="#bbbbbb")  # the plate
    ax.set_xlim(-0.65, 2.2)
    share = min(room / (ax.get_position().height * ax.figure.get_size_inches()[1]), 0.6)
    ax.set_ylim(-(0.06 + 1.02 * share) / (1 - share), 1.02)  # the legend sits under the plate, clear of the labels
    ax.set_axis_off()
    if flavour_col:
        ax.legend(title="flavour" if flavour_col == "flavour" else f"flavour ({flavour_col})", loc="lower left",
                  bbox_to_anchor=(0.0, 0.0), frameon=False, fontsize=9, title_fontsize=9, alignment="left")
    ax.set_title(f"One offer, layered by customer segment (thickness = {size})")
    return ax


def seed_sieve(data, *, score_col, outcome_col="converted", capacity=None, threshold=None, ax=None,
               random_state=0, palette=("#c9b79c", "#2e8b57")):
    """Lead scoring as a sieve: every lead a seed at its score; a mesh keeps the best-scored ones.

    The leads that converted are the seeds that grew (the buyers). With one mesh (``capacity`` or
    ``threshold`` a number) the text says how many seeds each side holds and what share grew. With
    several (a list), every mesh is drawn and labelled with the leads it keeps, the buyers among
    them and the buyers that fall through it: a finer mesh keeps fewer leads and loses more buyers.

    Parameters
    ----------
    data : DataFrame
        One row a lead with a numeric score and a boolean outcome.
    score_col : str
        The score column (higher = more likely to convert).
    outcome_col : str, default "converted"
        The outcome column (True = the lead converted).
    capacity : int or list of int, optional
        How many leads can be followed up; a mesh sits at the score of the last one kept.
    threshold : float or list of float, optional
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
    >>> leads = pd.DataFrame({"p": [0.9, 0.8, 0.3, 0.1], "converted": [True, False, True, False]})
    >>> seed_sieve(data=leads, score_col="p", capacity=2).texts[0].get_text()
    'kept: 2 leads, 50% grew'
    >>> for text in seed_sieve(data=leads, score_col="p", capacity=[1, 3]).texts:
    ...     print(text.get_text())
    top 1: keeps 1 lead, 1 buyer; 1 of 2 buyers fall through
    top 3: keeps 3 leads, 2 buyers; 0 of 2 buyers fall through
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
    several = isinstance(capacity if capacity is not None else threshold, (list, tuple, np.ndarray))
    scores = data[score].astype(float)
    ranked = scores.sort_values(ascending=False, kind="stable")
    meshes = []  # (label, threshold, kept)
    for value in (list(capacity if capacity is not None else threshold) if several
                  else [capacity if capacity is not None else threshold]):
        if capacity is not None:
            n = int(min(max(value, 0), len(data)))
            kept = pd.Series(False, index=data.index)
            kept.loc[ranked.index[:n]] = True
            meshes.append((f"top {n:,}", float(ranked.iloc[n - 1]) if n else float(scores.max()) + 1, kept))
        else:
            meshes.append((f"score >= {value:g}", float(value), scores >= value))
    grew = data[converted].astype(bool)
    rng = np.random.default_rng(random_state)
    heap = pd.DataFrame({"spread": rng.uniform(-1, 1, len(data)), score: scores.to_numpy(),
                         "seed": np.where(grew, "grew (converted)", "did not grow")})
    heap = heap.sort_values("seed", ascending=True, kind="stable")  # seeds that grew on top
    ax = axes_for(ax, (9 if several else 8, 5))
    sns.scatterplot(data=heap, x="spread", y=score, hue="seed", hue_order=["did not grow", "grew (converted)"],
                    palette=list(palette), s=14, alpha=0.75, linewidth=0, ax=ax)
    lo, hi = float(scores.min()), float(scores.max())
    pad = (hi - lo) * 0.04 or 0.5
    right = 4.2 if several else 3.0
    heap_end = (1.0 + 1.1) / (right + 1.1)  # the meshes span the heap only, so they never cross a label
    plural = lambda n, word: f"{n:,} {word}{'s' * (n != 1)}"
    label_box = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    label_at, above = {}, hi + 3 * pad  # each label at its mesh, moved down if it would touch the one above
    for i in sorted(range(len(meshes)), key=lambda i: -meshes[i][1]):
        label_at[i] = above = min(meshes[i][1], above - 1.5 * pad)
    for i, (label, cut, kept) in enumerate(meshes):
        ax.axhline(cut, xmax=heap_end, color="#444444", linestyle=(0, (4, 2)), linewidth=1.5)
        ax.axhspan(cut - pad / 3, cut + pad / 3, xmax=heap_end, color="#999999", alpha=0.25, linewidth=0)
        n_kept, n_out = int(kept.sum()), int((~kept).sum())
        if several:
            caught, total = int(grew[kept].sum()), int(grew.sum())
            if label_at[i] != cut:
                ax.plot([1.0, 1.05], [cut, label_at[i]], color="#444444", linewidth=0.8)
            ax.text(1.05, label_at[i], f"{label}: keeps {plural(n_kept, 'lead')}, {plural(caught, 'buyer')}; "
                    f"{total - caught:,} of {total:,} buyers fall through", va="center", fontsize=8, bbox=label_box)
            continue
        share_kept = grew[kept].mean() if n_kept else 0.0
        share_out = grew[~kept].mean() if n_out else 0.0
        ax.text(1.05, cut + pad, f"kept: {plural(n_kept, 'lead')}, {share_kept:.0%} grew", va="bottom", fontsize=9,
                bbox=label_box)
        ax.text(1.05, cut - pad, f"sifted out: {plural(n_out, 'lead')}, {share_out:.0%} grew", va="top", fontsize=9,
                bbox=label_box)
    ax.set_xlim(-1.1, right)
    ax.set_xticks([])
    ax.set_xlabel("")
    ax.set_ylabel(f"lead score ({score})")
    high = min(cut for _, cut, _ in meshes) > (lo + hi) / 2  # meshes in the upper half: the legend goes below
    sns.move_legend(ax, "lower right" if high else "upper right", title=None, frameon=False, fontsize=9)
    ax.set_title("Lead scoring as a sieve: keep the seeds most likely to grow")
    return ax


def rate_heatmap(data: pd.DataFrame, *, rows: str, columns: str, outcome_col: str = "won", title: str = "",
                 xlabel: str | None = None, vmax: float = 0.3, ax=None):
    """Conversion rate for every pair of two lead attributes, each cell with its number of leads.

    Parameters
    ----------
    data : DataFrame
        Judged leads (:func:`judged_leads`), one row a lead.
    rows, columns : str
        The attributes on the two axes; categorical columns keep their order and empty cells.
    outcome_col : str, default "won"
        The boolean outcome.
    title, xlabel : str
        The title, and the columns' axis label (default ``columns``), + " (leads in brackets)".
    vmax : float, default 0.3
        The rate of the darkest colour.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"need": ["a", "a", "b"], "region": ["x", "y", "x"], "won": [True, False, False]})
    >>> ax = rate_heatmap(leads, rows="need", columns="region", title="demo")
    >>> [t.get_text() for t in ax.texts]
    ['100%\\n(1)', '0%\\n(1)', '0%\\n(1)']
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    require_columns(data, [rows, columns, outcome_col], "leads")
    frame = data.assign(**{outcome_col: data[outcome_col].astype(float)})
    pivot = {"index": rows, "columns": columns, "values": outcome_col, "observed": False}
    rates = frame.pivot_table(aggfunc="mean", **pivot)
    counts = frame.pivot_table(aggfunc="size", **pivot).reindex_like(rates).fillna(0).astype(int)
    labels = rates.map("{:.0%}".format).where(counts > 0, "") + "\n(" + counts.astype(str) + ")"
    ax = ax if ax is not None else plt.subplots(figsize=(7.5, 4))[1]
    sns.heatmap(rates, annot=labels, fmt="", cmap="YlGn", vmin=0, vmax=vmax, cbar=False, ax=ax)
    ax.set_title(title)
    ax.set_xlabel(f"{xlabel or columns} (leads in brackets)")
    ax.set_ylabel("")
    return ax


def half_year_mix_chart(dates: pd.Series, categories: pd.Series, *, weights: pd.Series | None = None,
                        legend_title: str | None = None, ax=None):
    """Stacked bars of each category's share per half-year (``2025 H1``): the signal a mix drifts.

    Parameters
    ----------
    dates, categories : Series
        When each row happened and its category (missing values: ``unknown``).
    weights : Series, optional
        Sum these per half-year instead of counting rows (e.g. spend).
    legend_title : str, optional
        Default: the name of ``categories``.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> dates = pd.Series(pd.to_datetime(["2025-01-05", "2025-03-01", "2025-08-01"]))
    >>> ax = half_year_mix_chart(dates, pd.Series(["a", "b", "a"], name="kind"))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['2025 H1', '2025 H2']
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    period = dates.dt.year.astype(str) + " H" + np.where(dates.dt.month <= 6, "1", "2")
    kinds = categories.astype(object).where(categories.notna(), "unknown")
    totals = {} if weights is None else {"values": weights, "aggfunc": "sum"}
    mix = pd.crosstab(period, kinds, normalize="index", **totals)
    ax = ax if ax is not None else plt.subplots(figsize=(8, 4))[1]
    mix.plot(kind="bar", stacked=True, colormap="tab10", width=0.8, rot=0, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel("share")
    ax.legend(title=legend_title or categories.name, bbox_to_anchor=(1.02, 1), loc="upper left")
    return ax

