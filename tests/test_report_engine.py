"""The report on big data: transactions read in place by DuckDB (or Spark), the same customer_segments.csv."""

import filecmp
import io
import json

import numpy as np
import pandas as pd
import pytest

from segtools.cli import main
from segtools.data import load_case
from segtools.engines import TransactionSource, report_engine
from segtools.errors import ValidationError
from segtools.reporting import build_report
from segtools.reporting.build import progress_printer
from segtools.reporting.customer_table import customer_segments


def _chunks(tx, folder, size, fmt="parquet"):
    folder.mkdir(parents=True, exist_ok=True)
    for i, lo in enumerate(range(0, len(tx), size)):
        part = tx.iloc[lo:lo + size]
        if fmt == "parquet":
            part.to_parquet(folder / f"part-{i:03d}.parquet", index=False, coerce_timestamps="us")
        else:
            part.to_csv(folder / f"part-{i:03d}.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The retail world's transactions as one CSV (the pandas path) and as Parquet chunks (the engine path)."""
    root = tmp_path_factory.mktemp("world")
    case = load_case("retail")
    tx = case.transactions[["customer_id", "date", "amount"]]
    tx.to_csv(root / "tx.csv", index=False)
    case.customers.to_csv(root / "customers.csv", index=False)
    _chunks(tx, root / "parts", 1_500)
    return root, case


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for col in a.columns:
        if a[col].dtype.kind == "f":
            np.testing.assert_allclose(a[col].to_numpy(), b[col].to_numpy(), rtol=0, atol=1e-9, equal_nan=True)
        else:
            assert a[col].astype(str).tolist() == b[col].astype(str).tolist(), col


@pytest.mark.parametrize("customers", [False, True])
def test_glob_report_writes_the_same_customer_segments_as_pandas(world, tmp_path, customers):
    root, _ = world
    extra = {"customers": root / "customers.csv"} if customers else {}
    a = build_report(transactions=root / "tx.csv", sections=("customers",), out=tmp_path / "a", engine="pandas",
                     **extra)
    b = build_report(transactions=str(root / "parts" / "*.parquet"), sections=("customers",), out=tmp_path / "b",
                     **extra)
    assert b.parameters["transactions engine"] == "duckdb (a glob)"
    assert "transactions engine" not in a.parameters
    assert filecmp.cmp(tmp_path / "a" / "customer_segments.csv", tmp_path / "b" / "customer_segments.csv",
                       shallow=False)
    sa, sb = (json.loads((tmp_path / x / "summary.json").read_text()) for x in "ab")
    assert sa["sizes"] == sb["sizes"] and sa["rows_in"] == sb["rows_in"]
    assert a.tables["data summary"].equals(b.tables["data summary"])


def test_engine_parts_equal_pandas_attrs_and_windows(world):
    root, case = world
    a = customer_segments(case.customers, case.transactions, snapshot_date=case.snapshot_date)
    b = customer_segments(case.customers, TransactionSource(root / "parts"), snapshot_date=case.snapshot_date)
    _frames_equal(a, b)
    for key in ("excluded", "affected", "capped", "outlook"):
        assert a.attrs[key] == b.attrs[key], key
    assert a.attrs["windows"].equals(b.attrs["windows"])


def test_refund_before_first_purchase_and_rows_after_snapshot_match_pandas(tmp_path):
    """Awkward rows: refunds first, zero amounts, a day after the snapshot (left out and counted)."""
    tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B", "B", "C", "C", "D"],
                       "date": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-02-01", "2025-03-01", "2025-03-01",
                                               "2025-04-01", "2026-02-01", "2025-05-01"]),
                       "amount": [-5.0, 20.0, 0.0, 0.0, 0.0, 12.5, 30.0, -3.0]})
    _chunks(tx, tmp_path / "p", 3)
    customers = pd.DataFrame({"customer_id": list("ABCDE")})
    a = customer_segments(customers, tx, snapshot_date="2026-01-01")
    b = customer_segments(customers, TransactionSource(tmp_path / "p"), snapshot_date="2026-01-01")
    _frames_equal(a, b)
    assert a.attrs["excluded"] == b.attrs["excluded"] and a.attrs["affected"] == b.attrs["affected"]
    assert b.attrs["excluded"]["after_snapshot"] == 1


def test_bad_rows_are_refused_naming_files_column_count_and_lines(tmp_path):
    tx = pd.DataFrame({"customer_id": ["A", "B", "C", "D"], "date": ["2025-01-01", "soon", "2025-01-03", "never"],
                       "amount": ["1", "2", "3", "4"]})
    _chunks(tx, tmp_path / "csv", 2, fmt="csv")
    with pytest.raises(ValidationError) as err:
        build_report(transactions=str(tmp_path / "csv" / "*.csv"), sections=("customers",))
    text = str(err.value)
    for part in ("part-000.csv", "part-001.csv", "'date'", "2 of 4 rows", "first bad lines"):
        assert part in text, (part, text)


def test_unknown_customer_ids_are_refused_naming_the_customers_file(world, tmp_path):
    root, _ = world
    (tmp_path / "few.csv").write_text("customer_id\nC00001\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"few\.csv.*C00002"):
        build_report(transactions=root / "parts", customers=tmp_path / "few.csv", sections=("customers",))


def test_engine_choice_and_its_arguments(world, tmp_path):
    root, _ = world
    assert report_engine(str(root / "parts"))[0] == "duckdb"
    assert report_engine(str(root / "tx.csv")) == ("pandas", "one file of 0.4 MB (under 200 MB)") or \
        report_engine(str(root / "tx.csv"))[0] == "pandas"
    with pytest.raises(ValueError, match="engine must be one of"):
        report_engine(str(root / "tx.csv"), "polars")
    from segtools.reporting import ReportError

    with pytest.raises(ReportError, match="engine pandas reads one transactions file"):
        build_report(transactions=str(root / "parts" / "*.parquet"), engine="pandas", sections=("customers",))


def test_progress_is_quiet_off_a_terminal_and_in_ci(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("SEGTOOLS_PROGRESS_FILE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    quiet, loud = io.StringIO(), Tty()
    progress_printer(quiet)("scoring")
    progress_printer(loud)("scoring")
    assert quiet.getvalue() == "" and "segtools:" in loud.getvalue() and "scoring" in loud.getvalue()
    monkeypatch.setenv("CI", "true")
    ci = Tty()
    progress_printer(ci)("scoring")
    assert ci.getvalue() == ""


def test_build_report_sends_one_line_per_step(world):
    root, _ = world
    lines = []
    build_report(transactions=root / "parts", sections=("customers",), progress=lines.append)
    assert lines[0].startswith("reading") and any(s.startswith("summarising") for s in lines)
    assert any(s.startswith("scoring") for s in lines)


def test_command_bad_rows_exit_2_before_a_kernel(tmp_path, capsys):
    tx = pd.DataFrame({"customer_id": ["A", None], "date": ["2025-01-01", "2025-01-02"], "amount": [1.0, 2.0]})
    _chunks(tx, tmp_path / "p", 1)
    status = main(["report", "--transactions", str(tmp_path / "p" / "*.parquet"), "--engine", "duckdb",
                   "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert status == 2 and "'customer_id'" in err and "1 of 2 rows" in err and "part-001.parquet" in err
    assert "segtools: engine duckdb" not in out  # refused while checking, before the choice is reported
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_command_on_a_glob_matches_the_pandas_command(world, tmp_path, capsys):
    root, _ = world
    assert main(["report", "--transactions", str(root / "tx.csv"), "--engine", "pandas",
                 "--out", str(tmp_path / "a")]) == 0
    assert main(["report", "--transactions", str(root / "parts" / "*.parquet"), "--out", str(tmp_path / "b")]) == 0
    out, err = capsys.readouterr()
    assert "segtools: engine duckdb (a glob)" in out
    assert "segtools: [" not in err  # not a terminal: no progress lines
    assert filecmp.cmp(tmp_path / "a" / "customer_segments.csv", tmp_path / "b" / "customer_segments.csv",
                       shallow=False)
    nb = (tmp_path / "b" / "report.ipynb").read_text()
    assert "summarising" not in nb and "segtools: [" not in nb


@pytest.mark.slow
def test_spark_engine_writes_the_same_customer_segments(world, tmp_path):
    pytest.importorskip("pyspark")
    root, _ = world
    a = build_report(transactions=root / "tx.csv", sections=("customers",), out=tmp_path / "a", engine="pandas")
    b = build_report(transactions=root / "parts", sections=("customers",), out=tmp_path / "b", engine="spark")
    assert b.parameters["transactions engine"].startswith("spark")
    _frames_equal(pd.read_csv(tmp_path / "a" / "customer_segments.csv"),
                  pd.read_csv(tmp_path / "b" / "customer_segments.csv"))
    assert a.summary["sizes"]["segments"] == b.summary["sizes"]["segments"]


def test_the_weekly_summary_of_a_report_equals_pandas_without_counting_twice(tmp_path):
    """The report's weekly query leaves out the counts (the daily one has them) but not a number of the summary."""
    from segtools.customers import repeat_purchase_summary

    tx = pd.DataFrame({"customer_id": ["A", "A", "A", "A", "B", "B", "C", "C", "D"],
                       "date": pd.to_datetime(["2025-01-01", "2025-01-06", "2025-01-07", "2025-03-01", "2025-03-01",
                                               "2025-03-01", "2025-04-01", "2025-06-02", "2025-05-01"]),
                       "amount": [-5.0, 20.0, 0.0, 40.0, 0.0, 8.0, 12.5, -2.5, -3.0]})
    _chunks(tx, tmp_path / "p", 2)
    rfm, weekly = TransactionSource(tmp_path / "p").customer_tables("2026-01-01")
    expected = repeat_purchase_summary(tx, "2026-01-01", period="W", returns="net", after_snapshot="exclude")
    pd.testing.assert_frame_equal(weekly, expected[weekly.columns], check_dtype=False, check_index_type=False)
    assert weekly.attrs == {"rules": {"zero_amount": "purchase", "returns": "net"}, "engine": "duckdb"}
    assert rfm.attrs["affected"]["refund_rows"] == 3 and rfm.attrs["excluded"]["refunds_before_first_purchase"] == 2


@pytest.mark.parametrize("ids", [["a", "b", "b", "c"], ["b", "a"], ["9", "10"], ["10", "9"], ["ä", "z"], ["z", "ä"],
                                 ["Z", "a"], ["a", "Z"], ["\uffff", "\U0001d538"], ["\U0001d538", "\uffff"], ["x"], []])
def test_text_ids_are_judged_sorted_as_python_sorts_them(ids):
    from segtools.engines.report_inputs import _sorted_text

    s = pd.Series(ids, dtype="str")
    assert _sorted_text(s) == s.is_monotonic_increasing


# a stand-in for the engine's queries, in a fresh interpreter where none of the next steps' modules is loaded yet:
# it waits (leaving Python's lock free, as DuckDB does) until they are, and prints whether they came in meanwhile
_QUERY = """
import sys, time
from segtools.reporting import customer_table
def query(*args):
    deadline = time.monotonic() + 30
    while not all(m in sys.modules for m in customer_table.AFTER_ENGINE) and time.monotonic() < deadline:
        time.sleep(0.01)
    print(all(m in sys.modules for m in customer_table.AFTER_ENGINE))
    raise SystemExit(0)
"""
_NOTHING_LOADED = "assert not any(m in sys.modules for m in customer_table.AFTER_ENGINE)\n"


def _modules_load_during_the_query(call):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _QUERY + call], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr


def test_the_report_loads_its_next_modules_while_the_engine_works():
    # the models', clusters' and charts' modules are imported during the engine's queries, not after them
    _modules_load_during_the_query("""
class Source:
    engine = "duckdb"
    customer_tables = query
""" + _NOTHING_LOADED + """customer_table._engine_parts(Source(), "2026-01-01", None)
""")


def test_a_report_on_files_loads_its_next_modules_while_the_engine_derives_the_customers(tmp_path):
    # without a customers file the engine's queries run when the inputs are read (the customers are derived
    # from the transactions): the modules are loaded during those queries too, not after them
    pd.DataFrame({"customer_id": ["a", "b"], "date": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                  "amount": [5.0, 7.0]}).to_parquet(tmp_path / "orders.parquet")
    _modules_load_during_the_query("""
from segtools.engines.report_inputs import TransactionSource
from segtools.reporting.inputs import prepare_inputs
TransactionSource.customers = query
""" + _NOTHING_LOADED + f"""prepare_inputs(transactions={str(tmp_path / "orders.parquet")!r}, engine="duckdb")
""")


@pytest.mark.parametrize("before", [None, "an analyst's own value"])
def test_the_progress_relay_sets_its_variable_for_the_kernel_and_restores_it(tmp_path, monkeypatch, before):
    import os

    from segtools.reporting.run import _progress_relay

    if before is None:
        monkeypatch.delenv("SEGTOOLS_PROGRESS_FILE", raising=False)
    else:
        monkeypatch.setenv("SEGTOOLS_PROGRESS_FILE", before)
    relay = _progress_relay(tmp_path)
    relay.on = True  # as on a terminal
    with relay:
        assert os.environ["SEGTOOLS_PROGRESS_FILE"] == str(tmp_path / "progress.txt")
    assert os.environ.get("SEGTOOLS_PROGRESS_FILE") == before
