"""The transaction-level definitions written once, as SQL in DuckDB's dialect.

Spark runs the same text after SQLGlot transpiles it (:func:`to_dialect`), so there is
one definition per summary, not one per engine. The queries read a relation called
``{src}`` and follow :mod:`segtools.customers.rfm` rule for rule:

1. one row per customer and period (a day, or a Monday-to-Sunday week) with the number
   and the sum of purchases and of refunds, each an aggregate ``FILTER`` that also leaves
   out rows after the snapshot day (counted or refused before the query runs; their
   customers are still counted as customers without a purchase);
2. the filters that cannot change the answer are dropped: with ``returns="event"``, zero
   amounts as purchases and no row after the snapshot, every row is a purchase;
3. with ``returns="net"`` only, ``k``, a running count of purchase periods per customer
   (one window): a refund in a period with ``k >= 1`` has a purchase on or before it to
   undo; with ``k >= 2`` it undoes a repeat purchase (otherwise the first period's spend
   is found with ``arg_min``, Spark's ``min_by``);
4. one row per customer, with the counts of what was left out.

That is one scan of the transactions and no join, the query a competent user would write.

Why SQLGlot (and not ibis, or two hand-written SQL strings): ibis 12 would also give one
definition, but its ``pyspark`` extra caps PySpark below 4.1 (we run 4.3) and adds six
packages; two hand-written strings would let DuckDB and Spark drift apart (their date
functions, ``arg_min``/``min_by`` and window rules differ). SQLGlot is one pure-Python wheel
(0.8 MB, no dependencies) and the Spark tests run the transpiled text against pandas.
"""

from __future__ import annotations

from functools import lru_cache



def day_literal(day: int) -> str:
    """Days since 1970-01-01 as a SQL DATE literal (rows compare as dates: no per-row arithmetic)."""
    import datetime

    return f"DATE '{datetime.date(1970, 1, 1) + datetime.timedelta(days=int(day))}'"


def quote(name: str) -> str:
    """A SQL identifier in double quotes (works in DuckDB and, transpiled, in Spark)."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(value) -> str:
    """A SQL literal for a number, a bool or a text."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(float(value))
    return "'" + str(value).replace("'", "''") + "'"


def normalised(src: str, customer_id_col: str, date_col: str, amount_col: str) -> str:
    """Rows of ``src`` as ``cid, d`` (a DATE) ``, a`` (a DOUBLE); unparseable values become NULL."""
    return (f"SELECT {quote(customer_id_col)} AS cid, TRY_CAST(TRY_CAST({quote(date_col)} AS TIMESTAMP) AS DATE) AS d, "
            f"TRY_CAST({quote(amount_col)} AS DOUBLE) AS a FROM {src}")


def checks(src: str, snap_day: int, customer_id_col: str, date_col: str, amount_col: str) -> str:
    """One pass of counts: null ids, missing or unparseable dates, non-finite amounts, rows after the snapshot,
    refund and zero-amount rows (up to the snapshot), the first and last day.

    Which customers had refunds or zero amounts is not counted here (that needs a hash of the ids): the
    summaries carry a small ``kinds`` flag per customer in their own aggregation instead.
    """
    return (f"WITH tx AS ({normalised(src, customer_id_col, date_col, amount_col)}) "
            "SELECT count(*) AS n_rows, "
            "sum(CASE WHEN cid IS NULL THEN 1 ELSE 0 END) AS null_id, "
            "sum(CASE WHEN d IS NULL THEN 1 ELSE 0 END) AS bad_date, "
            f"{_BAD_AMOUNT} AS bad_amount, "
            f"sum(CASE WHEN d > {day_literal(snap_day)} THEN 1 ELSE 0 END) AS after_snapshot, "
            f"sum(CASE WHEN a < 0 AND d <= {day_literal(snap_day)} THEN 1 ELSE 0 END) AS ref_rows, "
            f"sum(CASE WHEN a = 0 AND d <= {day_literal(snap_day)} THEN 1 ELSE 0 END) AS zero_rows, "
            "date_diff('day', DATE '1970-01-01', min(d)) AS first_day, "
            "date_diff('day', DATE '1970-01-01', max(d)) AS last_day FROM tx")


_BAD_AMOUNT = "sum(CASE WHEN a IS NULL OR NOT (abs(a) <= 1.7976931348623157e308) THEN 1 ELSE 0 END)"


def amount_checks(src: str, amount_col: str) -> str:
    """The checks that Parquet statistics cannot settle, on the amount column alone (the cheapest to read).

    Used when the files' statistics already vouch for the ids and dates (no nulls, typed dates, none after
    the snapshot): it counts missing, unparseable and non-finite amounts (NaN is not in the statistics) and
    the refund and zero-amount rows, without reading the id column.
    """
    return (f"WITH tx AS (SELECT TRY_CAST({quote(amount_col)} AS DOUBLE) AS a FROM {src}) "
            f"SELECT count(*) AS n_rows, {_BAD_AMOUNT} AS bad_amount, "
            "sum(CASE WHEN a < 0 THEN 1 ELSE 0 END) AS ref_rows, "
            "sum(CASE WHEN a = 0 THEN 1 ELSE 0 END) AS zero_rows FROM tx")


#: ``kinds``: one small flag per period and per customer instead of counting distinct ids in the checks
#: (1: a refund, 2: a zero amount, 4: a paid purchase, among the rows up to the snapshot)
KINDS = "bit_or(CASE WHEN a < 0 THEN 1 WHEN a = 0 THEN 2 WHEN a > 0 THEN 4 ELSE 0 END)"


def purchase_test(returns: str, zero_amount: str) -> str:
    """Which rows are purchases: every row (``returns="event"``), or positive amounts and maybe zero ones."""
    if returns == "event":
        return "TRUE" if zero_amount == "purchase" else "a <> 0"
    return "a >= 0" if zero_amount == "purchase" else "a > 0"


def _per_period(snap_day, period, buy, ids, *, all_kept, running, rows=True, counts=True):
    """Steps 1-3: one row per customer and period (grouped by a DATE: the day, or the week's Monday).

    Few aggregates per period (the hash table is the cost): the purchase count (only when
    ``rows`` is needed or some rows are not purchases), the purchase sum, the :data:`KINDS` flag
    (a refund, a zero amount, a paid purchase) and, for ``returns="net"``, the refunds. Row counts
    of refunds and zero amounts come from the checks' pass. ``counts=False`` leaves out the flag and
    the refund row count (the columns behind ``attrs``), when another query already counted them.
    """
    p = "d" if period == "D" else "CAST(date_trunc('week', d) AS DATE)"
    kept = "TRUE" if all_kept else f"d <= {day_literal(snap_day)}"

    def where(test):
        tests = [t for t in (kept, test) if t != "TRUE"]
        return f" FILTER (WHERE {' AND '.join(tests)})" if tests else ""

    n_ref = f", count(*){where('a < 0')} AS n_ref" if counts else ""
    ref = f", sum(a){where('a < 0')} AS ref{n_ref}" if running else ""
    n_buy = f"count(*){where(buy)} AS n_buy, " if rows or where(buy) else ""
    kinds = f", {KINDS}{where('TRUE')} AS kinds" if counts else ""
    out = (f"WITH tx AS ({normalised('{src}', *ids)}), "
           f"per AS (SELECT cid, {p} AS p, {n_buy}sum(a){where(buy)} AS buy{ref}{kinds} FROM tx GROUP BY cid, {p}), ")
    if running:
        # a count, not a sum of ones: DuckDB sums whole numbers in 128 bits, slower over ~90M periods
        return out + ("ranked AS (SELECT *, count(CASE WHEN n_buy > 0 THEN 1 END) OVER (PARTITION BY cid "
                      "ORDER BY p ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS k FROM per) ")
    return out + "ranked AS (SELECT * FROM per) "


def _periods(a: str, b: str, period: str) -> str:
    """Whole periods from DATE ``a`` to DATE ``b`` (both the start of their period)."""
    days = f"date_diff('day', {a}, {b})"
    return days if period == "D" else f"CAST({days} / 7 AS BIGINT)"


def _counts(running, rows=True, counts=True):
    n_buy = f"{'sum(n_buy)' if rows else 'count(*)'} AS n_buy"
    if not counts:
        return n_buy
    before = "coalesce(sum(n_ref) FILTER (WHERE k = 0), 0)" if running else "0"
    return f"{before} AS ref_before, {n_buy}, bit_or(kinds) AS kinds"


def rfm_sql(snap_day, *, frequency, monetary, returns, zero_amount, ids, all_kept=False, extra=False) -> str:
    """Classic RFM per customer (plus count columns), in DuckDB's dialect, reading ``{src}``.

    ``all_kept`` (no row after the snapshot, known from the checks) lets every period of
    the simple case (every row a purchase) skip the purchase filters. ``extra`` adds, in the
    same aggregation (no second scan), what a report needs besides RFM: ``buy_days`` and
    ``buy_span`` (distinct purchase days and first-to-last purchase day: the daily
    repeat-purchase summary's ``frequency + 1`` and ``recency``) and ``first_day`` (the first
    row's day, as days since 1970-01-01).
    """
    buy = purchase_test(returns, zero_amount)
    simple = all_kept and buy == "TRUE"
    only = "" if simple else " FILTER (WHERE n_buy > 0)"
    running = returns == "net"
    freq = "sum(n_buy)" if frequency == "orders" else f"count(*){only}"
    refunds = " + coalesce(sum(ref) FILTER (WHERE k >= 1), 0)" if running else ""
    spend = f"(coalesce(sum(buy), 0){refunds})"
    value = spend if monetary == "total" else f"{spend} / greatest({freq}, 1)"
    return (_per_period(snap_day, "D", buy, ids, all_kept=all_kept, running=running)
            + f"SELECT cid, {_periods(f'max(p){only}', day_literal(snap_day), 'D')} AS recency, {freq} AS frequency, "
            f"CAST({value} AS DOUBLE) AS monetary, {_counts(running)}{_extra(only) if extra else ''} "
            "FROM ranked GROUP BY cid ORDER BY cid")


def _extra(only: str) -> str:
    return (f", count(*){only} AS buy_days, date_diff('day', min(p){only}, max(p){only}) AS buy_span, "
            "date_diff('day', DATE '1970-01-01', min(p)) AS first_day")


def summary_sql(snap_day, *, period, returns, zero_amount, ids, all_kept=False, counts=True) -> str:
    """The repeat-purchase summary per customer (plus count columns), in DuckDB's dialect, reading ``{src}``.

    ``counts=False`` returns only ``n_buy`` besides the summary (no ``ref_before`` or ``kinds``): a
    report counts refunds and zero amounts in its daily RFM query and needs no second count.
    """
    snap_p = day_literal(snap_day if period == "D" else snap_day - (snap_day + 3) % 7)  # the snapshot's period
    buy = purchase_test(returns, zero_amount)
    simple = all_kept and buy == "TRUE"
    only = "" if simple else " FILTER (WHERE n_buy > 0)"
    running = returns == "net"
    first, freq = f"min(p){only}", f"(count(*){only} - 1)"
    if running:
        repeat = ("(coalesce(sum(buy) FILTER (WHERE n_buy > 0 AND k >= 2), 0) "
                  "+ coalesce(sum(ref) FILTER (WHERE k >= 2), 0))")
    else:  # no refund to place: the repeat spend is all spend but the first period's (no window needed)
        repeat = f"(coalesce(sum(buy), 0) - arg_min(buy, p){only})"
    return (_per_period(snap_day, period, buy, ids, all_kept=all_kept, running=running, rows=not simple,
                        counts=counts)
            + f"SELECT cid, {freq} AS frequency, {_periods(first, f'max(p){only}', period)} AS recency, "
            f"{_periods(first, snap_p, period)} AS T, "
            f"CAST(CASE WHEN {freq} > 0 THEN {repeat} / {freq} ELSE 0 END AS DOUBLE) AS monetary_value, "
            f"{_counts(running, rows=not simple, counts=counts)} FROM ranked GROUP BY cid ORDER BY cid")


def tiers_sql(src, n, *, shares, value_col, customer_id_col) -> str:
    """Tier number (0 = best) per customer: rank by value (ties by id), cut by share of customers."""
    import numpy as np

    bounds = np.round(np.cumsum(shares) * n).astype(int)
    tier = " + ".join(f"CASE WHEN rk >= {int(b)} THEN 1 ELSE 0 END" for b in bounds)
    return (f"WITH r AS (SELECT {quote(customer_id_col)} AS cid, row_number() OVER (ORDER BY "
            f"CAST({quote(value_col)} AS DOUBLE) DESC, {quote(customer_id_col)}) - 1 AS rk FROM {src}) "
            f"SELECT cid, {tier} AS tier FROM r ORDER BY cid")


def rule_condition(column: str, op: str, value) -> str:
    """The SQL test of one rule of a points table; NULL never fires (bar ``missing``)."""
    c = quote(column)
    if op == "missing":
        return f"{c} IS NULL"
    if op == "present":
        return f"{c} IS NOT NULL"
    if op in ("in", "not in"):
        inside = f"{c} IN ({', '.join(literal(v) for v in value)})" if len(value) else "FALSE"
        return inside if op == "in" else f"{c} IS NOT NULL AND NOT ({inside})"
    if op == "between":
        return f"{c} >= {literal(value[0])} AND {c} <= {literal(value[1])}"
    return f"{c} {'<>' if op == '!=' else '=' if op == '==' else op} {literal(value)}"


@lru_cache(maxsize=256)
def _transpile(sql: str, dialect: str) -> str:
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write=dialect)[0]


def to_dialect(sql: str, dialect: str) -> str:
    """``sql`` (DuckDB's dialect) in ``dialect`` (``"duckdb"`` returns it unchanged).

    Examples
    --------
    >>> to_dialect("SELECT date_diff('day', DATE '1970-01-01', d) FROM t", "spark")
    "SELECT DATEDIFF(DAY, CAST('1970-01-01' AS DATE), d) FROM t"
    """
    return sql if dialect == "duckdb" else _transpile(sql, dialect)
