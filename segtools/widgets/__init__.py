"""ipywidgets explorers for the notebooks, each with a static view for readers without a kernel.

:func:`figure_explorer` is the one generic explorer: controls above a chart that is redrawn
when a control changes. The topic modules build on it or on plain ``ipywidgets.HTML`` tables:
``segtools.widgets.customers`` (clusters) and ``segtools.widgets.leads`` (capacity, explanations).
Importing this package loads nothing heavy; ipywidgets loads when an explorer is built.
"""

from importlib import import_module

_NAMES = {
    "explorer": ("figure_explorer", "render_png"),
    "customers": ("cluster_view", "cluster_explorer"),
    "leads": ("capacity_explorer", "explanation_explorer"),
}
_WHERE = {name: module for module, names in _NAMES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(import_module(f"segtools.widgets.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'segtools.widgets' has no attribute {name!r}")


def __dir__():
    return __all__
