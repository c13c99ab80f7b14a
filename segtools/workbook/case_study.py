"""The case-study skeleton shared by notebooks 04-06: what every case does the same way, defined once.

Load a world (:func:`case_world`), judge conversion on leads old enough (:func:`judged_leads`),
band sizes (:func:`size_band`), score NPS (:func:`net_promoter_score`), compare rates with a test
(:func:`rate_test`), follow time to decide with censoring (:func:`decision_curve`), draw rates over
two attributes (:func:`rate_heatmap`, :func:`explore_by`), check rules against the planted segments
(:func:`planted_crosstab`), watch a mix (:func:`half_year_mix_chart`), end with a :func:`playbook`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from segtools._validation import require_columns
from segtools.errors import ValidationError
from segtools.plots.compare import half_year_mix_chart, rate_heatmap  # noqa: F401  (part of the skeleton)

#: Upper edges (inclusive) and labels of the company-size bands, as notebook 02 teaches them.
SIZE_EDGES = (0, 9, 49, 249, np.inf)
SIZE_LABELS = ("1-9", "10-49", "50-249", "250+")
#: The columns of a playbook, in order; every row must fill all of them.
PLAYBOOK_COLUMNS = ("segment", "action", "measure", "baseline", "target", "owner")


class CaseWorld(NamedTuple):
    """A case world as a notebook unpacks it: the Case, its three main tables and its snapshot date."""

    case: Any
    customers: pd.DataFrame
    transactions: pd.DataFrame
    leads: pd.DataFrame
    snapshot_date: pd.Timestamp


def case_world(name: str, *, random_state: int | None = None, notebook_setup: bool = True) -> CaseWorld:
    """Load a case world for a case notebook, with the settings every case notebook uses.

    Parameters
    ----------
    name : str
        The world: ``"startup"``, ``"consulting"``, ``"agency"`` or ``"retail"``.
    random_state : int, optional
        None loads the committed data (:func:`segtools.data.load_case`); a number generates a
        new world with :func:`segtools.data.make_case`.
    notebook_setup : bool, default True
        Also (globally) use one thread, a 120-character pandas display with uncut texts and seaborn's
        ``whitegrid`` theme; pass False outside a notebook.

    Returns
    -------
    CaseWorld
        ``(case, customers, transactions, leads, snapshot_date)``; other tables in ``case.tables``.

    Examples
    --------
    >>> case, customers, transactions, leads, snapshot = case_world("consulting", notebook_setup=False)
    >>> case.name, len(customers) == len(case.customers), str(snapshot.date())
    ('consulting', True, '2026-01-01')
    """
    from segtools.data import load_case, make_case

    if notebook_setup:
        import seaborn as sns
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        pd.set_option("display.width", 120)
        pd.set_option("display.max_colwidth", None)
        sns.set_theme(style="whitegrid")
    case = load_case(name) if random_state is None else make_case(name, random_state=random_state)
    return CaseWorld(case, case.customers, case.transactions, case.leads, case.snapshot_date)


def judged_leads(leads: pd.DataFrame, snapshot_date, *, horizon_days: int = 90) -> pd.DataFrame:
    """The leads old enough to judge, with ``won``: bought within ``horizon_days`` of arriving.

    A lead created last week has had no time to buy (censoring), so conversion is measured only on
    leads created ``horizon_days`` or more before the snapshot, won when bought within that time.

    Parameters
    ----------
    leads : DataFrame
        With ``created_at`` and ``converted_at`` (empty when the lead has not bought).
    snapshot_date : Timestamp-like
        The day the data was taken.
    horizon_days : int, default 90
        The time a lead gets to decide, in days.

    Returns
    -------
    DataFrame
        A copy of the judged rows (the index kept), with a boolean column ``won``.

    Examples
    --------
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-09-01", "2025-10-03", "2025-10-04"]),
    ...                       "converted_at": pd.to_datetime(["2025-12-20", "2025-10-10", None])})
    >>> judged = judged_leads(leads, "2026-01-01", horizon_days=90)
    >>> judged.index.tolist(), judged["won"].tolist()
    ([0, 1], [False, True])
    """
    from segtools.leads import converted_within

    require_columns(leads, ["created_at", "converted_at"], table="leads", why="to judge conversion")
    if not isinstance(horizon_days, (int, np.integer)) or horizon_days < 0:
        raise ValidationError(f"leads: horizon_days must be whole days >= 0, got {horizon_days!r}", table="leads")
    judged = leads[leads["created_at"] <= pd.Timestamp(snapshot_date) - pd.Timedelta(days=int(horizon_days))].copy()
    judged["won"] = converted_within(judged, horizon_days=int(horizon_days)).to_numpy()
    return judged


def size_band(employees, *, unknown: str | None = "size unknown") -> pd.Series:
    """Company size in four bands, 1-9, 10-49, 50-249 and 250+ employees, the same in every notebook.

    Parameters
    ----------
    employees : Series or array-like of numbers
        Head counts; missing values and counts below 1 have no band.
    unknown : str or None, default "size unknown"
        The band of sizes not known, kept as its own group (None leaves them missing).

    Returns
    -------
    Series of category
        Ordered bands (``unknown`` last), on the index of ``employees`` if it is a Series.

    Examples
    --------
    >>> size_band([1, 9, 10, 49, 50, 249, 250, None]).tolist()
    ['1-9', '1-9', '10-49', '10-49', '50-249', '50-249', '250+', 'size unknown']
    """
    values = employees if isinstance(employees, pd.Series) else pd.Series(employees, dtype="float64")
    bands = pd.cut(pd.to_numeric(values, errors="raise"), list(SIZE_EDGES), labels=list(SIZE_LABELS))
    if unknown is not None:
        bands = bands.cat.add_categories(unknown).fillna(unknown)
    return bands.rename("size_band")


def net_promoter_score(scores) -> float:
    """The net promoter score: % promoters (answers 9-10) minus % detractors (0-6), from -100 to 100.

    Parameters
    ----------
    scores : Series or array-like of numbers
        Answers to "how likely are you to recommend us?" (0-10); missing answers are left out.

    Returns
    -------
    float
        The score, or NaN when there is no answer.

    Examples
    --------
    >>> net_promoter_score([10, 9, 8, 7, 6, 0, None])
    0.0
    >>> net_promoter_score([10, 10, 9, 3])
    50.0
    """
    answers = pd.Series(scores, dtype="float64").dropna()
    if ((answers < 0) | (answers > 10)).any():
        raise ValidationError("feedback: NPS answers must lie between 0 and 10", table="feedback")
    return float(100 * ((answers >= 9).mean() - (answers <= 6).mean())) if len(answers) else float("nan")


def nps_group(scores, *, missing: str = "no answer") -> pd.Series:
    """The NPS group of each answer: detractor (0-6), passive (7-8) or promoter (9-10).

    Parameters
    ----------
    scores : Series or array-like of numbers
        Answers on the 0-10 scale.
    missing : str, default "no answer"
        The group of a missing answer.

    Returns
    -------
    Series of str

    Examples
    --------
    >>> nps_group([0, 6, 7, 8, 9, 10, None]).tolist()
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter', 'no answer']
    """
    values = scores if isinstance(scores, pd.Series) else pd.Series(scores, dtype="float64")
    groups = pd.cut(values, [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    return groups.astype(object).where(groups.notna(), missing).rename("nps_group")


def explore_by(data: pd.DataFrame, column: str, draw, *, everything: str = "all"):
    """A drop-down over the values of ``column`` above a chart of the rows that have the value.

    Parameters
    ----------
    data : DataFrame
        The rows to filter.
    column : str
        The column whose values the drop-down offers (missing values are not offered).
    draw : callable
        ``draw(subset, label)`` returns a Figure or Axes; ``label`` is the value picked.
    everything : str, default "all"
        The first option, which keeps every row.

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> leads = pd.DataFrame({"industry": ["a", "b", "b"], "size": [1, 2, 3]})
    >>> box = explore_by(leads, "industry", lambda d, label: plt.subplots()[0], everything="all industries")
    >>> box.children[0].children[0].options
    ('all industries', 'a', 'b')
    """
    import ipywidgets as widgets

    from segtools.widgets import figure_explorer

    require_columns(data, [column], table="data")
    options = [everything, *sorted(data[column].dropna().astype(str).unique())]

    def draw_choice(choice):
        return draw(data if choice == everything else data[data[column].astype(str) == choice], choice)

    return figure_explorer(draw_choice, {"choice": widgets.Dropdown(options=options, description=column)})


def planted_crosstab(case, segment: pd.Series) -> pd.DataFrame:
    """Customers per rule segment (rows) and per segment the world's generator planted (columns).

    Parameters
    ----------
    case : segtools.data.Case
        The world, with its ``answer_key``.
    segment : Series
        One segment per customer, indexed by ``customer_id``.

    Returns
    -------
    DataFrame
        The counts; customers the answer key does not know are left out.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> case = load_case("consulting")
    >>> planted_crosstab(case, pd.Series("all", index=case.customers["customer_id"])).sum(axis=1).tolist()
    [500]
    """
    planted = case.answer_key["customers"].set_index("customer_id")["segment"].reindex(segment.index)
    return pd.crosstab(segment, planted, rownames=["rule segment"], colnames=["planted"])


class RateTest(NamedTuple):
    """Rates per group with their counts, and one test of "the rates are equal"."""

    table: pd.DataFrame
    test: str
    statistic: float
    p_value: float


def rate_test(data: pd.DataFrame, by, *, outcome_col: str = "won") -> RateTest:
    """Leads, wins and rate per group, and a test that the groups convert alike.

    Two groups get a two-proportion z-test, more a chi-square test (scipy); empty groups are left out.

    Parameters
    ----------
    data : DataFrame
        One row a lead.
    by : str or list of str
        The column(s) that form the groups.
    outcome_col : str, default "won"
        The boolean outcome.

    Returns
    -------
    RateTest
        ``(table, test, statistic, p_value)``; ``table`` has ``leads``, ``won`` and ``rate``.

    Examples
    --------
    >>> leads = pd.DataFrame({"fit": [True] * 50 + [False] * 50, "won": [True] * 20 + [False] * 75 + [True] * 5})
    >>> result = rate_test(leads, "fit")
    >>> result.table["won"].tolist(), result.test, round(result.p_value, 4)
    ([5, 20], 'two-proportion z-test', 0.0005)
    """
    from scipy import stats

    require_columns(data, [*([by] if isinstance(by, str) else by), outcome_col], table="leads")
    table = data.groupby(by, observed=True)[outcome_col].agg(leads="size", won="sum")
    table["won"] = table["won"].astype(int)
    table["rate"] = table["won"] / table["leads"]
    if len(table) < 2:
        raise ValueError(f"rate_test needs at least two groups of {by!r}, got {len(table)}")
    if len(table) == 2:
        pooled = table["won"].sum() / table["leads"].sum()
        se = np.sqrt(pooled * (1 - pooled) * (1 / table["leads"]).sum())
        z = float(np.diff(table["rate"].to_numpy())[0] / se) if se > 0 else 0.0
        return RateTest(table, "two-proportion z-test", z, float(2 * stats.norm.sf(abs(z))))
    counts = np.column_stack([table["won"], table["leads"] - table["won"]])
    chi2, p_value = stats.chi2_contingency(counts, correction=False)[:2]
    return RateTest(table, "chi-square test", float(chi2), float(p_value))


def decision_curve(leads: pd.DataFrame, snapshot_date, *, days=(30, 60, 90, 180, 270, 365)) -> pd.DataFrame:
    """How many leads have bought N days after arriving: a Kaplan-Meier estimate with censoring.

    A lead that has not bought is followed until ``snapshot_date`` (censored there): a lead created
    last month counts as open for a month, not as one that will never buy.

    Parameters
    ----------
    leads : DataFrame
        With ``created_at`` and ``converted_at`` (empty when the lead has not bought).
    snapshot_date : Timestamp-like
        The day the data was taken.
    days : sequence of int
        The days after arrival to report.

    Returns
    -------
    DataFrame
        Per day: ``followed`` (leads followed that long), ``bought`` (by then) and ``bought_share``
        (1 minus the Kaplan-Meier share still open).

    Examples
    --------
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-01"] * 3 + ["2025-12-01"]),
    ...                       "converted_at": pd.to_datetime(["2025-01-11", "2025-03-02", None, None])})
    >>> decision_curve(leads, "2026-01-01", days=[10, 60, 100])["bought_share"].round(3).tolist()
    [0.25, 0.625, 0.625]
    """
    require_columns(leads, ["created_at", "converted_at"], table="leads", why="to follow leads over time")
    bought = leads["converted_at"].notna().to_numpy()
    end = leads["converted_at"].where(bought, pd.Timestamp(snapshot_date))
    duration = (end - leads["created_at"]).dt.days.to_numpy()
    event_days, events = np.unique(duration[bought], return_counts=True)
    at_risk = np.array([(duration >= d).sum() for d in event_days])
    survival = np.cumprod(1 - events / at_risk)
    rows = []
    for day in days:
        seen = event_days <= day
        rows.append({"days": int(day), "followed": int((duration >= day).sum()),
                     "bought": int((bought & (duration <= day)).sum()),
                     "bought_share": float(1 - survival[seen][-1]) if seen.any() else 0.0})
    return pd.DataFrame(rows).set_index("days")


def playbook(rows) -> pd.DataFrame:
    """The playbook table: per segment one action, its measure, the baseline, the target and the owner.

    Parameters
    ----------
    rows : iterable of mappings
        One a segment: ``segment``, ``action``, ``measure``, ``baseline`` (its value today),
        ``target`` and ``owner``; other keys are kept as columns before them.

    Returns
    -------
    DataFrame
        One row a segment.

    Raises
    ------
    ValidationError
        When there is no row, or a row lacks one of the six fields or leaves it empty.

    Examples
    --------
    >>> plan = playbook([{"segment": "hot", "action": "call within a day", "measure": "conversion rate",
    ...                   "baseline": "21%", "target": "25%", "owner": "sales"}])
    >>> plan.columns.tolist()
    ['segment', 'action', 'measure', 'baseline', 'target', 'owner']
    >>> playbook([{"segment": "hot", "action": "call", "measure": "rate", "baseline": 0.2, "target": 0.25}])
    Traceback (most recent call last):
    ...
    segtools.errors.ValidationError: playbook: row 1 (hot) has no owner
    """
    rows = list(rows)
    if not rows:
        raise ValidationError("playbook: no rows; give one row per segment", table="playbook")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise ValidationError(f"playbook: row {number} is a {type(row).__name__}, not a mapping of "
                                  f"{', '.join(PLAYBOOK_COLUMNS)}", table="playbook")
        empty = [c for c in PLAYBOOK_COLUMNS if c not in row or row[c] is None
                 or (isinstance(row[c], str) and not row[c].strip())
                 or (isinstance(row[c], float) and np.isnan(row[c]))]
        if empty:
            raise ValidationError(f"playbook: row {number} ({row.get('segment', 'no segment')}) has no "
                                  f"{', '.join(empty)}", table="playbook")
    extra = list(dict.fromkeys(k for row in rows for k in row if k not in PLAYBOOK_COLUMNS))
    return pd.DataFrame(rows, columns=[*extra, *PLAYBOOK_COLUMNS])
