"""TDFakeProject: the entry point tests use.

    fake = TDFakeProject(folder=tmpdir)      # the calling thread becomes TD's main thread
    with fake.installed():                   # sys.modules['td'], ['tdu'], ['TDJSON']
        comp = fake.op('/project1').create(fake.td.baseCOMP, 'DataNet')
        fake.frame(3)                        # simulated frames
"""
import builtins
import contextlib
import sys
import threading
import types

from . import classes, resources, serialize, tdfunctions, tdjson, tdu
from .comps import baseCOMP
from .errors import tdError
from .guard import check_thread
from .project import App, Project, UI
from .runtime import AbsTime, OpFinder, Runtime


class _TdModule(types.ModuleType):
    """``import td``: the td module. ``td.me`` is the operator being executed."""

    @property
    def me(self):
        return self._rt._currentMe()


class TDFakeProject:
    """A fake TouchDesigner process with one project. Not thread-safe by design: the thread
    that creates it is the main thread and every TD object checks it."""

    def __init__(self, folder=".", name="NewProject.toe", cookRate=60.0, version="2023",
                 build="12370", osName=None, strict=True, deferSetupParameters=False):
        rt = self._rt = Runtime(cookRate)
        rt.strict = strict
        rt.deferSetupParameters = bool(deferSetupParameters)
        rt.project = Project(rt, folder, name)
        rt.app = App(rt, version, build, osName)
        rt.ui = UI(rt)
        rt.absTime = AbsTime(rt)
        tdu._current_rt = rt
        rt.tdu = tdu
        rt.root = baseCOMP(rt, None, "")
        rt.root._path = "/"
        rt.tdModule = self._makeTdModule()
        for child in ("local", "sys", "project1"):
            rt.root.create(baseCOMP, child)
        rt._pendingCreates = []
        resources.install(rt, rt.root._children["sys"])
        self._saved = None

    def _makeTdModule(self):
        rt = self._rt
        mod = _TdModule("td")
        mod._rt = rt
        mod.__dict__.update(classes.td_types())
        g = rt._globals(None)
        g.pop("me")
        mod.__dict__.update(g)
        return mod

    # -- the globals --------------------------------------------------------------------------
    root = property(lambda self: self._rt.root)
    project = property(lambda self: self._rt.project)
    app = property(lambda self: self._rt.app)
    ui = property(lambda self: self._rt.ui)
    absTime = property(lambda self: self._rt.absTime)
    td = property(lambda self: self._rt.tdModule)
    tdu = property(lambda self: tdu)
    TDJSON = property(lambda self: tdjson)
    textport = property(lambda self: self._rt.textport)

    @property
    def project1(self):
        return self._rt.root._children.get("project1")

    @property
    def op(self):
        """The global ``op`` (relative to root, shortcuts as attributes: fake.op.TDResources)."""
        return OpFinder(self._rt, None)

    @property
    def logger(self):
        """op.TDResources.TDAppLogger."""
        return self._rt.root._children["sys"]._children["TDResources"]._children["TDAppLogger"]

    @property
    def callbackErrors(self):
        """Every callback failure so far: (where, exception, traceback text, frame)."""
        return list(self._rt._failures)

    @property
    def threadViolations(self):
        """Every off-main-thread touch so far: (thread name, member, stack). Raised *and*
        recorded, so a test can assert [] even when the caller swallowed the exception."""
        return list(self._rt._threadViolations)

    @property
    def unknownPars(self):
        """(operator path, parameter name) set on minimal node types the fake cannot check."""
        return list(self._rt._unknownPars)

    @property
    def deferSetupParameters(self):
        """True: a Script CHOP's Setup Parameters pulse runs onSetupParameters at the next frame, after
        pulse() returned (TD does not document when it runs)."""
        return self._rt.deferSetupParameters

    @deferSetupParameters.setter
    def deferSetupParameters(self, value):
        self._rt.deferSetupParameters = bool(value)

    @property
    def strict(self):
        return self._rt.strict

    @strict.setter
    def strict(self, value):
        self._rt.strict = bool(value)

    def isMainThread(self):
        return threading.get_ident() == self._rt._mainIdent

    def globals(self, me=None):
        """A dict of TD globals as injected into a DAT (me, op, parent, run, ...), plus the
        operator types, for exec() in tests."""
        return self._rt._namespace(me)

    # -- time ---------------------------------------------------------------------------------
    def frame(self, n=1):
        """Advance n simulated frames. Each frame: synced files reload, due run()s, pending
        onCreate, parameter/table events, onFrameStart, cook pass (dirty Script CHOPs, LFOs),
        onFrameEnd, events, end-of-frame runs, onValuesChanged. Raises CallbackError after a
        frame in which a callback failed (strict mode)."""
        for _ in range(int(n)):
            self._rt._step()

    runFrames = frame

    def start(self):
        """Project start: loadonstart DATs load, extensions initialise, onCreate (create on)
        and then onStart (start on) on every Execute DAT (Execute_DAT)."""
        check_thread(self._rt)
        self._rt._pendingCreates = []
        for child in list(self._rt.root._children.values()):
            serialize.after_load(child, fireCreate=True)
        self._rt._fireExecute("start", "onStart")
        self._rt._raisePending()

    def exit(self):
        """Project exit: onExit on Execute DATs with ``exit`` on."""
        check_thread(self._rt)
        self._rt._fireExecute("exit", "onExit")
        self._rt._raisePending()

    def processEvents(self):
        """Deliver pending parameter/table change events now, outside a frame."""
        check_thread(self._rt)
        self._rt._deliverEvents()
        self._rt._deliverValuesChanged()
        self._rt._raisePending()

    @classmethod
    def open(cls, path, folder=None, **kwargs):
        """Open a .toe saved by project.save(): builds the tree, then start()."""
        import os
        content = serialize.read(path, "toe")
        fake = cls(folder=folder or os.path.dirname(os.path.abspath(path)), name=content["name"], **kwargs)
        proj = fake._rt.root._children.pop("project1")
        proj._invalidate()
        for child in content["children"]:
            serialize.load_op(fake._rt.root, child)
        fake.start()
        return fake

    # -- installing ---------------------------------------------------------------------------
    def install(self, builtinsToo=False):
        """Put ``td``, ``tdu``, ``TDJSON`` and ``TDFunctions`` in sys.modules (what ``import td`` finds in TD).
        DAT modules get the globals injected anyway; external .py files in TD do not, so
        ``builtinsToo`` (op, me, parent, ... as builtins) is opt-in and less faithful."""
        check_thread(self._rt)
        if self._saved is not None:
            raise tdError("already installed")
        tdu._current_rt = self._rt
        names = {"td": self.td, "tdu": tdu, "TDJSON": tdjson, "TDFunctions": tdfunctions}
        self._saved = ({k: sys.modules.get(k) for k in names}, {})
        sys.modules.update(names)
        if builtinsToo:
            g = self._rt._namespace(None)
            g["me"] = None
            for k in ("collections", "enum", "inspect", "math", "re", "sys", "traceback", "warnings"):
                g.pop(k)
            self._saved[1].update({k: getattr(builtins, k, _MISSING) for k in g})
            for k, v in g.items():
                setattr(builtins, k, v)
        return self

    def uninstall(self):
        if self._saved is None:
            return
        mods, bins = self._saved
        for k, v in mods.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
        for k, v in bins.items():
            if v is _MISSING:
                delattr(builtins, k)
            else:
                setattr(builtins, k, v)
        self._saved = None

    @contextlib.contextmanager
    def installed(self, builtinsToo=False):
        self.install(builtinsToo)
        try:
            yield self
        finally:
            self.uninstall()

    def __enter__(self):
        return self.install()

    def __exit__(self, *exc):
        self.uninstall()


_MISSING = object()
