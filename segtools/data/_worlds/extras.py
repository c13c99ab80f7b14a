"""Extra tables for the segmentation-software chapter: profiles, a needs survey, lifestyle codes.

They are drawn from their own random stream, ``np.random.default_rng([seed, 99])``, after
the world's core tables exist, so adding them changes no byte of the core tables. What
they depend on is the planted customer segment (the answer key) and the customer's age.

retail
    ``profiles`` (one row a customer: postcode, device, apps, main social platform,
    follows the brand, age band), ``survey`` (about 30 % of customers rated four needs
    1-5) and ``lifestyle_codes`` (an invented, bought-in code table: postcode to
    lifestyle group, covering most but not all postcodes, with a price per record).
startup
    ``profiles`` (one row a customer: device, integrations used, browser), for
    technographic segmentation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STREAM = 99  # the child stream of the extras: default_rng([seed, STREAM])
COST_PER_RECORD = 0.15  # EUR per enriched customer record in the invented lifestyle code table
CODE_YEARS = (2021, 2022, 2023, 2024)

AGE_BANDS = (16, 25, 35, 45, 55, 65, 200)
AGE_LABELS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65+")

LIFESTYLE_GROUPS = ("urban_starters", "young_families", "comfortable_suburbs", "established_affluent",
                    "rural_traditional", "budget_city")
# planted retail segment -> weight of living in an area of each lifestyle group (same order)
AREA_WEIGHTS = {
    "trendy_young": (5, 2, 1, 0.5, 0.5, 3),
    "classic_mature": (0.5, 1, 4, 3, 3, 0.5),
    "bargain_hunters": (2, 3, 1, 0.3, 1.5, 4),
    "loyal_vip": (1.5, 1, 2, 5, 1, 0.3),
}
DEVICES = ("mobile", "desktop", "tablet")
DEVICE_WEIGHTS = {"trendy_young": (8, 1.5, 0.5), "classic_mature": (3, 5, 2), "bargain_hunters": (6, 3, 1),
                  "loyal_vip": (5, 3, 2)}
OLDER_DEVICE_WEIGHTS = (2, 5, 3)  # half of the customers aged 55+ draw from these instead
PLATFORMS = ("instagram", "tiktok", "facebook", "pinterest", "none")
PLATFORM_WEIGHTS = {"trendy_young": (5, 4, 0.5, 1.5, 0.5), "classic_mature": (1, 0.2, 5, 2, 2.5),
                    "bargain_hunters": (3, 2, 3, 1, 1.5), "loyal_vip": (5, 1, 2, 3, 0.5)}
APPS = ("instagram", "tiktok", "facebook", "pinterest", "vinted", "zalando", "klarna")
APP_RATES = {  # chance of using each app (besides the main platform), same order as APPS
    "trendy_young": (0.5, 0.5, 0.1, 0.3, 0.4, 0.5, 0.4),
    "classic_mature": (0.15, 0.05, 0.4, 0.2, 0.05, 0.2, 0.1),
    "bargain_hunters": (0.3, 0.3, 0.4, 0.1, 0.6, 0.2, 0.5),
    "loyal_vip": (0.5, 0.2, 0.3, 0.4, 0.1, 0.4, 0.2),
}
FOLLOWS = {"trendy_young": 0.45, "classic_mature": 0.2, "bargain_hunters": 0.15, "loyal_vip": 0.75}
ANSWER_RATE = {"trendy_young": 0.25, "classic_mature": 0.35, "bargain_hunters": 0.22, "loyal_vip": 0.55}
NEEDS = ("need_price", "need_quality", "need_sustainability", "need_convenience")
NEED_MEANS = {"trendy_young": (3.0, 2.8, 4.2, 4.2), "classic_mature": (2.4, 4.6, 2.8, 2.6),
              "bargain_hunters": (4.7, 2.0, 1.8, 3.2), "loyal_vip": (1.6, 4.6, 4.0, 4.4)}

INTEGRATIONS = ("slack", "hubspot", "salesforce", "google_workspace", "zapier", "jira")
INTEGRATION_RATES = {  # startup segment -> chance of each integration, same order
    "power_users": (0.9, 0.5, 0.45, 0.7, 0.6, 0.5),
    "steady_core": (0.6, 0.35, 0.2, 0.6, 0.25, 0.2),
    "at_risk": (0.3, 0.15, 0.1, 0.4, 0.05, 0.05),
    "trial_and_leave": (0.15, 0.1, 0.02, 0.3, 0.02, 0.02),
}
MOBILE_SHARE = {"power_users": 0.15, "steady_core": 0.25, "at_risk": 0.4, "trial_and_leave": 0.5}
BROWSERS = ("chrome", "edge", "firefox", "safari")
BROWSER_WEIGHTS = (6, 2, 1, 2)


def _weights(table: dict, segments: np.ndarray, default) -> np.ndarray:
    """One probability row per customer, looked up by planted segment (unknown segments get ``default``)."""
    rows = np.array([table.get(s, default) for s in segments], dtype=float)
    return rows / rows.sum(axis=1, keepdims=True)


def _pick(rng, probs: np.ndarray) -> np.ndarray:
    """One category code per row from per-row probabilities (inverse CDF, vectorised)."""
    cum = probs.cumsum(axis=1)
    return np.minimum((rng.random((len(probs), 1)) > cum).sum(axis=1), probs.shape[1] - 1)


def _sets(present: np.ndarray, names, empty: str = "none") -> list:
    """``"a;b"`` text for each row of a boolean matrix (columns in ``names`` order), ``empty`` if none."""
    return [";".join(n for n, p in zip(names, row) if p) or empty for row in present]


def age_bands(age) -> np.ndarray:
    """Age in years to the bands of :data:`AGE_LABELS`; a missing age is ``unknown``."""
    bands = pd.cut(pd.Series(age, dtype=float), bins=AGE_BANDS, right=False, labels=AGE_LABELS)
    return bands.astype(object).where(bands.notna(), "unknown").to_numpy(dtype=object)


def postcode_areas(rng, n_per_group: int = 25):
    """Invented 4-digit postcodes, each belonging to one lifestyle group's area."""
    codes = rng.choice(np.arange(1000, 10000), size=n_per_group * len(LIFESTYLE_GROUPS), replace=False)
    return codes.astype(str), np.repeat(np.arange(len(LIFESTYLE_GROUPS)), n_per_group)


def retail_extras(rng, customers: pd.DataFrame, segments: np.ndarray) -> dict:
    """``profiles``, ``survey`` and ``lifestyle_codes`` of the clothing retailer."""
    n = len(customers)
    postcodes, area_group = postcode_areas(rng)
    group = _pick(rng, _weights(AREA_WEIGHTS, segments, (1,) * len(LIFESTYLE_GROUPS)))
    within = rng.integers(0, len(postcodes) // len(LIFESTYLE_GROUPS), n)
    postcode = postcodes[group * (len(postcodes) // len(LIFESTYLE_GROUPS)) + within]

    age = customers["age"].to_numpy(dtype=float)
    device_p = _weights(DEVICE_WEIGHTS, segments, (1, 1, 1))
    older = (age >= 55) & (rng.random(n) < 0.5)
    device_p[older] = np.array(OLDER_DEVICE_WEIGHTS) / sum(OLDER_DEVICE_WEIGHTS)
    device = np.array(DEVICES)[_pick(rng, device_p)]

    platform = _pick(rng, _weights(PLATFORM_WEIGHTS, segments, (1,) * len(PLATFORMS)))
    rates = np.array([APP_RATES.get(s, (0.2,) * len(APPS)) for s in segments])
    apps = rng.random((n, len(APPS))) < rates
    for k, name in enumerate(PLATFORMS[:-1]):
        apps[platform == k, APPS.index(name)] = True  # the main platform is always among the apps used
    on_social = platform != PLATFORMS.index("none")
    follows = on_social & (rng.random(n) < np.array([FOLLOWS.get(s, 0.2) for s in segments]))
    profiles = pd.DataFrame({
        "customer_id": customers["customer_id"].to_numpy(), "postcode": postcode, "device": device,
        "apps_used": _sets(apps, APPS), "social_platform": np.array(PLATFORMS)[platform],
        "follows_brand": follows, "age_band": age_bands(age),
    })

    answered = rng.random(n) < np.array([ANSWER_RATE.get(s, 0.3) for s in segments])
    rows = np.flatnonzero(answered)
    means = np.array([NEED_MEANS.get(s, (3.0,) * len(NEEDS)) for s in segments[rows]])
    scores = np.clip(np.rint(rng.normal(means, 0.8)), 1, 5).astype(np.int64)
    answered_at = np.datetime64("2025-03-01") + rng.integers(0, 275, len(rows)) * np.timedelta64(1, "D")
    survey = pd.DataFrame({"customer_id": customers["customer_id"].to_numpy()[rows], "answered_at": answered_at})
    for j, col in enumerate(NEEDS):
        survey[col] = scores[:, j]
    survey = survey.sort_values(["answered_at", "customer_id"], kind="stable").reset_index(drop=True)

    covered = rng.random(len(postcodes)) < 0.88  # the bought-in table misses some postcodes
    noisy = rng.random(len(postcodes)) < 0.2  # and codes an area by its majority, not by each person
    coded = np.where(noisy, rng.integers(0, len(LIFESTYLE_GROUPS), len(postcodes)), area_group)
    order = np.argsort(postcodes[covered], kind="stable")
    codes = pd.DataFrame({
        "postcode": postcodes[covered][order],
        "lifestyle_group": np.array(LIFESTYLE_GROUPS)[coded[covered]][order],
        "code_year": rng.choice(CODE_YEARS, size=int(covered.sum()), p=(0.1, 0.2, 0.3, 0.4))[order],
        "cost_per_record": COST_PER_RECORD,
    })
    return {"profiles": profiles, "survey": survey, "lifestyle_codes": codes}


def startup_extras(rng, customers: pd.DataFrame, segments: np.ndarray) -> dict:
    """``profiles`` of the software startup: device, integrations, browser."""
    n = len(customers)
    mobile = rng.random(n) < np.array([MOBILE_SHARE.get(s, 0.3) for s in segments])
    rates = np.array([INTEGRATION_RATES.get(s, (0.3,) * len(INTEGRATIONS)) for s in segments])
    used = rng.random((n, len(INTEGRATIONS))) < rates
    browser = rng.choice(len(BROWSERS), size=n, p=np.array(BROWSER_WEIGHTS) / sum(BROWSER_WEIGHTS))
    browser = np.where(mobile & (browser == BROWSERS.index("edge")), BROWSERS.index("safari"), browser)
    return {"profiles": pd.DataFrame({
        "customer_id": customers["customer_id"].to_numpy(), "device": np.where(mobile, "mobile", "desktop"),
        "integrations": _sets(used, INTEGRATIONS), "browser": np.array(BROWSERS)[browser],
    })}


MAKERS = {"retail": retail_extras, "startup": startup_extras}


def extra_tables(world: str, seed, tables: dict, customer_segments) -> dict:
    """The world's extra tables (an empty dict for worlds without any).

    Parameters
    ----------
    world : str
        The world's name.
    seed : int
        The world's seed; the extras draw from ``default_rng([seed, 99])``.
    tables : dict of str to DataFrame
        The world's core tables (only ``customers`` is read; nothing is changed).
    customer_segments : array-like of str
        The planted segment of each customer, in the order of ``tables["customers"]``.

    Returns
    -------
    dict of str to DataFrame
    """
    if world not in MAKERS:
        return {}
    rng = np.random.default_rng([int(seed), STREAM])
    return MAKERS[world](rng, tables["customers"], np.asarray(customer_segments, dtype=object))
