"""A digital marketing agency running campaigns for its clients.

Clients are segmented by their preferred marketing channels, campaign performance and
target audiences; leads by industry, marketing goals and budget.

Leads turn on budget fit: every service has a minimum monthly media budget below which the
agency cannot make it pay, and a lead whose budget is under the minimum of the service it asked
about rarely signs; leads that want sales or leads sign more often than those that want brand
awareness. Clients' return on ad spend (campaign revenue / spend) depends on the client segment
and on the channel: search and e-mail return more per euro than display and video.
"""

import numpy as np
import pandas as pd

from .arrow import strings
from .distributions import Bernoulli, Choice, LogNormal, Normal, Poisson
from .spec import DATA_UNTIL, CustomerSegment, LeadSegment, Purchases, WorldSpec

INDUSTRIES = ["ecommerce", "hospitality", "b2b_software", "health_and_beauty", "education", "local_services"]
CHANNELS = ["search", "social", "email", "display", "video"]
AUDIENCES = ["young_consumers", "families", "business_buyers", "local_residents", "seniors"]
GOALS = ["brand_awareness", "lead_generation", "online_sales", "customer_retention"]
# the service a lead asks about, and the smallest monthly media budget the agency takes for it (EUR)
MIN_BUDGET = {"search_ads": 1500, "social_ads": 1000, "brand_campaign": 4000, "full_service": 6000}
# change in the log-odds of signing, by budget fit and by marketing goal
FIT_EFFECT = {True: 0.9, False: -1.3}
GOAL_EFFECT = {"online_sales": 0.5, "lead_generation": 0.3, "customer_retention": 0.0, "brand_awareness": -0.7}
# return on ad spend of a channel relative to the client's own level
CHANNEL_ROAS = {"search": 1.25, "social": 0.85, "email": 1.35, "display": 0.7, "video": 0.75}
SERVICES = Choice({"website_project": 2, "content_production": 2, "analytics_audit": 1})


def _weights(names, **favoured):
    return Choice({n: favoured.get(n, 1.0) for n in names})


def _client(share, industry, channel, audience, budget, lifetime, roas, ctr):
    return CustomerSegment(share, {
        "industry": industry, "preferred_channel": channel, "target_audience": audience, "monthly_budget": budget,
        "_roas": roas, "_ctr": ctr,
    }, Purchases(lifetime_days=lifetime, order_amount=LogNormal(3500, 0.6, 300, 60000, 2), repeats_per_year=0.6,
                 order_items=SERVICES, subscription=True))


CUSTOMERS = {
    "performance_marketers": _client(0.35, _weights(INDUSTRIES, ecommerce=4, b2b_software=2),
                                     _weights(CHANNELS, search=4, email=2), _weights(AUDIENCES, business_buyers=2, families=2),
                                     LogNormal(12000, 0.6, 1500, 250000), 1100, Normal(4.5, 1.0, 0.5, 12, 2),
                                     Normal(0.035, 0.008, 0.005, 0.1, 4)),
    "brand_builders": _client(0.30, _weights(INDUSTRIES, health_and_beauty=3, hospitality=2, education=2),
                              _weights(CHANNELS, social=4, video=3), _weights(AUDIENCES, young_consumers=4),
                              LogNormal(8000, 0.6, 1000, 200000), 800, Normal(1.6, 0.6, 0.2, 6, 2),
                              Normal(0.012, 0.004, 0.002, 0.06, 4)),
    "local_small_business": _client(0.35, _weights(INDUSTRIES, local_services=4, hospitality=3),
                                    _weights(CHANNELS, social=3, search=2, display=1),
                                    _weights(AUDIENCES, local_residents=4, seniors=2, families=2),
                                    LogNormal(1500, 0.5, 300, 20000), 450, Normal(2.4, 0.9, 0.2, 8, 2),
                                    Normal(0.02, 0.007, 0.002, 0.08, 4)),
}


def _lead(share, industry, goal, budget, service, audit, proposal, log_odds, days, becomes):
    return LeadSegment(share, {
        "industry": industry, "marketing_goal": goal, "monthly_budget": budget, "service_interest": service,
        "source": Choice({"website": 3, "referral": 2, "linkedin": 2, "event": 1, "paid_search": 2}),
        "page_views": Poisson(6), "email_opens": Poisson(3), "email_clicks": Poisson(0.9),
        "case_study_downloads": Poisson(1.0),
        "audit_requested": Bernoulli(audit), "proposal_requested": Bernoulli(proposal),
    }, log_odds, days, becomes)


LEADS = {
    "growth_ready": _lead(0.25, _weights(INDUSTRIES, ecommerce=3, b2b_software=2), _weights(GOALS, online_sales=3, lead_generation=3),
                          LogNormal(10000, 0.7, 500, 300000),
                          _weights(MIN_BUDGET, search_ads=3, full_service=3, social_ads=1, brand_campaign=0.5),
                          0.6, 0.45, -4.4, 30,
                          {"performance_marketers": 0.8, "brand_builders": 0.2}),
    "brand_curious": _lead(0.35, _weights(INDUSTRIES, health_and_beauty=3, hospitality=2, education=2),
                           _weights(GOALS, brand_awareness=4), LogNormal(5000, 0.8, 300, 200000),
                           _weights(MIN_BUDGET, brand_campaign=4, social_ads=2, full_service=0.5, search_ads=0.5),
                           0.3, 0.15, -4.8, 45,
                           {"brand_builders": 0.8, "performance_marketers": 0.2}),
    "budget_constrained": _lead(0.40, _weights(INDUSTRIES, local_services=4, hospitality=2),
                                _weights(GOALS, customer_retention=2, lead_generation=2), LogNormal(900, 0.6, 100, 20000),
                                _weights(MIN_BUDGET, social_ads=3, search_ads=2, full_service=0.5, brand_campaign=0.5),
                                0.35, 0.1, -4.8, 20,
                                {"local_small_business": 0.9, "brand_builders": 0.1}),
}


def _fit_and_goal(leads: pd.DataFrame) -> np.ndarray:
    fits = leads["monthly_budget"].to_numpy(float) >= leads["service_interest"].map(MIN_BUDGET).to_numpy(float)
    return np.where(fits, FIT_EFFECT[True], FIT_EFFECT[False]) + leads["marketing_goal"].map(GOAL_EFFECT).to_numpy(float)


def _retainer(customers: pd.DataFrame) -> np.ndarray:
    # The agency bills a management fee of about 15% of the media budget, with a floor.
    return np.round(np.maximum(0.15 * customers["monthly_budget"].to_numpy(float), 450.0), 2)


def _campaigns(rng, tables, labels, active_until):
    """One campaign per client per quarter while active, mostly on the client's preferred channel."""
    customers = tables["customers"]
    start = customers["signup_date"].to_numpy().astype("datetime64[D]")
    quarters = ((active_until - start).astype(np.int64) // 91) + 1
    rows = np.repeat(np.arange(len(customers)), quarters)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(quarters) - quarters, quarters)
    on_preferred = rng.random(len(rows)) < 0.7
    preferred = pd.Categorical(customers["preferred_channel"], categories=CHANNELS).codes
    channel = strings(CHANNELS, np.where(on_preferred, preferred[rows], rng.integers(0, len(CHANNELS), len(rows))))
    spend = np.round(3 * customers["monthly_budget"].to_numpy(float)[rows] * rng.uniform(0.6, 1.2, len(rows)), 2)
    impressions = np.round(spend / rng.uniform(4, 12, len(rows)) * 1000).astype(np.int64)
    clicks = rng.binomial(impressions, customers["_ctr"].to_numpy(float)[rows])
    factor = np.array([CHANNEL_ROAS[c] for c in CHANNELS])[pd.Categorical(channel, categories=CHANNELS).codes]
    roas = np.clip(customers["_roas"].to_numpy(float)[rows] * factor + rng.normal(0, 0.4, len(rows)), 0.05, None)
    revenue = np.round(spend * roas, 2)
    campaigns = pd.DataFrame({
        "campaign_id": np.arange(1, len(rows) + 1, dtype=np.int64),
        "customer_id": strings(customers["customer_id"], rows),
        "start_date": np.minimum(start[rows] + k * 91, DATA_UNTIL),
        "channel": channel, "spend": spend, "impressions": impressions, "clicks": clicks,
        "conversions": rng.binomial(clicks, 0.04), "revenue": revenue,
    })
    for hidden in ("_roas", "_ctr"):  # drivers of the story, not data a business would have
        del customers[hidden]
    order = np.lexsort((campaigns["campaign_id"].to_numpy(), campaigns["start_date"].to_numpy()))
    campaigns = campaigns.iloc[order].reset_index(drop=True)
    campaigns["campaign_id"] = np.arange(1, len(campaigns) + 1, dtype=np.int64)
    return {"campaigns": campaigns}


SPEC = WorldSpec(
    name="agency",
    title="A digital marketing agency",
    n_customers=600,
    n_leads=3000,
    customer_segments=CUSTOMERS,
    lead_segments=LEADS,
    item_column="service",
    subscription_item="monthly_retainer",
    b2b=True,
    refund_rate=0.01,
    signal_effects={"proposal_requested": 1.2, "audit_requested": 0.6, "monthly_budget": 0.15, "email_clicks": 0.2},
    shared_columns=("industry", "monthly_budget"),
    countries=Choice({"Netherlands": 3, "Belgium": 2, "Germany": 2, "Spain": 1, "Italy": 1}),
    subscription_fee=_retainer,
    extra_tables=_campaigns,
    extra_log_odds=_fit_and_goal,
    missing={("leads", "monthly_budget"): 0.3, ("leads", "industry"): 0.04, ("customers", "target_audience"): 0.05},
)
