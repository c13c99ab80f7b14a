"""What a report analyses: an analyst's files read and validated once, or a world's tables; the analysis date."""

from __future__ import annotations

from pathlib import Path

from segtools.errors import SegtoolsError


class ReportError(SegtoolsError):
    """A report cannot start: no inputs, an output folder in the way, ..."""


def read_inputs(customers=None, transactions=None, leads=None, mapping=None) -> dict:
    """Read and validate an analyst's files; return ``{table: DataFrame}`` for those given.

    Parameters
    ----------
    customers, transactions, leads : str or Path, optional
        CSV or Parquet files. Give customers and transactions, or leads, or all three.
    mapping : str, Path or dict, optional
        A YAML mapping file or the dict :func:`segtools.data.io.load_mapping` returns
        (one entry per table).

    Raises
    ------
    ValidationError
        Naming the file, the table, the column and the rows of every problem.
    """
    from segtools.data import contracts, io

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
    contracts.validate_links(tables)
    return tables


def customers_from_transactions(transactions):
    """A customers table for a transactions-only export: every paying id, first seen on its first payment.

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
    >>> from segtools.reporting import load_inputs
    >>> title, tables, snapshot = load_inputs(case="consulting")
    >>> title, sorted(tables), str(snapshot.date())
    ('A management consulting firm', ['customers', 'leads', 'transactions'], '2026-01-01')
    """
    import pandas as pd

    if case:
        from segtools.data import load_case

        c = load_case(case)
        tables = {t: c.tables[t] for t in ("customers", "transactions", "leads")}
        title, snapshot = c.title, c.snapshot_date
    else:
        tables = read_inputs(customers_path, transactions_path, leads_path, mapping_path or None)
        title, snapshot = "Your own data", analysis_date(tables, snapshot_date)
    if snapshot_date:
        snapshot = pd.Timestamp(snapshot_date)
    return title, tables, snapshot
