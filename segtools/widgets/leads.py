"""ipywidgets explorers for lead segmentation (imported only when used).

Widgets need a running kernel; for readers of the HTML book or GitHub each explorer's display
also carries a precomputed view (:mod:`segtools.widgets.static`): its table for a few settings.
"""

from __future__ import annotations

from segtools._validation import require_columns


def _capacity_html(table, capacity):
    rows = table[table["capacity"] == capacity].set_index("strategy")
    names = {"score": "by score", "fcfs": "first come, first served", "random": "at random"}
    body = "".join(
        f"<tr><td>{names.get(s, s)}</td><td>{r.followed_up:,}</td><td>{r.expected_conversions:,.1f}</td>"
        f"<td>{r.conversions:,.1f}</td><td>{'' if r.revenue != r.revenue else f'{r.revenue:,.0f}'}</td></tr>"
        for s, r in rows.iterrows())
    return ("<table><tr><th>follow-up</th><th>leads called</th><th>expected conversions</th>"
            f"<th>actual conversions</th><th>revenue (EUR)</th></tr>{body}</table>")


def capacity_explorer(table):
    """A slider over weekly capacity showing, per strategy, leads called and conversions won.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`segtools.leads.capacity_table` (one row per capacity and strategy).

    Returns
    -------
    segtools.widgets.static.ExplorerBox
        An ``ipywidgets.VBox``: the slider and an HTML table that follows it. Displayed, it also
        carries a precomputed ``text/html`` view: the table for up to 12 capacities.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads import capacity_table
    >>> from segtools.widgets.leads import capacity_explorer
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-06", "2025-01-07"]),
    ...                       "p": [0.2, 0.7], "won": [False, True]})
    >>> box = capacity_explorer(capacity_table(leads, "p", "won", [0, 1, 2]))
    >>> box.children[0].value = 1
    >>> "expected conversions" in box.children[1].value
    True
    >>> box._repr_mimebundle_()["text/html"].count("data-key=")
    3
    """
    import ipywidgets as widgets

    from segtools.widgets.static import explorer_box

    require_columns(table, ["capacity", "strategy", "followed_up", "expected_conversions", "conversions",
                            "revenue"], table="capacity")
    options = sorted(int(c) for c in table["capacity"].unique())
    slider = widgets.SelectionSlider(options=options, value=options[len(options) // 2],
                                     description="calls/week", continuous_update=False)
    out = widgets.HTML(_capacity_html(table, slider.value))

    def update(change):
        out.value = _capacity_html(table, change["new"])

    slider.observe(update, names="value")
    return explorer_box([slider, out], {"capacity": slider}, lambda capacity: _capacity_html(table, capacity))


def explanation_explorer(scorer, leads, *, lead_id_col="lead_id", top=50, precomputed=10):
    """A drop-down of the ``top`` best-scored leads; picking one shows which rules fired.

    Parameters
    ----------
    scorer : RuleScorer
        A fitted rule scorer.
    leads : DataFrame
        The leads to choose from.
    lead_id_col : str, default "lead_id"
        The lead identifier shown in the drop-down.
    top : int, default 50
        How many of the best-scored leads are offered.
    precomputed : int, default 10
        How many of them (the best-scored) the precomputed ``text/html`` view explains.

    Returns
    -------
    segtools.widgets.static.ExplorerBox
        An ``ipywidgets.VBox``: the drop-down and an HTML table of the rules that fired.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import RuleScorer, default_points
    >>> from segtools.widgets.leads import explanation_explorer
    >>> leads = load_case("startup").leads
    >>> box = explanation_explorer(RuleScorer(default_points("startup")).fit(leads), leads, top=5)
    >>> "rule" in box.children[1].value
    True
    >>> box._repr_mimebundle_()["text/html"].count("data-key=")
    5
    """
    import ipywidgets as widgets

    from segtools.widgets.static import explorer_box

    require_columns(leads, [lead_id_col], table="leads")
    scores = scorer.transform(leads)
    best = scores.sort_values("score", ascending=False, kind="stable").head(top)
    choice = widgets.Dropdown(options=list(best[lead_id_col]), description="lead")

    def render(lead_id):
        rows = leads[leads[lead_id_col] == lead_id]
        why = scorer.explain(rows).drop(columns="lead").round(2)
        total = scores.loc[rows.index[0], "score"]
        return f"<b>{lead_id}: score {total:.1f}</b>" + why.to_html(index=False)

    out = widgets.HTML(render(choice.value))
    choice.observe(lambda change: setattr(out, "value", render(change["new"])), names="value")
    return explorer_box([choice, out], {"lead_id": choice}, render, max_views=max(1, precomputed),
                        choices={"lead_id": list(best[lead_id_col].head(precomputed))},
                        caption=f"The {min(precomputed, len(best))} best-scored leads are precomputed.")
