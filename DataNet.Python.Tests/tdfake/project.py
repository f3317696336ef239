"""project, app and ui globals.

Sources: docs.derivative.ca/Project_Class (folder, name, cookRate, realTime, paths,
save(path, saveExternalToxs=False) -> bool, quit(force=False, crash=False));
docs.derivative.ca/App_Class (version, build, osName, osVersion, preferencesFolder, product,
logExtensionCompiles); docs.derivative.ca/UI_Class (status, clipboard, messageBox(title,
message, buttons=['Ok']) -> int, refresh(), viewFile(url_or_path)). Cross-checked with
immersestudio/td-stubs td.pyi (UI.viewFile(self, url_or_path: str)).
"""
import os
import platform
import tempfile

from .errors import tdError
from .guard import Guarded


class Project(Guarded):
    def __init__(self, rt, folder, name):
        self._rt = rt
        self._folder = os.path.abspath(folder)
        self._name = name
        self._realTime = True
        self._paths = {}
        self._quitRequested = False

    folder = property(lambda self: self._folder)
    # VERIFY in TD whether name carries the .toe extension; the fake keeps what it was given. It follows
    # saves, numbered ones too (Show.7.toe, Show.8.toe): what TD's incremental save does to project.name.
    name = property(lambda self: self._name)
    paths = property(lambda self: self._paths)

    @property
    def cookRate(self):
        return self._rt._cookRate

    @cookRate.setter
    def cookRate(self, value):
        self._rt._cookRate = float(value)

    @property
    def realTime(self):
        return self._realTime

    @realTime.setter
    def realTime(self, value):
        self._realTime = bool(value)

    def _resolve(self, path):
        path = os.fspath(path)
        for prefix, target in self._paths.items():
            if path.startswith(prefix + "://"):
                path = os.path.join(target, path[len(prefix) + 3:])
        return path if os.path.isabs(path) else os.path.join(self._folder, path)

    def save(self, path=None, saveExternalToxs=False):
        """Project_Class save(path=None, saveExternalToxs=False) -> bool. Fires Execute DAT
        onProjectPreSave/onProjectPostSave around the write."""
        from . import serialize
        target = path or self._name
        if not str(target).endswith(".toe"):
            target = str(target) + ".toe"
        target = self._resolve(target)
        rt = self._rt
        rt._fireExecute("projectpresave", "onProjectPreSave")
        project1 = [serialize.dump_op(c) for n, c in rt.root._children.items() if n not in ("sys", "local")]
        self._name = os.path.basename(target)
        serialize.write(target, "toe", {"name": self._name, "children": project1})
        rt._fireExecute("projectpostsave", "onProjectPostSave")
        rt._raisePending()
        return True

    def load(self, path):
        raise tdError("project.load() is not modelled: open a saved .toe with TDFakeProject.open(path)")

    def quit(self, force=False, crash=False):
        self._quitRequested = True

    def __repr__(self):
        return f"type:Project name:{self._name} folder:{self._folder}"


class App(Guarded):
    def __init__(self, rt, version, build, osName):
        self._rt = rt
        self._version = version
        self._build = build
        self._osName = osName or ("macOS" if platform.system() == "Darwin" else "Windows")
        self._prefs = os.path.join(tempfile.gettempdir(), "tdfake-preferences")
        self._logExtensionCompiles = False

    version = property(lambda self: self._version)
    build = property(lambda self: self._build)
    osName = property(lambda self: self._osName)
    osVersion = property(lambda self: platform.release())
    product = property(lambda self: "TouchDesigner")
    architecture = property(lambda self: platform.machine())
    preferencesFolder = property(lambda self: self._prefs)
    installFolder = property(lambda self: "")
    binFolder = property(lambda self: "")
    launchTime = property(lambda self: self._rt._frame / self._rt._cookRate)
    experimental = property(lambda self: False)

    @property
    def logExtensionCompiles(self):
        return self._logExtensionCompiles

    @logExtensionCompiles.setter
    def logExtensionCompiles(self, value):
        self._logExtensionCompiles = bool(value)


class _Undo(Guarded):
    def __init__(self, rt):
        self._rt = rt

    def startBlock(self, name, enable=True):
        pass

    def endBlock(self):
        pass


class UI(Guarded):
    def __init__(self, rt):
        self._rt = rt
        self._status = ""
        self._clipboard = ""
        self._messages = []
        self._viewed = []
        self._answer = 0
        self._undo = _Undo(rt)

    @property
    def status(self):
        return self._status

    @status.setter
    def status(self, value):
        self._status = str(value)

    @property
    def clipboard(self):
        return self._clipboard

    @clipboard.setter
    def clipboard(self, value):
        self._clipboard = str(value)

    undo = property(lambda self: self._undo)

    @property
    def messages(self):
        """Fake-only: (title, message, buttons) of every messageBox shown."""
        return list(self._messages)

    def messageBox(self, title, message, buttons=["Ok"]):
        """UI_Class messageBox(title, message, buttons=['Ok']) -> int (the fake answers 0)."""
        self._messages.append((title, message, list(buttons)))
        return self._answer

    def refresh(self):
        pass

    def viewFile(self, url_or_path):
        """UI_Class viewFile(url_or_path): opens it in the default external application."""
        self._viewed.append(str(url_or_path))

    @property
    def viewed(self):
        """Fake-only: everything viewFile() was given."""
        return list(self._viewed)
