"""The ``tdu`` utility module, minimal.

Sources: derivative.ca/UserGuide/Dependency_Class ("Referencing this value in an expression will
cause the operator to become dependent... Setting this value will cause those operators to be
recooked"; modified() for in-place changes); docs.derivative.ca/Tdu_Module (clamp, remap,
legalName, base, digits, split). Signatures cross-checked with immersestudio/td-stubs tdu.pyi.
"""
import re
import shlex

from .guard import Guarded

_current_rt = None   # set by the TDFakeProject that created the objects


class Dependency(Guarded):
    """tdu.Dependency(val=None): a value whose readers (cooking operators) recook on change."""

    def __init__(self, _=None):
        self._rt = _current_rt
        self._val = _
        self._ops = []
        self._callbacks = []

    @property
    def val(self):
        rt = self._rt
        if rt is not None and rt._cookStack:
            reader = rt._cookStack[-1]
            if reader not in self._ops:
                self._ops.append(reader)
        return self._val

    @val.setter
    def val(self, value):
        self._val = value
        self.modified()

    @property
    def ops(self):
        return [o for o in self._ops if o._valid]

    @property
    def callbacks(self):
        return self._callbacks

    def modified(self):
        """Dependency.modified(): tell dependents that the value changed in place."""
        for o in self._ops:
            if o._valid:
                o._markDirty()
        for cb in list(self._callbacks):
            cb({"dependency": self, "val": self._val})

    def __repr__(self):
        return f"type:Dependency val:{self._val!r}"


def clamp(inputVal, min, max):
    return max if inputVal > max else min if inputVal < min else inputVal


def remap(inputVal, fromMin, fromMax, toMin, toMax):
    return toMin + (inputVal - fromMin) * (toMax - toMin) / (fromMax - fromMin)


def legalName(s):
    """Tdu_Module legalName(s): an operator-legal name (invalid characters become _)."""
    s = re.sub(r"[^A-Za-z0-9_]", "_", str(s))
    return s if s and not s[0].isdigit() else "_" + s


def base(s):
    return re.sub(r"\d+$", "", str(s))


def digits(s):
    m = re.search(r"(\d+)$", str(s))
    return int(m.group(1)) if m else None


def split(string, eval=False):
    return shlex.split(str(string))


def expandPath(path):
    """Tdu_Module expandPath('movies://x.jpg') -> path with project.paths prefixes expanded."""
    rt = _current_rt
    return rt.project._resolve(path) if rt is not None and "://" in str(path) else str(path)


def collapsePath(path):
    rt = _current_rt
    path = str(path)
    if rt is not None:
        for prefix, target in rt.project._paths.items():
            if path.startswith(target):
                return f"{prefix}://{path[len(target):].lstrip('/')}"
    return path
