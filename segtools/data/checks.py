"""Checks across rows of a table, the problem list, and how problems are reported.

:class:`Problems` collects problems as (column, check, row labels, examples); :func:`raise_problems`
turns them into one :class:`~segtools.errors.ValidationError`. Rows read from a file are
labelled by the *physical line* their record starts on (header = line 1), so the message says
``lines: 32, 33``; rows of an in-memory frame keep their index labels (``rows: 0, 2``).

:func:`line_runs` / :func:`lines_of` store a table's line numbers compactly in ``df.attrs``
(one ``(position, line)`` pair where the numbering jumps), so :func:`segtools.data.contracts.validate_links`
can still name lines after :func:`segtools.data.io.read_table` returned a 0-based frame.

Examples
--------
>>> runs = line_runs([2, 3, 5, 6, 7])  # a quoted field spanned lines 3 and 4
>>> runs
((0, 2), (2, 5))
>>> lines_of(runs, [0, 1, 2, 4])
[2, 3, 5, 7]
"""

from __future__ import annotations

from segtools.data.late_dates import FUTURE_POLICIES, check_late_dates, late_dates  # noqa: F401 - re-exported
from segtools.errors import ValidationError

DUPLICATE_POLICIES = ("error", "drop", "keep")


class Problems:
    """Collects problems as (column, check, row labels, example values)."""

    def __init__(self):
        self.rows = []

    def add(self, column, check, labels, examples=()):
        """Note one problem (nothing when no row has it, unless it is about a whole column).

        Parameters
        ----------
        column : str
        check : str
            What is wrong, e.g. ``"value that is not a date"``.
        labels : iterable
            The rows' labels (index labels or line numbers).
        examples : iterable, optional
            Values shown in the message (the first three are kept).
        """
        labels = list(labels)
        if labels or check.startswith("column"):
            self.rows.append({"column": column, "check": check, "rows": len(labels),
                              "row_labels": labels, "examples": [str(e) for e in list(examples)[:3]]})

    def labels(self, column) -> set:
        """The row labels already reported for a column.

        Parameters
        ----------
        column : str

        Returns
        -------
        set
        """
        return {label for row in self.rows if row["column"] == column for label in row["row_labels"]}


def raise_problems(table: str, problems: Problems, n_rows: int, source: str | None = None, word: str = "rows"):
    """Raise one ValidationError listing every problem.

    Parameters
    ----------
    table : str
    problems : Problems
    n_rows : int
        The table's number of rows, for the heading.
    source : str, optional
        The file name, named first in the message.
    word : {"rows", "lines"}
        What the row labels are: index labels, or the file's line numbers.
    """
    import pandas as pd

    frame = pd.DataFrame(problems.rows, columns=["column", "check", "rows", "row_labels", "examples"])
    lines = []
    for row in frame.itertuples():
        shown = row.row_labels[:5]
        where = f"{word}: {', '.join(map(str, shown))}{', ...' if row.rows > len(shown) else ''}"
        example = f"; e.g. {row.examples[0]!r}" if row.examples and row.rows else ""
        if row.check.startswith("column"):
            detail = f" ({row.examples[0]})" if row.examples else ""
            lines.append(f"  - column {row.column!r}: {row.check}{detail}")
        else:
            lines.append(f"  - column {row.column!r}: {row.rows} row{'s' if row.rows != 1 else ''} "
                         f"{row.check if row.check.startswith('with') else 'with a ' + row.check}"
                         f" ({where}{example})")
    count = len({label for labels in frame["row_labels"] for label in labels})
    head = ((f"file {source}: " if source else "") + f"table {table!r} broke its contract "
            f"({len(frame)} problem{'s' if len(frame) != 1 else ''}"
            + (f" in {count} row{'s' if count != 1 else ''}" if count else "") + f" of {n_rows}):")
    raise ValidationError("\n".join([head, *lines]), table=table, problems=frame)


def line_runs(lines) -> tuple:
    """``(position, line)`` pairs where line numbers stop counting up by one.

    Parameters
    ----------
    lines : iterable of int
        The line number of each row, in row order.

    Returns
    -------
    tuple of (int, int)
    """
    import numpy as np

    values = np.asarray(list(lines) if not hasattr(lines, "__len__") else lines, dtype="int64")
    if not len(values):
        return ()
    starts = np.concatenate([[0], np.flatnonzero(np.diff(values) != 1) + 1])
    return tuple((int(p), int(values[p])) for p in starts)


def lines_of(runs, positions) -> list:
    """Line numbers of 0-based row positions.

    Parameters
    ----------
    runs : tuple
        From :func:`line_runs`.
    positions : iterable of int

    Returns
    -------
    list of int
    """
    import bisect

    starts = [p for p, _ in runs]
    out = []
    for position in positions:
        k = bisect.bisect_right(starts, position) - 1
        out.append(runs[k][1] + position - runs[k][0] if k >= 0 else position)
    return out


def frame_lines(frame, labels):
    """What to call rows in a message, and their numbers.

    Parameters
    ----------
    frame : DataFrame
        A table; ``frame.attrs["lines"]`` (set by ``read_table``) maps its rows to file lines.
    labels : iterable
        Index labels of the rows.

    Returns
    -------
    tuple
        ``("lines", line numbers)`` when the frame knows its lines, else ``("rows", labels)``.
    """
    info = frame.attrs.get("lines")
    labels = list(labels)
    if info and all(isinstance(x, (int,)) or hasattr(x, "__index__") for x in labels):
        if all(0 <= int(x) < info["rows"] for x in labels):
            return info["word"], lines_of(info["runs"], [int(x) for x in labels])
    return "rows", labels


def renamed_duplicates(columns, known) -> dict:
    """Columns pandas renamed because a header named them twice.

    Parameters
    ----------
    columns : iterable of str
    known : set of str
        The contract's column names (only their renamed copies count).

    Returns
    -------
    dict
        ``{"amount.1": "amount"}``.
    """
    import re

    names = set(map(str, columns))
    out = {}
    for name in names:
        m = re.fullmatch(r"(.+)\.(\d+)", name)
        if m and m.group(1) in names and m.group(1) in known:
            out[name] = m.group(1)
    return out


def check_amounts(tx, problems: Problems, refunds: str) -> None:
    """Refunds (per policy), and amounts whose sums overflow a float (per customer or in total).

    Parameters
    ----------
    tx : DataFrame
        Parsed transactions.
    problems : Problems
        Where problems are noted.
    refunds : {"allow", "matched", "error"}
    """
    import numpy as np

    if "amount" not in tx or tx["amount"].dtype.kind != "f":
        return
    amount = tx["amount"]
    negative = amount < 0
    if refunds == "error":
        problems.add("amount", "negative amount (refunds not allowed here)", tx.index[negative], amount[negative])
    elif refunds == "matched" and negative.any() and "customer_id" in tx:
        net = tx.groupby("customer_id", sort=False)["amount"].transform("sum")
        bad = negative & (net < -0.005)
        problems.add("amount", "refund larger than the customer's purchases", tx.index[bad], tx["customer_id"][bad])
    limit, values = np.finfo("float64").max, amount.to_numpy()
    with np.errstate(over="ignore", invalid="ignore"):
        if len(values) and np.isfinite(max(-np.fmin.reduce(values), np.fmax.reduce(values)) * len(values)):
            return  # no sum can exceed the number of amounts times the largest (missing ones left aside)
        finite = amount.where(np.isfinite(amount)).dropna()
        parts = [finite]
        if np.isfinite(finite.abs().sum()):
            return
        if "customer_id" in tx:
            ids = tx["customer_id"].loc[finite.index].astype("str")
            sums, sizes = finite.groupby(ids).sum(), finite.abs().groupby(ids).sum()
            parts += [finite[ids == c] for c in sums.index[~np.isfinite(sums) | ~np.isfinite(sizes)]]
        flagged = set()
        for part in parts:
            if len(part) == 0 or (np.isfinite(part.sum()) and np.isfinite(part.abs().sum())):
                continue
            big = part[part.abs() > limit / len(part)]  # were none above this, the sum could not overflow
            flagged |= set((big if len(big) else part).index)
    if flagged:
        labels = [i for i in tx.index if i in flagged]
        problems.add("amount", "with an amount so large that sums overflow (per customer or in total)", labels,
                     amount.loc[labels])


def check_duplicates(tx, problems: Problems, policy: str, word: str = "rows"):
    """Exact repeats of a row in a transactions table without ``transaction_id``.

    Parameters
    ----------
    tx : DataFrame
        Parsed transactions.
    problems : Problems
    policy : {"error", "drop", "keep"}
    word : {"rows", "lines"}
        What the row labels are, for the message.

    Returns
    -------
    tuple
        The table to keep and the number of rows dropped.
    """
    if policy == "keep" or "transaction_id" in tx.columns or tx.empty:
        return tx, 0
    repeat = tx.duplicated(keep="first")
    if not repeat.any():
        return tx, 0
    if policy == "drop":
        return tx[~repeat], int(repeat.sum())
    first = tx[tx.duplicated(keep=False) & ~repeat].index[:3]
    problems.add("(all columns)", f"with an exact copy of an earlier row (earlier copies on {word}: "
                 f"{', '.join(map(str, first))}; no transaction_id tells them apart: set duplicates: keep "
                 "or drop in the mapping if repeats are real or double exports)", tx.index[repeat])
    return tx, 0


def check_outcome(leads, problems: Problems) -> None:
    """Lead outcomes that contradict each other (dates, flag, customer).

    Parameters
    ----------
    leads : DataFrame
        Parsed leads.
    problems : Problems
    """
    columns = set(leads.columns)
    if {"converted_at", "created_at"} <= columns:
        bad = leads["converted_at"] < leads["created_at"]
        problems.add("converted_at", "conversion before the lead was created", leads.index[bad], leads["converted_at"][bad])
    if {"converted", "converted_at"} <= columns:
        bad = leads["converted"] & leads["converted_at"].isna()
        problems.add("converted_at", "conversion flag but no conversion date", leads.index[bad])
        bad = ~leads["converted"] & leads["converted_at"].notna()
        problems.add("converted_at", "conversion date on a lead marked not converted", leads.index[bad],
                     leads["converted_at"][bad].dt.strftime("%Y-%m-%d"))
    if {"converted", "customer_id"} <= columns:
        ids = leads["customer_id"]
        bad = leads["converted"] & (ids.isna() | (ids.astype("str").str.strip() == ""))
        problems.add("customer_id", "converted lead without a customer_id", leads.index[bad])
