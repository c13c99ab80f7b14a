"""Loading modules when they are needed: lazy exports, and preloading while something else waits.

Lazy exports keep ``import segtools.leads`` (and the other packages) cheap: pandas and
scikit-learn load only when a function that needs them is first looked up. :func:`preloading`
loads the modules a report's next steps need while a long engine query runs.
"""

from __future__ import annotations

from contextlib import contextmanager
from importlib import import_module


def lazy_exports(package: str, names: dict):
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of a package whose names load on first use.

    Parameters
    ----------
    package : str
        The package's dotted name, e.g. ``"segtools.leads"``.
    names : dict of str to tuple of str
        Submodule (relative to ``package``) to the public names it defines.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__, __all__)``, to assign at the package's top level.

    Examples
    --------
    >>> getattr_, dir_, all_ = lazy_exports("segtools", {"errors": ("ValidationError",)})
    >>> getattr_("ValidationError").__name__, all_
    ('ValidationError', ['ValidationError'])
    """
    where = {name: module for module, exported in names.items() for name in exported}
    public = sorted(where)

    def __getattr__(name):
        if name in where:
            return getattr(import_module(f"{package}.{where[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return public

    return __getattr__, __dir__, public


@contextmanager
def preloading(*modules):
    """Import ``modules`` in a background thread while the block runs, and wait for them at its end.

    For a block that waits without holding Python's lock (a DuckDB query, a notebook kernel): the
    imports the next steps need (scikit-learn, matplotlib: about a second) happen meanwhile instead
    of after. The block should not import anything itself. A module that fails to import is left
    alone here; the code that needs it imports it again and gets the error.

    Parameters
    ----------
    *modules : str
        Dotted module names.

    Examples
    --------
    >>> import sys
    >>> with preloading("json.tool"):
    ...     pass
    >>> "json.tool" in sys.modules
    True
    """
    import threading

    def load():
        for name in modules:
            try:
                import_module(name)
            except Exception:  # noqa: BLE001 - the real import, later, raises it
                pass

    thread = threading.Thread(target=load, name="segtools-preload", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
