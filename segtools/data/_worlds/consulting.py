"""A management consulting firm serving mid-sized and large organisations.

Clients are segmented by industry, organisation size and business goals; leads by
industry, their specific need and their geographic location.
"""

from .distributions import Bernoulli, Choice, LogNormal, Poisson
from .spec import CustomerSegment, LeadSegment, Purchases, WorldSpec

INDUSTRIES = {"manufacturing": 1, "financial_services": 1, "healthcare": 1, "public_sector": 1, "retail": 1,
              "energy": 1, "technology": 1}
NEEDS = ["cost_reduction", "growth_strategy", "digital_transformation", "regulatory_compliance", "restructuring"]
SERVICE_LINES = ["strategy", "operations", "technology", "people_and_change", "risk_and_compliance"]


def _weights(names, **favoured):
    return Choice({n: favoured.get(n, 1.0) for n in names})


CUSTOMERS = {
    "strategic_accounts": CustomerSegment(0.2, {
        "industry": _weights(INDUSTRIES, financial_services=3, energy=2, public_sector=2),
        "employees": LogNormal(4000, 0.8, 250, 200000),
        "business_goal": _weights(NEEDS, digital_transformation=3, growth_strategy=2),
    }, Purchases(lifetime_days=1500, order_amount=LogNormal(60000, 0.6, 5000, 2000000, 2), repeats_per_year=4.0,
                 order_items=_weights(SERVICE_LINES, strategy=2, technology=2))),
    "project_clients": CustomerSegment(0.45, {
        "industry": _weights(INDUSTRIES, manufacturing=2, retail=2, technology=2),
        "employees": LogNormal(600, 0.8, 50, 20000),
        "business_goal": _weights(NEEDS, cost_reduction=3, digital_transformation=2),
    }, Purchases(lifetime_days=700, order_amount=LogNormal(25000, 0.6, 2000, 500000, 2), repeats_per_year=1.2,
                 one_time_share=0.3, order_items=_weights(SERVICE_LINES, operations=3, technology=2))),
    "compliance_one_offs": CustomerSegment(0.35, {
        "industry": _weights(INDUSTRIES, healthcare=3, financial_services=2, public_sector=2),
        "employees": LogNormal(300, 0.9, 20, 20000),
        "business_goal": _weights(NEEDS, regulatory_compliance=5, restructuring=1),
    }, Purchases(lifetime_days=250, order_amount=LogNormal(9000, 0.5, 1000, 200000, 2), repeats_per_year=0.5,
                 one_time_share=0.7, order_items=_weights(SERVICE_LINES, risk_and_compliance=5))),
}


def _lead(share, industry, need, size, meetings, downloads, rfp, log_odds, days, becomes):
    return LeadSegment(share, {
        "industry": industry, "specific_need": need, "employees": size,
        "source": Choice({"referral": 2, "event": 2, "website": 3, "linkedin": 2, "cold_outreach": 1}),
        "page_views": Poisson(5), "email_opens": Poisson(3), "email_clicks": Poisson(0.8),
        "whitepaper_downloads": Poisson(downloads), "meetings_held": Poisson(meetings),
        "rfp_received": Bernoulli(rfp),
    }, log_odds, days, becomes)


LEADS = {
    "urgent_transformers": _lead(0.25, _weights(INDUSTRIES, financial_services=2, manufacturing=2, energy=2),
                                 _weights(NEEDS, digital_transformation=4, growth_strategy=2),
                                 LogNormal(2000, 0.9, 50, 200000), 2.0, 1.0, 0.45, -3.2, 40,
                                 {"strategic_accounts": 0.5, "project_clients": 0.5}),
    "compliance_driven": _lead(0.30, _weights(INDUSTRIES, healthcare=3, financial_services=2, public_sector=2),
                               _weights(NEEDS, regulatory_compliance=6), LogNormal(400, 0.9, 20, 50000),
                               1.0, 1.5, 0.3, -3.6, 30, {"compliance_one_offs": 0.8, "project_clients": 0.2}),
    "early_researchers": _lead(0.45, _weights(INDUSTRIES), _weights(NEEDS, cost_reduction=2),
                               LogNormal(250, 1.0, 5, 50000), 0.2, 2.5, 0.03, -5.0, 60,
                               {"project_clients": 0.6, "compliance_one_offs": 0.4}),
}

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
    shared_columns=("industry", "employees", ("business_goal", "specific_need")),
    countries=Choice({"Netherlands": 3, "Germany": 3, "Belgium": 1, "Switzerland": 1, "Italy": 1, "Spain": 1,
                      "Austria": 1}),
    missing={("leads", "employees"): 0.2, ("customers", "employees"): 0.03, ("leads", "industry"): 0.05},
)
