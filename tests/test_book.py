"""`make book`'s builder: a Sphinx + MyST-NB site from the notebooks' stored outputs.

A small book (notebook 00 and a made-up notebook with every kind of cell the rules touch) is built once
per edition; the HTML is checked as text. tests/test_book_browser.py checks the full book in Chromium.
"""

import base64
import html
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from segtools.data.glossary import glossary
from segtools.workbook.book import build_html, find_exercises

ROOT = Path(__file__).resolve().parent.parent
# a 1x1 PNG
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fe"
    "a7d6a4830000000049454e44ae426082")).decode()
PNG2 = base64.b64encode(base64.b64decode(PNG) + b"\0").decode()  # another image (another hash)
WIDGET = {"model_id": "abc", "version_major": 2, "version_minor": 0}


def _made_up_notebook(path: Path) -> Path:
    nb = new_notebook(cells=[
        new_markdown_cell("# A made-up notebook for the book's tests\n\nSome text on lead scoring; lead scoring "
                          "twice, then RFM and `recency` in code."),
        new_code_cell("print('this code never runs')", outputs=[
            new_output("stream", name="stdout", text="stored output, not re-executed\n")], execution_count=1),
        new_markdown_cell("## Charts"),
        new_code_cell("ax = plots.segment_share_plot(data=profile, title='Share per segment')", outputs=[
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]),
        new_code_cell("fig", outputs=[new_output("display_data", data={"image/png": PNG2, "text/plain": "<Figure>"},
                                                 metadata={"image/png": {"alt": "Bar chart of leads per grade"}})]),
        new_code_cell("controls", outputs=[new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": WIDGET, "text/plain": "VBox(children=(Dropdown(...),))"})]),
        new_code_cell("precomputed", outputs=[new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": WIDGET, "text/html": "<p>precomputed widget view</p>",
            "text/plain": "VBox()"})]),
        new_code_cell("assert claim_holds  # CLAIM-CHECK-SOURCE", metadata={"tags": ["claim-check"]}),
        new_markdown_cell("## Exercises\n\n**Exercise 1.** Count the made-up customers twice.\nThen compare."),
        new_code_cell("SOLUTION_ONE = 2 * count", metadata={"tags": ["solution"]}),
        new_markdown_cell("**Exercise 2.** Do it again."),
        new_code_cell("SOLUTION_TWO = 3", metadata={"tags": ["solution"]}),
    ])
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    nb_dir = tmp_path_factory.mktemp("notebooks")
    notebooks = [ROOT / "notebooks" / "00_start_here.ipynb", _made_up_notebook(nb_dir / "99_made_up.ipynb")]
    student = tmp_path_factory.mktemp("book")
    (student / "reports" / "startup").mkdir(parents=True)
    (student / "reports" / "startup" / "report.html").write_text("<html><title>r</title></html>")
    (student / "reports" / "own_data").mkdir(parents=True)
    (student / "reports" / "own_data" / "report.html").write_text("<html><title>own</title></html>")
    instructor = tmp_path_factory.mktemp("book-instructor")
    build_html(notebooks, student)
    build_html(notebooks, instructor, instructor=True)
    return student, instructor


def _read(book: Path, name: str) -> str:
    return (book / name).read_text(encoding="utf-8")


def _text(book: Path, name: str) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", _read(book, name))).split())


def test_the_landing_page_links_the_notebooks_in_order_and_the_reference_pages(books):
    student, _ = books
    index = _read(student, "index.html")
    for page in ("00_start_here.html", "99_made_up.html", "glossary.html", "exercises.html", "reports.html"):
        assert f'href="{page}"' in index
    assert index.index('href="00_start_here.html"') < index.index('href="99_made_up.html"')
    assert "<title>Start here: customer segmentation versus lead segmentation" in _read(student, "00_start_here.html")
    page = _read(student, "99_made_up.html")
    assert "<title>A made-up notebook for the book&#39;s tests" in page or "<title>A made-up notebook" in page
    assert 'class="right-next"' in page and 'class="left-prev"' in page
    assert (student / "searchindex.js").is_file()


def test_stored_outputs_are_rendered_not_re_executed(books):
    student, _ = books
    page = _read(student, "99_made_up.html")
    assert "stored output, not re-executed" in page
    assert "Rows per table in each case world" in _read(student, "00_start_here.html")


def test_solutions_fold_and_claim_checks_are_removed(books):
    student, instructor = books
    page = _read(student, "99_made_up.html")
    assert page.count("Show solution") == 2
    folded = re.search(r"<details[^>]*>(?:(?!</details>).)*SOLUTION_ONE", page, re.DOTALL)
    assert folded and " open" not in folded.group(0).split(">")[0]
    assert "CLAIM-CHECK-SOURCE" not in page
    open_page = _read(instructor, "99_made_up.html")
    assert "SOLUTION_ONE" in open_page and "Show solution" not in open_page
    assert "Solution:" in open_page and "CLAIM-CHECK-SOURCE" not in open_page


def test_widgets_need_no_javascript_and_a_static_view_wins(books):
    student, _ = books
    page = _read(student, "99_made_up.html")
    assert "precomputed widget view" in page
    assert "workbook-widget-note" in page
    assert "widget-view+json" not in page and "widget-state+json" not in page
    assert "VBox(children" not in page


def test_charts_have_alt_text(books):
    student, _ = books
    alts = re.findall(r'<img[^>]*alt="([^"]*)"', _read(student, "99_made_up.html"))
    assert "Chart: Share per segment" in alts
    assert "Bar chart of leads per grade" in alts
    for page in ("00_start_here.html", "99_made_up.html"):
        html = _read(student, page)
        assert len(re.findall(r"<img", html)) == len(re.findall(r'<img[^>]*alt="[^"]+', html))
        assert "No description has been provided" not in html


def test_no_page_loads_anything_from_the_network(books):
    for book in books:
        for page in book.glob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert not re.search(r"""<(?:script|link|img)[^>]*(?:src|href)=["'](?:https?:)?//""", html), page.name
            assert "mathjax" not in html.lower() and "require.min.js" not in html, page.name
        for css in (book / "_static").rglob("*.css"):
            assert not re.search(r"@import\s+url\(\s*['\"]?https?:|fonts\.googleapis", css.read_text("utf-8")), css


def test_glossary_page_has_every_term_and_its_translations(books):
    student, _ = books
    page = _text(student, "glossary.html")
    table = glossary()
    for _, row in table.iterrows():
        for column in ("en", "definition", "nl", "de", "it", "es"):
            value = " ".join(str(row[column]).split())
            assert value in page, (column, row[column])


def test_exercises_page_links_every_exercise(books):
    student, _ = books
    page = _read(student, "exercises.html")
    made_up = nbformat.read(_made_up_notebook_path(student), as_version=4)
    assert [e[3] for e in find_exercises(made_up, "99_made_up")] == ["Exercise 1", "Exercise 2"]
    assert 'href="99_made_up.html#exercise-99-1"' in page and 'href="99_made_up.html#exercise-99-2"' in page
    assert "Count the made-up customers twice." in page
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    for label, *_ in find_exercises(start, "00_start_here"):
        assert f'href="00_start_here.html#{label}"' in page
        assert f'id="{label}"' in _read(student, "00_start_here.html")


def _made_up_notebook_path(book: Path) -> Path:
    return book / ".book-src" / "src" / "99_made_up.ipynb"


def test_reports_page_links_the_reports_next_to_the_book(books):
    student, instructor = books
    page = _read(student, "reports.html")
    assert 'href="reports/startup/report.html"' in page
    assert page.count('href="reports/own_data/report.html"') == 1 and "own_data: case report" not in page
    assert "make reports" in _text(instructor, "reports.html")  # none there: says how to get them


def test_every_notebook_has_at_least_one_exercise():
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        assert find_exercises(nbformat.read(path, as_version=4), path.stem), path.name


def test_glossary_terms_link_at_their_first_use_in_notebook_pages(books):
    student, _ = books
    page = _read(student, "99_made_up.html")
    glossary_page = _read(student, "glossary.html")
    assert page.count('href="glossary.html#glossary-lead-scoring"') == 1  # the first use only
    assert re.search(r'<a class="[^"]*workbook-glossary-term[^"]*" href="glossary.html#glossary-rfm"', page) \
        or 'href="glossary.html#glossary-rfm"' in page
    assert 'href="glossary.html#glossary-recency"' not in page  # code is not prose
    assert "glossary.html#glossary-" not in page.split("<h1")[1].split("</h1>")[0]  # nor are headings
    for anchor in set(re.findall(r'href="glossary.html#(glossary-[a-z0-9-]+)"', page)):
        assert f'id="{anchor}"' in glossary_page, anchor
    assert "glossary.html#glossary-" not in _read(student, "exercises.html")


def test_pages_stay_light_no_icon_script_a_favicon_and_palette_charts(books, tmp_path):
    import io
    import sys

    from PIL import Image

    for book in books:
        assert not (book / "_static" / "scripts" / "fontawesome.js").exists()
        for page in book.glob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert "fontawesome.js" not in html, page.name
            assert 'rel="icon"' in html and "favicon.png" in html, page.name
        css = (book / "_static" / "styles" / "pydata-sphinx-theme.css").read_text("utf-8")
        assert "fa-solid-900.woff2" in css  # the icons come from the theme's CSS and bundled font instead
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from workbook_book import quantize_png

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)  # a chart as the notebooks store them: RGBA, anti-aliased
    for k in range(6):
        ax.plot(range(50), [((i * (k + 1)) % 17) + k for i in range(50)], label=f"segment {k}")
    ax.legend()
    ax.set_title("A chart")
    path = tmp_path / "chart.png"
    fig.savefig(path)
    plt.close(fig)
    before = path.stat().st_size
    assert quantize_png(path) and path.stat().st_size < before
    assert Image.open(io.BytesIO(path.read_bytes())).mode == "P" and Image.open(path).size == (600, 400)
    assert not quantize_png(path)  # a palette image is left alone
