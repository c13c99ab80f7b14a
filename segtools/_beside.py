"""Running one step in a background thread while the calling thread does another, each keeping its own warnings.

A report fits its predicted-value models while it scores and clusters the same customers: the
two steps share no data, and most of their work is in numpy, scipy and scikit-learn, which
leave Python's lock free, so on two cores they take little longer than the longer one alone.

Warnings are the catch. Before Python 3.14, the warning filters and ``warnings.catch_warnings``
are global to the process: a step that records its warnings with ``catch_warnings`` in a thread
would also record the other thread's, and two threads entering and leaving ``catch_warnings``
out of order can leave the process with the wrong filters for good. :func:`beside` therefore
records warnings for the whole block from the calling thread (entered and left there, in order),
and sorts them by the thread that raised them: the background step gets its own, as if it had
run under ``catch_warnings(record=True)`` with the ``"always"`` filter; the others are raised
again when the block ends, under the filters in force before it.
"""

from __future__ import annotations

import sys
import threading
import warnings
from contextlib import contextmanager


class Job:
    """The background step of :func:`beside`: its result, and the warnings it raised."""

    def __init__(self, func, args, kwargs):
        self._call = (func, args, kwargs)
        self._value = self._error = None
        self.ident = None
        #: the :class:`warnings.WarningMessage` the step raised, in order
        self.caught = []

    def _run(self):
        self.ident = threading.get_ident()
        func, args, kwargs = self._call
        try:
            self._value = func(*args, **kwargs)
        except BaseException as err:  # noqa: BLE001 - handed to the caller by result()
            self._error = err
        finally:
            self.ident = None  # a later thread may get the same number
            self._call = None  # let the inputs go with the caller's last reference

    def result(self):
        """The step's return value (after the block); its exception, if it raised one."""
        if self._error is not None:
            raise self._error
        return self._value


def _module_of(filename):
    """The name of the loaded module whose file is ``filename`` (None if none is)."""
    for name, module in list(sys.modules.items()):
        if getattr(module, "__file__", None) == filename:
            return name
    return None


def _raise_again(message):
    """Raise a recorded warning again under the filters in force now, as ``warnings.warn`` would have."""
    name = _module_of(message.filename)
    module = sys.modules.get(name) if name else None
    registry = vars(module).setdefault("__warningregistry__", {}) if module is not None else None
    warnings.warn_explicit(message.message, message.category, message.filename, message.lineno,
                           module=name, registry=registry)


@contextmanager
def beside(func, *args, **kwargs):
    """Run ``func(*args, **kwargs)`` in a background thread while the block runs; wait for it at the block's end.

    The step should share no mutable data with the block, and should not use ``catch_warnings``
    itself. The block's code may use it to change filters; but while the block records warnings
    (``catch_warnings(record=True)``), the step's go to the block's list too. Otherwise the step's
    warnings are kept in the job's ``caught`` list (all of them, the filters aside); warnings the
    block or any other thread raised meanwhile are raised again at the end of the block, under the
    filters in force before it. If the block raises, the step is still waited for.

    Yields
    ------
    Job
        Call ``result()`` after the block for the step's return value (or its exception).

    Examples
    --------
    >>> import warnings
    >>> def step(n):
    ...     warnings.warn("a note from the step")
    ...     return n * 2
    >>> with beside(step, 21) as job:
    ...     pass  # the calling thread's own work
    >>> job.result(), [str(w.message) for w in job.caught]
    (42, ['a note from the step'])
    """
    job = Job(func, args, kwargs)
    others = []

    def show(message, category, filename, lineno, file=None, line=None):
        record = warnings.WarningMessage(message, category, filename, lineno, file, line)
        (job.caught if threading.get_ident() == job.ident else others).append(record)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = show
            thread = threading.Thread(target=job._run, name="segtools-beside", daemon=True)
            thread.start()
            try:
                yield job
            finally:
                thread.join()
    finally:  # even when the block failed: nothing it warned about is lost
        for record in others:
            _raise_again(record)
