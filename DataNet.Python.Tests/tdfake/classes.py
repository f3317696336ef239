"""Operator type registry: the names TD exposes as globals (textDAT, baseCOMP, ...) and what
COMP.create() accepts as OPtype (a class or its name: COMP_Class create())."""
from . import chops, comps, dats, ops
from .errors import tdError

_REGISTRY = {}


def register(cls):
    _REGISTRY[cls._typeName] = cls
    return cls


_FAMILY_BASES = {
    "TOP": ops.GenericOP, "SOP": ops.GenericOP, "MAT": ops.GenericOP, "POP": ops.GenericOP,
    "CHOP": chops.GenericCHOP, "COMP": comps.GenericCOMP,
}


def register_generic(typeName, defaultName=None):
    """A minimal node type: named, accepts any parameter (for example builders)."""
    family = next(f for f in ("COMP", "CHOP", "DAT", "TOP", "SOP", "MAT", "POP") if typeName.endswith(f))
    if family == "DAT":
        base = type("GenericDAT", (dats.DAT,), {"_strictPars": False, "_isTable": True})
    else:
        base = _FAMILY_BASES[family]
    stem = typeName[: -len(family)]
    cls = type(typeName, (base,), {
        "_family": family, "_typeName": typeName, "_defaultName": defaultName or stem + "1",
        "__doc__": f"{typeName}: minimal named node (any parameter accepted)."})
    return register(cls)


for _cls in (dats.textDAT, dats.tableDAT, dats.fifoDAT, dats.executeDAT, dats.parameterexecuteDAT,
             dats.datexecuteDAT, dats.scriptDAT, dats.nullDAT, dats.outDAT, dats.jsonDAT,
             chops.scriptCHOP, chops.constantCHOP, chops.lfoCHOP, chops.infoCHOP, chops.nullCHOP,
             chops.outCHOP, chops.selectCHOP, chops.chopexecuteDAT,
             comps.baseCOMP, comps.containerCOMP, comps.geometryCOMP, comps.cameraCOMP,
             comps.lightCOMP, comps.windowCOMP):
    register(_cls)

for _name, _default in (
        ("rectangleTOP", "rect1"), ("textTOP", "text1"), ("nullTOP", "null1"), ("constantTOP", "constant1"),
        ("compositeTOP", "comp1"), ("levelTOP", "level1"), ("renderTOP", "render1"), ("outTOP", "out1"),
        ("noiseTOP", "noise1"), ("circleTOP", "circle1"), ("choptoTOP", "chopto1"), ("moviefileinTOP", "moviefilein1"),
        ("overTOP", "over1"), ("transformTOP", "transform1"), ("hsvadjustTOP", "hsvadjust1"),
        ("boxSOP", "box1"), ("sphereSOP", "sphere1"), ("gridSOP", "grid1"), ("rectangleSOP", "rectangle1"),
        ("phongMAT", "phong1"), ("constantMAT", "constant1"), ("pbrMAT", "pbr1"),
        ("noiseCHOP", "noise1"), ("mathCHOP", "math1"), ("mergeCHOP", "merge1"), ("renameCHOP", "rename1"),
        ("dattoCHOP", "datto1"), ("filterCHOP", "filter1"), ("lagCHOP", "lag1"), ("timerCHOP", "timer1"),
        ("oscinCHOP", "oscin1"), ("patternCHOP", "pattern1"), ("speedCHOP", "speed1"), ("countCHOP", "count1"),
        ("choptoDAT", "chopto1"), ("evaluateDAT", "evaluate1"), ("selectDAT", "select1"), ("infoDAT", "info1"),
        ("mergeDAT", "merge1"), ("websocketDAT", "websocket1"), ("oscinDAT", "oscin1"), ("webclientDAT", "webclient1"),
        ("opfindDAT", "opfind1"), ("textCOMP", "text1"), ("buttonCOMP", "button1"), ("sliderCOMP", "slider1"),
        ("fieldCOMP", "field1"), ("annotateCOMP", "annotate1"), ("animationCOMP", "animation1")):
    register_generic(_name, _default)


def resolve(OPtype):
    if isinstance(OPtype, type) and issubclass(OPtype, ops.OP):
        if OPtype._typeName not in _REGISTRY:
            raise tdError(f"create(): {OPtype.__name__} is not an operator type")
        return OPtype
    if isinstance(OPtype, str) and OPtype in _REGISTRY:
        return _REGISTRY[OPtype]
    raise tdError(f"create(): unknown operator type {OPtype!r} "
                  "(the fake knows: " + ", ".join(sorted(_REGISTRY)) + "; see tdfake.classes.register_generic)")


def td_types():
    """Names TD puts in every namespace: operator types, base classes and helpers."""
    from .pars import Par, ParGroup, Page, ParMode, ParCollection
    from .errors import tdError as _tdError
    names = dict(_REGISTRY)
    names.update({
        "OP": ops.OP, "COMP": comps.COMP, "DAT": dats.DAT, "CHOP": chops.CHOP, "Channel": chops.Channel,
        "Cell": dats.Cell, "Par": Par, "ParGroup": ParGroup, "Page": Page, "ParMode": ParMode,
        "ParCollection": ParCollection, "Connector": ops.Connector, "VFS": comps.VFS,
        "VFSFile": comps.VFSFile, "tdError": _tdError, "CookLevel": chops.CookLevel,
    })
    return names
