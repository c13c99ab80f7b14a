"""segtools: helpers for the customer-vs-lead segmentation workbook.

Importing the package is cheap; pandas, scikit-learn and friends load when a
function that needs them is first called.
"""

from segtools.errors import SegtoolsError, ValidationError

__version__ = "0.1.0"

#: The label given to rows without a segment (a missing label, no rule matched, a customer not segmented).
NO_SEGMENT = "(no segment)"

__all__ = ["NO_SEGMENT", "SegtoolsError", "ValidationError", "__version__"]
