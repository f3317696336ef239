"""TDFunctions, minimal: createProperty for extensions.

Source: TDMCPSkills skills/td-python-extension/SKILL.md (Derivative): TDF.createProperty(self,
'Name', value=..., dependable=True, readOnly=False); docs.derivative.ca/TDFunctions.
A dependable property is backed by a tdu.Dependency (readers in a cook recook on change);
readOnly=True exposes only a getter on the object and a private ``_Name`` holding the
Dependency for the owner to set.
"""
from . import tdu


def createProperty(classInstance, name, value=None, attributeName=None, readOnly=False, dependable=True):
    attributeName = attributeName or "_" + name
    holder = tdu.Dependency(value) if dependable else value
    setattr(classInstance, attributeName, holder)

    def get(self):
        h = getattr(self, attributeName)
        return h.val if isinstance(h, tdu.Dependency) else h

    def set_(self, v):
        h = getattr(self, attributeName)
        if isinstance(h, tdu.Dependency):
            h.val = v
        else:
            setattr(self, attributeName, v)
    # A per-instance subclass keeps the property off other instances of the same class.
    cls = classInstance.__class__
    if cls.__dict__.get("_tdfOwner") is not classInstance:
        cls = type(cls.__name__, (cls,), {"_tdfOwner": classInstance, "_tdfProperties": {}})
        classInstance.__class__ = cls
    setattr(cls, name, property(get, None if readOnly else set_))
    cls._tdfProperties[name] = attributeName
