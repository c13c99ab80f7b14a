"""ipywidgets explorers for the notebooks, each with a static view for readers without a kernel.

:func:`figure_explorer` is the one generic explorer: controls above a chart that is redrawn
when a control changes; :func:`explorer_box` gives every explorer a precomputed HTML view that works
without a kernel. The topic modules build on them with charts or plain ``ipywidgets.HTML`` tables:
``segtools.widgets.customers`` (clusters) and ``segtools.widgets.leads`` (capacity, explanations).
Importing this package loads nothing heavy; ipywidgets loads when an explorer is built.
"""

from segtools._lazy import lazy_exports

_NAMES = {
    "explorer": ("figure_explorer", "render_png"),
    "customers": ("cluster_view", "cluster_explorer"),
    "leads": ("capacity_explorer", "explanation_explorer"),
    "static": ("explorer_box", "precomputed_html"),
}
__getattr__, __dir__, __all__ = lazy_exports("segtools.widgets", _NAMES)
