"""The report as a function: read and validate once, compute every table and chart, write the exports.

:func:`build_report` is the whole report in plain Python. The papermill templates only call
it and show the result, so a report can be built, tested and debugged without a kernel::

    from segtools.reporting import build_report
    report = build_report(case="startup", capacity=50)
    report.tables["lead tiers"]          # every table, by name
    report.show("leads")                 # in a notebook: one section, as the HTML report shows it

Examples
--------
>>> from segtools.reporting import build_report
>>> report = build_report(case="consulting", capacity=50)
>>> report.kind, report.sections
('case', ['intro', 'run', 'customers', 'leads', 'funnel', 'files'])
>>> report.summary["sizes"]["call_list"], report.parameters["sales capacity"]
(50, 50)
"""

from __future__ import annotations

import html
from pathlib import Path

from segtools.reporting import texts
from segtools.reporting.report import Report

#: The sections a report can have; a template picks customers, leads or both.
SECTIONS = ("customers", "leads")
#: The export files :func:`build_report` writes into ``out``.
EXPORT_FILES = ("customer_segments.csv", "lead_priorities.csv", "summary.json")
_DATES = (("customers", "signup_date"), ("transactions", "date"), ("leads", "created_at"))


def progress_printer(stream=None):
    """A progress callable: ``segtools: <step>`` lines on ``stream`` (stderr) when it is a terminal.

    Quiet when the stream is not a terminal (a pipe, a file, a notebook's captured output) and
    in CI (``CI`` set), so stored notebook outputs and logs never hold progress lines. A report
    run by :func:`segtools.reporting.run_report` in a kernel sends its lines to the file named by
    ``SEGTOOLS_PROGRESS_FILE`` instead, and the command prints them.

    Parameters
    ----------
    stream : file-like, optional
        Where to print; ``sys.stderr`` by default.

    Returns
    -------
    callable
        Takes one step's text.

    Examples
    --------
    >>> import io
    >>> say = progress_printer(io.StringIO())  # not a terminal: quiet
    >>> say("scoring") is None
    True
    """
    import os
    import sys
    import time

    target = os.environ.get("SEGTOOLS_PROGRESS_FILE")
    if target:
        def to_file(line: str) -> None:
            with open(target, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        return to_file
    stream = stream or sys.stderr
    if os.environ.get("CI") or not getattr(stream, "isatty", lambda: False)():
        return lambda line: None
    start = time.perf_counter()

    def say(line: str) -> None:
        print(f"segtools: [{time.perf_counter() - start:6.1f} s] {line}", file=stream, flush=True)
    return say


def _report_kind(sections) -> str:
    """``case`` for customers and leads, else the one section (``customers`` or ``leads``)."""
    chosen = set(sections)
    if not chosen or chosen - set(SECTIONS):
        raise ValueError(f"sections must be customers, leads or both, got {tuple(sections)!r}")
    return "case" if chosen == set(SECTIONS) else chosen.pop()


def _title(inputs, *, case, customers, transactions, leads) -> str:
    """The case's title, or the names (stems) of the analyst's files, so the title names the data."""
    if case or not any((customers, transactions, leads)):
        return inputs.title
    stems = list(dict.fromkeys(Path(str(p)).stem for p in (customers, transactions, leads) if p))
    return " + ".join(stems)


def mapping_post_outcome(mapping) -> tuple:
    """The ``post_outcome:`` names of the mapping's leads section (any case and spacing is matched later).

    Parameters
    ----------
    mapping : str, Path, dict or None
        A YAML mapping file or :func:`segtools.data.io.load_mapping`'s dict.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> from segtools.reporting.build import mapping_post_outcome
    >>> mapping_post_outcome({"leads": {"post_outcome": ["Current Status"]}})
    ('Current Status',)
    """
    if not mapping:
        return ()
    if isinstance(mapping, (str, Path)):
        from segtools.data.io import load_mapping

        mapping = load_mapping(mapping)
    return tuple((mapping.get("leads") or {}).get("post_outcome", ()) or ())


FILES_TEXT = {
    "customer_segments.csv": ("`customer_segments.csv`: one row per customer (customer_id, segment, recency_days, "
                              "frequency, monetary, r_score, f_score, m_score, recommended_action)."),
    "lead_priorities.csv": ("`lead_priorities.csv`: one row per lead (lead_id, score, grade, tier, rank, "
                            "call_this_period, reason{probability}), best first."),
    "summary.json": "`summary.json`: this run's parameters, row counts in and out, and the segment sizes.",
    "suggested_points.yml": ("`suggested_points.yml`: a points table learned from these leads' history, ready to "
                             "edit and to give back with `--points`."),
}


def _files_text(names, *, learned: bool, written: bool) -> str:
    """The files section: only the files this report has (and writes)."""
    head = "## Files next to this report" if written else "## Exports of this report"
    lines = [f"* {FILES_TEXT[n].format(probability=', probability' if learned else '')}" for n in names]
    return (head + "\n\n" + "\n".join(lines) + "\n\nThe CSV files are plain UTF-8 with one header row. A text "
            "value that begins with `=`, `+`, `-` or `@` starts with an apostrophe in the file, so a spreadsheet "
            "shows it instead of running it.")


def _run_parameters(inputs, *, case, points, n_segments, capacity, snapshot_date=None, post_outcome=(),
                    keep_flagged=()) -> dict:
    """The run as the report shows it: source, file names (never folders), date, clusters, capacity."""
    files = inputs.files
    if "points" in files:
        points_label = files["points"]
    elif isinstance(points, (str, Path)) and str(points):
        points_label = str(points)
    elif points is not None and not isinstance(points, str):
        points_label = "(given table)"
    else:
        points_label = "default for " + case if case else "generic"
    return {
        "case": case or "(own files)",
        "customers file": files.get("customers", ""),
        "transactions file": files.get("transactions", ""),
        "leads file": files.get("leads", ""),
        "column mapping": files.get("mapping", ""),
        "points table": points_label,
        "snapshot date": str(inputs.snapshot_date.date()),
        "snapshot date from": "given" if snapshot_date else ("the case" if case else "the day after the data"),
        "number of clusters": n_segments,
        "sales capacity": capacity,
        "post-outcome columns": ", ".join(post_outcome) or "none declared",
        "flagged columns kept": ", ".join(keep_flagged) or "none",
        **({"transactions engine": f"{inputs.engine[0]} ({inputs.engine[1]})"} if inputs.engine[0] != "pandas"
           else {}),
    }


def _names(value) -> tuple:
    """Column names from a comma-separated text (a papermill parameter) or an iterable."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v) for v in value)


def _data_summary(tables):
    """Rows, first and last date per input table."""
    import pandas as pd

    data = pd.DataFrame({"rows": {t: len(df) for t, df in tables.items()}})
    data["first date"] = data["last date"] = "none"
    for t, col in _DATES:
        if t in tables and not isinstance(tables[t], pd.DataFrame):  # transactions in DuckDB or Spark
            data.loc[t, "first date"] = f"{tables[t].first_date:%Y-%m-%d}"
            data.loc[t, "last date"] = f"{tables[t].last_date:%Y-%m-%d}"
        elif t in tables and col in tables[t] and tables[t][col].notna().any():
            data.loc[t, "first date"] = f"{tables[t][col].min():%Y-%m-%d}"
            data.loc[t, "last date"] = f"{tables[t][col].max():%Y-%m-%d}"
    data.index.name = "table"
    return data


def _export_frames(segments, priorities) -> dict:
    """``{file name: DataFrame}`` of the CSV exports the report has (documented columns, in order)."""
    from segtools.reporting.exports import customer_segments_export, lead_priorities_export

    frames = {}
    if segments is not None:
        frames["customer_segments.csv"] = customer_segments_export(segments)
    if priorities is not None:
        frame = lead_priorities_export(priorities)
        if priorities["probability"].notna().any():
            chance = priorities.set_index("lead_id")["probability"].round(4)
            frame.insert(frame.columns.get_loc("score") + 1, "probability", frame["lead_id"].map(chance).to_numpy())
        frames["lead_priorities.csv"] = frame
    return frames


class _EarlyExport:
    """The customers' export, written in a thread while the section is drawn (charts hold the GIL; the
    CSV's Arrow kernels mostly do not), when the report writes files (``out``)."""

    def __init__(self, out):
        self.folder = None if out is None else Path(out)
        self.frames, self.future, self.pool = {}, None, None

    def start(self, segments) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from segtools.reporting.exports import write_csv

        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.frames = _export_frames(segments, None)  # built here, in the report's thread
        (name, frame), = self.frames.items()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="segtools-export")
        self.future = self.pool.submit(write_csv, frame, self.folder / name)

    def wait(self, *, raise_error: bool = True) -> None:
        """Wait for the file; its error, if any, is raised here (``raise_error``)."""
        if self.future is None:
            return
        try:
            error = self.future.exception()
        finally:
            self.pool.shutdown()
            self.future = None
        if error is not None and raise_error:
            raise error


def build_report(tables=None, *, case="", customers="", transactions="", leads="", mapping=None, points=None,
                 snapshot_date=None, n_segments: int = 4, capacity: int = 200, random_state: int = 0,
                 sections=SECTIONS, post_outcome=(), keep_flagged=(), out=None, engine: str = "auto",
                 progress=None) -> Report:
    """Build a segmentation report: every table and chart, the summary, and (with ``out``) the export files.

    The inputs are read and validated once (:func:`segtools.reporting.inputs.prepare_inputs`);
    customers go through :func:`segtools.reporting.customer_table.customer_segments`, leads through
    :func:`segtools.reporting.lead_table.lead_priorities`.

    Parameters
    ----------
    tables : dict of str to DataFrame, optional
        Tables in memory (``customers``, ``transactions``, ``leads``, contract column names).
    case : str
        A world: ``retail``, ``startup``, ``consulting`` or ``agency``.
    customers, transactions, leads : str or Path
        An analyst's CSV or Parquet files (give one source: ``tables``, ``case`` or files).
    mapping : str, Path or dict, optional
        A YAML column mapping for the files.
    points : str, Path, DataFrame or list of dict, optional
        The lead points table, or a world whose rules to use; by default the case's rules,
        or generic engagement rules for one's own leads.
    snapshot_date : str or Timestamp, optional
        The analysis date; by default the case's, or the day after the last date in the data.
    n_segments : int
        Number of behaviour clusters among the customers.
    capacity : int
        Leads the sales team can call in one period: the length of the call list.
    random_state : int
        Seed of the behaviour clusters.
    sections : tuple of str
        ``("customers", "leads")`` (the case report), ``("customers",)`` or ``("leads",)``.
    post_outcome : str or iterable of str
        Lead columns known only after the outcome, added to the mapping's ``post_outcome:``
        (names matched case- and space-insensitively); a comma-separated text is split.
    keep_flagged : str or iterable of str
        Lead columns the leak alarm flags that are kept on purpose (comma-separated text is split).
    out : str or Path, optional
        A folder to write ``customer_segments.csv``, ``lead_priorities.csv`` (those the report
        has) and ``summary.json`` into; created if needed, other files left alone.
    engine : {"auto", "pandas", "duckdb", "spark"}
        Where the transactions file(s) (``transactions``: a file, a glob such as
        ``"orders/*.parquet"`` or a folder) are validated and summarised: on DuckDB or Spark only
        the per-customer table reaches pandas, with the same result. ``"auto"`` picks DuckDB for
        a glob, a folder or large files (:func:`segtools.engines.report_engine`).
    progress : callable, optional
        Called with one line per long step (reading and validating, summarising, scoring,
        writing); by default :func:`progress_printer` (stderr on a terminal, quiet otherwise).

    Returns
    -------
    Report
        Tables, charts, notes and summary; ``report.show()`` displays it in a notebook.
    """
    import json

    import pandas as pd

    from segtools.reporting._customer_section import add_customer_section, customer_sizes, excluded_transactions
    from segtools.reporting._lead_section import add_funnel_section, add_lead_section, lead_sizes
    from segtools.reporting.exports import summary_json, write_csv
    from segtools.reporting.inputs import prepare_inputs

    post_outcome, keep_flagged = _names(post_outcome), _names(keep_flagged)
    kind = _report_kind(sections)
    if n_segments < 1:
        raise ValueError("n_segments must be at least 1")
    if capacity < 0:
        raise ValueError("capacity must be zero or more")
    from segtools.reporting.inputs import ReportError

    step = progress or progress_printer()
    step("reading and validating the inputs")
    try:
        inputs = prepare_inputs(tables, case=case, customers=customers, transactions=transactions, leads=leads,
                                mapping=mapping, points=points, snapshot_date=snapshot_date, engine=engine)
    except ReportError as err:  # name the parameter as this caller gives it (a template, Python), not the flag
        raise ReportError(str(err).replace("give --snapshot-date YYYY-MM-DD",
                                           'give snapshot_date="YYYY-MM-DD"')) from None
    tables, snapshot = inputs.tables, inputs.snapshot_date
    post_outcome = tuple(dict.fromkeys((*mapping_post_outcome(mapping), *post_outcome)))
    parameters = _run_parameters(inputs, case=case, points=points, n_segments=int(n_segments),
                                capacity=int(capacity), snapshot_date=snapshot_date, post_outcome=post_outcome,
                                keep_flagged=keep_flagged)
    title = _title(inputs, case=case, customers=customers, transactions=transactions, leads=leads)
    report = Report(title, kind, snapshot, parameters)
    heading, blurb = texts.HEADINGS[kind]
    report.text("intro", texts.TITLE.format(title=html.escape(title), heading=heading, snapshot=snapshot,
                                            blurb=blurb))
    report.text("run", texts.RUN)
    report.table("run", "run parameters",
                 pd.DataFrame({"value": [str(v) or "none" for v in parameters.values()]}, index=list(parameters)))
    report.text("run", texts.DATA_SUMMARY)
    report.table("run", "data summary", _data_summary(tables))

    segments = priorities = None
    sizes, excluded = {}, {}
    early = _EarlyExport(out)
    try:
        if "customers" in sections:
            segments = add_customer_section(report, tables, snapshot_date=snapshot, n_segments=int(n_segments),
                                            random_state=random_state, progress=step, on_segments=early.start)
            if segments is not None:
                sizes.update(customer_sizes(segments))
                excluded = excluded_transactions(segments)
        if "leads" in sections:
            step("scoring the leads")
            priorities = add_lead_section(report, tables, points=inputs.points, snapshot_date=snapshot,
                                          capacity=int(capacity), post_outcome=post_outcome,
                                          keep_flagged=keep_flagged, random_state=random_state)
            if priorities is not None:
                sizes.update(lead_sizes(priorities))
        if kind == "case":
            add_funnel_section(report, tables, segments, priorities)
        frames = {**early.frames, **_export_frames(None if early.frames else segments, priorities)}
        if out is not None:
            step("writing the exports")
        early.wait()
    except BaseException:
        early.wait(raise_error=False)  # no file left half-written behind the error, no thread left running
        raise

    rows_out = {name.removesuffix(".csv"): len(df) for name, df in frames.items()}
    fields = dict(title=title, report=kind, parameters=parameters,
                  rows_in={t: len(df) for t, df in tables.items()}, rows_out=rows_out, sizes=sizes,
                  transactions_excluded=excluded)
    if out is not None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in frames.items():
            if name not in early.frames:
                write_csv(df, folder / name)
        (folder / "summary.json").write_text(summary_json(**fields), encoding="utf-8")
        if getattr(report, "learned_points", None) is not None:
            from segtools.leads.suggest import write_points

            write_points(report.learned_points, folder / "suggested_points.yml")
    report.summary = json.loads(summary_json(**fields))
    names = [*frames, "summary.json"]
    if getattr(report, "learned_points", None) is not None:
        names.append("suggested_points.yml")
    learned = priorities is not None and priorities["probability"].notna().any()
    report.text("files", _files_text(names, learned=learned, written=out is not None))
    report.table("files", "export counts", pd.DataFrame({"rows": rows_out}, dtype="int64").rename_axis("export"))
    return report
