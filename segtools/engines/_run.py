"""Sources, the choice of engine, and running one SQL text on DuckDB or Spark."""

from __future__ import annotations

import glob as _glob
import logging
import os
import uuid
from pathlib import Path

LOG = logging.getLogger("segtools.engines")
ENGINES = ("auto", "pandas", "duckdb", "spark")
#: in-memory tables with more rows than this go to DuckDB under ``engine="auto"``
ROW_THRESHOLD = 5_000_000
#: DuckDB's defaults here: a memory limit well under a laptop's RAM (the process stays under 4 GB
#: with a 5M-customer result), spilling to a temporary folder
DUCKDB_MEMORY_LIMIT = "3GB"
#: DuckDB column types whose results :meth:`DuckRunner.df` fetches through Arrow (:func:`arrow_frame`)
ARROW_FETCHED = frozenset({"VARCHAR", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                           "UINTEGER", "UBIGINT", "HUGEINT", "FLOAT", "DOUBLE"})


def kind_of(source) -> str:
    """``"frame"``, ``"files"``, ``"duckdb"``, ``"ibis"`` or ``"spark"``."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return "frame"
    if isinstance(source, (str, os.PathLike)):
        return "files"
    module = type(source).__module__
    if module.startswith("duckdb"):
        return "duckdb"
    if module.startswith("ibis"):
        return "ibis"
    if module.startswith("pyspark"):
        return "spark"
    raise TypeError(f"source must be a DataFrame, a path, a glob or a folder, a DuckDB relation, an ibis table or a "
                    f"Spark DataFrame; got {type(source).__name__}")


def choose(source, engine: str) -> str:
    """The engine that runs ``source``; ``"auto"`` logs its choice and the reason."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
    kind = kind_of(source)
    if engine != "auto":
        if kind == "spark" and engine != "spark":
            raise ValueError("a Spark DataFrame runs on engine='spark' (or 'auto')")
        if engine == "pandas" and kind != "frame":
            raise ValueError(f"engine='pandas' needs a pandas DataFrame, got a {kind} source; use 'duckdb'")
        return engine
    if kind == "spark":
        choice, why = "spark", "a Spark DataFrame"
    elif kind == "frame" and len(source) <= ROW_THRESHOLD:
        choice, why = "pandas", f"an in-memory table of {len(source):,} rows (at most {ROW_THRESHOLD:,})"
    elif kind == "frame":
        choice, why = "duckdb", f"an in-memory table of {len(source):,} rows (more than {ROW_THRESHOLD:,})"
    else:
        choice, why = "duckdb", {"files": "files, read in place", "duckdb": "a DuckDB relation",
                                 "ibis": "an ibis table"}[kind]
    LOG.info("engine='auto' chose %s for %s", choice, why)
    return choice


def files_of(path) -> list[str]:
    """The data files of a path, a glob or a folder (Parquet preferred over CSV in a folder)."""
    text = str(path)
    if os.path.isdir(text):
        for ext in ("parquet", "csv"):
            found = sorted(_glob.glob(os.path.join(text, "**", f"*.{ext}"), recursive=True))
            if found:
                return found
        raise FileNotFoundError(f"{text}: no .parquet or .csv files in this folder")
    found = sorted(_glob.glob(text)) if any(ch in text for ch in "*?[") else ([text] if os.path.exists(text) else [])
    if not found:
        raise FileNotFoundError(f"{text}: no such file")
    return found


def _file_format(files) -> str:
    suffixes = {Path(f).suffix.lower() for f in files}
    if suffixes <= {".parquet", ".pq"}:
        return "parquet"
    if suffixes <= {".csv", ".txt", ".gz"}:
        return "csv"
    raise ValueError(f"files must all be Parquet or all CSV, got {', '.join(sorted(suffixes))}")


def arrow_frame(table):
    """A DuckDB result fetched as an Arrow table, as the pandas DataFrame DuckDB's ``.df()`` gives, or None.

    ``.df()`` turns millions of rows into pandas on one thread (2.4-2.7 s for the 5 million customers
    of a report); Arrow's conversion took 0.5-1.0 s on the same rows. The dtypes are ``.df()``'s: text as
    ``str``, integers and booleans as numpy types, or pandas' nullable ones (``Int64``,
    ``boolean``) when the column has a missing value, HUGEINT (DuckDB's sum of whole numbers) as
    ``float64``. None (the caller uses ``.df()``) when a column has another type (dates, decimals,
    lists) or two columns share a name. ``tests/test_engines_fetch.py`` compares the two.

    Parameters
    ----------
    table : pyarrow.Table
        From ``DuckDBPyRelation.to_arrow_table()``; consumed (its buffers are freed as they are converted).

    Returns
    -------
    DataFrame or None

    Examples
    --------
    >>> import duckdb
    >>> arrow_frame(duckdb.sql("SELECT 'a' AS id, sum(2) AS n, NULL::INTEGER AS k").to_arrow_table()).dtypes.tolist()
    [<StringDtype(na_value=nan)>, dtype('float64'), Int32Dtype()]
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as pt

    names = table.column_names
    if len(set(names)) < len(names):
        return None
    nullable = {}
    for i, field in enumerate(table.schema):
        kind = field.type
        if pt.is_decimal(kind) and kind.precision == 38 and kind.scale == 0:  # HUGEINT
            table = table.set_column(i, field.name, pc.cast(table.column(i), pa.float64()))
        elif pt.is_integer(kind) or pt.is_boolean(kind):
            if table.column(i).null_count:
                nullable[field.name] = i
        elif not (pt.is_string(kind) or pt.is_large_string(kind) or pt.is_floating(kind)):
            return None
    masked = {}
    for name, i in nullable.items():
        column = table.column(i)
        dtype = pd.BooleanDtype() if pt.is_boolean(column.type) else pd.api.types.pandas_dtype(
            f"{'U' if pt.is_unsigned_integer(column.type) else ''}Int{column.type.bit_width}")
        masked[name] = column.to_pandas(types_mapper={column.type: dtype}.get)
    if masked:
        table = table.drop_columns(list(masked))
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    for name, i in nullable.items():  # in column order: each lands at its own place
        frame.insert(i, name, masked[name].array)
    return frame


def quiet(con):
    """``con`` without DuckDB's own progress bar (a connection this module made; an analyst's is left alone).

    In a notebook kernel that bar is an ipywidget: it would land in the stored outputs and in a
    report's HTML (with a script fetched from the internet to draw it), and make a kernel's queries
    slower. segtools says its long steps itself (:func:`segtools.reporting.build.progress_printer`).
    """
    con.execute("SET enable_progress_bar = false")
    return con


class DuckRunner:
    """Runs DuckDB SQL on one source: files read in place, a DataFrame, a relation or an ibis table."""

    dialect = "duckdb"

    def __init__(self, source, *, text_cols=(), memory_limit=DUCKDB_MEMORY_LIMIT, temp_directory=None,
                 threads=None, connection=None):
        import duckdb

        self.kind = kind_of(source)
        self.own = connection is None  # a connection made here is closed by close(); one passed in is left open
        if self.kind == "duckdb":
            self.con = None
            self.relation = source
            self.src = "segtools_src"
            return
        config = {"memory_limit": memory_limit, "preserve_insertion_order": False}
        if temp_directory is None:  # spill to a fresh temporary folder, removed with this runner
            import tempfile
            import weakref

            spill = tempfile.TemporaryDirectory(prefix="segtools-duckdb-")
            weakref.finalize(self, spill.cleanup)
            temp_directory = spill.name
        config["temp_directory"] = str(temp_directory)
        if threads is not None:
            config["threads"] = int(threads)
        self.con = connection or quiet(duckdb.connect(config=config))
        self.files = None
        if self.kind == "files":
            self.files = files_of(source)
            listed = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in self.files) + "]"
            if _file_format(self.files) == "parquet":
                self.src = f"read_parquet({listed})"
            else:
                types = ", ".join(f"'{c}': 'VARCHAR'" for c in text_cols)
                self.src = f"read_csv({listed}, header = true, types = {{{types}}})"
        else:
            table = source.to_pyarrow() if self.kind == "ibis" else source
            name = f"segtools_src_{uuid.uuid4().hex[:8]}"
            self.con.register(name, table)
            self.src = name

    def add(self, frame) -> str:
        """Register a second (small) pandas table; returns its name for the SQL."""
        name = f"segtools_extra_{uuid.uuid4().hex[:8]}"
        if self.con is None:
            import duckdb

            self.con = quiet(duckdb.connect())
            self.con.register(self.src, self.relation.arrow() if hasattr(self.relation, "arrow") else self.relation)
        self.con.register(name, frame)
        return name

    def df(self, sql: str, *, close: bool = False):
        """The result of ``sql`` (which reads ``{src}``) as a pandas DataFrame.

        Fetched through Arrow (:func:`arrow_frame`) when every column is text, a number or a
        boolean: the same table as DuckDB's ``.df()``, in well under half the time on millions of rows.
        ``close=True`` closes the connection (:meth:`close`) as soon as the rows are out of DuckDB,
        before pandas gets them: DuckDB's memory (up to its limit) is handed back first, so the
        process never holds it and a big result at once.
        """
        sql = sql.replace("{src}", self.src)
        if self.con is None:
            frame = self.relation.query(self.src, sql).df()
        else:
            result = self.con.sql(sql)
            if result is None:  # a statement that returns no table
                import pandas as pd

                frame = pd.DataFrame()
            elif all(str(kind) in ARROW_FETCHED for kind in result.types) and len(set(result.columns)) == len(
                    result.columns):
                table = result.to_arrow_table()
                del result
                if close:
                    self.close()
                frame = arrow_frame(table)  # not None: its types and names were checked above
            else:
                frame = result.df()
        if close:
            self.close()
        return frame

    def close(self) -> None:
        """Close the connection made here: DuckDB hands back the memory of its hash tables and cache."""
        if self.own and self.con is not None:
            self.con.close()
            self.con = None


def spark_session(spark=None, conf=None):
    """A SparkSession: the one given, or one built from ``conf`` (``spark.master`` defaults to ``local[2]``).

    Examples
    --------
    >>> spark_session.__name__  # building a session needs a JVM; see notebooks/10 for a run
    'spark_session'
    """
    if spark is not None:
        return spark
    from pyspark.sql import SparkSession

    conf = dict(conf or {})
    builder = SparkSession.builder.master(conf.pop("spark.master", "local[2]")).appName("segtools")
    defaults = {"spark.sql.execution.arrow.pyspark.enabled": "true", "spark.sql.shuffle.partitions": "4",
                "spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                "spark.sql.session.timeZone": "UTC"}
    for key, value in {**defaults, **conf}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _quiet_pandas_notice():
    """PySpark 4.3 warns that it does not yet fully support pandas 3; the tests check our use of it."""
    import warnings

    context = warnings.catch_warnings()
    context.__enter__()
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    warnings.filterwarnings("ignore", message="The copy keyword is deprecated", module="pyspark")
    return context


class SparkRunner:
    """Runs the same SQL, transpiled to Spark SQL, on a temporary view of the source."""

    dialect = "spark"

    def __init__(self, source, *, spark=None, spark_conf=None, text_cols=()):
        self.kind = kind_of(source)
        self.spark = spark_session(spark if spark is not None else getattr(source, "sparkSession", None), spark_conf)
        self.files = None
        if self.kind == "spark":
            frame = source
        elif self.kind == "files":
            files = self.files = files_of(source)
            reader = self.spark.read
            frame = (reader.parquet(*files) if _file_format(files) == "parquet"
                     else reader.option("header", True).option("inferSchema", True).csv(files))
        elif self.kind == "frame":
            quiet = _quiet_pandas_notice()
            try:
                frame = self.spark.createDataFrame(source)
            finally:
                quiet.__exit__(None, None, None)
        else:
            raise TypeError(f"engine='spark' cannot read a {self.kind} source; pass a DataFrame, files or a Spark "
                            "DataFrame")
        self.src = f"segtools_src_{uuid.uuid4().hex[:8]}"
        frame.createOrReplaceTempView(self.src)

    def add(self, frame) -> str:
        """Register a second (small) pandas table as a temporary view; returns its name."""
        name = f"segtools_extra_{uuid.uuid4().hex[:8]}"
        quiet = _quiet_pandas_notice()
        try:
            self.spark.createDataFrame(frame).createOrReplaceTempView(name)
        finally:
            quiet.__exit__(None, None, None)
        return name

    def close(self) -> None:
        """Nothing to close: the SparkSession is shared (and may be the caller's)."""

    def df(self, sql: str, *, close: bool = False):
        """The result of ``sql`` (DuckDB's dialect, transpiled) as a pandas DataFrame; ``close`` as :meth:`DuckRunner.df`."""
        from segtools.engines._sql import to_dialect

        quiet = _quiet_pandas_notice()
        try:
            frame = self.spark.sql(to_dialect(sql.replace("{src}", self.src), "spark")).toPandas()
        finally:
            quiet.__exit__(None, None, None)
        if close:
            self.close()
        return frame


def runner(source, engine: str, options: dict, text_cols=()):
    """The DuckDB or Spark runner for ``source`` with the engine options of the call."""
    if engine == "spark":
        return SparkRunner(source, spark=options.get("spark"), spark_conf=options.get("spark_conf"),
                           text_cols=text_cols)
    return DuckRunner(source, text_cols=text_cols, memory_limit=options.get("memory_limit") or DUCKDB_MEMORY_LIMIT,
                      temp_directory=options.get("temp_directory"), threads=options.get("threads"))
