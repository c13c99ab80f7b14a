"""Data cards for the case worlds, written from the data itself into ``datasets/README.md``.

Types, allowed values, ranges and missing rates are measured on the committed tables, so
the card cannot drift from the data (a test regenerates it and compares). Meanings and
units are written here by hand, one line per column.
"""

from __future__ import annotations

from pathlib import Path

# column -> (unit, meaning)
COLUMN_DOCS = {
    "customer_id": ("id", "the customer; in `leads`, the customer the lead became (post-outcome)"),
    "lead_id": ("id", "the lead"),
    "transaction_id": ("id", "the payment or refund, numbered in date order"),
    "campaign_id": ("id", "the campaign, numbered in start order"),
    "name": ("text", "invented contact name"),
    "email": ("text", "invented address at example.com"),
    "company": ("text", "invented organisation name"),
    "country": ("text", "country of the customer or lead"),
    "signup_date": ("date", "first purchase or contract start; for a converted lead, its conversion day"),
    "age": ("years", "age given at sign-up"),
    "gender": ("category", "gender given at sign-up"),
    "style_preference": ("category", "the style the customer mostly buys (psychographic)"),
    "loyalty_member": ("yes/no", "joined the loyalty programme"),
    "date": ("date", "day of the payment (transactions) or of the survey answer (feedback)"),
    "amount": ("EUR", "amount paid; negative = a refund of an earlier order"),
    "category": ("category", "clothing category bought"),
    "item": ("category", "subscription fee or add-on bought"),
    "service_line": ("category", "consulting service line invoiced"),
    "service": ("category", "monthly retainer or a one-off project"),
    "created_at": ("date", "day the lead was created (first form, sign-up or contact)"),
    "source": ("category", "channel the lead came from"),
    "page_views": ("count", "website pages viewed before the export or the conversion"),
    "sustainable_page_views": ("count", "pages of the sustainable collection viewed"),
    "email_opens": ("count", "marketing e-mails opened"),
    "email_clicks": ("count", "marketing e-mails clicked"),
    "wishlist_items": ("count", "items on the wish list"),
    "newsletter_signup": ("yes/no", "subscribed to the newsletter"),
    "last_activity_at": ("date", "day of the lead's last recorded activity"),
    "converted": ("yes/no", "the lead became a customer by 2025-12-31 (the outcome)"),
    "converted_at": ("date", "day the lead became a customer (post-outcome)"),
    "status": ("category", "CRM status at export: open, lost or won (post-outcome)"),
    "deal_value": ("EUR", "first payment of the converted lead (post-outcome)"),
    "plan": ("category", "subscription plan"),
    "seats": ("count", "paid user seats"),
    "company_size": ("employees", "number of employees"),
    "employees": ("employees", "number of employees (organisation size)"),
    "industry": ("category", "industry of the organisation"),
    "acquisition_channel": ("category", "channel through which the customer first came"),
    "role": ("category", "job role of the contact"),
    "monthly_budget": ("EUR/month", "stated marketing or software budget per month"),
    "pricing_page_views": ("count", "views of the pricing page"),
    "trial_started": ("yes/no", "started a free trial"),
    "demo_requested": ("yes/no", "asked for a demo"),
    "month": ("date", "first day of the usage month"),
    "active_users": ("count", "users active in the month"),
    "sessions": ("count", "sessions in the month"),
    "features_used": ("count", "distinct features used in the month (of 15)"),
    "nps_score": ("0-10", "answer to 'how likely are you to recommend us?'"),
    "business_goal": ("category", "the client's main business goal (needs-based)"),
    "specific_need": ("category", "the need the lead asked about"),
    "whitepaper_downloads": ("count", "white papers downloaded"),
    "meetings_held": ("count", "meetings held with the lead"),
    "rfp_received": ("yes/no", "the lead sent a request for proposal"),
    "proposal_sent": ("yes/no", ("the firm sent the lead a written proposal (every signed deal had one; known "
                                 "only late in the sales cycle, so it leaks the outcome)")),
    "service_interest": ("category", ("the service the lead asked about; each has a minimum monthly media budget "
                                      "(search_ads 1,500, social_ads 1,000, brand_campaign 4,000, full_service "
                                      "6,000 EUR)")),
    "preferred_channel": ("category", "the client's preferred marketing channel"),
    "target_audience": ("category", "the audience the client's campaigns target"),
    "marketing_goal": ("category", "the lead's main marketing goal"),
    "case_study_downloads": ("count", "case studies downloaded"),
    "audit_requested": ("yes/no", "asked for a free marketing audit"),
    "proposal_requested": ("yes/no", "asked for a proposal"),
    "start_date": ("date", "first day of the campaign"),
    "channel": ("category", "channel of the campaign"),
    "spend": ("EUR", "media spend of the campaign"),
    "impressions": ("count", "ad impressions"),
    "clicks": ("count", "ad clicks"),
    "conversions": ("count", "conversions attributed to the campaign"),
    "revenue": ("EUR", "client revenue attributed to the campaign"),
    "segment": ("category", "the planted latent segment (answer key only)"),
    # the extra tables of segtools.data._worlds.extras (segmentation-software chapter)
    "postcode": ("text", "postcode area of the customer (invented); in `lifestyle_codes`, the area coded"),
    "lifestyle_group": ("category", "the bought-in lifestyle group of the postcode area (invented code table)"),
    "code_year": ("year", "the year the lifestyle code was assigned"),
    "cost_per_record": ("EUR", "price of the code per enriched customer record"),
    "device": ("category", "the device the customer mostly uses"),
    "apps_used": ("text", "apps the customer uses, separated by `;`"),
    "social_platform": ("category", "the customer's main social platform (`none`: no main platform)"),
    "follows_brand": ("yes/no", "the customer follows the brand on social media"),
    "age_band": ("category", "age in bands (`unknown` when the age is not known)"),
    "answered_at": ("date", "the day the customer answered the needs survey"),
    "need_price": ("1-5", "how much price matters to the customer (survey)"),
    "need_quality": ("1-5", "how much quality matters to the customer (survey)"),
    "need_sustainability": ("1-5", "how much sustainability matters to the customer (survey)"),
    "need_convenience": ("1-5", "how much convenience matters to the customer (survey)"),
    "integrations": ("text", "other software the customer connects to the app, separated by `;`"),
    "browser": ("category", "the browser the customer mostly uses"),
}

STORIES = {
    "retail": "A clothing retailer with shops and a web shop. Four planted customer segments (trendy young "
              "shoppers, classic mature shoppers, bargain hunters, loyal VIPs) differ in age, gender, style and "
              "how often and how much they buy; most customers buy once. Three planted lead segments "
              "(sustainability seekers, window shoppers, deal seekers) differ in browsing, e-mail engagement and "
              "interest in the sustainable collection; about 1 lead in 10 converts. About 6% of orders are "
              "refunded in full a few days to a month later.",
    "startup": "A subscription software startup (team analytics app) billing a monthly fee per seat by plan, "
               "plus occasional add-ons. Planted customer segments (power users, steady core, at risk, trial and "
               "leave) differ in usage (`usage`), churn and NPS answers (`feedback`, about 40% reply). Planted lead "
               "segments (ready buyers, curious explorers, small budget) differ in interest (trial, pricing page, "
               "demo), company size and budget; about 1 lead in 10 converts.",
    "consulting": "A management consulting firm invoicing projects to organisations. Planted client segments "
                  "(strategic accounts, project clients, compliance one-offs) differ in industry, size, goals "
                  "and invoice size and frequency. Planted lead segments (urgent transformers, compliance driven, "
                  "early researchers) differ in need, meetings and requests for proposal. Deals are few and "
                  "large: about 7 leads in 100 sign, after a proposal (`proposal_sent`) and months of talks "
                  "(median close to four months); win rates depend on the specific need (cost reduction loses "
                  "most pitches) and the region (weak in Italy and Spain, compliance strongest in DACH).",
    "agency": "A digital marketing agency billing a monthly retainer (about 15% of the client's media budget, at "
              "least 450 EUR) plus one-off projects, and running a campaign per client per quarter (`campaigns`). "
              "Planted client segments (performance marketers, brand builders, local small businesses) differ in "
              "channel, audience, budget and campaign returns. Planted lead segments (growth ready, brand curious, "
              "budget constrained) differ in goals, budget and requests; about 1 lead in 10 converts. Whether a "
              "lead signs turns on budget fit (its `monthly_budget` against the minimum of its "
              "`service_interest`) and on its goal (sales and lead generation sign more than brand awareness). "
              "Return on ad spend (`revenue / spend`) depends on the client segment and the channel (search and "
              "e-mail return most per euro, display and video least).",
}

HEADER = """# The case worlds: data cards

Four invented businesses, generated by `segtools.data.make_case(name)` (seed {seed}) and
committed here as CSV files; `load_case(name)` reads them and a test proves the generator
reproduces them byte for byte. Data runs from 2022-01-01 to 2025-12-31 (leads from 2024-01-01);
the analysis date (`case.snapshot_date`) is 2026-01-01. Names are invented and e-mail
addresses use example.com: there is no real personal data.

Each world folder has `customers.csv`, `transactions.csv`, `leads.csv`, the world's own
tables, and `answer_key/` with the planted segments (`customers.csv`: customer_id, segment;
`leads.csv`: lead_id, segment), kept apart from the features so that a method can be scored
against them. A lead's outcome columns (`converted_at`, `status`, `customer_id`,
`deal_value`) are known only after the outcome: never use them to predict it.

Regenerate everything (CSVs and this file) with `python -m segtools.data write`.
This file is generated: edit `segtools/data/cards.py`, not this file.
"""


def _allowed(series) -> str:
    s = series.dropna()
    if s.empty:
        return ""
    kind = series.dtype.kind
    if kind == "b":
        return "True, False"
    if kind == "M":
        return f"{s.min():%Y-%m-%d} to {s.max():%Y-%m-%d}"
    if kind in "iuf":
        fmt = "{:,.0f}" if (s == s.round()).all() else "{:,.2f}"
        return f"{fmt.format(s.min())} to {fmt.format(s.max())}"
    values = sorted(s.unique())
    if len(values) <= 8:
        return ", ".join(values)
    return f"{len(values):,} distinct"


def _column_docs() -> dict:
    """COLUMN_DOCS plus the docs of the extra tables' columns, if their module declares them."""
    try:
        from segtools.data._worlds import extras
    except ImportError:
        return COLUMN_DOCS
    return {**getattr(extras, "COLUMN_DOCS", {}), **COLUMN_DOCS}


def table_card(frame, table: str) -> str:
    """A Markdown table with one line per column: type, unit, meaning, allowed values, missing rate.

    Parameters
    ----------
    frame : DataFrame
        The table as the workbook reads it.
    table : str
        Its name (``customers``, ``transactions``, ``leads`` or a world's own table).

    Returns
    -------
    str
        The card: a heading with the row count, then one Markdown table row per column.

    Examples
    --------
    >>> import pandas as pd
    >>> print(table_card(pd.DataFrame({"amount": [9.5, None]}), "transactions").splitlines()[0])
    #### `transactions` (2 rows)
    """
    lines = [f"#### `{table}` ({len(frame):,} rows)", "",
             "| column | type | unit | meaning | values | missing |", "|---|---|---|---|---|---|"]
    for col in frame.columns:
        unit, meaning = _column_docs().get(col, ("", "(undocumented)"))
        missing = frame[col].isna().mean()
        if table == "leads" and col in ("converted_at", "customer_id", "deal_value"):
            missing_text = f"{missing:.0%} (empty unless converted)"
        else:
            missing_text = f"{missing:.0%}" if missing else "0"
        lines.append(f"| `{col}` | {frame[col].dtype} | {unit} | {meaning} | {_allowed(frame[col])} | {missing_text} |")
    return "\n".join(lines)


def data_cards_markdown() -> str:
    """The data cards of every world (``datasets/README.md``), from the committed data.

    Returns
    -------
    str
        Markdown: the header, then per world its story, one card per table and its answer key.
    """
    from segtools.data.cases import DEFAULT_SEED, WORLDS, load_case

    parts = [HEADER.format(seed=DEFAULT_SEED)]
    for name in WORLDS:
        case = load_case(name)
        parts.append(f"## `{name}`: {case.title}\n\n{STORIES[name]}\n")
        parts.extend(table_card(frame, table) + "\n" for table, frame in case.tables.items())
        segments = {t: ", ".join(f"{k} ({v:.0%})" for k, v in case.answer_key[t]["segment"].value_counts(normalize=True)
                                 .sort_index().items()) for t in ("customers", "leads")}
        parts.append(f"Answer key: customer segments {segments['customers']}; lead segments {segments['leads']}.\n")
    return "\n".join(parts)


def write_data_cards(folder) -> None:
    """Write :func:`data_cards_markdown` to ``folder/README.md``.

    Parameters
    ----------
    folder : str or Path
        The datasets folder.
    """
    (Path(folder) / "README.md").write_text(data_cards_markdown(), encoding="utf-8")
