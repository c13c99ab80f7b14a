"""Every engine returns the pandas path's answer: integers exactly, floats within 1e-9."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segtools import customers
from segtools.engines import funnel_counts, repeat_purchase_summary, rfm, rule_points, validate_transactions, value_tiers
from segtools.errors import ValidationError

SNAP = pd.Timestamp("2026-01-01")


def same(ours: pd.DataFrame, ref: pd.DataFrame):
    assert list(ours.index.astype(str)) == list(ref.index.astype(str))
    assert list(ours.columns) == list(ref.columns)
    for col in ref.columns:
        a, b = ours[col].to_numpy(), ref[col].to_numpy()
        if np.issubdtype(b.dtype, np.integer):
            assert np.array_equal(a.astype(np.int64), b.astype(np.int64)), col
        else:
            assert np.allclose(a, b, rtol=1e-9, atol=1e-9), col
    for attr in ("excluded", "affected", "rules"):
        shared = set(ours.attrs.get(attr, {})) & set(ref.attrs.get(attr, {}))
        for key in shared:
            assert ours.attrs[attr][key] == ref.attrs[attr][key], (attr, key)


def awkward() -> pd.DataFrame:
    """Refunds (before, on and after the first purchase), zero amounts, same-day orders, one-purchase customers."""
    rows = [("A", "2025-12-01", 10.0), ("A", "2025-12-01", 20.0), ("A", "2025-12-20", -5.0),
            ("B", "2025-06-01", 50.0), ("C", "2026-01-01", 8.0), ("D", "2025-05-01", -3.0),
            ("D", "2025-05-02", 4.0), ("D", "2025-05-02", -1.0), ("D", "2025-07-09", 6.0), ("D", "2025-07-10", -2.0),
            ("E", "2025-08-01", 0.0), ("F", "2025-09-01", 0.0), ("F", "2025-09-03", 9.0), ("F", "2025-09-05", 0.0),
            ("G", "2025-10-06", 5.0), ("G", "2025-10-12", 7.0), ("G", "2025-10-13", 1.0), ("G", "2025-10-14", -1.5)]
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).assign(date=lambda d: pd.to_datetime(d.date))


CASES = ([("rfm", {"frequency": f, "monetary": m, "returns": r, "zero_amount": z}) for f in ("orders", "days")
          for m in ("total", "mean") for r in ("net", "ignore") for z in ("purchase", "exclude")]
         + [("summary", {"period": p, "returns": r, "zero_amount": z}) for p in ("D", "W")
            for r in ("event", "net", "ignore") for z in ("purchase", "exclude")])


def run(which, tx, engine, **kw):
    fn = rfm if which == "rfm" else repeat_purchase_summary
    return fn(tx, SNAP, engine=engine, **kw)


def reference(which, tx, **kw):
    fn = customers.rfm if which == "rfm" else customers.repeat_purchase_summary
    return fn(tx, SNAP, **kw)


@pytest.mark.parametrize("which, kw", CASES)
def test_duckdb_equals_pandas_on_awkward_rows(which, kw):
    tx = awkward()
    same(run(which, tx, "duckdb", **kw), reference(which, tx, **kw))


def test_rows_after_the_snapshot_raise_or_are_excluded_and_counted():
    tx = pd.concat([awkward(), pd.DataFrame({"customer_id": ["A", "H"], "date": pd.to_datetime(["2026-01-02"] * 2),
                                             "amount": [3.0, 4.0]})], ignore_index=True)
    with pytest.raises(ValidationError, match="after the snapshot"):
        rfm(tx, SNAP, engine="duckdb")
    ours = rfm(tx, SNAP, engine="duckdb", after_snapshot="exclude")
    same(ours, customers.rfm(tx, SNAP, after_snapshot="exclude"))
    assert ours.attrs["excluded"]["after_snapshot"] == 2


transactions = st.lists(st.tuples(st.sampled_from(["c1", "c2", "c3", "c10", "x"]), st.integers(-400, 0),
                                  st.sampled_from([0.0, 1.0, 2.5, -1.0, -0.5, 10.0, 0.1, 99.99])),
                        min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=transactions, case=st.sampled_from(CASES))
def test_property_duckdb_equals_pandas(rows, case):
    which, kw = case
    tx = pd.DataFrame({"customer_id": [r[0] for r in rows], "date": SNAP + pd.to_timedelta([r[1] for r in rows], "D"),
                       "amount": [r[2] for r in rows]})
    same(run(which, tx, "duckdb", **kw), reference(which, tx, **kw))


def test_files_csv_parquet_glob_and_folder(tmp_path):
    tx = awkward()
    tx.iloc[:9].to_parquet(tmp_path / "part-1.parquet")
    tx.iloc[9:].to_parquet(tmp_path / "part-2.parquet")
    ref = customers.repeat_purchase_summary(tx, SNAP)
    for source in (tmp_path, str(tmp_path / "*.parquet")):
        ours = repeat_purchase_summary(source, SNAP)
        same(ours, ref)
        assert ours.attrs["engine"] == "duckdb"
    csv = tmp_path / "csv"
    csv.mkdir()
    tx.to_csv(csv / "tx.csv", index=False)
    same(rfm(csv / "tx.csv", SNAP), customers.rfm(tx, SNAP))


def test_validation_counts_bad_rows_with_line_numbers(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("customer_id,date,amount\nA,2025-01-02,1.5\n,2025-01-03,2\nB,someday,3\nC,2025-01-05,inf\n")
    found = validate_transactions(path)
    assert found == {"rows": 4, "null_id": 1, "bad_date": 1, "bad_amount": 1, "first_bad": [3, 4, 5]}
    with pytest.raises(ValidationError, match=r"lines: 3, 4, 5"):
        rfm(path, SNAP)


def test_auto_chooses_pandas_for_small_frames_and_duckdb_for_relations():
    import duckdb

    tx = awkward()
    assert rfm(tx, SNAP).attrs["engine"] == "pandas"
    con = duckdb.connect()
    relation = con.from_df(tx)
    same(rfm(relation, SNAP), customers.rfm(tx, SNAP))
    with pytest.raises(ValueError, match="engine must be one of"):
        rfm(tx, SNAP, engine="polars")


def test_value_tiers_rule_points_and_funnel_equal_pandas():
    from segtools.compare import funnel
    from segtools.data import load_case
    from segtools.leads import RuleScorer, default_points

    case = load_case("startup")
    table = customers.rfm(case.transactions, case.snapshot_date)
    ref = customers.value_tiers(table)
    ours = value_tiers(table, engine="duckdb")
    assert ours.astype(str).tolist() == ref.astype(str).tolist()
    leads = case.leads
    scorer = RuleScorer(default_points("startup"), half_life=30, snapshot_date=case.snapshot_date).fit(leads)
    want = scorer.transform(leads).set_index("lead_id").sort_index()
    got = rule_points(leads, "startup", engine="duckdb", half_life=30, snapshot_date=case.snapshot_date)
    for col in want.columns:
        assert np.allclose(got[col].to_numpy(), want[col].to_numpy(), rtol=1e-9, atol=1e-9), col
    lead_seg = leads["source"].astype(str)
    cust_seg = ref.astype(str)
    want = funnel(leads.assign(seg=lead_seg), "seg", cust_seg)
    got = funnel_counts(leads.assign(seg=lead_seg), cust_seg, lead_segment_col="seg", engine="duckdb")
    for col in ("lead_segment", "customer_segment", "leads", "converted", "customers"):
        assert got[col].astype(str).tolist() == want[col].astype(str).tolist(), col


def test_parquet_statistics_settle_the_id_and_date_checks_with_the_same_counts(tmp_path):
    from segtools.engines._run import DuckRunner
    from segtools.engines._sql import checks
    from segtools.engines.customers import snap_day
    from segtools.engines.validate import known_counts, parquet_facts

    tx = awkward()
    tx.iloc[:9].to_parquet(tmp_path / "part-1.parquet")
    tx.iloc[9:].to_parquet(tmp_path / "part-2.parquet")
    ids = ("customer_id", "date", "amount")
    run = DuckRunner(tmp_path)
    fast = known_counts(run, snap_day(SNAP), ids)
    full = {k: int(v or 0) for k, v in run.df(checks("{src}", snap_day(SNAP), *ids)).iloc[0].items()}
    assert fast is not None and fast == full
    # a later row, a time-zone date or text dates: the statistics cannot settle it, the full pass runs
    assert known_counts(run, snap_day(SNAP) - 1, ids) is None
    tx.assign(date=tx["date"].dt.tz_localize("UTC")).to_parquet(tmp_path / "tz.parquet")
    tx.assign(date=tx["date"].astype(str)).to_parquet(tmp_path / "text.parquet")
    assert parquet_facts([str(tmp_path / "tz.parquet")], ids) is None
    assert parquet_facts([str(tmp_path / "text.parquet")], ids) is None


def test_parquet_bad_rows_are_still_refused(tmp_path):
    tx = awkward()
    nan = tmp_path / "nan"
    nan.mkdir()
    tx.assign(amount=tx["amount"].where(tx.index != 3, float("nan"))).to_parquet(nan / "tx.parquet")
    with pytest.raises(ValidationError, match=r"not finite in 1 of 18 rows \(first bad rows: 4\)"):
        repeat_purchase_summary(nan, SNAP)
    empty = tmp_path / "empty"
    empty.mkdir()
    tx.assign(customer_id=tx["customer_id"].where(tx.index != 5)).to_parquet(empty / "tx.parquet")
    with pytest.raises(ValidationError, match=r"'customer_id' is empty in 1 of 18 rows"):
        rfm(empty, SNAP)


def funnel_leads() -> pd.DataFrame:
    return pd.DataFrame({"segment": ["hot", "hot", None, "cold", "cold", "warm"],
                         "converted": [True, False, True, True, False, True],
                         "customer_id": ["C1", None, "C2", "C9", None, "C3"]})


def test_funnel_counts_equal_pandas_with_missing_labels_and_categorical_segments():
    from segtools.compare import funnel

    cols = ["lead_segment", "customer_segment", "leads", "converted", "customers"]
    seg = pd.Series(pd.Categorical(["one-off", "loyal", None], categories=["loyal", "one-off", "lost"]),
                    index=["C1", "C2", "C3"])
    for leads in (funnel_leads(), funnel_leads().astype({"segment": pd.CategoricalDtype(["warm", "hot", "cold"])})):
        want = funnel(leads, "segment", seg)[cols]
        got = funnel_counts(leads, seg, engine="duckdb")
        for col in cols:
            assert got[col].astype(str).tolist() == want[col].astype(str).tolist(), col


@pytest.mark.parametrize("change, message", [
    (lambda d: d.assign(converted=d["converted"].astype(object).where(d.index != 1)), "1 missing value"),
    (lambda d: d.assign(converted=[1, 0, 1, 2, 0, 1]), "True/False"),
    (lambda d: d.assign(converted=["yes", "no", "yes", "maybe", "no", "yes"]), "True/False"),
    (lambda d: d.assign(customer_id=d["customer_id"].where(d.index != 4, "C7")), r"1 of 6 rows have a 'customer_id' "
                                                                                  "but 'converted' is False"),
])
def test_funnel_counts_refuse_what_the_pandas_funnel_refuses(tmp_path, change, message):
    from segtools.compare import funnel

    leads = change(funnel_leads())
    seg = pd.Series({"C1": "loyal", "C2": "one-off"})
    with pytest.raises(ValidationError):
        funnel(leads, "segment", seg)
    with pytest.raises(ValidationError, match=message):
        funnel_counts(leads, seg, engine="duckdb")
    leads.to_csv(tmp_path / "leads.csv", index=False)
    with pytest.raises(ValidationError, match=r"table 'leads' \(file leads.csv\)"):
        funnel_counts(tmp_path / "leads.csv", seg)


def test_funnel_counts_refuse_duplicated_customer_ids():
    with pytest.raises(ValidationError, match="appear more than once"):
        funnel_counts(funnel_leads(), pd.Series(["a", "b"], index=["C1", "C1"]), engine="duckdb")


def test_rule_points_take_the_half_life_of_the_points_table():
    from segtools.data import load_case
    from segtools.leads import RuleScorer, default_points

    case = load_case("startup")
    table = default_points("startup")
    table.attrs["half_life_days"] = 21.0
    want = RuleScorer(table, snapshot_date=case.snapshot_date).fit(case.leads).transform(case.leads)
    got = rule_points(case.leads, table, engine="duckdb", snapshot_date=case.snapshot_date)
    assert not np.allclose(got["decay"], 1.0)
    want = want.set_index("lead_id").sort_index()
    for col in want.columns:
        assert np.allclose(got[col].to_numpy(), want[col].to_numpy(), rtol=1e-9, atol=1e-9), col


def test_the_engines_own_duckdb_connections_show_no_progress_bar_and_an_analysts_is_left_alone(tmp_path,
                                                                                                  monkeypatch):
    # DuckDB draws a progress bar after 2 s; in a kernel it is an ipywidget that would land in a report's outputs
    import duckdb

    from segtools.engines._run import DuckRunner

    connect = duckdb.connect

    def with_the_bar(*args, **kwargs):  # DuckDB's default depends on the terminal: here every new one has the bar
        con = connect(*args, **kwargs)
        con.execute("SET enable_progress_bar = true")
        return con

    monkeypatch.setattr(duckdb, "connect", with_the_bar)
    pd.DataFrame({"customer_id": ["a"], "date": pd.to_datetime(["2025-01-01"]), "amount": [1.0]}).to_parquet(
        tmp_path / "t.parquet")
    setting = "SELECT current_setting('enable_progress_bar')"
    runner = DuckRunner(str(tmp_path / "t.parquet"))
    assert runner.con.execute(setting).fetchone()[0] is False
    runner.close()
    runner = DuckRunner(duckdb.connect().sql("SELECT 1 AS x"))
    runner.add(pd.DataFrame({"y": [1]}))  # a connection of its own for a second table
    assert runner.con.execute(setting).fetchone()[0] is False
    own = duckdb.connect()
    DuckRunner(str(tmp_path / "t.parquet"), connection=own)
    assert own.execute(setting).fetchone()[0] is True  # the analyst's connection as it was
