"""DataNetExt: the extension of DataNet.tox (a Text DAT named ``DataNetExt`` inside the component).

Wiring (set by build_datanet_tox.py; derivative.ca/UserGuide/Extensions):
  ext0object  = op('./DataNetExt').module.DataNetExt(me)    (constant string)
  ext0promote = On: the Capitalised members below are reachable on the component itself:

    op('DataNet').Connect()                        op('DataNet').Disconnect()
    op('DataNet').Subscribe('project.local.env')         op('DataNet').Unsubscribe('project.local.env')
    op('DataNet').Publish('project.local.cue', {'n': 3})  op('DataNet').LastValue('project.local.env', 'env/t')
    op('DataNet').Status  -> 'Connected'           op('DataNet').Stats -> {'received': 12, ...}

Who calls what (everything on TouchDesigner's main thread; .NET threads never call Python):
  onInitTD()        after the extension is built (component created, dropped in, project opened):
                    subscribes the Channels parameter and connects when Active and Auto Connect;
  onDestroyTD()     before a re-init and when the component is deleted: its client is disposed
                    (socket closed, threads stopped) and its event handlers removed;
  onParValueChange / onParPulse   from the Parameter Execute DAT ``parexec``.

It is the component's **controller**: the one owner of its parameters, Status, errors on the node
and boot-time subscribe/connect. The frame hook (frame_hook.py, an Execute DAT) only drives the
frame and calls the controller interface (lower-case, so TD does not promote it):
  onDataNetBoot()                 the hook's onCreate/onStart (boots once, with onInitTD);
  onDataNetFrame(frame, result)   after the frame's one call into .NET (``dn.Frame``): Status and the
                                  read-only counters from its result, publishing from the Publish
                                  CHOP, the info CHOP, errors on the node;
  onDataNetExit(), onDataNetSave(), onDataNetError(where, exc), dataNetMaxRows().

The real connection lives in the loader Text DAT ``DataNet`` (python/DataNet.py, the ``dn``
facade), keyed by that DAT's path: two DataNet components side by side are two clients.
Nothing of the client or the key is stored in the component (storage and parameter values are
saved in the .toe/.tox); the key is read where Key Source says, at connect time.

Module-level ``embedded_sdk_folder(comp)`` serves the one-file DataNet.tox: it exports the DLLs
embedded in the component's VFS into a versioned per-user cache folder, once, and returns it
(the Sdkfolder parameter's expression).
"""

import hashlib
import inspect
import os
import sys
import traceback

VERSION = '0.1.0'
GUIDE = os.path.join('docs', 'touchdesigner.md')   # in the SDK folder (sdk/DataNet.Sdk.csproj ships docs/)
HELP_TEXT = 'DataNet for TouchDesigner %s (%s): the guide is %s'
SERVERS = {   # Server menu -> (Apiurl, Wsurl); 'custom' leaves the parameters as typed
    'cloud': ('https://api.datanet.art', 'wss://ws.datanet.art'),
    'local': ('http://127.0.0.1:8080', 'ws://127.0.0.1:8080'),
}
RECONNECT_PARS = ('Keysource', 'Apikey', 'Server', 'Apiurl', 'Wsurl', 'Devicename')
DMX_LENGTH = 512
INFO_CHANNELS = ('connected', 'msgs_in_per_s', 'msgs_out_per_s', 'queued', 'dropped', 'reconnects',
                 'latency_ms', 'occupancy')
CALLBACKS = ('onConnect', 'onDisconnect', 'onMessage', 'onError', 'onStatusChange')

CALLBACKS_TEMPLATE = '''"""Callbacks of the DataNet component {path}.

Every callback runs on TouchDesigner's main thread, once per event, inside the component's
per-frame poll. The last argument, info, is a dict: info['ownerComp'] is the component.
Later versions may pass more arguments: keep the *args. An exception here is shown on the
component (red badge) and printed; it never stops the component.
"""


def onConnect(info, *args):
\t# Connected (or reconnected: subscriptions are restored by then).
\treturn


def onDisconnect(reason, info, *args):
\t# reason: plain words, e.g. 'network unreachable', 'disconnected by you'.
\treturn


def onMessage(channel, data, info, *args):
\t# data: the message as Python values (dict, list, number, str) or bytes for binary.
\t# info['from']: sender's device id, info['timestamp']: unix ms.
\treturn


def onError(code, message, info, *args):
\t# code: e.g. 'auth_failed', 'rate_limited'; info['fatal']: True when it will not retry.
\treturn


def onStatusChange(status, prev, info, *args):
\t# status: 'Connected', 'Connecting', 'Reconnecting in 4 s (attempt 3)', 'Error: ...', 'Disconnected'
\treturn
'''


def _adapt(fn, count):
    """Call fn with at most the positional arguments it accepts (callbacks may take fewer)."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return fn
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return fn
    n = len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
    return fn if n >= count else (lambda *a: fn(*a[:n]))


def _build_tuple(text):
    """'2023.11000' -> (2023, 11000); unknown parts are 0."""
    out = []
    for part in str(text).split('.')[:2]:
        out.append(int(part) if part.strip().isdigit() else 0)
    return tuple(out + [0] * (2 - len(out)))


class DataNetExt:
    """The DataNet component's behaviour; see the module docstring."""

    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self._dn = None
        self._handlers = {}          # event -> the exact callable given to dn.On (Off needs the same object)
        self._frames = 0
        self._publish_credit = None  # frames accumulated towards the next rate publish
        self._last_published = None
        self._window = None          # (frame, received, published) at the start of the msgs/s window
        self._rates = (0.0, 0.0)
        self._info = dict.fromkeys(INFO_CHANNELS, 0.0)
        self._info['occupancy'] = -1.0
        self._prev_status = 'Disconnected'
        self._callback_error = None
        self._build_warning = None   # this TD is older than Mintdbuild
        self._shown_errors = None
        self._frame_error = None     # a frame hook callback that failed
        self._destroyed = False
        self._booted = False

    # -- lifecycle ------------------------------------------------------------------------------

    def onInitTD(self):
        try:
            self._boot()
        except Exception as exc:
            self._callback_error = 'DataNet: %s' % exc
            self._show_errors()

    def onDestroyTD(self):
        self._destroyed = True
        dn = self._dn
        if dn is None:
            return
        for event, fn in list(self._handlers.items()):
            dn.Off(event, fn)
        self._handlers.clear()
        if self._being_deleted():
            # Deleted, not re-initialised: forget this loader's subscriptions and handlers too, so
            # a new component at the same path starts clean (the loader keys clients by DAT path).
            dn.Forget()
        else:
            dn.Dispose()

    def _being_deleted(self):
        try:   # OP_Class op(), valid: False once the operator is deleted
            loader = self.ownerComp.op('DataNet')
            return loader is None or not loader.valid or not self.ownerComp.valid
        except Exception:
            return True

    def _loader_dn(self):
        loader = self.ownerComp.op('DataNet')
        if loader is None:
            raise LookupError('the loader DAT "DataNet" is missing inside %s' % self.ownerComp.path)
        self._dn = loader.module.dn
        return self._dn

    def _boot(self):
        dn = self._loader_dn()
        self._hook()
        self._check_build()
        if not dn.Ready:
            return   # Status and the node say why; onDataNetFrame retries (dn.RetryBoot)
        self._booted = True
        for channel in self._channels():
            dn.Subscribe(channel)
        p = self.ownerComp.par
        if p.Active.eval() and p.Autoconnect.eval():
            self._connect()

    def _hook(self):
        dn = self._dn
        for event, fn in (('connect', self._on_connect), ('disconnect', self._on_disconnect),
                          ('error', self._on_error), ('status', self._on_status)):
            if event not in self._handlers:
                self._handlers[event] = fn
                dn.On(event, fn)

    def _check_build(self):
        try:
            import td
            have = (int(td.app.version), int(td.app.build))   # App_Class version, build (strings)
        except Exception:
            return
        need = _build_tuple(self.ownerComp.par.Mintdbuild.eval())
        if have < need:
            # On the node by _show_errors: addWarning is "only valid while the operator is cooking"
            # (docs.derivative.ca/OP_Class), which an extension never is.
            self._build_warning = 'DataNet needs TouchDesigner %d.%d or newer (this is %d.%d)' % (need + have)
            print(self._build_warning)
            self._show_errors()

    # -- controller interface (called by the frame hook; lower-case: not promoted) --------------------

    def onDataNetBoot(self):
        """The frame hook's onCreate/onStart: onInitTD has usually booted already (then nothing to do)."""
        if not self._booted:
            self.onInitTD()

    def onDataNetExit(self):
        self._loader_dn().Dispose()

    def onDataNetSave(self):
        self._loader_dn().CheckSavedKey(saving=True)
        self._show_errors()

    def onDataNetError(self, where, exc):
        self._frame_error = 'DataNet %s: %s: %s' % (where, type(exc).__name__, exc)
        print(self._frame_error)
        self._show_errors()

    def dataNetMaxRows(self):
        return int(self.ownerComp.par.Maxlines.eval())

    # -- promoted API -------------------------------------------------------------------------------

    def Connect(self):
        """Connect now (never blocks). The key comes from Key Source."""
        self._connect()

    def Disconnect(self):
        """Close the connection; subscriptions are kept."""
        self._loader_dn().Disconnect()

    def Publish(self, channel, data):
        """Publish a Python value as JSON (bytes: binary). False only when the offline queue dropped it."""
        return self._loader_dn().Publish(channel, data)

    def Subscribe(self, channel):
        """Subscribe a channel: its messages go to the table, its numbers to the CHOP."""
        self._loader_dn().Subscribe(channel)

    def Unsubscribe(self, channel):
        self._loader_dn().Unsubscribe(channel)

    def LastValue(self, channel, field=None):
        """Latest value of a flattened numeric field ('env/t'; None when there is none yet), or a dict of the
        channel's fields."""
        return self._loader_dn().LastValue(channel, field)

    @property
    def Status(self):
        """'Connected', 'Connecting', 'Reconnecting in 4 s (attempt 3)', 'Error: ...', 'Disconnected'."""
        return self._loader_dn().Status

    @property
    def Stats(self):
        """The client's counters as a dict (zeros before the first connect)."""
        return self._loader_dn().Stats

    @property
    def Info(self):
        """The info CHOP's values: connected, msgs_in_per_s, msgs_out_per_s, queued, dropped,
        reconnects, latency_ms, occupancy (-1: unknown)."""
        return dict(self._info)

    # -- connection -------------------------------------------------------------------------------

    def _channels(self):
        return (self.ownerComp.par.Channels.eval() or '').split()

    def _connect(self):
        dn = self._loader_dn()
        try:
            dn.Connect()   # the loader reads Key Source, the URLs and Devicename from this component
        except Exception as exc:   # no key, SDK missing: on the node and in Status, not a traceback
            self._callback_error = 'DataNet: %s' % str(exc).splitlines()[0]
            self._set('Status', 'Error: ' + str(exc).splitlines()[0])
            self._show_errors()
            return False
        self._callback_error = None
        return True

    def _apply_server(self):
        urls = SERVERS.get(self.ownerComp.par.Server.eval())
        if urls:
            self._set('Apiurl', urls[0])
            self._set('Wsurl', urls[1])

    # -- parameters (from the Parameter Execute DAT) -------------------------------------------------

    def onParValueChange(self, par, prev=None, *args):
        name = par.name
        dn = self._loader_dn()
        if name == 'Active':
            if par.eval():
                self._connect()
            else:
                dn.Disconnect()
        elif name == 'Channels':
            old = set(str(prev or '').split())
            new = self._channels()
            for channel in sorted(old - set(new)):
                dn.Unsubscribe(channel)
            for channel in new:
                if channel not in old:
                    dn.Subscribe(channel)
        elif name in RECONNECT_PARS:
            if name in ('Apikey', 'Keysource'):
                dn.CheckSavedKey()
            if name == 'Server':
                self._apply_server()
            if self.ownerComp.par.Active.eval() and dn.client is not None:
                self._connect()   # new settings: the loader replaces the client, subscriptions carry over
        elif name == 'Sdkfolder' and not dn.Ready:
            try:
                dn.Boot()
                self._boot()
            except Exception:
                pass   # the loader shows what is still missing
        elif name == 'Maxlines':
            self._trim_table()

    def onParPulse(self, par, *args):
        name = par.name
        if name == 'Connect':
            self._connect()
        elif name == 'Disconnect':
            self.Disconnect()
        elif name == 'Reset':
            dn = self._loader_dn()
            dn.Dispose()
            self._callback_error = None
            self._window = None
            if self.ownerComp.par.Active.eval():
                self._connect()
        elif name == 'Clear':
            rows = self.ownerComp.op('rows')
            if rows is not None:
                rows.clear(keepFirstRow=True)
        elif name == 'Publish':
            self._publish_now(force=True)
        elif name == 'Createcallbacks':
            self.CreateCallbacksDAT()
        elif name == 'Help':
            self._help()

    def _trim_table(self):
        rows = self.ownerComp.op('rows')
        if rows is not None:
            self.ownerComp.op('table_sink').module.clamp(rows, int(self.ownerComp.par.Maxlines.eval()))

    def _help(self):
        """The guide from the SDK folder in use (for a one-file DataNet.tox: its cache folder)."""
        p = self.ownerComp.par
        folder = self._loader_dn().SdkFolder
        guide = os.path.join(folder, GUIDE) if folder else None
        found = guide is not None and os.path.isfile(guide)
        where = guide if found else '%s in the DataNet SDK folder (%s)' % (
            GUIDE, 'not in ' + folder if folder else 'DataNet.Td is not loaded yet')
        text = HELP_TEXT % (p.Version.eval(), p.Build.eval(), where)
        try:
            import td
        except ImportError:   # outside TouchDesigner: the text is all there is
            td = None
        if td is not None:
            if found:
                td.ui.viewFile(guide)   # UI_Class viewFile(url_or_path): the default app for .md files
            td.ui.status = text   # UI_Class status: the status bar
        print(text)

    # -- callbacks DAT --------------------------------------------------------------------------------

    def CreateCallbacksDAT(self):
        """Create a commented callbacks DAT next to the component and select it in Callbacks DAT."""
        comp = self.ownerComp
        parent = comp.parent()
        dat = parent.create(globals().get('textDAT') or 'textDAT', comp.name + '_callbacks')   # COMP_Class create
        dat.text = CALLBACKS_TEMPLATE.format(path=comp.path)
        try:
            dat.par.language = 'python'
            dat.nodeX, dat.nodeY = comp.nodeX, comp.nodeY - 150
        except Exception:
            pass
        comp.par.Callbackdat = dat.path
        return dat

    def _callback_dat(self):
        try:
            dat = self.ownerComp.par.Callbackdat.eval()   # Par_Class eval() of a DAT parameter: the DAT
        except Exception:
            return None
        return dat if dat is not None and hasattr(dat, 'module') else None

    def _do_callback(self, name, *args):
        info = args[-1]
        info['ownerComp'] = self.ownerComp
        info['callbackName'] = name
        if self.ownerComp.par.Printcallbacks.eval():
            shown = ', '.join(repr(a) for a in args[:-1])
            print('DataNet %s: %s(%s)' % (self.ownerComp.path, name, shown))
        dat = self._callback_dat()
        if dat is None:
            return
        try:
            fn = getattr(dat.module, name, None)
            if fn is not None:
                _adapt(fn, len(args))(*args)
        except Exception as exc:
            self._callback_error = 'DataNet callback %s in %s raised %s: %s' % (name, dat.path, type(exc).__name__, exc)
            print(self._callback_error + '\n' + traceback.format_exc().rstrip())
            self._show_errors()

    def _on_connect(self, *args):
        self._do_callback('onConnect', {})

    def _on_disconnect(self, reason='', *args):
        self._do_callback('onDisconnect', str(reason), {})

    def _on_error(self, err=None, *args):
        code = getattr(err, 'code', 'error')
        message = getattr(err, 'message', str(err))
        self._do_callback('onError', code, message, {'fatal': bool(getattr(err, 'fatal', False)),
                                                     'channel': getattr(err, 'channel', None)})

    def _on_status(self, status='', *args):
        prev, self._prev_status = self._prev_status, str(status)
        self._do_callback('onStatusChange', str(status), prev, {})

    def _on_message(self, channel, data, from_=None, timestamp=None, *args):
        self._do_callback('onMessage', channel, data, {'from': from_, 'timestamp': timestamp})

    def _sync_message_hook(self, dn):
        """Decode every message for Python only while a callbacks DAT has onMessage (it costs)."""
        dat = self._callback_dat()
        want = False
        if dat is not None:
            try:
                want = callable(getattr(dat.module, 'onMessage', None))
            except Exception:
                want = False
        want = want or bool(self.ownerComp.par.Printcallbacks.eval())
        if want and 'message' not in self._handlers:
            self._handlers['message'] = self._on_message
            dn.On('message', self._on_message)
        elif not want and 'message' in self._handlers:
            dn.Off('message', self._handlers.pop('message'))

    # -- per frame ----------------------------------------------------------------------------------

    def onDataNetFrame(self, frame=None, result=None, *args):
        """After the frame's one call into .NET: everything here reads ``result`` (a FrameResult), not .NET."""
        if self._destroyed:
            return
        dn = self._loader_dn()
        self._frame_error = None
        if not dn.Ready and dn.RetryBoot():
            self._boot()
        self._hook()
        self._frames += 1
        self._sync_message_hook(dn)
        self._sync_values_chop()
        self._update_counters(dn, result)
        if dn.Ready:
            self._publish_tick()
        self._update_info(result)
        self._show_errors()

    def _set(self, name, value):
        """Write a parameter only when it changed (each write is a parameter change event)."""
        p = getattr(self.ownerComp.par, name)
        if p.eval() != value:
            p.val = value

    def _update_counters(self, dn, result):
        self._set('Status', result.status if result is not None else dn.Status)
        self._set('Connected', result is not None and result.state == 'Connected')
        if result is None:
            return
        self._set('Msgsin', result.received)
        self._set('Msgsout', result.published)
        self._set('Queued', result.queued)
        self._set('Dropped', result.dropped)
        self._set('Lasterror', result.last_error)

    def _sync_values_chop(self):
        values = self.ownerComp.op('values')
        p = getattr(values.par, 'Prefix', None) if values is not None else None
        want = bool(self.ownerComp.par.Chopprefix.eval())
        if p is not None and bool(p.eval()) != want:
            p.val = want
            values.cook(force=True)

    def _update_info(self, result):
        info = dict.fromkeys(INFO_CHANNELS, 0.0)
        info['occupancy'] = -1.0
        if result is not None:
            rate = float(self._cook_rate())
            if self._window is None:
                self._window = (self._frames, result.received, result.published)
            start, r0, p0 = self._window
            elapsed = (self._frames - start) / rate
            if elapsed >= 1.0:   # one-second windows, counted in frames
                self._rates = ((result.received - r0) / elapsed, (result.published - p0) / elapsed)
                self._window = (self._frames, result.received, result.published)
            info.update(connected=1.0 if result.state == 'Connected' else 0.0,
                        msgs_in_per_s=self._rates[0], msgs_out_per_s=self._rates[1],
                        queued=float(result.queued), dropped=float(result.dropped),
                        reconnects=float(result.reconnects), latency_ms=float(result.latency_ms),
                        occupancy=float(result.occupancy))
        if info != self._info:
            self._info = info
            chop = self.ownerComp.op('info')
            if chop is not None:
                chop.cook(force=True)   # .NET data is no TD dependency: tell the Script CHOP

    def _cook_rate(self):
        try:
            import td
            return td.project.cookRate or 60.0   # Project_Class cookRate (frames per second)
        except Exception:
            return 60.0

    def _show_errors(self):
        """Errors on the component itself (addScriptError), not only in the textport."""
        status = str(self.ownerComp.par.Status.eval())
        errors = []
        if status.startswith('Error'):
            errors.append('DataNet ' + status)
        if self._callback_error:
            errors.append(self._callback_error)
        if self._build_warning:
            errors.append(self._build_warning)
        if self._dn is not None:
            errors.extend(p if p.startswith('DataNet') else 'DataNet: ' + p for p in self._dn.Problems
                          if not status.endswith(p.splitlines()[0]))
        if self._frame_error:
            errors.append(self._frame_error)
        if errors == self._shown_errors:
            return
        self._shown_errors = errors
        self.ownerComp.clearScriptErrors()   # OP_Class clearScriptErrors/addScriptError: valid outside a cook
        for e in errors:
            self.ownerComp.addScriptError(e)

    # -- publish ---------------------------------------------------------------------------------------

    def _publish_tick(self):
        p = self.ownerComp.par
        if not p.Publishactive.eval():
            self._publish_credit = None
            return
        if p.Publishmode.eval() == 'rate':
            interval = self._cook_rate() / max(float(p.Publishrate.eval()), 1e-6)
            if self._publish_credit is None:
                self._publish_credit = interval   # the first frame publishes
            else:
                self._publish_credit += 1
            if self._publish_credit < interval:
                return
            self._publish_credit -= interval
            self._publish_now(force=True)
        else:
            self._publish_now(force=False)

    def _publish_now(self, force):
        p = self.ownerComp.par
        chops = p.Publishchop.eval()   # Par_Class eval(): an OP parameter matching several operators gives a list
        if not isinstance(chops, (list, tuple)):
            chops = [] if chops is None else [chops]
        channel = str(p.Publishchannel.eval() or '').strip()
        if not chops or not channel:
            return False
        chans = [ch for chop in chops for ch in chop.chans()]   # CHOP_Class chans(); Channel_Class name, vals
        if p.Dmx.eval():
            levels = [float(v) for ch in chans for v in ch.vals][:DMX_LENGTH]
            payload = ('dmx', tuple(levels))
        else:
            data = {}
            for ch in chans:
                vals = [float(v) for v in ch.vals]
                data[ch.name] = vals[0] if len(vals) == 1 else vals
            payload = ('json', data)
        if not force and payload == self._last_published:
            return False
        self._last_published = payload
        dn = self._loader_dn()
        if payload[0] == 'dmx':
            return dn.PublishDmx(channel, payload[1])
        return dn.Publish(channel, payload[1])


# ---------------------------------------------------------------------------------------------------
# One-file DataNet.tox: DLLs embedded in the VFS, exported once per version into a user cache folder.
# ---------------------------------------------------------------------------------------------------

SDK_ID_FILE = 'sdk-id.txt'        # written by the build script: version + sha256 of the embedded files
GUIDE_VFS_NAME = 'docs/touchdesigner.md'   # VFS names may hold folders (VFS_Class export example: 'A/B.tif')
_exported = {}                    # sdk id -> folder, per process


def sdk_cache_root():
    """Per-user cache: DATANET_SDK_CACHE, else %LOCALAPPDATA%/DataNet/sdk, ~/Library/Caches/DataNet/sdk,
    $XDG_CACHE_HOME/datanet/sdk (~/.cache/datanet/sdk)."""
    if os.environ.get('DATANET_SDK_CACHE'):
        return os.environ['DATANET_SDK_CACHE']
    home = os.path.expanduser('~')
    if sys.platform == 'win32':
        return os.path.join(os.environ.get('LOCALAPPDATA') or home, 'DataNet', 'sdk')
    if sys.platform == 'darwin':
        return os.path.join(home, 'Library', 'Caches', 'DataNet', 'sdk')
    return os.path.join(os.environ.get('XDG_CACHE_HOME') or os.path.join(home, '.cache'), 'datanet', 'sdk')


def embedded_sdk_folder(comp):
    """Export the DLLs embedded in comp.vfs to <cache>/<sdk id>/ (once) and return that folder; '' when
    nothing is embedded. A versioned folder, because a loaded DLL is locked on Windows: a newer
    DataNet.tox gets a new folder instead of overwriting a file in use."""
    vfs = comp.vfs
    found = vfs.find(SDK_ID_FILE)   # VFS_Class find(pattern) -> [VFSFile]; 'name in vfs' is not documented
    if not found:
        return ''
    sdk_id = bytes(found[0].byteArray).decode('utf-8').strip()
    folder = _exported.get(sdk_id)
    if folder:
        return folder
    folder = os.path.join(sdk_cache_root(), sdk_id)
    marker = os.path.join(folder, '.complete')
    if not os.path.isfile(marker):
        os.makedirs(folder, exist_ok=True)
        # overwrite: a folder without the marker was left half-written (nothing in it is loaded yet)
        vfs.export(folder, pattern='*.dll', overwrite=True)
        vfs.export(folder, pattern=GUIDE_VFS_NAME, overwrite=True)   # the Help pulse's guide
        with open(marker, 'w', encoding='utf-8') as f:
            f.write(hashlib.sha256(sdk_id.encode('utf-8')).hexdigest() + '\n')
    _exported[sdk_id] = folder
    return folder
