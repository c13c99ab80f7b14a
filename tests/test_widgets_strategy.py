"""Tests of segtools.widgets (the chart explorer used by notebooks 05-07)."""

import ipywidgets as widgets
import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from segtools.widgets import figure_explorer, render_png  # noqa: E402


def _draw(k, label):
    if k == 0:
        return "k must be positive"
    fig, ax = plt.subplots()
    ax.plot([0, k])
    ax.set_title(label)
    return ax  # an Axes works too


def test_redraws_on_change_and_shows_messages():
    k = widgets.IntSlider(value=1, min=0, max=3)
    label = widgets.Dropdown(options=["a", "b"], value="a")
    box = figure_explorer(_draw, {"k": k, "label": label})
    first = bytes(box.children[-1].value)
    assert first.startswith(b"\x89PNG")
    label.value = "b"
    second = bytes(box.children[-1].value)
    assert second != first
    k.value = 0
    assert box.children[1].value == "k must be positive"
    assert bytes(box.children[-1].value) == second  # the last chart stays
    k.value = 2
    assert box.children[1].value == ""
    assert plt.get_fignums() == []  # every figure drawn was closed


def test_same_inputs_same_png():
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    one = render_png(fig)
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    assert render_png(ax) == one


def test_bad_arguments():
    with pytest.raises(TypeError, match="callable"):
        figure_explorer("not a function", {"k": widgets.IntSlider()})
    with pytest.raises(TypeError, match="non-empty dict"):
        figure_explorer(_draw, {})
