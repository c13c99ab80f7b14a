"""ipywidgets explorers for the strategy and case-study notebooks (imported only when used).

:func:`figure_explorer` wraps any chart function in controls. It draws the chart as a PNG
into an ``ipywidgets.Image`` rather than through an ``Output`` widget, so executing the
notebook sends no output messages from the callback: the stored outputs are the same under
nbclient, papermill and nbval. Widgets need a running kernel: for the HTML book and GitHub the
explorer's display also carries a precomputed view (:mod:`segtools.widgets.static`), a few settings
drawn as PNGs when the notebook runs, behind plain HTML controls.
"""

from __future__ import annotations

import html


def render_png(fig, *, dpi=None) -> bytes:
    """The PNG bytes of a matplotlib Figure (or of the Figure holding an Axes); the figure is closed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
        The chart.
    dpi : float, optional
        Resolution; default the figure's.

    Returns
    -------
    bytes
        The PNG image: the same chart gives the same bytes (no date or version in its metadata).
    """
    import io

    import matplotlib.pyplot as plt

    fig = getattr(fig, "figure", fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", dpi=dpi or "figure", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def figure_explorer(draw, controls, *, width: str = "720px", max_views: int = 12, choices=None,
                    static_dpi: float = 72):
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
    max_views : int, default 12
        The most settings drawn for the precomputed view (see :func:`segtools.widgets.static.precomputed_html`:
        the starting setting, then one control at a time).
    choices : dict of str to list, optional
        The values of some controls to precompute, instead of an even spread over all of them.
    static_dpi : float, default 72
        Resolution of the precomputed PNGs (stored with a 128-colour palette, for page weight).

    Returns
    -------
    segtools.widgets.static.ExplorerBox
        An ``ipywidgets.VBox``: the controls in a row, a message line and the chart;
        ``.children[-1].value`` holds the PNG. Displayed, it also carries the precomputed ``text/html`` view.

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
    >>> box._repr_mimebundle_()["text/html"].count("<img")
    3
    """
    import ipywidgets as widgets

    from segtools.widgets.static import compact_png, explorer_box, png_img

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

    def static_view(**values):
        result = draw(**values)
        if isinstance(result, str):  # a message: shown only for the starting setting
            start = {name: control.value for name, control in controls.items()}
            return f"<p>{html.escape(result)}</p>" if values == start else None
        setting = ", ".join(f"{getattr(controls[n], 'description', '') or n} = {v}" for n, v in values.items())
        return png_img(compact_png(render_png(result, dpi=static_dpi)), f"Chart for {setting}", width=width)

    return explorer_box([widgets.HBox(list(controls.values())), message, picture], controls, static_view,
                        max_views=max_views, choices=choices)
