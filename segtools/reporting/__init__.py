"""Reports: the segmentation of one world or of an analyst's files, as files to share and import.

==========================================  ====================================================
module                                      what it does
==========================================  ====================================================
:mod:`segtools.reporting.inputs`            read and validate the inputs once; the analysis date
:mod:`segtools.reporting.customer_table`    one row a customer: RFM, segment, cluster, action
:mod:`segtools.reporting.lead_table`        one row a lead: score, grade, tier, rank, reason
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

from segtools._lazy import lazy_exports

_NAMES = {
    "inputs": ("ReportError", "read_inputs", "check_tables", "customers_from_transactions", "analysis_date",
               "load_inputs", "prepare_inputs", "Inputs"),
    "build": ("build_report",),
    "report": ("Report",),
    "run": ("run_report", "run_all_cases", "ReportFailed", "TEMPLATES", "OUTPUT_FILES", "templates_dir",
            "template_path", "prepare_output"),
    "customer_table": ("customer_segments", "NO_PURCHASE"),
    "lead_table": ("lead_priorities", "generic_points", "GENERIC_POINTS"),
    "exports": ("customer_segments_export", "lead_priorities_export", "write_csv", "neutralise_formulas",
                "write_summary"),
    "notebooks": ("export_html", "execute_notebook", "strip_timings"),
}
__getattr__, __dir__, __all__ = lazy_exports("segtools.reporting", _NAMES)
