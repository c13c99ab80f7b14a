"""Sphinx configuration of the workbook's course site (Sphinx + MyST-NB + sphinx-book-theme).

Build it with ``python -m segtools.workbook.book html --out build`` (``make book``): that stages this
folder, the notebooks and the generated pages (glossary, exercises, reports) into ``build/.book-src``
and runs Sphinx there. The site renders the notebooks' *stored* outputs; nothing is executed and no
kernel is started. ``-t instructor`` (``make book-instructor``) or ``SEGTOOLS_BOOK_INSTRUCTOR=1``
builds it with the solutions open.

Offline by design: no page loads anything from the network (no widget JavaScript, no MathJax, no
web fonts; the theme's icons are its bundled copy).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "Customer vs lead segmentation"
author = "the workbook's authors"
copyright = "the workbook's authors, MIT licence"
html_title = "Customer vs lead segmentation: the workbook"

extensions = ["myst_nb", "workbook_book"]

root_doc = "index"
exclude_patterns = [".doctrees*", "_build", "**.ipynb_checkpoints", "jupyter_execute"]
language = "en"

# --- MyST-NB: render what the notebooks store, never execute -------------------------------------
nb_execution_mode = "off"
nb_merge_streams = True
nb_output_stderr = "remove"
# No require.js / @jupyter-widgets/html-manager from a CDN: the pages load no widget JavaScript at all.
nb_ipywidgets_js = {}
# Prefer a static text/html view over a live widget view (a widget bundle that carries a precomputed
# text/html fallback shows that fallback); widget views without one are never rendered as scripts.
nb_mime_priority_overrides = [
    ("html", "text/html", 5),
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/javascript", None),
]
myst_enable_extensions = ["colon_fence", "deflist"]  # no dollarmath: no MathJax is ever needed
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# --- Solutions: folded for students, open for instructors -----------------------------------------
workbook_solutions_open = tags.has("instructor") or os.environ.get("SEGTOOLS_BOOK_INSTRUCTOR", "") not in ("", "0")  # noqa: F821
if workbook_solutions_open:
    html_title += " (instructor edition)"

# --- HTML ----------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_source_button": False,
    "show_prev_next": True,
    "navigation_with_keys": False,
}
# _templates/static/webpack-macros.html drops the theme's 1.5 MB FontAwesome script: its CSS icons stay
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["workbook.css"]
# a favicon of our own: without it every first visit asks the server for /favicon.ico (a 404)
html_favicon = "_static/favicon.png"
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
# Search result summaries are fetched with fetch(), which a browser refuses from file://; the index
# itself (searchindex.js, a script tag) works from file:// and from a web server alike.
html_show_search_summary = False
html_domain_indices = False
html_use_index = False
html_last_updated_fmt = None
# No math in the workbook; if a page ever gets some, this keeps it from reaching for a CDN.
mathjax_path = "mathjax-not-bundled.js"
# The theme's colour mode; light suits the notebooks' white charts (the reader can still switch).
html_context = {"default_mode": "light"}
# Keep quotes and dashes as written: the glossary and the notebooks quote code and data.
smartquotes = False
