"""CHOPs: Channel, CHOP base, scriptCHOP, constantCHOP, lfoCHOP, infoCHOP, selectCHOP, nullCHOP.

Sources (signatures cross-checked with immersestudio/td-stubs _chops.pyi):
- docs.derivative.ca/CHOP_Class: numChans, numSamples, start, end, rate, isTimeSlice,
  chan(*nameOrIndex, caseSensitive=True), chans(...), chop['name'] / chop[i], numpyArray().
- docs.derivative.ca/ScriptCHOP_Class (edited 15 Aug 2024): clear() ("Remove all channels...
  The channel length, sample rate etc. remain unchanged"), appendChan(name) -> Channel,
  copy(chop), copyNumpyArray(numpyArray, baseName='chan'), appendCustomPage(name),
  destroyCustomPars(), sortCustomPages(*pages); numSamples/start/end/rate settable only in a
  scriptCHOP; callbacks onSetupParameters(scriptOp), onPulse(par), onCook(scriptOp).
- docs.derivative.ca/Channel_Class; derivative.ca/UserGuide/Channel: name, index, owner, vals,
  ch[i]; names may contain "numbers, English letters (A-Z a-z), and the special characters -,
  _, :, and /. Other characters will be automatically converted to _". "Modifying Channel
  values can only be done in Python within a Script CHOP."
- derivative.ca/UserGuide/Script_CHOP: a Script OP recooks when something it read changes;
  derivative.ca/UserGuide/Dependency_Class for tdu.Dependency.
- docs.derivative.ca/LFO_CHOP: wavetype, frequency, amp, offset, phase (one sample per cook).
"""
import enum
import math
import re
import struct

from .dats import DAT
from .errors import tdError
from .guard import Guarded
from .ops import OP, CustomParsMixin

class CookLevel(enum.Enum):
    """2025-era Script OP templates: return one from onGetCookLevel(scriptOp)."""
    AUTOMATIC = 0
    ON_CHANGE = 1
    WHEN_USED = 2
    ALWAYS = 3


CHANNEL_ILLEGAL = re.compile(r"[^A-Za-z0-9_:/\-]")


def f32(value):
    """CHOP samples are 32-bit floats in TD (CHOP_Class numpyArray: float32): what a sample keeps of a value."""
    return struct.unpack("f", struct.pack("f", float(value)))[0]


def legal_channel_name(name):
    """derivative.ca/UserGuide/Channel: characters outside [A-Za-z0-9_:/-] become _."""
    return CHANNEL_ILLEGAL.sub("_", str(name))


class Channel(Guarded):
    """A CHOP channel (docs.derivative.ca/Channel_Class)."""

    def __init__(self, owner, name, vals):
        self._rt = owner._rt
        self._owner = owner
        self._name = name
        self._vals = [f32(v) for v in vals]

    name = property(lambda self: self._name)
    owner = property(lambda self: self._owner)
    valid = property(lambda self: self._owner._valid and self in self._owner._channels)

    @property
    def index(self):
        return self._owner._channels.index(self)

    @property
    def vals(self):
        return list(self._vals)

    @vals.setter
    def vals(self, values):
        self._owner._checkWritable()
        values = [f32(v) for v in values]
        if len(values) != len(self._vals):
            raise tdError(f"Channel {self._name}: {len(values)} values for {len(self._vals)} samples "
                          "(set scriptOp.numSamples first)")
        self._vals[:] = values

    def eval(self, index=None):
        return self._vals[0 if index is None else index] if self._vals else 0.0

    def average(self):
        return sum(self._vals) / len(self._vals) if self._vals else 0.0

    def min(self):
        return min(self._vals) if self._vals else 0.0

    def max(self):
        return max(self._vals) if self._vals else 0.0

    def numpyArray(self):
        import numpy
        return numpy.array(self._vals, dtype=numpy.float32)

    def destroy(self):
        self._owner._checkWritable()
        self._owner._channels.remove(self)

    def __getitem__(self, index):
        self._guard()
        return self._vals[index]

    def __setitem__(self, index, value):
        self._guard()
        self._owner._checkWritable()
        self._vals[index] = f32(value)

    def __len__(self):
        self._guard()
        return len(self._vals)

    def __iter__(self):
        self._guard()
        return iter(list(self._vals))

    def __float__(self):
        self._guard()
        return float(self.eval())

    def __int__(self):
        self._guard()
        return int(self.eval())

    def __eq__(self, other):
        return self is other or (not isinstance(other, Channel) and self.__float__() == other)

    __hash__ = object.__hash__

    # Channels act as their first sample in expressions: op('lfo1')['chan1'] * 2.
    def _num(other):
        return float(other) if isinstance(other, Channel) else other

    def _binop(fn):
        return (lambda self, o: fn(self.__float__(), Channel._num(o)),
                lambda self, o: fn(Channel._num(o), self.__float__()))

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
    _num = staticmethod(_num)

    def __neg__(self):
        return -self.__float__()

    def __bool__(self):
        self._guard()
        return True

    def __repr__(self):
        return f"type:Channel name:{self._name} owner:{self._owner._path} vals:{self._vals!r}"


class CHOP(OP):
    """CHOP base. Subclasses compute channels in _produce(); the script CHOP stores them."""

    _family = "CHOP"
    _parSpecs = (("Common", "timeslice", "Toggle", False),)

    def __init__(self, rt, parent, name):
        super().__init__(rt, parent, name)
        self._channels = []
        self._numSamples = 1
        self._rate = rt._cookRate
        self._start = 0.0
        self._dirty = True

    # Reading channels "pulls" a cook when the CHOP is out of date, as TD does.
    def _pull(self):
        if self._dirty and self not in self._rt._cookStack:
            self._cook(force=False)

    def _produce(self):
        """Return [(name, [values])] for non-script CHOPs."""
        return []

    def _cook(self, force):
        if not (force or self._dirty):
            return
        self._rt._cookStack.append(self)
        try:
            self._cookErrors = []
            self._warnings = []
            self._doCook()
        finally:
            self._rt._cookStack.pop()
            self._dirty = False
            self._countCook()

    def _doCook(self):
        produced = self._produce()
        self._channels = [Channel(self, legal_channel_name(n), list(v)) for n, v in produced]
        if produced:
            self._numSamples = len(produced[0][1])

    def _markDirty(self):
        self._dirty = True

    def _onParChanged(self, par, prev):
        self._dirty = True

    def _frameCook(self):
        if self._dirty and self._cooksEveryFrame():
            self._cook(force=False)

    def _cooksEveryFrame(self):
        return False

    def _checkWritable(self):
        raise tdError("Modifying Channel values can only be done in Python within a Script CHOP")

    @property
    def numChans(self):
        self._pull()
        return len(self._channels)

    @property
    def numSamples(self):
        self._pull()
        return self._numSamples

    @property
    def rate(self):
        return self._rate

    @property
    def start(self):
        return self._start

    @property
    def end(self):
        return self._start + self._numSamples - 1

    @property
    def isTimeSlice(self):
        return bool(self.par.timeslice.eval())

    def chan(self, *nameOrIndex, caseSensitive=True):
        """CHOP_Class chan(*nameOrIndex, caseSensitive=True) -> Channel or None."""
        found = self.chans(*nameOrIndex, caseSensitive=caseSensitive)
        return found[0] if found else None

    def chans(self, *nameOrIndex, caseSensitive=True):
        """CHOP_Class chans(*nameOrIndex, caseSensitive=True) -> list; all when no argument."""
        import fnmatch
        self._pull()
        if not nameOrIndex:
            return list(self._channels)
        out = []
        for key in nameOrIndex:
            if isinstance(key, int) and not isinstance(key, bool):
                if 0 <= key < len(self._channels):
                    out.append(self._channels[key])
                continue
            for pattern in str(key).split():
                for ch in self._channels:
                    a, b = (ch._name, pattern) if caseSensitive else (ch._name.lower(), pattern.lower())
                    if fnmatch.fnmatchcase(a, b) and ch not in out:
                        out.append(ch)
        return out

    def numpyArray(self):
        import numpy
        self._pull()
        return numpy.array([c._vals for c in self._channels], dtype=numpy.float32)

    def __getitem__(self, nameOrIndex):
        self._guard()
        return self.chan(nameOrIndex)

    def __iter__(self):
        self._guard()
        return iter(self.chans())


class scriptCHOP(CustomParsMixin, CHOP):
    """Script CHOP (docs.derivative.ca/ScriptCHOP_Class). Cooks: when forced
    (cook(force=True)), when dirty and its data is read, and in the frame loop when dirty
    (new, a parameter or its callbacks DAT changed, a tdu.Dependency read in onCook changed)."""

    _typeName = "scriptCHOP"
    _defaultName = "script1"
    _parSpecs = (
        ("Script", "callbacks", "DAT", ""),
        ("Script", "setuppars", "Pulse", False),
        # 2025: "Modify Outside of Cook ... Allows CHOP to be updated by external script".
        ("Script", "modoutsidecook", "Toggle", False),
    )

    def __init__(self, rt, parent, name):
        super().__init__(rt, parent, name)
        self._callbacksSeen = None

    def _callbacksDAT(self):
        dat = self.par.callbacks.eval()
        return dat if isinstance(dat, DAT) else None

    def _datChanged(self, dat):
        if dat is self._callbacksDAT():
            self._dirty = True

    def _frameCook(self):
        if self._dirty or self._cookLevel() == CookLevel.ALWAYS:
            self._cook(force=True)

    def _cookLevel(self):
        """2025-era templates: onGetCookLevel(scriptOp) -> CookLevel (ALWAYS: every frame)."""
        dat = self._callbacksDAT()
        if dat is None:
            return CookLevel.AUTOMATIC
        try:
            fn = getattr(dat.module, "onGetCookLevel", None)
        except Exception:
            return CookLevel.AUTOMATIC
        if fn is None:
            return CookLevel.AUTOMATIC
        level = dat._callModule("onGetCookLevel", self)
        return level if isinstance(level, CookLevel) else CookLevel.AUTOMATIC

    def _doCook(self):
        dat = self._callbacksDAT()
        if dat is None:
            return
        dat._callModule("onCook", self)

    def _onPulse(self, par):
        # Script_CHOP: "The setupParameters method is run whenever the Setup Parameter button on
        # the Script page is pressed" - only then, never on a cook (VERIFY: also on creation?).
        # When is undocumented: with fake.deferSetupParameters the callback runs at the next frame,
        # after pulse() has returned (a build that saves right after pulsing must not rely on it).
        if par._name == "setuppars":
            def setup():
                dat = self._callbacksDAT()
                if dat is not None and self._valid:
                    dat._callModule("onSetupParameters", self)
            if self._rt.deferSetupParameters:
                self._rt._schedule(setup, delayFrames=1)
            else:
                setup()

    def _scriptPulse(self, par):
        """Custom pulse on the Script CHOP -> its callbacks' onPulse(par) (delivered in the frame)."""
        if par._custom:
            dat = self._callbacksDAT()
            if dat is not None:
                dat._callModule("onPulse", par)

    def _checkWritable(self):
        if self not in self._rt._cookStack and not self._builtinParsByName["modoutsidecook"].eval():
            raise tdError(
                "Script CHOP channels can only be modified inside its onCook callback "
                "(ScriptCHOP_Class: 'outside may cause unexpected results'; 2025: modoutsidecook)")

    # -- settable in a scriptCHOP only (CHOP_Class) --------------------------------------------
    @property
    def numSamples(self):
        self._pull()
        return self._numSamples

    @numSamples.setter
    def numSamples(self, n):
        self._checkWritable()
        n = int(n)
        for ch in self._channels:
            ch._vals[:] = (ch._vals + [0.0] * n)[:n]
        self._numSamples = n

    @property
    def rate(self):
        return self._rate

    @rate.setter
    def rate(self, value):
        self._checkWritable()
        self._rate = float(value)

    @property
    def start(self):
        return self._start

    @start.setter
    def start(self, value):
        self._checkWritable()
        self._start = float(value)

    @property
    def isTimeSlice(self):
        return bool(self.par.timeslice.eval())

    @isTimeSlice.setter
    def isTimeSlice(self, value):
        self._checkWritable()
        self.par.timeslice = bool(value)

    def clear(self):
        """ScriptCHOP_Class clear(): remove all channels; length and rate unchanged."""
        self._checkWritable()
        self._channels = []

    def appendChan(self, name):
        """ScriptCHOP_Class appendChan(name) -> Channel (illegal characters become _)."""
        self._checkWritable()
        ch = Channel(self, legal_channel_name(name), [0.0] * self._numSamples)
        self._channels.append(ch)
        return ch

    def copy(self, chop):
        """ScriptCHOP_Class copy(chop): channels, length and rate of another CHOP."""
        self._checkWritable()
        self._numSamples = chop.numSamples
        self._rate = chop.rate
        self._channels = [Channel(self, c._name, list(c._vals)) for c in chop.chans()]

    def copyNumpyArray(self, numpyArray, baseName="chan"):
        """ScriptCHOP_Class copyNumpyArray(numpyArray, baseName='chan'): float32 array shaped
        (numChannels, numSamples); channels named baseName1..n. Needs numpy."""
        self._checkWritable()
        import numpy
        arr = numpy.asarray(numpyArray)
        if arr.dtype != numpy.float32:
            raise tdError("copyNumpyArray needs a float32 array")
        if arr.ndim == 1:
            arr = arr.reshape(1, -1)
        self._numSamples = int(arr.shape[1])
        self._channels = [Channel(self, f"{baseName}{i + 1}", [float(v) for v in row]) for i, row in enumerate(arr)]


class constantCHOP(CHOP):
    """Constant CHOP (derivative.ca/UserGuide/Constant_CHOP): one sample per named channel.
    Parameters ``name0..name39``/``value0..value39`` (``const0name``/``const0value`` alias the
    same parameters, the sequence names of newer builds)."""

    _typeName = "constantCHOP"
    _defaultName = "constant1"
    _parSpecs = tuple(x for i in range(40) for x in (
        ("Constant", f"name{i}", "Str", "chan1" if i == 0 else ""),
        ("Constant", f"value{i}", "Float", 0.0)))

    def _findPar(self, name):
        m = re.match(r"^const(\d+)(name|value)$", name)
        if m:
            name = m.group(2) + m.group(1)
        return super()._findPar(name)

    def _produce(self):
        out = []
        for i in range(40):
            n = self._builtinParsByName[f"name{i}"].eval()
            if n:
                out.append((n, [self._builtinParsByName[f"value{i}"].eval()]))
        return out


class _TimeDependentCHOP(CHOP):
    """A CHOP whose output depends on the frame (like TD's time-dependent generators): it cooks every
    frame, and a pull in a new frame re-cooks it."""

    def _cooksEveryFrame(self):
        return True

    def _frameCook(self):
        self._dirty = True
        self._cook(force=False)

    def _pull(self):
        if self._cookFrame != self._rt._frame:
            self._dirty = True
        super()._pull()


class lfoCHOP(_TimeDependentCHOP):
    """LFO CHOP (docs.derivative.ca/LFO_CHOP), one sample per frame: offset + amp * wave(
    frequency * absTime.seconds + phase). Wave types: sine, gaussian, triangle, ramp, square,
    pulse."""

    _typeName = "lfoCHOP"
    _defaultName = "lfo1"
    _parSpecs = (
        ("LFO", "wavetype", "Menu", "sine", ["sine", "gaussian", "triangle", "ramp", "square", "pulse"]),
        ("LFO", "frequency", "Float", 1.0),
        ("LFO", "offset", "Float", 0.0),
        ("LFO", "amp", "Float", 1.0),
        ("LFO", "bias", "Float", 0.0),
        ("LFO", "phase", "Float", 0.0),
        ("Channel", "channelname", "Str", "chan1"),
    )

    def _produce(self):
        p = self._builtinParsByName
        t = self._rt._frame / self._rt._cookRate
        x = p["frequency"].eval() * t + p["phase"].eval()
        frac = x - math.floor(x)
        wave = p["wavetype"].eval()
        if wave == "sine":
            w = math.sin(2 * math.pi * x)
        elif wave == "triangle":
            w = 4 * abs(frac - 0.5) - 1
        elif wave == "ramp":
            w = frac
        elif wave == "square":
            w = 1.0 if frac < 0.5 else -1.0
        elif wave == "pulse":
            w = 1.0 if frac < 1e-9 else 0.0
        else:  # gaussian
            w = math.exp(-((frac - 0.5) ** 2) / 0.02)
        return [(p["channelname"].eval() or "chan1", [p["offset"].eval() + p["amp"].eval() * w])]


class infoCHOP(_TimeDependentCHOP):
    """Info CHOP (docs.derivative.ca/Info_CHOP), minimal: for the operator in ``op`` gives
    total_cooks, cook_frame, num_children and, for a CHOP, num_channels/num_samples."""

    _typeName = "infoCHOP"
    _defaultName = "info1"
    _parSpecs = (("Info", "op", "OP", ""),)

    def _produce(self):
        o = self.par.op.eval()
        if o is None:
            return []
        out = [("total_cooks", [float(o._totalCooks)]), ("cook_frame", [float(o._cookFrame)]),
               ("num_children", [float(len(getattr(o, "_children", {})))])]
        if isinstance(o, CHOP):
            out += [("num_channels", [float(len(o._channels))]), ("num_samples", [float(o._numSamples)])]
        return out


class _InputCHOP(CHOP):
    def _pull(self):
        self._dirty = True
        super()._pull()

    def _source(self):
        return self.inputs[0] if self.inputs else None

    def _produce(self):
        src = self._source()
        if src is None or not isinstance(src, CHOP):
            return []
        return [(c._name, list(c._vals)) for c in src.chans()]


class nullCHOP(_InputCHOP):
    """Null CHOP: passes its first input through."""
    _typeName = "nullCHOP"
    _defaultName = "null1"
    _parSpecs = (("Null", "cooktype", "StrMenu", "auto"), ("Null", "checkinputs", "Toggle", True))


class outCHOP(_InputCHOP):
    """Out CHOP (docs.derivative.ca/Out_CHOP): passes its first input out of the parent COMP's
    output connector; here, like the Null CHOP, its channels are its input's."""
    _typeName = "outCHOP"
    _defaultName = "out1"


class selectCHOP(_InputCHOP):
    """Select CHOP (docs.derivative.ca/Select_CHOP), minimal: channels of ``chops`` (or the
    first input) whose names match ``channames``; optional renamefrom/renameto not modelled."""
    _typeName = "selectCHOP"
    _defaultName = "select1"
    _parSpecs = (
        ("Select", "chops", "CHOP", ""),
        ("Select", "channames", "Str", "*"),
        ("Select", "renamefrom", "Str", ""),
        ("Select", "renameto", "Str", ""),
    )

    def _produce(self):
        srcs = self.par.chops.evalOPs() or ([self._source()] if self._source() is not None else [])
        pattern = self.par.channames.eval() or "*"
        out = []
        for src in srcs:
            if isinstance(src, CHOP):
                out.extend((c._name, list(c._vals)) for c in src.chans(pattern))
        return out


class GenericCHOP(CHOP):
    """Any other CHOP type: a named node accepting any parameter, no channels."""
    _strictPars = False


class chopexecuteDAT(DAT):
    """CHOP Execute DAT (docs.derivative.ca/CHOP_Execute_DAT): after each frame's cook pass,
    compares the watched CHOP's values with the previous frame and calls onValueChange(channel,
    sampleIndex, val, prev), onOffToOn/onOnToOff(channel, sampleIndex, val, prev),
    whileOn/whileOff(channel, sampleIndex, val, prev), gated by their toggles."""
    _typeName = "chopexecuteDAT"
    _defaultName = "chopexec1"
    _parSpecs = (
        ("File", "file", "File", ""),
        ("File", "syncfile", "Toggle", False),
        ("CHOP Execute", "active", "Toggle", True),
        ("CHOP Execute", "chop", "CHOP", ""),
        ("CHOP Execute", "channel", "Str", "*"),
        ("CHOP Execute", "offtoon", "Toggle", False),
        ("CHOP Execute", "whileon", "Toggle", False),
        ("CHOP Execute", "ontooff", "Toggle", False),
        ("CHOP Execute", "whileoff", "Toggle", False),
        ("CHOP Execute", "valuechange", "Toggle", False),
    )

    def __init__(self, rt, parent, name):
        super().__init__(rt, parent, name)
        self._prev = {}

    def _fire(self, toggle, callback, *args):
        if self._valid and self.par.active.eval() and self.par[toggle].eval():
            self._callModule(callback, *args)

    def _afterCook(self):
        if not self._valid or not self.par.active.eval():
            return
        current = {}
        for chop in self.par.chop.evalOPs():
            if isinstance(chop, CHOP):
                for ch in chop.chans(self.par.channel.eval() or "*"):
                    for i, v in enumerate(ch._vals):
                        key = (chop._path, ch._name, i)
                        current[key] = v
                        prev = self._prev.get(key)
                        if prev is not None and prev != v:
                            self._fire("valuechange", "onValueChange", ch, i, v, prev)
                            if prev == 0 and v != 0:
                                self._fire("offtoon", "onOffToOn", ch, i, v, prev)
                            if prev != 0 and v == 0:
                                self._fire("ontooff", "onOnToOff", ch, i, v, prev)
                        if v != 0:
                            self._fire("whileon", "whileOn", ch, i, v, prev)
                        else:
                            self._fire("whileoff", "whileOff", ch, i, v, prev)
        self._prev = current
