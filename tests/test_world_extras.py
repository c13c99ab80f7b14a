"""The extra tables of the software chapter: deterministic, own random stream, committed, sensible."""

import numpy as np
import pandas as pd
import pytest

from segtools.data import datasets_dir, load_case, make_case
from segtools.data._worlds.extras import STREAM, extra_tables

EXTRAS = {"retail": ["lifestyle_codes", "profiles", "survey"], "startup": ["profiles"]}


@pytest.fixture(scope="module")
def retail():
    return make_case("retail")


@pytest.mark.parametrize("world", sorted(EXTRAS))
def test_extras_are_generated_and_match_the_committed_csvs(world):
    generated, loaded = make_case(world), load_case(world)
    for table in EXTRAS[world]:
        pd.testing.assert_frame_equal(loaded.tables[table], generated.tables[table], check_exact=True)


def test_extras_are_deterministic_for_a_seed_and_change_with_it():
    a, b, c = (make_case("retail", random_state=s, n_customers=400) for s in (5, 5, 6))
    pd.testing.assert_frame_equal(a.tables["profiles"], b.tables["profiles"])
    assert not a.tables["profiles"]["device"].equals(c.tables["profiles"]["device"])


@pytest.mark.parametrize("world", ["retail", "startup", "consulting", "agency"])
def test_core_tables_still_equal_the_committed_csvs(world):
    """The extras draw from default_rng([seed, 99]): the core tables' bytes do not move."""
    committed = (datasets_dir() / world / "customers.csv").read_text(encoding="utf-8")
    assert make_case(world).customers.to_csv(index=False, lineterminator="\n") == committed


def test_extras_use_their_own_stream(retail):
    """Drawing the extras twice from the same core tables gives the same tables: no shared state."""
    segments = retail.answer_key["customers"]["segment"].to_numpy()
    again = extra_tables("retail", 20260101, retail.tables, segments)
    pd.testing.assert_frame_equal(again["survey"].astype(retail.tables["survey"].dtypes.to_dict()),
                                  retail.tables["survey"], check_dtype=False)
    assert STREAM == 99 and extra_tables("consulting", 1, retail.tables, segments) == {}


def test_retail_profiles_cover_every_customer_with_valid_values(retail):
    p = retail.tables["profiles"]
    assert p["customer_id"].tolist() == retail.customers["customer_id"].tolist()
    assert p["postcode"].str.fullmatch(r"[1-9]\d{3}").all()
    assert set(p["device"]) <= {"mobile", "desktop", "tablet"}
    assert p["apps_used"].str.len().gt(0).all() and p.notna().all().all()
    assert not p.loc[p["social_platform"] == "none", "follows_brand"].any()
    assert (p.loc[retail.customers["age"].isna().to_numpy(), "age_band"] == "unknown").all()


def test_device_depends_on_segment_and_age(retail):
    p = retail.tables["profiles"].assign(segment=retail.answer_key["customers"]["segment"],
                                         age=retail.customers["age"])
    mobile = p["device"].eq("mobile").groupby(p["segment"]).mean()
    assert mobile["trendy_young"] > mobile["classic_mature"] + 0.2
    assert p.loc[p["age"] < 35, "device"].eq("mobile").mean() > p.loc[p["age"] >= 55, "device"].eq("mobile").mean()


def test_survey_answered_by_about_thirty_percent_with_needs_by_segment(retail):
    s = retail.tables["survey"]
    assert 0.25 < len(s) / len(retail.customers) < 0.35 and not s["customer_id"].duplicated().any()
    needs = [c for c in s.columns if c.startswith("need_")]
    assert s[needs].isin([1, 2, 3, 4, 5]).all().all()
    merged = s.merge(retail.answer_key["customers"], on="customer_id")
    price = merged.groupby("segment")["need_price"].mean()
    assert price.idxmax() == "bargain_hunters" and price.idxmin() == "loyal_vip"


def test_lifestyle_codes_cover_most_but_not_all_postcodes(retail):
    codes, p = retail.tables["lifestyle_codes"], retail.tables["profiles"]
    assert codes["postcode"].is_unique and (codes["cost_per_record"] > 0).all()
    rate = p["postcode"].isin(codes["postcode"]).mean()
    assert 0.7 < rate < 0.98


def test_startup_profiles_are_technographic():
    case = make_case("startup")
    p = case.tables["profiles"]
    assert list(p.columns) == ["customer_id", "device", "integrations", "browser"]
    assert set(p["device"]) == {"desktop", "mobile"} and len(p) == len(case.customers)
    seg = case.answer_key["customers"]["segment"]
    n_integrations = p["integrations"].str.count(";").add(1).where(p["integrations"] != "none", 0)
    per = n_integrations.groupby(seg.to_numpy()).mean()
    assert per["power_users"] > per["trial_and_leave"] + 1


def test_postcodes_stay_text_when_read_back():
    assert load_case("retail").tables["profiles"]["postcode"].map(type).eq(str).all()
    assert np.issubdtype(load_case("retail").tables["survey"]["answered_at"].dtype, np.datetime64)
