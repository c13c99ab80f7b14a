"""Run the report templates with papermill and export them as HTML without code.

A report is one folder::

    report.ipynb            the executed template (code and outputs, for the analyst)
    report.html             the same without any code cell, for colleagues
    customer_segments.csv   one row a customer (see :mod:`segtools.exports`)
    lead_priorities.csv     one row a lead
    summary.json            the run's parameters, row counts in and out, segment sizes

:func:`run_report` checks the input files *before* a kernel starts, so a bad file fails
in a second with a message naming the file, the column and the problem. The input files
are only read, never written.

Examples
--------
>>> from segtools.report import TEMPLATES, template_path
>>> sorted(TEMPLATES)
['case', 'customers', 'leads']
>>> template_path("case").name
'case_report.ipynb'
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from segtools.errors import SegtoolsError

TEMPLATES = {"case": "case_report.ipynb", "customers": "customer_report.ipynb", "leads": "lead_report.ipynb"}
#: The files a report writes; ``force=True`` replaces these and leaves anything else alone.
OUTPUT_FILES = ("report.ipynb", "report.html", "customer_segments.csv", "lead_priorities.csv", "summary.json")
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


class ReportError(SegtoolsError):
    """A report cannot start: no inputs, an output folder in the way, ..."""


class ReportFailed(ReportError):
    """A template stopped with an error while it ran (the executed notebook is kept)."""


def templates_dir() -> Path:
    """The folder with the report templates (``notebooks/templates``)."""
    return Path(__file__).resolve().parent.parent / "notebooks" / "templates"


def template_path(kind: str) -> Path:
    """The template notebook for ``kind`` (``case``, ``customers`` or ``leads``)."""
    if kind not in TEMPLATES:
        raise ValueError(f"unknown report {kind!r}: choose one of {', '.join(TEMPLATES)}")
    return templates_dir() / TEMPLATES[kind]


def load_mapping(path):
    """Read a YAML column mapping (``None`` or ``""`` gives ``None``)."""
    from segtools.io import load_mapping as read_mapping

    return read_mapping(path) if path else None


def read_inputs(customers=None, transactions=None, leads=None, mapping=None) -> dict:
    """Read and validate an analyst's files; return ``{table: DataFrame}`` for those given.

    Parameters
    ----------
    customers, transactions, leads : str or Path, optional
        CSV or Parquet files. Give customers and transactions, or leads, or all three.
    mapping : str, Path or dict, optional
        A YAML mapping file or the dict :func:`segtools.io.load_mapping` returns
        (one entry per table).

    Raises
    ------
    ValidationError
        Naming the file, the table, the column and the rows of every problem.
    """
    from segtools import io, schema

    if mapping and isinstance(mapping, (str, Path)):
        mapping = io.load_mapping(mapping)
    given = {t: p for t, p in (("customers", customers), ("transactions", transactions), ("leads", leads)) if p}
    if not given:
        raise ReportError("no input files: give customers and transactions, leads, or all three")
    if "customers" in given and "transactions" not in given:
        raise ReportError("customers were given without transactions: a customer report needs the payments")
    mapping = mapping or {}
    tables = {t: io.read_table(p, t, mapping.get(t)) for t, p in given.items()}
    if "transactions" in tables and "customers" not in tables:
        tables["customers"] = customers_from_transactions(tables["transactions"])
    schema.validate_links(tables)
    return tables


def customers_from_transactions(transactions):
    """A customers table for a transactions-only export: every paying id, first seen on its first payment.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.report import customers_from_transactions
    >>> tx = pd.DataFrame({"customer_id": ["b", "a", "b"], "date": pd.to_datetime(["2025-03-01", "2025-01-02", "2025-01-05"])})
    >>> customers_from_transactions(tx)
      customer_id signup_date
    0           a  2025-01-02
    1           b  2025-01-05
    """
    first = transactions.groupby("customer_id", sort=True)["date"].min()
    customers = first.rename("signup_date").reset_index()
    customers.attrs["source"] = {"derived": "from transactions (no customers file given)"}
    return customers


def analysis_date(tables: dict, snapshot_date=""):
    """The given date, or the day after the last date in the analyst's tables (stable on reruns)."""
    import pandas as pd

    if snapshot_date:
        return pd.Timestamp(snapshot_date)
    last = [tables["transactions"]["date"].max()] if "transactions" in tables else []
    if "leads" in tables:
        last += [tables["leads"][c].max() for c in ("created_at", "last_activity_at") if c in tables["leads"]]
    known = [d for d in last if pd.notna(d)]
    if not known:
        raise ReportError("the files hold no dates to take the analysis date from: give --snapshot-date YYYY-MM-DD")
    return max(known).normalize() + pd.Timedelta(days=1)


def load_inputs(case="", customers_path="", transactions_path="", leads_path="", mapping_path="",
                snapshot_date=""):
    """What a template analyses: ``(title, tables, snapshot_date)``.

    A world's committed tables when ``case`` is given, otherwise the analyst's validated
    files. Without a ``snapshot_date`` the analysis date is the day after the last date in
    the data, so a rerun on the same files gives the same report.

    Examples
    --------
    >>> from segtools.report import load_inputs
    >>> title, tables, snapshot = load_inputs(case="consulting")
    >>> title, sorted(tables), str(snapshot.date())
    ('A management consulting firm', ['customers', 'leads', 'transactions'], '2026-01-01')
    """
    import pandas as pd

    if case:
        from segtools.datasets import load_case

        c = load_case(case)
        tables = {t: c.tables[t] for t in ("customers", "transactions", "leads")}
        title, snapshot = c.title, c.snapshot_date
    else:
        tables = read_inputs(customers_path, transactions_path, leads_path, mapping_path or None)
        title, snapshot = "Your own data", analysis_date(tables, snapshot_date)
    if snapshot_date:
        snapshot = pd.Timestamp(snapshot_date)
    return title, tables, snapshot


def write_summary(path, **fields) -> dict:
    """Write the run's JSON summary (sorted keys, dates as ISO text) and return it.

    Examples
    --------
    >>> import json, tempfile, pathlib, pandas as pd
    >>> from segtools.report import write_summary
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "summary.json"
    >>> _ = write_summary(p, rows_in={"leads": 3}, snapshot_date=pd.Timestamp("2026-01-01"))
    >>> json.loads(p.read_text())["snapshot_date"]
    '2026-01-01'
    """
    def plain(v):
        if hasattr(v, "isoformat"):
            text = v.isoformat()
            return text[:10] if text.endswith("T00:00:00") else text
        if hasattr(v, "item"):
            return v.item()
        return str(v)

    text = json.dumps(fields, indent=2, sort_keys=True, default=plain, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")
    return json.loads(text)


def prepare_output(out, force: bool = False) -> Path:
    """Create the output folder; refuse a non-empty one unless ``force`` (then replace the report's files)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ReportError(f"the output {out.name!r} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise ReportError(f"the output folder {out.name!r} already exists and is not empty; "
                              "pass --force (force=True) to overwrite the report in it")
        for name in OUTPUT_FILES:
            (out / name).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _kernel_manager_class(folder):
    """A kernel manager class talking over local sockets in ``folder`` (TCP on Windows).

    With TCP, a kernel picks free ports and binds them a moment later; on a busy machine
    another process can take a port in between and the kernel dies on start. Local
    (IPC) sockets in a private folder cannot collide, and nothing listens on the network.
    A class (not an instance) is handed to papermill so that it still owns, and shuts
    down, the kernel it starts.
    """
    import os

    from jupyter_client.manager import AsyncKernelManager

    if os.name == "nt":
        return AsyncKernelManager

    class LocalSocketKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)

    return LocalSocketKernelManager


def export_html(notebook, html_path, title: str = "Segmentation report") -> Path:
    """Write an executed notebook as self-contained HTML with no code cells.

    Inputs and prompts are left out (nbconvert's ``exclude_input``); charts are embedded
    as images and no script is loaded from the web, so the file reads the same offline.
    Table text is escaped by pandas, so names from the data cannot inject HTML.
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4) if isinstance(notebook, (str, Path)) else notebook
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            exclude_anchor_links=True, embed_images=True,
                            extra_loaders=[DictLoader({"report.html.j2": _OFFLINE_TEMPLATE})],
                            template_file="report.html.j2")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


def run_report(out, *, case="", customers="", transactions="", leads="", mapping="", points="", kind="",
               snapshot_date="", n_segments: int = 4, capacity: int = 200, force: bool = False,
               log=None) -> dict:
    """Validate the inputs, execute a template with papermill, export HTML; return the summary.

    Parameters
    ----------
    out : str or Path
        The report folder (created; must be empty unless ``force``).
    case : str
        A world (``retail``, ``startup``, ``consulting``, ``agency``), or ``""`` for files.
    customers, transactions, leads, mapping : str or Path
        The analyst's files and YAML column mapping, when ``case`` is ``""``.
    points : str or Path
        A lead points table (CSV or YAML) for the analyst's leads; by default the
        case's rules, or generic engagement rules for one's own files.
    kind : {"", "case", "customers", "leads"}
        The template; by default ``case`` when there is something for both sides.
    snapshot_date : str
        The analysis date (``YYYY-MM-DD``); by default the case's, or the day after the data.
    n_segments : int
        Number of behaviour clusters in the customer report.
    capacity : int
        Leads the sales team can call in the period (the lead report's call list).
    force : bool
        Replace the report files in an existing folder.
    log : callable, optional
        Called with one progress line at a time (e.g. ``print``).

    Returns
    -------
    dict
        The JSON summary, also written to ``out/summary.json``.
    """
    import papermill as pm

    from segtools.datasets import WORLDS

    say = log or (lambda line: None)
    if bool(case) == bool(customers or transactions or leads):
        raise ReportError("give either a case or your own files, not both and not neither")
    if case:
        if case not in WORLDS:
            raise ReportError(f"unknown case {case!r}: choose one of {', '.join(WORLDS)}")
        rows_in = None
    else:
        say("checking the input files")
        tables = read_inputs(customers, transactions, leads, mapping)
        analysis_date(tables, snapshot_date)  # fail here, before any kernel starts
        rows_in = {t: len(df) for t, df in tables.items()}
        if "leads" in tables:  # the points table must fit the leads' columns: fail now, not in the kernel
            from segtools.leads import RuleScorer
            from segtools.report_sections import generic_points

            RuleScorer(str(points) if points else generic_points(tables["leads"])).fit(tables["leads"])
    if not kind:
        has_customers = bool(case or customers or transactions)
        has_leads = bool(case or leads)
        kind = "case" if has_customers and has_leads else ("customers" if has_customers else "leads")
    out = prepare_output(out, force)
    absolute = {k: str(Path(v).resolve()) if v and v not in WORLDS else str(v or "") for k, v in
                (("customers_path", customers), ("transactions_path", transactions), ("leads_path", leads),
                 ("mapping_path", mapping), ("points_path", points))}
    parameters = dict(case=case, snapshot_date=str(snapshot_date or ""), n_segments=int(n_segments),
                      capacity=int(capacity), output_dir=".", **absolute)
    say(f"running the {kind} report{' for ' + case if case else ''}")
    try:
        with tempfile.TemporaryDirectory(prefix="segtools-") as sockets:
            pm.execute_notebook(str(template_path(kind)), str(out / "report.ipynb"), parameters=parameters,
                                kernel_name=KERNEL, cwd=str(out), progress_bar=False, log_output=False,
                                kernel_manager_class=_kernel_manager_class(sockets),
                                extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    except pm.PapermillExecutionError as err:
        raise ReportFailed(f"the {kind} report stopped at cell {err.exec_count}: {err.ename}: {err.evalue} "
                          f"(the executed notebook is in {out.name}/report.ipynb)") from None
    summary_path = out / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
    say("writing report.html")
    export_html(out / "report.ipynb", out / "report.html", f"{summary.get('title', 'Segmentation')} report")
    if rows_in is not None and summary.get("rows_in") not in (None, rows_in):
        raise ReportFailed(f"the report read {summary.get('rows_in')} rows but the files hold {rows_in}")
    from importlib.metadata import version

    files = sorted(p.name for p in out.iterdir() if p.name in OUTPUT_FILES)
    summary.update(segtools_version=version("segtools"), template=TEMPLATES[kind], files=files)
    return write_summary(summary_path, **summary)


def run_all_cases(out, *, force: bool = False, log=None, **options) -> dict:
    """Run the case report for every world into ``out/<world>/``; return ``{world: summary}``."""
    from segtools.datasets import WORLDS

    say = log or (lambda line: None)
    out = Path(out)
    if not force:
        taken = [w for w in WORLDS if (out / w).is_dir() and any((out / w).iterdir())]
        if taken:
            raise ReportError(f"report folder(s) {', '.join(taken)} in {out.name!r} already exist; "
                              "pass --force to overwrite them")
    results = {}
    for i, world in enumerate(WORLDS, start=1):
        say(f"[{i}/{len(WORLDS)}] {world}")
        results[world] = run_report(out / world, case=world, force=force, log=log, **options)
    return results
