"""Reports: the segmentation of one world or of an analyst's files, as files to share and import.

===================================  ===========================================================
module                               what it does
===================================  ===========================================================
:mod:`segtools.reporting.inputs`     read and validate the inputs once; the analysis date
:mod:`segtools.reporting.sections`   the customer segments and lead priorities tables
:mod:`segtools.reporting.exports`    CSV exports safe for spreadsheets and CRMs
:mod:`segtools.reporting.notebooks`  run a notebook on a local kernel; offline HTML without code
:mod:`segtools.reporting.run`        ``run_report``: the template through papermill, then HTML
``templates/``                       the papermill report templates (package data)
===================================  ===========================================================
"""

from importlib import import_module

_NAMES = {
    "inputs": ("ReportError", "read_inputs", "customers_from_transactions", "analysis_date", "load_inputs"),
    "run": ("run_report", "run_all_cases", "ReportFailed", "TEMPLATES", "OUTPUT_FILES", "templates_dir",
            "template_path", "write_summary", "prepare_output"),
    "sections": ("customer_segments", "lead_priorities", "generic_points"),
    "exports": ("customer_segments_export", "lead_priorities_export", "write_csv", "neutralise_formulas"),
    "notebooks": ("export_html", "execute_notebook"),
}
_WHERE = {name: module for module, names in _NAMES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(import_module(f"segtools.reporting.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'segtools.reporting' has no attribute {name!r}")


def __dir__():
    return __all__
