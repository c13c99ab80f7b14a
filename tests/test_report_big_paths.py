"""The big-data paths of the report (issue 16): same CSV bytes, clusters fitted on a sample only above a threshold."""

import numpy as np
import pandas as pd
import pytest

from segtools.reporting import customer_table, exports, fast_csv, text_bytes
from segtools.reporting._customer_section import cluster_sample_note


def _hostile_frame(n):
    rng = np.random.default_rng(7)
    words = np.array(["plain", "a,b", 'say "hi"', "two\nlines", "=1+1", "-5", "@x", " lead", "tab\tin",
                      "cr\rend", "ünïcode", "+31 6"])
    floats = rng.normal(size=n) * 10.0 ** rng.integers(-8, 20, size=n)
    floats[::7] = np.round(floats[::7])
    floats[::11] = np.nan
    floats[:8] = [760.0, -0.0, 1e-05, 1e15, 1e16, 0.0001, np.inf, -np.inf]
    shares = np.round(rng.normal(size=n), 4)  # rounded columns take the integer route to repr's text
    shares[::9] = np.nan
    shares[1::9] = -0.0
    shares[2::9] = np.round(shares[2::9] * 1e9, 4)  # up to 15 digits
    ints = pd.array(rng.integers(-1000, 1000, size=n), dtype="Int64")
    ints[::5] = pd.NA
    p = np.round(rng.random(n), 4)  # shares that the table of texts writes (fast_csv._table_text)
    p[::9], p[1::9], p[2::9] = np.nan, -0.0, -p[2::9]
    edge = rng.integers(fast_csv.TEXT_TABLE_SIZE - 50, fast_csv.TEXT_TABLE_SIZE + 50, size=n)  # at the table's end
    text = pd.Series(words[rng.integers(0, len(words), size=n)], dtype="str")
    text[::13] = None
    return pd.DataFrame({"id": [f"C{i:07d}" for i in range(n)], "text": text,
                         "segment": pd.Categorical(words[rng.integers(0, 4, size=n)]),
                         "money": np.round(rng.normal(500, 300, size=n), 2), "value": floats, "share": shares,
                         "whole": np.round(rng.normal(size=n) * 1e6), "n": ints,
                         "count": rng.integers(0, 50, size=n), "flag": rng.random(n) < 0.5, "p": p,
                         "edge": edge, "edge_money": edge / 100, "minus": -edge,
                         "obj": pd.Series(words[rng.integers(0, len(words), size=n)], dtype=object)})


@pytest.mark.parametrize("chunk", [None, 997])
def test_fast_csv_writes_the_same_bytes_as_pandas(tmp_path, monkeypatch, chunk):
    df = _hostile_frame(120_000)
    if chunk:  # many chunks, the last one short
        monkeypatch.setattr(fast_csv, "FAST_CSV_CHUNK", chunk)
    assert exports.write_csv(df, tmp_path / "fast.csv") == len(df)
    monkeypatch.setattr(fast_csv, "FAST_CSV_ROWS", 10**12)
    exports.write_csv(df, tmp_path / "pandas.csv")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_a_late_chunk_the_fast_path_cannot_format_rewrites_the_file_with_pandas(tmp_path, monkeypatch):
    df = _hostile_frame(3_000)
    df.loc[2_990, "obj"] = ""  # an empty text cell, left to pandas, only in the last chunk
    monkeypatch.setattr(fast_csv, "FAST_CSV_ROWS", 1)
    monkeypatch.setattr(fast_csv, "FAST_CSV_CHUNK", 1_000)
    exports.write_csv(df, tmp_path / "fast.csv")
    monkeypatch.setattr(fast_csv, "FAST_CSV_ROWS", 10**12)
    exports.write_csv(df, tmp_path / "pandas.csv")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_fast_csv_leaves_other_types_to_pandas(tmp_path, monkeypatch):
    df = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=3), "text": ["", "=x", None]})
    monkeypatch.setattr(fast_csv, "FAST_CSV_ROWS", 1)
    assert fast_csv._arrow_csv_body(fast_csv.neutralise_risky_columns(df)) is None
    exports.write_csv(df, tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_text(encoding="utf-8") == "day,text\n2024-01-01,\n2024-01-02,'=x\n2024-01-03,\n"


def test_clusters_use_every_buyer_up_to_the_threshold():
    from segtools.data import load_case

    case = load_case("retail")
    seg = customer_table.customer_segments(case.customers, case.transactions, snapshot_date=case.snapshot_date)
    assert customer_table.CLUSTER_SAMPLE_ABOVE > 100_000  # larger than any world
    assert seg.attrs["cluster_fit"]["sampled"] is False
    assert cluster_sample_note(seg.attrs["cluster_fit"]) == ""


@pytest.mark.parametrize("seed", [0, 3])
def test_clusters_above_the_threshold_are_fitted_on_a_fixed_sample(monkeypatch, seed):
    from segtools.data import load_case
    from segtools.reporting import build_report

    case = load_case("retail")
    monkeypatch.setattr(customer_table, "CLUSTER_SAMPLE_ABOVE", 100)
    monkeypatch.setattr(customer_table, "CLUSTER_SAMPLE", 80)
    runs = [customer_table.customer_segments(case.customers, case.transactions, snapshot_date=case.snapshot_date,
                                             random_state=seed) for _ in range(2)]
    fit = runs[0].attrs["cluster_fit"]
    buyers = int(runs[0]["cluster"].notna().sum())
    assert fit == {"sampled": True, "customers": 80, "of": buyers, "random_state": seed}
    pd.testing.assert_series_equal(runs[0]["cluster"], runs[1]["cluster"])  # the same sample every run
    assert set(runs[0]["cluster"].dropna()) == {1, 2, 3, 4}
    spend = runs[0].dropna(subset=["cluster"]).groupby("cluster")["monetary"].mean()
    assert spend.is_monotonic_decreasing  # still numbered from the highest mean spend
    report = build_report(case="retail", sections=("customers",), random_state=seed)
    assert report.notes["cluster sample"].startswith(f"*The clusters were found on a random sample of 80 of the {buyers:,} ")


@pytest.mark.parametrize("above", [10**9, 100])  # fitted on every buyer; on a sample, then every buyer predicted
def test_clusters_are_found_on_one_thread(monkeypatch, above):
    """k-means adds up its sums in one order (the same labels on any number of cores) and leaves the other core to
    the predicted-value fits beside it: OpenMP and BLAS are held to one thread while it fits and predicts."""
    from threadpoolctl import threadpool_info

    from segtools.customers import ClusterSegmenter
    from segtools.data import load_case

    seen = []
    for name in ("fit", "predict"):
        method = getattr(ClusterSegmenter, name)

        def spy(self, *args, _method=method, **kwargs):
            seen.append(max(pool["num_threads"] for pool in threadpool_info()))
            return _method(self, *args, **kwargs)

        monkeypatch.setattr(ClusterSegmenter, name, spy)
    monkeypatch.setattr(customer_table, "CLUSTER_SAMPLE_ABOVE", above)
    monkeypatch.setattr(customer_table, "CLUSTER_SAMPLE", 80)
    case = load_case("retail")
    customer_table.customer_segments(case.customers, case.transactions, snapshot_date=case.snapshot_date)
    assert seen and set(seen) == {1}
    assert len(seen) == (1 if above > 100 else 2)


def _ids(values):
    return pd.Index(values, dtype="str", name="customer_id")


@pytest.mark.parametrize("right", [
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "s": ["u", "v", "w"]}, index=_ids(["b", "a", "c"])),  # same order: side by side
    pd.DataFrame({"x": [1.0, 2.0], "s": ["u", "v"]}, index=_ids(["c", "b"])),  # another order, one missing: a join
    pd.DataFrame({"x": pd.Series(dtype=float), "s": pd.Series(dtype="str")}, index=_ids([])),  # empty: all missing
    pd.DataFrame({"n": pd.Series(dtype="int64")}, index=_ids([])),  # empty with whole numbers: a join (they turn float)
])
def test_joining_per_customer_tables_by_position_gives_the_join(right):
    left = pd.DataFrame({"customer_id": pd.array(["b", "a", "c"], dtype="str"), "k": [1, 2, 3]})
    left.attrs["kept"] = 1
    right.attrs["windows"] = pd.DataFrame({"days": [1]})  # attrs holding a table must not break the concat
    joined = customer_table._join_on_ids(left, right)
    pd.testing.assert_frame_equal(joined, left.join(right, on="customer_id"), check_exact=True)
    assert joined.attrs == {}  # the caller sets its own


def test_the_segments_by_cluster_table_is_the_crosstab():
    from segtools.reporting._customer_section import cluster_crosstab

    rng = np.random.default_rng(3)
    names = ["Champions", "Loyal", "At risk", "Hibernating", "No purchases yet"]
    segment = pd.Categorical(rng.choice(names[:3] + names[4:], size=500), categories=names)  # one name unused
    cluster = pd.array(rng.integers(1, 5, size=500), dtype="Int64")
    cluster[segment == "No purchases yet"] = pd.NA
    segments = pd.DataFrame({"customer_id": np.arange(500), "segment": segment, "cluster": cluster})
    buyers = segments.dropna(subset=["cluster"])
    expected = pd.crosstab(buyers["segment"].cat.remove_unused_categories(), buyers["cluster"])
    pd.testing.assert_frame_equal(cluster_crosstab(segments), expected)


@pytest.mark.parametrize("kinds", [("category", "str"), ("category", "Int64"), ("str", "int64"), ("int64", "str")])
def test_pair_counts_is_the_crosstab(kinds):
    from segtools.reporting._customer_section import pair_counts

    rng = np.random.default_rng(len(kinds[0]) + len(kinds[1]))
    words = ["most valuable next year", "active", "one purchase", "likely lapsed", "Zed", "älter"]

    def column(kind, name):
        if kind == "category":  # an unused category, and categories not in alphabetical order
            return pd.Series(pd.Categorical(rng.choice(words[:4], 300), categories=words[::-1]), name=name)
        if kind == "str":
            return pd.Series(rng.choice(words, 300), dtype="str", name=name)
        return pd.Series(rng.integers(-2, 5, 300), dtype=kind, name=name)

    rows, columns = column(kinds[0], "a"), column(kinds[1], "b")
    expected = pd.crosstab(rows.cat.remove_unused_categories() if kinds[0] == "category" else rows, columns)
    got = pair_counts(rows.cat.remove_unused_categories() if kinds[0] == "category" else rows, columns)
    pd.testing.assert_frame_equal(got, expected, check_names=True)
    with pytest.raises(ValueError, match="missing values"):
        pair_counts(rows, columns.where(columns.index > 0))


def test_customers_of_equal_spend_share_a_monetary_score_whatever_the_order_of_addition():
    # 0.1 + 0.2 is 0.30000000000000004 as a float: one customer's spend summed in another order (DuckDB's threads
    # do) must not move it across a score boundary away from a customer who spent the same
    tx = pd.DataFrame({"customer_id": ["A", "A", "B", "C", "D", "E"],
                       "date": pd.to_datetime(["2025-06-01", "2025-06-02", "2025-06-01", "2025-06-01", "2025-06-01",
                                               "2025-06-01"]),
                       "amount": [0.1, 0.2, 0.3, 0.05, 5.0, 50.0]})
    customers = pd.DataFrame({"customer_id": list("ABCDE")})
    seg = customer_table.customer_segments(customers, tx, snapshot_date="2025-07-01").set_index("customer_id")
    assert seg.loc["A", "m_score"] == seg.loc["B", "m_score"]
    assert seg.loc["A", "monetary"] == seg.loc["B", "monetary"] == 0.3


@pytest.mark.parametrize("kind", ["string", "large_string"])
def test_the_byte_checks_find_a_single_cell_in_a_slice(kind):
    import pyarrow as pa

    cells = ["ab", "ü\u00e9", None, "", "=z", "xy,", "q\n", 'r"', "-", "é=", "ok"]
    arr = pa.array(cells, type=getattr(pa, kind)())
    for start in range(len(cells)):
        for stop in range(start, len(cells) + 1):
            part, seen = arr[start:stop], [c for c in cells[start:stop] if c]
            for chars in (",", "\n", '"', ',"\n'):
                assert text_bytes.holds_any(part, chars) == any(ch in c for c in seen for ch in chars)
            assert text_bytes.starts_with_any(part, "=-") == any(c.startswith(("=", "-")) for c in seen)
