"""The explorers' precomputed view: a text/html fallback next to the live widget, for the HTML book."""

import re

import ipywidgets as widgets
import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from segtools.widgets import (capacity_explorer, cluster_explorer, explorer_box, figure_explorer,  # noqa: E402
                              precomputed_html)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _draw(k, label="a", grid=False):
    if k == 0:
        return "k must be positive"
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot(range(k + 1), [v * v for v in range(k + 1)])
    ax.set_title(f"{label}: {k}")
    ax.grid(grid)
    return fig


def _explorer(max_views=12):
    return figure_explorer(_draw, {"k": widgets.IntSlider(value=3, min=0, max=8, description="k"),
                                   "label": widgets.Dropdown(options=["a", "b", "c"], description="label"),
                                   "grid": widgets.Checkbox(value=False, description="grid")},
                           max_views=max_views)


def _views(page: str) -> list:
    return re.findall(r'data-key="([0-9,]+)"', page)


def test_the_bundle_holds_the_live_widget_and_the_precomputed_view():
    bundle = _explorer()._repr_mimebundle_()
    assert set(bundle) == {WIDGET_VIEW, "text/plain", "text/html"}
    assert bundle["text/plain"].startswith("ExplorerBox(children=")
    page = bundle["text/html"]
    keys = _views(page)
    # one control at a time: the start, k over 8 other values (0 is a message: left out), label 2, grid 1
    assert len(keys) == len(set(keys)) == 11
    assert page.count("<img") == 11 and page.count('alt="Chart for ') == 11
    assert keys[0] == page[page.index('data-start="') + 12:].split('"')[0] + ",0,0"
    assert page.count('style="display:none"') == 10  # only the starting view shows without JavaScript
    assert 'type="range"' in page and "<select" in page and 'type="checkbox"' in page
    assert ">k must be positive<" not in page


def test_no_external_urls_and_the_same_bytes_every_run():
    one = _explorer()._repr_mimebundle_()["text/html"]
    two = _explorer()._repr_mimebundle_()["text/html"]
    assert one == two
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", one)
    assert "http://" not in one and "https://" not in one
    assert re.findall(r'id="(segtools-explorer-[0-9a-f]{12})"', one)  # an id derived from the content
    assert plt.get_fignums() == []  # every figure drawn for the views was closed


def test_the_view_budget_is_kept_and_the_page_stays_light():
    page = _explorer(max_views=5)._repr_mimebundle_()["text/html"]
    assert len(_views(page)) <= 5
    assert len(_explorer()._repr_mimebundle_()["text/html"]) < 400_000


def test_displaying_does_not_move_the_live_controls():
    box = _explorer()
    before = bytes(box.children[-1].value)
    box._repr_mimebundle_()
    assert [c.value for c in box.children[0].children] == [3, "a", False]
    assert bytes(box.children[-1].value) == before


def test_tables_and_fixed_controls():
    data = pd.DataFrame({"x": [0.0, 0.2, 5.0, 5.1, 9.0, 9.3, 12.0, 12.5, 20.0, 21.0],
                         "monetary": [1.0, 2.0, 10.0, 11.0, 50.0, 60.0, 70.0, 71.0, 90.0, 95.0]})
    page = cluster_explorer(data, ["x"], k_values=range(2, 9), k=4)._repr_mimebundle_()["text/html"]
    assert len(_views(page)) == 7 and page.count("<table") == 7
    assert "<select disabled" in page and "Not precomputed, fixed at the value shown: features" in page
    plan = pd.DataFrame({"capacity": [c for c in range(0, 40, 2) for _ in range(2)],
                         "strategy": ["score", "random"] * 20, "followed_up": 1, "expected_conversions": 1.0,
                         "conversions": 1.0, "revenue": 1.0})
    page = capacity_explorer(plan)._repr_mimebundle_()["text/html"]
    assert len(_views(page)) == 12 and 'type="range"' in page


def test_precomputed_html_checks_its_arguments():
    k = widgets.IntSlider(value=1, min=1, max=2)
    with pytest.raises(ValueError, match="max_views"):
        precomputed_html({"k": k}, lambda k: "", max_views=0)
    box = explorer_box([k], {"k": k}, lambda k: f"<p>{k}</p>")
    assert box._repr_mimebundle_(include=["text/plain"]).get("text/html") is None


def test_the_byte_cap_keeps_a_page_under_the_book_budget():
    from segtools.widgets.static import MAX_BYTES

    k = widgets.IntSlider(value=2, min=0, max=20)
    page = precomputed_html({"k": k}, lambda k: f"<p>{k}</p>" + "x" * 50_000)
    assert 2 <= len(_views(page)) <= MAX_BYTES // 50_000
    assert len(page) < MAX_BYTES * 1.1
    assert MAX_BYTES <= 300_000  # a page's budget is 3 MB all in (tests/test_book_browser.py); views are its bulk
