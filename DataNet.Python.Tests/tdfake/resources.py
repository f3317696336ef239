"""``op.TDResources`` (Global OP Shortcut) with a minimal TDAppLogger.

Source: derivative.ca/UserGuide/Logger and Palette:logger: op.TDResources.TDAppLogger has
Debug/Info/Warning/Error/Critical(msg); default level WARNING; writes to the textport and to
app.preferencesFolder/TDLogs. The fake records every call in ``records`` (level, message) and
prints those at or above the level to the fake textport.
"""
from .comps import COMP

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}


class TDResourcesCOMP(COMP):
    _typeName = "baseCOMP"
    _defaultName = "TDResources"

    @property
    def TDAppLogger(self):
        return self._children["TDAppLogger"]


class TDAppLoggerCOMP(COMP):
    _typeName = "baseCOMP"
    _defaultName = "TDAppLogger"

    def __init__(self, rt, parent, name):
        super().__init__(rt, parent, name)
        self._records = []
        self._level = "WARNING"

    @property
    def records(self):
        """Fake-only: every (level, message) logged."""
        return list(self._records)

    @property
    def lines(self):
        """Fake-only: 'LEVEL message' for every call."""
        return [f"{lvl} {msg}" for lvl, msg in self._records]

    @property
    def Level(self):
        return self._level

    @Level.setter
    def Level(self, value):
        self._level = str(value).upper()

    def _log(self, level, msg):
        self._records.append((level, str(msg)))
        if LEVELS[level] >= LEVELS.get(self._level, 30):
            self._rt.textport.append(f"{level}: {msg}")

    def Debug(self, msg, *args):
        self._log("DEBUG", msg)

    def Info(self, msg, *args):
        self._log("INFO", msg)

    def Warning(self, msg, *args):
        self._log("WARNING", msg)

    def Error(self, msg, *args):
        self._log("ERROR", msg)

    def Critical(self, msg, *args):
        self._log("CRITICAL", msg)


def install(rt, sysComp):
    res = TDResourcesCOMP(rt, sysComp, "TDResources")
    sysComp._children["TDResources"] = res
    res.par.opshortcut = "TDResources"
    logger = TDAppLoggerCOMP(rt, res, "TDAppLogger")
    res._children["TDAppLogger"] = logger
    return res
