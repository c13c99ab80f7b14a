"""The readers behind read_table agree: the Arrow reader gives the table (or the error) the slower ones give.

read_table tries pyarrow's CSV reader first (segtools.data.arrow_csv), then pandas' C parser, then the csv
module. Each test here reads files both ways, the second time with the Arrow reader switched off, and asks for
the same frame, dtypes, attributes and messages. It also checks that the Arrow reader really takes plain files
(else the comparison proves nothing) and leaves the odd ones to the others, the column-wise helpers it
relies on (segtools.data.arrow_text) against pandas, and validate's shortcut past pandera (taken only for a
table pandera would pass) against pandera itself.
"""

import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_files import csv_bytes

from segtools.data import arrow_csv
from segtools.data.arrow_text import Codes, plain_numbers, strip
from segtools.data.io import read_table
from segtools.errors import SegtoolsError

HEADER = "transaction_id,customer_id,date,amount,category,extra\n"


def _rows(n=30_000):  # about 1.3 MB: past the first 256 KB, whose records type the columns
    return "".join(f"{i},C{i % 977},2025-{1 + i % 12:02d}-{1 + i % 28:02d},{(i % 5000) / 100:.2f},cat{i % 7},{i % 13}\n"
                   for i in range(1, n + 1))


ROWS = _rows()
HALF = ROWS[:ROWS.index("\n15000,") + 1]  # the first 14,999 rows
NO_EXTRA = "".join(r.rsplit(",", 1)[0] + ",\n" for r in ROWS.splitlines(keepends=True))
BIG = {
    "plain": HEADER + ROWS,
    "text_late_in_numbers": HEADER + ROWS + "30001,C1,2025-01-02,1.50,cat1,abc\n",
    "decimal_late_in_whole_numbers": HEADER + ROWS + "30001,C1,2025-01-02,1.50,cat1,2.5\n",
    "plus_sign_late": HEADER + ROWS + "30001,C1,2025-01-02,1.50,cat1,+5\n",
    "bad_date_late": HEADER + ROWS + "30001,C1,someday,1.50,cat1,3\n",
    "ambiguous_amount_late": HEADER + ROWS + "30001,C1,2025-01-02,€1.234,cat1,3\n",
    "future_date_late": HEADER + ROWS + "30001,C1,2099-01-02,1.50,cat1,3\n",
    "missing_words_late": HEADER + ROWS + "30001,C1,2025-01-02,NA,None,<NA>\n",
    "empty_at_first_then_text": HEADER.replace("extra", "note") + NO_EXTRA + "30001,C1,2025-01-02,1.50,cat1,hi\n",
    "empty_at_first_then_dates": HEADER.replace("extra", "seen") + NO_EXTRA + "30001,C1,2025-01-02,1.5,c,2025-01-01\n",
    "quoted_break": HEADER + HALF + '30001,C1,2025-01-02,1.50,"two\r\nlines",3\n' + ROWS[len(HALF):]
                    + "30002,C1,2025-01-02,oops,cat1,3\n",
    "byte_order_mark": "\ufeff" + HEADER + ROWS,
    "crlf": (HEADER + ROWS).replace("\n", "\r\n"),
    "semicolons": (HEADER + ROWS).replace(",", ";"),
    "blank_line_late": HEADER + ROWS + "\n30001,C1,2025-01-02,1.50,cat1,3\n",
    "short_row_late": HEADER + ROWS + "30001,C1,2025-01-02,1.50\n",
    "long_row_late": HEADER + ROWS + "30001,C1,2025-01-02,1.50,cat1,3,9\n",
    "space_late": HEADER + ROWS + "30001, C1,2025-01-02,1.50,cat1,3\n",
    "missing_word_with_space": HEADER + ROWS + "30001,C1,2025-01-02,1.50,NA ,3\n",
    "nul_late": HEADER + ROWS + "30001,C1,2025-01-02,1.50,ca\x00t,3\n",
    "ids_past_int64": "transaction_id,customer_id,date,amount\n" + "".join(
        f"{10**19 + i},C{i % 97},2025-01-02,1.5\n" for i in range(30_000)),
    "ids_read_as_floats": "transaction_id,customer_id,date,amount\n" + "".join(
        f"{i}.0,{i % 97}.0,2025-01-02,1.5\n" for i in range(30_000)),
    "euro_numbers": "transaction_id;customer_id;date;amount\n" + "".join(
        f"{i};C{i % 97};{1 + i % 28:02d}-{1 + i % 12:02d}-2025;{i % 500},{i % 100:02d}\n" for i in range(30_000)),
    "three_decimals_only": "customer_id,date,amount\n" + "".join(
        f"C{i},2025-01-{1 + i % 28:02d},{i % 9}.{i % 1000:03d}\n" for i in range(30_000)),
    "timestamps_with_zones": "customer_id,date,amount\n" + "".join(
        f"C{i},2025-01-{1 + i % 28:02d}T{i % 24:02d}:00:00+01:00,1.5\n" for i in range(30_000)),
}
OPTIONS = [{}, {"decimal": ","}, {"date_format": "%d-%m-%Y"}, {"duplicates": "drop"}, {"future_dates": "exclude"},
           {"snapshot_date": "2025-06-01"}, {"refunds": "error"}, {"encoding": "UTF8"}, {"delimiter": ";"}]


def _read_both(path, table="transactions", **options):
    """(outcome with the Arrow reader, outcome without it, whether the Arrow reader took the file)."""
    outcomes, taken = [], []
    original = arrow_csv.arrow_frame

    def watched(*args, **kwargs):
        frame = original(*args, **kwargs)
        taken.append(frame is not None)
        return frame

    for reader in (watched, lambda *args, **kwargs: None):
        arrow_csv.arrow_frame = reader
        try:
            outcomes.append(("table", read_table(path, table, **options)))
        except SegtoolsError as err:
            outcomes.append(("error", str(err)))
        finally:
            arrow_csv.arrow_frame = original
    return outcomes[0], outcomes[1], any(taken)


def _assert_same(fast, slow):
    assert fast[0] == slow[0], (fast, slow)
    if fast[0] == "error":
        assert fast[1] == slow[1]
    else:
        pd.testing.assert_frame_equal(fast[1], slow[1], check_exact=True)
        assert fast[1].attrs == slow[1].attrs


@pytest.mark.parametrize("name", sorted(BIG))
def test_big_files_give_the_same_table_or_error_with_and_without_arrow(tmp_path, name):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(BIG[name].encode("utf-8"))
    fast, slow, taken = _read_both(path)
    _assert_same(fast, slow)
    odd = ("blank_line", "short_row", "long_row", "space", "missing_word_with_space", "nul")
    assert taken == (not name.startswith(odd)), f"the Arrow reader {'took' if taken else 'left'} {name}"


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "none")
@pytest.mark.parametrize("name", ["plain", "euro_numbers", "future_date_late", "quoted_break", "byte_order_mark"])
def test_file_options_give_the_same_table_or_error(tmp_path, name, options):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(BIG[name].encode("utf-8"))
    fast, slow, _ = _read_both(path, **options)
    _assert_same(fast, slow)


def test_line_numbers_after_a_quoted_break_far_into_a_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(BIG["quoted_break"].encode("utf-8"))
    fast, _, taken = _read_both(path)
    assert taken and "(lines: 30004; e.g. 'oops')" in fast[1]  # header, 30,000 rows, the record on two lines


def test_other_encodings_and_binary_starts_are_left_to_the_other_readers(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + ROWS + "30001,C1,2025-01-02,1.50,café,3\n").encode("cp1252"))
    fast, slow, taken = _read_both(latin)
    _assert_same(fast, slow)
    assert not taken and fast[1].attrs["source"]["encoding"] == "cp1252"
    assert arrow_csv.head_text(b"PK\x03\x04rest", None) is None
    assert arrow_csv.head_text(b"a,b\n1,2\n", "cp1252") is None and arrow_csv.head_text(b"a,b\n1,2\n", "UTF8")


CELLS = ["", '"', '""', "\n", "1e400", "inf", "€1.234", "2025-01-02", "03/04/2025", "9999-12-31", "yes", "C1",
         "2025-01-02T10:00+01:00", "12,50", "-3", "NaN", "x", "  y", "z ", "1.5", "7", "+5", "007", "True", "false",
         "NA", "None", "<NA>", "a b", "12:30", "2025-01-02 10:00:00", "1.234", "99999999999999999999", "é", "=1+2"]
PLAIN = ["C1", "C2", "2025-01-02", "2025-03-04", "12.50", "7", "1.5", "", "x", "yes", "no", "3"]
NAMES = ["customer_id", "date", "amount", "lead_id", "converted", "converted_at", "created_at", "transaction_id",
         "x", "", "page_views", "note", "signup_date", "name"]


@st.composite
def small_files(draw):
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    cell = st.one_of(st.sampled_from(PLAIN), st.sampled_from(CELLS), st.sampled_from(PLAIN).map(lambda c: f'"{c}"'))
    width = st.integers(len(header), len(header)) if draw(st.booleans()) else st.integers(0, len(header) + 1)
    rows = draw(st.lists(width.flatmap(lambda n: st.lists(cell, min_size=n, max_size=n)), min_size=1, max_size=8))
    text = "\n".join(delimiter.join(r) for r in [header, *rows]) + draw(st.sampled_from(["", "\n"]))
    return text.replace("\n", draw(st.sampled_from(["\n", "\r\n"]))).encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=small_files(), table=st.sampled_from(["customers", "transactions", "leads"]))
def test_small_files_give_the_same_table_or_error_with_and_without_arrow(tmp_path, raw, table):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(raw)
    fast, slow, _ = _read_both(path, table)
    _assert_same(fast, slow)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=csv_bytes(), table=st.sampled_from(["customers", "transactions", "leads"]))
def test_hostile_bytes_give_the_same_table_or_error_with_and_without_arrow(tmp_path, raw, table):
    path = tmp_path / "fuzz.csv"  # any bytes, any encoding (the hostile-file tests' generator)
    path.write_bytes(raw)
    fast, slow, _ = _read_both(path, table)
    _assert_same(fast, slow)


def test_text_ids_are_coded_by_arrow_not_one_python_object_each(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes((HEADER + ROWS).encode("utf-8"))

    def refuse(*args, **kwargs):
        raise AssertionError("pandas.factorize was called: a Python-level pass over text")

    monkeypatch.setattr(pd, "factorize", refuse)
    out = read_table(path, "transactions")
    assert str(out["customer_id"].dtype) == "str" and out["customer_id"].dtype.storage == "pyarrow"
    assert out["date"].dtype == "datetime64[ns]" and out["amount"].dtype == "float64" and len(out) == 30_000


# --- the column-wise helpers ------------------------------------------------------------------


def test_codes_take_and_count_as_pandas_factorize_does():
    rng = random.Random(4)
    values = [rng.choice(["a", "b", "c", None, "d", "é"]) for _ in range(5000)]
    for s in (pd.Series(values, dtype="str"), pd.Series(values, dtype=object)):
        coded = Codes(s)
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        assert list(coded.uniques) == list(uniques)
        weights = np.arange(len(uniques), dtype="float64") * 1.5
        expected = np.concatenate([weights, [np.nan]])[codes]
        np.testing.assert_array_equal(coded.take(weights, np.nan), expected)
        days = np.arange(len(uniques)).astype("datetime64[D]").astype("datetime64[ns]")
        np.testing.assert_array_equal(coded.take(days, np.datetime64("NaT")),
                                      np.concatenate([days, [np.datetime64("NaT", "ns")]])[codes])
        assert coded.counts().tolist() == np.bincount(codes[codes >= 0], minlength=len(uniques)).tolist()


def test_strip_is_pandas_strip_and_leaves_clean_columns_alone():
    rng = random.Random(5)
    words = ["C1", " C2", "C3 ", "\tC4", "C5\n", "", "é ", "\u00a0C6", "C\u20037", "x y"]
    for n in (1, 10, 1000):
        values = [rng.choice(words) if rng.random() > 0.1 else None for _ in range(n)]
        s = pd.Series(values, dtype="str").iloc[n // 3:]
        pd.testing.assert_series_equal(strip(s), s.str.strip())
    clean = pd.Series(["C1", "C2", None, ""], dtype="str")
    assert strip(clean) is clean


def test_plain_numbers_read_as_the_full_reading_does():
    from segtools.data.parsing import parse_numbers

    rng = random.Random(6)
    for decimal in (None, ".", ","):
        for _ in range(200):
            values = [rng.choice(["12.50", "-3", "7", "+1.5", "1.234", "0.125", "99", "1,5", "1e5", " 4", "", None,
                                  "10.0", "5.", ".5", "1.2.3"]) for _ in range(rng.randint(1, 6))]
            s = pd.Series(values, dtype=rng.choice(["str", object]))
            fast = plain_numbers(s, decimal)
            if fast is not None:
                issues = {}
                pd.testing.assert_series_equal(fast, parse_numbers(s.astype(object), decimal, issues), check_names=False)
                assert not issues, (values, decimal)


def _validated(frame, table):
    from segtools.data.contracts import validate

    try:
        return "table", validate(frame, table)
    except SegtoolsError as err:
        return "error", str(err)


@pytest.mark.parametrize("world", ["retail", "startup", "consulting", "agency"])
def test_skipping_pandera_on_a_table_that_passes_it_changes_nothing(world, monkeypatch):
    from segtools.data import contracts, make_case

    case = make_case(world, n_customers=60, random_state=2)
    for table in ("customers", "transactions", "leads"):
        frame = case.tables[table]
        ids = frame.iloc[:, 0]
        variants = {"as made": frame, "missing id": frame.assign(**{ids.name: ids.where(frame.index != 3)}),
                    "repeated id": frame.assign(**{ids.name: ids.where(frame.index != 3, ids.iloc[0])}),
                    "empty text": frame.assign(**{ids.name: ids.where(frame.index != 5, "")})}
        for variant in variants.values():
            quick = _validated(variant, table)
            with monkeypatch.context() as always:
                always.setattr(contracts, "_schema_may_fail", lambda *args: True)
                full = _validated(variant, table)
            _assert_same(quick, full)
