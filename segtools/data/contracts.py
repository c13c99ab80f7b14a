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

from segtools.data.parsing import AmbiguousDates, parse_dates, parse_flags, parse_numbers
from segtools.errors import ValidationError

TABLES = ("customers", "transactions", "leads")


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
        numbers=("deal_value",), flags=("converted",),
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


class _Problems:
    """Collects problems as (column, check, row labels, example values)."""

    def __init__(self):
        self.rows = []

    def add(self, column, check, labels, examples=()):
        labels = list(labels)
        if labels or check.startswith("column"):
            self.rows.append({"column": column, "check": check, "rows": len(labels),
                              "row_labels": labels, "examples": [str(e) for e in list(examples)[:3]]})

    def labels(self, column) -> set:
        return {label for row in self.rows if row["column"] == column for label in row["row_labels"]}


def _schema(table: str, frame):
    """The pandera schema of a table, for the columns ``frame`` has (after parsing)."""
    import pandera.pandas as pa

    contract = CONTRACTS[table]
    columns = {}
    for col in frame.columns:
        required = col in contract.required
        if col in contract.dates:
            columns[col] = pa.Column("datetime64[ns]", nullable=not required)
        elif col in contract.numbers:
            columns[col] = pa.Column(float, nullable=not required)
        elif col in contract.flags:
            columns[col] = pa.Column(bool, nullable=False)
        elif col in contract.texts:
            columns[col] = pa.Column("str", nullable=not required, checks=pa.Check.str_length(min_value=1))
    if contract.id_column in frame.columns:
        text_id = contract.id_column in contract.texts
        columns[contract.id_column] = pa.Column("str" if text_id else None, nullable=False, unique=True,
                                                checks=pa.Check.str_length(min_value=1) if text_id else None)
    return pa.DataFrameSchema(columns, strict=False)


def _describe(check: str) -> str:
    words = {"not_nullable": "with a missing value", "field_uniqueness": "with a duplicate id",
             "str_length(1, None)": "with an empty text"}
    return words.get(check, f"failing {check}")


REFUND_POLICIES = ("allow", "matched", "error")


def validate(df, table: str, *, date_format: str | None = None, decimal: str = ".", refunds: str = "allow"):
    """Check a table against its contract and return a typed copy.

    Dates become ``datetime64[ns]`` (ISO dates, or day-first dates such as ``31-12-2025``;
    give ``date_format`` for anything else), ids become text, amounts numbers, yes/no
    columns booleans. Every problem is collected before raising, so one run shows them all.

    Parameters
    ----------
    df : DataFrame
        The table, with the contract's column names (see :func:`map_columns`).
    table : {"customers", "transactions", "leads"}
    date_format : str, optional
        A ``strftime`` format for the date columns, e.g. ``"%d/%m/%Y"``.
    decimal : {".", ","}
        The decimal mark of text amounts (``"1.234,50"`` with ``decimal=","``).
    refunds : {"allow", "matched", "error"}
        Negative amounts: refunds, refunds no larger than the customer's purchases, or errors.

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
    import pandera.pandas as pa

    if table not in CONTRACTS:
        raise ValueError(f"unknown table {table!r}: choose one of {', '.join(TABLES)}")
    if refunds not in REFUND_POLICIES:
        raise ValueError(f"refunds must be one of {', '.join(REFUND_POLICIES)}, got {refunds!r}")
    contract = CONTRACTS[table]
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"table {table!r} must be a pandas DataFrame, not {type(df).__name__}", table)
    problems = _Problems()
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
    if missing or duplicated:
        _raise(table, problems, len(df))

    out = df.copy()
    for col in out.columns:
        original = out[col]
        if col in contract.dates:
            try:
                out[col] = parse_dates(original, date_format)
            except AmbiguousDates:
                given = original.notna()
                problems.add(col, "date that reads both day-first and month-first (give date_format, "
                             "e.g. '%d/%m/%Y' or '%m/%d/%Y')", original.index[given], original[given])
                out[col] = pd.NaT
                continue
            bad = out[col].isna() & original.notna() & (original.astype("str").str.strip() != "")
            problems.add(col, "value that is not a date", original.index[bad], original[bad])
        elif col in contract.numbers:
            out[col] = parse_numbers(original, decimal)
            bad = out[col].isna() & original.notna()
            problems.add(col, "value that is not a number", original.index[bad], original[bad])
        elif col in contract.flags:
            out[col] = parse_flags(original)
            bad = out[col].isna()
            problems.add(col, "value that is not yes/no", original.index[bad], original[bad])
            out[col] = out[col].where(~bad, False).astype(bool)
        elif col in contract.texts:
            text = original.astype("str").str.strip().where(original.notna())
            if col.endswith("_id") and text.dropna().str.fullmatch(r"-?\d+\.0").all() and text.notna().any():
                text = text.str.slice(0, -2)  # 17850.0 -> 17850: a numeric id read as a float
            out[col] = text.astype("str")
    if derive_amount:
        out["amount"] = out["quantity"] * out["unit_price"]
    try:
        out = _schema(table, out).validate(out, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        for (col, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
            seen = problems.labels(col)  # an unparseable value is already reported; not again as missing
            if col == "amount" and derive_amount:
                seen |= problems.labels("quantity") | problems.labels("unit_price")
            labels = sorted({i for i in group["index"].tolist() if i is not None and i == i} - seen)
            examples = () if str(check) == "not_nullable" else group["failure_case"]
            problems.add(col, _describe(str(check)), labels, examples)
    if table == "transactions":
        _check_amounts(out, problems, refunds)
    if table == "leads":
        _check_outcome(out, problems)
    if problems.rows:
        _raise(table, problems, len(df))
    return out


def _check_amounts(tx, problems: _Problems, refunds: str) -> None:
    if "amount" not in tx or tx["amount"].dtype.kind != "f":
        return
    negative = tx["amount"] < 0
    if refunds == "error":
        problems.add("amount", "negative amount (refunds not allowed here)", tx.index[negative], tx["amount"][negative])
        return
    if refunds == "matched" and negative.any() and "customer_id" in tx:
        net = tx.groupby("customer_id", sort=False)["amount"].transform("sum")
        bad = negative & (net < -0.005)
        problems.add("amount", "refund larger than the customer's purchases", tx.index[bad], tx["customer_id"][bad])


def _check_outcome(leads, problems: _Problems) -> None:
    if {"converted_at", "created_at"} <= set(leads.columns):
        bad = leads["converted_at"] < leads["created_at"]
        problems.add("converted_at", "conversion before the lead was created", leads.index[bad], leads["converted_at"][bad])
    if {"converted", "converted_at"} <= set(leads.columns):
        bad = leads["converted"] & leads["converted_at"].isna()
        problems.add("converted_at", "conversion flag but no conversion date", leads.index[bad])


def validate_links(tables: dict):
    """Check references between tables: every transaction's and converted lead's customer exists.

    Raises
    ------
    ValidationError
        Naming the table and column with the unknown ids and how many rows hold them.
    """
    if "customers" not in tables:
        return
    known = set(tables["customers"]["customer_id"].dropna())
    for table in ("transactions", "leads"):
        frame = tables.get(table)
        if frame is None or "customer_id" not in frame:
            continue
        ids = frame["customer_id"]
        bad = ids.notna() & ~ids.isin(known)
        if bad.any():
            problems = _Problems()
            problems.add("customer_id", "customer not in the customers table", frame.index[bad], ids[bad])
            _raise(table, problems, len(frame))


def _raise(table: str, problems: _Problems, n_rows: int):
    import pandas as pd

    frame = pd.DataFrame(problems.rows, columns=["column", "check", "rows", "row_labels", "examples"])
    lines = []
    for row in frame.itertuples():
        shown = row.row_labels[:5]
        where = f"rows: {', '.join(map(str, shown))}{', ...' if row.rows > len(shown) else ''}"
        example = f"; e.g. {row.examples[0]!r}" if row.examples and row.rows else ""
        if row.check.startswith("column"):
            detail = f" ({row.examples[0]})" if row.examples else ""
            lines.append(f"  - column {row.column!r}: {row.check}{detail}")
        else:
            lines.append(f"  - column {row.column!r}: {row.rows} row{'s' if row.rows != 1 else ''} "
                         f"{row.check if row.check.startswith('with') else 'with a ' + row.check}"
                         f" ({where}{example})")
    count = len({label for labels in frame["row_labels"] for label in labels})
    head = (f"table {table!r} broke its contract ({len(frame)} problem{'s' if len(frame) != 1 else ''}"
            + (f" in {count} row{'s' if count != 1 else ''}" if count else "") + f" of {n_rows}):")
    raise ValidationError("\n".join([head, *lines]), table=table, problems=frame)
