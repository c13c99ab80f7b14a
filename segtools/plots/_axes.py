"""The one helper every chart shares: draw on the given Axes, or on a new figure of a fitting size."""


def axes_for(ax=None, figsize=(6.4, 4.2)):
    """``ax`` itself, or the Axes of a new figure of ``figsize`` when ``ax`` is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]
