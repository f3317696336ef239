"""DATs: text, table, execute, parameter execute, DAT execute, script DAT, FIFO.

Sources (signatures cross-checked with immersestudio/td-stubs _dats.pyi):
- docs.derivative.ca/DAT_Class (edited 4 Apr 2025): text, module, numRows, numCols, row(),
  col(), rows(), cols(), cell(), cells(), findCell(), appendRow(cells, nameOrIndex=None,
  sort=None), appendRows(...), insertRow(...), replaceRow(...), deleteRow(nameOrIndex),
  deleteRows(vals), clear(keepSize=False, keepFirstRow=False, keepFirstCol=False), setSize(),
  [r, c] cells, run(...), save(filepath=None, append=False, createFolders=False), csv (2025).
- docs.derivative.ca/Cell_Class: val, row, col, owner, offset(r, c).
- docs.derivative.ca/Text_DAT: file, syncfile ("changes made to the file will update the DAT,
  and any changes made to the DAT will be written to the file right away. If the file is
  removed, the DAT will retain its current contents"), loadonstart, loadonstartpulse, write,
  writepulse, language. A DAT's module is recompiled whenever its text changes.
- docs.derivative.ca/Execute_DAT: onStart(), onCreate(), onExit(), onFrameStart(frame),
  onFrameEnd(frame), onPlayStateChange(state), onDeviceChange(), onProjectPreSave(),
  onProjectPostSave(), each gated by its toggle (start, create, exit, framestart, ...) and active.
- docs.derivative.ca/Parameter_Execute_DAT: onValueChange(par, prev), onValuesChanged(changes),
  onPulse(par), onExpressionChange/onExportChange/onEnableChange/onModeChange(par, val, prev);
  pars op, pars, custom, builtin, valuechange, valueschanged, onpulse, ...
- docs.derivative.ca/DAT_Execute_DAT + 2025 release notes: onTableChange(dat, prevDAT, info)
  (2023: onTableChange(dat)); onRowChange(dat, rows), onColChange(dat, cols),
  onCellChange(dat, cells, prev), onSizeChange(dat). The fake calls the 2025 forms.
- docs.derivative.ca/FIFO_DAT: maxlines, clamp, firstrow, clear.
"""
import csv
import io
import linecache
import os
import types
from collections import namedtuple

from .errors import tdError
from .ops import OP, CustomParsMixin
from .pars import matches

_FILE_PARS = (
    ("File", "file", "File", ""),
    ("File", "syncfile", "Toggle", False),
    ("File", "loadonstart", "Toggle", False),
    ("File", "loadonstartpulse", "Pulse", False),
    ("File", "write", "Toggle", False),
    ("File", "writepulse", "Pulse", False),
)

TableChangeInfo = namedtuple(
    "TableChangeInfo",
    "rowsChanged rowsAdded rowsRemoved colsChanged colsAdded colsRemoved cellsChanged sizeChanged")


class Cell(OP.__mro__[1]):  # Guarded
    """A table cell, a live reference by position (docs.derivative.ca/Cell_Class)."""

    def __init__(self, dat, row, col):
        self._rt = dat._rt
        self._dat = dat
        self._r = row
        self._c = col

    owner = property(lambda self: self._dat)
    row = property(lambda self: self._r)
    col = property(lambda self: self._c)
    valid = property(lambda self: self._dat._valid and self._r < self._dat._nrows() and self._c < self._dat._ncols())

    @property
    def val(self):
        return self._dat._getCell(self._r, self._c)

    @val.setter
    def val(self, value):
        self._dat._setCell(self._r, self._c, value)

    def offset(self, r, c):
        return self._dat.cell(self._r + r, self._c + c)

    def _v(self):
        self._guard()
        return self._dat._getCell(self._r, self._c)

    def __str__(self):
        return self._v()

    def __int__(self):
        return int(float(self._v()))

    def __float__(self):
        return float(self._v())

    def __eq__(self, other):
        return self._v() == (other._v() if isinstance(other, Cell) else str(other))

    __hash__ = object.__hash__

    def __repr__(self):
        return f"type:Cell cell:({self._r}, {self._c}) val:{self._dat._getCell(self._r, self._c)!r} op:{self._dat._path}"


class DAT(OP):
    """Common DAT behaviour: text or table contents, module, file sync, change events."""

    _family = "DAT"
    _isTable = False

    def __init__(self, rt, parent, name):
        super().__init__(rt, parent, name)
        self._rows = []
        self._textValue = ""
        self._textVersion = 0
        self._module = None
        self._moduleVersion = -1
        self._fileMtime = None
        self._fileLoadedPath = None

    # -- contents -------------------------------------------------------------------------
    def _nrows(self):
        return len(self._tableRows()) if self._isTable else (len(self._textValue.splitlines()) if self._textValue else 0)

    def _ncols(self):
        if self._isTable:
            return max((len(r) for r in self._tableRows()), default=0)
        return 1 if self._textValue else 0

    def _tableRows(self):
        if self._isTable:
            return self._rows
        return [[line] for line in self._textValue.splitlines()]

    def _getCell(self, r, c):
        rows = self._tableRows()
        if r < len(rows) and c < len(rows[r]):
            return rows[r][c]
        return ""

    def _setCell(self, r, c, value):
        self._requireTable()
        self._willChange()
        row = self._rows[r]
        while len(row) <= c:
            row.append("")
        row[c] = _cellText(value)
        self._didChange()

    def _requireTable(self):
        if not self._isTable:
            raise tdError(f"{self._path} is a text DAT: table editing needs a table DAT")

    @property
    def text(self):
        self._syncFromFile()
        if self._isTable:
            rows = self._tableRows()
            n = max((len(r) for r in rows), default=0)
            return "".join("\t".join(list(r) + [""] * (n - len(r))) + "\n" for r in rows)
        return self._textValue

    @text.setter
    def text(self, value):
        value = "" if value is None else str(value)
        self._willChange()
        if self._isTable:
            self._rows = [line.split("\t") for line in value.splitlines()]
        else:
            self._textValue = value
        self._didChange()

    def _padded(self):
        n = self._ncols()
        for r in self._rows:
            if len(r) < n:
                r.extend([""] * (n - len(r)))
        return self._rows

    isTable = property(lambda self: self._isTable)
    isText = property(lambda self: not self._isTable)
    numRows = property(lambda self: self._nrows())
    numCols = property(lambda self: self._ncols())

    @property
    def csv(self):
        """2025: get/set the table as CSV (supports newlines in cells)."""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(self._padded() if self._isTable else self._tableRows())
        return out.getvalue()

    @csv.setter
    def csv(self, value):
        self._requireTable()
        self._willChange()
        self._rows = [list(r) for r in csv.reader(io.StringIO(value))]
        self._didChange()

    # -- change tracking ---------------------------------------------------------------------
    def _snapshot(self):
        snap = tableDAT.__new__(tableDAT) if self._isTable else textDAT.__new__(textDAT)
        OP.__init__(snap, self._rt, None, self._name)
        snap._rows = [list(r) for r in self._rows]
        snap._textValue = self._textValue
        snap._textVersion = 0
        snap._module = None
        snap._moduleVersion = -1
        snap._fileMtime = None
        snap._fileLoadedPath = None
        snap._path = self._path
        snap._parent = None
        return snap

    def _willChange(self):
        rt = self._rt
        if id(self) not in rt._tableEvents and any(isinstance(o, datexecuteDAT) for o in rt._allOps()):
            rt._queueTableChange(self, self._snapshot())

    def _didChange(self, writeFile=True):
        self._textVersion += 1
        sync = self._findPar("syncfile")
        if writeFile and sync is not None and sync.eval() and self._filePath():
            self._writeFile()
        for o in self._rt._allOps():
            if o._valid and hasattr(o, "_datChanged"):
                o._datChanged(self)

    # -- file sync (Text_DAT file / syncfile) ------------------------------------------------
    def _filePath(self):
        par = self._findPar("file")
        f = par.eval() if par is not None else ""
        if not f:
            return None
        return f if os.path.isabs(f) else os.path.join(self._rt.project._folder, f)

    def _readFile(self, force=False):
        path = self._filePath()
        if path is None or not os.path.isfile(path):
            return False   # "If the file is removed, the DAT will retain its current contents."
        mtime = os.stat(path).st_mtime_ns
        if not force and path == self._fileLoadedPath and mtime == self._fileMtime:
            return False
        with open(path, "r", encoding="utf-8", newline="") as fh:
            content = fh.read()
        self._fileMtime, self._fileLoadedPath = mtime, path
        if not self._isTable and self._textValue == content:
            return False
        self._willChange()
        if self._isTable:
            self._rows = [line.split("\t") for line in content.splitlines()]
        else:
            self._textValue = content
        self._didChange(writeFile=False)
        return True

    def _writeFile(self):
        path = self._filePath()
        if path is None:
            return
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        data = self._textValue if not self._isTable else "".join("\t".join(r) + "\n" for r in self._padded())
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
        self._fileMtime, self._fileLoadedPath = os.stat(path).st_mtime_ns, path

    def _syncFromFile(self):
        if self._valid and self._findPar("syncfile") is not None and self._findPar("syncfile").eval():
            self._readFile()

    def _onParChanged(self, par, prev):
        if par._name in ("file", "syncfile") and self.par.syncfile.eval():
            self._readFile(force=True)

    def _onPulse(self, par):
        if par._name == "loadonstartpulse":
            self._readFile(force=True)
        elif par._name == "writepulse":
            self._writeFile()

    def _onStart(self):
        if self._findPar("loadonstart") is not None and self.par.loadonstart.eval():
            self._readFile(force=True)

    def save(self, filepath=None, append=False, createFolders=False):
        """DAT_Class save(filepath=None, append=False, createFolders=False) -> str."""
        path = filepath or (self._name + (".txt" if not self._isTable else ".dat"))
        if not os.path.isabs(path):
            path = os.path.join(self._rt.project._folder, path)
        folder = os.path.dirname(path)
        if not os.path.isdir(folder):
            if not createFolders:
                raise tdError(f"Folder does not exist: {folder}")
            os.makedirs(folder)
        with open(path, "a" if append else "w", encoding="utf-8", newline="") as fh:
            fh.write(self.text)
        return path

    # -- module ------------------------------------------------------------------------------
    @property
    def module(self):
        """DAT_Class module: the DAT's text executed as a module. Re-executed whenever the text
        changed since the last access, so module globals reset (Text_DAT)."""
        self._syncFromFile()
        log = self._rt._moduleAccessLog
        if log is not None:
            log.append((self, self._textVersion))
        if self._module is None or self._moduleVersion != self._textVersion:
            mod = types.ModuleType(self._name)
            mod.__dict__.update(self._rt._namespace(self))
            mod.__file__ = self._filePath() or f"{self._path}"
            self._module, self._moduleVersion = mod, self._textVersion
            text = self.text
            filename = mod.__file__
            # Source for tracebacks, like TD shows the DAT line in the textport.
            linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
            code = compile(text, filename, "exec")
            try:
                with self._rt._asMe(self):
                    exec(code, mod.__dict__)
            except BaseException:
                self._module, self._moduleVersion = None, -1
                raise
        return self._module

    def run(self, *args, endFrame=False, fromOP=None, asParameter=False, group=None,
            delayFrames=0, delayMilliSeconds=0, wallTime=False, delayRef=None):
        """DAT_Class run(*args, endFrame=False, fromOP=None, asParameter=False, group=None,
        delayFrames=0, delayMilliSeconds=0, delayRef=None) -> Run: run the text as a script
        with ``args`` and ``me`` = this DAT."""
        return self._rt._run(self, args, endFrame=endFrame, fromOP=fromOP or self, group=group,
                             delayFrames=delayFrames, delayMilliSeconds=delayMilliSeconds)

    def _callModule(self, callback, *args):
        """Call a function of this DAT's module as a TD callback (errors recorded, not raised)."""
        rt = self._rt
        where = f"{self._path}:{callback}"
        holder = []

        def call():
            fn = getattr(self.module, callback, None)
            if fn is not None:
                holder.append(fn(*args))
        rt._call(where, self, call)
        return holder[0] if holder else None

    # -- table access (DAT_Class) --------------------------------------------------------------
    def _rowIndex(self, nameOrIndex, caseSensitive=True):
        if isinstance(nameOrIndex, Cell):
            return nameOrIndex._r
        rows = self._tableRows()
        if isinstance(nameOrIndex, int) and not isinstance(nameOrIndex, bool):
            return nameOrIndex if 0 <= nameOrIndex < len(rows) else None
        name = str(nameOrIndex)
        for i, r in enumerate(rows):
            first = r[0] if r else ""
            if first == name or (not caseSensitive and first.lower() == name.lower()):
                return i
        return None

    def _colIndex(self, nameOrIndex, caseSensitive=True):
        if isinstance(nameOrIndex, Cell):
            return nameOrIndex._c
        n = self._ncols()
        if isinstance(nameOrIndex, int) and not isinstance(nameOrIndex, bool):
            return nameOrIndex if 0 <= nameOrIndex < n else None
        header = self._tableRows()[0] if self._nrows() else []
        name = str(nameOrIndex)
        for i, v in enumerate(header):
            if v == name or (not caseSensitive and v.lower() == name.lower()):
                return i
        return None

    def __getitem__(self, rowcol):
        self._guard()
        if not isinstance(rowcol, tuple):
            raise TypeError("DAT[row, col]: give a row and a column")
        return self.cell(*rowcol)

    def __setitem__(self, rowcol, value):
        self._guard()
        r, c = rowcol
        ri, ci = self._rowIndex(r), self._colIndex(c)
        if ri is None or ci is None:
            raise IndexError(f"No cell [{r!r}, {c!r}] in {self._path}")
        self._setCell(ri, ci, value)

    def cell(self, rowNameOrIndex, colNameOrIndex, caseSensitive=True, val=False):
        """DAT_Class cell(row, col, caseSensitive=True, val=False) -> Cell or None."""
        r = self._rowIndex(rowNameOrIndex, caseSensitive)
        c = self._colIndex(colNameOrIndex, caseSensitive)
        if r is None or c is None:
            return None
        return self._getCell(r, c) if val else Cell(self, r, c)

    def cells(self, rowNameOrIndex, colNameOrIndex, caseSensitive=True):
        c = self.cell(rowNameOrIndex, colNameOrIndex, caseSensitive)
        return [c] if c is not None else []

    def row(self, *nameOrIndex, caseSensitive=True, val=False):
        """DAT_Class row(*nameOrIndex, caseSensitive=True, val=False) -> list of Cells or None."""
        for key in nameOrIndex:
            r = self._rowIndex(key, caseSensitive)
            if r is not None:
                return [self._getCell(r, c) if val else Cell(self, r, c) for c in range(self._ncols())]
        return None

    def col(self, *nameOrIndex, caseSensitive=True, val=False):
        for key in nameOrIndex:
            c = self._colIndex(key, caseSensitive)
            if c is not None:
                return [self._getCell(r, c) if val else Cell(self, r, c) for r in range(self._nrows())]
        return None

    def rows(self, *nameOrIndex, caseSensitive=True, val=False):
        """DAT_Class rows(*nameOrIndex, ...): all rows when no argument is given."""
        keys = nameOrIndex or range(self._nrows())
        out = []
        for key in keys:
            r = self.row(key, caseSensitive=caseSensitive, val=val)
            if r is not None:
                out.append(r)
        return out

    def cols(self, *nameOrIndex, caseSensitive=True, val=False):
        keys = nameOrIndex or range(self._ncols())
        return [c for c in (self.col(k, caseSensitive=caseSensitive, val=val) for k in keys) if c is not None]

    def findCell(self, pattern, rows=None, cols=None, valuePattern=True, rowPattern=True,
                 colPattern=True, caseSensitive=False):
        found = self.findCells(pattern, rows, cols, valuePattern, rowPattern, colPattern, caseSensitive)
        return found[0] if found else None

    def findCells(self, pattern, rows=None, cols=None, valuePattern=True, rowPattern=True,
                  colPattern=True, caseSensitive=False):
        import fnmatch
        out = []
        rowIdx = range(self._nrows()) if rows is None else [self._rowIndex(r) for r in rows]
        colIdx = range(self._ncols()) if cols is None else [self._colIndex(c) for c in cols]
        for r in rowIdx:
            for c in colIdx:
                if r is None or c is None:
                    continue
                v = self._getCell(r, c)
                a, b = (v, pattern) if caseSensitive else (v.lower(), str(pattern).lower())
                if (fnmatch.fnmatchcase(a, b) if valuePattern else a == b):
                    out.append(Cell(self, r, c))
        return out

    # -- table editing ----------------------------------------------------------------------------
    def appendRow(self, cells, nameOrIndex=None, sort=None):
        """DAT_Class appendRow(cells, nameOrIndex=None, sort=None) -> int: index of the new row.
        With nameOrIndex the row goes after that row. ``sort`` is not modelled."""
        return self._insertRows([cells], after=nameOrIndex)

    def appendRows(self, cells, nameOrIndex=None, sort=None):
        """DAT_Class appendRows(list of rows, nameOrIndex=None, sort=None) -> int: index of the
        first new row. One change event for the whole batch."""
        return self._insertRows(list(cells), after=nameOrIndex)

    def insertRow(self, vals, nameOrIndex=0, sort=None):
        """DAT_Class insertRow(vals, nameOrIndex=0, sort=None) -> int: before that row."""
        self._requireTable()
        i = self._rowIndex(nameOrIndex) if nameOrIndex is not None else 0
        if i is None:
            i = len(self._rows)
        self._willChange()
        self._rows.insert(i, [_cellText(v) for v in _cellsOf(vals)])
        self._didChange()
        return i

    def _insertRows(self, rows, after=None):
        self._requireTable()
        if after is None:
            at = len(self._rows)
        else:
            i = self._rowIndex(after)
            at = len(self._rows) if i is None else i + 1
        self._willChange()
        self._rows[at:at] = [[_cellText(v) for v in _cellsOf(r)] for r in rows]
        self._didChange()
        return at

    def replaceRow(self, nameOrIndex, vals, entireRow=True):
        self._requireTable()
        i = self._rowIndex(nameOrIndex)
        if i is None:
            raise tdError(f"Row {nameOrIndex!r} not found in {self._path}")
        self._willChange()
        new = [_cellText(v) for v in _cellsOf(vals)]
        if entireRow:
            self._rows[i] = new
        else:
            self._rows[i][: len(new)] = new
        self._didChange()
        return i

    def deleteRow(self, nameOrIndex):
        """DAT_Class deleteRow(nameOrIndex) -> int: index of the deleted row."""
        self._requireTable()
        i = self._rowIndex(nameOrIndex)
        if i is None:
            raise tdError(f"Row {nameOrIndex!r} not found in {self._path}")
        self._willChange()
        del self._rows[i]
        self._didChange()
        return i

    def deleteRows(self, vals=None):
        """DAT_Class deleteRows(vals): "If no vals is provided deleteRows does nothing". In which order
        several indices are resolved is undocumented: the fake deletes them one at a time in the order
        given, each resolved against the table as it is then (ascending indices shift under it), so code
        passing here is right either way (delete highest first)."""
        self._requireTable()
        if vals is None:
            return
        if not vals:
            return
        self._willChange()
        for v in vals:
            i = self._rowIndex(v)
            if i is not None:
                del self._rows[i]
        self._didChange()

    def appendCol(self, cells, nameOrIndex=None, sort=None):
        self._requireTable()
        self._willChange()
        n = self._ncols()
        vals = [_cellText(v) for v in _cellsOf(cells)]
        while len(self._rows) < len(vals):
            self._rows.append([""] * n)
        for r, row in enumerate(self._padded()):
            row.append(vals[r] if r < len(vals) else "")
        self._didChange()
        return n

    def deleteCol(self, nameOrIndex):
        self._requireTable()
        c = self._colIndex(nameOrIndex)
        if c is None:
            raise tdError(f"Column {nameOrIndex!r} not found in {self._path}")
        self._willChange()
        for row in self._padded():
            del row[c]
        self._didChange()
        return c

    def clear(self, keepSize=False, keepFirstRow=False, keepFirstCol=False):
        """DAT_Class clear(keepSize=False, keepFirstRow=False, keepFirstCol=False)."""
        self._willChange()
        if not self._isTable:
            self._textValue = ""
        else:
            rows = self._padded()
            ncols = self._ncols()
            new = []
            for r, row in enumerate(rows):
                if keepFirstRow and r == 0:
                    new.append(list(row))
                elif keepSize:
                    new.append([row[0] if keepFirstCol and row else ""] + [""] * (ncols - 1) if ncols else [])
                elif keepFirstCol:
                    new.append([row[0] if row else ""])
            self._rows = new
        self._didChange()

    def setSize(self, numrows, numcols):
        self._requireTable()
        self._willChange()
        self._rows = [(r + [""] * numcols)[:numcols] for r in self._padded()[:numrows]]
        while len(self._rows) < numrows:
            self._rows.append([""] * numcols)
        self._didChange()

    def copy(self, dat):
        """DAT_Class copy(dat): contents of another DAT."""
        self._willChange()
        if self._isTable:
            self._rows = [list(r) for r in dat._tableRows()]
        else:
            self._textValue = dat.text
        self._didChange()

    def write(self, *args, **kwargs):
        """DAT_Class write(*args): append text, like print() without the newline."""
        end = kwargs.get("end", "")
        self._willChange()
        text = " ".join(str(a) for a in args) + end
        if self._isTable:
            self._rows.extend(line.split("\t") for line in text.splitlines())
        else:
            self._textValue += text
        self._didChange()
        return text


def _cellText(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v)


def _cellsOf(vals):
    if isinstance(vals, (str, bytes)):
        return [vals]
    return list(vals)


class textDAT(DAT):
    """Text DAT (docs.derivative.ca/Text_DAT)."""
    _typeName = "textDAT"
    _defaultName = "text1"
    _parSpecs = _FILE_PARS + (
        ("Text", "language", "StrMenu", "text"),
        ("Text", "extension", "StrMenu", "txt"),
        ("Text", "customext", "Str", ""),
        ("Text", "wordwrap", "StrMenu", "inherit"),
    )


class tableDAT(DAT):
    """Table DAT (docs.derivative.ca/Table_DAT). It has no row limit: trim yourself."""
    _typeName = "tableDAT"
    _defaultName = "table1"
    _isTable = True
    _parSpecs = _FILE_PARS + (
        ("Table", "fill", "StrMenu", "fillbyrow"),
    )


class fifoDAT(DAT):
    """FIFO DAT (docs.derivative.ca/FIFO_DAT): "When its capacity is reached, the first row is
    removed"; clamp (default on, maxlines 100), firstrow keeps the first row, clear pulse."""
    _typeName = "fifoDAT"
    _defaultName = "fifo1"
    _isTable = True
    _parSpecs = (
        ("FIFO", "callbacks", "DAT", ""),
        ("FIFO", "maxlines", "Int", 100),
        ("FIFO", "clamp", "Toggle", True),
        ("FIFO", "firstrow", "Toggle", False),
        ("FIFO", "clear", "Pulse", False),
        ("File", "file", "File", ""),
        ("File", "syncfile", "Toggle", False),
    )

    def _insertRows(self, rows, after=None):
        at = super()._insertRows(rows, after)
        if self.par.clamp.eval():
            keep = 1 if self.par.firstrow.eval() else 0
            excess = len(self._rows) - int(self.par.maxlines.eval()) - keep
            if excess > 0:
                self._willChange()
                del self._rows[keep: keep + excess]
                self._didChange()
        return at

    def _onPulse(self, par):
        if par._name == "clear":
            self.clear(keepFirstRow=bool(self.par.firstrow.eval()))


class _CallbackDAT(DAT):
    """A DAT whose text is a callbacks module called by TD, gated by toggles. Like text DATs they
    get the File page (file, syncfile, ...) so callbacks can live in .py files in git
    (VERIFY on a real TD build that Execute-type DATs expose file/syncfile)."""
    _parSpecs = _FILE_PARS

    def _fire(self, toggle, callback, *args):
        if not self._valid or not self.par.active.eval():
            return None
        if toggle is not None and not self.par[toggle].eval():
            return None
        return self._callModule(callback, *args)



class executeDAT(_CallbackDAT):
    """Execute DAT: the frame hook (docs.derivative.ca/Execute_DAT). Toggles are off by default."""
    _typeName = "executeDAT"
    _defaultName = "execute1"
    _parSpecs = (
        ("Execute", "active", "Toggle", True),
        ("Execute", "executeloc", "StrMenu", "current"),
        ("Execute", "fromop", "OP", ""),
        ("Execute", "start", "Toggle", False),
        ("Execute", "create", "Toggle", False),
        ("Execute", "exit", "Toggle", False),
        ("Execute", "framestart", "Toggle", False),
        ("Execute", "frameend", "Toggle", False),
        ("Execute", "playstatechange", "Toggle", False),
        ("Execute", "devicechange", "Toggle", False),
        ("Execute", "projectpresave", "Toggle", False),
        ("Execute", "projectpostsave", "Toggle", False),
    )


class parameterexecuteDAT(_CallbackDAT):
    """Parameter Execute DAT (docs.derivative.ca/Parameter_Execute_DAT). Changes are delivered
    during the next simulated frame ("called once each frame"), coalesced per parameter."""
    _typeName = "parameterexecuteDAT"
    _defaultName = "parexec1"
    _parSpecs = (
        ("Parameter Execute", "active", "Toggle", True),
        ("Parameter Execute", "op", "OP", ""),
        ("Parameter Execute", "pars", "Str", "*"),
        ("Parameter Execute", "custom", "Toggle", True),
        ("Parameter Execute", "builtin", "Toggle", True),
        ("Parameter Execute", "valuechange", "Toggle", True),
        ("Parameter Execute", "valueschanged", "Toggle", False),
        ("Parameter Execute", "onpulse", "Toggle", True),
        ("Parameter Execute", "expressionchange", "Toggle", False),
        ("Parameter Execute", "exportchange", "Toggle", False),
        ("Parameter Execute", "enablechange", "Toggle", False),
        ("Parameter Execute", "modechange", "Toggle", False),
    )

    def _watches(self, par):
        if not self._valid or not self.par.active.eval():
            return False
        if par._owner not in self.par.op.evalOPs():
            return False
        if par._custom and not self.par.custom.eval():
            return False
        if not par._custom and not self.par.builtin.eval():
            return False
        return matches(par._name, self.par.pars.eval() or "*")


class datexecuteDAT(_CallbackDAT):
    """DAT Execute DAT (docs.derivative.ca/DAT_Execute_DAT): watches the DAT(s) in ``dat``;
    inert when empty. Calls the 2025 form onTableChange(dat, prevDAT, info): write callbacks
    that tolerate extra arguments (``def onTableChange(dat, *args)``)."""
    _typeName = "datexecuteDAT"
    _defaultName = "datexec1"
    _parSpecs = (
        ("DAT Execute", "active", "Toggle", True),
        ("DAT Execute", "dat", "DAT", ""),
        ("DAT Execute", "tablechange", "Toggle", False),
        ("DAT Execute", "rowchange", "Toggle", False),
        ("DAT Execute", "colchange", "Toggle", False),
        ("DAT Execute", "cellchange", "Toggle", False),
        ("DAT Execute", "sizechange", "Toggle", False),
    )

    def _watches(self, dat):
        return self._valid and self.par.active.eval() and dat in self.par.dat.evalOPs()

    def _fireTable(self, dat, prev):
        info = _diff(prev, dat)
        self._fire("tablechange", "onTableChange", dat, prev, info)
        if info.rowsChanged or info.rowsAdded or info.rowsRemoved:
            self._fire("rowchange", "onRowChange", dat, sorted(set(info.rowsChanged) | set(info.rowsAdded)))
        if info.colsChanged or info.colsAdded or info.colsRemoved:
            self._fire("colchange", "onColChange", dat, sorted(set(info.colsChanged) | set(info.colsAdded)))
        if info.cellsChanged:
            self._fire("cellchange", "onCellChange", dat, info.cellsChanged, None)
        if info.sizeChanged:
            self._fire("sizechange", "onSizeChange", dat)


def _diff(prev, cur):
    a, b = prev._tableRows(), cur._tableRows()
    na, nb = len(a), len(b)
    ca, cb = prev._ncols(), cur._ncols()
    cells, rows, cols = [], set(), set()
    for r in range(min(na, nb)):
        for c in range(min(ca, cb)):
            va = a[r][c] if c < len(a[r]) else ""
            vb = b[r][c] if c < len(b[r]) else ""
            if va != vb:
                cells.append(Cell(cur, r, c))
                rows.add(r)
                cols.add(c)
    return TableChangeInfo(
        rowsChanged=sorted(rows), rowsAdded=list(range(na, nb)), rowsRemoved=list(range(nb, na)),
        colsChanged=sorted(cols), colsAdded=list(range(ca, cb)), colsRemoved=list(range(cb, ca)),
        cellsChanged=cells, sizeChanged=(na, ca) != (nb, cb))


class scriptDAT(CustomParsMixin, DAT):
    """Script DAT (docs.derivative.ca/ScriptDAT_Class): onSetupParameters(scriptOp),
    onPulse(par), onCook(scriptOp); cooks when forced, when its data is read while dirty, and in
    the frame loop when dirty (like the Script CHOP)."""
    _typeName = "scriptDAT"
    _defaultName = "script1"
    _isTable = True
    _parSpecs = (("Script", "callbacks", "DAT", ""), ("Script", "setuppars", "Pulse", False))

    def __init__(self, rt, parent, name):
        super().__init__(rt, parent, name)
        self._dirty = True

    def _callbacksDAT(self):
        dat = self.par.callbacks.eval()
        return dat if isinstance(dat, DAT) else None

    def _markDirty(self):
        self._dirty = True

    def _onParChanged(self, par, prev):
        self._dirty = True

    def _datChanged(self, dat):
        if dat is not self and dat is self._callbacksDAT():
            self._dirty = True

    def _frameCook(self):
        if self._dirty:
            self._cook(force=False)

    def _onPulse(self, par):
        # Script_DAT: "The setupParameters method is run whenever the Setup Parameter button on the
        # Script page is pressed" (and only then).
        if par._name == "setuppars":
            dat = self._callbacksDAT()
            if dat is not None:
                dat._callModule("onSetupParameters", self)
        else:
            super()._onPulse(par)

    def _tableRows(self):
        if self._dirty and self not in self._rt._cookStack:
            self._cook(force=False)
        return self._rows

    def _cook(self, force):
        if not (force or self._dirty):
            return
        dat = self._callbacksDAT()
        self._rt._cookStack.append(self)
        try:
            self._cookErrors = []
            self._warnings = []
            if dat is not None:
                dat._callModule("onCook", self)
        finally:
            self._rt._cookStack.pop()
            self._dirty = False
            self._countCook()


class nullDAT(DAT):
    _typeName = "nullDAT"
    _defaultName = "null1"
    _isTable = True

    def _tableRows(self):
        src = self.inputs[0] if self.inputs else None
        return src._tableRows() if src is not None else []


class outDAT(nullDAT):
    """Out DAT (docs.derivative.ca/Out_DAT): passes its input out of the parent COMP's output
    connector; here, like the Null DAT, its content is its first input's."""
    _typeName = "outDAT"
    _defaultName = "out1"


class jsonDAT(textDAT):
    """JSON DAT used as a text holder for TDJSON (docs.derivative.ca/JSON_DAT, minimal)."""
    _typeName = "jsonDAT"
    _defaultName = "json1"
