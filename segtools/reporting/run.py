"""Run the report templates with papermill and export them as HTML without code.

A report is one folder::

    report.ipynb            the executed template (code and outputs, for the analyst)
    report.html             the same without any code cell, for colleagues
    customer_segments.csv   one row a customer (see :mod:`segtools.reporting.exports`)
    lead_priorities.csv     one row a lead
    summary.json            the run's parameters, row counts in and out, segment sizes

:func:`run_report` checks the input files before the template runs (the kernel boots
meanwhile), so a bad file fails in a second with a message naming the file, the column and
the problem. The input files are only read, never written.

Examples
--------
>>> from segtools.reporting import TEMPLATES, template_path
>>> sorted(TEMPLATES)
['case', 'customers', 'leads']
>>> template_path("case").name
'case_report.ipynb'
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from segtools.reporting.inputs import ReportError, prepare_inputs
from segtools.reporting.notebooks import KERNEL, export_html, preparing_html_export, started_kernel, strip_timings

#: Options of the report's kernel: no log lines in the notebook's outputs
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",)

TEMPLATES = {"case": "case_report.ipynb", "customers": "customer_report.ipynb", "leads": "lead_report.ipynb"}
#: The files a report writes; ``force=True`` replaces these and leaves anything else alone.
OUTPUT_FILES = ("report.ipynb", "report.html", "customer_segments.csv", "lead_priorities.csv", "summary.json",
                "suggested_points.yml")


class ReportFailed(ReportError):
    """A template stopped with an error while it ran (the executed notebook is kept)."""


def templates_dir() -> Path:
    """The folder with the report templates (package data: ``segtools/reporting/templates``).

    Returns
    -------
    Path
    """
    return Path(__file__).resolve().parent / "templates"


def template_path(kind: str) -> Path:
    """The template notebook for ``kind`` (``case``, ``customers`` or ``leads``).

    Parameters
    ----------
    kind : str

    Returns
    -------
    Path
    """
    if kind not in TEMPLATES:
        raise ValueError(f"unknown report {kind!r}: choose one of {', '.join(TEMPLATES)}")
    return templates_dir() / TEMPLATES[kind]


def prepare_output(out, force: bool = False, *, inputs=()) -> Path:
    """Check the output folder before anything is written; the inputs are never inside it.

    Parameters
    ----------
    out : str or Path
        The report folder. Refused when empty, when it is a file, when it holds a report and
        ``force`` is not given, and when it equals or contains one of ``inputs``.
    force : bool
        Allow replacing the report files in an existing folder (other files are left alone).
    inputs : iterable of str or Path
        The files the report reads.

    Returns
    -------
    Path
        The output folder, resolved (not created: the report is written beside it first).
    """
    if not str(out).strip():
        raise ReportError("the output folder is empty: give --out DIR (a new folder for the report)")
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise ReportError(f"the output {out.name!r} exists and is not a folder")
    for path in inputs:
        source = Path(path).resolve()
        if source == out or out in source.parents:
            raise ReportError(f"the output folder {out.name!r} holds the input file {source.name!r}; the report "
                              "never writes where its inputs are: choose another --out")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ReportError(f"the output folder {out.name!r} already exists and is not empty; "
                          "pass --force (force=True) to overwrite the report in it")
    return out


def _swap_in(stage: Path, out: Path) -> None:
    """Move the finished report files from ``stage`` into ``out``, replacing the old report's files only."""
    import os
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_FILES:
        new = stage / name
        if new.exists():
            os.replace(new, out / name)
        else:
            (out / name).unlink(missing_ok=True)
    shutil.rmtree(stage, ignore_errors=True)


def run_report(out, *, case="", customers="", transactions="", leads="", mapping="", points="", kind="",
               snapshot_date="", n_segments: int = 4, capacity: int = 200, post_outcome="", keep_flagged="",
               random_state: int = 0, force: bool = False, log=None, engine: str = "auto") -> dict:
    """Validate the inputs, execute a template with papermill, export HTML; return the summary.

    The inputs are checked by :func:`segtools.reporting.inputs.prepare_inputs`, the same
    code :func:`segtools.reporting.build_report` starts with, while the kernel boots and
    before anything runs in it. The template then calls ``build_report`` with these
    parameters and shows the report.

    Parameters
    ----------
    out : str or Path
        The report folder (created; must be empty unless ``force``).
    case : str
        A world (``retail``, ``startup``, ``consulting``, ``agency``), or ``""`` for files.
    customers, transactions, leads, mapping : str or Path
        The analyst's files and YAML column mapping, when ``case`` is ``""``.
    points : str or Path
        A lead points table (CSV or YAML) for the analyst's leads, or a world whose rules to
        use; by default the case's rules, or generic engagement rules for one's own files.
    kind : {"", "case", "customers", "leads"}
        The template; by default ``case`` when there is something for both sides.
    snapshot_date : str
        The analysis date (``YYYY-MM-DD``); by default the case's, or the day after the data.
    n_segments : int
        Number of behaviour clusters in the customer report.
    capacity : int
        Leads the sales team can call in the period (the lead report's call list).
    post_outcome, keep_flagged : str or list of str
        Lead columns filled in after the outcome, and columns the leak alarm flags that are
        kept on purpose (comma-separated text or a list; the template parameters of the same name).
    random_state : int
        Seed of the clusters, the lead model and the tie-break at the capacity boundary.
    force : bool
        Replace the report files in an existing folder.
    log : callable, optional
        Called with one progress line at a time (e.g. ``print``).
    engine : {"auto", "pandas", "duckdb", "spark"}
        Where the transactions (a file, a glob or a folder) are validated and summarised; see
        :func:`segtools.reporting.build_report`. The choice is logged. On a terminal, the
        report's long steps are printed to stderr as they run (never into the notebook).

    Returns
    -------
    dict
        The JSON summary, also written to ``out/summary.json``.
    """
    import shutil

    from segtools.engines.checked import ENV as CHECKED_ENV
    from segtools.reporting.exports import write_summary

    say = log or (lambda line: None)
    if n_segments < 1 or capacity < 0:
        raise ReportError("n_segments must be at least 1 and capacity zero or more")
    given = [p for p in (customers, transactions, leads, mapping, points) if p and Path(str(p)).is_file()]
    final = prepare_output(out, force, inputs=given)
    # a private folder for the kernel's sockets and the counts of the file checks, which the kernel reuses
    # instead of checking the files again (segtools.engines.checked)
    with tempfile.TemporaryDirectory(prefix="segtools-") as private, \
            _environ(CHECKED_ENV, os.path.join(private, "checked.json")), _progress_relay(private):
        out = _stage_beside(final, inputs=given)
        try:
            # the kernel boots while the files are checked (it inherits the variables set above)
            with started_kernel(private, cwd=out, extra_arguments=KERNEL_ARGUMENTS) as km:
                rows_in, kind, executed = _checked_run(
                    out, final, km, say=say, case=case, customers=customers, transactions=transactions,
                    leads=leads, mapping=mapping, points=points, kind=kind, snapshot_date=snapshot_date,
                    n_segments=n_segments, capacity=capacity, post_outcome=post_outcome,
                    keep_flagged=keep_flagged, random_state=random_state, engine=engine)
        except BaseException:
            if not (out / "report.ipynb").exists():  # stopped before the template ran (a failed check)
                shutil.rmtree(out, ignore_errors=True)
            raise
    summary_path = out / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
    say("writing report.html")
    export_html(executed, out / "report.html", f"{summary.get('title', 'Segmentation')} report")
    if summary.get("rows_in") not in (None, rows_in) and {t: n for t, n in summary.get("rows_in", {}).items()
                                                          if t in rows_in} != rows_in:
        raise ReportFailed(f"the report read {summary.get('rows_in')} rows but the files hold {rows_in}")
    from importlib.metadata import version

    files = sorted(p.name for p in out.iterdir() if p.name in OUTPUT_FILES)
    summary.update(segtools_version=version("segtools"), template=TEMPLATES[kind], files=files)
    summary = write_summary(summary_path, **summary)
    _swap_in(out, final)
    return summary


def _checked_run(out, final, km, *, say, kind, case, customers, transactions, leads, mapping, points, snapshot_date,
                 engine, **options):
    """Check the input files, then run the template on the kernel ``km`` into the folder ``out``.

    Returns the rows read per table, the template's kind and the executed notebook's path.
    """
    import papermill as pm

    if not case:
        say("checking the input files")
    inputs = prepare_inputs(case=case, customers=customers, transactions=transactions, leads=leads,
                            mapping=mapping or None, points=points or None,
                            snapshot_date=snapshot_date or None, engine=engine, check_only=True)
    if transactions:
        say(f"engine {inputs.engine[0]} ({inputs.engine[1]})")
    rows_in = {t: len(df) for t, df in inputs.tables.items()}
    if not kind:
        has_customers = bool(case or customers or transactions)
        has_leads = bool(case or leads)
        kind = "case" if has_customers and has_leads else ("customers" if has_customers else "leads")
    template = template_path(kind)
    parameters = dict(case=case, snapshot_date=str(snapshot_date or ""), n_segments=int(options["n_segments"]),
                      capacity=int(options["capacity"]), post_outcome=_joined(options["post_outcome"]),
                      keep_flagged=_joined(options["keep_flagged"]), random_state=int(options["random_state"]),
                      output_dir=".", engine=inputs.engine[0],
                      **_absolute(customers_path=customers, transactions_path=transactions, leads_path=leads,
                                  mapping_path=mapping, points_path=points))
    say(f"running the {kind} report{' for ' + case if case else ''}")
    executed = out / "report.ipynb"
    try:
        # the HTML export (report.html, next) gets ready while the kernel runs the report: a second less after it
        with preparing_html_export():
            pm.execute_notebook(str(template), str(executed), parameters=parameters, kernel_name=KERNEL,
                                cwd=str(out), progress_bar=False, log_output=False, km=km)
    except pm.PapermillExecutionError as err:
        raise ReportFailed(f"the {kind} report stopped at cell {err.exec_count}: {err.ename}: {err.evalue} "
                           f"(the executed notebook is in {out}/report.ipynb; the previous report in "
                           f"{final.name!r}, if any, is untouched)") from None
    finally:
        if executed.exists():
            strip_timings(executed)
    return rows_in, kind, executed


@contextmanager
def _environ(name, value):
    """The environment variable ``name`` set to ``value`` inside the block (for this process and the kernels it
    starts), then as it was."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


class _progress_relay:
    """On a terminal (and not in CI): the kernel writes its progress lines to a file, a thread prints them.

    The kernel's own stderr is captured into the notebook, so the lines travel through a file
    named by ``SEGTOOLS_PROGRESS_FILE`` (read by :func:`segtools.reporting.build.progress_printer`).
    """

    def __init__(self, folder):
        import os
        import sys

        self.on = bool(sys.stderr.isatty() and not os.environ.get("CI"))
        self.path = os.path.join(folder, "progress.txt")

    def __enter__(self):
        import threading

        if not self.on:
            return self
        self.env = _environ("SEGTOOLS_PROGRESS_FILE", self.path)
        self.env.__enter__()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._relay, daemon=True)
        self.thread.start()
        return self

    def _relay(self):
        import sys
        import time

        start, seen = time.perf_counter(), 0
        while True:
            done = self.stop.wait(0.5)
            try:
                with open(self.path, encoding="utf-8") as f:
                    lines = f.read().splitlines()
            except OSError:
                lines = []
            for line in lines[seen:]:
                print(f"segtools: [{time.perf_counter() - start:6.1f} s] {line}", file=sys.stderr, flush=True)
            seen = max(seen, len(lines))
            if done:
                return

    def __exit__(self, *exc):
        if self.on:
            self.stop.set()
            self.thread.join()
            self.env.__exit__(None, None, None)
        return False


def _stage_beside(out: Path, *, inputs=()) -> Path:
    """A hidden folder next to ``out`` (same name on every run, so reruns are byte-identical): the report is
    written there and moved in only when it succeeded; a left-over one from a failed run is replaced."""
    import shutil

    stage = out.parent / f".{out.name}.partial"
    prepare_output(stage, force=True, inputs=inputs)  # never a folder that holds an input
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def _joined(names) -> str:
    """A template parameter from a list of column names (papermill passes text): comma separated."""
    return names if isinstance(names, str) else ", ".join(map(str, names or ()))


def _absolute(**paths) -> dict:
    """Template parameters: files as absolute paths (the kernel runs in the report folder); world names as given."""
    from segtools.data import WORLDS

    return {k: str(Path(v).resolve()) if v and str(v) not in WORLDS else str(v or "") for k, v in paths.items()}


def run_all_cases(out, *, force: bool = False, log=None, **options) -> dict:
    """Run the case report for every world into ``out/<world>/``; return ``{world: summary}``.

    Parameters
    ----------
    out : str or Path
        The folder of the reports, one sub-folder a world.
    force : bool
        Replace the report files in existing folders.
    log : callable, optional
        Called with one progress line at a time.
    **options
        Passed to :func:`run_report` (``snapshot_date``, ``n_segments``, ``capacity``).

    Returns
    -------
    dict
        ``{world: summary}``.
    """
    from segtools.data import WORLDS

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
