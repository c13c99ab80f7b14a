"""The contrast table: customer segmentation and lead segmentation compared, filled from data.

Use it as ``segtools.compare.contrast_table``; it lives in its own file to keep
``compare`` short. Every cell that can be measured is measured on the tables you pass
(population sizes, the stage in the journey, today's rates, the spread between segments,
the rhythm of purchases and conversions); only the methods and, optionally, the actions
are words you supply.
"""

from __future__ import annotations

from segtools.errors import ValidationError

#: The aspects of :func:`contrast_table`, in order.
ASPECTS = ("population", "stage of the customer journey", "goal", "typical data", "methods",
           "success measures", "typical actions", "how often it is redone")

CUSTOMER, LEAD = "customer segmentation", "lead segmentation"


def _cadence(days: float, steps) -> str:
    """The first label of ``steps`` ((limit in days, label), ...) whose limit is at least ``days``."""
    for limit, label in steps:
        if days <= limit:
            return label
    return steps[-1][1]


#: Calendar periods for redoing customer segments: (longest 3 purchase cycles it suits, label, days in it).
_PERIODS = ((45, "month", 30.44), (120, "quarter", 91.31), (240, "half year", 182.62), (1e9, "year", 365.25))


def _redo_customers(gap: float) -> str:
    """How often customer segments are redone: the calendar period nearest to three purchase cycles.

    The sentence states how many cycles of ``gap`` days the chosen period really holds.

    >>> _redo_customers(38.0)
    'every quarter (2.4 purchase cycles of 38 days, the median gap between purchases), and after a change in the offer'
    >>> _redo_customers(float("nan"))[:50]
    'every year (too few repeat purchases to measure a '
    """
    if not gap > 0:  # no repeat buyers (NaN) or same-day repeats only
        return ("every year (too few repeat purchases to measure a purchase cycle), and after a change in the "
                "offer")
    limit, label, days = next((p for p in _PERIODS if 3 * gap <= p[0]), _PERIODS[-1])
    return (f"every {label} ({days / gap:.1f} purchase cycles of {gap:.0f} days, the median gap between purchases), "
            "and after a change in the offer")


def purchase_gap_days(transactions, *, customer_id_col="customer_id", date_col="date",
                      amount_col="amount") -> float:
    """Median days between a customer's consecutive purchases (positive amounts), over repeat buyers.

    Parameters
    ----------
    transactions : DataFrame
        One row a transaction.
    customer_id_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    float
        The median gap in days; NaN when no customer bought twice.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B"], "amount": [5.0, 5.0, 5.0, 9.0],
    ...                    "date": pd.to_datetime(["2025-01-01", "2025-01-11", "2025-01-31", "2025-03-01"])})
    >>> purchase_gap_days(tx)
    15.0
    """
    buys = transactions.loc[transactions[amount_col] > 0, [customer_id_col, date_col]]
    buys = buys.sort_values([customer_id_col, date_col])
    gaps = buys.groupby(customer_id_col)[date_col].diff().dropna().dt.days
    return float(gaps.median()) if len(gaps) else float("nan")


def _fmt_range(out, column, fmt, skip):
    rows = out.drop(index=skip, errors="ignore")
    lo, hi = rows[column].idxmin(), rows[column].idxmax()
    return f"{fmt(rows.loc[lo, column])} ({lo}) to {fmt(rows.loc[hi, column])} ({hi})"


def _actions(actions, default):
    if actions is None:
        return default
    if isinstance(actions, dict):
        return "; ".join(f"{seg}: {what}" for seg, what in actions.items())
    return str(actions)


def contrast_table(*, customers, transactions, leads, customer_segment, lead_segment, snapshot_date,
                   customer_data, lead_data, customer_method, lead_method, customer_actions=None,
                   lead_actions=None, active_days=90, outcome_col="converted", created_at_col="created_at",
                   converted_at_col="converted_at"):
    """Customer segmentation and lead segmentation of one company, aspect by aspect.

    Parameters
    ----------
    customers, transactions, leads : DataFrame
        The company's tables (``case.customers``, ``case.transactions``, ``case.leads``).
    customer_segment : Series or DataFrame
        Customer segment labels indexed by customer_id (or a customer_id, segment frame).
    lead_segment : str, Series or array-like
        A column of ``leads``, or labels on ``leads.index``.
    snapshot_date : Timestamp or str
        The analysis date (``case.snapshot_date``).
    customer_data, lead_data : list of str
        The attributes each segmentation used, e.g. ``["recency", "frequency", "nps"]``.
    customer_method, lead_method : str or estimator
        How the segments were made; an estimator is shown by its ``repr``.
    customer_actions, lead_actions : str or dict, optional
        The actions per segment (``{segment: action}``); by default they are derived from
        the measured outcomes (win back the least active segment, call the best leads first).
    active_days : int, default 90
        The window of :func:`segtools.compare.customer_outcomes`'s ``active_rate``.
    outcome_col, created_at_col, converted_at_col : str
        The outcome and date columns of ``leads``; without the dates the time to convert is left out.

    Returns
    -------
    DataFrame
        Indexed by ``aspect`` (:data:`segtools.ASPECTS`), with the columns
        ``customer segmentation`` and ``lead segmentation``, each cell a short text with the
        numbers measured on the tables.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> case = load_case("startup")
    >>> seg = case.answer_key["customers"]
    >>> t = contrast_table(customers=case.customers, transactions=case.transactions, leads=case.leads,
    ...                    customer_segment=seg, lead_segment=case.answer_key["leads"]["segment"],
    ...                    snapshot_date=case.snapshot_date, customer_data=["usage", "purchases", "NPS"],
    ...                    lead_data=["interest", "budget"], customer_method="planted segments",
    ...                    lead_method="planted segments")
    >>> print(t.loc["population", "lead segmentation"])
    5,000 leads: people who showed interest and had not bought; 516 have bought since (10.3%)
    """
    import pandas as pd

    from segtools._validation import require_frame
    from segtools.compare._labels import NO_SEGMENT
    from segtools.compare.outcomes import ALL, customer_outcomes, lead_outcomes

    for name, df in (("customers", customers), ("transactions", transactions), ("leads", leads)):
        require_frame(df, name)
    snapshot = pd.Timestamp(snapshot_date)
    cust = customer_outcomes(transactions, customer_segment, snapshot, active_days=active_days)
    lead = lead_outcomes(leads, lead_segment, outcome_col=outcome_col)
    everyone, all_leads = cust.loc[ALL], lead.loc[ALL]
    skip = [ALL, NO_SEGMENT]
    cseg = cust.drop(index=skip, errors="ignore")
    lseg = lead.drop(index=skip, errors="ignore")
    if cseg.empty or lseg.empty:
        raise ValidationError("contrast_table: both segmentations need at least one named segment",
                              table="customers" if cseg.empty else "leads")

    first_buy = transactions.groupby("customer_id")["date"].min()
    tenure = ((snapshot - first_buy).dt.days / 30.44).median()
    if created_at_col in leads.columns and converted_at_col in leads.columns:
        took = (leads[converted_at_col] - leads[created_at_col]).dt.days[leads[outcome_col].astype(bool)]
        to_convert = float(took.median()) if took.notna().any() else float("nan")
    else:
        to_convert = float("nan")
    gap = purchase_gap_days(transactions)

    pct = "{:.0%}".format
    eur = "€{:,.0f}".format
    best, worst = lseg["lift"].idxmax(), lseg["lift"].idxmin()
    value_seg, sleepy = cseg["revenue_per_customer"].idxmax(), cseg["active_rate"].idxmin()

    cells = {
        "population": (
            f"{len(customers):,} customers: people who have bought; {int(everyone['customers']):,} with a "
            f"purchase history of {len(transactions):,} transactions",
            f"{int(all_leads['leads']):,} leads: people who showed interest and had not bought; "
            f"{int(all_leads['converted']):,} have bought since ({all_leads['conversion_rate']:.1%})"),
        "stage of the customer journey": (
            f"after the first purchase: median {tenure:.0f} months since a customer's first purchase "
            f"at {snapshot.date()}",
            "before the first purchase: from first interest to the sale"
            + (f"; converted leads took a median of {to_convert:.0f} days" if to_convert == to_convert else "")),
        "goal": (
            f"keep and grow customers (experience, loyalty, retention): today {pct(everyone['active_rate'])} "
            f"bought in the last {active_days} days and {pct(everyone['repeat_rate'])} bought more than once",
            f"spend sales and marketing time where conversion is likely: today {all_leads['conversion_rate']:.1%} "
            f"of leads convert"),
        "typical data": (
            f"{', '.join(customer_data)}; from the customer table and the purchase history",
            f"{', '.join(lead_data)}; from forms, enrichment and tracked interest, without the outcome columns"),
        "methods": (
            f"{customer_method} -> {len(cseg)} segments: "
            + ", ".join(f"{s} ({int(n):,})" for s, n in cseg["customers"].items()),
            f"{lead_method} -> {len(lseg)} segments: "
            + ", ".join(f"{s} ({int(n):,})" for s, n in lseg["leads"].items())),
        "success measures": (
            f"retention and value per segment: active in the last {active_days} days from "
            f"{_fmt_range(cseg, 'active_rate', pct, skip)}; revenue per customer from "
            f"{_fmt_range(cseg, 'revenue_per_customer', eur, skip)}",
            f"conversion per segment: from {_fmt_range(lseg, 'conversion_rate', '{:.1%}'.format, skip)}; "
            f"the best segment converts {lseg.loc[best, 'lift']:.1f}x the average"),
        "typical actions": (
            _actions(customer_actions,
                     f"tailored offers, service and messages per segment: e.g. reward and keep {value_seg} "
                     f"({eur(cseg.loc[value_seg, 'revenue_per_customer'])} per customer), win back {sleepy} "
                     f"({pct(cseg.loc[sleepy, 'active_rate'])} active)"),
            _actions(lead_actions,
                     f"prioritise, route and tailor the pitch: e.g. call {best} first "
                     f"({lseg.loc[best, 'conversion_rate']:.0%} convert), nurture {worst} by e-mail "
                     f"({lseg.loc[worst, 'conversion_rate']:.0%} convert)")),
        "how often it is redone": (
            _redo_customers(gap),
            "continuously: scores change with every visit or e-mail click; review the segments every "
            + (_cadence(to_convert, ((14, 'day'), (90, 'week'), (1e9, 'month')))
               if to_convert == to_convert else "week")
            + (f" (a sale takes a median of {to_convert:.0f} days)" if to_convert == to_convert else "")),
    }
    out = pd.DataFrame.from_dict(cells, orient="index", columns=[CUSTOMER, LEAD])
    out.index.name = "aspect"
    return out.loc[list(ASPECTS)]
