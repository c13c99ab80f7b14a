"""A kernel-free view of an explorer: its controls as plain HTML over a few precomputed settings.

Widgets need a running kernel, and their JavaScript would come from a CDN; the HTML book and GitHub
have neither. So every explorer of :mod:`segtools.widgets` is an :class:`ExplorerBox`: in JupyterLab it
*is* the live ``ipywidgets.VBox``; when it is displayed, its mime bundle also carries a ``text/html``
fallback made by :func:`precomputed_html`: the controls as HTML ``<input type="range">``,
``<select>`` and checkboxes over a small set of values, the chart or table of each setting rendered
right then (when the notebook runs), and a few lines of inline JavaScript that show the view of the
chosen setting. No network, no widget library, no random ids: the same inputs give the same bytes, so
nbval can compare the stored ``text/html``.

Settings are precomputed one control at a time: the starting setting, then each control moved over its
values while the others keep their starting value. Moving a second control first returns the others to
their start. Controls whose values cannot be enumerated (a multiple selection, a text box) stay at their
starting value and are shown disabled; the caption says so.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json

import ipywidgets as widgets

MAX_VIEWS = 12
MAX_BYTES = 300_000  # the book's page-weight budget (issue 15): views are the heaviest part of a page
SLIDERS = ("IntSlider", "FloatSlider", "SelectionSlider")
SELECTIONS = (widgets.Dropdown, widgets.Select, widgets.SelectionSlider, widgets.RadioButtons, widgets.ToggleButtons)
_SCRIPT = """<script>(function(){var s=document.currentScript,r=document.getElementById("%s")||(s&&s.previousElementSibling);
if(!r)return;var cs=[].slice.call(r.querySelectorAll("[data-control]")),vs=[].slice.call(r.querySelectorAll("[data-key]"));
function pos(c){return c.type==="checkbox"?(c.checked?1:0):+c.value;}function key(){return cs.map(pos).join(",");}
function show(moved){if(!vs.some(function(v){return v.getAttribute("data-key")===key();}))cs.forEach(function(c){
if(c!==moved){if(c.type==="checkbox")c.checked=c.getAttribute("data-start")==="1";else c.value=c.getAttribute("data-start");}});
var k=key();vs.forEach(function(v){v.style.display=v.getAttribute("data-key")===k?"":"none";});
cs.forEach(function(c){var o=r.querySelector('output[for="'+c.id+'"]');if(o)o.textContent=JSON.parse(c.getAttribute("data-labels"))[pos(c)];});}
cs.forEach(function(c){c.addEventListener("input",function(){show(c);});c.addEventListener("change",function(){show(c);});});show(null);})();</script>"""


def _pick(count: int, start: int, n: int) -> list:
    """At most ``n`` positions out of ``range(count)``, evenly spread, always with ``start``."""
    if count <= n:
        return list(range(count))
    if n <= 1:
        return [start]
    spread = sorted({round(i * (count - 1) / (n - 1)) for i in range(n)})
    if start not in spread:  # the nearest inner position makes way for the start
        inner = spread[1:-1] or spread
        spread.remove(min(inner, key=lambda p: abs(p - start)))
        spread = sorted(spread + [start])
    return spread


def _options(control):
    options = control.options
    pairs = options.items() if isinstance(options, dict) else options
    return [(str(o[0]), o[1]) if isinstance(o, tuple) and len(o) == 2 else (str(o), o) for o in pairs]


def _choices(control):
    """``(kind, [(label, value), ...], start position)`` of one control."""
    value = control.value
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return "check", [("no", False), ("yes", True)], int(bool(value))
    kind = "range" if type(control).__name__ in SLIDERS else "select"
    if isinstance(control, SELECTIONS):
        pairs = _options(control)
        start = next((i for i, (_, v) in enumerate(pairs) if v == value), None)
        if start is not None:
            return kind, pairs, start
    elif isinstance(control, (widgets.IntSlider, widgets.FloatSlider, widgets.BoundedIntText)) \
            and isinstance(value, (int, float)):
        step = control.step or 1
        count = int(round((control.max - control.min) / step)) + 1
        numbers = [control.min + i * step for i in range(count)]
        numbers = [int(v) if isinstance(control.min, int) and float(v).is_integer() else round(v, 10)
                   for v in numbers]
        if value not in numbers:
            numbers = sorted(set(numbers) | {value})
        return kind, [(str(v), v) for v in numbers], numbers.index(value)
    return "fixed", [(_label(value), value)], 0


def _label(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (tuple, list)) else str(value)


def _budget(sizes: list, max_views: int) -> list:
    """How many values each control gets so that 1 + sum(n - 1) <= max_views."""
    wanted = [min(size, 2) for size in sizes]  # every movable control moves at least once
    left = max_views - 1 - sum(w - 1 for w in wanted)
    while left > 0:
        growing = [i for i, size in enumerate(sizes) if wanted[i] < size]
        if not growing:
            break
        for i in growing[:left]:
            wanted[i] += 1
            left -= 1
    return wanted


def precomputed_html(controls: dict, view, *, max_views: int = MAX_VIEWS, choices: dict | None = None,
                     caption: str = "", max_bytes: int = MAX_BYTES) -> str:
    """The explorer as static HTML: plain controls over a few settings, each setting's view rendered now.

    Parameters
    ----------
    controls : dict of str to ipywidgets widget
        The explorer's controls, by the keyword ``view`` receives; their current values are the start.
    view : callable
        ``view(**values)`` returns the HTML of one setting (a table, an ``<img>``), or None to leave that
        setting out (the starting setting is never left out).
    max_views : int, default 12
        The most settings rendered (page weight grows with each).
    choices : dict of str to list, optional
        The values to precompute for some controls (the starting value is added), instead of an even
        spread over all of them.
    caption : str
        A sentence (HTML) added to the note under the controls.
    max_bytes : int, default 300_000
        About the most bytes of views: fewer settings are rendered when the starting view is large.

    Returns
    -------
    str
        A ``<div>`` with the controls, one ``<div data-key>`` per setting and an inline ``<script>``.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> k = widgets.IntSlider(value=3, min=2, max=8)
    >>> page = precomputed_html({"k": k}, lambda k: f"<p>k is {k}</p>", max_views=4)
    >>> page.count("data-key="), "<p>k is 3</p>" in page, "http" in page
    (4, True, False)
    """
    if max_views < 1:
        raise ValueError(f"max_views must be at least 1, got {max_views}")
    choices = choices or {}
    names = list(controls)
    found = []
    for name in names:
        kind, pairs, start = _choices(controls[name])
        if name in choices and kind != "fixed":
            keep = [i for i, (_, v) in enumerate(pairs) if i == start or v in list(choices[name])]
            start, pairs = keep.index(start), [pairs[i] for i in keep]
        found.append([kind, pairs, start])

    def render(key):
        return view(**{name: found[i][1][p][1] for i, (name, p) in enumerate(zip(names, key))})

    first = render(tuple(f[2] for f in found))
    max_views = max(min(2, max_views), min(max_views, max_bytes // max(1, len(first or ""))))
    for entry, n in zip(found, _budget([len(f[1]) for f in found], max_views)):
        if entry[0] != "check":
            kept = _pick(len(entry[1]), entry[2], n)
            entry[1], entry[2] = [entry[1][i] for i in kept], kept.index(entry[2])
    start = tuple(f[2] for f in found)
    rendered = {(i, start[i]): "<p>No view for this setting.</p>" if first is None else first
                for i in range(len(found))}
    for i, f in enumerate(found):
        for p in range(len(f[1])):
            if p != f[2]:
                body = render(start[:i] + (p,) + start[i + 1:])
                if body is not None:
                    rendered[(i, p)] = body
    # each control offers only the values whose view exists
    for i, f in enumerate(found):
        usable = [p for p in range(len(f[1])) if (i, p) in rendered]
        f[1], f[2] = [f[1][p] for p in usable], usable.index(f[2])
        rendered.update({(i, "new", j): rendered.pop((i, p)) for j, p in enumerate(usable)})
    start_key = tuple(f[2] for f in found)
    views = {start_key: rendered[(0, "new", start_key[0])]}
    for (i, _, j), body in rendered.items():
        views.setdefault(start_key[:i] + (j,) + start_key[i + 1:], body)
    return _assemble(controls, names, found, views, start_key, caption)


def _assemble(controls, names, found, views, start_key, caption) -> str:
    body = json.dumps([[f[0], [label for label, _ in f[1]], f[2]] for f in found]) + "".join(
        f"{k}{v}" for k, v in views.items())
    uid = "segtools-explorer-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    parts = [f'<div class="segtools-explorer" id="{uid}">', '<div class="segtools-explorer-controls">']
    fixed = []
    for i, (name, (kind, pairs, start)) in enumerate(zip(names, found)):
        cid = f"{uid}-{i}"
        label = html.escape(getattr(controls[name], "description", "") or name)
        labels = html.escape(json.dumps([lab for lab, _ in pairs]))
        common = f'id="{cid}" data-control="{i}" data-start="{start}" data-labels="{labels}"'
        if kind == "fixed" or len(pairs) < 2 and kind != "check":
            fixed.append(label)
            parts.append(f'<label>{label} <select disabled><option selected>{html.escape(pairs[0][0])}'
                         "</option></select></label>")
            parts[-1] = parts[-1].replace("<select disabled>", f"<select disabled {common}>")
        elif kind == "check":
            checked = " checked" if start else ""
            parts.append(f'<label><input type="checkbox" {common}{checked}> {label}</label>')
        elif kind == "range":
            parts.append(f'<label for="{cid}">{label}</label> <input type="range" min="0" max="{len(pairs) - 1}" '
                         f'step="1" value="{start}" {common}> <output for="{cid}">'
                         f"{html.escape(pairs[start][0])}</output>")
        else:
            options = "".join(f'<option value="{p}"{" selected" if p == start else ""}>{html.escape(lab)}</option>'
                              for p, (lab, _) in enumerate(pairs))
            parts.append(f'<label>{label} <select {common}>{options}</select></label>')
    parts.append("</div>")
    note = (f"Precomputed view: {len(views)} settings were drawn when the notebook ran; move one control "
            "at a time (the others return to their starting value). Every setting is live in Jupyter "
            "(<code>make lab</code>).")
    if fixed:
        note += f" Not precomputed, fixed at the value shown: {', '.join(fixed)}."
    if caption:
        note += " " + caption
    parts.append(f'<p class="segtools-explorer-note"><small>{note}</small></p>')
    for key, content in views.items():
        hidden = "" if key == start_key else ' style="display:none"'
        parts.append(f'<div class="segtools-explorer-view" data-key="{",".join(map(str, key))}"{hidden}>'
                     f"{content}</div>")
    parts.append("</div>")
    parts.append(_SCRIPT % uid)
    return "\n".join(parts)


def compact_png(png: bytes, *, colors: int = 128) -> bytes:
    """The PNG with a palette of ``colors`` colours: a third of the bytes for a chart, the same every run.

    Parameters
    ----------
    png : bytes
        A PNG image (e.g. from :func:`segtools.widgets.explorer.render_png`).
    colors : int, default 128
        The palette size.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGBA", (4, 4), (255, 0, 0, 255)).save(buffer, format="PNG")
    >>> Image.open(io.BytesIO(compact_png(buffer.getvalue()))).mode
    'P'
    """
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=colors)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_img(png: bytes, alt: str, *, width: str = "720px") -> str:
    """An ``<img>`` that carries its PNG inline (a ``data:`` URI), with alt text.

    Parameters
    ----------
    png : bytes
        The image.
    alt : str
        What the chart shows.
    width : str
        The largest width the image is shown at.

    Returns
    -------
    str

    Examples
    --------
    >>> png_img(b"\\x89PNG", "Chart: k = 3")[:44]
    '<img alt="Chart: k = 3" src="data:image/png;'
    """
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}" style="max-width:min(100%, {width})">'


class ExplorerBox(widgets.VBox):
    """A ``VBox`` whose display also carries a precomputed, kernel-free ``text/html`` view.

    Built by :func:`explorer_box`; ``_static`` holds the arguments of :func:`precomputed_html`.
    """

    _static = None

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        include = kwargs.get("include")
        if bundle is not None and self._static and (not include or "text/html" in include):
            bundle["text/html"] = precomputed_html(**self._static)
        return bundle


def explorer_box(children, controls: dict, view, *, max_views: int = MAX_VIEWS, choices: dict | None = None,
                 caption: str = ""):
    """An ``ipywidgets.VBox`` of ``children`` whose display also carries the :func:`precomputed_html` view.

    Parameters
    ----------
    children : list of ipywidgets widget
        The live explorer.
    controls, view, max_views, choices, caption
        As in :func:`precomputed_html`; computed each time the box is displayed, from the controls'
        values at that moment.

    Returns
    -------
    ExplorerBox
        A ``VBox`` subclass: the live widget in Jupyter, with a ``text/html`` fallback.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> k = widgets.IntSlider(value=2, min=1, max=3)
    >>> box = explorer_box([k], {"k": k}, lambda k: f"<p>{k}</p>")
    >>> sorted(box._repr_mimebundle_())
    ['application/vnd.jupyter.widget-view+json', 'text/html', 'text/plain']
    """
    box = ExplorerBox(list(children))
    box._static = {"controls": controls, "view": view, "max_views": max_views, "choices": choices,
                   "caption": caption}
    return box

