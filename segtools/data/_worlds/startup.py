"""A subscription software startup selling a team analytics app to small companies.

Customers are segmented by engagement (product usage), purchase behaviour (plan, seats,
add-ons) and feedback (NPS surveys); leads by interest level (trial, pricing page, demo),
demographics (role, industry, country) and purchasing power (company size, stated budget).
"""

import numpy as np
import pandas as pd

from .arrow import strings
from .distributions import Bernoulli, Choice, LogNormal, Normal, Poisson
from .spec import DATA_UNTIL, CustomerSegment, LeadSegment, Purchases, WorldSpec

PLAN_PRICE_PER_SEAT = {"starter": 9.0, "growth": 19.0, "enterprise": 35.0}
INDUSTRIES = Choice({"software": 3, "retail": 2, "healthcare": 1, "education": 1, "finance": 1, "manufacturing": 1})
ADD_ONS = Choice({"extra_storage": 2, "premium_support": 1, "onboarding_package": 1})


def _customer(share, plan, seats, size, lifetime, add_ons_per_year, activity, nps):
    attributes = {"plan": Choice(plan), "seats": seats, "company_size": size, "industry": INDUSTRIES,
                  "acquisition_channel": Choice({"organic": 3, "paid_search": 2, "referral": 2, "partner": 1}),
                  "_activity": activity, "_nps": nps}
    return CustomerSegment(share, attributes, Purchases(
        lifetime_days=lifetime, order_amount=LogNormal(120, 0.5, 20, 3000, 2), repeats_per_year=add_ons_per_year,
        one_time_share=0.0, order_items=ADD_ONS, subscription=True))


CUSTOMERS = {
    "power_users": _customer(0.22, {"growth": 0.5, "enterprise": 0.45, "starter": 0.05}, LogNormal(25, 0.5, 3, 400),
                             LogNormal(120, 0.6, 5, 5000), 1500, 1.2, Normal(0.85, 0.08, 0.3, 1.0, 2), Normal(9, 1, 0, 10)),
    "steady_core": _customer(0.38, {"starter": 0.4, "growth": 0.55, "enterprise": 0.05}, LogNormal(8, 0.5, 1, 120),
                             LogNormal(40, 0.6, 2, 2000), 900, 0.3, Normal(0.6, 0.1, 0.2, 1.0, 2), Normal(7.5, 1.3, 0, 10)),
    "at_risk": _customer(0.25, {"starter": 0.5, "growth": 0.45, "enterprise": 0.05}, LogNormal(6, 0.6, 1, 100),
                         LogNormal(30, 0.7, 2, 2000), 420, 0.1, Normal(0.3, 0.1, 0.02, 0.8, 2), Normal(5, 2, 0, 10)),
    "trial_and_leave": _customer(0.15, {"starter": 0.9, "growth": 0.1}, LogNormal(2, 0.5, 1, 20),
                                 LogNormal(8, 0.7, 1, 500), 75, 0.0, Normal(0.15, 0.08, 0.0, 0.6, 2), Normal(4, 2.2, 0, 10)),
}


def _lead(share, size, budget, trial, pricing, demo, log_odds, days, becomes):
    return LeadSegment(share, {
        "role": Choice({"founder": 2, "engineering": 2, "marketing": 2, "operations": 1, "student": 0.5}),
        "industry": INDUSTRIES,
        "company_size": size,
        "monthly_budget": budget,
        "source": Choice({"organic": 3, "paid_search": 2, "referral": 1, "social": 2, "event": 1}),
        "page_views": Poisson(8),
        "pricing_page_views": Poisson(pricing),
        "email_opens": Poisson(3),
        "email_clicks": Poisson(1),
        "trial_started": Bernoulli(trial),
        "demo_requested": Bernoulli(demo),
    }, log_odds, days, becomes)


LEADS = {
    "ready_buyers": _lead(0.2, LogNormal(80, 0.6, 5, 5000), LogNormal(900, 0.6, 50, 20000), 0.8, 4, 0.5, -3.2, 20,
                          {"power_users": 0.5, "steady_core": 0.4, "at_risk": 0.1}),
    "curious_explorers": _lead(0.5, LogNormal(30, 0.8, 1, 3000), LogNormal(300, 0.8, 20, 10000), 0.35, 1, 0.08, -4.2, 35,
                               {"steady_core": 0.4, "at_risk": 0.4, "trial_and_leave": 0.2}),
    "small_budget": _lead(0.3, LogNormal(4, 0.7, 1, 60), LogNormal(60, 0.6, 5, 1500), 0.5, 2, 0.03, -4.4, 25,
                          {"trial_and_leave": 0.6, "at_risk": 0.3, "steady_core": 0.1}),
}


def _fee(customers: pd.DataFrame) -> np.ndarray:
    price = customers["plan"].map(PLAN_PRICE_PER_SEAT).to_numpy(float)
    return np.round(price * customers["seats"].to_numpy(float), 2)


def _usage_and_feedback(rng, tables, labels, active_until):
    """Monthly product usage while subscribed, and NPS survey answers (about 40% reply)."""
    customers = tables["customers"]
    signup = customers["signup_date"].to_numpy().astype("datetime64[M]")
    last = active_until.astype("datetime64[M]")
    months = ((last - signup).astype(np.int64) + 1)
    rows = np.repeat(np.arange(len(customers)), months)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(months) - months, months)
    activity = customers["_activity"].to_numpy(float)[rows]
    seats = customers["seats"].to_numpy(float)[rows]
    share_active = np.clip(activity + rng.normal(0, 0.08, len(rows)), 0, 1)
    usage = pd.DataFrame({
        "customer_id": strings(customers["customer_id"], rows),
        "month": (signup[rows] + k).astype("datetime64[D]"),
        "active_users": np.round(seats * share_active).astype(np.int64),
        "sessions": rng.poisson(share_active * seats * 12).astype(np.int64),
        "features_used": np.clip(np.round(share_active * 14 + rng.normal(0, 1.5, len(rows))), 0, 15).astype(np.int64),
    })
    replied = rng.random(len(customers)) < 0.4
    answered_on = signup + ((last - signup).astype(np.int64) // 2)
    day = rng.integers(0, 28, len(customers))
    feedback = pd.DataFrame({
        "customer_id": strings(customers["customer_id"], np.flatnonzero(replied)),
        "date": np.minimum((answered_on.astype("datetime64[D]") + day)[replied], DATA_UNTIL),
        "nps_score": np.clip(np.round(customers["_nps"].to_numpy(float)[replied] + rng.normal(0, 1, replied.sum())),
                             0, 10).astype(np.int64),
    })
    for hidden in ("_activity", "_nps"):  # drivers of the story, not data a business would have
        del customers[hidden]
    return {"usage": usage, "feedback": feedback.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)}


SPEC = WorldSpec(
    name="startup",
    title="A subscription software startup",
    n_customers=1200,
    n_leads=5000,
    customer_segments=CUSTOMERS,
    lead_segments=LEADS,
    item_column="item",
    b2b=True,
    refund_rate=0.02,
    signal_effects={"pricing_page_views": 0.45, "trial_started": 0.7, "demo_requested": 1.0,
                    "company_size": 0.15, "email_clicks": 0.2},
    shared_columns=("industry", "company_size"),
    countries=Choice({"Netherlands": 3, "Germany": 3, "United Kingdom": 2, "Spain": 1, "Italy": 1}),
    subscription_fee=_fee,
    extra_tables=_usage_and_feedback,
    missing={("leads", "company_size"): 0.12, ("leads", "monthly_budget"): 0.35, ("customers", "company_size"): 0.04},
)
