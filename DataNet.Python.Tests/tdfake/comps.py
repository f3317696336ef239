"""COMPs: create(), custom pages, extensions, save/loadTox, VFS.

Sources (signatures cross-checked with immersestudio/td-stubs _comps.pyi, td.pyi VFS):
- docs.derivative.ca/COMP_Class (edited 6 Aug 2024): create(OPtype, name=None,
  initialize=True) ("a name that is taken gets the next number"), copy(OP, name=None,
  includeDocked=True), appendCustomPage(name) -> Page, destroyCustomPars() -> int,
  sortCustomPages(*pages), customPages, customPars, extensions, extensionsReady,
  initializeExtensions(index=None), save(filepath, createFolders=False, password=None) -> path,
  loadTox(filepath, unwired=False, pattern=None, password=None) -> COMP, vfs, findChildren().
- derivative.ca/UserGuide/Extensions; COMP_Extensions_Page: ext0object (a Python expression
  string such as "op('./DataNetExt').module.DataNetExt(me)"), ext0name, ext0promote,
  reinitextensions, initextonstart. Promoted: capitalised members reachable on the COMP.
  Lifecycle __init__(ownerComp), onInitTD(), onDestroyTD() (before re-init or destroy).
- docs.derivative.ca/VFS_Class, VFSFile_Class: addFile(filePath, overrideName=None),
  addByteArray(byteArray, name), export(folder, pattern='*', overwrite=False) -> list,
  find(pattern='*'), vfs['name'], len(vfs), iteration; VFSFile name, size, byteArray,
  destroy(), export(folder). ``name in vfs`` is not documented: no __contains__ here.
"""
import datetime
import fnmatch
import os
import re

from .errors import tdError
from .guard import Guarded
from .ops import OP, NAME_CHARS, CustomParsMixin

EXT_SLOTS = 4


class VFSFile(Guarded):
    """A file embedded in a component (docs.derivative.ca/VFSFile_Class)."""

    def __init__(self, vfs, name, data, originalFilePath=""):
        self._rt = vfs._rt
        self._vfs = vfs
        self._name = name
        self._data = bytes(data)
        self._original = originalFilePath
        self._date = datetime.datetime.now()

    name = property(lambda self: self._name)
    size = property(lambda self: len(self._data))
    date = property(lambda self: self._date)
    owner = property(lambda self: self._vfs._owner)
    originalFilePath = property(lambda self: self._original)
    virtualPath = property(lambda self: f"vfs:{self._vfs._owner._path}:{self._name}")

    @property
    def byteArray(self):
        return bytearray(self._data)

    @byteArray.setter
    def byteArray(self, data):
        self._data = bytes(data)

    def destroy(self):
        self._vfs._files.pop(self._name, None)
        object.__setattr__(self, "_destroyed", True)

    def export(self, folder):
        """VFSFile.export(folder) -> str: the path written."""
        path = os.path.join(self._vfs._owner._rt.project._resolve(folder), self._name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(self._data)
        return path

    def __repr__(self):
        return f"type:VFSFile name:{self._name} size:{len(self._data)}"


class VFS(Guarded):
    """``comp.vfs`` (docs.derivative.ca/VFS_Class). Saved inside the .tox."""

    def __init__(self, owner):
        self._rt = owner._rt
        self._owner = owner
        self._files = {}

    owner = property(lambda self: self._owner)

    def addFile(self, filePath, overrideName=None):
        """VFS.addFile(filePath, overrideName=None) -> VFSFile."""
        path = self._rt.project._resolve(filePath)
        if not os.path.isfile(path):
            raise tdError(f"vfs.addFile: file not found: {filePath}")
        with open(path, "rb") as fh:
            data = fh.read()
        name = overrideName or os.path.basename(path)
        f = VFSFile(self, name, data, originalFilePath=path)
        self._files[name] = f
        return f

    def addByteArray(self, byteArray, name):
        f = VFSFile(self, name, byteArray)
        self._files[name] = f
        return f

    def find(self, pattern="*"):
        return [f for n, f in self._files.items() if fnmatch.fnmatchcase(n, pattern)]

    def export(self, folder, pattern="*", overwrite=False):
        """VFS.export(folder, pattern='*', overwrite=False) -> list of paths written. Files that
        already exist are skipped unless overwrite (the fake returns only paths it wrote)."""
        out = []
        base = self._rt.project._resolve(folder)
        for f in self.find(pattern):
            path = os.path.join(base, f._name)
            if os.path.exists(path) and not overwrite:
                continue
            out.append(f.export(folder))
        return out

    def __getitem__(self, name):
        self._guard()
        if name not in self._files:
            raise KeyError(name)
        return self._files[name]

    def __iter__(self):
        # VFS_Class "Iterator": its example prints "info of all virtual files", so the fake yields
        # VFSFile objects (VERIFY: the heading says str). With no __contains__, ``'x' in vfs`` is
        # then False here, which keeps code off that undocumented spelling: use find() or [].
        self._guard()
        return iter(list(self._files.values()))

    def __len__(self):
        self._guard()
        return len(self._files)


class ExtNamespace:
    """``comp.ext``: extensions by name (class name or extNname)."""

    def __init__(self, comp):
        self._comp = comp

    def __getattr__(self, name):
        if name[0] == "_":
            raise AttributeError(name)
        comp = self._comp
        comp._guard()
        comp._ensureExtensions()
        for extName, inst, _ in comp._extSlots:
            if extName == name:
                return inst
        raise AttributeError(f"{comp._path} has no extension named {name!r}")

    def __dir__(self):
        return [n for n, _, _ in self._comp._extSlots]


class COMP(CustomParsMixin, OP):
    """Component: a network of child operators."""

    _family = "COMP"
    _parSpecs = tuple(
        x for i in range(EXT_SLOTS) for x in (
            ("Extensions", f"ext{i}object", "Python", ""),
            ("Extensions", f"ext{i}name", "Str", ""),
            ("Extensions", f"ext{i}promote", "Toggle", False))
    ) + (
        ("Extensions", "reinitextensions", "Pulse", False),
        ("Extensions", "initextonstart", "Toggle", True),
        ("Common", "parentshortcut", "Str", ""),
        ("Common", "opshortcut", "Str", ""),
        ("Common", "iopshortcut", "Str", ""),
        ("Common", "externaltox", "File", ""),
        ("Common", "enableexternaltox", "Toggle", False),
        ("Common", "relpath", "StrMenu", "parent"),
    )

    def __init__(self, rt, parent, name):
        super().__init__(rt, parent, name)
        self._children = {}
        self._vfs = VFS(self)
        self._extSlots = []        # [(name, instance, promote)]
        self._extSignature = None  # (ext pars, [(dat, textVersion)]) of the last init
        self._extReady = True

    # -- network ---------------------------------------------------------------------------
    @property
    def children(self):
        return list(self._children.values())

    def _uniqueName(self, name):
        if name not in self._children:
            return name
        m = re.match(r"^(.*?)(\d+)$", name)
        stem, n = (m.group(1), int(m.group(2))) if m else (name, 0)
        n += 1
        while f"{stem}{n}" in self._children:
            n += 1
        return f"{stem}{n}"

    def _renameChild(self, child, new):
        self._children = {(new if k == child._name else k): v for k, v in self._children.items()}
        child._name = new
        self._repath(child)

    def _repath(self, node):
        node._setPath()
        for c in getattr(node, "_children", {}).values():
            self._repath(c)

    def create(self, OPtype, name=None, initialize=True):
        """COMP_Class create(OPtype, name=None, initialize=True) -> OP. OPtype is a class
        (textDAT) or its name ('textDAT'); a taken name gets the next number."""
        from . import classes
        cls = classes.resolve(OPtype)
        if name is None:
            name = cls._defaultName
        name = str(name)
        if not name or NAME_CHARS.search(name):
            raise tdError(f"Invalid operator name {name!r}: use letters, digits and _")
        name = self._uniqueName(name)
        o = cls(self._rt, self, name)
        self._children[name] = o
        self._rt._noteCreated(o)
        return o

    def copy(self, o, name=None, includeDocked=True):
        """COMP_Class copy(OP, name=None, includeDocked=True): a copy inside this COMP."""
        from . import serialize
        data = serialize.dump_op(o)
        data["name"] = name or o._name
        new = serialize.load_op(self, data)
        serialize.after_load(new)
        return new

    def findChildren(self, type=None, path=None, depth=None, text=None, comment=None, maxDepth=1,
                     tags=None, allTags=None, parValue=None, parExpr=None, parName=None,
                     onlyNonDefaults=False, key=None, includeUtility=False):
        """COMP_Class findChildren(...), minimal: type, name pattern via path, depth, maxDepth, key."""
        out = []

        def visit(node, d):
            for c in node._children.values():
                ok = (type is None or isinstance(c, type)) and (depth is None or d == depth) and \
                    (path is None or fnmatch.fnmatchcase(c._path, path)) and (key is None or key(c)) and \
                    (parName is None or c._findPar(parName) is not None)
                if ok:
                    out.append(c)
                if isinstance(c, COMP) and (maxDepth is None or d < maxDepth):
                    visit(c, d + 1)
        visit(self, 1)
        return out

    # -- custom parameters -------------------------------------------------------------------
    # -- VFS -------------------------------------------------------------------------------------
    @property
    def vfs(self):
        return self._vfs

    # -- extensions ------------------------------------------------------------------------------
    def _extDefinition(self):
        return tuple((self._builtinParsByName[f"ext{i}object"].eval(),
                      self._builtinParsByName[f"ext{i}name"].eval(),
                      bool(self._builtinParsByName[f"ext{i}promote"].eval())) for i in range(EXT_SLOTS))

    def _extensionsStale(self):
        definition = self._extDefinition()
        if not any(obj for obj, _, _ in definition):
            return bool(self._extSlots)
        if self._extSignature is None:
            return True
        oldDef, modules = self._extSignature
        return oldDef != definition or any(d._valid and d._textVersion != v for d, v in modules)

    def _ensureExtensions(self):
        # "Normally extension objects are compiled only when they are referenced and their
        # definitions have changed" (COMP_Extensions_Page, reinitextensions).
        if self._extReady and self._extensionsStale():
            self.initializeExtensions()

    def initializeExtensions(self, index=None):
        """COMP_Class initializeExtensions(index=None): rebuild the extension objects; calls
        onDestroyTD() on the old objects and onInitTD() on the new ones. Returns the extension
        (index given) or the list of extensions."""
        rt = self._rt
        self._destroyExtensions()
        self._extReady = False
        log, rt._moduleAccessLog = rt._moduleAccessLog, []
        slots = []
        try:
            for i, (obj, name, promote) in enumerate(self._extDefinition()):
                if not obj:
                    continue
                holder = []
                rt._call(f"{self._path}:ext{i}object", self,
                         lambda: holder.append(rt._evalExpression(obj, self)))
                inst = holder[0] if holder else None
                if inst is None:
                    continue
                slots.append((name or type(inst).__name__, inst, promote))
            modules = list(rt._moduleAccessLog)
        finally:
            rt._moduleAccessLog = log
            self._extReady = True
        self._extSlots = slots
        self._extSignature = (self._extDefinition(), modules)
        for name, inst, _ in slots:
            hook = getattr(inst, "onInitTD", None)
            if callable(hook):
                rt._call(f"{self._path}:{name}.onInitTD", self, hook)
        exts = [inst for _, inst, _ in slots]
        if index is not None:
            return exts[index] if index < len(exts) else None
        return exts

    def _destroyExtensions(self):
        old, self._extSlots = self._extSlots, []
        for name, inst, _ in old:
            hook = getattr(inst, "onDestroyTD", None)
            if callable(hook):
                self._rt._call(f"{self._path}:{name}.onDestroyTD", self, hook)

    @property
    def extensions(self):
        self._ensureExtensions()
        return [inst for _, inst, _ in self._extSlots]

    @property
    def ext(self):
        return ExtNamespace(self)

    @property
    def extensionsReady(self):
        return self._extReady

    def _onPulse(self, par):
        if par._name == "reinitextensions":
            self.initializeExtensions()

    def _frameCook(self):
        # Extensions are rebuilt when their definition (ext pars) or their DAT's text changed:
        # on the next reference, or at the latest in the next frame.
        if self._extReady and (self._extSlots or any(o for o, _, _ in self._extDefinition())) \
                and self._extensionsStale():
            self.initializeExtensions()

    def __getattr__(self, name):
        # Promoted extension members (ext0promote): capitalised methods and properties, i.e.
        # members of the class; plain instance attributes are not promoted ("only exposes
        # methods, not attributes - use @property", TDMCPSkills td-python-extension).
        if name[:1].isupper() and not object.__getattribute__(self, "_destroyed"):
            self._ensureExtensions()
            for _, inst, promote in self._extSlots:
                if promote and hasattr(type(inst), name):
                    return getattr(inst, name)
        raise AttributeError(f"'td.{type(self).__name__}' object has no attribute '{name}'")

    def _setUnknownAttr(self, name, value):
        if name[:1].isupper():
            self._ensureExtensions()
            for _, inst, promote in self._extSlots:
                if promote and hasattr(type(inst), name):
                    setattr(inst, name, value)
                    return
        super()._setUnknownAttr(name, value)

    # -- lifetime -------------------------------------------------------------------------------
    def _onDestroy(self):
        for child in list(self._children.values()):
            child._onDestroy()
            child._invalidate()
        self._destroyExtensions()

    def _invalidate(self):
        for child in list(self._children.values()):
            child._invalidate()
        super()._invalidate()

    # -- save / load -----------------------------------------------------------------------------
    def save(self, filepath=None, createFolders=False, password=None):
        """COMP_Class save(filepath, createFolders=False, password=None) -> str. Writes a JSON
        description of the component (the fake's stand-in for a .tox): every operator, every
        parameter value (custom parameters with their definitions), DAT contents, storage and
        VFS files, i.e. everything TD would save."""
        from . import serialize
        path = self._rt.project._resolve(filepath or (self._name + ".tox"))
        folder = os.path.dirname(path)
        if folder and not os.path.isdir(folder):
            if not createFolders:
                raise tdError(f"Cannot save {path}: folder does not exist (use createFolders=True)")
            os.makedirs(folder)
        serialize.write(path, "tox", serialize.dump_op(self))
        return path

    def loadTox(self, filepath, unwired=False, pattern=None, password=None):
        """COMP_Class loadTox(filepath, unwired=False, pattern=None, password=None) -> COMP:
        load a component saved by save() into this COMP. Like dropping a .tox into a running
        project: extensions initialise and Execute DATs with ``create`` on get onCreate()."""
        from . import serialize
        data = serialize.read(self._rt.project._resolve(filepath), "tox")
        comp = serialize.load_op(self, data)
        serialize.after_load(comp, fireCreate=True)
        return comp


class baseCOMP(COMP):
    """Base COMP (docs.derivative.ca/Base_COMP)."""
    _typeName = "baseCOMP"
    _defaultName = "base1"


class containerCOMP(COMP):
    """Container COMP (docs.derivative.ca/Container_COMP), minimal layout pars."""
    _typeName = "containerCOMP"
    _defaultName = "container1"
    _strictPars = False
    _parSpecs = (("Layout", "w", "Int", 100), ("Layout", "h", "Int", 100),
                 ("Look", "top", "TOP", ""), ("Look", "bgcolorr", "Float", 0.0),
                 ("Look", "bgcolorg", "Float", 0.0), ("Look", "bgcolorb", "Float", 0.0))


class geometryCOMP(COMP):
    """Geometry COMP (docs.derivative.ca/Geometry_COMP), minimal transform/material pars."""
    _typeName = "geometryCOMP"
    _defaultName = "geo1"
    _strictPars = False
    _parSpecs = tuple(("Xform", f"{a}{x}", "Float", 1.0 if a == "s" else 0.0) for a in "trs" for x in "xyz") + (
        ("Render", "material", "MAT", ""), ("Render", "render", "Toggle", True),
        ("Render", "display", "Toggle", True), ("Instance", "instancing", "Toggle", False),
        ("Instance", "instanceop", "OP", ""))


class cameraCOMP(COMP):
    _typeName = "cameraCOMP"
    _defaultName = "cam1"
    _strictPars = False


class lightCOMP(COMP):
    _typeName = "lightCOMP"
    _defaultName = "light1"
    _strictPars = False


class windowCOMP(COMP):
    _typeName = "windowCOMP"
    _defaultName = "window1"
    _strictPars = False


class GenericCOMP(COMP):
    _strictPars = False
