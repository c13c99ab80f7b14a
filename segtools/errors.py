"""The exceptions segtools raises, so callers can catch one family."""

from __future__ import annotations


class SegtoolsError(Exception):
    """Base class of every error segtools raises on purpose."""


class ValidationError(SegtoolsError, ValueError):
    """A table broke its data contract.

    Parameters
    ----------
    message : str
        What is wrong, naming the file or table, the column, the count and the lines.
    table : str
        The table's name.
    problems : DataFrame, optional
        One row per problem.

    Attributes
    ----------
    table : str
        The table's name (``customers``, ``transactions``, ``leads`` or another).
    problems : DataFrame or None
        One row per problem: column, check, number of rows, example row labels.
    """

    def __init__(self, message: str, table: str = "", problems=None):
        super().__init__(message)
        self.table = table
        self.problems = problems
