"""RFM scores from 1 to 5 and the named RFM segments, with their rules and actions.

**Scores.** Each dimension is cut into (at most) five ordered groups, 5 the best:
recent, frequent, big-spending customers score high. Quintiles break down on real
purchase data: when 70 % of customers bought once, ``pd.qcut`` must either give
identical customers different scores (arbitrary tie-breaking) or drop bins
(``duplicates="drop"``). Here the rule is:

1. customers with equal values always get equal scores;
2. the groups are made as close to equal size as the ties allow: going from the
   worst value upwards, each group takes whole tie groups until it is nearer to its
   fair share (the customers left divided by the scores left) than it would be with
   one more tie group; every group gets at least one distinct value;
3. with fewer distinct values than scores, the scores stop at the number of distinct
   values (1, 2, ...), so a score never claims a difference the data does not have.

On untied data this gives quintiles (as equal as whole customers allow). With
70 % one-time buyers, frequency 1 becomes score 1 and the remaining 30 % are spread
over scores 2 to 5 (typically 2, 3, 4 and 5+ purchases), instead of collapsing.

**Windows keep recency true.** Quintiles are relative: on a long log where most
customers bought once, early on, the "most recent" fifth may have been silent for a
year. Pass ``active_window_days`` (and ``lapsed_window_days``) to :func:`rfm_scores`,
e.g. from :func:`segtools.customers.activity_windows`, and a customer silent for longer
gets at most recency score 2 (1 beyond the lapsed window). Every segment of the default
map that sounds active (:data:`ACTIVE_SEGMENTS`) needs ``r_score >= 3``, so it never
holds a customer silent for longer than the active window.

**Segments.** :func:`rfm_segment_map` publishes the default map: eleven named
segments, each a rule on ``r_score``, ``f_score`` and ``m_score`` and a recommended
action. Rules are tried in order and the first that matches wins; the default map
covers every score combination. Pass your own table (same columns) to
:func:`name_segments` to replace it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segtools import NO_SEGMENT
from segtools._validation import require_columns, require_no_missing

_SEGMENTS = [
    ("Champions", "r_score >= 4 and f_score >= 4 and m_score >= 4",
     "Bought recently, often and for a lot", "Reward them: early access, loyalty perks, ask for reviews and referrals."),
    ("Loyal", "r_score >= 3 and f_score >= 4",
     "Buy often and not long ago", "Offer the premium range or a higher plan; keep them in the loyalty programme."),
    ("Can't lose them", "r_score <= 2 and f_score >= 4 and m_score >= 4",
     "Used to buy often and big, silent for a while", "Win them back in person: a call, a tailored offer."),
    ("At risk", "r_score <= 2 and f_score >= 3",
     "Repeat buyers who have gone quiet", "Send a personal reactivation campaign before they lapse."),
    ("Potential loyalist", "r_score >= 4 and f_score >= 2",
     "Recent buyers with a few purchases", "Offer membership or a subscription; recommend related items."),
    ("Need attention", "r_score == 3 and f_score >= 2",
     "Middling recency and frequency", "Limited-time offers based on what they bought before."),
    ("New", "r_score == 5 and f_score == 1",
     "First purchase, very recently", "Onboard them well: a welcome series and help with the first use."),
    ("Promising", "r_score == 4 and f_score == 1",
     "One recent purchase", "Build the relationship: a free trial of another line, a second-order incentive."),
    ("About to sleep", "r_score == 3 and f_score == 1",
     "One purchase, some time ago", "Remind them with popular items and a modest discount."),
    ("Hibernating", "r_score == 2",
     "Few purchases, long ago", "Include them in low-cost campaigns; do not overspend."),
    ("Lost", "r_score == 1",
     "Few purchases, longest ago", "Try one win-back message, then stop spending on them."),
]


#: Segments of the default map whose name or action promises a recent, active customer (all need r_score >= 3).
ACTIVE_SEGMENTS = ("Champions", "Loyal", "Potential loyalist", "Need attention", "New", "Promising", "About to sleep")

#: The segment of customers whose purchases were all free (amount 0), its description and action.
ONLY_FREE_ITEMS = ("Only free items", "Took only zero-price items (samples, vouchers, free tiers)",
                   "Convert free users to a first paid purchase: show what the paid range adds, with a first-order offer.")


def rfm_segment_map() -> pd.DataFrame:
    """The default named segment map: ``segment``, ``rule``, ``description``, ``action``.

    Rules are tried top to bottom and the first match wins; together they cover every
    combination of scores from 1 to 5.

    Returns
    -------
    DataFrame
        One row per segment, in priority order.

    Examples
    --------
    >>> m = rfm_segment_map()
    >>> len(m), m.loc[0, "segment"], m.loc[0, "rule"]
    (11, 'Champions', 'r_score >= 4 and f_score >= 4 and m_score >= 4')
    """
    return pd.DataFrame(_SEGMENTS, columns=["segment", "rule", "description", "action"])


def tie_aware_scores(values, *, bins: int = 5, higher_is_better: bool = True) -> np.ndarray:
    """Ordered scores ``1..bins`` that keep ties together and balance group sizes.

    Parameters
    ----------
    values : array-like of numbers
        One value per customer, no missing values.
    bins : int
        The number of scores (5 for quintile-like scores).
    higher_is_better : bool
        False for recency in days, where a small value is good.

    Returns
    -------
    ndarray of int
        The score of each value, 1 the worst.

    Examples
    --------
    Seven one-time buyers and three repeat buyers: the one-time buyers share score 1.

    >>> tie_aware_scores([1, 1, 1, 1, 1, 1, 1, 2, 3, 7]).tolist()
    [1, 1, 1, 1, 1, 1, 1, 2, 3, 4]
    >>> tie_aware_scores([10, 20, 30, 40, 50]).tolist()
    [1, 2, 3, 4, 5]
    >>> tie_aware_scores([3, 30, 300], higher_is_better=False).tolist()
    [3, 2, 1]
    """
    x = np.asarray(values)
    if x.size == 0:
        return np.zeros(0, dtype=np.int64)
    if x.dtype.kind not in "iu":
        x = x.astype(np.float64)
        if np.isnan(x).any():
            raise ValueError(f"tie_aware_scores: {int(np.isnan(x).sum()):,} of {x.size:,} values are missing")
    if not higher_is_better:
        x = -x.astype(np.int64) if x.dtype.kind == "u" else -x
    distinct, inverse, counts = _distinct(x)
    cum = np.cumsum(counts)
    m, n = len(distinct), int(cum[-1])
    k = min(bins, m)
    ends, start, done = [], 0, 0
    for b in range(k):
        left = k - b
        if left == 1:
            end = m - 1
        else:
            target = done + (n - done) / left
            end = int(np.searchsorted(cum, target))  # first tie group reaching the target
            if end > start and abs(cum[end - 1] - target) <= abs(cum[min(end, m - 1)] - target):
                end -= 1
            end = min(max(end, start), m - left)
        ends.append(end)
        done, start = int(cum[end]), end + 1
    score_of_distinct = np.repeat(np.arange(1, k + 1), np.diff(np.r_[-1, ends]))
    return score_of_distinct[inverse]


def _distinct(x):
    """What np.unique(x, return_inverse=True, return_counts=True) gives, without sorting all of x."""
    if x.dtype.kind in "iu":
        low = int(x.min())
        span = int(x.max()) - low + 1
        if span <= 4 * len(x) + 1024:
            counts = np.bincount(x - low, minlength=span)
            present = counts > 0
            rank = np.cumsum(present) - 1
            return np.flatnonzero(present) + low, rank[x - low], counts[present]
    codes, uniques = pd.factorize(x)  # hashing, then sorting only the distinct values
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    inverse = rank[codes]
    return uniques[order], inverse, np.bincount(inverse, minlength=len(order))


def rfm_scores(rfm_table: pd.DataFrame, *, bins: int = 5, active_window_days=None, lapsed_window_days=None,
               recency_col="recency", frequency_col="frequency", monetary_col="monetary") -> pd.DataFrame:
    """Add ``r_score``, ``f_score``, ``m_score`` (1-5, 5 the best) and ``rfm_cell`` to an RFM table.

    Parameters
    ----------
    rfm_table : DataFrame
        The output of :func:`segtools.customers.rfm` (or any table with the three columns).
    bins : int
        Number of scores per dimension.
    active_window_days : int, optional
        Customers whose recency (days since the last purchase) is longer get a recency
        score of at most 2, whatever their quintile: no active-sounding segment for them.
    lapsed_window_days : int, optional
        Customers silent for longer get recency score 1.
    recency_col, frequency_col, monetary_col : str
        Column names; recency is in days, so a lower value scores higher.

    Returns
    -------
    DataFrame
        A copy of the input with the score columns added; ``rfm_cell`` is the
        three-digit code such as ``"545"`` (a categorical column). ``attrs["capped"]``
        counts the customers whose recency score a window lowered.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"recency": [5, 40, 300], "frequency": [4, 1, 1], "monetary": [90.0, 20.0, 15.0]})
    >>> rfm_scores(t)[["r_score", "f_score", "m_score", "rfm_cell"]].to_dict("list")
    {'r_score': [3, 2, 1], 'f_score': [2, 1, 1], 'm_score': [3, 2, 1], 'rfm_cell': ['323', '212', '111']}

    The most recent customer here has been silent for 40 days: not active when the
    active window is 30 days, so their recency score drops to 2:

    >>> late = t.assign(recency=[40, 50, 60])
    >>> rfm_scores(late)["r_score"].tolist(), rfm_scores(late, active_window_days=30)["r_score"].tolist()
    ([3, 2, 1], [2, 2, 1])
    """
    cols = [recency_col, frequency_col, monetary_col]
    require_columns(rfm_table, cols, "rfm")
    require_no_missing(rfm_table, cols, "rfm")
    out = rfm_table.copy()
    recency = rfm_table[recency_col].to_numpy()
    r = tie_aware_scores(recency, bins=bins, higher_is_better=False)
    before = r.copy()
    for window, cap in ((active_window_days, 2), (lapsed_window_days, 1)):
        if window is not None:
            if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
                raise ValueError(f"windows must be whole numbers of days, 1 or more, got {window!r}")
            r = np.where(recency > window, np.minimum(r, cap), r)
    out["r_score"] = r
    out["f_score"] = tie_aware_scores(rfm_table[frequency_col].to_numpy(), bins=bins)
    out["m_score"] = tie_aware_scores(rfm_table[monetary_col].to_numpy(), bins=bins)
    out["rfm_cell"] = _cells(out["r_score"].to_numpy(), out["f_score"].to_numpy(), out["m_score"].to_numpy(), bins)
    out.attrs["capped"] = int((r != before).sum())
    return out


def _cells(r, f, m, bins):
    """The three-digit cell code as a categorical (built from integer codes: fast on millions)."""
    from itertools import product

    sep = "" if bins <= 9 else "-"
    labels = [sep.join(map(str, t)) for t in product(range(1, bins + 1), repeat=3)]
    codes = ((r - 1) * bins + (f - 1)) * bins + (m - 1)
    return pd.Categorical.from_codes(codes, categories=labels)


def name_segments(scores: pd.DataFrame, segment_map: pd.DataFrame | None = None, *, default=NO_SEGMENT):
    """Name each customer's RFM segment with an ordered rule map (first match wins).

    Parameters
    ----------
    scores : DataFrame
        Has the columns the rules use (``r_score``, ``f_score``, ``m_score`` for the default map).
    segment_map : DataFrame, optional
        Columns ``segment`` and ``rule`` (conditions joined by ``and``), in priority
        order; :func:`rfm_segment_map` when omitted.
    default : str
        The label of rows no rule matches (never the case with the default map).

    Returns
    -------
    Series
        Categorical segment names, categories in map order, indexed like ``scores``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"r_score": [5, 5, 1], "f_score": [5, 1, 1], "m_score": [5, 2, 1]})
    >>> name_segments(s).tolist()
    ['Champions', 'New', 'Lost']

    The categories are the map's segments, plus ``default`` only when a row matched no rule.
    """
    from segtools.customers.segmenters import RuleSegmenter

    segment_map = rfm_segment_map() if segment_map is None else segment_map
    require_columns(segment_map, ["segment", "rule"], "segment_map")
    rules = dict(zip(segment_map["segment"], segment_map["rule"]))
    first = RuleSegmenter(rules, default=default).first_match(scores)
    names = list(rules)
    cats = names + ([default] if (first == len(names)).any() else [])
    return pd.Series(pd.Categorical.from_codes(first, categories=cats), index=scores.index, name="segment")
