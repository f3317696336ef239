"""Exceptions raised by the fake, named after TouchDesigner's own where TD has one."""


class tdError(Exception):
    """TD's own error type (``td.tdError``), raised for invalid operations on TD objects.

    Source: docs.derivative.ca/Td_Module (``opex()`` "raises tdError"); TD prints it as
    ``td.tdError: ...`` in the textport.
    """


class MainThreadError(RuntimeError):
    """Raised when a TD object is touched from a thread other than the main thread.

    Source: docs.derivative.ca/Td_Module ``isMainThread()``: "Any calls that access operators,
    etc., must be called from the main thread"; derivative.ca/UserGuide/Python_threading_in_TouchDesigner.
    Real TD may crash or corrupt state instead of raising; the fake raises so tests can prove
    the SDK never does it.
    """


class CallbackError(RuntimeError):
    """Raised by the fake (strict mode) after a frame in which a TD callback raised.

    Real TD prints the traceback to the textport, marks the DAT with an error and carries on;
    the fake does the same and then raises this so a test cannot miss it. Turn it off with
    ``fake.strict = False`` to observe TD's swallow-and-continue behaviour.
    """

    def __init__(self, errors):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(
            f"{len(self.errors)} TD callback error(s); first in {first.where}: "
            f"{type(first.exception).__name__}: {first.exception}")
        self.__cause__ = first.exception
