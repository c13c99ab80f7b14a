"""seaborn charts for the workbook: each takes ``data=`` first and returns the Axes.

The charts live in one submodule per topic (``customers``, ``leads``, ``compare``);
any of them can be reached from here, e.g. ``segtools.plots.rfm_heatmap``. Submodules
are imported on first use so that ``import segtools`` stays fast.
"""

from importlib import import_module

_TOPICS = ("customers", "leads", "compare", "over_time", "datasets")


def __getattr__(name: str):
    for topic in _TOPICS:
        try:
            module = import_module(f"segtools.plots.{topic}")
        except ModuleNotFoundError as err:
            if err.name == f"segtools.plots.{topic}":
                continue
            raise
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"segtools.plots has no chart {name!r}")
