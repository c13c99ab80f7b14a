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
