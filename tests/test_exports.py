"""CSV exports: formula neutralisation, plain UTF-8, documented columns."""

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from segtools.errors import ValidationError
from segtools.reporting.exports import (CUSTOMER_SEGMENT_COLUMNS, FORMULA_STARTS, LEAD_PRIORITY_COLUMNS,
                                       customer_segments_export, lead_priorities_export, neutralise_formulas,
                                       summary_json, write_csv, write_summary)

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+31 6 12345678", "-2+3", "@SUM(A1:A9)", "\tcmd", "\rcmd"]


def test_every_formula_start_gets_an_apostrophe():
    df = pd.DataFrame({"text": HOSTILE + ["plain", "a=b", "", "'already"]})
    out = neutralise_formulas(df)["text"].tolist()
    assert out[:6] == ["'" + v for v in HOSTILE]
    assert out[6:] == ["plain", "a=b", "", "'already"]


def test_numbers_missing_values_and_dtypes_are_left_alone():
    df = pd.DataFrame({"amount": [-20.0, 5.5, np.nan], "n": [-1, 2, 3],
                       "name": pd.Series(["-x", None, "ok"], dtype="str")})
    out = neutralise_formulas(df)
    assert out["amount"].tolist()[:2] == [-20.0, 5.5] and np.isnan(out["amount"].iloc[2])
    assert out["n"].tolist() == [-1, 2, 3]
    assert out["name"].iloc[0] == "'-x" and pd.isna(out["name"].iloc[1])
    assert out.dtypes.equals(df.dtypes)


def test_neutralise_does_not_mutate_its_input():
    df = pd.DataFrame({"name": ["=1+1", "ok"]})
    before = df.copy()
    neutralise_formulas(df)
    pd.testing.assert_frame_equal(df, before)


def test_object_and_categorical_columns_are_covered():
    df = pd.DataFrame({"obj": pd.Series(["=a", 3], dtype=object),
                       "cat": pd.Categorical(["@b", "ok"])})
    out = neutralise_formulas(df)
    assert out["obj"].tolist() == ["'=a", 3]
    assert out["cat"].astype(str).tolist() == ["'@b", "ok"]


@given(st.text(max_size=20))
def test_no_cell_can_start_a_formula_and_nothing_else_changes(value):
    cell = neutralise_formulas(pd.DataFrame({"v": [value]}))["v"].iloc[0]
    assert not cell.startswith(FORMULA_STARTS)
    if value.startswith(FORMULA_STARTS):
        assert cell == "'" + value
    else:
        assert cell == value


def test_write_csv_is_plain_utf8_with_one_header_and_round_trips(tmp_path):
    df = pd.DataFrame({"customer_id": ["C1", "=C2", "C3"],
                       "segment": ["Müller's \"best\", really", "line\nbreak", "@risk"],
                       "monetary": [-12.5, 0.0, 1e6]})
    path = tmp_path / "out.csv"
    assert write_csv(df, path) == 3
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    raw.decode("utf-8")  # strictly UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == ["customer_id", "segment", "monetary"]
    assert len(rows) == 4
    assert rows[1] == ["C1", "Müller's \"best\", really", "-12.5"]
    assert rows[2] == ["'=C2", "line\nbreak", "0.0"]
    assert rows[3][1] == "'@risk"
    assert df["customer_id"].tolist() == ["C1", "=C2", "C3"]  # input untouched


def test_customer_export_orders_documented_columns_and_drops_others():
    seg = pd.DataFrame({"recommended_action": ["a"], "name": ["secret"], "segment": ["s"],
                        "customer_id": ["C1"], "m_score": [3]})
    out = customer_segments_export(seg)
    assert list(out.columns) == ["customer_id", "segment", "m_score", "recommended_action"]
    assert set(out.columns) <= set(CUSTOMER_SEGMENT_COLUMNS)


def test_customer_export_names_the_missing_column_and_rows():
    seg = pd.DataFrame({"customer_id": ["C1", "C2"], "segment": ["s", "t"]})
    with pytest.raises(ValidationError, match=r"'recommended_action' not found in 2 rows") as err:
        customer_segments_export(seg)
    assert err.value.table == "customer_segments"


def test_lead_export_sorts_by_rank_with_unranked_last():
    p = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "score": [1.0, 9.0, 5.0], "grade": ["D4", "A1", "B2"],
                      "tier": ["closed", "hot", "warm"], "reason": ["x", "y", "z"],
                      "call_this_period": [False, True, False], "status": ["won", "open", "open"],
                      "rank": pd.array([pd.NA, 1, 2], dtype="Int64")})
    out = lead_priorities_export(p)
    assert out["lead_id"].tolist() == ["L2", "L3", "L1"]
    assert list(out.columns) == list(LEAD_PRIORITY_COLUMNS)
    assert "call_this_period" not in lead_priorities_export(p.drop(columns="call_this_period"))


def test_lead_export_requires_every_documented_column():
    with pytest.raises(ValidationError, match="'reason'"):
        lead_priorities_export(pd.DataFrame({c: [1] for c in LEAD_PRIORITY_COLUMNS if c != "reason"}))


def test_not_a_dataframe_is_refused():
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        neutralise_formulas([["=1"]])


def test_summary_is_sorted_plain_json_with_iso_dates(tmp_path):
    fields = dict(snapshot=pd.Timestamp("2026-01-01"), at=pd.Timestamp("2026-01-01 10:30"), n=np.int64(3),
                  sizes={"b": 1, "a": 2}, title="Müller")
    back = write_summary(tmp_path / "summary.json", **fields)
    text = (tmp_path / "summary.json").read_text(encoding="utf-8")
    assert text == summary_json(**fields) and text.endswith("}\n") and "Müller" in text
    assert back == {"at": "2026-01-01T10:30:00", "n": 3, "sizes": {"a": 2, "b": 1}, "snapshot": "2026-01-01",
                    "title": "Müller"}
    assert list(back) == sorted(back) and list(back["sizes"]) == ["a", "b"]
