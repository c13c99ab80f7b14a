"""A default points table for each case world, written as plain rows an analyst can edit.

The numbers follow the way CRM scoring tables are usually set up: a few large rewards
for strong buying signals (a demo or proposal request), smaller ones for interest, caps on
groups that would otherwise add up without limit (e-mail activity), and negative points for
leads that do not fit (students, tiny budgets).
"""

from __future__ import annotations


def _r(score, group, column, op, value, points, cap=None):
    return {"score": score, "group": group, "column": column, "op": op, "value": value, "points": points, "cap": cap}


DEFAULT_POINTS = {
    "startup": [
        _r("fit", "role", "role", "in", ["founder", "operations"], 10),
        _r("fit", "role", "role", "==", "student", -20),
        _r("fit", "industry", "industry", "in", ["software", "finance"], 5),
        _r("fit", "company_size", "company_size", ">=", 50, 15),
        _r("fit", "company_size", "company_size", "between", [10, 49], 8),
        _r("fit", "company_size", "company_size", "<", 3, -5),
        _r("fit", "budget", "monthly_budget", ">=", 500, 15),
        _r("fit", "budget", "monthly_budget", "between", [150, 499.99], 5),
        _r("fit", "budget", "monthly_budget", "<", 50, -10),
        _r("engagement", "web", "page_views", ">=", 10, 5),
        _r("engagement", "pricing", "pricing_page_views", ">=", 1, 5, cap=15),
        _r("engagement", "pricing", "pricing_page_views", ">=", 3, 12, cap=15),
        _r("engagement", "email", "email_opens", ">=", 3, 3, cap=8),
        _r("engagement", "email", "email_clicks", ">=", 1, 3, cap=8),
        _r("engagement", "email", "email_clicks", ">=", 3, 4, cap=8),
        _r("engagement", "trial", "trial_started", "==", True, 15),
        _r("engagement", "demo", "demo_requested", "==", True, 25),
    ],
    "retail": [
        _r("fit", "age", "age", "between", [25, 45], 5),
        _r("fit", "age", "age", "<", 18, -10),
        _r("fit", "newsletter", "newsletter_signup", "==", True, 5),
        _r("fit", "source", "source", "==", "newsletter", 5),
        _r("engagement", "browsing", "page_views", ">=", 10, 5, cap=15),
        _r("engagement", "browsing", "page_views", ">=", 20, 5, cap=15),
        _r("engagement", "browsing", "sustainable_page_views", ">=", 3, 10, cap=15),
        _r("engagement", "email", "email_opens", ">=", 5, 4, cap=12),
        _r("engagement", "email", "email_clicks", ">=", 1, 4, cap=12),
        _r("engagement", "email", "email_clicks", ">=", 3, 6, cap=12),
        _r("engagement", "wishlist", "wishlist_items", ">=", 1, 5),
        _r("engagement", "wishlist", "wishlist_items", ">=", 3, 10),
        _r("engagement", "inactive", "page_views", "<=", 2, -5),
    ],
    "consulting": [
        _r("fit", "size", "employees", ">=", 1000, 15),
        _r("fit", "size", "employees", "between", [200, 999], 8),
        _r("fit", "size", "employees", "<", 50, -10),
        _r("fit", "industry", "industry", "in", ["financial_services", "energy", "manufacturing"], 5),
        _r("fit", "need", "specific_need", "in", ["digital_transformation", "regulatory_compliance"], 8),
        _r("fit", "region", "country", "in", ["Netherlands", "Germany", "Belgium"], 3),
        _r("engagement", "content", "whitepaper_downloads", ">=", 1, 3, cap=6),
        _r("engagement", "content", "whitepaper_downloads", ">=", 4, 3, cap=6),
        _r("engagement", "email", "email_clicks", ">=", 1, 3),
        _r("engagement", "meetings", "meetings_held", ">=", 1, 10, cap=25),
        _r("engagement", "meetings", "meetings_held", ">=", 3, 15, cap=25),
        _r("engagement", "rfp", "rfp_received", "==", True, 30),
        _r("engagement", "cold", "source", "==", "cold_outreach", -5),
    ],
    "agency": [
        _r("fit", "budget", "monthly_budget", ">=", 8000, 15),
        _r("fit", "budget", "monthly_budget", "between", [3000, 7999.99], 8),
        _r("fit", "budget", "monthly_budget", "<", 1000, -10),
        _r("fit", "industry", "industry", "in", ["ecommerce", "b2b_software"], 5),
        _r("fit", "goal", "marketing_goal", "in", ["online_sales", "lead_generation"], 5),
        _r("engagement", "web", "page_views", ">=", 8, 4),
        _r("engagement", "content", "case_study_downloads", ">=", 1, 4),
        _r("engagement", "email", "email_opens", ">=", 3, 2, cap=6),
        _r("engagement", "email", "email_clicks", ">=", 1, 4, cap=6),
        _r("engagement", "audit", "audit_requested", "==", True, 12),
        _r("engagement", "proposal", "proposal_requested", "==", True, 25),
    ],
}
