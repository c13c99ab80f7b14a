"""What only the notebooks need: the case-study skeleton shared by notebooks 04-06, and the book.

- :mod:`segtools.workbook.case_study`: load a world, the leads old enough to judge, size bands,
  NPS, the rate heatmap and its explorer, the rules against the planted segments, the half-yearly
  mix and the playbook table, one definition each;
- :mod:`segtools.workbook.book`: execute the notebooks in place and build the HTML book;
- :func:`check` (:mod:`segtools.workbook.check`): self-check an exercise's answer, ``check("01.2", answer)``.
"""

from segtools.workbook.check import check  # noqa: F401

