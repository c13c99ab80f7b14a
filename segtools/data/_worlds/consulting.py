"""A management consulting firm serving mid-sized and large organisations.

Clients are segmented by industry, organisation size and business goals; leads by
industry, their specific need and their geographic location.

The business behaves like B2B consulting: a prospect decides after meetings and a written
proposal, so the time from first contact to a signed engagement is months (a gamma time with a
mean of three to six months), few leads sign (about 6 %), and the deals are large and skewed.
Win rates depend on the need (a firm known for transformation and compliance work wins those,
loses cost-cutting pitches to cheaper rivals) and on the region (strong at home in the Benelux,
weak in southern Europe, where it has no office), with compliance work winning best in DACH.
"""

import numpy as np
import pandas as pd

from .distributions import Bernoulli, Choice, LogNormal, Poisson
from .spec import CustomerSegment, LeadSegment, Purchases, WorldSpec

INDUSTRIES = {"manufacturing": 1, "financial_services": 1, "healthcare": 1, "public_sector": 1, "retail": 1,
              "energy": 1, "technology": 1}
NEEDS = ["cost_reduction", "growth_strategy", "digital_transformation", "regulatory_compliance", "restructuring"]
COUNTRIES = Choice({"Netherlands": 3, "Germany": 3, "Belgium": 1, "Switzerland": 1, "Italy": 1, "Spain": 1,
                    "Austria": 1})
REGION = {"Netherlands": "Benelux", "Belgium": "Benelux", "Germany": "DACH", "Austria": "DACH",
          "Switzerland": "DACH", "Italy": "South", "Spain": "South"}
# change in the log-odds of winning, by the lead's specific need and by its region
NEED_EFFECT = {"digital_transformation": 0.5, "growth_strategy": 0.3, "regulatory_compliance": 0.3,
               "restructuring": -0.3, "cost_reduction": -1.0}
REGION_EFFECT = {"Benelux": 0.5, "DACH": 0.0, "South": -1.1}
SERVICE_LINES = ["strategy", "operations", "technology", "people_and_change", "risk_and_compliance"]


def _weights(names, **favoured):
    return Choice({n: favoured.get(n, 1.0) for n in names})


CUSTOMERS = {
    "strategic_accounts": CustomerSegment(0.2, {
        "industry": _weights(INDUSTRIES, financial_services=3, energy=2, public_sector=2),
        "employees": LogNormal(4000, 0.8, 250, 200000),
        "business_goal": _weights(NEEDS, digital_transformation=3, growth_strategy=2), "country": COUNTRIES,
    }, Purchases(lifetime_days=1500, order_amount=LogNormal(90000, 0.9, 5000, 3000000, 2), repeats_per_year=4.0,
                 order_items=_weights(SERVICE_LINES, strategy=2, technology=2))),
    "project_clients": CustomerSegment(0.45, {
        "industry": _weights(INDUSTRIES, manufacturing=2, retail=2, technology=2),
        "employees": LogNormal(600, 0.8, 50, 20000),
        "business_goal": _weights(NEEDS, cost_reduction=3, digital_transformation=2), "country": COUNTRIES,
    }, Purchases(lifetime_days=700, order_amount=LogNormal(30000, 0.8, 2000, 1000000, 2), repeats_per_year=1.2,
                 one_time_share=0.3, order_items=_weights(SERVICE_LINES, operations=3, technology=2))),
    "compliance_one_offs": CustomerSegment(0.35, {
        "industry": _weights(INDUSTRIES, healthcare=3, financial_services=2, public_sector=2),
        "employees": LogNormal(300, 0.9, 20, 20000),
        "business_goal": _weights(NEEDS, regulatory_compliance=5, restructuring=1), "country": COUNTRIES,
    }, Purchases(lifetime_days=250, order_amount=LogNormal(12000, 0.7, 1000, 400000, 2), repeats_per_year=0.5,
                 one_time_share=0.7, order_items=_weights(SERVICE_LINES, risk_and_compliance=5))),
}


def _lead(share, industry, need, size, meetings, downloads, rfp, log_odds, days, becomes):
    return LeadSegment(share, {
        "industry": industry, "specific_need": need, "employees": size, "country": COUNTRIES,
        "source": Choice({"referral": 2, "event": 2, "website": 3, "linkedin": 2, "cold_outreach": 1}),
        "page_views": Poisson(5), "email_opens": Poisson(3), "email_clicks": Poisson(0.8),
        "whitepaper_downloads": Poisson(downloads), "meetings_held": Poisson(meetings),
        "rfp_received": Bernoulli(rfp),
    }, log_odds, days, becomes, decision_shape=4.0)


LEADS = {
    "urgent_transformers": _lead(0.25, _weights(INDUSTRIES, financial_services=2, manufacturing=2, energy=2),
                                 _weights(NEEDS, digital_transformation=4, growth_strategy=2),
                                 LogNormal(2000, 0.9, 50, 200000), 2.0, 1.0, 0.45, -3.8, 140,
                                 {"strategic_accounts": 0.5, "project_clients": 0.5}),
    "compliance_driven": _lead(0.30, _weights(INDUSTRIES, healthcare=3, financial_services=2, public_sector=2),
                               _weights(NEEDS, regulatory_compliance=6), LogNormal(400, 0.9, 20, 50000),
                               1.0, 1.5, 0.3, -4.1, 110, {"compliance_one_offs": 0.8, "project_clients": 0.2}),
    "early_researchers": _lead(0.45, _weights(INDUSTRIES), _weights(NEEDS, cost_reduction=2),
                               LogNormal(250, 1.0, 5, 50000), 0.2, 2.5, 0.03, -5.3, 190,
                               {"project_clients": 0.6, "compliance_one_offs": 0.4}),
}

def _need_and_region(leads: pd.DataFrame) -> np.ndarray:
    need = leads["specific_need"].map(NEED_EFFECT).to_numpy(float)
    region = leads["country"].map(REGION).to_numpy(object)
    home_compliance = (leads["specific_need"] == "regulatory_compliance").to_numpy() & (region == "DACH")
    return need + pd.Series(region).map(REGION_EFFECT).to_numpy(float) + 0.7 * home_compliance


def _proposals(rng, tables, labels, active_until):
    """Mark the leads that received a written proposal: every won lead, and part of the rest.

    A proposal follows meetings or a request for proposal; most proposals are still lost.
    """
    leads = tables["leads"]
    meetings = np.minimum(leads["meetings_held"].to_numpy(), 3)
    chance = np.clip(0.03 + 0.12 * meetings + 0.3 * leads["rfp_received"].to_numpy(), 0, 0.9)
    leads["proposal_sent"] = leads["converted"].to_numpy() | (rng.random(len(leads)) < chance)
    return {}


SPEC = WorldSpec(
    name="consulting",
    title="A management consulting firm",
    n_customers=500,
    n_leads=2000,
    customer_segments=CUSTOMERS,
    lead_segments=LEADS,
    item_column="service_line",
    b2b=True,
    signal_effects={"meetings_held": 0.8, "rfp_received": 1.2, "whitepaper_downloads": -0.1, "employees": 0.1},
    shared_columns=("industry", "employees", ("business_goal", "specific_need"), "country"),
    extra_log_odds=_need_and_region,
    extra_tables=_proposals,
    missing={("leads", "employees"): 0.2, ("customers", "employees"): 0.03, ("leads", "industry"): 0.05},
)
