"""OP: the base of every operator in the fake.

Sources (signatures cross-checked with immersestudio/td-stubs td.pyi class OP):
- docs.derivative.ca/OP_Class (edited 16 Jan 2025): name, path, id, valid, parent(n),
  op(pattern), ops(*patterns), cook(force=False, recurse=False, includeUtility=False),
  store(key, value), fetch(key, default, search=True, storeDefault=False), unstore(keys1,
  *morekeys), storeStartupValue, storage, addScriptError(msg), addError(msg), addWarning(msg),
  errors(recurse=False), warnings(recurse=False), scriptErrors(recurse=False),
  clearScriptErrors(recurse=False, error='*'), destroy(), nodeX/nodeY, inputs, outputs,
  inputConnectors, outputConnectors, totalCooks, cookFrame, family, type, OPType.
- docs.derivative.ca/Connector_Class: connect(target), disconnect(), connections, owner, index.
- derivative.ca/UserGuide/Storage: storage is saved with the .toe/.tox.
"""
import fnmatch
import re

from .errors import tdError
from .guard import Guarded
from .pars import Par, ParCollection, ParGroupCollection, Page, remove_identical

_MISSING = object()
NAME_CHARS = re.compile(r"[^A-Za-z0-9_]")


class Connector(Guarded):
    """An input or output connector (docs.derivative.ca/Connector_Class)."""

    def __init__(self, owner, index, isInput):
        self._rt = owner._rt
        self._owner = owner
        self._index = index
        self._isInput = isInput

    owner = property(lambda self: self._owner)
    index = property(lambda self: self._index)
    isInput = property(lambda self: self._isInput)
    isOutput = property(lambda self: not self._isInput)

    @property
    def connections(self):
        o = self._owner
        if self._isInput:
            src = o._inputs[self._index] if self._index < len(o._inputs) else None
            return [src.outputConnectors[0]] if src is not None else []
        return [Connector(d, i, True) for d in o._outputTargets() for i, s in enumerate(d._inputs) if s is o]

    @property
    def inOP(self):
        return self._owner

    @property
    def outOP(self):
        return self._owner

    def connect(self, target):
        """Connector.connect(target): target is an OP or a Connector."""
        if self._isInput:
            src = target._owner if isinstance(target, Connector) else target
            self._owner._setInput(self._index, src)
        else:
            if isinstance(target, Connector):
                target._owner._setInput(target._index, self._owner)
            else:
                target._setInput(target._firstFreeInput(), self._owner)

    def disconnect(self):
        if self._isInput:
            self._owner._setInput(self._index, None)
        else:
            for d in self._owner._outputTargets():
                for i, s in enumerate(d._inputs):
                    if s is self._owner:
                        d._setInput(i, None)

    def __eq__(self, other):
        return isinstance(other, Connector) and other._owner is self._owner and \
            other._index == self._index and other._isInput == self._isInput

    __hash__ = object.__hash__


class OP(Guarded):
    """Base operator. Subclasses set _family, _typeName, _defaultName and _parSpecs."""

    _family = "OP"
    _typeName = "OP"
    _defaultName = "op"
    # Built-in parameters: list of (page, name, style, default[, menuNames]).
    _parSpecs = ()
    # Unknown built-in names: strict types raise AttributeError like TD; minimal node types
    # (TOPs, SOPs, ...) accept any name so example builders can set pars the fake doesn't list.
    _strictPars = True
    _validOnDestroyed = frozenset(("valid", "id"))

    def __init__(self, rt, parent, name):
        self._rt = rt
        self._id = rt._nextId()
        self._parent = parent
        self._name = name
        self._path = "/" if parent is None else (parent._path.rstrip("/") + "/" + name)
        self._valid = True
        self._storage = {}
        self._startupStorage = {}
        self._scriptErrors = []
        self._cookErrors = []
        self._warnings = []
        self._inputs = []
        self._nodeX = 0
        self._nodeY = 0
        self._comment = ""
        self._color = (0.55, 0.55, 0.55)
        self._tags = set()
        self._totalCooks = 0
        self._cookFrame = -1
        self._bypass = False
        self._lock = False
        self._display = False
        self._render = False
        self._viewer = False
        self._allowCooking = True
        self._builtinPages = []
        self._builtinParsByName = {}
        self._customPages = []
        self._customParsByName = {}
        self._par = ParCollection(self)
        self._buildBuiltinPars()
        rt._treeChanged()

    # -- parameters -----------------------------------------------------------------------
    @classmethod
    def _allParSpecs(cls):
        specs = []
        for klass in reversed(cls.__mro__):
            specs.extend(klass.__dict__.get("_parSpecs", ()))
        return specs

    def _buildBuiltinPars(self):
        pages = {}
        for spec in self._allParSpecs():
            pageName, name, style, default = spec[:4]
            menu = spec[4] if len(spec) > 4 else None
            page = pages.get(pageName)
            if page is None:
                page = pages[pageName] = Page(self, pageName, custom=False)
                self._builtinPages.append(page)
            par = Par(self, name, style, default=default, page=page, menuNames=menu)
            par._group = _single(par)
            page._pars.append(par)
            self._builtinParsByName[name] = par

    def _findPar(self, name):
        par = self._customParsByName.get(name)
        return par if par is not None else self._builtinParsByName.get(name)

    def _unknownPar(self, name, value):
        if self._strictPars:
            raise AttributeError(f"'td.ParCollection' object has no attribute '{name}' "
                                 f"(no parameter {name!r} on {self._typeName} {self._path})")
        # Minimal node type: accept the parameter, inferring its style from the value; recorded
        # so tests can list what the fake could not check (fake.unknownPars).
        self._rt._unknownPars.append((self._path, name))
        style = "Any"
        page = self._builtinPages[0] if self._builtinPages else None
        if page is None:
            page = Page(self, self._family, custom=False)
            self._builtinPages.append(page)
        par = Par(self, name, style, page=page)
        par._group = _single(par)
        page._pars.append(par)
        self._builtinParsByName[name] = par
        return par

    def _parList(self):
        pars = []
        for page in self._builtinPages + self._customPages:
            pars.extend(page._pars)
        return pars

    def _removeCustomPar(self, par):
        remove_identical(par._page._pars, par)
        self._customParsByName.pop(par._name, None)
        object.__setattr__(par, "_destroyed", True)

    def _parValueChanged(self, par, prev):
        """Hook: a parameter value changed (constant, expression or mode)."""
        self._rt._queueParChange(par, prev)
        self._onParChanged(par, prev)

    def _onParChanged(self, par, prev):
        pass

    def _parPulsed(self, par):
        self._rt._queuePulse(par)
        self._onPulse(par)

    def _onPulse(self, par):
        pass

    @property
    def par(self):
        return self._par

    @property
    def parGroup(self):
        return ParGroupCollection(self)

    parTuple = parGroup

    @property
    def pages(self):
        return list(self._builtinPages) + list(self._customPages)

    @property
    def customPages(self):
        return list(self._customPages)

    @property
    def customPars(self):
        return [p for page in self._customPages for p in page._pars]

    @property
    def customParGroups(self):
        return [g for page in self._customPages for g in page.parGroups]

    customTuplets = customParGroups

    @property
    def builtinPars(self):
        return [p for page in self._builtinPages for p in page._pars]

    def pars(self, *pattern):
        """OP.pars(*pattern): parameters whose names match any pattern."""
        pats = pattern or ("*",)
        return [p for p in self._parList() if any(fnmatch.fnmatchcase(p._name, x) for x in pats)]

    # -- identity ---------------------------------------------------------------------------
    id = property(lambda self: self._id)
    valid = property(lambda self: self._valid)
    path = property(lambda self: self._path)
    family = property(lambda self: self._family)
    OPType = property(lambda self: self._typeName)
    # OP_Class type: "The OP type", e.g. 'text' for a Text DAT.
    type = property(lambda self: self._typeName[: -len(self._family)] if self._typeName.endswith(self._family) else self._typeName)
    isCOMP = property(lambda self: self._family == "COMP")
    isDAT = property(lambda self: self._family == "DAT")
    isCHOP = property(lambda self: self._family == "CHOP")
    isTOP = property(lambda self: self._family == "TOP")
    isSOP = property(lambda self: self._family == "SOP")
    isMAT = property(lambda self: self._family == "MAT")
    isPOP = property(lambda self: self._family == "POP")

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        value = str(value)
        if not value or NAME_CHARS.search(value):
            raise tdError(f"Invalid operator name {value!r}: use letters, digits and _")
        if self._parent is None:
            raise tdError("The root cannot be renamed")
        if value != self._name and value in self._parent._children:
            raise tdError(f"An operator named {value!r} already exists in {self._parent._path}")
        self._parent._renameChild(self, value)
        self._rt._treeChanged()

    @property
    def base(self):
        return self._name.rstrip("0123456789")

    @property
    def digits(self):
        m = re.search(r"(\d+)$", self._name)
        return int(m.group(1)) if m else None

    @property
    def label(self):
        return self._name

    def _setPath(self):
        self._path = "/" + self._name if self._parent._parent is None else self._parent._path + "/" + self._name

    def parent(self, n=1):
        """OP_Class parent(n=1): the COMP n levels up, or None."""
        node = self
        for _ in range(int(n)):
            node = node._parent
            if node is None:
                return None
        return node

    @property
    def children(self):
        return []

    @property
    def numChildren(self):
        return len(self.children)

    # -- finding operators -------------------------------------------------------------------
    def _opsRelative(self, pattern):
        """Parameter (network) paths: relative to this operator's network."""
        return self._rt._lookup(self, pattern, network=True)

    def op(self, *paths, includeUtility=False):
        """OP_Class op(pattern1, ...): first matching operator, relative to this one; None if absent."""
        for path in paths:
            found = self._rt._lookup(self, path)
            if found:
                return found[0]
        return None

    def ops(self, *paths, includeUtility=False):
        """OP_Class ops(pattern1, ...): all matching operators."""
        result = []
        for path in paths:
            for o in self._rt._lookup(self, path):
                if o not in result:
                    result.append(o)
        return result

    def relativePath(self, o):
        base = (self if self._family == "COMP" else self._parent)._path.rstrip("/").split("/")
        target = o._path.rstrip("/").split("/")
        i = 0
        while i < min(len(base), len(target)) and base[i] == target[i]:
            i += 1
        parts = [".."] * (len(base) - i) + target[i:]
        return "/".join(parts) or "."

    def evalExpression(self, expr):
        """OP_Class evalExpression(expr): evaluate a Python expression with me = this OP."""
        return self._evalExpression(expr)

    def _evalExpression(self, expr):
        return self._rt._evalExpression(expr, self)

    # -- cooking ----------------------------------------------------------------------------
    def cook(self, force=False, recurse=False, includeUtility=False):
        """OP_Class cook(force=False, recurse=False, includeUtility=False)."""
        self._cook(force=bool(force))
        if recurse:
            for child in self.children:
                child.cook(force=force, recurse=True)

    def _cook(self, force):
        self._countCook()

    def _countCook(self):
        self._totalCooks += 1
        self._cookFrame = self._rt._frame

    totalCooks = property(lambda self: self._totalCooks)
    cookFrame = property(lambda self: self._cookFrame)
    cookAbsFrame = cookFrame
    cookedThisFrame = property(lambda self: self._cookFrame == self._rt._frame)
    cookedPreviousFrame = property(lambda self: self._cookFrame == self._rt._frame - 1)

    # -- storage ----------------------------------------------------------------------------
    @property
    def storage(self):
        return self._storage

    def store(self, key, value):
        """OP_Class store(key, value): saved with the .toe/.tox (derivative.ca/UserGuide/Storage)."""
        self._storage[key] = value
        return value

    def fetch(self, key, default=_MISSING, search=True, storeDefault=False):
        """OP_Class fetch(key, default, search=True, storeDefault=False)."""
        node = self
        while node is not None:
            if key in node._storage:
                return node._storage[key]
            if not search:
                break
            node = node._parent
        if default is _MISSING:
            raise KeyError(key)
        if storeDefault:
            self._storage[key] = default
        return default

    def fetchOwner(self, key):
        node = self
        while node is not None:
            if key in node._storage:
                return node
            node = node._parent
        return None

    def unstore(self, keys1, *morekeys):
        """OP_Class unstore(keys1, *morekeys): keys may be patterns."""
        for pattern in (keys1,) + morekeys:
            for key in [k for k in self._storage if isinstance(k, str) and fnmatch.fnmatchcase(k, str(pattern))] \
                    or ([pattern] if pattern in self._storage else []):
                self._storage.pop(key, None)

    def storeStartupValue(self, key, value):
        """OP_Class storeStartupValue(key, value): value restored on load instead of the stored one."""
        self._startupStorage[key] = value

    def unstoreStartupValue(self, *keys):
        for key in keys:
            self._startupStorage.pop(key, None)

    # -- errors -----------------------------------------------------------------------------
    def addScriptError(self, msg):
        """OP_Class addScriptError(msg): error shown on the node until cleared."""
        self._scriptErrors.append(str(msg))

    def addError(self, msg):
        """OP_Class addError(msg): only valid while the operator cooks; cleared on next cook."""
        if self not in self._rt._cookStack:
            raise tdError("addError() can only be called while the operator is cooking")
        self._cookErrors.append(str(msg))

    def addWarning(self, msg):
        """OP_Class addWarning(msg): "Only valid if added while the operator is cooking"; outside
        a cook use addScriptError."""
        if self not in self._rt._cookStack:
            raise tdError("addWarning() can only be called while the operator is cooking")
        self._warnings.append(str(msg))

    def _collect(self, attr, recurse):
        lines = [f"{m} ({self._path})" for m in getattr(self, attr)]
        if recurse:
            for child in self.children:
                text = child._collect(attr, True)
                if text:
                    lines.append(text)
        return "\n".join(lines)

    def scriptErrors(self, recurse=False):
        """OP_Class scriptErrors(recurse=False) -> str."""
        return self._collect("_scriptErrors", recurse)

    def errors(self, recurse=False):
        """OP_Class errors(recurse=False) -> str: script errors and cook errors."""
        lines = [f"{m} ({self._path})" for m in self._scriptErrors + self._cookErrors]
        if recurse:
            for child in self.children:
                text = child.errors(recurse=True)
                if text:
                    lines.append(text)
        return "\n".join(lines)

    def warnings(self, recurse=False):
        return self._collect("_warnings", recurse)

    def clearScriptErrors(self, recurse=False, error="*"):
        """OP_Class clearScriptErrors(recurse=False, error='*'): error is a pattern."""
        self._scriptErrors = [m for m in self._scriptErrors if not fnmatch.fnmatchcase(m, error)]
        if recurse:
            for child in self.children:
                child.clearScriptErrors(recurse=True, error=error)

    # -- flags and layout -------------------------------------------------------------------
    def _flag(attr):
        return property(lambda self: getattr(self, "_" + attr),
                        lambda self, v: setattr(self, "_" + attr, v))

    nodeX = _flag("nodeX")
    nodeY = _flag("nodeY")
    comment = _flag("comment")
    color = _flag("color")
    bypass = _flag("bypass")
    lock = _flag("lock")
    display = _flag("display")
    render = _flag("render")
    viewer = _flag("viewer")
    allowCooking = _flag("allowCooking")
    del _flag
    nodeWidth = property(lambda self: 130)
    nodeHeight = property(lambda self: 90)
    tags = property(lambda self: self._tags)

    # -- wiring -----------------------------------------------------------------------------
    def _setInput(self, index, src):
        while len(self._inputs) <= index:
            self._inputs.append(None)
        self._inputs[index] = src
        while self._inputs and self._inputs[-1] is None:
            self._inputs.pop()
        self._markDirty()

    def _firstFreeInput(self):
        for i, s in enumerate(self._inputs):
            if s is None:
                return i
        return len(self._inputs)

    def _outputTargets(self):
        siblings = self._parent._children.values() if self._parent is not None else []
        return [o for o in siblings if self in o._inputs]

    @property
    def inputs(self):
        return [s for s in self._inputs if s is not None and s._valid]

    @property
    def outputs(self):
        return self._outputTargets()

    @property
    def inputConnectors(self):
        return [Connector(self, i, True) for i in range(len(self._inputs) + 1)]

    @property
    def outputConnectors(self):
        return [Connector(self, 0, False)]

    def _markDirty(self):
        pass

    # -- lifetime ---------------------------------------------------------------------------
    def destroy(self):
        """OP_Class destroy(): destroy the operator; later access raises."""
        if self._parent is None:
            raise tdError("The root cannot be destroyed")
        self._onDestroy()
        self._parent._children.pop(self._name, None)
        for o in self._outputTargets():
            o._inputs = [None if s is self else s for s in o._inputs]
        self._invalidate()

    def _onDestroy(self):
        pass

    def _invalidate(self):
        self._rt._treeChanged()
        for par in self._builtinParsByName.values():
            object.__setattr__(par, "_destroyed", True)
        for par in self._customParsByName.values():
            object.__setattr__(par, "_destroyed", True)
        self._valid = False
        object.__setattr__(self, "_destroyed", True)

    def __repr__(self):
        if self._destroyed:
            return f"<destroyed {self._typeName} {self._path}>"
        return f"type:{self._typeName} path:{self._path}"

    def __str__(self):
        return self._path

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__


def _single(par):
    from .pars import ParGroup
    return ParGroup([par])


class CustomParsMixin:
    """appendCustomPage & co. for COMPs and Script OPs (COMP_Class; ScriptCHOP_Class)."""

    def appendCustomPage(self, name):
        """appendCustomPage(name) -> Page (an existing custom page of that name is returned)."""
        for page in self._customPages:
            if page._name == name:
                return page
        page = Page(self, name, custom=True)
        self._customPages.append(page)
        return page

    def destroyCustomPars(self):
        """destroyCustomPars() -> int: number of custom parameters destroyed."""
        n = len(self.customPars)
        for page in list(self._customPages):
            page.destroy()
        return n

    def sortCustomPages(self, *pages):
        names = [p if isinstance(p, str) else p.name for p in pages]
        self._customPages.sort(key=lambda p: names.index(p._name) if p._name in names else len(names))


class GenericOP(OP):
    """Minimal node used for operator types the fake only needs to name (TOPs, SOPs, MATs...)."""
    _strictPars = False
