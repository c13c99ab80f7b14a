"""What segmentation software offers, built as small functions on the workbook's worlds.

The segmentation guide behind the workbook names five tools. Each module here builds the
kind of segment one of them offers, and the file that tool would import:

==================================  ===========================================================
module                              what it holds
==================================  ===========================================================
:mod:`segtools.audiences.lists`     CRM-style lists (HubSpot): ``ActiveList``, ``static_list``,
                                    ``event_segment``, ``contact_scores`` (points with caps, decay)
:mod:`segtools.audiences.mail`      e-mail segments of one to five conditions (Mailchimp):
                                    ``email_segment``, ``tag_table``
:mod:`segtools.audiences.lifestyle` bought-in lifestyle codes by postcode (Experian):
                                    ``lifestyle_enrichment``
:mod:`segtools.audiences.social`    social audience fields per segment (Sprout Social):
                                    ``social_audience``, ``audience_counts``, ``set_dummies``
:mod:`segtools.audiences.needs`     needs-based segments from a survey (Qualtrics):
                                    ``needs_segments``
:mod:`segtools.data.safe_csv`       ``neutralise_formulas`` and ``to_crm_csv``: CSV a CRM can import
==================================  ===========================================================

Importing the package is cheap: each module loads on first use.
"""

from segtools._lazy import lazy_exports
from segtools.data.safe_csv import to_crm_csv  # noqa: F401  (listed in __all__)

_EXPORTS = {
    "lists": ("ActiveList", "static_list", "event_segment", "contact_scores", "condition_mask"),
    "mail": ("email_segment", "tag_table", "MAX_CONDITIONS"),
    "lifestyle": ("Enrichment", "lifestyle_enrichment"),
    "social": ("social_audience", "audience_counts", "set_dummies"),
    "needs": ("NeedsSegments", "needs_segments"),
}
__getattr__, __dir__, _LAZY_NAMES = lazy_exports("segtools.audiences", _EXPORTS)
__all__ = sorted([*_LAZY_NAMES, "to_crm_csv"])
