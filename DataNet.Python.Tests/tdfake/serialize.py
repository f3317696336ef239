"""The fake's .tox/.toe format: JSON describing what TD would save.

TD saves every operator, every parameter (values, expressions, custom parameter definitions),
DAT contents, storage ("Storage is saved with .toe and .tox files", derivative.ca/UserGuide/
Storage) and VFS files (docs.derivative.ca/VFS_Class). The fake writes the same information as
JSON so tests can assert what a real save would contain (e.g. that no API key is in a parameter).
"""
import base64
import json
import pickle

from .errors import tdError
from .pars import ParMode

FORMAT = "tdfake"
VERSION = 1
_PAR_ATTRS = ("label", "readOnly", "password", "enable", "enableExpr", "help", "min", "max",
              "normMin", "normMax", "clampMin", "clampMax", "startSection", "order")


def _par_value(par):
    if par._mode == ParMode.EXPRESSION:
        return {"expr": par._expr}
    if par._mode == ParMode.BIND:
        return {"bindExpr": par._bindExpr}
    return par._val


def _stored(value):
    try:
        json.dumps(value)
        return {"json": value}
    except (TypeError, ValueError):
        pass
    try:
        return {"pickle": base64.b64encode(pickle.dumps(value)).decode("ascii")}
    except Exception as exc:   # TD fails to save unpicklable storage; record it visibly
        return {"unpicklable": repr(value), "error": f"{type(exc).__name__}: {exc}"}


def _restored(entry):
    if "json" in entry:
        return entry["json"]
    if "pickle" in entry:
        return pickle.loads(base64.b64decode(entry["pickle"]))
    return None


def dump_op(o):
    d = {"name": o._name, "type": o._typeName, "nodeX": o._nodeX, "nodeY": o._nodeY}
    for flag in ("comment", "bypass", "lock", "display", "render", "viewer"):
        d[flag] = getattr(o, "_" + flag)
    d["color"] = list(o._color)
    d["tags"] = sorted(o._tags)
    d["pars"] = {p._name: _par_value(p) for page in o._builtinPages for p in page._pars if not p.isDefault}
    pages = []
    for page in o._customPages:
        pars = []
        for p in page._pars:
            entry = {"name": p._name, "tupletName": p._tupletName, "style": p._style,
                     "size": len(p._group), "default": p._default, "value": _par_value(p),
                     "menuNames": p._menuNames, "menuLabels": p._menuLabels}
            entry.update({a: getattr(p, "_" + a) for a in _PAR_ATTRS})
            pars.append(entry)
        pages.append({"name": page._name, "pars": pars})
    d["customPages"] = pages
    d["storage"] = {str(k): _stored(v) for k, v in o._storage.items()}
    d["startupStorage"] = {str(k): _stored(v) for k, v in o._startupStorage.items()}
    siblings = o._parent._children if o._parent is not None else {}
    d["inputs"] = [s._name if s is not None and siblings.get(s._name) is s else None for s in o._inputs]
    if o._family == "DAT":
        if o._isTable:
            d["table"] = [list(r) for r in o._padded()]
        else:
            d["text"] = o._textValue
    if o._family == "COMP":
        d["vfs"] = [{"name": f._name, "originalFilePath": f._original,
                     "data": base64.b64encode(f._data).decode("ascii")} for f in o._vfs._files.values()]
        d["children"] = [dump_op(c) for c in o._children.values()]
    return d


def _set_raw(par, value):
    if isinstance(value, dict) and "expr" in value:
        par._expr, par._mode = value["expr"], ParMode.EXPRESSION
    elif isinstance(value, dict) and "bindExpr" in value:
        par._bindExpr, par._mode = value["bindExpr"], ParMode.BIND
    else:
        par._val, par._mode = value, ParMode.CONSTANT


def load_op(parent, d):
    from . import classes
    cls = classes.resolve(d["type"])
    name = parent._uniqueName(d["name"])
    o = cls(parent._rt, parent, name)
    parent._children[name] = o
    o._nodeX, o._nodeY = d.get("nodeX", 0), d.get("nodeY", 0)
    for flag in ("comment", "bypass", "lock", "display", "render", "viewer"):
        if flag in d:
            setattr(o, "_" + flag, d[flag])
    o._color = tuple(d.get("color", o._color))
    o._tags = set(d.get("tags", []))
    for pname, value in d.get("pars", {}).items():
        par = o._findPar(pname)
        if par is None:
            par = o._unknownPar(pname, value)
        _set_raw(par, value)
    for pageData in d.get("customPages", []):
        page = o.appendCustomPage(pageData["name"])
        done = set()
        for entry in pageData["pars"]:
            if entry["tupletName"] in done:
                continue
            done.add(entry["tupletName"])
            members = [e for e in pageData["pars"] if e["tupletName"] == entry["tupletName"]]
            group = page._append(entry["style"], entry["tupletName"], entry["label"], len(members), None,
                                 True, [e["name"] for e in members])
            for par, e in zip(group, members):
                par._menuNames, par._menuLabels = list(e["menuNames"]), list(e["menuLabels"])
                par._default = e["default"]
                for a in _PAR_ATTRS:
                    setattr(par, "_" + a, e[a])
                _set_raw(par, e["value"])
    o._storage = {k: _restored(v) for k, v in d.get("storage", {}).items()}
    o._startupStorage = {k: _restored(v) for k, v in d.get("startupStorage", {}).items()}
    o._storage.update(o._startupStorage)   # startup values replace stored ones on load
    if "table" in d:
        o._rows = [list(r) for r in d["table"]]
    if "text" in d:
        o._textValue = d["text"]
    for f in d.get("vfs", []):
        from .comps import VFSFile
        o._vfs._files[f["name"]] = VFSFile(o._vfs, f["name"], base64.b64decode(f["data"]), f.get("originalFilePath", ""))
    for child in d.get("children", []):
        load_op(o, child)
    for child in d.get("children", []):
        c = o._children.get(child["name"])
        if c is not None:
            c._inputs = [o._children.get(n) if n else None for n in child.get("inputs", [])]
    return o


def after_load(root, fireCreate=True):
    """What TD does once a component is loaded: synced files are read, loadonstart DATs load,
    extensions initialise (initextonstart), then Execute DATs with ``create`` get onCreate()."""
    from .comps import COMP
    from .dats import DAT, executeDAT
    rt = root._rt
    nodes = list(rt._walk(root))
    for o in nodes:
        if isinstance(o, DAT):
            o._syncFromFile()
            o._onStart()
    for o in nodes:
        if isinstance(o, COMP) and o._valid and o.par.initextonstart.eval() and any(x for x, _, _ in o._extDefinition()):
            o.initializeExtensions()
    if fireCreate:
        for o in nodes:
            if isinstance(o, executeDAT) and o._valid:
                o._fire("create", "onCreate")


def write(path, kind, payload):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"format": FORMAT, "kind": kind, "version": VERSION, "content": payload}, fh, indent=1)


def read(path, kind):
    try:
        with open(path, "r", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise tdError(f"Cannot load {path}: {exc}") from exc
    if data.get("format") != FORMAT or data.get("kind") != kind:
        raise tdError(f"{path} is not a tdfake {kind} file")
    return data["content"]


def load(path):
    """Read a saved file (either kind) for assertions in tests: returns the JSON content."""
    with open(path, "r", encoding="utf-8") as fh:
        return json.load(fh)["content"]
