"""Data contracts: every bad input gets one clear segtools error naming table, column and rows."""

import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segtools.errors import SegtoolsError, ValidationError
from segtools.data.io import load_mapping, read_table
from segtools.data.contracts import map_columns, validate, validate_links


def tx(**overrides):
    base = {"customer_id": ["C1", "C2", "C3"], "date": ["2025-01-02", "2025-02-03", "2025-03-04"],
            "amount": [10.0, 20.0, 30.0]}
    base.update(overrides)
    return pd.DataFrame(base)


def problems_of(df, table, **kwargs):
    with pytest.raises(ValidationError) as info:
        validate(df, table, **kwargs)
    err = info.value
    assert isinstance(err, SegtoolsError) and err.table == table and f"table {table!r}" in str(err)
    return err


def test_valid_table_is_typed_and_input_untouched():
    raw = tx()
    before = raw.copy()
    out = validate(raw, "transactions")
    pd.testing.assert_frame_equal(raw, before)
    assert str(out["date"].dtype) == "datetime64[ns]" and out["amount"].dtype == "float64"


def test_missing_column_names_column_and_what_is_there():
    err = problems_of(tx().drop(columns="amount"), "transactions")
    assert "column 'amount': column missing" in str(err) and "customer_id" in str(err)


def test_wrong_type_counts_rows():
    err = problems_of(tx(amount=["10", "ten", "n/a"]), "transactions")
    assert "column 'amount': 2 rows with a value that is not a number (rows: 1, 2" in str(err)


def test_unparseable_date_is_reported_once():
    err = problems_of(tx(date=["2025-01-02", "32/13/2025", "yesterday"]), "transactions")
    assert "column 'date': 2 rows with a value that is not a date" in str(err)
    assert len(err.problems) == 1


def test_day_first_and_explicit_formats_parse():
    assert validate(tx(date=["31-12-2025", "01-02-2025", "15-03-2025"]), "transactions")["date"].dt.month.tolist() == [12, 2, 3]
    out = validate(tx(date=["12/31/2025", "01/02/2025", "03/15/2025"]), "transactions", date_format="%m/%d/%Y")
    assert out["date"].dt.day.tolist() == [31, 2, 15]


def test_duplicate_ids():
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C1", "C3", "C3"]})
    err = problems_of(customers, "customers")
    assert "column 'customer_id': 4 rows with a duplicate id (rows: 0, 2, 3, 4" in str(err)


def test_missing_amount_and_refunds_beyond_purchases():
    err = problems_of(tx(amount=[10.0, None, -30.0]), "transactions", refunds="matched")
    text = str(err)
    assert "column 'amount': 1 row with a missing value (rows: 1)" in text
    assert "refund larger than the customer's purchases (rows: 2" in text


def test_refund_policies():
    refund = tx(customer_id=["C1", "C1", "C2"], amount=[10.0, -10.0, -5.0])
    # by default a refund may predate the export (C2): accepted, the RFM step decides what counts
    assert validate(refund, "transactions")["amount"].sum() == -5.0
    assert "1 row with a refund larger" in str(problems_of(refund, "transactions", refunds="matched"))
    assert "2 rows with a negative amount" in str(problems_of(refund, "transactions", refunds="error"))
    with pytest.raises(ValueError, match="refunds must be one of"):
        validate(refund, "transactions", refunds="sometimes")


def test_ambiguous_dates_are_never_guessed():
    month_first = validate(tx(date=["12/1/2010 8:26", "12/13/2010 9:00", "1/2/2011 10:00"]), "transactions")
    assert month_first["date"].dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2010-12-01 08:26", "2010-12-13 09:00",
                                                                          "2011-01-02 10:00"]
    err = problems_of(tx(date=["01/02/2025", "03/04/2025", "05/06/2025"]), "transactions")
    assert "3 rows with a date that reads both day-first and month-first (give date_format" in str(err)
    assert len(err.problems) == 1
    explicit = validate(tx(date=["01/02/2025", "03/04/2025", "05/06/2025"]), "transactions", date_format="%m/%d/%Y")
    assert explicit["date"].dt.month.tolist() == [1, 3, 5]


def test_ids_read_as_floats_are_restored():
    out = validate(tx(customer_id=["17850.0", "13047.0", "12583.0"]), "transactions")
    assert out["customer_id"].tolist() == ["17850", "13047", "12583"]
    numeric = validate(pd.DataFrame({"customer_id": [17850.0, 13047.0]}), "customers")
    assert numeric["customer_id"].tolist() == ["17850", "13047"]


def test_order_lines_give_amount_from_quantity_and_price():
    lines = pd.DataFrame({"customer_id": ["C1", "C1"], "date": ["2025-01-02", "2025-01-03"],
                          "quantity": [3, -1], "unit_price": ["2.50", "2.50"]})
    assert validate(lines, "transactions")["amount"].tolist() == [7.5, -2.5]
    err = problems_of(lines.assign(quantity=["3", "x"]), "transactions")
    assert "column 'quantity': 1 row with a value that is not a number" in str(err) and len(err.problems) == 1


def test_leads_need_only_an_id():
    leads = validate(pd.DataFrame({"lead_id": [1, 2], "converted": [1.0, 0.0]}), "leads")
    assert leads["lead_id"].tolist() == ["1", "2"] and leads["converted"].tolist() == [True, False]


def test_transaction_for_unknown_customer():
    customers = pd.DataFrame({"customer_id": ["C1", "C2"]})
    with pytest.raises(ValidationError, match=r"table 'transactions'.*\n.*'customer_id': 1 row with a customer not in the customers table"):
        validate_links({"customers": customers, "transactions": validate(tx(), "transactions")})


def test_leads_outcome_consistency_and_flags():
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "created_at": ["2025-01-05"] * 3,
                          "converted": ["yes", "no", "ja"], "converted_at": ["2025-01-01", None, None]})
    text = str(problems_of(leads, "leads"))
    assert "conversion before the lead was created (rows: 0" in text
    assert "conversion flag but no conversion date (rows: 2" in text


def test_empty_table_and_non_frame():
    with pytest.raises(ValidationError, match="has no rows"):
        validate(tx().iloc[:0], "transactions")
    with pytest.raises(ValidationError, match="must be a pandas DataFrame"):
        validate([1, 2], "customers")


def test_map_columns_renames_without_changing_input_and_refuses_unknown_names():
    raw = pd.DataFrame({"Klant": ["K1"], "Bedrag": [1.0]})
    out = map_columns(raw, {"Klant": "customer_id"})
    assert list(raw.columns) == ["Klant", "Bedrag"] and list(out.columns) == ["customer_id", "Bedrag"]
    with pytest.raises(ValidationError, match="does not have: 'Datum'"):
        map_columns(raw, {"Datum": "date"})
    with pytest.raises(ValidationError, match="duplicate"):
        map_columns(raw, {"Klant": "x", "Bedrag": "x"})


# --- files ---------------------------------------------------------------------------

def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def test_empty_file(tmp_path):
    with pytest.raises(ValidationError, match="empty"):
        read_table(write(tmp_path, "t.csv", ""), "transactions")
    with pytest.raises(ValidationError, match="header but no transactions rows"):
        read_table(write(tmp_path, "h.csv", "customer_id,date,amount\n"), "transactions")


def test_other_encodings_are_read_not_garbled(tmp_path):
    text = "customer_id;date;amount;city\nC1;2025-01-02;10,5;Köln\nC2;2025-01-03;3;Málaga\n"
    for encoding in ("cp1252", "utf-16", "utf-8-sig"):
        out = read_table(write(tmp_path, f"t-{encoding}.csv", text, encoding), "transactions", decimal=",")
        assert out["city"].tolist() == ["Köln", "Málaga"], encoding
        assert out["amount"].tolist() == [10.5, 3.0]


def test_wrong_delimiter_hint_and_line_numbers(tmp_path):
    path = write(tmp_path, "t.csv", "customer_id;date;amount\nC1;2025-01-02;10\n")
    with pytest.raises(ValidationError, match="hint: the file was read as one column"):
        read_table(path, "transactions", delimiter=",")
    bad = write(tmp_path, "b.csv", "customer_id,date,amount\nC1,2025-01-02,10\nC2,not a date,5\n")
    with pytest.raises(ValidationError, match=r"file b.csv: .*\n.*column 'date': 1 row with a value that is not a date \(lines: 3"):
        read_table(bad, "transactions")


def test_mapping_file_and_input_never_modified(tmp_path):
    export = write(tmp_path, "export.csv", "Klantnr;Datum;Bedrag\n007;31-12-2025;1.234,50\n008;01-01-2025;-0,00\n")
    mapping = write(tmp_path, "mapping.yml", "tables:\n  transactions:\n    file_options: {delimiter: ';', decimal: ','}\n"
                    "    columns: {Klantnr: customer_id, Datum: date, Bedrag: amount}\n")
    digest = hashlib.sha256(export.read_bytes()).hexdigest()
    out = read_table(export, "transactions", load_mapping(mapping)["transactions"])
    assert out["customer_id"].tolist() == ["007", "008"], "ids keep leading zeros"
    assert out["amount"].tolist() == [1234.5, 0.0]
    assert hashlib.sha256(export.read_bytes()).hexdigest() == digest


def test_parquet(tmp_path):
    path = tmp_path / "t.parquet"
    tx().to_parquet(path)
    assert len(read_table(path, "transactions")) == 3


# --- properties ----------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(bad_rows=st.sets(st.integers(0, 49), min_size=1, max_size=10), seed=st.integers(0, 1000))
def test_every_corrupted_row_is_counted(bad_rows, seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(50)],
                          "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, 50), unit="D"),
                          "amount": rng.uniform(1, 100, 50).round(2)}).astype({"amount": object})
    frame.loc[sorted(bad_rows), "amount"] = "oops"
    err = problems_of(frame, "transactions")
    row = err.problems.iloc[0]
    assert row["rows"] == len(bad_rows) and row["row_labels"] == sorted(bad_rows)


@settings(max_examples=20, deadline=None)
@given(names=st.lists(st.text(alphabet="abcdefghij KLM_", min_size=1, max_size=8), min_size=3, max_size=3, unique=True))
def test_map_columns_round_trip(names):
    mapping = dict(zip(names, ["customer_id", "date", "amount"]))
    raw = tx().rename(columns=dict(zip(["customer_id", "date", "amount"], names)))
    pd.testing.assert_frame_equal(validate(map_columns(raw, mapping), "transactions"), validate(tx(), "transactions"))


def test_workbooks_and_binary_files_are_refused_clearly(tmp_path):
    with pytest.raises(ValidationError, match="spreadsheet workbook: save the sheet as CSV"):
        read_table(write(tmp_path, "export.xlsx", b"PK\x03\x04 not really a workbook"), "transactions")
    with pytest.raises(ValidationError, match="not a text CSV file"):
        read_table(write(tmp_path, "export.csv", b"customer_id\x00\x01\x02"), "transactions")
    with pytest.raises(ValidationError, match="neither UTF-8 nor Windows-1252"):
        read_table(write(tmp_path, "odd.csv", b"customer_id,date,amount\nC1,2025-01-01,\x81\x8d\n"), "transactions")
