"""Main-thread guard shared by every TD object of the fake.

Every public attribute read or write on an operator, parameter, channel, cell, page, ... checks
that the calling thread is the one that created the fake (TD's main thread). Names starting with
``_`` are the fake's own internals and are not checked.

Source: docs.derivative.ca/Td_Module ``isMainThread()``; derivative.ca/UserGuide/
Python_threading_in_TouchDesigner ("avoid accessing objects on the main TouchDesigner thread
from other threads, whether reading or writing").
"""
import threading
import traceback

from .errors import MainThreadError, tdError


def check_thread(rt, what=None):
    if threading.get_ident() != rt._mainIdent:
        # Recorded as well as raised: the SDK may swallow the exception (e.g. inside a .NET
        # callback), and tests can still assert fake.threadViolations == [].
        rt._threadViolations.append((threading.current_thread().name, what,
                                     "".join(traceback.format_stack(limit=8)[:-1])))
        raise MainThreadError(
            "TouchDesigner objects may only be accessed from the main thread "
            f"(touched from thread {threading.current_thread().name!r}); "
            "use td.isMainThread() and hand work to the main thread, e.g. through a queue "
            "drained in an Execute DAT's onFrameStart")


class Guarded:
    """Base of every TD object: thread check on public attributes, no ad-hoc attributes."""

    # Public names that may be read on a destroyed operator without error.
    _validOnDestroyed = frozenset(("valid", "id"))

    def __getattribute__(self, name):
        if name[0] != "_":
            check_thread(object.__getattribute__(self, "_rt"), name)
            if object.__getattribute__(self, "_destroyed") and name not in type(self)._validOnDestroyed:
                raise tdError(f"Cannot access {type(self).__name__}.{name}: the object has been destroyed")
        return object.__getattribute__(self, name)

    def __setattr__(self, name, value):
        if name[0] != "_":
            check_thread(object.__getattribute__(self, "_rt"), name)
            if object.__getattribute__(self, "_destroyed"):
                raise tdError(f"Cannot set {type(self).__name__}.{name}: the object has been destroyed")
            descriptor = getattr(type(self), name, None)
            if not (isinstance(descriptor, property) and descriptor.fset is not None):
                self._setUnknownAttr(name, value)
                return
        object.__setattr__(self, name, value)

    _destroyed = False

    def _setUnknownAttr(self, name, value):
        # TD objects are C++ wrappers: assigning an attribute that is not a settable member fails.
        raise AttributeError(f"'td.{type(self).__name__}' object has no settable attribute '{name}'")

    def _guard(self):
        """Explicit check for dunder methods, which bypass __getattribute__."""
        check_thread(self._rt)
        if self._destroyed:
            raise tdError(f"Cannot access {type(self).__name__}: the object has been destroyed")
