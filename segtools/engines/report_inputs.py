"""What a customer report needs from a big transaction table, computed in the engine.

:class:`TransactionSource` wraps transaction files (a file, a glob or a folder) or a Spark
DataFrame on DuckDB or Spark. Nothing transaction-level reaches pandas: :meth:`~TransactionSource.scan`
counts the rows and the bad rows in one pass (and the first and last date), and
:meth:`~TransactionSource.customer_tables` returns one row per customer: classic RFM with the
daily purchase rhythm's inputs and the first day, and the weekly repeat-purchase summary the
predicted-value models read, both from one scan and one aggregation (:func:`segtools.engines._sql.report_sql`).
"""

from __future__ import annotations

import os

from segtools.engines._run import choose, files_of, runner
from segtools.engines._sql import quote, report_sql
from segtools.engines.customers import TABLE, finish, kinds_of, snap_day, validate_source, where_label
from segtools.errors import ValidationError

#: a far-future snapshot day for the checks when no analysis date is given yet (nothing is "after" it)
_NO_SNAPSHOT = 2_932_896  # 9999-12-31
#: the weekly repeat-purchase summary's columns (the first three whole numbers)
_WEEKLY = ("frequency", "recency", "T", "monetary_value")
#: files at least this large (in all) go to DuckDB under ``engine="auto"`` in a report
FILE_BYTES_THRESHOLD = 200 * 2**20


def _text_ids(raw):
    """The query's rows with text ids (rows without an id dropped), sorted as pandas sorts text."""
    raw = raw.loc[raw["cid"].notna()] if raw["cid"].isna().any() else raw
    if raw["cid"].dtype != "str":
        raw = raw.assign(cid=raw["cid"].astype("str"))
    if not _sorted_text(raw["cid"]):  # SQL orders numbers as numbers; as text "10" < "9"
        raw = raw.sort_values("cid", kind="stable")
    return raw.reset_index(drop=True)


def _sorted_text(ids) -> bool:
    """``ids.is_monotonic_increasing`` for text, compared in Arrow (UTF-8 byte order is code point order,
    as Python sorts): pandas would make a Python object of every id first."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(ids.array) if hasattr(ids.array, "_pa_array") else None
    if arr is None or len(arr) < 2:
        return bool(ids.is_monotonic_increasing)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return bool(pc.all(pc.less_equal(arr.slice(0, len(arr) - 1), arr.slice(1))).as_py())


def report_engine(source, engine: str = "auto") -> tuple[str, str]:
    """The engine a report runs ``source`` (transaction files) on, and why, in words.

    Parameters
    ----------
    source : str, Path or Spark DataFrame
        A file, a glob or a folder; or a Spark DataFrame.
    engine : {"auto", "pandas", "duckdb", "spark"}
        ``"auto"`` picks DuckDB for a glob, a folder, several files or files of
        :data:`FILE_BYTES_THRESHOLD` bytes or more, else pandas.

    Returns
    -------
    tuple of str
        ``(engine, reason)``.

    Examples
    --------
    >>> report_engine("orders/*.parquet", "duckdb")
    ('duckdb', 'chosen with engine=duckdb')
    """
    from segtools.engines._run import ENGINES

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
    many = isinstance(source, (str, os.PathLike)) and (os.path.isdir(str(source)) or
                                                        any(ch in str(source) for ch in "*?["))
    if engine == "pandas" and many:
        raise ValueError(f"engine pandas reads one transactions file, not {str(source)!r}: use engine duckdb (or "
                         "auto) for a glob or a folder")
    if engine != "auto":
        return engine, f"chosen with engine={engine}"
    if not isinstance(source, (str, os.PathLike)):
        return choose(source, "auto"), "a Spark DataFrame"
    text = str(source)
    if os.path.isdir(text):
        return "duckdb", "a folder of files"
    if any(ch in text for ch in "*?["):
        return "duckdb", "a glob"
    size = sum(os.path.getsize(f) for f in files_of(text))
    if size >= FILE_BYTES_THRESHOLD:
        return "duckdb", f"files larger than {FILE_BYTES_THRESHOLD // 2**20:,} MB ({size / 2**20:,.0f} MB)"
    return "pandas", f"one file of {size / 2**20:,.1f} MB (under {FILE_BYTES_THRESHOLD // 2**20:,} MB)"


class TransactionSource:
    """Transactions read in place by DuckDB or Spark, for a report.

    Parameters
    ----------
    source : str, Path or Spark DataFrame
        A CSV or Parquet file, a glob or a folder (read in place), or a Spark DataFrame.
    engine : {"duckdb", "spark"}
        The engine that reads it.
    customer_id_col, date_col, amount_col : str
        Column names in the files.
    **engine_options
        As in :func:`segtools.engines.rfm` (``memory_limit``, ``temp_directory``, ``threads``,
        ``spark``, ``spark_conf``).

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> pd.DataFrame({"customer_id": ["A", "A", "B"], "date": pd.to_datetime(["2025-12-01", "2025-12-20",
    ...               "2025-06-01"]), "amount": [10.0, -4.0, 50.0]}).to_parquet(os.path.join(folder, "p0.parquet"))
    >>> tx = TransactionSource(folder)
    >>> tx.scan()["rows"], str(tx.last_date.date())
    (3, '2025-12-20')
    >>> rfm, weekly = tx.customer_tables("2026-01-01")
    >>> rfm[["recency", "frequency", "monetary", "paid", "buy_days"]]  # doctest: +NORMALIZE_WHITESPACE
                 recency  frequency  monetary  paid  buy_days
    customer_id
    A                 31          1       6.0  True         1
    B                214          1      50.0  True         1
    """

    def __init__(self, source, *, engine="duckdb", customer_id_col="customer_id", date_col="date",
                 amount_col="amount", **engine_options):
        if engine not in ("duckdb", "spark"):
            raise ValueError(f"a TransactionSource runs on engine 'duckdb' or 'spark'; got {engine!r}")
        self.source, self.engine, self.options = source, engine, dict(engine_options)
        self.ids = (customer_id_col, date_col, amount_col)
        self.counts = None
        self._run = None
        self._files = None
        self._tables = {}

    @property
    def run(self):
        """The engine's runner (made on first use, then reused)."""
        if self._run is None:
            self._run = runner(self.source, self.engine, self.options, text_cols=self.ids[1:])
        return self._run

    @property
    def files(self) -> list:
        """The files read (empty for a Spark DataFrame)."""
        if self._files is None:
            self._files = list(getattr(self.run, "files", None) or [])
        return list(self._files)

    @property
    def label(self) -> str:
        """The file name (or ``N files: first, ...``) for the report's parameters."""
        names = [os.path.basename(f) for f in self.files]
        if len(names) == 1:
            return names[0]
        return f"{len(names):,} files: {names[0]}, ..." if names else "(a Spark DataFrame)"

    def __len__(self) -> int:
        return int(self.scan()["rows"])

    def scan(self, snapshot_date=None, *, after_snapshot="raise") -> dict:
        """Count the rows, bad rows and rows after ``snapshot_date`` in one pass; refuse bad rows.

        Parameters
        ----------
        snapshot_date : date-like, optional
            A given analysis date: rows after it are refused (``after_snapshot="raise"``) or counted.
        after_snapshot : {"raise", "exclude"}

        Returns
        -------
        dict
            ``rows``, ``after_snapshot``, ``first_day`` and ``last_day`` (days since 1970-01-01).

        Raises
        ------
        ValidationError
            Naming the file(s), the column, the count and the first bad line (CSV) or row numbers.
        """
        if self.counts is not None and snapshot_date is None:
            return self.counts
        snap = _NO_SNAPSHOT if snapshot_date is None else snap_day(snapshot_date)
        c = validate_source(self.run, snap, self.ids, after_snapshot=after_snapshot)
        if not c["n_rows"]:
            raise ValidationError(f"{where_label(self.run)}: no rows", table=TABLE)
        self._checks = c
        self.counts = {"rows": c["n_rows"], "after_snapshot": c["after_snapshot"], "first_day": c["first_day"],
                       "last_day": c["last_day"]}
        return self.counts

    @property
    def first_date(self):
        """The first transaction date (a Timestamp)."""
        import pandas as pd

        return pd.Timestamp("1970-01-01") + pd.Timedelta(days=self.scan()["first_day"])

    @property
    def last_date(self):
        """The last transaction date (a Timestamp)."""
        import pandas as pd

        return pd.Timestamp("1970-01-01") + pd.Timedelta(days=self.scan()["last_day"])

    def customer_tables(self, snapshot_date):
        """Per customer: RFM with report extras, and the weekly repeat-purchase summary (refunds netted).

        Rows after ``snapshot_date`` are left out and counted (as :func:`segtools.customers.rfm`
        with ``after_snapshot="exclude"``).

        Parameters
        ----------
        snapshot_date : date-like

        Returns
        -------
        tuple of DataFrame
            ``rfm``: every customer id (text, sorted), with ``recency``, ``frequency``, ``monetary``
            (missing without a purchase), ``paid`` (a purchase above zero), ``buy_days``,
            ``buy_span`` and ``first_date``; ``attrs`` as :func:`segtools.engines.rfm`'s.
            ``weekly``: :func:`segtools.engines.repeat_purchase_summary` with ``period="W"``,
            ``returns="net"`` (buyers only); its ``attrs`` hold only ``rules`` and ``engine``: the
            counts of left-out and awkward rows are ``rfm``'s (the same scan; not counted twice).
        """
        import numpy as np
        import pandas as pd

        snap = snap_day(snapshot_date)
        if snap in self._tables:
            return self._tables[snap]
        if self.counts is not None and snap >= self.counts["last_day"]:  # scanned already: nothing after snap
            counts = self._checks
        else:
            counts = validate_source(self.run, snap, self.ids, after_snapshot="exclude")
        # the engine is closed as soon as the rows are out of it (its memory handed back before pandas gets them):
        # the per-customer tables are all a report needs from it
        raw = _text_ids(self.run.df(report_sql(snap, ids=self.ids, all_kept=counts["after_snapshot"] == 0),
                                    close=True))
        rules = {"zero_amount": "purchase", "returns": "net"}
        weekly_raw = pd.DataFrame({"cid": raw["cid"], "n_buy": raw["n_buy"], **{c: raw[f"w_{c}"] for c in _WEEKLY}})
        weekly = finish(weekly_raw, _WEEKLY, _WEEKLY[:3], counts, rules, self.ids, self.engine)
        bought = finish(raw, ("recency", "frequency", "monetary"), ("recency", "frequency"), counts, rules,
                        self.ids, self.engine)
        every = pd.Index(raw["cid"], name=self.ids[0])
        table = bought if len(bought) == len(every) else bought.reindex(every)  # one row per customer id
        table.attrs = bought.attrs
        table["paid"] = (kinds_of(raw) & 4) > 0
        table["buy_days"] = raw["buy_days"].fillna(0).to_numpy(dtype=np.int64)
        table["buy_span"] = raw["buy_span"].fillna(0).to_numpy(dtype=np.int64)
        table["first_date"] = pd.to_datetime(raw["first_day"].to_numpy(dtype="int64"), unit="D")
        self._tables = {snap: (table, weekly)}
        self.release()  # the per-customer tables are all a report needs from the engine
        return table, weekly

    def release(self) -> None:
        """Close the engine's connection (a later call opens a new one): the rest of a report runs in pandas."""
        if self._run is not None:
            self._run.close()
            self._run = None

    def customers(self, snapshot_date):
        """A customers table derived from the transactions: every customer id and its first day.

        As :func:`segtools.reporting.customers_from_transactions`, from :meth:`customer_tables`
        (no extra pass).

        Parameters
        ----------
        snapshot_date : date-like

        Returns
        -------
        DataFrame
            ``customer_id, signup_date``, sorted by id.
        """
        import pandas as pd

        table, _ = self.customer_tables(snapshot_date)
        out = pd.DataFrame({"customer_id": table.index.array, "signup_date": table["first_date"].to_numpy()})
        out.attrs["source"] = {"derived": "from transactions (no customers file given)"}
        return out

    def unknown_customers(self, known) -> tuple[int, list]:
        """Rows whose customer id is not in ``known`` (a pandas Series of ids), and up to five such ids.

        Parameters
        ----------
        known : Series
            The customers table's ids.

        Returns
        -------
        tuple
            ``(rows, sample ids)``.
        """
        import pandas as pd

        name = self.run.add(pd.DataFrame({"kid": known.dropna().astype(str).to_numpy()}))
        cid = f"CAST({quote(self.ids[0])} AS VARCHAR)"
        sql = (f"SELECT {cid} AS cid FROM {{src}} WHERE {quote(self.ids[0])} IS NOT NULL AND {cid} NOT IN "
               f"(SELECT kid FROM {name})")
        found = self.run.df(f"SELECT count(*) AS n, min(cid) AS first FROM ({sql}) u")
        n = int(found["n"].iloc[0] or 0)
        sample = self.run.df(f"SELECT DISTINCT cid FROM ({sql}) u ORDER BY cid LIMIT 5")["cid"].tolist() if n else []
        return n, sample


def report_tables(customers, transactions, leads, mapping, *, engine="duckdb", snapshot_date=None):
    """A report's inputs with the transactions left in their files: checked by DuckDB or Spark in one pass.

    Customers and leads (small) are read and validated by :func:`segtools.data.io.read_table`;
    the transactions become a :class:`segtools.engines.TransactionSource`, scanned once for bad
    rows (refused with the file, column, count and first line numbers) and, with a customers
    file, for customer ids the customers file lacks.

    Parameters
    ----------
    customers, leads : str or Path
        Small files, read by :func:`segtools.data.io.read_table` (either may be empty).
    transactions : str or Path
        A file, a glob or a folder of CSV or Parquet files.
    mapping : str, Path or dict, optional
        A YAML column mapping; for the transactions only its ``columns`` are used.
    engine : {"duckdb", "spark"}
    snapshot_date : str or Timestamp, optional
        A given analysis date: transactions after it are refused.

    Returns
    -------
    tuple
        ``(tables, files)``: the tables by name (transactions: a :class:`TransactionSource`)
        and the file names by table.

    Raises
    ------
    ValidationError
        Bad rows (file, column, count, first lines) or customer ids the customers file lacks.
    ValueError
        A mapping that asks for more than column names.
    """
    from pathlib import Path

    from segtools.data import contracts, io

    if mapping and isinstance(mapping, (str, Path)):
        mapping = io.load_mapping(mapping)
    mapping = mapping or {}
    tx_map = dict(mapping.get("transactions") or {})
    other = sorted(set(tx_map) - {"columns"})
    if other:
        raise ValueError(f"engine {engine} reads the transactions in place and takes only the column names of the "
                          f"mapping, not {', '.join(other)}: convert the files or use engine pandas")
    ours = {v: k for k, v in (tx_map.get("columns") or {}).items()}
    src = TransactionSource(transactions, engine=engine, customer_id_col=ours.get("customer_id", "customer_id"),
                            date_col=ours.get("date", "date"), amount_col=ours.get("amount", "amount"))
    tables = {}
    if leads:
        tables["leads"] = io.read_table(leads, "leads", mapping.get("leads"), snapshot_date=snapshot_date)
    src.scan(snapshot_date)
    tables["transactions"] = src
    files = {"transactions": src.label}
    if customers:
        tables["customers"] = io.read_table(customers, "customers", mapping.get("customers"),
                                            snapshot_date=snapshot_date)
        files["customers"] = Path(customers).name
        n, sample = src.unknown_customers(tables["customers"]["customer_id"])
        if n:
            raise ValidationError(f"table 'transactions' ({src.label}), column 'customer_id': {n:,} rows name a "
                                  f"customer not in the customers table ({Path(customers).name}), e.g. "
                                  f"{', '.join(map(str, sample))}", table="transactions")
        contracts.validate_links({t: df for t, df in tables.items() if t != "transactions"})
    if leads:
        files["leads"] = Path(leads).name
    return {t: tables[t] for t in ("customers", "transactions", "leads") if t in tables}, files
