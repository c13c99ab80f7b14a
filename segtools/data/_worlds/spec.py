"""The declarative description of a case world: segments, attributes, behaviour.

A :class:`WorldSpec` says *what* a world looks like; :mod:`segtools.data._worlds.engine`
turns it into tables. The four worlds are written out in the sibling modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from .distributions import Choice, LogNormal

# The story's calendar, shared by every world.
CUSTOMERS_FROM = np.datetime64("2022-01-01")  # earliest sign-up of the pre-existing customers
LEADS_FROM = np.datetime64("2024-01-01")  # lead tracking starts here
DATA_UNTIL = np.datetime64("2025-12-31")  # last day with data
SNAPSHOT_DATE = np.datetime64("2026-01-01")  # the day the analysis is run


@dataclass(frozen=True)
class Purchases:
    """How a customer segment buys.

    Orders: a first order at sign-up, then repeat orders at ``repeats_per_year`` while
    active (a ``one_time_share`` never returns). Subscription: a fee every
    ``period_days`` from sign-up until the customer churns.
    """

    lifetime_days: float  # mean active lifetime (exponential): churn
    order_amount: LogNormal  # spend per order
    repeats_per_year: float = 0.0
    one_time_share: float = 0.0
    order_items: Optional[Choice] = None  # the value of the world's item column on orders
    subscription: bool = False


@dataclass(frozen=True)
class CustomerSegment:
    share: float
    attributes: dict
    purchases: Purchases


@dataclass(frozen=True)
class LeadSegment:
    share: float
    attributes: dict
    conversion_log_odds: float  # before the signal effects below
    days_to_convert: float  # mean of the time to convert
    becomes: dict  # customer segment -> weight, for leads of this segment that convert
    # shape of the gamma time to convert: 1 is exponential (most decide fast, a few late);
    # larger is a decision process with steps (meetings, proposal, board approval): few decide early
    decision_shape: float = 1.0


@dataclass(frozen=True)
class WorldSpec:
    name: str
    title: str
    n_customers: int
    n_leads: int
    customer_segments: dict
    lead_segments: dict
    item_column: str  # the transactions column that says what was bought
    subscription_item: str = "subscription"
    b2b: bool = False  # customers and leads are organisations with a company name
    refund_rate: float = 0.0  # share of orders refunded in full later (a negative amount)
    # lead column -> change in conversion log-odds per unit of log1p(count) or per yes
    signal_effects: dict = field(default_factory=dict)
    # columns a converted lead passes on to the customer it becomes
    shared_columns: tuple = ()
    # (table, column) -> share of values blanked out, as in real CRM exports
    missing: dict = field(default_factory=dict)
    # customers -> monthly subscription fee; default: the segment's order_amount
    subscription_fee: Optional[Callable] = None
    # (rng, tables, customer_segment, active_until) -> extra tables for the world's story
    extra_tables: Optional[Callable] = None
    countries: Optional[Choice] = None
    # leads (attribute columns) -> change in conversion log-odds per row, for effects of categories
    # and of combinations (a budget that fits a service's minimum), added after signal_effects
    extra_log_odds: Optional[Callable] = None
