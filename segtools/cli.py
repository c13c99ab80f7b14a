"""The ``segtools`` command: reports, file checks and the case datasets.

::

    segtools report --case startup --out build/reports/startup
    segtools report --all-cases --out build/reports --force
    segtools report --customers klanten.csv --transactions orders.csv --mapping mapping.yml --out rapport
    segtools validate --table transactions orders.csv --mapping mapping.yml
    segtools datasets list
    segtools datasets export startup data/startup
    segtools points suggest --leads leads.csv --mapping mapping.yml --out points.yml
    segtools render report.ipynb            # HTML without code next to an executed notebook (papermill route)

Exit status: 0 on success; 1 when ``validate`` finds problems or a report fails while
running; 2 on bad input (a file that breaks its contract, a missing file, an output
folder in the way, wrong arguments). Errors are one short message naming the file, the
column and the problem, never a traceback. Input files are only read.

Examples
--------
>>> from segtools.cli import main
>>> main(["validate", "--table", "leads", "no-such-file.csv"])
segtools: no-such-file.csv is not a valid leads table:
  file no-such-file.csv does not exist
1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from segtools.data.contracts import TABLES
from segtools.errors import SegtoolsError, ValidationError


POINTS_HELP = ("The points table (CSV or YAML, one rule a row: score, group, column, op, value, points, cap) is "
               "documented with a complete example in README.md, section 'The points table'; "
               "'segtools points suggest' writes one learned from your closed leads.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="segtools", description="Customer and lead segmentation reports.",
                                     epilog="Run it from the project's venv: .venv/bin/segtools, or activate it "
                                            "first (source .venv/bin/activate). " + POINTS_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser("report", help="run a report: HTML without code, CSV exports, JSON summary",
                         description="Run a case report, or a report on your own files. When your leads "
                                     "carry their outcome (a column mapped to converted), the report learns "
                                     "from the closed leads and shows how well it ranks.", epilog=POINTS_HELP)
    source = rep.add_argument_group("what to report on (one of)")
    source.add_argument("--case", help="a case world: retail, startup, consulting or agency")
    source.add_argument("--all-cases", action="store_true", help="every world, one sub-folder each")
    source.add_argument("--customers", metavar="FILE", help="your customers file (CSV or Parquet)")
    source.add_argument("--transactions", metavar="FILE|GLOB|DIR",
                        help="your transactions: a file, a glob such as 'orders/*.parquet' (quoted) or a folder")
    source.add_argument("--leads", metavar="FILE", help="your leads file")
    rep.add_argument("--mapping", metavar="MAPPING.yml", help="YAML column mapping for your files")
    rep.add_argument("--points", metavar="FILE|WORLD",
                     help="lead points table (CSV or YAML) for your leads, or a world whose rules to use")
    rep.add_argument("--engine", choices=("auto", "pandas", "duckdb", "spark"), default="auto",
                     help="where the transactions are validated and summarised: DuckDB or Spark read big files in "
                          "place (auto, the default, picks duckdb for a glob, a folder or large files)")
    rep.add_argument("--out", required=True, metavar="DIR", help="the report folder")
    rep.add_argument("--force", action="store_true", help="overwrite the report in an existing folder")
    rep.add_argument("--snapshot-date", default="", metavar="YYYY-MM-DD", help="the analysis date")
    rep.add_argument("--segments", type=int, default=4, metavar="N", help="behaviour clusters (default 4)")
    rep.add_argument("--capacity", type=int, default=200, metavar="N",
                     help="leads sales can call in a period (default 200)")
    rep.add_argument("--post-outcome", action="append", default=[], metavar="COLUMN",
                     help="a lead column filled in after the outcome (repeat it; also the mapping key post_outcome)")
    rep.add_argument("--keep-flagged", action="append", default=[], metavar="COLUMN",
                     help="keep a lead column the leak alarm flags (repeat it); by default flagged columns are left out")
    rep.add_argument("--random-state", type=int, default=0, metavar="N",
                     help="seed of the clusters, the lead model and the tie-break at the capacity boundary (default 0)")

    val = sub.add_parser("validate", help="check a file against a table's contract",
                         description="Check a file against a table's contract; exit 0 if it passes, 1 if not.")
    val.add_argument("--table", required=True, choices=TABLES)
    val.add_argument("file")
    val.add_argument("--mapping", metavar="MAPPING.yml", help="YAML column mapping")
    val.add_argument("--snapshot-date", default="", metavar="YYYY-MM-DD",
                     help="the analysis date the report will use: rows dated after it are refused")

    pts = sub.add_parser("points", help="learn a lead points table from your closed leads", epilog=POINTS_HELP)
    psub = pts.add_subparsers(dest="action", required=True, metavar="ACTION")
    sug = psub.add_parser("suggest", help="write a points table (CSV or YAML) learned from the closed leads",
                          description="Learn an editable fit + engagement points table from the leads whose "
                                      "outcome is known; report --points takes the file back.", epilog=POINTS_HELP)
    sug.add_argument("--leads", required=True, metavar="FILE", help="your leads file, with the outcome")
    sug.add_argument("--mapping", metavar="MAPPING.yml", help="YAML column mapping (map your outcome to converted)")
    sug.add_argument("--out", required=True, metavar="points.yml", help="the table to write (.yml, .yaml or .csv)")
    sug.add_argument("--keep-flagged", action="append", default=[], metavar="COLUMN",
                     help="keep a lead column the leak alarm flags")
    sug.add_argument("--force", action="store_true", help="overwrite an existing file")

    ren = sub.add_parser("render", help="HTML without code from an executed report notebook (papermill route)")
    ren.add_argument("notebook", metavar="NOTEBOOK", help="an executed notebook, e.g. papermill's output")
    ren.add_argument("--out", metavar="FILE.html", help="default: the notebook's name with .html")

    data = sub.add_parser("datasets", help="list or export the case datasets")
    dsub = data.add_subparsers(dest="action", required=True, metavar="ACTION")
    dsub.add_parser("list", help="the case worlds and their tables")
    exp = dsub.add_parser("export", help="write a world's CSV files to a folder")
    exp.add_argument("name")
    exp.add_argument("dir")
    exp.add_argument("--force", action="store_true", help="overwrite files in an existing folder")
    exp.add_argument("--random-state", type=int, help="generate afresh with this seed instead of copying")
    exp.add_argument("--n-customers", type=int, help="generate afresh with this many customers")
    return parser


def _say(line: str) -> None:
    print(f"segtools: {line}", flush=True)


def _fail(message: str, status: int = 2) -> int:
    print(f"segtools: error: {message}", file=sys.stderr, flush=True)
    return status


def _check_dates(text: str) -> None:
    if text:
        import pandas as pd

        try:
            pd.Timestamp(text)
        except ValueError:
            raise SegtoolsError(f"--snapshot-date {text!r} is not a date (use YYYY-MM-DD)") from None


def _check_files(args) -> None:
    """Fail fast on arguments and on a points table, before any kernel starts."""
    own = any((args.customers, args.transactions, args.leads))
    chosen = sum(bool(x) for x in (args.case, args.all_cases, own))
    if chosen != 1:
        raise SegtoolsError("give exactly one of --case WORLD, --all-cases, or your files "
                            "(--customers and --transactions, and/or --leads)")
    if (args.mapping or args.points) and not own:
        raise SegtoolsError("--mapping and --points apply to your own files only")
    if args.segments < 1 or args.capacity < 0:
        raise SegtoolsError("--segments must be at least 1 and --capacity zero or more")
    _check_dates(args.snapshot_date)
    from segtools.data import WORLDS

    world_rules = args.points in WORLDS
    for flag, path in (("--mapping", args.mapping), ("--points", None if world_rules else args.points)):
        if path and not Path(path).is_file():
            raise SegtoolsError(f"{flag} file {path} does not exist")
    if args.points and not world_rules:
        from segtools.leads import points_table

        try:
            points_table(str(args.points))
        except ValidationError as err:
            raise ValidationError(f"file {Path(args.points).name}: {err}", "points") from None


def _report(args) -> int:
    """``segtools report``: the options go, as they are, to run_report, the template and build_report."""
    from segtools import reporting

    _check_files(args)
    options = dict(snapshot_date=args.snapshot_date, n_segments=args.segments, capacity=args.capacity,
                   force=args.force, log=_say, random_state=args.random_state)
    if args.post_outcome or args.keep_flagged:
        if args.all_cases:
            raise SegtoolsError("--post-outcome and --keep-flagged apply to one report, not --all-cases")
        options.update(post_outcome=args.post_outcome, keep_flagged=args.keep_flagged)
    if args.all_cases:
        results = reporting.run_all_cases(args.out, **options)
        for world in results:
            _say(f"wrote {Path(args.out) / world / 'report.html'}")
        return 0
    summary = reporting.run_report(args.out, case=args.case or "", customers=args.customers or "",
                                transactions=args.transactions or "", leads=args.leads or "",
                                mapping=args.mapping or "", points=args.points or "", engine=args.engine,
                                **options)
    counts = ", ".join(f"{name}: {n:,} rows" for name, n in summary.get("rows_out", {}).items())
    _say(f"wrote {Path(args.out) / 'report.html'} ({counts})")
    return 0


def _points(args) -> int:
    """``segtools points suggest``: a points table learned from the closed leads."""
    from segtools.data import io
    from segtools.leads import suggest_points, write_points
    from segtools.reporting.build import mapping_post_outcome
    from segtools.reporting.lead_table import history_mask, is_open

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".yml", ".yaml"):
        raise SegtoolsError(f"--out {args.out}: give a .yml, .yaml or .csv file")
    if out.exists() and not args.force:
        raise SegtoolsError(f"--out {args.out} already exists; pass --force to overwrite it")
    if not Path(args.leads).is_file():
        raise SegtoolsError(f"--leads file {args.leads} does not exist")
    mapping = io.load_mapping(args.mapping) if args.mapping else {}
    leads = io.read_table(args.leads, "leads", mapping.get("leads"))
    if "converted" not in leads.columns:
        raise SegtoolsError(f"--leads {Path(args.leads).name} has no outcome: map your outcome column to "
                            "converted in the mapping (columns: {YourColumn: converted})")
    table = suggest_points(leads, is_open=~history_mask(leads, is_open(leads)), post_outcome=mapping_post_outcome(mapping),
                           keep_flagged=args.keep_flagged)
    write_points(table, out)
    left = [r["column"] for r in table.attrs["leak_alarm"] if not r["kept"]]
    half_life = table.attrs.get("half_life_days")
    decay = f"half-life {half_life:g} days" if half_life else "no decay"
    _say(f"wrote {out} ({len(table)} rules, {decay}; ROC AUC {table.attrs['roc_auc']:.3f} on the newest quarter of "
         f"the closed leads)" + (f"; left out by the leak alarm: {', '.join(map(str, left))}" if left else ""))
    return 0


def _render(args) -> int:
    """``segtools render``: the HTML report (no code) of an executed notebook."""
    from segtools.reporting import export_html

    nb = Path(args.notebook)
    if not nb.is_file():
        raise SegtoolsError(f"NOTEBOOK {args.notebook} does not exist")
    target = Path(args.out) if args.out else nb.with_suffix(".html")
    export_html(nb, target, nb.stem.replace("_", " "))
    _say(f"wrote {target}")
    return 0


def _validate(args) -> int:
    from segtools.data import io

    name = Path(args.file).name
    _check_dates(args.snapshot_date)
    try:
        mapping = io.load_mapping(args.mapping) if args.mapping else {}
        table = io.read_table(args.file, args.table, mapping.get(args.table), snapshot_date=args.snapshot_date or None)
    except ValidationError as err:
        print(f"segtools: {name} is not a valid {args.table} table:")
        text = str(err)
        print(text if text.startswith("  ") else "  " + text.replace("\n", "\n  ").replace("\n    - ", "\n  - "))
        return 1
    source = table.attrs.get("source", {})
    how = ", ".join(f"{k} {v!r}" for k, v in source.items() if k != "file")
    print(f"segtools: {name} is a valid {args.table} table: {len(table):,} rows, "
          f"{len(table.columns)} columns ({', '.join(map(str, table.columns))})"
          + (f"; read with {how}" if how else ""))
    for why, n in table.attrs.get("excluded", {}).items():
        print(f"segtools: left out {n:,} rows: {why}")
    return 0


def _datasets(args) -> int:
    from segtools.data import WORLDS, load_case, make_case, write_case

    if args.action == "list":
        for world in WORLDS:
            case = load_case(world)
            sizes = ", ".join(f"{t} {len(df):,}" for t, df in case.tables.items())
            print(f"{world:<11} {case.title}: {sizes}")
        return 0
    if args.name not in WORLDS:
        raise SegtoolsError(f"unknown dataset {args.name!r}: choose one of {', '.join(WORLDS)}")
    out = Path(args.dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not args.force:
        raise SegtoolsError(f"the folder {args.dir} already exists and is not empty; pass --force to overwrite")
    if args.random_state is not None or args.n_customers is not None:
        from segtools.data import DEFAULT_SEED

        case = make_case(args.name, random_state=DEFAULT_SEED if args.random_state is None else args.random_state,
                         n_customers=args.n_customers)
    else:
        case = load_case(args.name)
    write_case(case, out)
    _say(f"wrote {len(case.tables)} tables and the answer key of {args.name} to {args.dir}")
    return 0


def main(argv=None) -> int:
    """Run the command; return (and, from the console script, exit with) its status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``segtools``; by default those of the command line.

    Returns
    -------
    int
        The exit status (0 success, 1 a failed check or run, 2 bad input).
    """
    args = _parser().parse_args(argv)
    commands = {"report": _report, "validate": _validate, "datasets": _datasets, "points": _points,
                "render": _render}
    from segtools.reporting import ReportFailed

    try:
        return commands[args.command](args)
    except ReportFailed as err:
        return _fail(str(err), 1)
    except SegtoolsError as err:
        return _fail(str(err), 2)
    except (OSError, ValueError) as err:  # unreadable file, bad value in an argument
        return _fail(f"{type(err).__name__}: {err}", 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as err:  # noqa: BLE001 - a command never ends in a traceback
        return _fail(f"unexpected {type(err).__name__}: {err}", 1)


def console() -> None:
    """The ``segtools`` console script: :func:`main` on the command line's arguments, then exit with its status.

    The command's own process never imports ``rfc3987_syntax``: jsonschema (under papermill's and
    nbconvert's nbformat) imports it, when installed, only to check ``iri`` formats, which no
    notebook schema uses, and building its grammar takes about 0.7 s of every run. Python sessions
    that call :func:`main` or :func:`segtools.reporting.run_report` themselves are left as they are.
    The process then ends as :func:`_leave` says.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: its import raises ImportError
    _leave(main())


def _leave(status: int) -> None:
    """End the process with ``status`` as ``sys.exit`` would, without the interpreter's teardown.

    The exit handlers run (``atexit``: logging's flush, weakref finalizers) and the standard
    streams are flushed, as at a normal exit; only the freeing of every loaded module is
    skipped, which took half a second once pandas, papermill and nbconvert were loaded. Every
    file a command writes is closed by then.
    """
    import atexit
    import os

    atexit._run_exitfuncs()  # what the interpreter runs first at exit
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    console()
