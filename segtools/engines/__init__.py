"""The same transaction-level definitions on pandas, DuckDB and Spark (from a laptop to a cluster).

Every function takes ``engine="auto"|"pandas"|"duckdb"|"spark"`` and a source that is a
pandas DataFrame, a CSV or Parquet path (a file, a glob or a folder, read in place), a DuckDB
relation, an ibis table or a Spark DataFrame. ``"auto"`` keeps small in-memory tables on
pandas, sends files and big tables to DuckDB (out of core: a memory limit, spilling to a
temporary folder) and Spark DataFrames to Spark, and logs its choice on the
``segtools.engines`` logger; ``result.attrs["engine"]`` names the engine that ran.

The pandas engine calls the package's own functions; DuckDB and Spark run one SQL text per
definition (written in DuckDB's dialect, transpiled to Spark SQL by SQLGlot), and the tests
prove that all three return the same table.
"""

from segtools.engines._run import DUCKDB_MEMORY_LIMIT, ENGINES, ROW_THRESHOLD, choose, spark_session
from segtools.engines.customers import repeat_purchase_summary, rfm
from segtools.engines.report_inputs import TransactionSource, report_engine, report_tables
from segtools.engines.segments import funnel_counts, rule_points, value_tiers
from segtools.engines.validate import validate_transactions

__all__ = ["DUCKDB_MEMORY_LIMIT", "ENGINES", "ROW_THRESHOLD", "TransactionSource", "choose", "funnel_counts",
           "repeat_purchase_summary", "report_engine", "report_tables", "rfm", "rule_points", "spark_session",
           "validate_transactions", "value_tiers"]
