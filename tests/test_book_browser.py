"""The course site in a real browser: headless Chromium driven by Playwright, with the network cut off.

The book is built once into a temporary folder (with one case report next to it), served from a
``http.server`` thread on 127.0.0.1, and every request that leaves the site is aborted, so a page that
reaches for a CDN fails here. One check opens the site from ``file://``. Screenshots of the landing page,
a notebook page and a report go to ``build/screenshots/`` in the repository. One check weighs every page
of the book as a first visit loads it (cold cache: HTML, theme, fonts, images, search index) and prints
the table; each must stay under ``PAGE_BUDGET``.

Chromium is Debian's ``chromium`` package (``apt-get install chromium``); Playwright's own browser
download is never used. Without Chromium the tests skip, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "build" / "screenshots"
PAGE_BUDGET = 3_000_000  # bytes a first visit to any one page transfers, everything included (issue 15)
REPORT_WORLD = "startup"
# the reading order: previous/next must walk it
PAGES = ["index.html"] + [p.stem + ".html" for p in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))] + [
    "glossary.html", "exercises.html", "reports.html"]


def _need_browser():
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package is missing (pip install -c constraints.txt -e '.[dev]')")
    if missing:
        reason = "BROWSER TESTS NOT RUN: " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _need_browser()
    from segtools.workbook.book import build_html

    out = tmp_path_factory.mktemp("book")
    built = ROOT / "build" / "reports" / REPORT_WORLD
    if (built / "report.html").is_file():  # `make reports` already wrote it: reuse, it takes ~20 s
        shutil.copytree(built, out / "reports" / REPORT_WORLD)
    else:
        subprocess.run([sys.executable, "-m", "segtools.cli", "report", "--case", REPORT_WORLD,
                        "--out", str(out / "reports" / REPORT_WORLD)], check=True, capture_output=True)
    build_html(None, out)
    return out


@pytest.fixture(scope="module")
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class Watched:
    """A browser tab that records console errors, page errors, failed and blocked requests."""

    def __init__(self, browser, allowed_prefix: str):
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.allowed = allowed_prefix
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def _failed(self, request):
        # Chromium cancels a page's favicon fetch (net::ERR_ABORTED) when the test moves on quickly; that is
        # the browser's own housekeeping, not a broken site (a missing favicon still shows as HTTP 404)
        if "ERR_ABORTED" in str(request.failure) and "favicon" in request.url:
            return
        self.problems.append(f"failed: {request.url} ({request.failure})")

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.allowed, "data:")):
            route.continue_()
        else:
            self.problems.append(f"blocked off-site request: {url}")
            route.abort()

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser, server):
    watched = Watched(browser, server)
    yield watched
    watched.close()


def _search(page, term: str):
    page.wait_for_function("document.querySelectorAll('#search-results ul.search li').length > 0 || "
                           "/did not match|no results|0 pages/i.test("
                           "(document.querySelector('#search-results') || {}).textContent || '')",
                           timeout=15_000)
    return [a.get_attribute("href") for a in page.locator("#search-results ul.search li a").all()]


def test_every_page_loads_cleanly_has_its_own_title_alt_texts_and_a_next_link(tab, server):
    titles = {}
    for number, name in enumerate(PAGES):
        page = tab.open(server + name)
        assert not tab.problems, f"{name}: {tab.problems}"
        titles[name] = page.title()
        for image in page.locator("article img").all():
            alt = image.get_attribute("alt") or ""
            assert alt.strip() and "No description" not in alt, f"{name}: an image without alt text"
        assert page.locator("script[src*='require'], script[src*='html-manager'], script[src*='mathjax']").count() == 0
        if number + 1 < len(PAGES):
            nxt = page.locator("a.right-next").first
            assert nxt.count() == 1, f"{name}: no link to the next page"
            assert urljoin(server + name, nxt.get_attribute("href")).split("#")[0] == server + PAGES[number + 1]
    assert len(set(titles.values())) == len(PAGES), titles


def _weigh(browser, server: str, name: str):
    """What a first visit to ``name`` transfers: ``(total bytes, [(bytes, url)])``, from a cold cache."""
    watched = Watched(browser, server)  # a new context: an empty cache
    finished = []
    watched.page.on("requestfinished", lambda request: finished.append(request))
    try:
        watched.open(server + name)
        watched.page.wait_for_timeout(200)  # late requests (fonts, the favicon) finish too
        assert not watched.problems, f"{name}: {watched.problems}"
        weights = []
        for request in finished:
            sizes = request.sizes()
            weights.append((sizes["responseBodySize"] + sizes["responseHeadersSize"], request.url[len(server):]))
        return sum(w for w, _ in weights), sorted(weights, reverse=True)
    finally:
        watched.close()


def test_every_page_weighs_under_three_megabytes_on_a_first_visit(browser, server, site):
    names = sorted(p.name for p in site.glob("*.html"))
    assert set(PAGES) <= set(names)
    rows = {name: _weigh(browser, server, name) for name in names}
    print(f"\nPage weight, first visit (cold cache), budget {PAGE_BUDGET / 1e6:.1f} MB:")
    print(f"{'page':34} {'MB':>6} {'requests':>8}  heaviest")
    for name, (total, weights) in rows.items():
        print(f"{name:34} {total / 1e6:6.2f} {len(weights):8}  {weights[0][1].split('?')[0]} "
              f"({weights[0][0] / 1e3:.0f} kB)")
    assert all(any(url.startswith(name) for _, url in weights) for name, (_, weights) in rows.items())
    too_heavy = {name: total for name, (total, _) in rows.items() if total >= PAGE_BUDGET}
    assert not too_heavy, too_heavy
    for name, (_, weights) in rows.items():  # the theme's 1.5 MB icon script stays out
        assert not any("fontawesome.js" in url for _, url in weights), name


def test_search_for_a_glossary_term_finds_the_glossary(tab, server):
    page = tab.open(server + "search.html?q=klantsegmentatie")
    hrefs = _search(page, "klantsegmentatie")
    assert any("glossary.html" in h for h in hrefs), hrefs
    assert not tab.problems, tab.problems


def test_a_solution_is_folded_until_clicked(tab, server):
    page = tab.open(server + "01_customer_segmentation.html")
    solution = page.locator("details.hide").filter(has_text="Show solution").first
    assert solution.count() == 1
    code = solution.locator("div.cell_input, pre").first
    assert solution.evaluate("d => d.open") is False
    assert not code.is_visible()
    solution.locator("summary").click()
    assert solution.evaluate("d => d.open") is True
    assert code.is_visible()
    assert "Hide solution" in solution.locator("summary").inner_text()
    assert not tab.problems, tab.problems


def test_wide_tables_scroll_inside_the_page(tab, server):
    page = tab.open(server + "01_customer_segmentation.html")
    page.set_viewport_size({"width": 800, "height": 900})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    wide = page.evaluate("""[...document.querySelectorAll('div.cell_output table')]
        .filter(t => t.scrollWidth > t.clientWidth + 1).length""")
    assert wide > 0  # there are wide tables, and they scroll inside their own box


def test_the_site_works_from_file_urls_too(browser, site):
    base = site.as_uri() + "/"
    watched = Watched(browser, "file://")
    try:
        page = watched.open(base + "index.html")
        assert "Customer segmentation versus lead segmentation" in page.title()
        page.locator("a.right-next").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("00_start_here.html")
        page = watched.open(base + "search.html?q=klantsegmentatie")
        assert any("glossary.html" in h for h in _search(page, "klantsegmentatie"))
        assert not watched.problems, watched.problems
    finally:
        watched.close()


def test_screenshots_of_the_index_a_notebook_and_a_report(tab, server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for url, name in [("index.html", "index"), ("01_customer_segmentation.html", "notebook"),
                      (f"reports/{REPORT_WORLD}/report.html", "report")]:
        page = tab.open(server + url)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
    # the reports page links the report the screenshot shows
    page = tab.open(server + "reports.html")
    assert page.locator(f"a[href='reports/{REPORT_WORLD}/report.html']").count() == 1
    assert not tab.problems, tab.problems
    assert re.search(r"report", page.title(), re.IGNORECASE)


# --- precomputed widget views: a self-made notebook, executed here, built into its own small book ----

EXPLORER_NOTEBOOK = [
    "# Explorers without a kernel",
    "import ipywidgets as widgets\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
    "import pandas as pd\nfrom segtools.widgets import capacity_explorer, figure_explorer",
    "def draw(k, colour):\n    fig, ax = plt.subplots(figsize=(4, 3))\n    ax.bar(range(k), range(1, k + 1), color=colour)\n"
    "    ax.set_title(f'{k} bars')\n    return fig\n\n"
    "figure_explorer(draw, {'k': widgets.IntSlider(value=2, min=2, max=8, description='k'),\n"
    "                       'colour': widgets.Dropdown(options=['tab:blue', 'tab:red'], description='colour')})",
    "plan = pd.DataFrame({'capacity': [c for c in (10, 20, 30) for _ in range(2)], 'strategy': ['score', 'random'] * 3,\n"
    "                     'followed_up': [10, 10, 20, 20, 30, 30], 'expected_conversions': [4.0, 1.0, 7.0, 2.0, 9.0, 3.0],\n"
    "                     'conversions': [4.0, 1.0, 6.0, 2.0, 9.0, 3.0], 'revenue': [1.0] * 6})\n"
    "capacity_explorer(plan)",
]


@pytest.fixture(scope="module")
def explorer_book(tmp_path_factory):
    _need_browser()
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from segtools.reporting.notebooks import execute_notebook
    from segtools.workbook.book import build_html

    folder = tmp_path_factory.mktemp("explorer-notebook")
    path = folder / "50_explorers.ipynb"
    cells = [new_markdown_cell(EXPLORER_NOTEBOOK[0])] + [new_code_cell(code) for code in EXPLORER_NOTEBOOK[1:]]
    nbformat.write(new_notebook(cells=cells), path)
    nbformat.write(execute_notebook(path), path)
    out = tmp_path_factory.mktemp("explorer-book")
    build_html([path], out)
    return out


def _visible_view(explorer):
    return explorer.locator(".segtools-explorer-view:visible")


def test_precomputed_widgets_change_their_view_offline(browser, explorer_book):
    watched = Watched(browser, "file://")
    try:
        page = watched.open(explorer_book.as_uri() + "/50_explorers.html")
        explorers = page.locator("article .segtools-explorer")
        assert explorers.count() == 2
        chart, table = explorers.nth(0), explorers.nth(1)
        assert _visible_view(chart).count() == 1
        first = _visible_view(chart).locator("img").get_attribute("src")
        assert first.startswith("data:image/png;base64,")
        slider = chart.locator("input[type=range]")
        slider.fill("4")  # position 4: k = 6
        assert chart.locator("output").inner_text() == "6"
        assert _visible_view(chart).count() == 1
        moved = _visible_view(chart).locator("img")
        assert moved.get_attribute("src") != first and "k = 6" in moved.get_attribute("alt")
        chart.locator("select").select_option(label="tab:red")  # another control: k returns to its start
        assert chart.locator("output").inner_text() == "2"
        assert "colour = tab:red" in _visible_view(chart).locator("img").get_attribute("alt")
        before = _visible_view(table).inner_text()
        table.locator("input[type=range]").fill("2")
        assert _visible_view(table).count() == 1 and _visible_view(table).inner_text() != before
        assert "30" in _visible_view(table).inner_text()
        assert page.locator("script[src]").filter(has_text="widget").count() == 0
        assert not watched.problems, watched.problems
    finally:
        watched.close()
