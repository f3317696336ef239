"""The fake's engine: operator lookup, execution namespaces, run() queue, change events and the
simulated frame loop. One Runtime per TDFakeProject; its creating thread is TD's main thread.

Sources:
- docs.derivative.ca/Td_Module: op(), ops(), opex(), parent(), me, root, project, run(), absTime,
  isMainThread(), debug(), mod; auto-imported modules (collections, enum, inspect, math, re, sys,
  traceback, warnings).
- docs.derivative.ca/Run_Class: Run.active, remainingFrames, remainingMilliseconds, kill().
- docs.derivative.ca/Execute_DAT: frame-start/-end callbacks (order inside a frame below is the
  fake's model: runs -> parameter/table events -> onFrameStart -> cook -> onFrameEnd -> end runs).
"""
import collections
import fnmatch
import enum
import inspect
import math
import re
import sys
import threading
import traceback
import warnings
from collections import namedtuple

from .errors import CallbackError, tdError
from .guard import Guarded, check_thread

CallbackFailure = namedtuple("CallbackFailure", "where exception traceback frame")
ValueChange = namedtuple("ValueChange", "par prev")


class AbsTime(Guarded):
    """docs.derivative.ca/AbsTime_Class: frame, seconds, step, stepSeconds (simulated)."""

    def __init__(self, rt):
        self._rt = rt

    frame = property(lambda self: self._rt._frame)
    seconds = property(lambda self: self._rt._frame / self._rt._cookRate)
    step = property(lambda self: 1)
    stepSeconds = property(lambda self: 1.0 / self._rt._cookRate)

    def __repr__(self):
        return f"type:AbsTime frame:{self._rt._frame}"


class Run(Guarded):
    """A delayed script (docs.derivative.ca/Run_Class)."""

    def __init__(self, rt, source, args, me, group, dueFrame, dueSeconds, atEnd):
        self._rt = rt
        self._source = source
        self._args = args
        self._me = me
        self._group = group
        self._dueFrame = dueFrame
        self._dueSeconds = dueSeconds
        self._atEnd = atEnd
        self._active = True

    @property
    def active(self):
        """Run_Class: "Get or set whether or not this script will execute once its target
        frame is reached"."""
        return self._active

    @active.setter
    def active(self, value):
        self._active = bool(value)

    @property
    def group(self):
        return self._group

    @group.setter
    def group(self, value):
        self._group = value
    source = property(lambda self: self._source)
    isString = property(lambda self: isinstance(self._source, str))
    isDAT = property(lambda self: hasattr(self._source, "_textValue"))
    isCell = property(lambda self: False)
    path = property(lambda self: self._me)

    @property
    def remainingFrames(self):
        return max(0, self._dueFrame - self._rt._frame) if self in self._rt._runs else 0

    @remainingFrames.setter
    def remainingFrames(self, n):
        self._dueFrame = self._rt._frame + int(n)

    @property
    def remainingMilliseconds(self):
        if self not in self._rt._runs or self._dueSeconds is None:
            return 0
        return max(0.0, (self._dueSeconds - self._rt._frame / self._rt._cookRate) * 1000.0)

    @remainingMilliseconds.setter
    def remainingMilliseconds(self, ms):
        self._dueSeconds = self._rt._frame / self._rt._cookRate + float(ms) / 1000.0

    def kill(self):
        """Run_Class kill(): cancel the run."""
        self._active = False
        if self in self._rt._runs:
            self._rt._runs.remove(self)

    def _due(self, atEnd):
        rt = self._rt
        if rt._frame < self._dueFrame or (self._atEnd and not atEnd):
            return False
        return self._dueSeconds is None or rt._frame / rt._cookRate + 1e-9 >= self._dueSeconds

    def __repr__(self):
        return f"type:Run source:{self._source!r} active:{self._active}"


class OpFinder:
    """The ``op`` global: callable, plus Global OP Shortcuts as attributes (Td_Module op)."""

    def __init__(self, rt, me):
        self._rt = rt
        self._me = me

    def __call__(self, *paths, includeUtility=False):
        check_thread(self._rt)
        base = self._rt._base(self._me)
        for path in paths:
            found = self._rt._lookup(base, path)
            if found:
                return found[0]
        return None

    def __getattr__(self, name):
        if name[0] == "_":
            raise AttributeError(name)
        check_thread(self._rt)
        found = self._rt._opShortcut(name)
        if found is None:
            raise AttributeError(f"Global OP Shortcut {name!r} not found")
        return found


class ParentFinder:
    """The ``parent`` global: parent(n=1), plus Parent Shortcuts as attributes."""

    def __init__(self, rt, me):
        self._rt = rt
        self._me = me

    def __call__(self, n=1):
        check_thread(self._rt)
        me = self._me if self._me is not None else self._rt._currentMe()
        return me.parent(n) if me is not None else None

    def __getattr__(self, name):
        if name[0] == "_":
            raise AttributeError(name)
        check_thread(self._rt)
        node = self._me if self._me is not None else self._rt._currentMe()
        while node is not None:
            sc = node._findPar("parentshortcut")
            if sc is not None and sc.eval() == name:
                return node
            node = node._parent
        raise AttributeError(f"Parent Shortcut {name!r} not found")


class Mod:
    """``mod``: module-on-demand (derivative.ca/UserGuide/MOD_Class): mod.name or mod('path').
    Search: the current COMP, then local/modules of it and of each parent."""

    def __init__(self, rt, me):
        self._rt = rt
        self._me = me

    def __call__(self, path):
        check_thread(self._rt)
        dat = self._rt._lookupFirst(self._rt._base(self._me), path)
        if dat is None or not hasattr(dat, "module"):
            raise tdError(f"mod: no DAT at {path!r}")
        return dat.module

    def __getattr__(self, name):
        if name[0] == "_":
            raise AttributeError(name)
        check_thread(self._rt)
        dat = self._rt._findModuleDAT(name, self._me)
        if dat is None:
            raise AttributeError(f"mod: no DAT named {name!r}")
        return dat.module


class Runtime:
    def __init__(self, cookRate=60.0):
        self._mainIdent = threading.get_ident()
        self._cookRate = float(cookRate)
        self._frame = 0
        self._ids = 0
        self._runs = []
        self._meStack = []
        self._cookStack = []
        self._inFrame = False
        self._parEvents = collections.OrderedDict()   # id(par) -> [par, prev, pulses]
        self._pulseEvents = []
        self._tableEvents = collections.OrderedDict()  # id(dat) -> [dat, prevSnapshot]
        self._valuesChanged = []
        self._pendingCreates = []
        self._failures = []
        self._reportedFailures = 0
        self._dispatchDepth = 0
        self.strict = True
        self.deferSetupParameters = False
        self.textport = []
        self._moduleAccessLog = None
        self._threadViolations = []
        self._opsCache = None
        self._unknownPars = []
        self.root = None   # set by the project

    # -- ids and time -----------------------------------------------------------------------
    def _nextId(self):
        self._ids += 1
        return self._ids

    # -- me ---------------------------------------------------------------------------------
    def _currentMe(self):
        return self._meStack[-1] if self._meStack else None

    def _base(self, me):
        me = me if me is not None else self._currentMe()
        return me if me is not None else self.root

    class _AsMe:
        def __init__(self, rt, me):
            self.rt, self.me = rt, me

        def __enter__(self):
            from . import tdu
            tdu._current_rt = self.rt      # tdu.Dependency() made by this fake's code
            self.rt._meStack.append(self.me)

        def __exit__(self, *exc):
            self.rt._meStack.pop()

    def _asMe(self, me):
        return Runtime._AsMe(self, me)

    # -- lookup -----------------------------------------------------------------------------
    def _allOps(self):
        """Every operator under root, depth-first in creation order (cached until the tree changes)."""
        if self._opsCache is None:
            self._opsCache = list(self._walk())
        return self._opsCache

    def _treeChanged(self):
        self._opsCache = None

    def _walk(self, node=None):
        node = node if node is not None else self.root
        yield node
        for child in list(getattr(node, "_children", {}).values()):
            yield from self._walk(child)

    def _lookup(self, start, path, network=False):
        """Resolve a path (derivative.ca/UserGuide/Network_Path): absolute from root; relative
        from ``start``. A bare name next to a non-COMP (or, for parameter paths, next to any
        operator) is a sibling; from a COMP in Python (OP.op, op()) it is a child ("relative to
        the inside of this operator", OP_Class op()); ``..`` is the parent; ``.`` stays.
        Wildcards * ? [] match names."""
        from .ops import OP
        if isinstance(path, OP):
            return [path] if path._valid else []
        if isinstance(path, int) and not isinstance(path, bool):
            return [o for o in self._allOps() if o._id == path][:1]
        if not isinstance(path, str):
            raise TypeError(f"op(): expected a path, an id or an OP, got {type(path).__name__}")
        path = path.strip()
        if not path:
            return []
        if path.startswith("/"):
            nodes = [(self.root, True)]
        else:
            start = start or self.root
            nodes = [(start, start._family == "COMP" and not network)]
        for part in path.split("/"):
            if part in ("", "."):
                continue
            nxt = []
            for node, inside in nodes:
                if part == "..":
                    if node._parent is not None:
                        nxt.append((node._parent, True))
                    continue
                where = node if inside else node._parent
                children = getattr(where, "_children", {}) if where is not None else {}
                if any(c in part for c in "*?["):
                    nxt.extend((c, True) for n, c in children.items() if fnmatch.fnmatchcase(n, part))
                elif part in children:
                    nxt.append((children[part], True))
            nodes = nxt
            if not nodes:
                return []
        out = []
        for node, _ in nodes:
            if node not in out:
                out.append(node)
        return out

    def _lookupFirst(self, base, path):
        found = self._lookup(base, path)
        return found[0] if found else None


    def _opShortcut(self, name):
        for o in self._allOps():
            sc = o._findPar("opshortcut")
            if sc is not None and sc.eval() == name:
                return o
        return None

    def _findModuleDAT(self, name, me):
        me = me if me is not None else self._currentMe()
        from .dats import DAT
        comp = (me if me._family == "COMP" else me._parent) if me is not None else self.root
        first = comp._children.get(name) if comp is not None else None
        if isinstance(first, DAT):
            return first
        node = comp
        while node is not None:
            modules = self._lookupFirst(node, "local/modules")
            if modules is not None and isinstance(modules._children.get(name), DAT):
                return modules._children[name]
            node = node._parent
        return None

    # -- namespaces -------------------------------------------------------------------------
    def _namespace(self, me):
        """The globals TD injects into a DAT's module / an expression (Td_Module)."""
        from . import classes
        ns = {
            "collections": collections, "enum": enum, "inspect": inspect, "math": math,
            "re": re, "sys": sys, "traceback": traceback, "warnings": warnings,
        }
        ns.update(classes.td_types())
        ns.update(self._globals(me))
        ns["__builtins__"] = self._datBuiltins(me)
        return ns

    def _datBuiltins(self, me):
        """DAT code may ``import otherDAT``: TD looks for a DAT of that name first (the current
        COMP, then local/modules upwards; MOD_Class) and then the file system. Scoped to DAT code
        through its own __import__, so nothing lands in sys.modules."""
        import builtins
        rt = self
        real = builtins.__import__

        def __import__(name, globals=None, locals=None, fromlist=(), level=0):
            if level == 0 and "." not in name and threading.get_ident() == rt._mainIdent:
                dat = rt._findModuleDAT(name, me)
                if dat is not None and dat is not me:
                    return dat.module
                # TD's own modules: always this fake's, installed in sys.modules or not.
                own = rt._tdModules().get(name)
                if own is not None:
                    return own
            return real(name, globals, locals, fromlist, level)
        b = dict(builtins.__dict__)
        b["__import__"] = __import__
        return b

    def _globals(self, me):
        project = self.project
        rt = self

        def run(scriptOrCallable, *args, endFrame=False, fromOP=None, asParameter=False, group=None,
                delayFrames=0, delayMilliSeconds=0, wallTime=False, delayRef=None):
            """derivative.ca/UserGuide/Run_Command_Examples: run(scriptOrCallable, *args,
            endFrame=False, fromOP=None, asParameter=False, group=None, delayFrames=0,
            delayMilliSeconds=0, wallTime=False, delayRef=None) -> Run. A string sees ``args``;
            a callable gets them as arguments. No delay and no endFrame: runs now ("endFrame - If
            True, the execution will be delayed until the end of the current frame"). The
            fake's clock is simulated, so wallTime makes no difference."""
            script = scriptOrCallable
            return rt._run(script, args, endFrame=endFrame, fromOP=fromOP or me or rt._currentMe(),
                           group=group, delayFrames=delayFrames, delayMilliSeconds=delayMilliSeconds)

        def ops(*paths, includeUtility=False):
            check_thread(rt)
            base = rt._base(me)
            out = []
            for p in paths:
                for o in rt._lookup(base, p):
                    if o not in out:
                        out.append(o)
            return out

        def opex(*paths, includeUtility=False):
            """Td_Module opex(): like op() but raises tdError when nothing is found."""
            found = OpFinder(rt, me)(*paths)
            if found is None:
                raise tdError(f"opex(): operator not found: {', '.join(map(str, paths))}")
            return found

        def isMainThread():
            """Td_Module isMainThread() -> bool."""
            return threading.get_ident() == rt._mainIdent

        def debug(*args):
            """Td_Module debug(*args): print with the calling DAT and line."""
            frame = inspect.currentframe().f_back
            who = me or rt._currentMe()
            line = " ".join(str(a) for a in args) + \
                f" (Debug - DAT:{who._path if who else '?'} fn:{frame.f_code.co_name} line:{frame.f_lineno})"
            rt.textport.append(line)

        return {
            "me": me, "op": OpFinder(self, me), "ops": ops, "opex": opex,
            "parent": ParentFinder(self, me), "root": self.root, "project": project,
            "run": run, "runs": self._activeRuns(), "absTime": self.absTime, "app": self.app,
            "ui": self.ui, "tdu": self.tdu, "td": getattr(self, "tdModule", None), "debug": debug,
            "mod": Mod(self, me), "isMainThread": isMainThread, "families": {},
        }

    def _activeRuns(self):
        return self._runs

    def _tdModules(self):
        from . import tdfunctions, tdjson, tdu
        return {"td": self.tdModule, "tdu": tdu, "TDJSON": tdjson, "TDFunctions": tdfunctions}

    def _evalExpression(self, expr, me):
        check_thread(self)
        ns = self._namespace(me)
        with self._asMe(me):
            return eval(compile(str(expr), f"<expression on {me._path}>", "eval"), ns)

    # -- run() ------------------------------------------------------------------------------
    def _run(self, script, args, endFrame=False, fromOP=None, group=None, delayFrames=0,
             delayMilliSeconds=0):
        check_thread(self)
        delayFrames = int(delayFrames or 0)
        delayMs = float(delayMilliSeconds or 0)
        immediate = not endFrame and delayFrames <= 0 and delayMs <= 0
        if immediate:
            r = Run(self, script, args, fromOP, group, self._frame, None, False)
            self._execRun(r)
            return r
        # delayFrames=d: the start of frame now+d. endFrame with no delay: the end of the frame in
        # progress, or of the next simulated frame when called between frames.
        if delayFrames > 0:
            due = self._frame + delayFrames
        else:
            due = self._frame if self._inFrame else self._frame + 1
        dueSeconds = self._frame / self._cookRate + delayMs / 1000.0 if delayMs > 0 else None
        r = Run(self, script, args, fromOP, group, due, dueSeconds, bool(endFrame))
        self._runs.append(r)
        return r

    def _schedule(self, fn, delayFrames=1, delayMilliSeconds=0):
        return self._run(fn, (), delayFrames=delayFrames, delayMilliSeconds=delayMilliSeconds,
                         fromOP=self._currentMe())

    def _execRun(self, r):
        r._active = False
        source = r._source
        where = f"run({source!r})" if isinstance(source, str) else f"run({getattr(source, '__name__', source)})"
        if callable(source) and not isinstance(source, str):
            self._call(where, r._me, source, *r._args)
            return
        if hasattr(source, "_textValue"):   # a DAT
            text, me = source.text, source
        else:
            text, me = str(source), r._me
        ns = self._namespace(me)
        ns["args"] = tuple(r._args)
        code = compile(text, f"<run from {me._path if me else '/'}>", "exec")
        self._call(where, me, exec, code, ns)

    def _runDue(self, atEnd):
        while True:
            due = [r for r in self._runs if r._due(atEnd)]
            if not due:
                return
            for r in due:
                if r in self._runs:
                    self._runs.remove(r)
                    if not r._active:
                        continue            # deactivated: reaches its frame and does nothing
                    if r._me is not None and not r._me._valid:
                        r._active = False   # its operator was destroyed: the run dies with it
                        continue
                    self._execRun(r)

    # -- callbacks --------------------------------------------------------------------------
    def _call(self, where, me, fn, *args):
        """Call a TD callback like TD does: errors go to the textport and the DAT, not up."""
        self._dispatchDepth += 1
        try:
            if me is not None:
                with self._asMe(me):
                    return fn(*args)
            return fn(*args)
        except Exception as exc:  # TD catches every callback error
            self._fail(where, me, exc)
            return None
        finally:
            self._dispatchDepth -= 1
            if self._dispatchDepth == 0 and not self._inFrame:
                self._raisePending()

    def _fail(self, where, me, exc):
        tb = traceback.format_exc()
        self._failures.append(CallbackFailure(where, exc, tb, self._frame))
        self.textport.append(tb)
        if me is not None and me._valid:
            me._cookErrors.append(f"{type(exc).__name__}: {exc}")

    def _raisePending(self):
        new = self._failures[self._reportedFailures:]
        self._reportedFailures = len(self._failures)
        if new and self.strict:
            raise CallbackError(new)

    # -- change events ----------------------------------------------------------------------
    def _queueParChange(self, par, prev):
        entry = self._parEvents.get(id(par))
        if entry is None:
            self._parEvents[id(par)] = [par, prev]

    def _queuePulse(self, par):
        self._pulseEvents.append(par)

    def _queueTableChange(self, dat, prevSnapshot):
        if id(dat) not in self._tableEvents:
            self._tableEvents[id(dat)] = [dat, prevSnapshot]

    def _deliverEvents(self):
        from .dats import parameterexecuteDAT, datexecuteDAT
        execs = [o for o in self._allOps() if isinstance(o, parameterexecuteDAT)]
        changes = list(self._parEvents.values())
        self._parEvents.clear()
        pulses, self._pulseEvents = self._pulseEvents, []
        for par, prev in changes:
            if not par.valid:
                continue
            try:
                if par.eval() == prev:
                    continue
            except Exception:
                pass
            self._valuesChanged.append((par, prev))
            for ex in execs:
                if ex._watches(par):
                    ex._fire("valuechange", "onValueChange", par, prev)
        for par in pulses:
            if not par.valid:
                continue
            for ex in execs:
                if ex._watches(par):
                    ex._fire("onpulse", "onPulse", par)
            owner = par._owner
            if hasattr(owner, "_scriptPulse"):
                owner._scriptPulse(par)
        tables = list(self._tableEvents.values())
        self._tableEvents.clear()
        if tables:
            dexecs = [o for o in self._allOps() if isinstance(o, datexecuteDAT)]
            for dat, prev in tables:
                for ex in dexecs:
                    if ex._watches(dat):
                        ex._fireTable(dat, prev)

    def _deliverValuesChanged(self):
        from .dats import parameterexecuteDAT
        if not self._valuesChanged:
            return
        changes, self._valuesChanged = self._valuesChanged, []
        for ex in [o for o in self._allOps() if isinstance(o, parameterexecuteDAT)]:
            mine = [ValueChange(p, prev) for p, prev in changes if ex._watches(p)]
            if mine:
                ex._fire("valueschanged", "onValuesChanged", mine)

    # -- frame loop -------------------------------------------------------------------------
    def _executeDATs(self):
        from .dats import executeDAT
        return [o for o in self._allOps() if isinstance(o, executeDAT)]

    def _fireExecute(self, toggle, callback, *args):
        for ex in self._executeDATs():
            if ex._valid:
                ex._fire(toggle, callback, *args)

    def _step(self):
        check_thread(self)
        self._frame += 1
        self._inFrame = True
        try:
            for o in self._allOps():
                if o._valid and hasattr(o, "_syncFromFile"):
                    o._syncFromFile()
            self._runDue(atEnd=False)
            self._firePendingCreates()
            self._deliverEvents()
            self._fireExecute("framestart", "onFrameStart", self._frame)
            self._deliverEvents()
            for o in self._allOps():
                if o._valid and hasattr(o, "_frameCook"):
                    o._frameCook()
            for o in self._allOps():
                if o._valid and hasattr(o, "_afterCook"):
                    o._afterCook()
            self._fireExecute("frameend", "onFrameEnd", self._frame)
            self._deliverEvents()
            self._runDue(atEnd=True)
            self._deliverValuesChanged()
        finally:
            self._inFrame = False
        self._raisePending()

    def _noteCreated(self, o):
        from .dats import executeDAT
        if isinstance(o, executeDAT):
            self._pendingCreates.append(o)

    def _firePendingCreates(self):
        pending, self._pendingCreates = self._pendingCreates, []
        for ex in pending:
            if ex._valid:
                ex._fire("create", "onCreate")
