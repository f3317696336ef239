"""DataNet SDK for TouchDesigner: the per-frame hook. Callbacks of an **Execute DAT**.

Use an Execute DAT (not a DAT Execute DAT: that one watches a table and has no frame callback),
with its Frame Start, Create, Start, Exit and Project Pre-Save toggles on (docs.derivative.ca/Execute_DAT):

  onCreate()          boots the loader: fires when the component is created, pasted or loaded
                      from disk into a running project, where onStart never fires;
  onStart()           boots it too (project start);
  onFrameStart(frame) DataNet's poll() within its budget (PollMaxItems / PollMaxTime), then the
                      rows into the table (table_sink.py), then ``cook(force=True)`` on the
                      values Script CHOP when values changed (reading .NET data creates no TD
                      dependency, so the CHOP would never recook by itself), then Status;
  onExit()            disposes this loader's client: socket closed, threads stopped;
  onProjectPreSave()  warns (log and node, never the key) while the component's Apikey parameter
                      holds a key, since the save is about to write it into the .toe.

If the loader DAT is deleted, the next frame disposes its client (nothing else would close it).

While the loader cannot start (say the SDK folder is not found), onFrameStart retries every
RETRY_SECONDS, so fixing the Sdkfolder parameter is enough.

Every callback accepts extra arguments (builds differ in what they pass) and never raises into
TD: errors are shown on this DAT (addScriptError) and printed, rate-limited, by the loader.

The operators are found by name next to this DAT; change the names below to match your network.
Optional custom parameters on the parent component are honoured when present:
  Channels (space-separated channels to subscribe on boot), Autoconnect (toggle: connect on
  boot), Active (toggle: off keeps it from connecting on boot), Maxlines (or Maxrows: table
  length, default 100), Status (read-only string, written when it changes); the loader reads
  Devicename, Apikey, Keysource, Apiurl, Wsurl, Sdkfolder and Profile itself. Extensions of the
  parent with an ``onDataNetFrame(frame, result)`` method are called once per frame after the poll.
"""

import sys
import time

LOADER = 'DataNet'           # the loader Text DAT (python/DataNet.py)
TABLE = 'rows'               # Table DAT (or FIFO DAT) receiving rows; '' for none
TABLE_SINK = 'table_sink'    # Text DAT holding python/table_sink.py
CHOP = 'values'              # Script CHOP whose callbacks are python/chop_values.py; '' for none
MAX_ROWS = 100               # like the FIFO DAT's default Maximum Lines
RETRY_SECONDS = 2.0          # while the loader is not ready (e.g. SDK folder not found yet), retry this often

_last = {}                   # per this DAT: what the CHOP/Status last showed
_printed = {}                # error message -> when it was last printed


def _comp():
    return me.parent()  # noqa: F821  (me, op: TD globals in a DAT, Td_Module; OP_Class parent())


def _cpar(name):
    p = getattr(_comp().par, name, None)   # OP_Class par: a missing custom parameter is no attribute
    return None if p is None else p.eval()   # Par_Class eval(): the value in any parameter mode


def _loader():
    dat = op(LOADER)  # noqa: F821  (Td_Module op(): a sibling of this DAT, or None)
    if dat is None:
        raise LookupError('no loader DAT named %r next to %s' % (LOADER, me.path))  # noqa: F821
    return dat.module   # DAT_Class module: the DAT's text as a module, re-run when the text changes


def _report(where, exc):
    """Show the error on this DAT; print it at most once per 10 s (it may repeat every frame)."""
    msg = 'DataNet %s: %s: %s' % (where, type(exc).__name__, exc)
    try:   # OP_Class clearScriptErrors()/addScriptError(msg): the red badge, outside a cook too
        me.clearScriptErrors()  # noqa: F821
        me.addScriptError(msg)  # noqa: F821
    except Exception:
        pass
    try:
        _loader()._log(msg, 'error', key='frame_hook:' + where)
    except Exception:
        now = time.monotonic()
        if _printed.get(msg, -1e9) < now - 10.0:
            _printed[msg] = now
            print(msg)


def _boot():
    try:
        loader = _loader()
        dn = loader.dn
        if not dn.ready:
            return   # the loader already printed and shows what is missing
        for channel in (_cpar('Channels') or '').split():
            dn.subscribe(channel)
        active = _cpar('Active')
        if _cpar('Autoconnect') and (active is None or active):
            dn.connect()
        me.clearScriptErrors()  # noqa: F821
    except Exception as exc:
        _report('boot', exc)


def onCreate(*args):
    _boot()


def onStart(*args):
    _boot()


def onExit(*args):
    try:
        _loader().dn.dispose()
    except Exception as exc:
        _report('exit', exc)


def onFrameStart(frame=None, *args):
    state = _last.setdefault(me.path, {})  # noqa: F821
    try:
        loader = _loader()
    except Exception as exc:
        _release_lost_loader(state)
        _report('frame', exc)
        return
    state['loader'] = loader
    dn = loader.dn
    if not dn.ready:
        _retry_boot(dn)
        _extension_frame(frame, None)   # lets the component show the setup error on itself
        return
    result = None
    try:
        result = dn.poll()
        if result is None:
            _extension_frame(frame, None)
            return   # no client yet
        if TABLE:
            table = op(TABLE)  # noqa: F821
            if table is not None:
                sink_dat = op(TABLE_SINK)  # noqa: F821
                sink = sink_dat.module.sink if sink_dat is not None else _import_sink()
                max_rows = _cpar('Maxlines')
                if max_rows is None:
                    max_rows = _cpar('Maxrows')
                sink(table, dn, MAX_ROWS if max_rows is None else int(max_rows))
        if CHOP:
            chop = op(CHOP)  # noqa: F821
            if chop is not None:
                lv = dn.client.LastValues
                key = (dn.client_generation, int(lv.Version))
                if state.get('chop') != key:
                    chop.cook(force=True)   # OP_Class cook(force): .NET data is no TD dependency
                    state['chop'] = key
        status = dn.status
        if state.get('status') != status:
            state['status'] = status
            p = getattr(_comp().par, 'Status', None)
            if p is not None:
                p.val = status   # Par_Class val: the constant value; only on change (each write is an event)
    except Exception as exc:
        _report('frame', exc)
    _extension_frame(frame, result)


def _extension_frame(frame, result):
    """Give the parent component's extensions their per-frame turn (DataNet.tox's DataNetExt
    publishes from a CHOP, updates counters and the info CHOP there): ``onDataNetFrame(frame,
    result)`` on every extension that has it, after this frame's poll. Lower-case, so TD does not
    promote it onto the component."""
    try:
        exts = _comp().extensions   # COMP_Class extensions: the extension objects
    except Exception:
        return
    for ext in exts:
        fn = getattr(ext, 'onDataNetFrame', None)
        if fn is None:
            continue
        try:
            fn(frame, result)
        except Exception as exc:
            _report('extension', exc)


def _release_lost_loader(state):
    """The loader DAT is gone: if it was deleted (not renamed), its module, kept from the last frame,
    disposes its client, which nothing would poll again."""
    loader = state.pop('loader', None)
    try:
        if loader is not None:
            loader.release_orphans()
    except Exception as exc:
        _report('release', exc)


def _retry_boot(dn):
    """The loader could not start (its error is on the loader DAT): try again now and then, so that
    fixing the Sdkfolder parameter or DATANET_SDK_DIR works without touching anything else."""
    now = time.monotonic()
    state = _last.setdefault(me.path, {})  # noqa: F821
    if now - state.get('retry', -1e9) < RETRY_SECONDS:
        return
    state['retry'] = now
    try:
        dn.boot()
    except Exception:
        return   # still failing: the loader shows why
    _boot()


def onFrameEnd(*args):
    pass


def onPlayStateChange(*args):
    pass


def onDeviceChange(*args):
    pass


def onProjectPreSave(*args):
    try:
        _loader().dn.check_saved_key(saving=True)
    except Exception as exc:
        _report('save', exc)


def onProjectPostSave(*args):
    pass


def _import_sink():
    mod = sys.modules.get('table_sink')
    if mod is None:
        import table_sink as mod
    return mod.sink
