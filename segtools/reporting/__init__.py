"""Reports: the segmentation of one world or of an analyst's files, as files to share and import.

==========================================  ====================================================
module                                      what it does
==========================================  ====================================================
:mod:`segtools.reporting.inputs`            read and validate the inputs once; the analysis date
:mod:`segtools.reporting.sections`          the customer segments and lead priorities tables
:mod:`segtools.reporting.build`             ``build_report``: every table and chart, the exports
``_customer_section``, ``_lead_section``    the sections' tables and charts (used by ``build``)
:mod:`segtools.reporting.report`            ``Report``: a built report as data; ``show()``
:mod:`segtools.reporting.texts`             the report's headings and explanations
:mod:`segtools.reporting.exports`           CSV exports safe for spreadsheets and CRMs; summary
:mod:`segtools.reporting.notebooks`         run a notebook on a local kernel; offline HTML
:mod:`segtools.reporting.run`               ``run_report``: a template through papermill, HTML
``templates/``                              the papermill templates (package data): display only
==========================================  ====================================================
"""

from importlib import import_module

_NAMES = {
    "inputs": ("ReportError", "read_inputs", "check_tables", "customers_from_transactions", "analysis_date",
               "load_inputs", "prepare_inputs", "Inputs"),
    "build": ("build_report",),
    "report": ("Report",),
    "run": ("run_report", "run_all_cases", "ReportFailed", "TEMPLATES", "OUTPUT_FILES", "templates_dir",
            "template_path", "prepare_output"),
    "sections": ("customer_segments", "lead_priorities", "generic_points"),
    "exports": ("customer_segments_export", "lead_priorities_export", "write_csv", "neutralise_formulas",
                "write_summary"),
    "notebooks": ("export_html", "execute_notebook", "strip_timings"),
}
_WHERE = {name: module for module, names in _NAMES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(import_module(f"segtools.reporting.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'segtools.reporting' has no attribute {name!r}")


def __dir__():
    return __all__
