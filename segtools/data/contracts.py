"""Data contracts for the core tables, checked with pandera.

Three tables are shared by every case world and by an analyst's own files:
``customers`` (one row a customer), ``transactions`` (one row a payment or refund) and
``leads`` (one row a lead, with its outcome). :func:`validate` checks a table against its
contract and reports *every* problem at once as one
:class:`~segtools.errors.ValidationError` naming the table, the column, the check and
how many rows fail. :func:`map_columns` renames an export's columns to the contract's.
Reading files (CSV with any delimiter and encoding, or Parquet) lives in
:mod:`segtools.data.io`.

Refunds: a negative ``amount`` is a refund. ``refunds="allow"`` (the default) accepts them,
since real exports hold returns of items bought before the export's first day;
``refunds="matched"`` also requires every customer's refunds not to exceed their purchases;
``refunds="error"`` refuses any negative amount.

Ambiguous dates are never guessed: ISO dates (``2025-12-31``) are read as such; other
dates are read day-first or month-first only when exactly one of the two reads every value,
and otherwise the error asks for ``date_format``.

Examples
--------
>>> import pandas as pd
>>> from segtools.data.contracts import validate
>>> tx = pd.DataFrame({"customer_id": ["C1", "C2"], "date": ["2025-01-03", "someday"], "amount": [10.0, None]})
>>> try:
...     validate(tx, "transactions")
... except Exception as err:
...     print(err)
table 'transactions' broke its contract (2 problems in 1 row of 2):
  - column 'date': 1 row with a value that is not a date (rows: 1; e.g. 'someday')
  - column 'amount': 1 row with a missing value (rows: 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from segtools.data.arrow_text import strip
from segtools.data.checks import (DUPLICATE_POLICIES, FUTURE_POLICIES, Problems, check_amounts, check_duplicates,
                                  check_late_dates, check_outcome, frame_lines, raise_problems, renamed_duplicates)
from segtools.data.parsing import date_format_problem, parse_dates, parse_flags, parse_numbers
from segtools.errors import ValidationError

TABLES = ("customers", "transactions", "leads")
#: The lead signal columns the worlds and the generic points table score: counts (numbers >= 0) and flags.
SIGNAL_COUNTS = ("page_views", "pricing_page_views", "sustainable_page_views", "email_opens", "email_clicks",
                 "wishlist_items", "case_study_downloads", "whitepaper_downloads", "meetings_held")
SIGNAL_FLAGS = ("trial_started", "demo_requested", "audit_requested", "proposal_requested", "rfp_received",
                "newsletter_signup")


@dataclass(frozen=True)
class Contract:
    """What one table must hold: required and optional columns by kind."""

    id_column: str | None
    required: tuple
    dates: tuple = ()
    texts: tuple = ()
    numbers: tuple = ()
    flags: tuple = ()
    post_outcome: tuple = ()  # known only after the outcome: never a model feature
    counts: tuple = ()  # numbers that cannot be negative (page views, e-mail opens...)
    signals: tuple = ()  # yes/no columns where an empty cell is "unknown", never refused
    descriptions: dict = field(default_factory=dict)


CONTRACTS = {
    "customers": Contract(
        id_column="customer_id", required=("customer_id",),
        dates=("signup_date",), texts=("customer_id", "name", "email", "company", "country"),
        descriptions={"customer_id": "unique id of the customer", "signup_date": "day of the first purchase or contract"},
    ),
    "transactions": Contract(  # transaction_id is optional and may be a number or a text
        id_column="transaction_id", required=("customer_id", "date", "amount"),
        dates=("date",), texts=("customer_id",), numbers=("amount", "quantity", "unit_price"),
        descriptions={"quantity": "units bought (optional; with unit_price it gives amount when amount is absent)",
                      "unit_price": "price of one unit (optional)","transaction_id": "unique id of the payment (optional)", "customer_id": "who paid",
                      "date": "day of the payment", "amount": "amount in the shop's currency; negative = refund"},
    ),
    "leads": Contract(
        id_column="lead_id", required=("lead_id",),
        dates=("created_at", "last_activity_at", "converted_at"),
        texts=("lead_id", "name", "email", "company", "country", "source", "status", "customer_id"),
        numbers=("deal_value", "monthly_budget", "employees", "company_size", "age", *SIGNAL_COUNTS),
        flags=("converted", *SIGNAL_FLAGS), counts=SIGNAL_COUNTS, signals=SIGNAL_FLAGS,
        post_outcome=("converted_at", "status", "customer_id", "deal_value"),
        descriptions={"lead_id": "unique id of the lead", "created_at": "day the lead was created",
                      "converted": "became a customer (yes/no)", "converted_at": "day it became a customer",
                      "customer_id": "the customer it became", "deal_value": "value of the first deal"},
    ),
}

def map_columns(df, mapping: dict):
    """Rename an export's columns to the contract's names; the input is not changed.

    Parameters
    ----------
    df : DataFrame
    mapping : dict
        ``{their_column: contract_column}``. Every key must exist in ``df``.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.data.contracts import map_columns
    >>> map_columns(pd.DataFrame({"Klant": ["K1"], "Datum": ["3-1-2025"]}), {"Klant": "customer_id"}).columns.tolist()
    ['customer_id', 'Datum']
    """
    mapping = dict(mapping or {})
    absent = [k for k in mapping if k not in df.columns]
    if absent:
        raise ValidationError(
            f"the column mapping names {len(absent)} column(s) the file does not have: {', '.join(map(repr, absent))}; "
            f"the file has: {', '.join(map(repr, map(str, df.columns)))}", table="", problems=None)
    targets = list(mapping.values())
    clash = sorted({t for t in targets if targets.count(t) > 1} |
                   {t for t in targets if t in df.columns and t not in mapping})
    if clash:
        raise ValidationError(f"the column mapping would create duplicate column(s): {', '.join(map(repr, clash))}")
    return df.rename(columns=mapping)


def _pandera():
    """``pandera.pandas``, imported without the warning pandera's optional PySpark support prints.

    With PySpark installed (the Spark engine), pandera imports ``pyspark.pandas`` when it registers
    its checks on the first validation, and that import warns that pandas-on-Spark does not support
    pandas 3. segtools never uses pandas-on-Spark, so that one warning is silenced here, where it
    starts (the registration is triggered once, on an empty frame), and every other warning still shows.
    """
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        import pandera.pandas as pa

        pa.DataFrameSchema({}).validate(pd.DataFrame())
    return pa


def _schema(table: str, frame):
    """The pandera schema of a table, for the columns ``frame`` has (after parsing)."""
    pa = _pandera()

    contract = CONTRACTS[table]
    columns = {}
    for col in frame.columns:
        required = col in contract.required
        if col in contract.dates:
            columns[col] = pa.Column("datetime64[ns]", nullable=not required)
        elif col in contract.counts:
            columns[col] = pa.Column(None, nullable=True)  # int64 when whole, else float
        elif col in contract.numbers:
            columns[col] = pa.Column(float, nullable=not required)
        elif col in contract.signals:
            columns[col] = pa.Column("boolean", nullable=True)
        elif col in contract.flags:
            columns[col] = pa.Column(bool, nullable=False)
        elif col in contract.texts:
            columns[col] = pa.Column("str", nullable=not required, checks=pa.Check.str_length(min_value=1))
    if contract.id_column in frame.columns:
        text_id = contract.id_column in contract.texts
        columns[contract.id_column] = pa.Column("str" if text_id else None, nullable=False, unique=True,
                                                checks=pa.Check.str_length(min_value=1) if text_id else None)
    return pa.DataFrameSchema(columns, strict=False)


def _schema_may_fail(frame, table: str) -> bool:
    """Whether :func:`_schema` could refuse the parsed ``frame`` (types, missing values, empty texts, repeated ids)."""
    contract = CONTRACTS[table]
    for col in frame.columns:  # the column rules of _schema, in its order
        kind = ("datetime64[ns]" if col in contract.dates else None if col in contract.counts else "float64" if col
                in contract.numbers else "boolean" if col in contract.signals else "bool" if col in contract.flags
                else "str" if col in contract.texts else None)
        values, required = frame[col], col in contract.required or kind == "bool"
        if kind is None:
            continue
        if values.dtype != kind or (required and values.isna().any()) or (kind == "str" and (values == "").any()):
            return True
    ids = frame.get(contract.id_column)
    if ids is None or (ids.dtype.kind in "iu" and bool((ids.to_numpy()[1:] > ids.to_numpy()[:-1]).all())):
        return False  # no id column, or ids counting up: no id twice, found without hashing them
    return bool(ids.isna().any()) or not ids.is_unique


def _describe(check: str) -> str:
    words = {"not_nullable": "with a missing value", "field_uniqueness": "with a duplicate id",
             "str_length(1, None)": "with an empty text"}
    return words.get(check, f"failing {check}")


REFUND_POLICIES = ("allow", "matched", "error")


def _count(values, col, problems):
    """A count column: negative values refused; int64 when every value is a whole number."""
    import numpy as np

    negative = values < 0
    problems.add(col, "negative count (a count of views, opens or clicks is 0 or more)", values.index[negative],
                 values[negative])
    if values.notna().all() and np.array_equal(values, np.round(values)):
        return values.astype("int64")
    return values


def validate(df, table: str, *, date_format: str | None = None, decimal: str | None = None,
             refunds: str = "allow", duplicates: str = "error", future_dates: str = "error", snapshot_date=None,
             source: str | None = None, labels: str = "rows"):
    """Check a table against its contract and return a typed copy.

    Dates become ``datetime64[ns]`` (ISO dates, or day-first dates such as ``31-12-2025``;
    give ``date_format`` for anything else; dates with a time-zone offset become UTC), ids
    become text, amounts numbers, yes/no columns booleans. Every problem is collected before
    raising, so one run shows them all.

    Parameters
    ----------
    df : DataFrame
        The table, with the contract's column names (see :func:`map_columns`).
    table : {"customers", "transactions", "leads"}
    date_format : str, optional
        A ``strftime`` format for the date columns, e.g. ``"%d/%m/%Y"``.
    decimal : {None, ".", ","}
        The decimal mark of text numbers (``"1.234,50"`` with ``decimal=","``). None: each
        column's own values must show it; ``1.234`` alone is refused as ambiguous.
    refunds : {"allow", "matched", "error"}
        Negative amounts: refunds, refunds no larger than the customer's purchases, or errors.
    duplicates : {"error", "drop", "keep"}
        Transactions without ``transaction_id`` that repeat an earlier row exactly: refused,
        left out (counted in ``result.attrs["excluded"]``), or kept as real repeat purchases.
    future_dates : {"error", "exclude"}
        Rows dated after the analysis date (``snapshot_date``, or when it is not given, far
        after the bulk of the column's dates: see :func:`segtools.data.checks.late_dates`):
        refused naming the lines, or left out and counted in ``result.attrs["excluded"]``.
    snapshot_date : Timestamp-like, optional
        The analysis date, when it is given rather than taken from the data.
    source, labels : str, optional
        The file the table came from and what its row labels are (``"lines"`` of the file or
        ``"rows"``), for the message.

    Returns
    -------
    DataFrame
        A new, validated table; the input is not changed.

    Raises
    ------
    ValidationError
        Naming the table, and per problem the column, the check and the number of rows;
        ``err.problems`` holds them as a DataFrame.
    """
    import pandas as pd

    if table not in CONTRACTS:
        raise ValueError(f"unknown table {table!r}: choose one of {', '.join(TABLES)}")
    if refunds not in REFUND_POLICIES:
        raise ValueError(f"refunds must be one of {', '.join(REFUND_POLICIES)}, got {refunds!r}")
    if duplicates not in DUPLICATE_POLICIES:
        raise ValueError(f"duplicates must be one of {', '.join(DUPLICATE_POLICIES)}, got {duplicates!r}")
    if future_dates not in FUTURE_POLICIES:
        raise ValueError(f"future_dates must be one of {', '.join(FUTURE_POLICIES)}, got {future_dates!r}")
    if decimal not in (None, ".", ","):
        raise ValidationError(f"decimal must be '.' or ',', not {decimal!r}", table)
    if date_format is not None and date_format_problem(date_format):
        raise ValidationError((f"file {source}: " if source else "") + date_format_problem(date_format), table)
    contract = CONTRACTS[table]
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"table {table!r} must be a pandas DataFrame, not {type(df).__name__}", table)
    problems = Problems()
    fail = lambda: raise_problems(table, problems, len(df), source, labels)  # noqa: E731
    if len(df) == 0:
        raise ValidationError(f"table {table!r} has no rows", table)
    derive_amount = (table == "transactions" and "amount" not in df.columns
                     and {"quantity", "unit_price"} <= set(df.columns))  # order-line exports: amount = units x price
    missing = [c for c in contract.required if c not in df.columns and not (c == "amount" and derive_amount)]
    for col in missing:
        problems.add(col, "column missing", [], [f"columns present: {', '.join(map(str, df.columns))}"])
    duplicated = df.columns[df.columns.duplicated()].unique().tolist()
    for col in duplicated:
        problems.add(col, "column appears more than once", [])
    known = {*contract.required, *contract.dates, *contract.texts, *contract.numbers, *contract.flags}
    for renamed, col in renamed_duplicates(df.columns, known).items():
        problems.add(col, f"column appears twice in the header (pandas renamed the second {renamed!r})", [])
    if missing or duplicated or problems.rows:
        fail()

    out = df.copy(deep=False)  # copy-on-write: a column replaced below leaves ``df`` as it was
    for col in out.columns:
        original = out[col]
        issues = {}
        if col in contract.dates:
            out[col] = parse_dates(original, date_format, issues)
            what = "value that is not a date"
        elif col in contract.numbers:
            out[col] = parse_numbers(original, decimal, issues)
            what = "value that is not a number"
        elif col in contract.flags:
            flags = parse_flags(original)
            given = original.notna() & (original.astype("str").str.strip() != "")
            bad = flags.isna() & given
            problems.add(col, "value that is not yes/no (yes/no, true/false, y/n, 1/0, ja/nee, ...)",
                         original.index[bad], original[bad])
            if col in contract.signals:  # an empty cell: not known, so no rule fires on it
                out[col] = flags.astype("boolean")
                continue
            problems.add(col, "missing value" if col in contract.required else "missing yes/no",
                         original.index[~given])
            out[col] = flags.where(flags.notna(), False).astype(bool)
            continue
        else:
            if col in contract.texts:
                text = strip(original)
                text = text.where(original.notna()) if original.isna().any() else text
                if col.endswith("_id") and text.notna().any() and text.str.endswith(".0").fillna(True).all() \
                        and text.dropna().str.fullmatch(r"-?\d+\.0").all():
                    text = text.str.slice(0, -2)  # 17850.0 -> 17850: a numeric id read as a float
                out[col] = text.astype("str")
            continue
        refused = original.index[:0]
        for check, (mask, values) in issues.items():
            problems.add(col, check, original.index[mask], values)
            refused = refused.union(original.index[mask])
        unread = out[col].isna().to_numpy() & original.notna().to_numpy()  # a value was given, none was read
        if unread.any():
            cells = original[unread]
            bad = (cells.astype("str").str.strip() != "").to_numpy() & ~cells.index.isin(refused)
            problems.add(col, what, cells.index[bad], cells[bad])
        if col in contract.counts:
            out[col] = _count(out[col], col, problems)
    if derive_amount:
        out["amount"] = out["quantity"] * out["unit_price"]
    try:
        if _schema_may_fail(out, table):  # pandera words the problems; a table that passes skips its cost
            out = _schema(table, out).validate(out, lazy=True)
    except _pandera().errors.SchemaErrors as err:
        cases = err.failure_cases
        for (col, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
            seen = problems.labels(col)  # an unparseable value is already reported; not again as missing
            if col == "amount" and derive_amount:
                seen |= problems.labels("quantity") | problems.labels("unit_price")
            found = sorted({i for i in group["index"].tolist() if i is not None and i == i} - seen)
            examples = () if str(check) == "not_nullable" else group["failure_case"]
            problems.add(col, _describe(str(check)), found, examples)
    excluded = 0
    if table == "transactions":
        check_amounts(out, problems, refunds)
        out, excluded = check_duplicates(out, problems, duplicates, labels)
    if table == "leads":
        check_outcome(out, problems)
    out, late = check_late_dates(out, contract.dates, problems, future_dates, snapshot_date)
    if problems.rows:
        fail()
    left_out = {"rows repeating an earlier row exactly (duplicates: drop)": excluded} if excluded else {}
    if left_out or late:
        out.attrs["excluded"] = {**left_out, **late}
    return out


def validate_links(tables: dict):
    """Check references between tables: every transaction's and converted lead's customer exists.

    Tables read by :func:`segtools.data.io.read_table` are named by their file and their
    rows by the file's line numbers.

    Parameters
    ----------
    tables : dict
        ``{"customers": ..., "transactions": ..., "leads": ...}`` (validated tables).

    Raises
    ------
    ValidationError
        Naming the file, the table and column with the unknown ids and the lines that hold them.
    """
    if "customers" not in tables:
        return
    customers = tables["customers"]
    known = set(customers["customer_id"].dropna())
    where = customers.attrs.get("source", {}).get("file")
    for table in ("transactions", "leads"):
        frame = tables.get(table)
        if frame is None or "customer_id" not in frame:
            continue
        ids = frame["customer_id"]
        bad = ids.notna() & ~ids.isin(known)
        if bad.any():
            problems = Problems()
            word, found = frame_lines(frame, frame.index[bad])
            problems.add("customer_id", "customer not in the customers table" + (f" ({where})" if where else ""),
                         found, ids[bad])
            raise_problems(table, problems, len(frame), frame.attrs.get("source", {}).get("file"), word)
