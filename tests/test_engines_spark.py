"""Spark (local mode) returns the pandas path's answers; one SparkSession for the whole test session."""

import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyspark")

from segtools import customers  # noqa: E402
from segtools.engines import repeat_purchase_summary, rfm, rule_points, spark_session, validate_transactions  # noqa: E402
from segtools.engines import funnel_counts, value_tiers  # noqa: E402
from segtools.errors import ValidationError  # noqa: E402
from test_engines import CASES, SNAP, awkward, reference, same  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")]


@pytest.fixture(scope="session")
def spark():
    return spark_session(conf={"spark.master": "local[2]"})


@pytest.fixture(scope="module")
def spark_tx(spark):
    tx = pd.concat([awkward(), pd.DataFrame({"customer_id": ["H"], "date": pd.to_datetime(["2026-01-05"]),
                                             "amount": [3.0]})], ignore_index=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        return tx, spark.createDataFrame(tx)


@pytest.mark.parametrize("which, kw", [CASES[0], CASES[7], CASES[-1], CASES[-8]])
def test_spark_equals_pandas(spark_tx, which, kw):
    tx, frame = spark_tx
    fn = rfm if which == "rfm" else repeat_purchase_summary
    same(fn(frame, SNAP, after_snapshot="exclude", **kw), reference(which, tx, after_snapshot="exclude", **kw))


def test_spark_reads_files_and_refuses_bad_rows(spark, tmp_path):
    tx = awkward()
    tx.to_parquet(tmp_path / "tx.parquet")
    out = rfm(tmp_path, SNAP, engine="spark", spark=spark)
    assert out.attrs["engine"] == "spark"
    same(out, customers.rfm(tx, SNAP))
    with pytest.raises(ValidationError, match="after the snapshot"):
        rfm(tmp_path, pd.Timestamp("2025-07-01"), engine="spark", spark=spark)
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_id,date,amount\nA,2025-01-02,1.5\n,2025-01-03,2\n")
    assert validate_transactions(bad, engine="spark", spark=spark)["null_id"] == 1


def test_spark_value_tiers_rule_points_and_funnel(spark):
    from segtools.compare import funnel
    from segtools.data import load_case
    from segtools.leads import RuleScorer, default_points

    case = load_case("startup")
    table = customers.rfm(case.transactions, case.snapshot_date)
    ref = customers.value_tiers(table)
    ours = value_tiers(table, engine="spark", spark=spark)
    assert ours.astype(str).tolist() == ref.astype(str).tolist()
    leads = case.leads.assign(seg=case.leads["source"].astype(str))
    want = RuleScorer(default_points("startup")).fit(leads).transform(leads).set_index("lead_id").sort_index()
    got = rule_points(leads, "startup", engine="spark", spark=spark)
    assert np.allclose(got["score"].to_numpy(), want["score"].to_numpy(), rtol=1e-9, atol=1e-9)
    want = funnel(leads, "seg", ref.astype(str))
    got = funnel_counts(leads, ref.astype(str), lead_segment_col="seg", engine="spark", spark=spark)
    assert got["customers"].tolist() == want["customers"].tolist()


def test_spark_decay_equals_pandas(spark):
    from segtools.data import load_case
    from segtools.leads import RuleScorer, default_points

    case = load_case("startup")
    leads = case.leads.copy()
    at = leads.columns.get_loc("last_activity_at")
    leads.iloc[:3, at] = pd.NaT  # no activity: factor 0
    leads.iloc[3, at] = case.snapshot_date + pd.Timedelta(days=3)  # after the snapshot: counts fully
    leads.iloc[4, at] = pd.Timestamp("2025-06-01 13:45:12.123456")  # a time of day, to the microsecond
    want = (RuleScorer(default_points("startup"), half_life=30, snapshot_date=case.snapshot_date).fit(leads)
            .transform(leads).set_index("lead_id").sort_index())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        frame = spark.createDataFrame(leads)
    got = rule_points(frame, "startup", engine="spark", half_life=30, snapshot_date=case.snapshot_date)
    assert got.index.tolist() == want.index.tolist()
    for col in want.columns:
        assert np.allclose(got[col].to_numpy(), want[col].to_numpy(), rtol=1e-9, atol=1e-9), col


def test_spark_funnel_refuses_a_customer_id_on_an_unconverted_lead(spark):
    leads = pd.DataFrame({"seg": ["a", "b"], "converted": [True, False], "customer_id": ["C1", "C2"]})
    with pytest.raises(ValidationError, match="but 'converted' is False"):
        funnel_counts(leads, pd.Series({"C1": "x"}), lead_segment_col="seg", engine="spark", spark=spark)
