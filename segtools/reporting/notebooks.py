"""Run notebooks on a local kernel and export them as offline HTML: shared by reports and the book.

Kernels talk over local (IPC) sockets in a private folder, not TCP: nothing listens on the
network, ports cannot collide on a busy machine, and the kernel prints no warning about
unencrypted TCP.
"""

from __future__ import annotations

import tempfile
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

KERNEL = "python3"
# nbconvert's lab template without the scripts it would fetch from a CDN (require.js, MathJax,
# mermaid): the report has no widgets or formulas, and it must read the same offline. Charts
# carry the alternative text the template gave them (``Image(..., alt=...)``).
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ ((output | get_metadata('alt', 'image/png')) or 'A chart') | escape_html }}">
</div>
{%- endblock data_png %}
"""


def local_kernel_manager(folder):
    """A kernel manager class talking over local sockets in ``folder`` (TCP on Windows).

    With TCP, a kernel picks free ports and binds them a moment later; on a busy machine
    another process can take a port in between and the kernel dies on start. Local
    (IPC) sockets in a private folder cannot collide, and nothing listens on the network.
    A class (not an instance) is handed to nbclient so that it still owns, and shuts down, the
    kernel it starts; :func:`started_kernel` starts one itself. Its instances keep the clients
    they made in ``clients``.

    Parameters
    ----------
    folder : str or Path
        A private folder for the sockets.

    Returns
    -------
    type
        A subclass of ``AsyncKernelManager``.
    """
    import os

    from jupyter_client.manager import AsyncKernelManager

    class LocalSocketKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            if os.name != "nt":
                kwargs.setdefault("transport", "ipc")
                kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)
            self.clients = []  # the clients it made (see started_kernel)

        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self.clients.append(kc)
            return kc

    return LocalSocketKernelManager


@contextmanager
def started_kernel(folder, *, cwd, extra_arguments=()):
    """A kernel started at once, booting while the caller goes on; shut down, with its clients, at the end.

    The kernel process needs about a second to start; a report starts it before checking the input
    files, so both happen at once, and hands it to papermill (``km=``), which then runs the
    notebook on it without waiting. Papermill leaves a kernel it was given running, so this
    stops it (at once, as ``shutdown_kernel="immediate"`` would) and closes the clients'
    sockets, also when the block fails before any cell ran.

    Parameters
    ----------
    folder : str or Path
        A private folder for the sockets (:func:`local_kernel_manager`).
    cwd : str or Path
        The kernel's working folder.
    extra_arguments : sequence of str
        Command-line options for the kernel.

    Returns
    -------
    context manager
        Yields the kernel manager.
    """
    from jupyter_core.utils import run_sync

    km = local_kernel_manager(folder)(kernel_name=KERNEL)
    # as nbclient starts its own kernels: the IPython history in memory, never in the user's profile
    run_sync(km.start_kernel)(cwd=str(cwd), extra_arguments=[*extra_arguments, "--HistoryManager.hist_file=:memory:"])
    try:
        yield km
    finally:
        try:
            if run_sync(km.is_alive)():
                run_sync(km.shutdown_kernel)(now=True)
        finally:
            run_sync(km.cleanup_resources)()
            for kc in km.clients:
                kc.stop_channels()


def export_html(notebook, html_path, title: str = "Segmentation report") -> Path:
    """Write an executed notebook as self-contained HTML with no code cells.

    Inputs and prompts are left out (nbconvert's ``exclude_input``); charts are embedded
    as images and no script is loaded from the web, so the file reads the same offline.
    Table text is escaped by pandas, so names from the data cannot inject HTML.

    Parameters
    ----------
    notebook : str, Path or NotebookNode
        The executed notebook.
    html_path : str or Path
        The HTML file to write.
    title : str
        The page title.

    Returns
    -------
    Path
        ``html_path``.
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4) if isinstance(notebook, (str, Path)) else notebook
    with _EXPORTING:  # one exporter, one notebook at a time
        body, _ = _html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


_EXPORTING = threading.Lock()


@lru_cache(maxsize=1)
def _html_exporter():
    """The exporter of :func:`export_html`, made once: its templates are compiled on first use and kept."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        exclude_anchor_links=True, embed_images=True,
                        extra_loaders=[DictLoader({"report.html.j2": _OFFLINE_TEMPLATE})],
                        template_file="report.html.j2")


@contextmanager
def preparing_html_export():
    """While the block runs, a background thread readies :func:`export_html` by exporting a small notebook.

    That loads nbconvert and compiles its templates, its CSS selectors and the notebook schema's
    validator (about a second of work), while a report's kernel runs, instead of after it. Nothing
    is written; a failure here is left to the real export to meet again.

    Returns
    -------
    context manager
        Waits for the thread at the end of the block.
    """
    thread = threading.Thread(target=_warm_up, name="segtools-html", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


def _warm_up():
    try:
        from nbformat import v4

        data = {"text/html": "<table><tr><td>1</td></tr></table>", "image/png": "iVBORw0KGgo=", "text/plain": "1"}
        cell = v4.new_code_cell(outputs=[v4.new_output("display_data", data)])
        export = v4.new_notebook(cells=[v4.new_markdown_cell("# Warm-up\n\n*text*"), cell])
        with _EXPORTING:
            _html_exporter().from_notebook_node(export, resources={"metadata": {"name": "warm-up"}})
    except Exception:  # noqa: BLE001 - only a head start: the real export raises it again
        pass


def execute_notebook(path, *, cwd=None, timeout: int = 600):
    """Run a notebook top to bottom from ``cwd`` (its own folder by default) and return it with outputs.

    Parameters
    ----------
    path : str or Path
        The notebook file; it is not written.
    cwd : str or Path, optional
        The folder the kernel starts in.
    timeout : int
        Seconds one cell may take.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (no timings recorded in its metadata).
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="segtools-") as sockets:
        client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, record_timing=False,
                                kernel_manager_class=local_kernel_manager(sockets),
                                resources={"metadata": {"path": str(cwd or Path(path).parent)}})
        client.execute()
    return nb


#: Per-run values papermill and nbclient record in a notebook's and its cells' metadata.
_TIMINGS = ("start_time", "end_time", "duration")


def strip_timings(path) -> Path:
    """Rewrite an executed notebook without timings, so two runs on the same inputs give the same bytes.

    Removes papermill's ``start_time``, ``end_time`` and ``duration`` (notebook and cells)
    and nbclient's ``execution`` timestamps, and gives papermill's injected parameters
    cell the fixed id ``injected-parameters`` (papermill makes a random one).

    Parameters
    ----------
    path : str or Path
        The executed notebook, rewritten in place.

    Returns
    -------
    Path
    """
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    for meta in [nb.metadata, *(cell.metadata for cell in nb.cells)]:
        for key in _TIMINGS:
            meta.get("papermill", {}).pop(key, None)
        meta.pop("execution", None)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    nbformat.write(nb, path)
    return path
