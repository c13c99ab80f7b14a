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
  one, else "Chart: " with the title in the cell's code, the plot function or the section heading;
* on each notebook page, the first use of each glossary term in the prose links to its entry on the
  glossary page (``doctree-resolved``; not in headings, code, links or cell outputs);
* after the build (``build-finished``), large chart PNGs in ``_images/`` are re-saved with a 256-colour
  palette when that makes them smaller (alt text lives in the pages, untouched), and the theme's
  FontAwesome script, which no page loads (see ``_templates/static/webpack-macros.html``), is left out
  of ``_static/``: page weight, issue 15.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from pathlib import Path

from docutils import nodes

from segtools.workbook.book_pages import find_exercises

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


def glossary_pattern():
    """The glossary terms as one regular expression, longest first, and each term's anchor.

    Returns
    -------
    tuple
        ``(regex, {lower-case English term: anchor such as "glossary-rfm"})``; the regex also matches
        plurals, and a term such as "BG/NBD (probability alive)" also by its short form.
    """
    from segtools.data.glossary import glossary

    from segtools.workbook.book_pages import glossary_label as _glossary_label

    anchors = {}
    for key, row in glossary().iterrows():
        term = str(row.get("en", key)).strip()
        for name in {term, term.split(" (")[0].strip()}:
            if name:
                anchors.setdefault(name.lower(), _glossary_label(key))
    names = sorted(anchors, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w/-])(" + "|".join(re.escape(n) for n in names) + r")(?:s|es)?(?![\w-])",
                         re.IGNORECASE)
    return pattern, anchors


SKIP_GLOSSARY = (nodes.reference, nodes.literal, nodes.title, nodes.FixedTextElement, nodes.raw, nodes.caption,
                 nodes.target, nodes.substitution_definition, nodes.comment)


def _in_prose(text) -> bool:
    parent = text.parent
    while parent is not None:
        if isinstance(parent, SKIP_GLOSSARY):
            return False
        classes = parent.get("classes", []) if isinstance(parent, nodes.Element) else []
        if any(c in ("cell_output", "cell_input", "output") for c in classes):
            return False
        parent = parent.parent
    return True


def link_glossary_terms(doctree, glossary_uri: str, pattern, anchors) -> int:
    """Link the first use of each glossary term in ``doctree``'s prose to ``glossary_uri#anchor``.

    Headings, code, links, raw HTML and cell inputs and outputs are left alone.

    Parameters
    ----------
    doctree : docutils.nodes.document
        A resolved page.
    glossary_uri : str
        The glossary page relative to this page, e.g. ``glossary.html``.
    pattern, anchors
        From :func:`glossary_pattern`.

    Returns
    -------
    int
        How many terms were linked.
    """
    seen = set()
    for text in [t for t in doctree.findall(nodes.Text) if _in_prose(t)]:
        source, pieces, last = str(text), [], 0
        for match in pattern.finditer(source):
            anchor = anchors[match.group(1).lower()]
            if anchor in seen:
                continue
            seen.add(anchor)
            pieces.append(nodes.Text(source[last:match.start()]))
            pieces.append(nodes.reference(match.group(0), match.group(0), refuri=f"{glossary_uri}#{anchor}",
                                          internal=True, classes=["workbook-glossary-term"],
                                          reftitle="in the glossary"))
            last = match.end()
        if pieces:
            pieces.append(nodes.Text(source[last:]))
            text.parent.replace(text, pieces)
    return len(seen)


def _doctree_resolved(app, doctree, docname):
    if app.builder.format != "html" or not docname[:1].isdigit() or "glossary" not in app.env.all_docs:
        return
    if not hasattr(app, "_workbook_glossary"):
        app._workbook_glossary = glossary_pattern()
    link_glossary_terms(doctree, app.builder.get_relative_uri(docname, "glossary"), *app._workbook_glossary)


def _env_merge(app, env, docnames, other):
    env.__dict__.setdefault("workbook_alts", {}).update(getattr(other, "workbook_alts", {}))


# PNGs above this many bytes are re-saved with a palette (smaller ones gain little)
QUANTIZE_ABOVE = 30_000
UNUSED_STATIC = ("scripts/fontawesome.js", "scripts/fontawesome.js.map", "scripts/fontawesome.js.LICENSE.txt")


def quantize_png(path: Path, colors: int = 256) -> bool:
    """Re-save a PNG with a ``colors``-colour palette when that is smaller; True when the file changed.

    Charts have few colours, so a palette keeps them looking the same at a fraction of the bytes.
    Palette images (already done, or saved that way) are left alone.
    """
    from PIL import Image

    with Image.open(path) as image:
        if image.mode == "P":
            return False
        image.load()
        alpha = image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255
        if alpha:
            small = image.convert("RGBA").quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
        else:
            small = image.convert("RGB").quantize(colors=colors)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    if buffer.tell() >= path.stat().st_size * 0.9:
        return False
    path.write_bytes(buffer.getvalue())
    return True


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for png in sorted((out / "_images").glob("*.png")):
        if png.stat().st_size > QUANTIZE_ABOVE:
            quantize_png(png)
    for name in UNUSED_STATIC:
        (out / "_static" / name).unlink(missing_ok=True)


def setup(app):
    app.add_config_value("workbook_solutions_open", False, "env")
    app.connect("source-read", _source_read)
    app.connect("doctree-read", _doctree_read)
    app.connect("env-merge-info", _env_merge)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
