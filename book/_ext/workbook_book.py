"""The workbook's Sphinx extension: notebook cell tags, exercise anchors, widget notes and chart alt text.

It rewrites each notebook's JSON as Sphinx reads it (``source-read``), before MyST-NB parses it:

* cells tagged ``solution`` get MyST-NB's ``hide-cell`` tag and a "Show solution" control (folded), or,
  with ``workbook_solutions_open`` (the instructor edition), stay open under a "Solution" label;
* cells tagged ``claim-check`` get ``remove-cell``: the checks behind the notebooks' claims are for the
  tests, not for readers;
* each exercise gets a link target (``exercise-01-2``) that the exercises page points to;
* a live widget output without a static ``text/html`` view becomes a one-line note (no widget
  JavaScript is loaded anywhere, so the widget could not show);
* every chart gets alt text: the output's ``metadata["image/png"]["alt"]`` when the notebook stores
  one, else "Chart: " with the title in the cell's code, the plot function or the section heading.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from docutils import nodes

from segtools.workbook.book import find_exercises

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
WIDGET_NOTE = ('<p class="workbook-widget-note">Interactive controls: they work in Jupyter '
               '(<code>make lab</code>), not in this static book.</p>')
TITLE_IN_CODE = re.compile(r"""(?:set_title|suptitle|title)\s*(?:=|\()\s*f?(["'])(.+?)\1""")
PLOT_CALL = re.compile(r"\b(?:plots\.|sns\.)?(\w+_(?:plot|heatmap|chart|map|curve|bars?))\s*\(")


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell) -> list:
    return cell.setdefault("metadata", {}).setdefault("tags", [])


def _chart_alt(code: str, heading: str) -> str:
    found = TITLE_IN_CODE.search(code)
    if found:
        return f"Chart: {found.group(2)}"
    call = PLOT_CALL.search(code)
    what = call.group(1).replace("_", " ") if call else ""
    if what and heading:
        return f"Chart: {what}, {heading}"
    return f"Chart: {what or heading or 'a figure from this notebook'}"


def _image_bytes(mime: str, content) -> bytes:
    if isinstance(content, list):
        content = "".join(content)
    if mime in ("image/png", "image/jpeg", "image/gif"):
        return base64.b64decode(content)
    import os

    return os.linesep.join(content.splitlines()).encode("utf-8")  # as MyST-NB hashes it


def rewrite_notebook(nb: dict, stem: str, solutions_open: bool, alts: dict) -> dict:
    """Apply the book's cell rules to a notebook (a JSON dict); fills ``alts`` (image hash -> alt)."""
    # exercise link targets, bottom up inside a cell so the line numbers stay right
    for label, index, line_no, _, _ in reversed(find_exercises(nb, stem)):
        cell = nb["cells"][index]
        lines = _source(cell).splitlines()
        lines[line_no:line_no] = ["", f"({label})=", ""]
        cell["source"] = "\n".join(lines)

    cells, heading = [], ""
    for cell in nb["cells"]:
        tags = _tags(cell)
        if cell["cell_type"] == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("#"):
                    heading = line.lstrip("#").strip()
        if "claim-check" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
        if "solution" in tags and "remove-cell" not in tags:
            if solutions_open:
                cells.append({"cell_type": "markdown", "id": f"solution-label-{len(cells)}", "metadata": {},
                              "source": "*Solution:*"})
            elif "hide-cell" not in tags:
                tags.append("hide-cell")
                cell["metadata"].setdefault("mystnb", {}).update(
                    code_prompt_show="Show solution", code_prompt_hide="Hide solution")
        if cell["cell_type"] == "code":
            for output in cell.get("outputs", []):
                data = output.get("data")
                if not data:
                    continue
                if WIDGET_VIEW in data and "text/html" not in data:
                    output["data"] = {"text/html": WIDGET_NOTE}
                    continue
                for mime in IMAGE_TYPES:
                    if mime in data:
                        alt = (output.get("metadata", {}).get(mime) or {}).get("alt") \
                            or _chart_alt(_source(cell), heading)
                        alts[hashlib.sha256(_image_bytes(mime, data[mime])).hexdigest()] = str(alt)
        cells.append(cell)
    nb["cells"] = cells
    nb.get("metadata", {}).pop("widgets", None)  # widget state: nothing on the page can use it
    return nb


def _source_read(app, docname, source):
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    nb = json.loads(source[0])
    alts = app.env.__dict__.setdefault("workbook_alts", {})
    rewrite_notebook(nb, path.stem, app.config.workbook_solutions_open, alts)
    source[0] = json.dumps(nb)


def _section_title(node) -> str:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.children and isinstance(parent[0], nodes.title):
            return parent[0].astext()
        parent = parent.parent
    return ""


def _doctree_read(app, doctree):
    alts = getattr(app.env, "workbook_alts", {})
    for image in doctree.findall(nodes.image):
        stem = Path(image.get("uri", "")).stem
        if stem in alts:
            image["alt"] = alts[stem]
        elif not image.get("alt"):
            title = _section_title(image)
            image["alt"] = f"Chart: {title}" if title else "Chart from the workbook"


def _env_merge(app, env, docnames, other):
    env.__dict__.setdefault("workbook_alts", {}).update(getattr(other, "workbook_alts", {}))


def setup(app):
    app.add_config_value("workbook_solutions_open", False, "env")
    app.connect("source-read", _source_read)
    app.connect("doctree-read", _doctree_read)
    app.connect("env-merge-info", _env_merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
