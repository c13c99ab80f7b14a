"""Lazy exports: a package names its public objects; each submodule loads on first use.

This keeps ``import segtools.leads`` (and the other packages) cheap: pandas and
scikit-learn load only when a function that needs them is first looked up.
"""

from __future__ import annotations

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
