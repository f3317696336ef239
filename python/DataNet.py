"""DataNet SDK for TouchDesigner: the ``dn`` facade.

Paste this file into a Text DAT named ``DataNet`` (or point the DAT's File parameter at it with
Sync to File on), with ``datanet_runtime.py`` in a Text DAT named ``datanet_runtime`` beside it
(or on ``sys.path``). Operators beside that DAT then use (with DataNet.tox the DAT is inside the
component: ``op('DataNet/DataNet').module.dn``, or the component's promoted methods of the same
names, ``op('DataNet').Subscribe(...)``)::

    dn = op('DataNet').module.dn
    dn.Subscribe('project.local.env', lambda channel, data, from_, timestamp: print(data))
    dn.SubscribeBatch('project.local.imu', lambda channel, messages: print(len(messages)))  # one call per frame
    dn.Connect()                      # key from DATANET_API_KEY or ~/.datanet/credentials
    dn.Publish('project.local.env', {'t': 21.5})

The API, one spelling per name (Capitalised like TouchDesigner's promoted methods and the .NET
client; handlers and events run inside ``Poll``/``Frame`` on the main thread):

  lifecycle   Boot(sdk_folder=None), Connect(api_key=None, api_url=None, ws_url=None, **options),
              Disconnect(), Dispose(), Ready, Error, Runtime, SdkFolder
  receive     Subscribe(channel, handler=None), SubscribeBinary(channel, handler=None, content_type=None),
              SubscribeBatch(channel, handler), Unsubscribe(channel, handler=None), Channels,
              LastValue(channel, field=None)
  send        Publish(channel, data, content_type=None, metadata=None), PublishDmx(channel, levels)
  events      On(event, fn), Off(event, fn=None): connect, disconnect, error, message, status, presence
  per frame   Poll(max_items=None) -> PollResult; Frame(max_rows=-1, values=None) -> FrameResult: the whole
              frame in one call into .NET (poll, newest rows, values into a ValuesBuffer, status, counters)
  state       Status, Stats (dict), HandlerErrors, ClientGeneration, Problems, KeyWarning, CheckSavedKey(saving=False),
              RetryBoot(), ValuesFor(key), ForgetValues(key), Forget()
  .NET        client: the DataNet.Td DataNetClient itself, on purpose (None before the first use)

Projects written against the alpha build guide can keep its module functions: ``connect``,
``disconnect``, ``subscribe``, ``unsubscribe``, ``publish``, ``poll``, ``on``, ``get_value`` and the
``datanet`` alias, at the end of this file. Nothing else is forwarded to .NET.

.NET itself (route, hostfxr, pythonnet, DataNet.Td) is loaded by ``datanet_runtime`` once per
TouchDesigner process; what must outlive a re-execution of this DAT (TouchDesigner re-executes a
DAT's module whenever its text changes) lives in its real module ``sys.modules['datanet_td_runtime']``:
one client per owning operator path. Re-executing disposes the previous client of the same
operator and carries its subscriptions and handlers over to a new one.

.NET threads never call Python. Standard library only (NumPy is used for value buffers when it is
importable). The API key is never printed, logged or stored by this module; see
``docs/touchdesigner.md`` for where it goes.
"""

import configparser
import ctypes
import dataclasses
import importlib.util
import inspect
import json
import os
import re
import sys
import threading
import time
import traceback
import typing
from array import array

def _import_runtime():
    """TD: the Text DAT ``datanet_runtime`` beside this one (MOD_Class: import finds DATs first), else
    ``datanet_runtime.py`` on sys.path, else beside this file when it was loaded from disk."""
    try:
        import datanet_runtime
        return datanet_runtime
    except ImportError:
        path = os.path.join(os.path.dirname(os.path.abspath(globals().get('__file__') or '.')), 'datanet_runtime.py')
        if not os.path.isfile(path):
            raise ImportError('DataNet: datanet_runtime.py was not found. Put it in a Text DAT named '
                              '"datanet_runtime" beside the DataNet DAT (DataNet.tox has one), or on sys.path.')
    spec = importlib.util.spec_from_file_location('datanet_runtime', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return sys.modules.setdefault('datanet_runtime', module)


_runtime = _import_runtime()

DataNetSetupError = _runtime.DataNetSetupError

__all__ = ['dn', 'Client', 'DataNetSetupError', 'ErrorInfo', 'Message', 'FrameResult', 'ValuesBuffer',
           'client_for', 'release_orphans', 'dispose_all']

LOG_REPEAT_SECONDS = 10.0   # the same message is printed at most once per this interval
BOOT_RETRY_SECONDS = 2.0    # RetryBoot: while .NET or the SDK folder is missing, try again this often
PACKAGES_FOLDER = _runtime.PACKAGES_FOLDER


def _state():
    return _runtime.state()


# ---------------------------------------------------------------------------------------------
# TouchDesigner access. In a DAT module TD injects op/me/project/parent as globals; imported
# from disk they come from the td module. Outside TD (tests, plain Python) both may be absent.
# ---------------------------------------------------------------------------------------------

def _td(name):
    value = globals().get(name)
    if value is None:
        td = sys.modules.get('td')
        value = getattr(td, name, None) if td is not None else None
    return value


def _me():
    return _td('me')


def _owner_path():
    """The key of this loader's client: the path of the operator running this module."""
    me = _me()
    path = getattr(me, 'path', None)   # OP_Class path
    return str(path) if path else 'python:' + __name__


def _owner_comp():
    """The component holding the loader DAT (its custom parameters configure the client)."""
    me = _me()
    if me is None:
        return None
    try:
        return me.parent()   # OP_Class parent(): the COMP holding this DAT
    except Exception:
        return None


def _par(comp, name):
    """Evaluated value of a custom parameter, or None when the operator or parameter is absent."""
    if comp is None:
        return None
    try:
        p = getattr(comp.par, name, None)   # OP_Class par (ParCollection): no attribute for a missing name
    except Exception:
        return None
    if p is None:
        return None
    try:
        return p.eval()   # Par_Class eval(): constant, expression or export alike
    except Exception:
        return None


def _project_folder():
    folder = getattr(_td('project'), 'folder', None)   # Project_Class folder: where the .toe is
    return str(folder) if folder else None


def _scrub(text):
    text = str(text)
    for secret in _state().secrets:
        if secret:
            text = text.replace(secret, '***')
    return text


def _log(message, level='info', key=None, every=LOG_REPEAT_SECONDS):
    """Textport + TDAppLogger, at most once per ``every`` seconds per key (0: each time), secrets scrubbed."""
    st = _state()
    message = _scrub(message)
    now = time.monotonic()
    k = key or message
    last = st.log_times.get(k)
    if last is not None and now - last < every:
        return
    st.log_times[k] = now
    print('DataNet: ' + message)
    try:   # Logger COMP of TD 2023+: op.TDResources.TDAppLogger (docs.derivative.ca/Logger)
        logger = _td('op').TDResources.TDAppLogger
        {'error': logger.Error, 'warning': logger.Warning}.get(level, logger.Info)('DataNet: ' + message)
    except Exception:
        pass


def boot(sdk_folder=None):
    """Find the SDK folder (argument, the owning component's Sdkfolder parameter, DATANET_SDK_DIR, beside the
    .toe), load the runtime and DataNet.Td. Idempotent; raises DataNetSetupError with the fix."""
    project = _project_folder()
    runtime, warning = _runtime.boot(sdk_folder, _par(_owner_comp(), 'Sdkfolder'), project,
                                     os.path.join(project, PACKAGES_FOLDER) if project else None)
    if warning:
        _log(warning, 'warning')
    else:
        _log('loaded %s (%s) from %s' % (_runtime.ASSEMBLY, runtime['route'], _state().assembly_folder),
             key='loaded')
    return runtime


# ---------------------------------------------------------------------------------------------
# API key and connection settings. The key is never printed; where it came from may be.
# ---------------------------------------------------------------------------------------------

def credentials_paths(environ=None, platform_name=None):
    """User-level credentials files, first existing one wins. Outside any project: never saved in a .toe.

    Format (INI)::

        [default]
        api_key = ak_...
        # optional, e.g. for a local gateway:
        # api_url = http://127.0.0.1:8080
        # ws_url = ws://127.0.0.1:8080

        [studio]
        api_key = ak_...

    The section is ``DATANET_PROFILE`` (or ``Connect(profile=...)``), else ``default``.
    """
    env = os.environ if environ is None else environ
    plat = platform_name or sys.platform
    home = env.get('HOME') or env.get('USERPROFILE') or os.path.expanduser('~')
    paths = []
    if env.get('DATANET_CREDENTIALS'):
        paths.append(env['DATANET_CREDENTIALS'])
    paths.append(os.path.join(home, '.datanet', 'credentials'))
    if plat == 'win32':
        if env.get('APPDATA'):
            paths.append(os.path.join(env['APPDATA'], 'DataNet', 'credentials'))
    elif plat == 'darwin':
        paths.append(os.path.join(home, 'Library', 'Application Support', 'DataNet', 'credentials'))
    else:
        paths.append(os.path.join(env.get('XDG_CONFIG_HOME') or os.path.join(home, '.config'), 'datanet', 'credentials'))
    return paths


def _credentials_hint():
    """The user-level credentials file to suggest (the default one when DATANET_CREDENTIALS names another)."""
    return credentials_paths()[1 if os.environ.get('DATANET_CREDENTIALS') else 0]


def _saved_key_warning():
    """What is wrong while the owning component's Apikey parameter holds a key, or None. Never the key."""
    comp = _owner_comp()
    if not str(_par(comp, 'Apikey') or '').strip():
        return None
    only = str(_par(comp, 'Keysource') or '').strip().lower()
    unused = (' It is not even used: Key Source is %s.' % only) if only and only != 'parameter' else ''
    return ('the Apikey parameter of %s holds a key, and TouchDesigner saves parameter values inside the '
            '.toe/.tox: the key travels with the file.%s Clear it and use DATANET_API_KEY or %s.'
            % (getattr(comp, 'path', comp), unused, _credentials_hint()))


def _read_credentials(profile):
    for path in credentials_paths():
        if not os.path.isfile(path):
            continue
        parser = configparser.ConfigParser(interpolation=None)   # a '%' in a key is just a character
        try:
            parser.read(path, encoding='utf-8')
            section = dict(parser.items(profile)) if parser.has_section(profile) else {}
        except (configparser.Error, OSError, UnicodeDecodeError) as exc:
            # The message of a parse error can quote the line, which may be the key: say only where.
            _log('credentials file %s could not be read (%s); ignoring it' % (path, type(exc).__name__), 'warning')
            continue
        return path, section
    return None, {}


def _is_loopback(url):
    from urllib.parse import urlparse
    try:
        host = (urlparse(url).hostname or '').lower()
    except ValueError:
        return False
    return host in ('127.0.0.1', 'localhost', '::1')


_OPTION_NAMES = {   # connect(**kwargs) name -> DataNetOptions property (contract section 2)
    'device_id': 'DeviceId', 'device_name': 'DeviceName', 'client_id': 'ClientId',
    'inbox_capacity': 'InboxCapacity', 'outbox_capacity': 'OutboxCapacity',
    'poll_max_items': 'PollMaxItems', 'row_capacity': 'RowCapacity',
}
_TIME_OPTIONS = {   # seconds -> TimeSpan
    'poll_max_time': 'PollMaxTime', 'heartbeat_interval': 'HeartbeatInterval', 'request_timeout': 'RequestTimeout',
}


def _resolve_settings(explicit, remembered):
    """Merge explicit Connect() arguments, remembered ones, component parameters, environment, credentials."""
    comp = _owner_comp()
    merged = dict(remembered)
    merged.update({k: v for k, v in explicit.items() if v is not None})
    profile = merged.get('profile') or _par(comp, 'Profile') or os.environ.get('DATANET_PROFILE') or 'default'
    cred_path, cred = _read_credentials(profile)
    settings = {}
    for name, par, env in (('api_url', 'Apiurl', 'DATANET_API_URL'), ('ws_url', 'Wsurl', 'DATANET_WS_URL')):
        settings[name] = merged.get(name) or _par(comp, par) or os.environ.get(env) or cred.get(name) or None
    # The key's order, documented once (docs/touchdesigner.md, section 3): Connect(api_key=...), the
    # Apikey parameter (typed into this very component: as explicit as an argument, and warned about),
    # DATANET_API_KEY, the credentials file, the local gateway's default key. A Keysource parameter
    # (DataNet.tox's Key Source menu: env, file or parameter) picks exactly one of the three in the middle.
    key, source = merged.get('api_key'), 'argument'
    only = str(_par(comp, 'Keysource') or '').strip().lower() or None
    if not key and only in (None, 'parameter'):
        key, source = _par(comp, 'Apikey'), 'Apikey parameter'
        if key:
            _log('using the key typed into the Apikey parameter: TouchDesigner saves parameter values inside '
                 'the .toe/.tox, so the key travels with the file. Prefer DATANET_API_KEY or %s.'
                 % _credentials_hint(), 'warning', key='apikey-par')
    if not key and only in (None, 'env'):
        key, source = os.environ.get('DATANET_API_KEY'), 'DATANET_API_KEY'
    if not key and only in (None, 'file') and cred.get('api_key'):
        key, source = cred.get('api_key'), 'credentials file %s [%s]' % (cred_path, profile)
    if not key and settings['api_url'] and _is_loopback(settings['api_url']):
        key, source = 'ak_local', 'local gateway default'
    settings['api_key'] = key.strip() if isinstance(key, str) else key
    settings['key_source'] = source if key else None
    for name in list(_OPTION_NAMES) + list(_TIME_OPTIONS):
        if merged.get(name) is not None:
            settings[name] = merged[name]
    if settings.get('device_name') is None:
        # The component's Devicename, else the project name: the frame hook and the extension both
        # connect without arguments, so they resolve the same settings and never replace each other's client.
        name = str(_par(comp, 'Devicename') or '').strip() or project_device_name(getattr(_td('project'), 'name', None))
        if name:
            settings['device_name'] = name
    if settings['api_key']:
        _state().secrets.add(settings['api_key'])
    return settings


def project_device_name(name):
    """The device name a project file gives: 'Show.7.toe' and 'Show.toe' both give 'Show'. Project_Class name
    follows numbered saves (Show.7.toe, Show.8.toe): the name must not drift from save to save, or every save
    would look like another device to the gateway."""
    if not name:
        return None
    return re.sub(r'(\.\d+)?(\.toe)?$', '', str(name), flags=re.IGNORECASE) or str(name)


def _make_options(settings):
    T = _runtime.clr_types()
    opts = T['Options']()
    if settings.get('api_key'):
        opts.ApiKey = settings['api_key']
    if settings.get('api_url'):
        opts.ApiUrl = settings['api_url']
    if settings.get('ws_url'):
        opts.WsUrl = settings['ws_url']
    for name, prop in _OPTION_NAMES.items():
        if settings.get(name) is not None:
            setattr(opts, prop, settings[name])
    for name, prop in _TIME_OPTIONS.items():
        if settings.get(name) is not None:
            setattr(opts, prop, T['System'].TimeSpan.FromSeconds(float(settings[name])))
    return opts




# ---------------------------------------------------------------------------------------------
# Plain data handed to Python code: messages, errors, a frame's result, the values buffer.
# ---------------------------------------------------------------------------------------------

def _adapt(fn, count):
    """Call fn with at most the positional arguments it accepts (extra arguments tolerated)."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return fn
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return fn
    n = len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
    if n >= count:
        return fn
    return lambda *args: fn(*args[:n])


class Message(typing.NamedTuple):
    """One received message, as a batched handler gets it: data as Python values (bytes when binary)."""
    channel: str
    data: typing.Any
    from_: str
    timestamp: int
    content_type: typing.Optional[str] = None


def decode_message(m):
    """(channel, data, from_, timestamp) of a .NET DataNetMessage, data as Python objects (bytes if binary)."""
    if m.IsBinary:
        raw = m.Bytes
        data = bytes(raw) if raw is not None else b''
    else:
        data = json.loads(m.DataJson)
    return m.Channel, data, m.From, m.Timestamp


class ErrorInfo(typing.NamedTuple):
    """A DataNetError as plain Python. str() is 'code: message'."""
    code: str
    message: str
    channel: typing.Optional[str] = None
    fatal: bool = False

    def __str__(self):
        return '%s: %s' % (self.code, self.message)


@dataclasses.dataclass
class FrameResult:
    """What one ``Frame()`` did and saw: the poll, the connection, counters, the rows for the table and whether
    the values changed (the values themselves are in the ValuesBuffer given to Frame)."""
    messages: int = 0
    events: int = 0
    handler_errors: int = 0
    remaining: int = 0
    state: str = 'Disconnected'
    status: str = 'Disconnected'
    received: int = 0
    published: int = 0
    queued: int = 0
    dropped: int = 0
    dropped_rows: int = 0
    reconnects: int = 0
    latency_ms: float = -1.0
    last_error: str = ''
    occupancy: int = -1
    values_version: int = 0
    values_changed: bool = False
    rows: list = dataclasses.field(default_factory=list)   # lists of 5 strings, oldest first
    rows_dropped: int = 0
    batches_dropped: int = 0


INITIAL_VALUES = 256   # doubles; a layout with more grows the buffer (its values then arrive one frame later)


class ValuesBuffer:
    """Where ``Frame()`` writes the latest numeric values (one Script CHOP's worth), without a .NET array
    crossing into Python: .NET copies them straight into this buffer's memory (a NumPy float64 array when NumPy
    is importable, as in every TouchDesigner since 2021, else an ``array('d')``).

    ``channels`` (DataNet channels, empty: all) and ``prefix`` select the values; ``names`` and ``count``
    describe them; ``values`` is the buffer (its first ``count`` items are valid). ``layout`` changes
    whenever the names change."""

    def __init__(self, channels=(), prefix=True):
        self.channels = tuple(channels)
        self.prefix = bool(prefix)
        self.names = []
        self.count = 0
        self.layout = None      # (client generation, channels, prefix, LayoutVersion) of ``names``
        self.version = None     # LastValues.Version of the last write
        self._numpy = _numpy()
        self._allocate(INITIAL_VALUES)

    def _allocate(self, n):
        if self._numpy is not None:
            self.values = self._numpy.zeros(n, dtype=self._numpy.float64)
            self._at = int(self.values.ctypes.data)   # NumPy's .ctypes makes a helper object: once, not per frame
        else:
            self.values = array('d', bytes(8 * n))
            self._at = self.values.buffer_info()[0]

    def _address(self):
        return self._at

    def _ensure(self, n):
        if len(self.values) < n:
            self._allocate(max(n, 2 * len(self.values)))

    def select(self, channels, prefix):
        """Change the selection; the next Frame() sends names again."""
        channels, prefix = tuple(channels), bool(prefix)
        if (channels, prefix) != (self.channels, self.prefix):
            self.channels, self.prefix, self.layout = channels, prefix, None

    def current(self):
        """(names, values) as lists of the first ``count`` items."""
        return list(self.names), [float(v) for v in self.values[:self.count]]


class _Selection:
    """A channel selection as the frame's request block takes it: UTF-8, separated by U+001F, and the address of
    those bytes (kept alive here: .NET reads them during the call)."""

    def __init__(self, channels):
        self.channels = channels
        self.text = _SEP_ITEM.join(channels).encode('utf-8')
        self.address = ctypes.cast(ctypes.c_char_p(self.text), ctypes.c_void_p).value if channels else 0


def _numpy():
    try:
        import numpy
    except ImportError:
        return None
    return numpy


_SEP_FIELD = '\x1e'   # FrameRecord.FieldSeparator
_SEP_ITEM = '\x1f'    # FrameRecord.ItemSeparator
_RECORD_VERSION = '1'
_REQUEST_SLOTS = 10   # FrameRequest.Slots; FrameRequest.Slot order: MaxRows, PrefixWithChannel, ValuesAddress,
                      # ValuesCapacity, KnownLayout, ChannelsAddress, ChannelsLength, RecordAddress, RecordCapacity,
                      # AcceptUnchanged
_FRAME_FUNCTION = ctypes.PYFUNCTYPE(ctypes.c_int64, ctypes.c_int64)   # PYFUNCTYPE: the GIL stays held (handlers run)


def _native_function(address):
    """The C function behind DataNetClient.PollFrameEntryPoint, callable from Python through ctypes."""
    return _FRAME_FUNCTION(address)


class _FrameCall:
    """One client's frame function, its request block and a view of the record buffer .NET fills (remade when
    .NET grows it). A call through ctypes costs about half a call through pythonnet after a frame's sleep."""

    def __init__(self, client):
        try:
            entry = client.PollFrameEntryPoint
        except AttributeError:
            raise DataNetSetupError('DataNet.Td has no PollFrameEntryPoint: the SDK folder is older than this loader. '
                                    'Use the SDK folder of the same release.')
        self.function = _native_function(int(entry))
        self.request = array('q', bytes(8 * _REQUEST_SLOTS))
        self.address = self.request.buffer_info()[0]
        self.view_at = None
        self.view = None

    def __call__(self, max_rows, values, known, accept_unchanged):
        """The record's text; None when .NET answered "unchanged" (only if ``accept_unchanged``): a quiet frame
        whose request and record equal the previous call's."""
        r = self.request
        r[0] = max_rows
        if values is None:
            r[1] = r[2] = r[3] = r[5] = r[6] = 0
        else:
            # Kept on the buffer (which may outlive this loader's code: ValuesFor keeps it across reloads).
            selection = getattr(values, 'frame_selection', None)
            if selection is None or selection.channels != values.channels:
                selection = values.frame_selection = _Selection(values.channels)
            r[1], r[2], r[3] = values.prefix, values._address(), len(values.values)
            r[5], r[6] = selection.address, len(selection.text)
        r[4] = known
        r[9] = accept_unchanged
        n = self.function(self.address)
        if n == 0:
            return None
        at = (r[7], r[8])
        if at != self.view_at:
            self.view = memoryview((ctypes.c_char * at[1]).from_address(at[0])).cast('B')
            self.view_at = at
        if n < 0:
            raise RuntimeError('DataNet.Td: ' + str(self.view[:-n], 'utf-8'))
        return str(self.view[:n], 'utf-8')


def _split_list(encoding, text):
    if encoding == 'j':
        return json.loads(text)
    return text.split(_SEP_ITEM) if text else []


EVENTS = ('connect', 'disconnect', 'error', 'message', 'status', 'presence')


@dataclasses.dataclass
class _Subscription:
    channel: str
    fn: typing.Optional[typing.Callable]
    binary: bool = False
    content_type: typing.Optional[str] = None
    batch: bool = False
    delegate: typing.Any = None   # the .NET Action wrapping fn, while a client exists


@dataclasses.dataclass
class _Entry:
    """What one loader keeps across re-executions of its DAT (in the process-wide state module)."""
    client: typing.Any = None           # the .NET DataNetClient, or None
    settings: typing.Optional[dict] = None   # resolved settings of that client
    remembered: dict = dataclasses.field(default_factory=dict)   # explicit Connect() arguments
    wanted: bool = False                # Connect() was called and not Disconnect(): reconnect after a reload
    subs: list = dataclasses.field(default_factory=list)
    events: dict = dataclasses.field(default_factory=lambda: {e: [] for e in EVENTS})
    message_hooked: bool = False
    client_generation: int = 0          # bumps whenever a new .NET client replaces the previous one
    handler_errors: int = 0
    setup_error: typing.Optional[str] = None
    fatal_error: typing.Optional[str] = None    # the last fatal error of the client (it will not retry)
    boot_retry: typing.Optional[float] = None   # monotonic time of the last RetryBoot attempt
    key_warning: typing.Optional[str] = None
    owner_op: typing.Any = None         # the loader DAT itself: once it is deleted (valid False) the client goes
    generation: int = 0
    bridge: dict = dataclasses.field(default_factory=dict)   # per client: its frame call (_FrameCall), made once
    values_buffers: dict = dataclasses.field(default_factory=dict)   # ValuesFor(key): a Script CHOP's buffer


# ---------------------------------------------------------------------------------------------
# The facade: `dn`.
# ---------------------------------------------------------------------------------------------

class Client:
    """One DataNet connection per owning operator; see the module docstring for the API."""

    def __init__(self, owner, entry):
        self.Owner = owner
        self._entry = entry

    def __repr__(self):
        return '<DataNet client of %s: %s>' % (self.Owner, self.Status)

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def Ready(self):
        """True when the runtime and DataNet.Td are loaded."""
        return _runtime.ready()

    @property
    def Error(self):
        """The setup error message (SDK folder, .NET), or None."""
        return self._entry.setup_error

    def Boot(self, sdk_folder=None):
        """Load .NET and DataNet.Td now (Connect and the rest do it when needed). Returns the runtime dict."""
        try:
            runtime = boot(sdk_folder)
        except DataNetSetupError as exc:
            self._entry.setup_error = str(exc)
            raise
        self._entry.setup_error = None
        return runtime

    def RetryBoot(self, interval=BOOT_RETRY_SECONDS):
        """For a controller, once per frame while not Ready: Boot() again at most every ``interval`` seconds,
        so that fixing the Sdkfolder parameter or DATANET_SDK_DIR is enough. True when it just succeeded."""
        now = time.monotonic()
        if self.Ready or (self._entry.boot_retry is not None and now - self._entry.boot_retry < interval):
            return False
        self._entry.boot_retry = now
        try:
            self.Boot()
        except DataNetSetupError:
            return False   # still failing: Error and Problems say why
        return True

    def _ensure_client(self, explicit=None):
        if not self.Ready:
            self.Boot()
        e = self._entry
        if explicit is None and e.client is not None:
            return e.client   # publish/subscribe: no settings lookup (files, parameters) per call
        if explicit:
            e.remembered.update({k: v for k, v in explicit.items() if v is not None})
        settings = _resolve_settings({}, e.remembered)
        if e.client is not None and settings == e.settings:
            return e.client
        if e.client is not None:
            if e.wanted:
                _log('connection settings changed: reconnecting with a new client (messages it still queued '
                     'are dropped)', key='settings-changed')
            self._dispose_client()
        T = _runtime.clr_types()
        client = T['System'].Activator.CreateInstance(T['ClientType'], _make_options(settings))
        e.client, e.settings, e.message_hooked, e.bridge, e.fatal_error = client, settings, False, {}, None
        e.client_generation += 1
        client.Connected += self._on_connected
        client.Disconnected += self._on_disconnected
        client.StateChanged += self._on_state_changed
        client.Error += self._on_error
        client.PresenceReceived += self._on_presence
        if e.events['message']:
            self._hook_messages()
        for sub in e.subs:
            self._apply_sub(sub)
        return client

    def _dispose_client(self):
        e = self._entry
        client, e.client, e.settings, e.bridge = e.client, None, None, {}
        for sub in e.subs:
            sub.delegate = None
        if client is not None:
            # Off TD's main thread: Dispose stops the connection loop and may wait for it (seconds, on a
            # dead link). Nothing here touches TD, and nothing polls this client any more.
            threading.Thread(target=_dispose_quietly, args=(client,), name='DataNet dispose', daemon=True).start()

    def _adopt_previous(self):
        """Called when this loader (re-)executes: dispose the previous client, carry its setup over."""
        e = self._entry
        had = e.client is not None
        self._dispose_client()
        if had and e.wanted and self.Ready:
            try:
                self._ensure_client()
                e.client.Connect()
            except Exception as exc:
                _log('reconnecting after reload failed: %s' % exc, 'error')

    def Connect(self, api_key=None, api_url=None, ws_url=None, **options):
        """Connect (never blocks; idempotent). Every argument is optional: where the key comes from, and
        in which order, is in docs/touchdesigner.md section 3 (this call's api_key first)."""
        unknown = set(options) - set(_OPTION_NAMES) - set(_TIME_OPTIONS) - {'profile'}
        if unknown:
            raise TypeError('Connect() got unknown options: %s' % ', '.join(sorted(unknown)))
        explicit = dict(options, api_key=api_key, api_url=api_url, ws_url=ws_url)
        client = self._ensure_client(explicit)
        if not self._entry.settings.get('api_key'):
            only = _par(_owner_comp(), 'Keysource')
            raise DataNetSetupError(
                'No DataNet API key%s. Set the DATANET_API_KEY environment variable, or put it in %s as\n'
                '  [default]\n  api_key = ak_...\n(or pass Connect(api_key=...)). Keys typed into a '
                'parameter are saved inside the .toe.'
                % (' (Key Source: %s)' % only if only else '', credentials_paths()[0]))
        self._entry.wanted = True
        self._entry.fatal_error = None
        client.Connect()

    def Disconnect(self):
        """Close the connection, keep subscriptions; Connect() resumes. Never waits for the network."""
        self._entry.wanted = False
        if self._entry.client is not None:
            self._entry.client.Disconnect()

    def Dispose(self):
        """Close and release the .NET client (sockets, threads). Subscriptions are kept for a later Connect()."""
        self._entry.wanted = False
        self._dispose_client()

    def Forget(self):
        """Dispose() and forget everything of this loader (subscriptions, handlers, value buffers): for a
        component that is deleted, so that a new one at the same path starts clean."""
        self.Dispose()
        _state().entries.pop(self.Owner, None)

    def ValuesFor(self, key):
        """The ValuesBuffer kept under ``key`` (a Script CHOP's path): made on first use, kept across
        re-executions of this loader, so the CHOP holds its values while the loader reloads."""
        buffers = self._entry.values_buffers
        buf = buffers.get(key)
        if buf is None:
            buf = buffers[key] = ValuesBuffer()
        return buf

    def ForgetValues(self, key):
        """Drop the ValuesBuffer kept under ``key`` (the CHOP's Clear pulse): its values are shown again from
        the next frame on."""
        self._entry.values_buffers.pop(key, None)

    def CheckSavedKey(self, saving=False):
        """Warn, in the log and in Problems, while the owning component's Apikey parameter holds a
        key: TD saves it in the file. Called at load and before each project save (saving=True warns
        again then). Returns the warning or None; never the key."""
        e = self._entry
        warning = _saved_key_warning()
        if warning and (saving or warning != e.key_warning):
            # Every save writes the key again: warn at every save, not once per 10 s.
            _log(('saving the project: ' if saving else '') + warning, 'warning', key='apikey-saved',
                 every=0 if saving else LOG_REPEAT_SECONDS)
        e.key_warning = warning
        return warning

    @property
    def Problems(self):
        """What stops DataNet now, in plain words, for a controller to show on a node (a list, empty when all
        is well): the setup error, a fatal error, the saved-key warning. Secrets scrubbed."""
        e = self._entry
        found = [e.setup_error, e.fatal_error and 'DataNet: ' + e.fatal_error, e.key_warning]
        return [_scrub(p) for p in found if p]

    @property
    def KeyWarning(self):
        """The saved-key warning of the last CheckSavedKey(), or None."""
        return self._entry.key_warning

    # -- subscriptions ---------------------------------------------------------------------

    def _apply_sub(self, sub):
        client = self._entry.client
        if client is None:
            return
        if sub.batch:
            client.SubscribeBatch(sub.channel)
            return
        if sub.fn is None:
            (client.SubscribeBinary if sub.binary else client.Subscribe)(sub.channel)
            return
        sub.delegate = self._message_delegate(sub.fn)
        if sub.binary:
            if sub.content_type:
                client.SubscribeBinary(sub.channel, sub.delegate, sub.content_type)
            else:
                client.SubscribeBinary(sub.channel, sub.delegate)
        else:
            client.Subscribe(sub.channel, sub.delegate)

    def _message_delegate(self, fn):
        T = _runtime.clr_types()
        call = _adapt(fn, 4)
        entry = self._entry

        def on_message(m):
            try:
                call(*decode_message(m))
            except Exception:
                entry.handler_errors += 1
                _log('handler %s for %s raised:\n%s' % (getattr(fn, '__name__', fn), m.Channel,
                                                        traceback.format_exc().rstrip()), 'error',
                     key='handler:%s:%s' % (id(fn), m.Channel))
                raise   # counted by Poll too (PollResult.HandlerErrors); Poll carries on
        return T['System'].Action[T['MessageType']](on_message)

    def _add_sub(self, sub):
        if not isinstance(sub.channel, str) or not sub.channel:
            raise ValueError('channel must be a non-empty string')
        if sub.fn is not None and not callable(sub.fn):
            raise TypeError('handler must be callable')
        e = self._entry
        for s in e.subs:
            if (s.channel, s.fn, s.binary, s.batch) == (sub.channel, sub.fn, sub.binary, sub.batch) and s.fn is sub.fn:
                return
        e.subs.append(sub)
        self._apply_sub(sub)   # before Connect() there is no client yet: Connect() applies every subscription

    def Subscribe(self, channel, handler=None):
        """Subscribe to JSON messages; handler(channel, data, from_, timestamp) runs once per message inside
        Poll/Frame on the main thread (about 10 us each: above a few hundred messages a second, prefer
        SubscribeBatch). Without a handler the channel still feeds the table rows and the CHOP values."""
        self._add_sub(_Subscription(channel, handler))

    def SubscribeBinary(self, channel, handler=None, content_type=None):
        """Subscribe to binary messages; handler gets data as bytes. content_type: assumed when a message has none."""
        self._add_sub(_Subscription(channel, handler, binary=True, content_type=content_type))

    def SubscribeBatch(self, channel, handler):
        """Subscribe with one call per frame: handler(channel, messages) gets the list of Message tuples
        (channel, data, from_, timestamp, content_type) that arrived since the last Frame(), JSON and binary
        alike, decoded in one go. Delivered by Frame() (the frame hook), not by Poll()."""
        if handler is None:
            raise TypeError('SubscribeBatch needs a handler')
        self._add_sub(_Subscription(channel, handler, batch=True))

    def Unsubscribe(self, channel, handler=None):
        """Remove one handler, or everything on the channel."""
        e = self._entry
        removed = [s for s in e.subs if s.channel == channel and (handler is None or s.fn is handler)]
        e.subs = [s for s in e.subs if s not in removed]
        client = e.client
        if client is None:
            return
        if handler is None:
            client.Unsubscribe(channel)
            return
        for s in removed:
            if s.batch:
                if not any(k.batch and k.channel == channel for k in e.subs):
                    client.UnsubscribeBatch(channel)
            elif s.delegate is not None:
                client.Unsubscribe(channel, s.delegate)

    @property
    def Channels(self):
        """The subscribed channels, sorted."""
        return sorted({s.channel for s in self._entry.subs})

    # -- events ----------------------------------------------------------------------------

    def On(self, event, fn):
        """On('connect'|'disconnect'|'error'|'message'|'status'|'presence', fn): fn runs inside Poll/Frame."""
        if event not in EVENTS:
            raise ValueError('unknown event %r: use one of %s' % (event, ', '.join(EVENTS)))
        if not callable(fn):
            raise TypeError('fn must be callable')
        if fn not in self._entry.events[event]:
            self._entry.events[event].append(fn)
        if event == 'message' and self._entry.client is not None:
            self._hook_messages()
        return fn

    def Off(self, event, fn=None):
        """Remove one handler of the event, or all of them."""
        handlers = self._entry.events.get(event, [])
        handlers[:] = [] if fn is None else [h for h in handlers if h is not fn]

    def _fire(self, event, *args):
        for fn in list(self._entry.events[event]):
            try:
                _adapt(fn, len(args))(*args)
            except Exception:
                self._entry.handler_errors += 1
                _log('%s handler %s raised:\n%s' % (event, getattr(fn, '__name__', fn),
                                                    traceback.format_exc().rstrip()), 'error',
                     key='event:%s:%s' % (event, id(fn)))

    def _hook_messages(self):
        if not self._entry.message_hooked:
            self._entry.client.MessageReceived += self._on_message
            self._entry.message_hooked = True

    def _on_message(self, m):
        if self._entry.events['message']:
            self._fire('message', *decode_message(m))

    def _on_connected(self):
        self._fire('connect')

    def _on_disconnected(self, reason):
        self._fire('disconnect', str(reason))

    def _on_state_changed(self, state, previous):
        self._fire('status', self.Status, str(state), str(previous))

    def _on_error(self, err):
        info = ErrorInfo(str(err.Code), str(err.Message), err.Channel, bool(err.IsFatal))
        _log('%s%s' % ('fatal: ' if info.fatal else '', info), 'error' if info.fatal else 'warning',
             key='error:' + info.code)
        if info.fatal:
            self._entry.fatal_error = str(info)
        self._fire('error', info)

    def _on_presence(self, p):
        self._fire('presence', str(p.Channel), int(p.Occupancy), [str(x) for x in p.Members])

    # -- publish ---------------------------------------------------------------------------

    def Publish(self, channel, data, content_type=None, metadata=None):
        """Publish a Python value as JSON (a str is a JSON string); bytes, bytearray and memoryview publish
        binary. Returns False only when the offline queue dropped it. For JSON text as it is:
        ``dn.client.Publish(channel, text)``."""
        client = self._ensure_client()
        if isinstance(data, (bytes, bytearray, memoryview)):
            raw = bytes(data)
            if content_type or metadata is not None:
                meta = None if metadata is None else (metadata if isinstance(metadata, str) else json.dumps(metadata))
                return bool(client.PublishBinary(channel, raw, content_type or 'application/octet-stream', meta))
            return bool(client.PublishBinary(channel, raw))
        return bool(client.Publish(channel, json.dumps(data, separators=(',', ':'), allow_nan=False)))

    def PublishDmx(self, channel, levels):
        """Publish DMX levels (0..255 each, up to 512) as binary/dmx."""
        client = self._ensure_client()
        T = _runtime.clr_types()
        arr = T['System'].Array[T['System'].Double]([float(v) for v in levels])
        return bool(client.PublishDmx(channel, arr))

    # -- per frame ---------------------------------------------------------------------------

    def Poll(self, max_items=None):
        """Deliver queued messages and events on this thread, within the client's budget
        (PollMaxItems / PollMaxTime). Returns the PollResult, or None before the first connect.
        Also releases the clients of deleted loader DATs (release_orphans). Frame() does this and more."""
        release_orphans()
        client = self._entry.client
        if client is None:
            return None
        return client.Poll() if max_items is None else client.Poll(int(max_items))

    def Frame(self, max_rows=-1, values=None):
        """The frame's work in one call into .NET (DataNetClient.PollFrame, through its C entry point and ctypes:
        PollFrameEntryPoint): poll (handlers and events run),
        the newest ``max_rows`` rows for a table (-1: none), the values selected by the ValuesBuffer
        ``values`` written into it (names only when they changed), the batched messages (their handlers run
        here), status and counters. Returns a FrameResult, or None before the first connect."""
        release_orphans()
        e = self._entry
        if e.client is None:
            return None
        known = -1
        if values is not None and values.layout is not None and values.layout[:3] == (e.client_generation, values.channels, values.prefix):
            known = values.layout[3]
        text = self._call_frame(int(max_rows), values, known)
        if text is None:
            return self._unchanged_frame()
        return self._read_frame(text, values)

    def _call_frame(self, max_rows, values, known):
        """The frame's one call into .NET: the record's text, or None for "unchanged" (see _unchanged_frame)."""
        bridge = self._entry.bridge
        call = bridge.get('frame')
        if call is None:
            call = bridge['frame'] = _FrameCall(self._entry.client)
        return call(max_rows, values, known, 'last' in bridge)

    def _unchanged_frame(self):
        """A quiet frame (no message, event, row, batch or new names) whose record equals the previous one: the
        previous result holds, except that the values did not change since."""
        return dataclasses.replace(self._entry.bridge['last'], values_changed=False, rows=[])

    def _read_frame(self, text, values):
        e = self._entry
        e.bridge.pop('last', None)   # until this record is read, .NET must send the next one in full
        f = text.split(_SEP_FIELD, 27)   # FrameRecord.Field order; the rows are the last field
        if f[0] != _RECORD_VERSION or len(f) != 28:
            raise DataNetSetupError('DataNet.Td answered a frame record this loader cannot read (version %r, %d '
                                    'fields): SDK folder and loader versions differ.' % (f[0], len(f)))
        result = FrameResult(
            messages=int(f[1]), events=int(f[2]), handler_errors=int(f[3]), remaining=int(f[4]), state=f[5],
            status=f[6], received=int(f[7]), published=int(f[8]), queued=int(f[9]), dropped=int(f[10]),
            dropped_rows=int(f[11]), reconnects=int(f[12]), latency_ms=float(f[13]), last_error=f[14],
            occupancy=int(f[15]), values_version=int(f[16]), batches_dropped=int(f[21]), rows_dropped=int(f[25]))
        if e.setup_error:
            result.status = self.Status
        if values is not None:
            result.values_changed = self._take_values(values, int(f[16]), int(f[17]), int(f[18]),
                                                      f[20] if f[19] == '1' else None)
        rows = int(f[24])
        if rows:
            cells = _split_list(f[26], f[27])
            result.rows = [cells[i:i + 5] for i in range(0, rows * 5, 5)]
        if f[23]:
            self._deliver_batches(_split_list(f[22], f[23]))
        if not e.setup_error:   # the status then comes from Python, which .NET cannot compare
            e.bridge['last'] = result
        return result

    def _take_values(self, values, version, layout, count, names):
        """Book-keeping after .NET wrote the values into the buffer; True when they changed. A buffer too small
        for them is grown, and they arrive with the next frame's call (one call per frame, always)."""
        e = self._entry
        if count > len(values.values):
            values._ensure(count)
            values.layout = None   # names and values again next frame, into the larger buffer
            return False
        key = (e.client_generation, values.channels, values.prefix, layout)
        changed = key != values.layout or version != values.version or count != values.count
        if names is not None:
            values.names = names.split(_SEP_ITEM) if names else []
        values.layout, values.version, values.count = key, version, count
        return changed

    def _deliver_batches(self, items):
        """Batched messages: per channel, one handler call with the list of messages (data decoded in one go)."""
        at = 0
        by_channel = {}
        while at < len(items):
            channel, n = items[at], int(items[at + 1])
            at += 2
            chunk = items[at:at + 4 * n]
            at += 4 * n
            froms, stamps, types_, datas = chunk[0::4], chunk[1::4], chunk[2::4], chunk[3::4]
            if any(types_):
                import base64
                decoded = [base64.b64decode(d) if t else json.loads(d) for t, d in zip(types_, datas)]
            else:
                decoded = json.loads('[' + ','.join(datas) + ']')   # one parse for the whole batch
            by_channel[channel] = [Message(channel, d, fr, int(ts), t or None)
                                   for d, fr, ts, t in zip(decoded, froms, stamps, types_)]
        for sub in list(self._entry.subs):
            messages = by_channel.get(sub.channel) if sub.batch else None
            if not messages:
                continue
            try:
                _adapt(sub.fn, 2)(sub.channel, messages)
            except Exception:
                self._entry.handler_errors += 1
                _log('batch handler %s for %s raised:\n%s' % (getattr(sub.fn, '__name__', sub.fn), sub.channel,
                                                               traceback.format_exc().rstrip()), 'error',
                     key='batch:%s:%s' % (id(sub.fn), sub.channel))

    # -- state -------------------------------------------------------------------------------

    def LastValue(self, channel, field=None):
        """Latest value of a flattened numeric field ('env/t'; None when there is none yet), or with no field
        a dict of all of the channel's fields. Reads .NET: for every frame, prefer Frame() with a ValuesBuffer."""
        client = self._entry.client
        if client is None:
            return {} if field is None else None
        lv = client.LastValues
        if field is None:
            return dict(zip([str(n) for n in lv.GetNames(channel)], lv.GetValues(channel)))
        value = float(lv.GetValue(channel, field, float('nan')))
        return None if value != value else value

    @property
    def Status(self):
        """'Connected', 'Connecting', 'Reconnecting in 4 s (attempt 3)', 'Error: ...', 'Disconnected'. Never the key."""
        if self._entry.setup_error:
            return 'Error: ' + self._entry.setup_error.splitlines()[0]
        client = self._entry.client
        return str(client.Status) if client is not None else 'Disconnected'

    @property
    def Stats(self):
        """The client's counters as a dict (zeros before the first connect)."""
        s = self._entry.client.Stats if self._entry.client is not None else None
        out = {n[0].lower() + n[1:]: (int(getattr(s, n)) if s is not None else 0) for n in STATS_COUNTERS}
        out['lastError'] = str(s.LastError or '') if s is not None else ''
        out['latencyMs'] = float(s.LatencyMs) if s is not None else -1.0
        return out

    @property
    def HandlerErrors(self):
        """Python handler exceptions seen by this loader since it was created."""
        return self._entry.handler_errors

    @property
    def ClientGeneration(self):
        """Bumps whenever a new .NET client replaced the previous one (reload, new settings)."""
        return self._entry.client_generation

    @property
    def SdkFolder(self):
        """The SDK folder DataNet.Td was loaded from in this process (None before it is loaded)."""
        return _state().assembly_folder

    @property
    def Runtime(self):
        """How .NET was loaded: {'route': 'zero-pip'|'pythonnet'|'existing', 'detail': ...}, or None."""
        return _state().runtime

    @property
    def client(self):
        """The underlying .NET DataNetClient (None before the first Connect/Subscribe/Publish), for what the
        facade does not offer (GetPresence, TakeRows, Options, ...). Lower-case: it is the object, not a verb."""
        return self._entry.client


STATS_COUNTERS = ('Received', 'Dispatched', 'Published', 'RefusedByGateway', 'Queued', 'InboxBacklog', 'Dropped',
                  'DroppedInboxOverflow', 'DroppedOutboxOverflow', 'DroppedRows', 'Malformed', 'HandlerErrors',
                  'Reconnects')


def _dispose_quietly(client):
    """On a background thread: no TD call here (not even the logger); a failure is logged by the next frame."""
    try:
        client.Dispose()
    except Exception as exc:
        _state().dispose_failures.append('disposing a client failed: %s' % exc)


def client_for(owner):
    """The facade of another loader by its operator path (or None)."""
    entry = _state().entries.get(str(owner))
    return Client(str(owner), entry) if entry is not None else None


def release_orphans():
    """Dispose the clients whose loader DAT was deleted (OP.valid is False, docs.derivative.ca/OP_Class):
    nothing polls them any more, yet their sockets would stay open. Called by every Poll()/Frame() and by the
    frame hook when its loader is gone. A renamed DAT stays valid and keeps its client."""
    st = _state()
    while st.dispose_failures:
        _log(st.dispose_failures.pop(0), 'warning')
    for owner, entry in list(st.entries.items()):
        if getattr(entry.owner_op, 'valid', True) is False:
            st.entries.pop(owner, None)
            Client(owner, entry).Dispose()


def dispose_all():
    """Dispose every DataNet client in this process (TouchDesigner is exiting)."""
    for owner, entry in list(_state().entries.items()):
        Client(owner, entry).Dispose()


def _init_module():
    st = _state()
    with st.lock:
        st.generation += 1
        owner = _owner_path()
        entry = st.entries.get(owner)
        if entry is None or not hasattr(entry, 'bridge'):   # none yet, or one of an older loader version
            entry = st.entries[owner] = _Entry()
        entry.generation = st.generation
        entry.owner_op = _me()
        facade = Client(owner, entry)
        try:
            facade.Boot()
        except DataNetSetupError as exc:
            _log(str(exc), 'error', key='setup')
        facade.CheckSavedKey()
        facade._adopt_previous()
        return facade


dn = _init_module()

# ---------------------------------------------------------------------------------------------
# Compatibility with the alpha build guide (projects written against it keep working). Only these:
#   op('DataNet').module.datanet            the guide's name for dn
#   connect(api_key=None, api_url=None, ws_url=None)   subscribe(channel, callback)   unsubscribe(channel, callback=None)
#   publish(channel, data)   disconnect()   on(event, callback)   poll()   get_value(channel, key=None, default=0.0)
# New code uses dn.Connect, dn.Subscribe, ... (one spelling each).
# ---------------------------------------------------------------------------------------------

datanet = dn
connect = dn.Connect
disconnect = dn.Disconnect
subscribe = dn.Subscribe
unsubscribe = dn.Unsubscribe
publish = dn.Publish
on = dn.On
poll = dn.Poll


def get_value(channel, key=None, default=0.0):
    """The guide's helper: a field's latest value (default when none), or a dict of the channel's fields."""
    value = dn.LastValue(channel, key)
    return default if key is not None and value is None else value
