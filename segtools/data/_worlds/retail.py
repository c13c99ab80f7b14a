"""The clothing retailer: the running example for the definitions.

Customers are segmented by age, gender, style preference and purchases; leads (newsletter
and web visitors who have not bought) by browsing, engagement with marketing and interest
in sustainable fashion.
"""

from .distributions import Bernoulli, Choice, LogNormal, Normal, Poisson
from .spec import CustomerSegment, LeadSegment, Purchases, WorldSpec

CATEGORIES = ["tops", "dresses", "trousers", "outerwear", "shoes", "accessories"]


def _items(**weights):
    return Choice({c: weights.get(c, 1.0) for c in CATEGORIES})


CUSTOMERS = {
    "trendy_young": CustomerSegment(0.34, {
        "age": Normal(24, 4, 16, 35),
        "gender": Choice({"female": 0.62, "male": 0.33, "non-binary": 0.05}),
        "style_preference": Choice({"trendy": 0.8, "classic": 0.05, "sporty": 0.15}),
        "loyalty_member": Bernoulli(0.35),
    }, Purchases(lifetime_days=420, order_amount=LogNormal(38, 0.45, 5, 600, 2), repeats_per_year=4.0,
                 one_time_share=0.45, order_items=_items(tops=3, dresses=2, accessories=2))),
    "classic_mature": CustomerSegment(0.30, {
        "age": Normal(54, 8, 36, 85),
        "gender": Choice({"female": 0.55, "male": 0.44, "non-binary": 0.01}),
        "style_preference": Choice({"trendy": 0.05, "classic": 0.85, "sporty": 0.10}),
        "loyalty_member": Bernoulli(0.5),
    }, Purchases(lifetime_days=900, order_amount=LogNormal(95, 0.5, 10, 2500, 2), repeats_per_year=1.6,
                 one_time_share=0.35, order_items=_items(outerwear=3, trousers=2, shoes=2))),
    "bargain_hunters": CustomerSegment(0.28, {
        "age": Normal(36, 11, 18, 75),
        "gender": Choice({"female": 0.5, "male": 0.47, "non-binary": 0.03}),
        "style_preference": Choice({"trendy": 0.3, "classic": 0.3, "sporty": 0.4}),
        "loyalty_member": Bernoulli(0.1),
    }, Purchases(lifetime_days=200, order_amount=LogNormal(22, 0.4, 3, 300, 2), repeats_per_year=1.0,
                 one_time_share=0.8, order_items=_items(accessories=2, tops=2))),
    "loyal_vip": CustomerSegment(0.08, {
        "age": Normal(42, 10, 20, 80),
        "gender": Choice({"female": 0.65, "male": 0.34, "non-binary": 0.01}),
        "style_preference": Choice({"trendy": 0.4, "classic": 0.45, "sporty": 0.15}),
        "loyalty_member": Bernoulli(0.95),
    }, Purchases(lifetime_days=2000, order_amount=LogNormal(120, 0.55, 15, 5000, 2), repeats_per_year=9.0,
                 order_items=_items(dresses=2, outerwear=2, shoes=2))),
}

LEADS = {
    "sustainability_seekers": LeadSegment(0.25, {
        "age": Normal(31, 8, 16, 75),
        "gender": Choice({"female": 0.64, "male": 0.32, "non-binary": 0.04}),
        "source": Choice({"newsletter": 3, "organic_search": 2, "social": 2, "paid_search": 1}),
        "page_views": Poisson(14),
        "sustainable_page_views": Poisson(6),
        "email_opens": Poisson(6),
        "email_clicks": Poisson(2.5),
        "wishlist_items": Poisson(2),
        "newsletter_signup": Bernoulli(0.8),
    }, conversion_log_odds=-2.9, days_to_convert=25,
        becomes={"trendy_young": 0.45, "classic_mature": 0.2, "loyal_vip": 0.25, "bargain_hunters": 0.1}),
    "window_shoppers": LeadSegment(0.45, {
        "age": Normal(35, 12, 16, 80),
        "gender": Choice({"female": 0.55, "male": 0.42, "non-binary": 0.03}),
        "source": Choice({"organic_search": 3, "social": 3, "paid_search": 2, "newsletter": 1}),
        "page_views": Poisson(9),
        "sustainable_page_views": Poisson(0.6),
        "email_opens": Poisson(1.5),
        "email_clicks": Poisson(0.3),
        "wishlist_items": Poisson(1),
        "newsletter_signup": Bernoulli(0.3),
    }, conversion_log_odds=-4.0, days_to_convert=45,
        becomes={"trendy_young": 0.35, "classic_mature": 0.35, "bargain_hunters": 0.3}),
    "deal_seekers": LeadSegment(0.30, {
        "age": Normal(40, 13, 16, 80),
        "gender": Choice({"female": 0.5, "male": 0.48, "non-binary": 0.02}),
        "source": Choice({"paid_search": 3, "social": 2, "organic_search": 1, "newsletter": 1}),
        "page_views": Poisson(4),
        "sustainable_page_views": Poisson(0.2),
        "email_opens": Poisson(3),
        "email_clicks": Poisson(1.2),
        "wishlist_items": Poisson(0.3),
        "newsletter_signup": Bernoulli(0.5),
    }, conversion_log_odds=-3.6, days_to_convert=15,
        becomes={"bargain_hunters": 0.8, "trendy_young": 0.1, "classic_mature": 0.1}),
}

SPEC = WorldSpec(
    name="retail",
    title="A clothing retailer",
    n_customers=3000,
    n_leads=4000,
    customer_segments=CUSTOMERS,
    lead_segments=LEADS,
    item_column="category",
    refund_rate=0.06,
    signal_effects={"page_views": 0.25, "sustainable_page_views": 0.2, "email_clicks": 0.35, "wishlist_items": 0.3},
    shared_columns=("age", "gender"),
    countries=Choice({"Netherlands": 4, "Germany": 3, "Belgium": 1, "Italy": 1, "Spain": 1}),
    missing={("customers", "age"): 0.06, ("customers", "gender"): 0.03, ("leads", "age"): 0.15},
)
