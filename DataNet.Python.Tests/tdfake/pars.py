"""Parameters: Par, ParGroup, ParCollection, Page, ParMode.

Sources (signatures cross-checked with immersestudio/td-stubs td.pyi):
- docs.derivative.ca/Par_Class (edited 4 Sep 2024): val, eval(), expr, mode, default, readOnly,
  password, enable, enableExpr, menuNames/menuLabels ("Can only be set on Custom Parameters"),
  min/max/normMin/normMax/clampMin/clampMax, isPulse/isToggle/isString/isMenu, owner, page,
  pulse(value=None, frames=0, seconds=0), reset(), destroy().
- docs.derivative.ca/Page_Class (edited 6 Aug 2024): appendStr/appendToggle/... (name, label=None,
  order=None, replace=True) -> ParGroup; appendInt/appendFloat(name, label=None, size=1, ...).
  Naming rule: "begin with uppercase letter followed by lowercase letters and numbers only".
- docs.derivative.ca/ParGroup_Class; 2025 release notes: ParGroup.readOnly/.enable are tuples,
  ``par1 == par2`` compares evaluated values (use isSamePar for identity).
- derivative.ca/UserGuide/ParCollection_Class: ``op.par.name`` get/set; ``op.par['name']``
  returns None when not found.
"""
import enum
import fnmatch
import re

from .errors import tdError
from .guard import Guarded

CUSTOM_NAME = re.compile(r"^[A-Z][a-z0-9]*$")


class ParMode(enum.Enum):
    """docs.derivative.ca/ParMode_Class: CONSTANT, EXPRESSION, EXPORT, BIND."""
    CONSTANT = 0
    EXPRESSION = 1
    EXPORT = 2
    BIND = 3


FLOAT_STYLES = {"Float", "RGB", "RGBA", "XY", "XYZ", "UV", "UVW", "WH"}
OP_STYLES = {"OP", "COMP", "OBJ", "PanelCOMP", "TOP", "CHOP", "SOP", "MAT", "DAT", "POP"}
STRING_STYLES = {"Str", "StrMenu", "File", "Folder", "Python", "Header", "FileSave"}
TOGGLE_STYLES = {"Toggle", "Momentary"}
# Suffixes TD gives to the parameters of a multi-value group (Page_Class: appendXYZ -> Tx Ty Tz).
SUFFIXES = {"XY": "xy", "XYZ": "xyz", "UV": "uv", "UVW": "uvw", "WH": "wh", "RGB": "rgb", "RGBA": "rgba"}


def _default_for(style):
    if style in FLOAT_STYLES:
        return 0.0
    if style == "Int":
        return 0
    if style in TOGGLE_STYLES or style == "Pulse":
        return False
    return ""


def coerce(style, value, menuNames=()):
    """Convert a value the way TD stores it for a parameter of this style."""
    from .ops import OP
    if style == "Any":   # parameters of minimal node types the fake does not describe
        return value
    if style in FLOAT_STYLES:
        return float(value)
    if style == "Int":
        if isinstance(value, str):
            value = float(value.strip() or 0)
        return int(value)
    if style in TOGGLE_STYLES or style == "Pulse":
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "on", "yes")
        return bool(value)
    if style == "Menu":
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, int) and menuNames:
            if not 0 <= value < len(menuNames):
                raise tdError(f"Menu index {value} out of range (0..{len(menuNames) - 1})")
            return menuNames[value]
        value = str(value)
        if menuNames and value not in menuNames:
            raise tdError(f"Invalid menu entry {value!r}; menu names are {list(menuNames)}")
        return value
    if style in OP_STYLES:
        if isinstance(value, OP):
            return value.path
        if value is None:
            return ""
        return str(value)
    if isinstance(value, OP):
        return value.path
    return "" if value is None else str(value)


class Par(Guarded):
    """One parameter of an operator (docs.derivative.ca/Par_Class)."""

    def __init__(self, owner, name, style, default=None, label=None, page=None, custom=False,
                 tupletName=None, vecIndex=0, menuNames=None, menuLabels=None):
        self._rt = owner._rt
        self._owner = owner
        self._name = name
        self._style = style
        self._custom = custom
        self._label = label if label is not None else name
        self._page = page
        self._tupletName = tupletName or name
        self._vecIndex = vecIndex
        self._menuNames = list(menuNames or [])
        self._menuLabels = list(menuLabels or self._menuNames)
        self._default = coerce(style, default, self._menuNames) if default is not None else _default_for(style)
        self._val = self._default
        self._mode = ParMode.CONSTANT
        self._expr = ""
        self._bindExpr = ""
        self._enable = True
        self._enableExpr = ""
        self._readOnly = False
        self._password = False
        self._help = ""
        self._startSection = False
        self._min = 0.0
        self._max = 1.0
        self._normMin = 0.0
        self._normMax = 1.0
        self._clampMin = False
        self._clampMax = False
        self._order = 0
        self._group = None

    # -- identity and description -------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def owner(self):
        return self._owner

    @property
    def page(self):
        return self._page

    @property
    def style(self):
        return self._style

    @property
    def tupletName(self):
        return self._tupletName

    @property
    def vecIndex(self):
        return self._vecIndex

    @property
    def valid(self):
        return not self._destroyed and self._owner._valid

    @property
    def index(self):
        return next(i for i, p in enumerate(self._owner._parList()) if p is self)

    @property
    def isCustom(self):
        return self._custom

    @property
    def isDefault(self):
        return self._mode == ParMode.CONSTANT and self._val == self._default

    isPulse = property(lambda self: self._style == "Pulse")
    isMomentary = property(lambda self: self._style == "Momentary")
    isToggle = property(lambda self: self._style in TOGGLE_STYLES)
    isString = property(lambda self: self._style in STRING_STYLES)
    isMenu = property(lambda self: self._style in ("Menu", "StrMenu"))
    isNumber = property(lambda self: self._style in FLOAT_STYLES or self._style == "Int")
    isFloat = property(lambda self: self._style in FLOAT_STYLES)
    isInt = property(lambda self: self._style == "Int")
    isOP = property(lambda self: self._style in OP_STYLES)
    isPython = property(lambda self: self._style == "Python")

    def _simple(attr, customOnly=False):
        def get(self):
            return getattr(self, "_" + attr)

        def set_(self, value):
            if customOnly and not self._custom:
                raise tdError(f"Par.{attr} can only be set on custom parameters ({self._name})")
            setattr(self, "_" + attr, value)
        return property(get, set_)

    label = _simple("label", customOnly=True)
    help = _simple("help", customOnly=True)
    startSection = _simple("startSection", customOnly=True)
    min = _simple("min")
    max = _simple("max")
    normMin = _simple("normMin")
    normMax = _simple("normMax")
    clampMin = _simple("clampMin")
    clampMax = _simple("clampMax")
    order = _simple("order")
    # "cannot be modified through the UI, only scripting": scripts may still set val.
    readOnly = _simple("readOnly")
    del _simple

    @property
    def password(self):
        return self._password

    @password.setter
    def password(self, value):
        # Par_Class: "Can only be set on Custom string, int or float". Masks display only:
        # the value is still saved in the .toe/.tox.
        if not (self._custom and self._style in ("Str", "Int", "Float")):
            raise tdError(f"Par.password can only be set on custom Str, Int or Float parameters ({self._name})")
        self._password = bool(value)

    @property
    def enable(self):
        if self._enableExpr:
            return bool(self._owner._evalExpression(self._enableExpr))
        return self._enable

    @enable.setter
    def enable(self, value):
        self._enable = bool(value)

    @property
    def enableExpr(self):
        return self._enableExpr

    @enableExpr.setter
    def enableExpr(self, value):
        self._enableExpr = value or ""

    @property
    def menuNames(self):
        return list(self._menuNames)

    @menuNames.setter
    def menuNames(self, names):
        if not self._custom:
            raise tdError(f"Par.menuNames can only be set on custom parameters ({self._name})")
        self._menuNames = [str(n) for n in names]
        if len(self._menuLabels) != len(self._menuNames):
            self._menuLabels = list(self._menuNames)
        if self._style == "Menu" and self._menuNames:
            if self._default not in self._menuNames:
                self._default = self._menuNames[0]
            if self._val not in self._menuNames:
                self._val = self._menuNames[0]

    @property
    def menuLabels(self):
        return list(self._menuLabels)

    @menuLabels.setter
    def menuLabels(self, labels):
        if not self._custom:
            raise tdError(f"Par.menuLabels can only be set on custom parameters ({self._name})")
        self._menuLabels = [str(n) for n in labels]

    @property
    def menuIndex(self):
        value = self.eval()
        return self._menuNames.index(value) if value in self._menuNames else -1

    @menuIndex.setter
    def menuIndex(self, index):
        self.val = self._menuNames[index]

    @property
    def default(self):
        return self._default

    @default.setter
    def default(self, value):
        if not self._custom:
            raise tdError(f"Par.default can only be set on custom parameters ({self._name})")
        self._default = coerce(self._style, value, self._menuNames)

    # -- value ---------------------------------------------------------------------------
    @property
    def mode(self):
        return self._mode

    @mode.setter
    def mode(self, value):
        if not isinstance(value, ParMode):
            raise tdError("Par.mode must be a ParMode")
        prev = self.eval()
        self._mode = value
        self._notifyIfChanged(prev)

    @property
    def val(self):
        """The constant-mode value (Par_Class: "use eval() for the current value")."""
        return self._val

    @val.setter
    def val(self, value):
        self._setConstant(value)

    @property
    def expr(self):
        return self._expr

    @expr.setter
    def expr(self, text):
        # Setting expr switches the parameter to expression mode (Par_Class).
        prev = self.eval()
        self._expr = text or ""
        self._mode = ParMode.EXPRESSION if self._expr else ParMode.CONSTANT
        self._notifyIfChanged(prev)

    @property
    def bindExpr(self):
        return self._bindExpr

    @bindExpr.setter
    def bindExpr(self, text):
        prev = self.eval()
        self._bindExpr = text or ""
        self._mode = ParMode.BIND if self._bindExpr else ParMode.CONSTANT
        self._notifyIfChanged(prev)

    def eval(self):
        """Par_Class: "Evaluate a parameter. This value may be derived by the parameter's
        constant value, expression, or export, dependent on its mode." OP parameters
        evaluate to the operator (or None)."""
        if self._mode == ParMode.EXPRESSION:
            value = self._owner._evalExpression(self._expr)
            if self._style in OP_STYLES and not isinstance(value, str):
                return value
            value = coerce(self._style, value, self._menuNames if self._style == "Menu" else ())
        elif self._mode == ParMode.BIND:
            target = self._owner._evalExpression(self._bindExpr)
            value = target.eval() if isinstance(target, Par) else coerce(self._style, target)
        else:
            value = self._val
        if self._style in OP_STYLES:
            return self._resolveOPs(value, first=True)
        return value

    def evalOPs(self):
        """Par_Class evalOPs(): all operators referenced by an OP parameter."""
        value = self._val if self._mode == ParMode.CONSTANT else self._owner._evalExpression(self._expr)
        return self._resolveOPs(value, first=False)

    def _resolveOPs(self, value, first):
        from .ops import OP
        if isinstance(value, OP):
            return value if first else [value]
        found = []
        for pattern in str(value or "").split():
            found.extend(self._owner._opsRelative(pattern))
        if first:
            # An OP parameter matching several operators evaluates to a list of them (TD; design.md
            # section 6): code reading it must not assume one operator.
            if len(found) > 1:
                return found
            return found[0] if found else None
        return found

    def _setConstant(self, value, notify=True):
        if self._style == "Pulse":
            if coerce("Pulse", value):
                self.pulse()
            return
        prev = self.eval()
        value = coerce(self._style, value, self._menuNames if self._style == "Menu" else ())
        if self.isNumber:
            # Par_Class clampMin/clampMax: the value is clamped to min/max.
            if self._clampMin and value < self._min:
                value = type(value)(self._min)
            if self._clampMax and value > self._max:
                value = type(value)(self._max)
        self._val = value
        self._mode = ParMode.CONSTANT
        if notify:
            self._notifyIfChanged(prev)

    def _notifyIfChanged(self, prev):
        try:
            now = self.eval()
        except Exception:
            now = object()
        if now != prev:
            self._owner._parValueChanged(self, prev)

    def pulse(self, value=None, frames=0, seconds=0):
        """Par_Class pulse(value, frames=0, seconds=0): trigger a pulse parameter, or set a
        value for a number of frames/seconds and then restore it."""
        if self._style == "Pulse":
            self._owner._parPulsed(self)
            return
        prev = self._val
        self._setConstant(True if value is None else value)
        restore = lambda: self._setConstant(prev) if self.valid else None
        self._rt._schedule(restore, delayFrames=max(int(frames), 1) if not seconds else 0,
                           delayMilliSeconds=seconds * 1000.0)

    def reset(self):
        """Par_Class reset(): set to the default value (constant mode)."""
        self._setConstant(self._default)

    def copy(self, par):
        self._setConstant(par.eval())

    def isSamePar(self, other):
        """2025: identity test, since == compares values."""
        return other is self

    def destroy(self):
        """Par_Class destroy(): only custom parameters can be destroyed."""
        if not self._custom:
            raise tdError(f"Cannot destroy built-in parameter {self._name}")
        self._owner._removeCustomPar(self)

    # -- Python protocol: TD 2025 compares values ----------------------------------------
    def _value(self):
        self._guard()
        return self.eval()

    def __eq__(self, other):
        return self._value() == (other._value() if isinstance(other, Par) else other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = object.__hash__

    def __bool__(self):
        return bool(self._value())

    def __int__(self):
        return int(self._value())

    def __float__(self):
        return float(self._value())

    def __str__(self):
        value = self._value()
        return value.path if hasattr(value, "_path") else str(value if value is not None else "")

    def __repr__(self):
        return f"type:Par name:{self._name} owner:{self._owner._path} value:{self._val!r}"

    def _binop(op):
        def f(self, other):
            return op(self._value(), other._value() if isinstance(other, Par) else other)

        def r(self, other):
            return op(other, self._value())
        return f, r

    import operator as _o
    __add__, __radd__ = _binop(_o.add)
    __sub__, __rsub__ = _binop(_o.sub)
    __mul__, __rmul__ = _binop(_o.mul)
    __truediv__, __rtruediv__ = _binop(_o.truediv)
    __lt__, _ = _binop(_o.lt)
    __le__, _ = _binop(_o.le)
    __gt__, _ = _binop(_o.gt)
    __ge__, _ = _binop(_o.ge)
    del _binop, _, _o

    def __neg__(self):
        return -self._value()


class ParGroup(tuple, Guarded):
    """Page.appendX(...) returns a ParGroup: tuple-like, ``[0]`` is the first Par
    (docs.derivative.ca/ParGroup_Class; older builds returned a list, so ``[0]`` works on both)."""

    def __new__(cls, pars):
        self = tuple.__new__(cls, pars)
        object.__setattr__(self, "_rt", pars[0]._rt)
        return self

    def _each(self):
        self._guard()
        return tuple.__iter__(self)

    def __getitem__(self, index):
        self._guard()
        return tuple.__getitem__(self, index)

    def __iter__(self):
        return self._each()

    def __len__(self):
        self._guard()
        return tuple.__len__(self)

    name = property(lambda self: self[0]._tupletName)
    owner = property(lambda self: self[0]._owner)
    page = property(lambda self: self[0]._page)
    style = property(lambda self: self[0]._style)
    size = property(lambda self: len(self))
    isCustom = property(lambda self: self[0]._custom)
    isPulse = property(lambda self: self[0].isPulse)
    isToggle = property(lambda self: self[0].isToggle)
    isMenu = property(lambda self: self[0].isMenu)
    isString = property(lambda self: self[0].isString)

    @property
    def label(self):
        return self[0].label

    @label.setter
    def label(self, value):
        for p in self._each():
            p.label = value

    def _tupleProp(attr):
        def get(self):
            return tuple(getattr(p, attr) for p in self._each())

        def set_(self, value):
            values = value if isinstance(value, (tuple, list)) else [value] * len(self)
            for p, v in zip(self._each(), values):
                setattr(p, attr, v)
        return property(get, set_)

    val = _tupleProp("val")
    default = _tupleProp("default")
    readOnly = _tupleProp("readOnly")
    enable = _tupleProp("enable")
    min = _tupleProp("min")
    max = _tupleProp("max")
    normMin = _tupleProp("normMin")
    normMax = _tupleProp("normMax")
    clampMin = _tupleProp("clampMin")
    clampMax = _tupleProp("clampMax")
    del _tupleProp

    @property
    def password(self):
        return self[0].password

    @password.setter
    def password(self, value):
        for p in self._each():
            p.password = value

    @property
    def enableExpr(self):
        return self[0].enableExpr

    @enableExpr.setter
    def enableExpr(self, value):
        for p in self._each():
            p.enableExpr = value

    @property
    def help(self):
        return self[0].help

    @help.setter
    def help(self, value):
        for p in self._each():
            p.help = value

    @property
    def menuNames(self):
        return self[0].menuNames

    @menuNames.setter
    def menuNames(self, value):
        self[0].menuNames = value

    @property
    def menuLabels(self):
        return self[0].menuLabels

    @menuLabels.setter
    def menuLabels(self, value):
        self[0].menuLabels = value

    def eval(self):
        return tuple(p.eval() for p in self._each())

    def reset(self):
        for p in self._each():
            p.reset()

    def destroy(self):
        for p in self._each():
            p.destroy()

    def __repr__(self):
        return f"type:ParGroup name:{self[0]._tupletName} owner:{self[0]._owner._path}"

    def __eq__(self, other):
        return tuple.__eq__(self, other)

    __hash__ = tuple.__hash__


class ParCollection(Guarded):
    """``op.par``: one member per parameter (derivative.ca/UserGuide/ParCollection_Class)."""

    def __init__(self, owner):
        object.__setattr__(self, "_rt", owner._rt)
        object.__setattr__(self, "_owner", owner)

    @property
    def owner(self):
        return self._owner

    ownerOP = owner

    def __getattr__(self, name):
        if name[0] == "_":
            raise AttributeError(name)
        par = self._owner._findPar(name)
        if par is None:
            if self._owner._strictPars:
                raise AttributeError(f"'td.ParCollection' object has no attribute '{name}' "
                                     f"(no parameter {name!r} on {self._owner._path})")
            par = self._owner._unknownPar(name, None)
        return par

    def __setattr__(self, name, value):
        if name[0] == "_":
            object.__setattr__(self, name, value)
            return
        from .guard import check_thread
        check_thread(self._rt)
        par = self._owner._findPar(name)
        if par is None:
            par = self._owner._unknownPar(name, value)
        if isinstance(value, Par):
            value = value.eval()
        par._setConstant(value)

    def __getitem__(self, name):
        self._guard()
        return self._owner._findPar(name)

    def __setitem__(self, name, value):
        self.__setattr__(name, value)

    def __iter__(self):
        self._guard()
        return iter(self._owner._parList())

    def __repr__(self):
        return f"type:ParCollection owner:{self._owner._path}"


class ParGroupCollection(Guarded):
    """``op.parGroup`` / ``op.parTuple``: parameter groups by group name (ParGroupCollection_Class)."""

    def __init__(self, owner):
        object.__setattr__(self, "_rt", owner._rt)
        object.__setattr__(self, "_owner", owner)

    def _find(self, name):
        for p in self._owner._parList():
            if p._tupletName == name:
                return p._group
        return None

    def __getattr__(self, name):
        if name[0] == "_":
            raise AttributeError(name)
        group = self._find(name)
        if group is None:
            raise AttributeError(f"'td.ParGroupCollection' object has no attribute '{name}'")
        return group

    def __setattr__(self, name, value):
        if name[0] == "_":
            object.__setattr__(self, name, value)
            return
        getattr(self, name).val = value

    def __getitem__(self, name):
        self._guard()
        return self._find(name)


class Page(Guarded):
    """A parameter page (docs.derivative.ca/Page_Class, edited 6 Aug 2024)."""

    def __init__(self, owner, name, custom):
        self._rt = owner._rt
        self._owner = owner
        self._name = name
        self._custom = custom
        self._pars = []

    name = property(lambda self: self._name)
    owner = property(lambda self: self._owner)
    isCustom = property(lambda self: self._custom)
    pars = property(lambda self: list(self._pars))

    @property
    def parGroups(self):
        groups, seen = [], set()
        for p in self._pars:
            if id(p._group) not in seen:
                seen.add(id(p._group))
                groups.append(p._group)
        return groups

    parTuplets = parGroups

    @property
    def index(self):
        pages = self._owner.customPages if self._custom else self._owner.pages
        return pages.index(self)

    # -- append methods: Page_Class; stub signatures (td-stubs td.pyi Page) ----------------
    def _append(self, style, name, label, size, order, replace, names=None):
        owner = self._owner
        if not self._custom:
            raise tdError("Parameters can only be appended to custom pages")
        if not isinstance(name, str) or not CUSTOM_NAME.match(name):
            raise tdError(
                f"Invalid parameter name {name!r}: custom parameter names must begin with an "
                "uppercase letter followed by lowercase letters and numbers only (e.g. 'Apikey')")
        if size < 1 or size > 4:
            raise tdError(f"Invalid size {size}: must be 1 to 4")
        if names is None:
            names = [name] if size == 1 else [f"{name}{i + 1}" for i in range(size)]
        for n in names:
            existing = owner._findPar(n)
            if existing is not None and existing._custom:
                if not replace:
                    raise tdError(f"Parameter {n!r} already exists on {owner._path} (replace=False)")
                remove_identical(existing._page._pars, existing)
                owner._customParsByName.pop(n, None)
                object.__setattr__(existing, "_destroyed", True)
            elif existing is not None:
                raise tdError(f"Parameter name {n!r} clashes with a built-in parameter of {owner._path}")
        pars = [Par(owner, n, style, label=label if label is not None else name, page=self,
                    custom=True, tupletName=name, vecIndex=i) for i, n in enumerate(names)]
        group = ParGroup(pars)
        for p in pars:
            p._group = group
            owner._customParsByName[p._name] = p
        index = len(self._pars) if order is None else max(0, min(int(order), len(self._pars)))
        self._pars[index:index] = pars
        return group

    def appendFloat(self, name, label=None, size=1, order=None, replace=True):
        return self._append("Float", name, label, size, order, replace)

    def appendInt(self, name, label=None, size=1, order=None, replace=True):
        return self._append("Int", name, label, size, order, replace)

    def _fixed(style):
        def append(self, name, label=None, order=None, replace=True):
            suffix = SUFFIXES.get(style)
            names = [name + s for s in suffix] if suffix else None
            return self._append(style, name, label, len(suffix) if suffix else 1, order, replace, names)
        append.__name__ = "append" + style
        append.__doc__ = f"Page_Class append{style}(name, label=None, order=None, replace=True) -> ParGroup"
        return append

    appendStr = _fixed("Str")
    appendStrMenu = _fixed("StrMenu")
    appendMenu = _fixed("Menu")
    appendToggle = _fixed("Toggle")
    appendMomentary = _fixed("Momentary")
    appendPulse = _fixed("Pulse")
    appendFile = _fixed("File")
    appendFileSave = _fixed("FileSave")
    appendFolder = _fixed("Folder")
    appendPython = _fixed("Python")
    appendHeader = _fixed("Header")
    appendOP = _fixed("OP")
    appendCOMP = _fixed("COMP")
    appendOBJ = _fixed("OBJ")
    appendPanelCOMP = _fixed("PanelCOMP")
    appendTOP = _fixed("TOP")
    appendCHOP = _fixed("CHOP")
    appendSOP = _fixed("SOP")
    appendMAT = _fixed("MAT")
    appendDAT = _fixed("DAT")
    appendXY = _fixed("XY")
    appendXYZ = _fixed("XYZ")
    appendUV = _fixed("UV")
    appendUVW = _fixed("UVW")
    appendWH = _fixed("WH")
    appendRGB = _fixed("RGB")
    appendRGBA = _fixed("RGBA")
    del _fixed

    def appendPar(self, name, par=None, label=None, order=None, replace=True):
        """Page_Class appendPar(name, par=None, ...): copy of an existing par's style."""
        style = par.style if par is not None else "Str"
        group = self._append(style, name, label, 1, order, replace)
        if par is not None:
            group[0]._setConstant(par.eval(), notify=False)
        return group

    def sort(self, *parameters):
        order = {n: i for i, n in enumerate(parameters)}
        self._pars.sort(key=lambda p: order.get(p._tupletName, len(order)))

    def resetPars(self):
        for p in list(self._pars):
            p.reset()

    def destroy(self):
        if not self._custom:
            raise tdError("Built-in pages cannot be destroyed")
        for p in list(self._pars):
            p.destroy()
        self._owner._customPages.remove(self)
        object.__setattr__(self, "_destroyed", True)

    def __repr__(self):
        return f"type:Page name:{self._name} owner:{self._owner._path}"

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__


def remove_identical(items, obj):
    """list.remove by identity: Par == Par compares values (TD 2025), so list.remove would
    drop the first parameter with an equal value."""
    for i, x in enumerate(items):
        if x is obj:
            del items[i]
            return


def matches(name, patterns):
    """TD pattern matching for 'pars' fields: space-separated, * and ? wildcards."""
    return any(fnmatch.fnmatchcase(name, p) for p in str(patterns).split())
