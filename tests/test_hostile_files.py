"""Hostile files: every class of broken export gives one clear segtools error (file, column, problem,
count, line numbers), or is read correctly. Each test writes its own small files."""

import codecs
import io
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segtools.data.contracts import validate, validate_links
from segtools.data.io import load_mapping, read_table
from segtools.errors import SegtoolsError, ValidationError

TX = "customer_id,date,amount\n"


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def refused(path, table="transactions", mapping=None, **options):
    with pytest.raises(ValidationError) as info:
        read_table(path, table, mapping, **options)
    return str(info.value)


def mapping_error(tmp_path, text, name="m.yml"):
    with pytest.raises(ValidationError) as info:
        load_mapping(write(tmp_path, name, text))
    assert f"mapping file {name}" in str(info.value)
    return str(info.value)


# --- 1. dates ----------------------------------------------------------------------------

def test_dates_outside_pandas_range_are_refused_with_lines(tmp_path):
    path = write(tmp_path, "t.csv", TX + "C1,2025-01-02,1\nC2,1600-05-01,2\nC3,9999-12-31,3\n")
    text = refused(path)
    assert "file t.csv" in text and "column 'date': 2 rows with a date outside 1677-09-22 .. 2262-04-11" in text
    assert "lines: 3, 4" in text


def test_mixed_time_zone_offsets_become_utc(tmp_path):
    path = write(tmp_path, "t.csv", TX + "C1,2025-01-02T10:00:00+01:00,1\nC2,2025-07-02T10:00:00+02:00,2\n"
                 "C3,2025-07-02T08:00:00Z,3\n")
    out = read_table(path, "transactions")
    assert out["date"].dt.strftime("%H:%M").tolist() == ["09:00", "08:00", "08:00"]
    assert out["date"].dt.tz is None
    mixed = write(tmp_path, "m.csv", TX + "C1,2025-01-02T10:00:00+01:00,1\nC2,2025-07-02 10:00,2\n")
    assert "date without a time-zone offset while other dates have one (" in refused(mixed)
    assert "lines: 3" in refused(mixed)


def test_timezone_aware_parquet_and_frames(tmp_path):
    frame = pd.DataFrame({"customer_id": ["C1", "C2"], "amount": [1.0, 2.0],
                          "date": pd.to_datetime(["2025-01-02 10:00", "2025-07-02 10:00"]).tz_localize("Europe/Amsterdam")})
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    out = read_table(path, "transactions")
    assert str(out["date"].dtype) == "datetime64[ns]" and out["date"].dt.hour.tolist() == [9, 8]
    assert validate(frame, "transactions")["date"].dt.hour.tolist() == [9, 8]  # the API as well
    old = pd.DataFrame({"customer_id": ["C1"], "amount": [1.0], "date": pd.to_datetime(["1500-01-01"]).as_unit("s")})
    assert "date outside" in str(pytest.raises(ValidationError, validate, old, "transactions").value)


def test_invalid_date_format_names_the_mapping_and_format(tmp_path):
    text = mapping_error(tmp_path, "tables:\n  transactions:\n    file_options: {date_format: 'dd-mm-yyyy'}\n")
    assert "tables.transactions.file_options.date_format" in text and "'%d-%m-%Y'" in text
    assert "unknown directive(s) %Q" in mapping_error(tmp_path, "transactions:\n  date_format: '%d-%Q-%Y'\n")
    path = write(tmp_path, "t.csv", TX + "C1,2025-01-02,1\n")
    assert "date_format 'dd/mm'" in refused(path, date_format="dd/mm")


def test_ambiguous_date_message_quotes_an_ambiguous_value(tmp_path):
    path = write(tmp_path, "t.csv", TX + "C1,2025-01-02,1\nC2,03/04/2025,2\nC3,05/06/2025,3\n")
    text = refused(path)
    assert "2 rows with a date that reads both day-first and month-first" in text
    assert "e.g. '03/04/2025'" in text and "lines: 3, 4" in text and "2025-01-02" not in text


# --- 2. numbers --------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "1e400", "-1E999"])
def test_infinite_amounts_are_refused(tmp_path, value):
    text = refused(write(tmp_path, "t.csv", TX + f"C1,2025-01-02,1\nC2,2025-01-03,{value}\n"))
    assert "column 'amount': 1 row with a number that is infinite or too large (lines: 3" in text


def test_amounts_whose_sum_overflows_are_refused(tmp_path):
    same = write(tmp_path, "t.csv", TX + "C1,2025-01-02,1e308\nC1,2025-01-03,1e308\nC2,2025-01-03,5\n")
    text = refused(same)
    assert "column 'amount': 2 rows with an amount so large that sums overflow" in text
    assert "lines: 2, 3" in text
    total = write(tmp_path, "u.csv", TX + "C1,2025-01-02,1.5e308\nC2,2025-01-03,1.5e308\nC3,2025-01-03,5\n")
    assert "sums overflow" in refused(total) and "lines: 2, 3;" in refused(total)


@pytest.mark.parametrize("value", ["€1.234", "1.234", "€1,234", "1,234 €"])
def test_thousands_or_decimals_is_refused_without_decimal(tmp_path, value):
    path = write(tmp_path, "t.csv", f"customer_id;date;amount\nC1;2025-01-02;{value}\nC2;2025-01-03;7\n")
    text = refused(path)
    assert "number that could be thousands or decimals (give decimal" in text and repr(value) in text
    assert "lines: 2" in text
    assert read_table(path, "transactions", decimal=",")["amount"].tolist()[0] in (1234.0, 1.234)


def test_decimal_marks_the_column_shows_are_read(tmp_path):
    path = write(tmp_path, "t.csv", "customer_id;date;amount\nC1;2025-01-02;12.50\nC2;2025-01-03;1,234.50\n"
                 "C3;2025-01-04;1.234\n")
    assert read_table(path, "transactions")["amount"].tolist() == [12.5, 1234.5, 1.234]
    euro = write(tmp_path, "e.csv", "customer_id;date;amount\nC1;2025-01-02;12,50\nC2;2025-01-03;1.234,50\n")
    assert read_table(euro, "transactions")["amount"].tolist() == [12.5, 1234.5]
    priced = write(tmp_path, "p.csv", "customer_id;date;amount\nC1;2025-01-02;€12.50\nC2;2025-01-03;€1.234\n")
    assert "e.g. '€1.234'" in refused(priced)  # a currency amount with three decimals is too unlikely to guess


# --- 3. header and rows ------------------------------------------------------------------

def test_duplicated_header_names_column_and_positions(tmp_path):
    text = refused(write(tmp_path, "t.csv", "customer_id,amount,date,amount\nC1,1,2025-01-02,2\n"))
    assert "'amount' is column 2 (B) and 4 (D)" in text and "file t.csv" in text
    frame = pd.DataFrame({"customer_id": ["C1"], "date": ["2025-01-02"], "amount": [1.0], "amount.1": [2.0]})
    assert "pandas renamed the second 'amount.1'" in str(pytest.raises(ValidationError, validate, frame,
                                                                         "transactions").value)


def test_exact_duplicate_transactions_error_drop_keep(tmp_path):
    path = write(tmp_path, "t.csv", TX + "C1,2025-01-02,5\nC2,2025-01-02,5\nC1,2025-01-02,5.00\nC1,2025-01-02,5\n")
    text = refused(path)
    assert "column '(all columns)': 2 rows with an exact copy of an earlier row (earlier copies on lines: 2" in text
    assert "lines: 4, 5" in text and "duplicates: keep or drop" in text
    dropped = read_table(path, "transactions", duplicates="drop")
    assert len(dropped) == 2 and dropped.attrs["excluded"] == {"rows repeating an earlier row exactly "
                                                               "(duplicates: drop)": 2}
    assert len(read_table(path, "transactions", duplicates="keep")) == 4
    with_ids = write(tmp_path, "i.csv", "transaction_id," + TX + "1,C1,2025-01-02,5\n2,C1,2025-01-02,5\n")
    assert len(read_table(with_ids, "transactions")) == 2
    mapping = load_mapping(write(tmp_path, "m.yml", "transactions:\n  duplicates: drop\n"))
    assert len(read_table(path, "transactions", mapping["transactions"])) == 2


def test_lead_outcomes_that_contradict_each_other(tmp_path):
    path = write(tmp_path, "l.csv", "lead_id,converted,converted_at,customer_id\nL1,yes,2025-01-02,C1\n"
                 "L2,Yes,2025-01-03,\nL3,no,2025-01-04,\nL4,NO,,\n")
    text = refused(path, "leads")
    assert "column 'customer_id': 1 row with a converted lead without a customer_id (lines: 3)" in text
    assert "1 row with a conversion date on a lead marked not converted (lines: 4" in text


def test_yes_no_words_in_any_case_and_clear_error_for_others(tmp_path):
    words = ["Yes", "NO", "y", "N", "true", "FALSE", "1", "0", "Ja", "nee"]
    path = write(tmp_path, "l.csv", "lead_id,converted\n" + "".join(f"L{i},{w}\n" for i, w in enumerate(words)))
    assert read_table(path, "leads")["converted"].tolist() == [True, False] * 5
    bad = write(tmp_path, "b.csv", "lead_id,converted\nL1,yes\nL2,maybe\nL3,won't say\n")
    text = refused(bad, "leads")
    assert "column 'converted': 2 rows with a value that is not yes/no" in text and "lines: 3, 4" in text


# --- 4. encodings and binary files -------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path, codec):
    path = write(tmp_path, "t.csv", (TX + "C1,2025-01-02,10\nC2,2025-01-03,3\n").encode(codec))
    out = read_table(path, "transactions")
    assert out["amount"].tolist() == [10.0, 3.0] and out.attrs["source"]["encoding"] == codec


def test_odd_utf16_without_bom_is_named(tmp_path):
    raw = (TX + "C1,2025-01-02,10\n").encode("utf-16-le") + b"\x00"  # a cut-off last byte
    assert "UTF-16 without byte-order mark" in refused(write(tmp_path, "t.csv", raw))


def test_binary_files_given_as_csv(tmp_path):
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert "not a text CSV file (looks like an XLSX workbook" in refused(write(tmp_path, "a.csv", book.getvalue()))
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("data.csv", TX)
    assert "looks like a ZIP archive" in refused(write(tmp_path, "b.csv", plain.getvalue()))
    parquet = tmp_path / "c.parquet"
    pd.DataFrame({"customer_id": ["C1"]}).to_parquet(parquet)
    assert "looks like a Parquet file" in refused(write(tmp_path, "c.csv", parquet.read_bytes()))
    assert "not a text CSV file" in refused(write(tmp_path, "d.csv", bytes(range(256)) * 4))


def test_corrupt_parquet_names_the_file(tmp_path):
    assert "file broken.parquet is not a readable Parquet file" in refused(
        write(tmp_path, "broken.parquet", b"PAR1 this is not really parquet PAR1"))
    indexed = tmp_path / "i.parquet"
    pd.DataFrame({"customer_id": ["C1", "C2"], "date": ["2025-01-02"] * 2, "amount": [1.0, 2.0]}).set_index(
        "customer_id").to_parquet(indexed)
    assert read_table(indexed, "transactions")["customer_id"].tolist() == ["C1", "C2"]  # a named index is data


# --- 5. line numbers ---------------------------------------------------------------------

def test_line_numbers_after_a_quoted_cell_on_two_lines(tmp_path):
    path = write(tmp_path, "t.csv", "customer_id,date,amount,note\r\nC1,2025-01-02,1,\"two\r\nlines\"\r\n\r\n"
                 "C2,2025-01-03,oops,x\r\n")
    assert "(lines: 5; e.g. 'oops')" in refused(path)
    unclosed = write(tmp_path, "u.csv", TX + "C1,2025-01-02,1\nC2,\"2025-01-03,2\nC3,2025-01-04,3\n")
    assert "line 3: a quoted cell opened here is never closed" in refused(unclosed)
    long = write(tmp_path, "l.csv", TX + "C1,2025-01-02,1\nC2,2025-01-03,1,50\n")
    assert "1 row with more cells than the 3 columns of the header on line 1 (lines: 3)" in refused(long)


def test_validate_links_names_file_and_lines(tmp_path):
    customers = read_table(write(tmp_path, "klanten.csv", "customer_id\nC1\nC2\n"), "customers")
    tx = read_table(write(tmp_path, "tx.csv", TX + "C1,2025-01-02,1\nC1,\"2025-01-03\",\"1\n\"\nC9,2025-01-04,2\n"
                          "C8,2025-01-05,2\n"), "transactions")
    with pytest.raises(ValidationError) as info:
        validate_links({"customers": customers, "transactions": tx})
    text = str(info.value)
    assert text.startswith("file tx.csv: table 'transactions'")
    assert "2 rows with a customer not in the customers table (klanten.csv) (lines: 5, 6; e.g. 'C9')" in text


# --- 6. mapping files --------------------------------------------------------------------

def test_yaml_aliases_and_big_files_are_refused_before_parsing(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
    assert "anchors and aliases" in mapping_error(tmp_path, bomb)
    assert "is over 64 KB" in mapping_error(tmp_path, "# " + "x" * 70000 + "\ntransactions: {}\n")


@pytest.mark.parametrize("text, expected", [
    ("- transactions\n", "the top level must be 'tables:'"),
    ("tables:\n  transactions: 'Klant: customer_id'\n", "'tables.transactions' must be a mapping"),
    ("tables:\n  transactions: [a, b]\n", "'tables.transactions' must be a mapping with 'columns:'"),
    ("tables:\n  transactions:\n    columns: [Klant, Datum]\n", "'tables.transactions.columns' must map"),
    ("tables:\n  transactions:\n    colums: {Klant: customer_id}\n",
     "unknown key 'tables.transactions.colums' (did you mean 'columns'?)"),
    ("tables:\n  transaction:\n    columns: {Klant: customer_id}\n", "did you mean 'transactions'?"),
    ("tabels:\n  transactions: {}\n", "unknown table 'tabels' (did you mean 'tables'?)"),
    ("tables:\n  leads:\n    file_options: {decimal: ';'}\n", "'tables.leads.file_options.decimal' must be one of"),
    ("tables:\n  leads:\n    duplicates: sometimes\n", "'tables.leads.file_options.duplicates' must be one of"),
    ("tables:\n  leads:\n    post_outcome: Status\n", "'tables.leads.post_outcome' must be a list"),
    ("tables:\n  leads: {}\n  leads: {}\n", "the key 'leads' appears twice"),
])
def test_mapping_shape_errors_name_file_and_key(tmp_path, text, expected):
    assert expected in mapping_error(tmp_path, text)


def test_binary_and_latin1_mapping_files(tmp_path):
    assert "not a text file" in mapping_error(tmp_path, b"\x00\x01PK binary")
    latin = "tables:\n  customers:\n    columns: {Klantnummer: customer_id, Naam: name, Straße: street}\n"
    assert "not UTF-8 text" in mapping_error(tmp_path, latin.encode("latin-1"))


def test_post_outcome_is_carried_and_yes_no_column_names_stay_text(tmp_path):
    mapping = load_mapping(write(tmp_path, "m.yml", "tables:\n  leads:\n    columns: {No: lead_id, Won: converted}\n"
                                 "    post_outcome: [Status, ' Lost reason ']\n    delimiter: tab\n"))
    assert mapping["leads"] == {"columns": {"No": "lead_id", "Won": "converted"}, "delimiter": "\t",
                                "post_outcome": ["Status", "Lost reason"]}
    path = write(tmp_path, "l.tsv", "No\tWon\tStatus\nL1\tyes\twon\n")
    assert read_table(path, "leads", mapping["leads"])["converted"].tolist() == [True]


# --- 7. fuzz -----------------------------------------------------------------------------

CELLS = st.one_of(st.text(max_size=8), st.sampled_from(["", '"', '""', "\x00", "\n", "\r\n", "1e400", "inf", "€1.234",
                                                        "2025-01-02", "03/04/2025", "9999-12-31", "yes", "C1",
                                                        "2025-01-02T10:00+01:00", "12,50", "-3", "NaN", "Unnamed"]))


@st.composite
def csv_bytes(draw):
    if draw(st.booleans()):
        return draw(st.binary(max_size=300))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", " "]))
    header = draw(st.lists(st.sampled_from(["customer_id", "date", "amount", "lead_id", "converted", "converted_at",
                                            "created_at", "transaction_id", "amount", "x", ""]), min_size=1, max_size=5))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=6))
    text = "\n".join(delimiter.join(r) for r in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]))
    return codecs.encode(text, encoding, errors="replace") if encoding != "cp1252" else text.encode(encoding, "replace")


@settings(max_examples=int(__import__("os").environ.get("FUZZ_N", 100)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=csv_bytes(), table=st.sampled_from(["customers", "transactions", "leads"]))
def test_fuzz_any_bytes_give_a_frame_or_a_segtools_error(tmp_path, raw, table):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(raw)
    try:
        out = read_table(path, table)
    except SegtoolsError:
        return
    assert isinstance(out, pd.DataFrame) and len(out) > 0


# --- 8. dates after the analysis date (the analysis date never comes from an outlier) -----

def _tx_rows(n=30, start="2025-01-01"):
    days = pd.date_range(start, periods=n, freq="7D")
    return "".join(f"C{i % 5},{d:%Y-%m-%d},{10 + i}\n" for i, d in enumerate(days))


def test_one_payment_dated_2099_is_refused_naming_column_and_line(tmp_path):
    path = write(tmp_path, "t.csv", TX + _tx_rows(30) + "C1,2099-01-01,5\n")
    text = refused(path)
    assert "file t.csv" in text and "column 'date': 1 row with a date far after the column's other dates" in text
    assert "lines: 32" in text and "e.g. '2099-01-01'" in text and "future_dates: exclude" in text


def test_future_dates_exclude_leaves_them_out_counted_and_the_date_comes_from_the_rest(tmp_path):
    from segtools.reporting.inputs import analysis_date, prepare_inputs

    path = write(tmp_path, "t.csv", TX + _tx_rows(30) + "C1,2099-01-01,5\nC2,2099-02-01,5\n")
    out = read_table(path, "transactions", future_dates="exclude")
    assert len(out) == 30 and list(out.attrs["excluded"].values()) == [2]
    assert out.attrs["lines"]["runs"] == ((0, 2),)
    last = out["date"].max()
    assert analysis_date({"transactions": out}) == last + pd.Timedelta(days=1)
    mapping = write(tmp_path, "m.yml", "transactions:\n  future_dates: exclude\n")
    inputs = prepare_inputs(transactions=path, mapping=mapping)
    assert inputs.snapshot_date == last + pd.Timedelta(days=1) and inputs.snapshot_date.year == 2025


def test_one_lead_dated_2099_is_refused(tmp_path):
    rows = "".join(f"L{i},2025-{1 + i % 12:02d}-{1 + i % 28:02d},{i % 7}\n" for i in range(40))
    path = write(tmp_path, "l.csv", "lead_id,created_at,page_views\n" + rows + "L99,2099-12-31,3\n")
    text = refused(path, "leads")
    assert "column 'created_at': 1 row with a date far after" in text and "lines: 42" in text


def test_a_steady_stream_of_recent_rows_and_tiny_files_are_not_outliers(tmp_path):
    from segtools.data.checks import late_dates

    recent = pd.Series(pd.date_range("2020-01-01", "2025-12-31", freq="D"))
    assert not late_dates(recent).any()
    assert not late_dates(pd.Series(pd.to_datetime(["2024-01-01", "2025-06-01"]))).any()  # two rows: cannot tell
    grown = pd.Series(pd.to_datetime(["2025-01-01"] * 500 + ["2025-12-30"] * 5))
    assert not late_dates(grown).any()  # less than a year later: the business just went on


def test_rows_after_a_given_snapshot_date_are_refused_or_excluded(tmp_path):
    from segtools.reporting.inputs import prepare_inputs

    path = write(tmp_path, "t.csv", TX + _tx_rows(30))
    with pytest.raises(ValidationError) as info:
        prepare_inputs(transactions=path, snapshot_date="2025-06-01")
    text = str(info.value)
    assert "file t.csv" in text and "date after the analysis date 2025-06-01" in text and "lines: 24, 25" in text
    mapping = write(tmp_path, "m.yml", "transactions:\n  future_dates: exclude\n")
    inputs = prepare_inputs(transactions=path, mapping=mapping, snapshot_date="2025-06-01")
    assert inputs.tables["transactions"]["date"].max() <= pd.Timestamp("2025-06-01")
    assert sum(inputs.tables["transactions"].attrs["excluded"].values()) == 30 - 22
    tables = {"transactions": pd.DataFrame({"customer_id": ["a", "b"], "date": ["2025-01-02", "2025-07-01"],
                                            "amount": [1.0, 2.0]})}
    with pytest.raises(ValidationError, match=r"date after the analysis date 2025-06-01:.*rows: 1"):
        prepare_inputs(tables, snapshot_date="2025-06-01")


def _late_by_sorting(dates):
    """The bulk rule of late_dates written out on the fully sorted dates, to check the quicker selection against."""
    import numpy as np

    values = np.sort(dates.dropna().to_numpy(dtype="datetime64[ns]").view("int64"))
    n, year = len(values), 365 * 86_400 * 10**9
    tail = max(n // 100, min(5, (n - 1) // 2))
    if tail < 1:
        return np.zeros(len(dates), dtype=bool)
    k = np.arange(1, tail + 1)
    late = k[(values[n - k] - values[n - k - 1]) > np.maximum(year, 3 * (values[n - k - 1] - values[n // 100]))]
    if not len(late):
        return np.zeros(len(dates), dtype=bool)
    return (dates.to_numpy(dtype="datetime64[ns]").view("int64") >= values[n - late.max()]) & dates.notna().to_numpy()


@settings(max_examples=200, deadline=None)
@given(n=st.sampled_from([1, 2, 3, 6, 50, 101, 999, 5000, 40_000]), late=st.integers(0, 600), seed=st.integers(0, 99),
       ordered=st.booleans(), missing=st.booleans())
def test_late_dates_match_the_rule_on_fully_sorted_dates(n, late, seed, ordered, missing):
    import numpy as np

    from segtools.data.checks import late_dates

    rng = np.random.default_rng(seed)
    days = rng.integers(0, 4 * 365, n) + (rng.integers(0, 3, n) * 365 * 40) * (rng.random(n) < late / 10_000)
    days = np.sort(days) if ordered else days
    dates = pd.Series(np.datetime64("2021-01-01", "ns") + days.astype("timedelta64[D]"))
    if missing:
        dates[rng.random(n) < 0.05] = pd.NaT
    assert np.array_equal(np.asarray(late_dates(dates), dtype=bool), _late_by_sorting(dates))


def test_mapping_future_dates_value_is_checked(tmp_path):
    assert "'tables.transactions.file_options.future_dates' must be one of" in mapping_error(
        tmp_path, "tables:\n  transactions:\n    future_dates: ignore\n")


# --- 9. columns the scoring uses are typed ------------------------------------------------

def test_text_in_page_views_is_refused_with_lines(tmp_path):
    path = write(tmp_path, "l.csv", "lead_id,page_views,email_opens,trial_started\nL1,3,1,yes\nL2,many,2,no\n"
                 "L3,-4,1,\nL4,2,1,perhaps\n")
    text = refused(path, "leads")
    assert "column 'page_views': 1 row with a value that is not a number (lines: 3; e.g. 'many')" in text
    assert "column 'page_views': 1 row with a negative count" in text and "lines: 4" in text
    assert "column 'trial_started': 1 row with a value that is not yes/no" in text and "lines: 5" in text


def test_signal_columns_are_typed(tmp_path):
    path = write(tmp_path, "l.csv", "lead_id,page_views,pricing_page_views,trial_started,demo_requested\n"
                 "L1,3,0,1,ja\nL2,2,1,0,\n")
    out = read_table(path, "leads")
    assert out["page_views"].dtype == "int64" and out["trial_started"].tolist() == [True, False]
    assert out["demo_requested"].tolist()[0] is True and pd.isna(out["demo_requested"].tolist()[1])


def test_a_points_table_comparing_a_text_column_with_a_number_is_refused_before_the_kernel(tmp_path):
    from segtools.reporting.inputs import prepare_inputs

    leads = write(tmp_path, "l.csv", "lead_id,created_at,page_views,visits\nL1,2025-01-02,3,4\n"
                  "L2,2025-01-03,2,lots\nL3,2025-01-04,2,5\n")
    points = write(tmp_path, "points.csv", "score,group,column,op,value,points,cap\n"
                   "engagement,web,visits,>=,3,10,\n")
    with pytest.raises(ValidationError) as info:
        prepare_inputs(leads=leads, points=str(points))
    text = str(info.value)
    assert "file l.csv" in text and "column 'visits'" in text and "compares the column with >= 3" in text
    assert "lines: 3" in text and "e.g. 'lots'" in text


# --- 10. validate <=> report: what validate accepts, build_report runs ---------------------

ACCEPTED = {
    "quoted_note.csv": TX[:-1] + ",note\n" + 'C1,2025-01-02,10,"two\nlines"\nC2,2025-02-03,5,x\nC1,2025-03-04,-10,\n',
    "refund_only.csv": TX + "C1,2025-01-02,-10\nC2,2025-02-03,5\nC3,2025-02-03,7\n",
    "one_day.csv": TX + "C1,2025-01-02,10\nC2,2025-01-02,5\n",
    "one_row.csv": TX + "C1,2025-01-02,10\n",
    "huge.csv": TX + "C1,2025-01-02,1e300\nC2,2025-01-03,1e300\nC3,2025-02-03,1\n",
    "zoned.csv": TX + "C1,2025-01-02T23:30:00-05:00,10\nC2,2025-01-03T01:00:00+01:00,5\n",
    "zero.csv": TX + "C1,2025-01-02,0\nC2,2025-01-03,0\n",
}
LEADS = {
    "plain_leads.csv": "lead_id,created_at,page_views,email_opens,email_clicks\nL1,2025-01-02,3,1,0\n"
                       "L2,2025-01-03,0,0,0\n",
    "blank_signals.csv": "lead_id,created_at,page_views,trial_started,converted\nL1,2025-01-02,,,no\n"
                         "L2,2025-01-03,2.5,yes,no\n",
    "no_signals.csv": "lead_id,created_at\nL1,2025-01-02\n",
    "one_lead.csv": "lead_id,page_views\nL1,4\n",
}


@pytest.mark.parametrize("name", [*ACCEPTED, *LEADS])
def test_files_validate_accepts_never_fail_inside_build_report(tmp_path, name):
    from segtools.reporting import build_report

    table = "transactions" if name in ACCEPTED else "leads"
    path = write(tmp_path, name, ACCEPTED.get(name) or LEADS[name])
    read_table(path, table)  # validate accepts it
    try:
        build_report(**{table: path}, sections=("customers",) if table == "transactions" else ("leads",),
                     n_segments=2, capacity=5, out=tmp_path / "out")
    except SegtoolsError:
        pass  # a clear segtools error (e.g. no signal column to score): allowed, never a crash


# --- 11. exit codes and messages of the command ---------------------------------------------

BAD = {
    "date": ("transactions", TX + "C1,someday,1\nC2,2025-01-03,2\n", ["column 'date'", "lines: 2"]),
    "number": ("transactions", TX + "C1,2025-01-02,ten\n", ["column 'amount'", "lines: 2"]),
    "future": ("transactions", TX + _tx_rows(20) + "C1,2099-01-01,1\n", ["column 'date'", "lines: 22"]),
    "ragged": ("transactions", TX + "C1,2025-01-02,1,9\n", ["more cells", "lines: 2"]),
    "page_views": ("leads", "lead_id,page_views\nL1,3\nL2,x\n", ["column 'page_views'", "lines: 3"]),
    "header": ("transactions", "customer_id,date,date,amount\nC1,2025-01-02,2025-01-02,1\n", ["'date' is column 2"]),
    "binary": ("transactions", b"PK\x03\x04rest", ["not a text CSV file"]),
}


@pytest.mark.parametrize("kind", BAD)
def test_validate_exits_1_and_report_exits_2_naming_file_column_and_lines(tmp_path, capsys, kind):
    from segtools.cli import main

    table, content, expected = BAD[kind]
    path = write(tmp_path, f"{kind}.csv", content)
    assert main(["validate", "--table", table, str(path)]) == 1
    checked = capsys.readouterr()
    assert f"{kind}.csv" in checked.out and all(e in checked.out for e in expected)
    status = main(["report", f"--{table}", str(path), "--out", str(tmp_path / "out")])
    failed = capsys.readouterr()
    assert status == 2 and f"{kind}.csv" in failed.err and all(e in failed.err for e in expected)
    for stream in (checked.out + checked.err, failed.out + failed.err):
        assert "Traceback" not in stream and "unexpected" not in stream
    assert not (tmp_path / "out").exists()


def test_validate_exits_0_on_a_good_file_and_2_on_a_bad_mapping(tmp_path, capsys):
    from segtools.cli import main

    path = write(tmp_path, "t.csv", TX + "C1,2025-01-02,1\n")
    assert main(["validate", "--table", "transactions", str(path)]) == 0
    assert "is a valid transactions table: 1 rows" in capsys.readouterr().out
    bad = write(tmp_path, "m.yml", "tables:\n  transactions:\n    future_dates: maybe\n")
    status = main(["report", "--transactions", str(path), "--mapping", str(bad), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2 and "mapping file m.yml" in err and "future_dates" in err and "Traceback" not in err


def test_a_run_that_fails_in_the_kernel_exits_1(tmp_path, capsys, monkeypatch):
    import papermill as pm

    from segtools.cli import main

    def fail(*args, **kwargs):
        raise pm.PapermillExecutionError(0, 3, "boom", "ValueError", "boom", [])

    monkeypatch.setattr(pm, "execute_notebook", fail)
    path = write(tmp_path, "t.csv", TX + "C1,2025-01-02,1\nC2,2025-01-03,2\n")
    assert main(["report", "--transactions", str(path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "stopped at cell 3" in err and "Traceback" not in err


# --- 12. the same inputs give the same bytes ------------------------------------------------

def test_two_build_report_runs_write_identical_csv_and_json(tmp_path):
    from segtools.reporting import build_report

    tx = write(tmp_path, "t.csv", TX + _tx_rows(60))
    leads = write(tmp_path, "l.csv", "lead_id,created_at,page_views,email_opens,email_clicks\n"
                  + "".join(f"L{i},2025-{1 + i % 12:02d}-{1 + i % 27:02d},{i % 11},{i % 5},{i % 2}\n" for i in range(50)))
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        build_report(transactions=tx, leads=leads, n_segments=2, capacity=5, out=out)
    names = sorted(p.name for p in outs[0].iterdir())
    assert names == ["customer_segments.csv", "lead_priorities.csv", "summary.json"]
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_a_late_date_the_other_date_columns_reach_is_kept_and_a_typo_beyond_them_refused(tmp_path):
    # a small lead export: three conversions, the last more than a year after the two before it, yet days
    # after the newest lead was created (a real late win, not a typo); 2099 is beyond every column
    created = [f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(40)] + ["2025-12-10", "2025-12-20"]
    converted = {5: "2024-06-19", 8: "2024-09-19", 40: "2025-12-13"}
    rows = "".join(f"L{i},{c},{'1' if i in converted else '0'},{converted.get(i, '')}\n" for i, c in enumerate(created))
    head = "lead_id,created_at,converted,converted_at\n"
    leads = read_table(write(tmp_path, "ok.csv", head + rows), "leads")
    assert leads["converted_at"].max() == pd.Timestamp("2025-12-13")
    text = refused(write(tmp_path, "typo.csv", head + rows.replace("2025-12-13", "2099-12-13")), "leads")
    assert "column 'converted_at': 1 row with a date far after" in text and "lines: 42" in text
    # a typo in another column does not stretch the reach: both are refused
    both = rows.replace("2025-12-13", "2031-01-01").replace("L41,2025-12-20", "L41,2099-01-01")
    text = refused(write(tmp_path, "both.csv", head + both), "leads")
    assert "column 'created_at': 1 row with a date far after" in text
    assert "column 'converted_at': 1 row with a date far after" in text
