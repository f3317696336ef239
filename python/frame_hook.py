"""DataNet SDK for TouchDesigner: the per-frame hook. Callbacks of an **Execute DAT**.

Use an Execute DAT (not a DAT Execute DAT: that one watches a table and has no frame callback),
with its Frame Start, Create, Start, Exit and Project Pre-Save toggles on (docs.derivative.ca/Execute_DAT).
This DAT only drives the frame; everything a user configures belongs to the **controller**:

  * DataNet.tox: the component's extension (DataNetExt), found as the parent's extension that has
    ``onDataNetFrame``;
  * a hand-pasted network: the default controller, ``datanet_controller.py`` in a Text DAT named
    ``datanet_controller`` beside this one (or on sys.path).

The controller owns the parameters, Status, errors on the node and boot-time subscribe/connect.

  onCreate() / onStart()  controller.onDataNetBoot(): onCreate fires when the component is created,
                          pasted or loaded from disk into a running project, where onStart never fires;
  onFrameStart(frame)     ``dn.Frame()``: ONE call into .NET that polls (handlers and events run), takes
                          the newest rows for the table and writes the values into the Script CHOP's
                          buffer; then the rows into the table (table_sink.py), ``cook(force=True)`` on the
                          values CHOP when its values changed (reading .NET data creates no TD dependency,
                          so the CHOP would never recook by itself), then controller.onDataNetFrame;
  onExit()                controller.onDataNetExit(): the client is disposed, socket closed, threads stopped;
  onProjectPreSave()      controller.onDataNetSave(): warns while Apikey holds a key the save writes.

If the loader DAT is deleted, the next frame disposes its client (nothing else would close it).
Every callback accepts extra arguments (builds differ in what they pass) and never raises into TD.
The operators are found by name next to this DAT; change the names below to match your network.
"""

import sys

LOADER = 'DataNet'                 # the loader Text DAT (python/DataNet.py)
TABLE = 'rows'                     # Table DAT (or FIFO DAT) receiving rows; '' for none
TABLE_SINK = 'table_sink'          # Text DAT holding python/table_sink.py
CHOP = 'values'                    # Script CHOP whose callbacks are python/chop_values.py; '' for none
CONTROLLER = 'datanet_controller'  # Text DAT holding python/datanet_controller.py (hand-pasted networks)

_lost = {}                         # this DAT's path -> the loader module of the last frame


def _module(name):
    """A sibling Text DAT's module (DAT_Class module), else the file of that name on sys.path."""
    dat = op(name)  # Td_Module op(): a sibling of this DAT, or None
    if dat is not None:
        return dat.module
    mod = sys.modules.get(name)
    return mod if mod is not None else __import__(name)


def _controller():
    try:   # COMP_Class extensions: DataNet.tox's DataNetExt has onDataNetFrame (lower-case: not promoted)
        for ext in me.parent().extensions:
            if hasattr(ext, 'onDataNetFrame'):
                return ext
    except Exception:
        pass
    return _module(CONTROLLER).controller_for(me)


def _report(where, exc):
    try:
        _controller().onDataNetError(where, exc)
    except Exception:   # no controller at all: on this DAT, which is all there is
        try:
            me.clearScriptErrors()
            me.addScriptError('DataNet %s: %s: %s' % (where, type(exc).__name__, exc))
        except Exception:
            pass


def onCreate(*args):
    try:
        _controller().onDataNetBoot()
    except Exception as exc:
        _report('boot', exc)


def onStart(*args):
    onCreate()


def onExit(*args):
    try:
        _controller().onDataNetExit()
    except Exception as exc:
        _report('exit', exc)


def onProjectPreSave(*args):
    try:
        _controller().onDataNetSave()
    except Exception as exc:
        _report('save', exc)


def onFrameStart(frame=None, *args):
    try:
        controller = _controller()
        loader = op(LOADER)
        if loader is None:
            _release_lost_loader()
            raise LookupError('no loader DAT named %r next to %s' % (LOADER, me.path))
        module = loader.module   # DAT_Class module: the DAT's text as a module, re-run when the text changes
        _lost[me.path] = module
        dn = module.dn
        result = None
        if dn.Ready:
            table = op(TABLE) if TABLE else None
            chop = op(CHOP) if CHOP else None
            values = chop.par.callbacks.eval().module.values_for(chop) if chop is not None else None   # its ValuesBuffer
            max_rows = controller.dataNetMaxRows() if table is not None else -1
            result = dn.Frame(max_rows, values)   # the one call into .NET this frame
            if result is not None:
                if table is not None:
                    _module(TABLE_SINK).sink(table, result.rows, max_rows)
                if chop is not None and result.values_changed:
                    chop.cook(force=True)   # OP_Class cook(force): .NET data is no TD dependency
        controller.onDataNetFrame(frame, result)
    except Exception as exc:
        _report('frame', exc)


def _release_lost_loader():
    """The loader DAT is gone: if it was deleted (not renamed), its module, kept from the last frame,
    disposes its client, which nothing would poll again."""
    module = _lost.pop(me.path, None)
    if module is not None:
        module.release_orphans()


def onFrameEnd(*args):
    pass


def onPlayStateChange(*args):
    pass


def onDeviceChange(*args):
    pass


def onProjectPostSave(*args):
    pass
