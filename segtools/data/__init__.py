"""The data side: the four case worlds, the tables' contracts, reading an analyst's files, data cards.

==================================  ===========================================================
module                              what it holds
==================================  ===========================================================
:mod:`segtools.data.cases`          ``load_case`` (committed CSVs), ``make_case`` (generator)
:mod:`segtools.data.contracts`      the three tables' contracts (pandera) and ``validate``
:mod:`segtools.data.io`             ``read_table`` (CSV or Parquet, any delimiter)
:mod:`segtools.data.mapping`        ``load_mapping``: the YAML column mapping, read safely
:mod:`segtools.data.csv_text`       decoding and splitting CSV text, with each row's line number
:mod:`segtools.data.parsing`        dates, numbers and yes/no flags as real exports write them
:mod:`segtools.data.checks`         the contract checks beyond types: amounts, duplicates, outcomes
:mod:`segtools.data.cards`          the data cards in ``datasets/README.md``
:mod:`segtools.data.glossary`       the glossary in five languages
``segtools.data._worlds``           the seeded world generators (they know no analysis)
==================================  ===========================================================

"""

from segtools.data.cases import (DEFAULT_SEED, WORLDS, Case, case_csv_texts, case_sizes, datasets_dir, load_case,
                                 make_case, write_case)

__all__ = ["WORLDS", "DEFAULT_SEED", "Case", "load_case", "make_case", "case_sizes", "case_csv_texts",
           "write_case", "datasets_dir"]
