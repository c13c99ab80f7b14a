"""A built report as data: its tables, charts and texts in reading order, and a way to show them.

:func:`segtools.reporting.build_report` returns a :class:`Report`. Nothing in it needs a
kernel: tests read ``report.tables`` and ``report.charts``, a notebook calls
``report.show()`` (or ``report.show("leads")`` for one section).

Examples
--------
>>> import pandas as pd
>>> from segtools.reporting.report import Report
>>> r = Report("A shop")
>>> r.text("intro", "# A shop")
>>> r.table("intro", "sizes", pd.DataFrame({"n": [1]}))
>>> r.sections, [kind for kind, _ in r.blocks()]
(['intro'], ['markdown', 'table'])
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

#: Characters of a table cell shown before "..." (a recommended action fits).
MAX_COLWIDTH = 80


def _figure_png(fig) -> bytes:
    """A matplotlib figure as PNG bytes (100 dpi, tight box, no software version: the same bytes every run)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def plain_number(value: float) -> str:
    """A number as a reader writes it: thousands separated, up to six decimals (``2,521,376,543.21``).

    Parameters
    ----------
    value : float
        A finite number (pandas shows missing ones itself).

    Returns
    -------
    str
        The number, with no exponent; only one closer to zero than 0.0001 is written with one (three
        significant digits), since six decimals would show it as 0.

    Examples
    --------
    >>> plain_number(2521376543.21), plain_number(0.93), plain_number(1.0), plain_number(-1234.5)
    ('2,521,376,543.21', '0.93', '1', '-1,234.5')
    >>> plain_number(0.00000012)
    '1.2e-07'
    """
    if value != 0 and abs(value) < 1e-4:  # six decimals would show it as 0: keep its digits
        return f"{value:.3g}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def plain_numbers(table) -> tuple:
    """``("display.float_format", plain_number)`` when pandas would show some number of ``table`` with an exponent.

    pandas writes a whole float column as ``2.521377e+09`` once one of its numbers is long (a group's
    total on millions of customers): a report then reads like a physics paper. Those tables are shown with
    :func:`plain_number`; every other table keeps pandas' own layout (an empty tuple: no option changed).

    Parameters
    ----------
    table : DataFrame
        A report table.

    Returns
    -------
    tuple
        Arguments for :func:`pandas.option_context` (empty when pandas' layout is kept).

    Examples
    --------
    >>> import pandas as pd
    >>> plain_numbers(pd.DataFrame({"total": [2521376543.21, 23692340.5]}))[0]
    'display.float_format'
    >>> plain_numbers(pd.DataFrame({"mean_spend": [1234.5, 0.25]}, index=["one", "more"]))
    ()
    """
    floats = table.select_dtypes("float")
    if floats.empty or "e" not in floats.to_string(header=False, index=False):  # the numbers as pandas writes them
        return ()
    return ("display.float_format", plain_number)


def chart_axes():
    """One Axes on a fresh figure in seaborn's white-grid style, without pyplot (no global figure state).

    Returns
    -------
    matplotlib Axes
        Draw on it, then hand ``ax.figure`` to :meth:`Report.chart`.
    """
    import seaborn as sns
    from matplotlib.figure import Figure

    with sns.axes_style("whitegrid"):
        return Figure(figsize=(6.4, 4.8)).subplots()


@dataclass
class Report:
    """What a report shows, in order, and what it counted.

    Attributes
    ----------
    title : str
        The data's title (a world's, or "Your own data").
    kind : {"case", "customers", "leads"}
        Which sections the report has.
    snapshot_date : Timestamp
        The analysis date.
    parameters : dict
        The run's parameters as shown in the report (also in the summary).
    tables : dict of str to DataFrame
        Every table the report shows, by name, in reading order.
    charts : dict of str to (bytes, str)
        Every chart as PNG bytes with its text alternative.
    notes : dict of str to str
        Markdown sentences that depend on the data (e.g. "no customer section").
    summary : dict
        The JSON summary (as written to ``summary.json``).
    segments, priorities : DataFrame or None
        One row a customer / a lead, as exported (before column selection).
    layout : list of (section, kind, key)
        Reading order: ``kind`` is ``markdown`` (``key`` is the text), ``note``, ``table`` or ``chart``.
    """

    title: str
    kind: str = "case"
    snapshot_date: object = None
    parameters: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    segments: object = None
    priorities: object = None
    layout: list = field(default_factory=list)

    # -- building ---------------------------------------------------------------------------------
    def text(self, section: str, markdown: str) -> None:
        """Add a fixed text (a heading and its explanation).

        Parameters
        ----------
        section : str
        markdown : str
        """
        self.layout.append((section, "markdown", markdown))

    def note(self, section: str, name: str, markdown: str) -> None:
        """Add a sentence that depends on the data, kept by name in :attr:`notes`.

        Parameters
        ----------
        section, name : str
        markdown : str
        """
        self.notes[name] = markdown
        self.layout.append((section, "note", name))

    def table(self, section: str, name: str, df) -> None:
        """Add a table, kept by name in :attr:`tables`.

        Parameters
        ----------
        section, name : str
        df : DataFrame
        """
        self.tables[name] = df
        self.layout.append((section, "table", name))

    def chart(self, section: str, name: str, fig, alt: str) -> None:
        """Add a matplotlib figure as PNG with its text alternative, kept by name in :attr:`charts`.

        Parameters
        ----------
        section, name : str
        fig : matplotlib Figure
        alt : str
            The text alternative.
        """
        self.charts[name] = (_figure_png(fig), alt)
        self.layout.append((section, "chart", name))

    # -- reading ----------------------------------------------------------------------------------
    @property
    def sections(self) -> list:
        """The section names in reading order (``intro``, ``run``, ``customers``, ``leads``, ...)."""
        return list(dict.fromkeys(section for section, _, _ in self.layout))

    def blocks(self, *sections):
        """Yield ``(kind, content)`` in reading order: markdown text, a DataFrame, or ``(png, alt)``.

        Parameters
        ----------
        *sections : str
            Section names; all sections when none is given.

        Yields
        ------
        tuple
        """
        unknown = set(sections) - set(self.sections)
        if unknown:
            raise ValueError(f"no section {', '.join(sorted(unknown))} in this report: it has "
                             f"{', '.join(self.sections)}")
        for section, kind, key in self.layout:
            if sections and section not in sections:
                continue
            if kind == "markdown":
                yield "markdown", key
            elif kind == "note":
                yield "markdown", self.notes[key]
            elif kind == "table":
                yield "table", self.tables[key]
            else:
                yield "chart", self.charts[key]

    def show(self, *sections) -> None:
        """Display the report (or the named sections) in a notebook: Markdown, tables, charts with alt text.

        Parameters
        ----------
        *sections : str
            Section names; all sections when none is given.
        """
        import pandas as pd
        from IPython.display import Image, Markdown, display

        for kind, content in self.blocks(*sections):
            if kind == "markdown":
                display(Markdown(content))
            elif kind == "table":
                with pd.option_context("display.max_colwidth", MAX_COLWIDTH, *plain_numbers(content)):
                    display(content)
            else:
                png, alt = content
                display(Image(data=png, format="png", alt=alt))
