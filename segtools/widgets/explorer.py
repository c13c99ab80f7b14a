"""ipywidgets explorers for the strategy and case-study notebooks (imported only when used).

:func:`figure_explorer` wraps any chart function in controls. It draws the chart as a PNG
into an ``ipywidgets.Image`` rather than through an ``Output`` widget, so executing the
notebook sends no output messages from the callback: the stored outputs are the same under
nbclient, papermill and nbval. Widgets need a running kernel; the notebooks show the
explorer's starting view as an ordinary chart beside it for readers of the static book.
"""

from __future__ import annotations


def render_png(fig) -> bytes:
    """The PNG bytes of a matplotlib Figure (or of the Figure holding an Axes); the figure is closed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
        The chart.

    Returns
    -------
    bytes
        The PNG image.
    """
    import io

    import matplotlib.pyplot as plt

    fig = getattr(fig, "figure", fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def figure_explorer(draw, controls, *, width: str = "720px"):
    """Controls above a chart that is redrawn whenever a control changes.

    Parameters
    ----------
    draw : callable
        Called with one keyword argument per control (its current value); returns a
        matplotlib Figure or Axes, or a str to show instead of a chart (e.g. "pick another month").
    controls : dict of str to ipywidgets widget
        The controls, by the keyword ``draw`` receives.
    width : str
        The maximum width of the chart.

    Returns
    -------
    ipywidgets.VBox
        The controls in a row, a message line and the chart; ``.children[-1].value`` holds the PNG.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import ipywidgets as widgets
    >>> import matplotlib.pyplot as plt
    >>> def draw(k):
    ...     fig, ax = plt.subplots()
    ...     ax.plot([0, k])
    ...     return fig
    >>> box = figure_explorer(draw, {"k": widgets.IntSlider(value=1, min=1, max=3)})
    >>> before = bytes(box.children[-1].value)
    >>> box.children[0].children[0].value = 3
    >>> bytes(box.children[-1].value) != before and before[:4] == b"\\x89PNG"
    True
    """
    import ipywidgets as widgets

    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    if not controls or not all(isinstance(c, widgets.ValueWidget) for c in controls.values()):
        raise TypeError("controls must be a non-empty dict of ipywidgets value widgets")
    picture = widgets.Image(format="png", layout=widgets.Layout(max_width=width))
    message = widgets.Label()

    def redraw(_=None):
        result = draw(**{name: control.value for name, control in controls.items()})
        if isinstance(result, str):
            message.value = result
            return
        message.value = ""
        picture.value = render_png(result)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(controls.values())), message, picture])
