"""One module per notebook, each defining ``EXERCISES``: the checkable exercises added after the first set."""
