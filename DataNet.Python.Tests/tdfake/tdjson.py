"""TDJSON, minimal: custom parameters as JSON (docs.derivative.ca/TDJSON).

addParametersFromJSONOp(comp, jsonOp, replace=True, setValues=True, destroyOthers=False,
newAtEnd=True, fixParNames=True, setBuiltIns=False) -> (newParNames, newPageNames) and its
siblings take a dict {pageName: {parName: {attrs}}} (as made by opToJSONOp) or a list of par
dicts with a 'page' key. Par attrs: name, label, page, style, size, default, val, expr, enable,
enableExpr, readOnly, help, min, max, normMin, normMax, clampMin, clampMax, menuNames,
menuLabels, startSection, password (fake extension: TDJSON may not carry it; VERIFY).
"""
import json
import re
from collections import OrderedDict

from .errors import tdError

_STYLE_APPEND = {
    "Str": "appendStr", "StrMenu": "appendStrMenu", "Menu": "appendMenu", "Toggle": "appendToggle",
    "Momentary": "appendMomentary", "Pulse": "appendPulse", "Float": "appendFloat", "Int": "appendInt",
    "File": "appendFile", "FileSave": "appendFileSave", "Folder": "appendFolder", "Python": "appendPython",
    "Header": "appendHeader", "OP": "appendOP", "COMP": "appendCOMP", "OBJ": "appendOBJ",
    "PanelCOMP": "appendPanelCOMP", "TOP": "appendTOP", "CHOP": "appendCHOP", "SOP": "appendSOP",
    "MAT": "appendMAT", "DAT": "appendDAT", "XY": "appendXY", "XYZ": "appendXYZ", "UV": "appendUV",
    "UVW": "appendUVW", "WH": "appendWH", "RGB": "appendRGB", "RGBA": "appendRGBA",
}
_SIMPLE = ("label", "help", "readOnly", "enable", "enableExpr", "min", "max", "normMin", "normMax",
           "clampMin", "clampMax", "startSection", "password")


def textToJSON(text, orderedDict=True, showErrors=False):
    try:
        return json.loads(text, object_pairs_hook=OrderedDict if orderedDict else None)
    except ValueError:
        if showErrors:
            raise
        return None


def datToJSON(dat, orderedDict=True, showErrors=False):
    return textToJSON(dat.text, orderedDict, showErrors)


def jsonToText(jsonObject, indent="\t"):
    return json.dumps(jsonObject, indent=indent)


def jsonToDat(jsonObject, dat):
    dat.text = jsonToText(jsonObject)


def _fix(name):
    name = re.sub(r"[^A-Za-z0-9]", "", str(name))
    return name[:1].upper() + name[1:].lower()


def addParameterFromJSONDict(comp, jsonDict, replace=True, setValues=True, ignoreAttrErrors=False,
                             fixParNames=True, setBuiltIns=False):
    """Create one custom parameter (group) from a dict; returns its ParGroup."""
    d = dict(jsonDict)
    name = _fix(d["name"]) if fixParNames else d["name"]
    style = d.get("style", "Str")
    page = comp.appendCustomPage(d.get("page", "Custom"))
    method = getattr(page, _STYLE_APPEND.get(style, "") or "", None)
    if method is None:
        raise tdError(f"TDJSON: unknown style {style!r} for {name}")
    if style in ("Float", "Int"):
        group = method(name, label=d.get("label"), size=int(d.get("size", 1)), replace=replace)
    else:
        group = method(name, label=d.get("label"), replace=replace)
    if "menuNames" in d:
        group[0].menuNames = d["menuNames"]
    if "menuLabels" in d:
        group[0].menuLabels = d["menuLabels"]
    for attr in _SIMPLE:
        if attr in d:
            try:
                for p in group:
                    setattr(p, attr, d[attr])
            except Exception:
                if not ignoreAttrErrors:
                    raise
    if "default" in d:
        defaults = d["default"] if isinstance(d["default"], (list, tuple)) else [d["default"]] * len(group)
        for p, v in zip(group, defaults):
            p.default = v
            p._setConstant(p._default, notify=False)
    if setValues:
        if "val" in d:
            vals = d["val"] if isinstance(d["val"], (list, tuple)) else [d["val"]] * len(group)
            for p, v in zip(group, vals):
                p.val = v
        if "expr" in d and d["expr"]:
            group[0].expr = d["expr"]
    return group


def addParametersFromJSONList(comp, jsonList, replace=True, setValues=True, destroyOthers=False,
                              newAtEnd=True, fixParNames=True, setBuiltIns=False):
    newPars, newPages = [], []
    before = {p.name for p in comp.customPages}
    for d in jsonList:
        group = addParameterFromJSONDict(comp, d, replace, setValues, False, fixParNames, setBuiltIns)
        newPars.extend(p.name for p in group)
        page = group[0].page.name
        if page not in before and page not in newPages:
            newPages.append(page)
    if destroyOthers:
        destroyOtherPagesAndParameters(comp, [d.get("page", "Custom") for d in jsonList], newPars)
    return newPars, newPages


def addParametersFromJSONDict(comp, jsonDict, replace=True, setValues=True, destroyOthers=False,
                              newAtEnd=True, fixParNames=True, setBuiltIns=False):
    """jsonDict: {pageName: {parName: {attrs}}} (the opToJSONOp layout)."""
    items = []
    for pageName, pars in jsonDict.items():
        for parName, attrs in pars.items():
            d = dict(attrs)
            d.setdefault("name", parName)
            d["page"] = pageName
            items.append(d)
    return addParametersFromJSONList(comp, items, replace, setValues, destroyOthers, newAtEnd,
                                     fixParNames, setBuiltIns)


def addParametersFromJSONOp(comp, jsonOp, replace=True, setValues=True, destroyOthers=False,
                            newAtEnd=True, fixParNames=True, setBuiltIns=False):
    """TDJSON addParametersFromJSONOp(comp, jsonOp, ...) -> (newParNames, newPageNames)."""
    data = datToJSON(jsonOp, showErrors=True)
    if isinstance(data, list):
        return addParametersFromJSONList(comp, data, replace, setValues, destroyOthers, newAtEnd,
                                         fixParNames, setBuiltIns)
    return addParametersFromJSONDict(comp, data, replace, setValues, destroyOthers, newAtEnd,
                                     fixParNames, setBuiltIns)


def destroyOtherPagesAndParameters(comp, pageNames, parNames):
    for p in list(comp.customPars):
        if p.name not in parNames:
            p.destroy()
    for page in list(comp.customPages):
        if page.name not in pageNames and not page.pars:
            page.destroy()


def parameterToJSONPar(p, extraAttrs=None, forceAttrLists=False):
    d = OrderedDict(name=p.tupletName, label=p.label, page=p.page.name if p.page else "", style=p.style,
                    size=len(p._group), default=p.default, val=p.val, enable=p.enable,
                    readOnly=p.readOnly, help=p.help, startSection=p.startSection)
    if p.isMenu:
        d["menuNames"], d["menuLabels"] = p.menuNames, p.menuLabels
    if p.isNumber:
        d.update(min=p.min, max=p.max, normMin=p.normMin, normMax=p.normMax,
                 clampMin=p.clampMin, clampMax=p.clampMax)
    if p.enableExpr:
        d["enableExpr"] = p.enableExpr
    return d


def pageToJSONDict(page, extraAttrs=None, forceAttrLists=False):
    return OrderedDict((g[0].tupletName, parameterToJSONPar(g[0], extraAttrs, forceAttrLists)) for g in page.parGroups)


def opToJSONOp(op, extraAttrs=None, forceAttrLists=False, includeCustomPages=True, includeBuiltInPages=False):
    pages = (op.customPages if includeCustomPages else []) + \
        ([p for p in op.pages if not p.isCustom] if includeBuiltInPages else [])
    return OrderedDict((page.name, pageToJSONDict(page, extraAttrs, forceAttrLists)) for page in pages)
