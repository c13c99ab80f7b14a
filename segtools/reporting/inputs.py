"""What a report analyses: an analyst's files read and validated once, or a world's tables; the analysis date."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from segtools.errors import SegtoolsError


class ReportError(SegtoolsError):
    """A report cannot start: no inputs, an output folder in the way, ..."""


def read_inputs(customers=None, transactions=None, leads=None, mapping=None, *, snapshot_date=None) -> dict:
    """Read and validate an analyst's files; return ``{table: DataFrame}`` for those given.

    Parameters
    ----------
    customers, transactions, leads : str or Path, optional
        CSV or Parquet files. Give customers and transactions, or leads, or all three.
    mapping : str, Path or dict, optional
        A YAML mapping file or the dict :func:`segtools.data.io.load_mapping` returns
        (one entry per table).
    snapshot_date : str or Timestamp, optional
        A given analysis date: rows dated after it are refused (or left out with the mapping's
        ``future_dates: exclude``). Without it, rows far after the bulk of their column's dates are.

    Raises
    ------
    ValidationError
        Naming the file, the table, the column and the rows of every problem.

    Returns
    -------
    dict of str to DataFrame
        Validated tables; a customers table is derived from the transactions when only those are given.
    """
    from segtools.data import io

    if mapping and isinstance(mapping, (str, Path)):
        mapping = io.load_mapping(mapping)
    given = {t: p for t, p in (("customers", customers), ("transactions", transactions), ("leads", leads)) if p}
    if not given:
        raise ReportError("no input files: give customers and transactions, leads, or all three")
    _check_given(given)
    mapping = mapping or {}
    return _complete({t: io.read_table(p, t, mapping.get(t), snapshot_date=snapshot_date) for t, p in given.items()})


def check_tables(tables: dict, *, snapshot_date=None, future_dates: str = "error") -> dict:
    """Validate tables already in memory as :func:`read_inputs` validates files; return typed copies.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``customers``, ``transactions`` and/or ``leads`` with the contract's column names.
    snapshot_date : str or Timestamp, optional
        A given analysis date (rows dated after it break the contract).
    future_dates : {"error", "exclude"}
        Late rows (see :func:`segtools.data.checks.late_dates`): refused, or left out and counted.

    Returns
    -------
    dict of str to DataFrame
        Validated, typed copies; a customers table is derived from the transactions when missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.reporting.inputs import check_tables
    >>> tx = pd.DataFrame({"customer_id": ["a"], "date": ["2025-01-02"], "amount": ["9.5"]})
    >>> sorted(check_tables({"transactions": tx}))
    ['customers', 'transactions']
    """
    from segtools.data import contracts

    given = {t: df for t, df in (tables or {}).items() if t in contracts.TABLES and df is not None}
    if not given:
        raise ReportError("no input tables: give customers and transactions, leads, or all three")
    _check_given(given)
    return _complete({t: contracts.validate(df, t, snapshot_date=snapshot_date, future_dates=future_dates)
                      for t, df in given.items()})


def engine_for(transactions, engine="auto") -> tuple:
    """``(engine, reason)`` for a report's transactions (:func:`segtools.engines.report_engine`).

    Parameters
    ----------
    transactions : str or Path
        A file, a glob or a folder.
    engine : {"auto", "pandas", "duckdb", "spark"}

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> from segtools.reporting.inputs import engine_for
    >>> engine_for("orders/*.parquet")
    ('duckdb', 'a glob')
    """
    from segtools.engines import report_engine

    text = str(transactions)
    if engine == "auto" and not any(ch in text for ch in "*?[") and not Path(text).exists():
        return "pandas", "one file"  # read_table names what is wrong with the path
    try:
        return report_engine(text, engine)
    except (FileNotFoundError, ValueError) as err:
        raise ReportError(f"transactions: {err}") from None


def _check_given(given) -> None:
    if "customers" in given and "transactions" not in given:
        raise ReportError("customers were given without transactions: a customer report needs the payments")


def _complete(tables: dict) -> dict:
    """Add a customers table derived from the transactions when there is none; check the links."""
    from segtools.data import contracts

    if "transactions" in tables and "customers" not in tables:
        tables["customers"] = customers_from_transactions(tables["transactions"])
    contracts.validate_links(tables)
    return tables


def customers_from_transactions(transactions):
    """A customers table for a transactions-only export: every paying id, first seen on its first payment.

    Parameters
    ----------
    transactions : DataFrame
        Validated transactions (``customer_id``, ``date``).

    Returns
    -------
    DataFrame
        ``customer_id, signup_date``, one row a paying customer, sorted by id.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.reporting import customers_from_transactions
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
    """The given date, or the day after the last date in the analyst's tables (stable on reruns).

    Never "today", and never an outlier: the tables are validated first, and validation refuses
    (or, with ``future_dates: exclude``, leaves out) dates far after the bulk of their column
    (:func:`segtools.data.checks.late_dates`: the last dates, at most 1 % of the rows, that start
    more than a year after the rest and after a gap longer than the rest's span). So one payment
    dated 2099 cannot make every other customer 27,000 days silent. The default is then the day
    after the last transaction date, lead creation or last lead activity.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The validated tables.
    snapshot_date : str or Timestamp, optional
        A given date wins.

    Returns
    -------
    Timestamp
    """
    import pandas as pd

    if snapshot_date:
        return pd.Timestamp(snapshot_date)
    tx = tables.get("transactions")
    last = [] if tx is None else [tx.last_date if hasattr(tx, "last_date") else tx["date"].max()]
    if "leads" in tables:
        last += [tables["leads"][c].max() for c in ("created_at", "last_activity_at") if c in tables["leads"]]
    known = [d for d in last if pd.notna(d)]
    if not known:
        raise ReportError("the files hold no dates to take the analysis date from: give --snapshot-date YYYY-MM-DD")
    return max(known).normalize() + pd.Timedelta(days=1)


def check_rule_columns(leads, rules, source=None) -> None:
    """Columns a points table compares with numbers must hold numbers; raise naming the lines that do not.

    Parameters
    ----------
    leads : DataFrame
        Validated leads (``attrs["lines"]`` names file lines).
    rules : DataFrame
        A points table (:func:`segtools.leads.points_table`).
    source : str, optional
        The leads file, for the message.
    """
    import pandas as pd

    from segtools.data.checks import Problems, frame_lines, raise_problems

    problems, word = Problems(), "rows"
    for r in rules.itertuples():
        if r.op not in ("<", "<=", ">", ">=", "between") or r.column not in leads:
            continue
        values = r.value if isinstance(r.value, list) else [r.value]
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        col = leads[r.column]
        kind = col.dtype.kind
        if numeric and kind not in "iufb":
            text = col.astype("object") if kind != "M" else pd.Series(None, index=col.index, dtype=object)
            bad = col.notna() & pd.to_numeric(text, errors="coerce").isna()
            word, found = frame_lines(leads, leads.index[bad])
            problems.add(r.column, f"value that is not a number, but the points table compares the column "
                         f"with {r.op} {'|'.join(map(str, values))}", found, col[bad])
        elif not numeric and kind in "iufM":
            problems.add(r.column, f"column of {'dates' if kind == 'M' else 'numbers'} that the points table "
                         f"compares with the text {r.op} {'|'.join(map(str, values))} (fix the points table)", [])
    if problems.rows:
        raise_problems("leads", problems, len(leads), source, word)


@dataclass
class Inputs:
    """What a report analyses, read and validated once.

    Attributes
    ----------
    title : str
        The world's title, or "Your own data".
    tables : dict of str to DataFrame
        ``customers`` and ``transactions`` and/or ``leads``, validated.
    snapshot_date : Timestamp
        The analysis date.
    points : str, DataFrame, list or None
        The lead points table to score with (checked against the leads' columns); None without leads.
    files : dict of str to str
        The names (not the folders) of the files read, by table and for ``mapping`` and ``points``.
    engine : tuple of str
        The engine the transactions run on and why (``tables["transactions"]`` is then a
        :class:`segtools.engines.TransactionSource` for DuckDB and Spark).
    """

    title: str
    tables: dict
    snapshot_date: object
    points: object = None
    files: dict = field(default_factory=dict)
    engine: tuple = ("pandas", "tables in memory")


def prepare_inputs(tables=None, *, case="", customers="", transactions="", leads="", mapping=None, points=None,
                   snapshot_date=None, engine="auto", check_only=False) -> Inputs:
    """Read and validate a report's inputs once: a world, an analyst's files, or tables in memory.

    Everything that can be wrong with the inputs fails here, with a message naming the
    file, the column and the rows: contracts, links between the tables, a missing date to
    analyse at, a points table the leads lack columns for. :func:`segtools.reporting.run_report`
    calls it before any kernel starts; :func:`segtools.reporting.build_report` starts with it.

    Parameters
    ----------
    tables : dict of str to DataFrame, optional
        Tables in memory (contract column names); or give ``case``, or the files.
    case : str
        A world: ``retail``, ``startup``, ``consulting`` or ``agency``.
    customers, transactions, leads : str or Path
        CSV or Parquet files.
    mapping : str, Path or dict, optional
        A YAML column mapping for the files.
    points : str, Path, DataFrame or list of dict, optional
        A lead points table (or a world name for its rules); by default the world's rules,
        or generic engagement rules for one's own leads.
    snapshot_date : str or Timestamp, optional
        The analysis date; by default the world's, or the day after the last date in the data.
    engine : {"auto", "pandas", "duckdb", "spark"}
        Where the transactions file(s) are read: ``"auto"`` picks DuckDB for a glob, a folder
        or large files (:func:`segtools.engines.report_engine`), pandas otherwise. On DuckDB and
        Spark the transactions are validated and summarised in the engine, never loaded.
    check_only : bool
        Only check (the engine path then derives no customers table from the transactions).

    Returns
    -------
    Inputs
        Title, validated tables, snapshot date, points table and the file names.

    Examples
    --------
    >>> from segtools.reporting.inputs import prepare_inputs
    >>> inputs = prepare_inputs(case="consulting", snapshot_date="2025-12-01")
    >>> inputs.title, str(inputs.snapshot_date.date()), inputs.points
    ('A management consulting firm', '2025-12-01', 'consulting')
    """
    import pandas as pd

    from segtools.data import WORLDS

    own = bool(customers or transactions or leads)
    if sum((bool(case), own, tables is not None)) != 1:
        raise ReportError("give either a case or your own files, not both and not neither")
    files = {}
    if case:
        if case not in WORLDS:
            raise ReportError(f"unknown case {case!r}: choose one of {', '.join(WORLDS)}")
        from segtools.data import load_case

        c = load_case(case)
        title, snapshot = c.title, c.snapshot_date
        tables = {t: c.tables[t] for t in ("customers", "transactions", "leads")}
    else:
        chosen = engine_for(transactions, engine) if transactions else ("pandas", "no transactions")
        if own and chosen[0] != "pandas":
            from segtools.engines import report_tables
            from segtools.errors import ValidationError

            try:
                tables, files = report_tables(customers, transactions, leads, mapping or None, engine=chosen[0],
                                              snapshot_date=snapshot_date or None)
            except ValidationError:
                raise
            except ValueError as err:  # a mapping the engine cannot follow
                raise ReportError(str(err)) from None
        elif own:
            tables = read_inputs(customers, transactions, leads, mapping or None, snapshot_date=snapshot_date or None)
            files = {t: Path(p).name for t, p in (("customers", customers), ("transactions", transactions),
                                                  ("leads", leads)) if p}
        else:
            tables = check_tables(tables, snapshot_date=snapshot_date or None)
        if own and isinstance(mapping, (str, Path)) and mapping:
            files["mapping"] = Path(mapping).name
        title, snapshot = "Your own data", analysis_date(tables, snapshot_date)
        if chosen[0] != "pandas" and not check_only and "customers" not in tables:
            from segtools._lazy import preloading
            from segtools.reporting.customer_table import AFTER_ENGINE

            with preloading(*AFTER_ENGINE):  # the engine's queries run here: load the next steps' modules meanwhile
                tables["customers"] = tables["transactions"].customers(snapshot)
    if snapshot_date:
        snapshot = pd.Timestamp(snapshot_date)
    if "leads" in tables:
        from segtools.leads import RuleScorer
        from segtools.reporting.lead_table import generic_points

        if isinstance(points, Path) or (isinstance(points, str) and points):
            if str(points) not in WORLDS:
                files["points"] = Path(points).name
            points = str(points)
        elif points is None or (isinstance(points, str) and not points):
            points = case or generic_points(tables["leads"])
        scorer = RuleScorer(points).fit(tables["leads"])  # the leads must have every column the points use
        if not case:  # and hold numbers where the points compare with numbers (a world's tables are typed)
            check_rule_columns(tables["leads"], scorer.points_, tables["leads"].attrs.get("source", {}).get("file"))
    else:
        points = None
    return Inputs(title, tables, snapshot, points, files, chosen if own else ("pandas", "tables in memory"))


def load_inputs(case="", customers_path="", transactions_path="", leads_path="", mapping_path="",
                snapshot_date=""):
    """What a report analyses: ``(title, tables, snapshot_date)`` (see :func:`prepare_inputs`).

    A world's committed tables when ``case`` is given, otherwise the analyst's validated
    files. Without a ``snapshot_date`` the analysis date is the day after the last date in
    the data, so a rerun on the same files gives the same report.

    Parameters
    ----------
    case : str
        A world, or empty for the files.
    customers_path, transactions_path, leads_path, mapping_path : str
        The analyst's files and YAML column mapping.
    snapshot_date : str
        The analysis date; empty for the default.

    Returns
    -------
    tuple
        ``(title, tables, snapshot_date)``.

    Examples
    --------
    >>> from segtools.reporting import load_inputs
    >>> title, tables, snapshot = load_inputs(case="consulting")
    >>> title, sorted(tables), str(snapshot.date())
    ('A management consulting firm', ['customers', 'leads', 'transactions'], '2026-01-01')
    """
    inputs = prepare_inputs(case=case, customers=customers_path, transactions=transactions_path, leads=leads_path,
                            mapping=mapping_path or None, snapshot_date=snapshot_date or None)
    return inputs.title, inputs.tables, inputs.snapshot_date
