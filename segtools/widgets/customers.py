"""ipywidgets explorers for customer segmentation (imported only when used).

Widgets need a running kernel; for readers of the HTML book or GitHub the explorer's display
also carries a precomputed view (:mod:`segtools.widgets.static`), and :func:`cluster_view`
computes the same table for an ordinary output. The lead explorers are in :mod:`segtools.widgets.leads`.
"""

from __future__ import annotations


def cluster_view(data, features, k, *, answer=None, revenue_col="monetary", random_state=0):
    """Cluster ``data[features]`` into ``k`` segments; return the profile and the ARI.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    features : list of str
        The columns to cluster on (numbers are scaled, categories one-hot encoded).
    k : int
        Number of segments.
    answer : Series, optional
        The planted segments, aligned on ``data``'s index, to score the recovery.
    revenue_col : str or None
        Column for the revenue share in the profile.
    random_state : int, default 0
        Seed of the clustering.

    Returns
    -------
    profile : DataFrame
        :func:`segtools.customers.segment_profile` of the clusters, on ``features``.
    ari : float or None
        Adjusted Rand index against ``answer`` (None without one).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.1], "monetary": [1.0, 1.0, 9.0, 9.0]})
    >>> profile, ari = cluster_view(d, ["x"], 2, answer=pd.Series(["a", "a", "b", "b"]))
    >>> profile["customers"].tolist(), ari
    ([2, 2], 1.0)
    """
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    from segtools.customers import ClusterSegmenter, segment_profile

    features = list(features)
    if not features:
        raise ValueError("choose at least one feature")
    labels = ClusterSegmenter(n_clusters=int(k), random_state=random_state).fit_predict(data[features])
    names = pd.Series([f"cluster {i}" for i in labels], index=data.index)
    profile = segment_profile(data, names, features, revenue_col=revenue_col if revenue_col in data else None)
    ari = None if answer is None else float(adjusted_rand_score(pd.Series(answer).to_numpy(), labels))
    return profile, ari


def _html(profile, ari) -> str:
    head = "" if ari is None else f"<p>Adjusted Rand index against the planted segments: <b>{ari:.2f}</b></p>"
    return head + profile.to_html(float_format=lambda v: f"{v:,.2f}")


def cluster_explorer(data, features, *, k_values=range(2, 9), k=4, answer=None, revenue_col="monetary"):
    """Choose features and k; the cluster profile (and its ARI) update as you go.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    features : list of str
        The features offered (all selected at first).
    k_values : range
        The choices of k on the slider.
    k : int
        The first k shown.
    answer : Series, optional
        Planted segments for the adjusted Rand index.
    revenue_col : str or None
        Column for the revenue share.

    Returns
    -------
    segtools.widgets.static.ExplorerBox
        An ``ipywidgets.VBox``: a feature picker, a k slider and an HTML table that follows them.
        Displayed, it also carries a precomputed ``text/html`` view: the table for each k (at most
        12 values) with the features selected at the time; the feature picker is not precomputed.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.1, 9.0, 9.2], "y": [1.0, 1.0, 0.0, 0.0, 1.0, 0.0]})
    >>> box = cluster_explorer(d, ["x", "y"], k_values=range(2, 4), k=2)
    >>> box.children[1].value = 3
    >>> "cluster 2" in box.children[2].value
    True
    >>> box._repr_mimebundle_()["text/html"].count("data-key=")
    2
    """
    import ipywidgets as widgets

    from segtools.widgets.static import explorer_box

    features = list(features)
    picker = widgets.SelectMultiple(options=features, value=tuple(features), description="features",
                                    rows=min(8, len(features)))
    slider = widgets.IntSlider(value=k, min=min(k_values), max=max(k_values), description="k",
                               continuous_update=False)  # recluster on release, not on every step
    table = widgets.HTML()

    def update(_=None):
        if not picker.value:
            table.value = "<p>Choose at least one feature.</p>"
            return
        table.value = _html(*cluster_view(data, list(picker.value), slider.value, answer=answer, revenue_col=revenue_col))

    picker.observe(update, names="value")
    slider.observe(update, names="value")
    update()

    def static_view(features, k):
        if not features:
            return "<p>Choose at least one feature.</p>"
        return _html(*cluster_view(data, list(features), k, answer=answer, revenue_col=revenue_col))

    return explorer_box([picker, slider, table], {"features": picker, "k": slider}, static_view,
                        caption="Each k clusters on the features selected above; other feature choices "
                                "need Jupyter.")
