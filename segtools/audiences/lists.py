"""CRM-style lists (as HubSpot offers them): active and static lists, event segments, contact scores.

* An **active list** is a saved rule: each time it is evaluated on newer data its members
  change. A **static list** is a snapshot: the members who met the rule on ``snapshot_date``,
  frozen. Conditions are read by :class:`segtools.customers.RuleSegmenter`
  (``"recency <= 30"``, ``"country in ['Spain', 'Italy']"``).
* An **event segment** holds everyone with at least ``min_events`` events (a purchase, a
  visit to the pricing page) in the ``days`` before ``snapshot_date``.
* A **contact score** adds fit and engagement points with caps per group and a decay,
  computed by :class:`segtools.leads.RuleScorer`; the list is everyone at or above a threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segtools.customers.segmenters import RuleSegmenter

MATCHES = ("all", "any")


def _conditions(conditions) -> list:
    if isinstance(conditions, str):
        conditions = [conditions]
    if not isinstance(conditions, (list, tuple)) or not all(isinstance(c, str) for c in conditions):
        raise TypeError("conditions must be a list of texts like 'recency <= 30'")
    if not conditions:
        raise ValueError("a list needs at least one condition")
    return list(conditions)


def condition_mask(data, conditions, *, match="all"):
    """Which rows meet ``all`` (or ``any``) of the conditions.

    Parameters
    ----------
    data : DataFrame
        The rows to test; it is not changed.
    conditions : str or list of str
        Conditions ``"column op value"`` (op: ``< <= > >= == != in, not in``).
    match : {"all", "any"}
        Every condition must hold, or at least one. A missing value never meets a condition.

    Returns
    -------
    ndarray of bool
        One value per row of ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"age": [20, 40, None], "country": ["Spain", "Italy", "Spain"]})
    >>> condition_mask(df, ["age < 30", "country == 'Spain'"]).tolist()
    [True, False, False]
    >>> condition_mask(df, ["age < 30", "country == 'Spain'"], match="any").tolist()
    [True, False, True]
    """
    if match not in MATCHES:
        raise ValueError(f"match must be 'all' or 'any', got {match!r}")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a DataFrame, got {type(data).__name__}")
    masks = [RuleSegmenter({"hit": [c]}).first_match(data) == 0 for c in _conditions(conditions)]
    return np.logical_and.reduce(masks) if match == "all" else np.logical_or.reduce(masks)


class ActiveList:
    """A saved rule whose members are recomputed on whatever data it is given.

    Parameters
    ----------
    conditions : str or list of str
        Conditions ``"column op value"``, as in :func:`condition_mask`.
    match : {"all", "any"}
        Every condition must hold, or at least one.
    id_col : str
        The column that identifies a member.

    Examples
    --------
    >>> import pandas as pd
    >>> recent = ActiveList(["recency <= 30"])
    >>> july = pd.DataFrame({"customer_id": ["C1", "C2"], "recency": [10, 90]})
    >>> january = pd.DataFrame({"customer_id": ["C1", "C2"], "recency": [200, 5]})
    >>> recent.members(july), recent.members(january)
    (['C1'], ['C2'])
    """

    def __init__(self, conditions, *, match="all", id_col="customer_id"):
        self.conditions = _conditions(conditions)
        if match not in MATCHES:
            raise ValueError(f"match must be 'all' or 'any', got {match!r}")
        self.match = match
        self.id_col = id_col

    def __repr__(self) -> str:
        return f"ActiveList({self.conditions!r}, match={self.match!r})"

    def evaluate(self, data):
        """The rows of ``data`` that are members now.

        Parameters
        ----------
        data : DataFrame
            The current table (with ``id_col`` and the columns the conditions use).

        Returns
        -------
        DataFrame
            The member rows, a copy, in the order of ``data``.
        """
        return data.loc[condition_mask(data, self.conditions, match=self.match)].copy()

    def members(self, data):
        """The ids of the rows that are members now.

        Parameters
        ----------
        data : DataFrame
            The current table.

        Returns
        -------
        list
            Member ids, in the order of ``data``.
        """
        if self.id_col not in data.columns:
            raise ValueError(f"id_col {self.id_col!r} is not a column of the data")
        return self.evaluate(data)[self.id_col].tolist()


def static_list(data, conditions, *, snapshot_date, match="all", id_col="customer_id"):
    """Freeze the members that meet the conditions on ``snapshot_date``.

    Parameters
    ----------
    data : DataFrame
        The table as it was on ``snapshot_date`` (e.g. RFM computed at that date).
    conditions : str or list of str
        As in :func:`condition_mask`.
    snapshot_date : date-like
        The day the list is frozen; stored in ``added_on``.
    match : {"all", "any"}
        Every condition must hold, or at least one.
    id_col : str
        The column that identifies a member.

    Returns
    -------
    DataFrame
        ``id_col`` and ``added_on``, one row a member. Later data does not change it.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": ["C1", "C2"], "recency": [10, 90]})
    >>> static_list(df, "recency <= 30", snapshot_date="2025-07-01").to_dict("records")
    [{'customer_id': 'C1', 'added_on': Timestamp('2025-07-01 00:00:00')}]
    """
    if snapshot_date is None:
        raise ValueError("a static list needs snapshot_date, the day its members are frozen")
    if id_col not in data.columns:
        raise ValueError(f"id_col {id_col!r} is not a column of the data")
    hit = condition_mask(data, conditions, match=match)
    return pd.DataFrame({id_col: data.loc[hit, id_col].to_numpy(),
                         "added_on": pd.Timestamp(snapshot_date)})


def event_segment(events, *, snapshot_date, days, date_col="date", id_col="customer_id", conditions=None,
                  min_events=1):
    """Everyone with at least ``min_events`` events in the ``days`` before ``snapshot_date``.

    The window is ``[snapshot_date - days, snapshot_date)``: events on or after the snapshot
    date are not seen (they had not happened yet).

    Parameters
    ----------
    events : DataFrame
        One row an event (a purchase, a visit), with an id and a date; not changed.
    snapshot_date : date-like
        The day the segment is built.
    days : int
        Length of the window, in days (at least 1).
    date_col, id_col : str
        The event's date and the id of who did it.
    conditions : str or list of str, optional
        Which rows count as the event (e.g. ``"pricing_page_views > 0"``); all must hold.
    min_events : int
        Events needed in the window.

    Returns
    -------
    DataFrame
        ``id_col``, ``events`` (count in the window) and ``last_event``, most recent first.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B", "C"],
    ...                    "date": pd.to_datetime(["2025-12-20", "2025-12-28", "2025-10-01", "2026-01-02"])})
    >>> event_segment(tx, snapshot_date="2026-01-01", days=30)[["customer_id", "events"]].to_dict("records")
    [{'customer_id': 'A', 'events': 2}]
    """
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 1:
        raise ValueError(f"days must be a whole number of days, at least 1, got {days!r}")
    if isinstance(min_events, bool) or not isinstance(min_events, (int, np.integer)) or min_events < 1:
        raise ValueError(f"min_events must be a whole number, at least 1, got {min_events!r}")
    if snapshot_date is None:
        raise ValueError("event_segment needs snapshot_date, the day the segment is built")
    for col in (date_col, id_col):
        if col not in events.columns:
            raise ValueError(f"{col!r} is not a column of the events")
    end = pd.Timestamp(snapshot_date)
    when = pd.to_datetime(events[date_col])
    keep = ((when >= end - pd.Timedelta(days=int(days))) & (when < end)).to_numpy()
    if conditions is not None:
        keep = keep & condition_mask(events, conditions)
    window = pd.DataFrame({id_col: events[id_col].to_numpy()[keep], "when": when.to_numpy()[keep]})
    out = window.groupby(id_col).agg(events=("when", "size"), last_event=("when", "max")).reset_index()
    out = out[out["events"] >= min_events]
    return out.sort_values(["last_event", id_col], ascending=[False, True], kind="stable").reset_index(drop=True)


def contact_scores(leads, points, *, snapshot_date, half_life=None, min_score=None, id_col="lead_id",
                   activity_col="last_activity_at"):
    """Contact scores (fit + decayed engagement, caps per group) and the list of contacts above a threshold.

    The scoring is :class:`segtools.leads.RuleScorer`; this only adds the list membership.

    Parameters
    ----------
    leads : DataFrame
        One row a contact, with the columns the points table uses; not changed.
    points : DataFrame, list of dict, path, or world name
        The points table (see :func:`segtools.leads.points_table`), e.g. ``"startup"``.
    snapshot_date : date-like
        The scoring date for the decay.
    half_life : float, optional
        Days after which engagement points count half; None = no decay.
    min_score : float, optional
        Contacts with at least this score are ``in_list``; None = nobody.
    id_col, activity_col : str
        The contact's id and its last activity date.

    Returns
    -------
    DataFrame
        The scorer's columns (``fit_score``, ``engagement_score``, ``score``, ...) and ``in_list``.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> case = load_case("startup")
    >>> s = contact_scores(case.leads, "startup", snapshot_date=case.snapshot_date, half_life=30, min_score=40)
    >>> bool((s.loc[s["in_list"], "score"] >= 40).all())
    True
    """
    from segtools.leads.rules import RuleScorer

    scorer = RuleScorer(points, half_life=half_life, snapshot_date=snapshot_date, activity_col=activity_col,
                        lead_id_col=id_col)
    out = scorer.fit(leads).transform(leads)
    out["in_list"] = False if min_score is None else out["score"] >= float(min_score)
    return out
