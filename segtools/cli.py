"""The ``segtools`` command: reports, file checks and the case datasets.

::

    segtools report --case startup --out build/reports/startup
    segtools report --all-cases --out build/reports --force
    segtools report --customers klanten.csv --transactions orders.csv --mapping mapping.yml --out rapport
    segtools validate --table transactions orders.csv --mapping mapping.yml
    segtools datasets list
    segtools datasets export startup data/startup

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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="segtools", description="Customer and lead segmentation reports.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser("report", help="run a report: HTML without code, CSV exports, JSON summary",
                         description="Run a case report, or a report on your own files.")
    source = rep.add_argument_group("what to report on (one of)")
    source.add_argument("--case", help="a case world: retail, startup, consulting or agency")
    source.add_argument("--all-cases", action="store_true", help="every world, one sub-folder each")
    source.add_argument("--customers", metavar="FILE", help="your customers file (CSV or Parquet)")
    source.add_argument("--transactions", metavar="FILE", help="your transactions file")
    source.add_argument("--leads", metavar="FILE", help="your leads file")
    rep.add_argument("--mapping", metavar="MAPPING.yml", help="YAML column mapping for your files")
    rep.add_argument("--points", metavar="FILE|WORLD",
                     help="lead points table (CSV or YAML) for your leads, or a world whose rules to use")
    rep.add_argument("--out", required=True, metavar="DIR", help="the report folder")
    rep.add_argument("--force", action="store_true", help="overwrite the report in an existing folder")
    rep.add_argument("--snapshot-date", default="", metavar="YYYY-MM-DD", help="the analysis date")
    rep.add_argument("--segments", type=int, default=4, metavar="N", help="behaviour clusters (default 4)")
    rep.add_argument("--capacity", type=int, default=200, metavar="N",
                     help="leads sales can call in a period (default 200)")

    val = sub.add_parser("validate", help="check a file against a table's contract",
                         description="Check a file against a table's contract; exit 0 if it passes, 1 if not.")
    val.add_argument("--table", required=True, choices=TABLES)
    val.add_argument("file")
    val.add_argument("--mapping", metavar="MAPPING.yml", help="YAML column mapping")

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
                   force=args.force, log=_say)
    if args.all_cases:
        results = reporting.run_all_cases(args.out, **options)
        for world in results:
            _say(f"wrote {Path(args.out) / world / 'report.html'}")
        return 0
    summary = reporting.run_report(args.out, case=args.case or "", customers=args.customers or "",
                                transactions=args.transactions or "", leads=args.leads or "",
                                mapping=args.mapping or "", points=args.points or "", **options)
    counts = ", ".join(f"{name}: {n:,} rows" for name, n in summary.get("rows_out", {}).items())
    _say(f"wrote {Path(args.out) / 'report.html'} ({counts})")
    return 0


def _validate(args) -> int:
    from segtools.data import io

    name = Path(args.file).name
    try:
        mapping = io.load_mapping(args.mapping) if args.mapping else {}
        table = io.read_table(args.file, args.table, mapping.get(args.table))
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
    commands = {"report": _report, "validate": _validate, "datasets": _datasets}
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
