"""DataNet SDK for TouchDesigner: the loader.

Paste this file into a Text DAT named ``DataNet`` (or point the DAT's File
parameter at it with Sync to File on). Operators beside that DAT then use (with
DataNet.tox the DAT is inside the component: ``op('DataNet/DataNet').module.dn``)::

    dn = op('DataNet').module.dn
    dn.subscribe('sensors/env', lambda channel, data, from_, timestamp: print(data))
    dn.connect()                      # key from DATANET_API_KEY or ~/.datanet/credentials
    dn.publish('sensors/env', {'t': 21.5})

It loads the .NET assembly ``DataNet.Td`` (the realtime client: socket, retry,
queues) into TouchDesigner's Python through pythonnet, once per TouchDesigner
process, by the first route that works:

1. ``clr`` is already loaded (another component loaded pythonnet): reuse it;
2. the ``pythonnet`` package is installed (``setup_packages.py``): load it with
   an explicit runtime (CoreCLR on macOS, where pythonnet defaults to Mono;
   .NET Framework on Windows, pythonnet's default), ``DATANET_RUNTIME`` overrides;
3. zero-pip (recommended): start CoreCLR with ctypes through ``hostfxr`` and
   initialise the ``Python.Runtime.dll`` shipped in the SDK folder. Needs only a
   .NET 8 or newer runtime of TouchDesigner's architecture. Nothing to pip-install.

Everything that must outlive a re-execution of this DAT (TouchDesigner
re-executes a DAT's module whenever its text changes) lives in the real module
``sys.modules['datanet_td_runtime']``: the runtime, the loaded assembly and one
client per owning operator path. Re-executing disposes the previous client of
the same operator and carries its subscriptions and handlers over to a new one.

Nothing here ever runs on a thread other than the one that calls it: .NET
threads never call Python. Messages, handlers and events are delivered inside
``poll()``, which the frame hook (``frame_hook.py``) calls once per frame on
TouchDesigner's main thread.

Standard library only. The API key is never printed, logged or stored by this
module; see ``docs/touchdesigner.md`` for where it goes.
"""

import configparser
import ctypes
import inspect
import json
import os
import platform
import sys
import sysconfig
import tempfile
import threading
import time
import traceback
import types

__all__ = ['dn', 'boot', 'client_for', 'DataNetSetupError', 'find_sdk_folder', 'load_runtime']

STATE_MODULE = 'datanet_td_runtime'
ASSEMBLY = 'DataNet.Td'
RUNTIME_DLL = 'Python.Runtime.dll'
MAIN_DLL = ASSEMBLY + '.dll'
MIN_DOTNET_MAJOR = 8
SDK_SUBFOLDERS = ('DataNet', 'datanet')   # looked for beside the .toe, then the .toe's folder itself
LOG_REPEAT_SECONDS = 10.0                  # the same message is printed at most once per this interval


class DataNetSetupError(RuntimeError):
    """The SDK folder, the .NET runtime or DataNet.Td could not be loaded. The message names the fix."""


# ---------------------------------------------------------------------------------------------
# Process-wide state: a real module, so it survives this DAT's module being re-executed.
# ---------------------------------------------------------------------------------------------

def _state():
    st = sys.modules.get(STATE_MODULE)
    if st is None:
        st = types.ModuleType(STATE_MODULE, 'DataNet process-wide state (runtime, assembly, clients)')
        st.lock = threading.RLock()
        st.runtime = None        # dict: route, detail, python_runtime (path or None)
        st.assembly = None       # System.Reflection.Assembly of DataNet.Td
        st.assembly_folder = None
        st.types = None          # dict of CLR types and helpers, built once
        st.entries = {}          # owner path -> _Entry (plain data + the .NET client)
        st.log_times = {}        # message -> monotonic time last printed
        st.secrets = set()       # strings scrubbed from anything this module prints
        st.fatal = None          # a runtime start that failed part-way: never retried in this process
        st.generation = 0        # bumps on every loader execution
        sys.modules[STATE_MODULE] = st
    return st


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


def _show_error(message):
    """Red badge on the loader DAT (OP.addScriptError, docs.derivative.ca/OP_Class), then the saved-key
    warning while there is one (OP.addWarning is only valid while cooking, so it is a script error too)."""
    me = _me()
    entry = _state().entries.get(_owner_path())
    try:
        me.clearScriptErrors()
        for text in (message, getattr(entry, 'key_warning', None)):
            if text:
                me.addScriptError(_scrub(text))
    except Exception:
        pass


# ---------------------------------------------------------------------------------------------
# SDK folder: parameter, then DATANET_SDK_DIR, then beside the .toe.
# ---------------------------------------------------------------------------------------------

def _sdk_problem(folder, need_runtime_dll):
    if not os.path.isdir(folder):
        return 'no such folder'
    missing = [n for n in ((MAIN_DLL, RUNTIME_DLL) if need_runtime_dll else (MAIN_DLL,))
               if not os.path.isfile(os.path.join(folder, n))]
    return ('missing ' + ' and '.join(missing)) if missing else None


def find_sdk_folder(explicit=None, need_runtime_dll=True):
    """Return the SDK folder (holding DataNet.Td.dll, its dependencies and Python.Runtime.dll).

    Looks at, in order: ``explicit``; the owning component's ``Sdkfolder`` parameter;
    the ``DATANET_SDK_DIR`` environment variable; beside the .toe (``<project folder>/DataNet``,
    then the project folder itself). Raises DataNetSetupError listing every place and what it lacked.
    """
    tried = []
    candidates = []
    if explicit:
        candidates.append(('argument', str(explicit)))
    par = _par(_owner_comp(), 'Sdkfolder')
    if par:
        candidates.append(('Sdkfolder parameter', str(par)))
    env = os.environ.get('DATANET_SDK_DIR')
    if env:
        candidates.append(('DATANET_SDK_DIR', env))
    project = _td('project')
    folder = getattr(project, 'folder', None)   # Project_Class folder: where the .toe is
    if folder:
        for sub in SDK_SUBFOLDERS:
            candidates.append(('beside the .toe', os.path.join(str(folder), sub)))
        candidates.append(('the .toe folder', str(folder)))
    for source, path in candidates:
        path = os.path.abspath(os.path.expanduser(path))
        problem = _sdk_problem(path, need_runtime_dll)
        if problem is None:
            return path
        tried.append('  %s: %s (%s)' % (source, path, problem))
        if source in ('argument', 'Sdkfolder parameter', 'DATANET_SDK_DIR'):
            break   # an explicit choice that is wrong is an error, not a reason to guess elsewhere
    needed = MAIN_DLL + (' and ' + RUNTIME_DLL if need_runtime_dll else '')
    if not tried:
        tried.append('  (nowhere: no Sdkfolder parameter, DATANET_SDK_DIR is not set, and the .toe folder is unknown)')
    raise DataNetSetupError(
        'DataNet SDK folder not found. It is the unzipped release folder holding %s and its other DLLs.\n'
        'Looked at:\n%s\n'
        'Fix: set the Sdkfolder parameter or the DATANET_SDK_DIR environment variable to that folder, '
        'or put it beside your .toe as "DataNet".' % (needed, '\n'.join(tried)))


# ---------------------------------------------------------------------------------------------
# Runtime: reuse clr, else the pythonnet package, else zero-pip (hostfxr + Python.Runtime.dll).
# ---------------------------------------------------------------------------------------------

def _process_arch():
    """The .NET architecture name of this process (x64, arm64, x86)."""
    if sys.platform == 'win32':
        # sysconfig names the interpreter's build, which is the process's architecture.
        return {'win-amd64': 'x64', 'win-arm64': 'arm64', 'win32': 'x86'}.get(sysconfig.get_platform(), 'x64')
    machine = (platform.machine() or '').lower()   # under Rosetta this already says x86_64
    return {'x86_64': 'x64', 'amd64': 'x64', 'arm64': 'arm64', 'aarch64': 'arm64',
            'i386': 'x86', 'i686': 'x86'}.get(machine, machine or 'unknown')


def _hostfxr_name():
    return {'win32': 'hostfxr.dll', 'darwin': 'libhostfxr.dylib'}.get(sys.platform, 'libhostfxr.so')


def _version_key(text):
    head, _, pre = text.partition('-')
    parts = []
    for piece in head.split('.'):
        parts.append(int(piece) if piece.isdigit() else -1)
    return tuple(parts) + ((1,) if not pre else (0,))   # a release sorts above its previews


def _subdirs(path):
    try:
        return [d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d))]
    except OSError:
        return []


def _dotnet_root_candidates(arch=None, environ=None, platform_name=None, read_file=None, registry=None, which=None):
    """Ordered (why, folder) places a .NET install may be, as the .NET host itself looks them up.

    Order of the documented host lookup (dotnet/designs accepted/2020/install-locations.md and
    2021/install-location-per-architecture.md; learn.microsoft.com .NET 7 multilevel-lookup change):
    DOTNET_ROOT_<ARCH>, DOTNET_ROOT, the registered install location (Windows registry
    HKLM\\SOFTWARE\\dotnet\\Setup\\InstalledVersions\\<arch>\\InstallLocation, 32-bit view; elsewhere
    /etc/dotnet/install_location_<arch>, then /etc/dotnet/install_location), then the default folder
    (x64 on an Arm64 machine lives in a 'x64' subfolder, .NET 6+). Then, as conveniences, the
    'dotnet' on PATH and the per-user folder of the dotnet-install scripts.
    Arguments exist so tests can describe a Windows or macOS machine on any OS.
    """
    arch = arch or _process_arch()
    env = os.environ if environ is None else environ
    plat = platform_name or sys.platform
    out = []

    def add(why, path):
        if path:
            out.append((why, path))

    add('DOTNET_ROOT_' + arch.upper(), env.get('DOTNET_ROOT_' + arch.upper()))
    add('DOTNET_ROOT', env.get('DOTNET_ROOT'))
    if plat == 'win32':
        add('registered install location (registry)', (registry or _registry_install_location)(arch))
        program_files = env.get('ProgramFiles') or env.get('PROGRAMFILES') or r'C:\Program Files'
        if arch == 'x64':
            add('default location (x64 on Arm64)', program_files + '\\dotnet\\x64')
        add('default location', program_files + '\\dotnet')
    else:
        reader = read_file or _read_first_line
        add('/etc/dotnet/install_location_' + arch, reader('/etc/dotnet/install_location_' + arch))
        add('/etc/dotnet/install_location', reader('/etc/dotnet/install_location'))
        if plat == 'darwin':
            if arch == 'x64':
                add('default location (x64 on Apple silicon)', '/usr/local/share/dotnet/x64')
            add('default location', '/usr/local/share/dotnet')
        else:
            add('default location', '/usr/share/dotnet')
            add('distribution location', '/usr/lib/dotnet')
            add('distribution location', '/usr/lib64/dotnet')
    dotnet = (which or _which_dotnet)()
    if dotnet:
        add('dotnet on PATH', os.path.dirname(os.path.realpath(dotnet)))
    home = env.get('HOME') or os.path.expanduser('~')
    if plat == 'win32':
        local = env.get('LOCALAPPDATA')
        if local:
            add('per-user install (dotnet-install)', local + '\\Microsoft\\dotnet')
    elif home:
        add('per-user install (dotnet-install)', home + '/.dotnet')
    seen = set()
    unique = []
    for why, path in out:
        norm = os.path.normcase(os.path.normpath(path))
        if norm not in seen:
            seen.add(norm)
            unique.append((why, path))
    return unique


def _read_first_line(path):
    """The registered location files hold a path on their first line (legacy files: maybe 'arch=path' lines)."""
    try:
        with open(path, encoding='utf-8') as f:
            lines = [ln.strip() for ln in f.read().splitlines() if ln.strip()]
    except OSError:
        return None
    if not lines:
        return None
    arch = _process_arch()
    for ln in lines:
        if ln.lower().startswith(arch + '='):
            return ln.split('=', 1)[1].strip()
    return lines[0] if '=' not in lines[0] else None


def _registry_install_location(arch):
    try:
        import winreg
    except ImportError:
        return None
    try:
        key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE,
                             'SOFTWARE\\dotnet\\Setup\\InstalledVersions\\' + arch, 0,
                             winreg.KEY_READ | winreg.KEY_WOW64_32KEY)
        with key:
            value, _ = winreg.QueryValueEx(key, 'InstallLocation')
            return value or None
    except OSError:
        return None


def _which_dotnet():
    import shutil
    return shutil.which('dotnet')


def _inspect_dotnet_root(root):
    """(hostfxr path or None, sorted NETCore.App versions) of one install folder."""
    fxr_dir = os.path.join(root, 'host', 'fxr')
    hostfxr = None
    for ver in sorted(_subdirs(fxr_dir), key=_version_key, reverse=True):
        candidate = os.path.join(fxr_dir, ver, _hostfxr_name())
        if os.path.isfile(candidate):
            hostfxr = candidate
            break
    runtimes = sorted(_subdirs(os.path.join(root, 'shared', 'Microsoft.NETCore.App')), key=_version_key)
    return hostfxr, runtimes


def find_dotnet(arch=None, **lookup):
    """Return (root, hostfxr path) of a .NET install with a runtime >= 8 for this architecture."""
    arch = arch or _process_arch()
    notes = []
    for why, root in _dotnet_root_candidates(arch=arch, **lookup):
        if not os.path.isdir(root):
            continue
        hostfxr, runtimes = _inspect_dotnet_root(root)
        usable = [v for v in runtimes if _version_key(v)[0] >= MIN_DOTNET_MAJOR]
        if hostfxr and usable:
            return root, hostfxr
        notes.append('  %s: %s (%s)' % (
            why, root, 'no host/fxr' if not hostfxr else
            'runtimes ' + (', '.join(runtimes) or 'none') + ', none is %d or newer' % MIN_DOTNET_MAJOR))
    raise DataNetSetupError(
        'No .NET %d+ runtime for %s found. DataNet needs the ".NET Runtime" %d or newer, %s, '
        'the same architecture as TouchDesigner: https://dotnet.microsoft.com/download/dotnet\n'
        '%s'
        'If it is installed somewhere else, set DOTNET_ROOT to that folder and restart TouchDesigner.'
        % (MIN_DOTNET_MAJOR, arch, MIN_DOTNET_MAJOR, arch,
           ('Found:\n' + '\n'.join(notes) + '\n') if notes else 'No .NET install was found in the usual places.\n'))


_HOSTFXR_ERRORS = {
    0x80008096: 'the required framework (Microsoft.NETCore.App %d+) is missing' % MIN_DOTNET_MAJOR,
    0x80008093: 'the runtime config file is invalid',
    0x80008094: 'the runtime config file could not be read',
    0x80008083: 'a .NET host library (hostpolicy) is missing from the install',
    0x800080a5: 'the .NET host was already initialised with an incompatible configuration',
    # E_OUTOFMEMORY from CoreCLR start-up: on macOS this is what a hardened-runtime host without the
    # com.apple.security.cs.allow-jit entitlement gets (dotnet/runtime #120967, iOfficeAI/OfficeCLI #142).
    0x80070008: ('CoreCLR could not allocate executable memory; on macOS the host application must be signed '
                 'with the com.apple.security.cs.allow-jit entitlement (check: codesign -d --entitlements - '
                 '/Applications/TouchDesigner.app)'),
}


def _bootstrap_coreclr(sdk_folder):
    """Zero-pip: CoreCLR through hostfxr, then Python.Runtime.Loader.Initialize (pythonnet's own entry)."""
    arch = _process_arch()
    root, hostfxr_path = find_dotnet(arch)
    try:
        fxr = ctypes.CDLL(hostfxr_path)
    except OSError as exc:
        raise DataNetSetupError(
            'Found .NET at %s but could not load %s into this %s process (%s). Install the %s .NET %d+ '
            'runtime, or point DOTNET_ROOT at it.' % (root, hostfxr_path, arch, exc, arch, MIN_DOTNET_MAJOR))
    windows = sys.platform == 'win32'
    char_p = ctypes.c_wchar_p if windows else ctypes.c_char_p

    def s(text):   # hostfxr's char_t: UTF-16 on Windows, UTF-8 elsewhere
        return text if windows else text.encode('utf-8')

    delegate = ctypes.WINFUNCTYPE if windows else ctypes.CFUNCTYPE   # CORECLR_DELEGATE_CALLTYPE
    error_lines = []
    writer_type = ctypes.CFUNCTYPE(None, char_p)
    writer = writer_type(lambda m: error_lines.append(m if windows else (m or b'').decode('utf-8', 'replace')))
    fxr.hostfxr_set_error_writer.argtypes = [writer_type]
    fxr.hostfxr_set_error_writer.restype = ctypes.c_void_p
    fxr.hostfxr_initialize_for_runtime_config.argtypes = [char_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    fxr.hostfxr_initialize_for_runtime_config.restype = ctypes.c_int32
    fxr.hostfxr_get_runtime_delegate.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_void_p)]
    fxr.hostfxr_get_runtime_delegate.restype = ctypes.c_int32
    fxr.hostfxr_close.argtypes = [ctypes.c_void_p]
    fxr.hostfxr_close.restype = ctypes.c_int32

    config = {'runtimeOptions': {'tfm': 'net%d.0' % MIN_DOTNET_MAJOR, 'rollForward': 'LatestMajor',
                                 'framework': {'name': 'Microsoft.NETCore.App', 'version': '%d.0.0' % MIN_DOTNET_MAJOR}}}
    fd, config_path = tempfile.mkstemp(prefix='datanet-', suffix='.runtimeconfig.json')
    handle = ctypes.c_void_p()
    load_ptr = ctypes.c_void_p()
    fxr.hostfxr_set_error_writer(writer)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            json.dump(config, f)
        rc = fxr.hostfxr_initialize_for_runtime_config(s(config_path), None, ctypes.byref(handle)) & 0xFFFFFFFF
        if rc not in (0, 1, 2):   # Success, Success_HostAlreadyInitialized, Success_DifferentRuntimeProperties
            raise DataNetSetupError(
                '.NET (%s) refused to start: %s (0x%08X).%s Install the .NET %d+ runtime for %s.'
                % (root, _HOSTFXR_ERRORS.get(rc, 'hostfxr error'), rc,
                   (' ' + ' '.join(error_lines)) if error_lines else '', MIN_DOTNET_MAJOR, arch))
        rc = fxr.hostfxr_get_runtime_delegate(handle, 5, ctypes.byref(load_ptr)) & 0xFFFFFFFF   # hdt_load_assembly_and_get_function_pointer
        fxr.hostfxr_close(handle)
        if rc != 0 or not load_ptr.value:
            raise DataNetSetupError('.NET (%s) did not start: %s (0x%08X).%s'
                                    % (root, _HOSTFXR_ERRORS.get(rc, 'hostfxr_get_runtime_delegate failed'), rc,
                                       (' ' + ' '.join(error_lines)) if error_lines else ''))
    finally:
        fxr.hostfxr_set_error_writer(writer_type())
        try:
            os.remove(config_path)
        except OSError:
            pass
    load_fn = delegate(ctypes.c_int32, char_p, char_p, char_p, ctypes.c_void_p, ctypes.c_void_p,
                       ctypes.POINTER(ctypes.c_void_p))(load_ptr.value)
    init_ptr = ctypes.c_void_p()
    runtime_dll = os.path.join(sdk_folder, RUNTIME_DLL)
    rc = load_fn(s(runtime_dll), s('Python.Runtime.Loader, Python.Runtime'), s('Initialize'),
                 None, None, ctypes.byref(init_ptr)) & 0xFFFFFFFF
    if rc != 0 or not init_ptr.value:
        raise DataNetSetupError('.NET could not load Loader.Initialize from %s (0x%08X). Is it pythonnet 3.x?'
                                % (runtime_dll, rc))
    init = delegate(ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32)(init_ptr.value)
    empty = ctypes.create_string_buffer(b'', 1)   # non-null and empty: use this process's Python, no path
    if init(ctypes.cast(empty, ctypes.c_void_p), 0) != 0:
        # Part-way initialised: a second attempt could crash the process (pythonnet #762, #1532, #2202).
        _state().fatal = ('Python.Runtime failed to initialise (see the console output above). '
                          'Restart TouchDesigner after fixing it.')
        raise DataNetSetupError(_state().fatal)
    import clr  # noqa: F401  (registered by Loader.Initialize)
    return {'route': 'zero-pip', 'detail': 'CoreCLR via %s, %s' % (hostfxr_path, runtime_dll)}


def _pythonnet_runtime_choice():
    choice = (os.environ.get('DATANET_RUNTIME') or '').strip().lower()
    if choice in ('', 'auto'):
        choice = (os.environ.get('PYTHONNET_RUNTIME') or '').strip().lower()
    if choice in ('', 'auto', 'default'):
        # Explicit: pythonnet's own default is Mono outside Windows.
        choice = 'netfx' if sys.platform == 'win32' else 'coreclr'
    return choice


def _load_with_pythonnet(pythonnet):
    runtime = _pythonnet_runtime_choice()
    if runtime not in ('coreclr', 'netfx', 'mono'):
        raise DataNetSetupError('DATANET_RUNTIME=%r is not one of auto, zeropip, coreclr, netfx, mono.' % runtime)
    params = {}
    if runtime == 'coreclr':
        # Not clr_loader's own lookup: it knows neither the per-architecture nor the registered install
        # locations, and a macOS TD started from the Dock has no shell PATH. The same install as zero-pip.
        params['dotnet_root'] = find_dotnet()[0]
    try:
        pythonnet.load(runtime, **params)
    except Exception as exc:
        if getattr(pythonnet, '_LOADED', False) or 'clr' in sys.modules:
            _state().fatal = 'pythonnet failed part-way (%s). Restart TouchDesigner after fixing it.' % exc
            raise DataNetSetupError(_state().fatal)
        fix = {'coreclr': 'install the .NET %d+ runtime for %s (or set DOTNET_ROOT)' % (MIN_DOTNET_MAJOR, _process_arch()),
               'netfx': '.NET Framework 4.7.2+ is needed (built into Windows 10/11)',
               'mono': 'install Mono, or set DATANET_RUNTIME=coreclr'}[runtime]
        raise DataNetSetupError('pythonnet could not load the %s runtime: %s. Fix: %s, or set DATANET_RUNTIME=zeropip '
                                'to use the runtime bundled with the SDK.' % (runtime, exc, fix))
    # pythonnet registers an atexit unload; shutting the engine down at exit is what hangs or
    # crashes embedded hosts (pythonnet #1500, #1701, #2348). The runtime lives as long as TD.
    try:
        import atexit
        atexit.unregister(pythonnet.unload)
    except Exception:
        pass
    import clr  # noqa: F401
    return {'route': 'pythonnet', 'detail': 'pythonnet %s package, %s runtime'
            % (getattr(pythonnet, '__version__', ''), runtime)}


def _add_project_packages():
    """setup_packages.py installs pythonnet into <project folder>/python_packages: put it on sys.path."""
    folder = getattr(_td('project'), 'folder', None)   # Project_Class folder
    if folder:
        packages = os.path.join(str(folder), 'python_packages')
        if os.path.isdir(packages) and packages not in sys.path:
            sys.path.insert(0, packages)


def load_runtime(sdk_folder=None):
    """Load pythonnet into this process once; later calls return what the first one did."""
    st = _state()
    with st.lock:
        if st.runtime is not None:
            return st.runtime
        if getattr(st, 'fatal', None):
            raise DataNetSetupError(st.fatal)
        if 'clr' in sys.modules:
            st.runtime = {'route': 'existing', 'detail': 'clr was already loaded in this process'}
            return st.runtime
        choice = (os.environ.get('DATANET_RUNTIME') or '').strip().lower()
        pythonnet = None
        if choice not in ('zeropip', 'zero-pip'):
            _add_project_packages()
            try:
                import pythonnet
            except ImportError:
                pythonnet = None
        if pythonnet is not None:
            st.runtime = _load_with_pythonnet(pythonnet)
        else:
            folder = sdk_folder or find_sdk_folder(need_runtime_dll=True)
            if not os.path.isfile(os.path.join(folder, RUNTIME_DLL)):
                raise DataNetSetupError('Zero-pip mode needs %s in the SDK folder %s; it is missing. Use the '
                                        'complete release folder, or install pythonnet (setup_packages.py).'
                                        % (RUNTIME_DLL, folder))
            st.runtime = _bootstrap_coreclr(folder)
        return st.runtime


def _load_assembly(folder):
    """sys.path.append(folder), then clr.AddReference('DataNet.Td'), once per process."""
    st = _state()
    with st.lock:
        if st.assembly is not None:
            if folder and os.path.normcase(os.path.abspath(folder)) != os.path.normcase(st.assembly_folder):
                _log('DataNet.Td is already loaded from %s; %s is ignored until TouchDesigner restarts '
                     '(a loaded .NET assembly cannot be replaced).' % (st.assembly_folder, folder), 'warning')
            return st.assembly
        import clr
        # By folder on sys.path, not by full path: pythonnet's resolver probes sys.path folders by
        # simple name, which on .NET Framework acts as the binding redirects TD has no config for.
        if folder not in sys.path:
            sys.path.append(folder)
        try:
            st.assembly = clr.AddReference(ASSEMBLY)
        except Exception as exc:
            raise DataNetSetupError('Could not load %s from %s: %s' % (MAIN_DLL, folder, exc))
        st.assembly_folder = os.path.abspath(folder)
        return st.assembly


def _clr_types():
    """CLR types by reflection. 'import DataNet.Td' would collide with this module's own name."""
    st = _state()
    if st.types is not None:
        return st.types
    import System
    asm = st.assembly

    def t(name):
        found = asm.GetType('DataNet.Td.' + name)
        if found is None:
            raise DataNetSetupError('%s at %s has no type DataNet.Td.%s: SDK folder and loader versions differ.'
                                    % (MAIN_DLL, st.assembly_folder, name))
        return found

    options_type = t('DataNetOptions')
    sample = System.Activator.CreateInstance(options_type)
    st.types = {
        'System': System,
        'Options': type(sample),          # the Python class of a CLR instance is the pythonnet class
        'OptionsType': options_type,
        'ClientType': t('DataNetClient'),
        'MessageType': t('DataNetMessage'),
        'ErrorType': t('DataNetError'),
        'PresenceType': t('PresenceResult'),
        'StateType': t('ConnectionState'),
    }
    return st.types


def boot(sdk_folder=None):
    """Find the SDK, load the runtime and DataNet.Td. Idempotent; raises DataNetSetupError with the fix."""
    st = _state()
    with st.lock:
        if st.types is not None:
            if sdk_folder:
                _load_assembly(sdk_folder)   # only warns when it differs
            return st.runtime
        needs_runtime_dll = 'clr' not in sys.modules and st.runtime is None
        try:
            import pythonnet  # noqa: F401
            needs_runtime_dll = False
        except ImportError:
            pass
        if (os.environ.get('DATANET_RUNTIME') or '').strip().lower() in ('zeropip', 'zero-pip'):
            needs_runtime_dll = st.runtime is None and 'clr' not in sys.modules
        folder = find_sdk_folder(sdk_folder, need_runtime_dll=needs_runtime_dll)
        runtime = load_runtime(folder)
        _load_assembly(folder)
        _clr_types()
        _log('loaded %s (%s) from %s' % (ASSEMBLY, runtime['route'], st.assembly_folder))
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

    The section is ``DATANET_PROFILE`` (or ``connect(profile=...)``), else ``default``.
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
    """Merge explicit connect() arguments, remembered ones, component parameters, environment, credentials."""
    comp = _owner_comp()
    merged = dict(remembered)
    merged.update({k: v for k, v in explicit.items() if v is not None})
    profile = merged.get('profile') or _par(comp, 'Profile') or os.environ.get('DATANET_PROFILE') or 'default'
    cred_path, cred = _read_credentials(profile)
    settings = {}
    for name, par, env in (('api_url', 'Apiurl', 'DATANET_API_URL'), ('ws_url', 'Wsurl', 'DATANET_WS_URL')):
        settings[name] = merged.get(name) or _par(comp, par) or os.environ.get(env) or cred.get(name) or None
    # The key's order, documented once (docs/touchdesigner.md, section 3): connect(api_key=...), the
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
        name = str(_par(comp, 'Devicename') or '').strip() or getattr(_td('project'), 'name', None)  # Project_Class name
        if name:
            name = str(name)
            settings['device_name'] = name[:-4] if name.lower().endswith('.toe') else name
    if settings['api_key']:
        _state().secrets.add(settings['api_key'])
    return settings


def _make_options(settings):
    T = _clr_types()
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
# Handlers: plain Python callables, wrapped into delegates here (pythonnet will not do it
# implicitly for method parameters), called with as many arguments as they accept.
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


def decode_message(m):
    """(channel, data, from_, timestamp) of a DataNetMessage, data as Python objects (bytes if binary)."""
    if m.IsBinary:
        raw = m.Bytes
        data = bytes(raw) if raw is not None else b''
    else:
        data = json.loads(m.DataJson)
    return m.Channel, data, m.From, m.Timestamp


class ErrorInfo(tuple):
    """A DataNetError as plain Python: code, message, channel, fatal. str() is the message."""
    __slots__ = ()

    def __new__(cls, code, message, channel=None, fatal=False):
        return tuple.__new__(cls, (code, message, channel, fatal))

    code = property(lambda self: self[0])
    message = property(lambda self: self[1])
    channel = property(lambda self: self[2])
    fatal = property(lambda self: self[3])

    def __str__(self):
        return '%s: %s' % (self[0], self[1])


EVENTS = ('connect', 'disconnect', 'error', 'message', 'status', 'presence')


def _new_entry():
    return types.SimpleNamespace(
        client=None,            # the .NET DataNetClient, or None
        settings=None,          # resolved settings of that client
        remembered={},          # explicit connect() arguments, reused on reconnect/reload
        wanted=False,           # connect() was called and not disconnect(): reconnect after a reload
        subs=[],                # dicts: channel, fn, binary, content_type, delegate
        events={e: [] for e in EVENTS},
        message_hooked=False,
        client_generation=0,    # bumps whenever a new .NET client replaces the previous one
        handler_errors=0,
        last_status='Disconnected',
        setup_error=None,
        key_warning=None,       # shown while the owner's Apikey parameter holds a key (saved in the .toe)
        owner_op=None,          # the loader DAT itself: once it is deleted (valid False) the client goes
        generation=0)


# ---------------------------------------------------------------------------------------------
# The facade: `dn`. Guide names (connect, subscribe, ...) and C# names (Connect, Subscribe, ...).
# ---------------------------------------------------------------------------------------------

class Client(object):
    """One DataNet connection per owning operator; see the module docstring."""

    def __init__(self, owner, entry):
        self.__dict__['owner'] = owner
        self.__dict__['_entry'] = entry

    def __repr__(self):
        return '<DataNet client of %s: %s>' % (self.owner, self.status)

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def ready(self):
        """True when the runtime and DataNet.Td are loaded."""
        st = _state()
        return st.assembly is not None and st.types is not None

    @property
    def error(self):
        """The setup error message, or None."""
        return self._entry.setup_error

    def boot(self, sdk_folder=None):
        try:
            runtime = boot(sdk_folder)
        except DataNetSetupError as exc:
            self._entry.setup_error = str(exc)
            _show_error(str(exc))
            raise
        self._entry.setup_error = None
        _show_error(None)
        return runtime

    def _require(self):
        if not self.ready:
            self.boot()

    def _ensure_client(self, explicit=None):
        self._require()
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
        T = _clr_types()
        client = T['System'].Activator.CreateInstance(T['ClientType'], _make_options(settings))
        e.client, e.settings, e.message_hooked = client, settings, False
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
        client, e.client, e.settings = e.client, None, None
        for sub in e.subs:
            sub['delegate'] = None
        if client is not None:
            try:
                client.Dispose()
            except Exception as exc:
                _log('disposing the previous client failed: %s' % exc, 'warning')

    def _adopt_previous(self):
        """Called when this loader (re-)executes: dispose the previous client, carry its setup over."""
        e = self._entry
        had = e.client is not None
        self._dispose_client()
        if had and e.wanted and self.ready:
            try:
                self._ensure_client()
                e.client.Connect()
            except Exception as exc:
                _log('reconnecting after reload failed: %s' % exc, 'error')

    def connect(self, api_key=None, api_url=None, ws_url=None, **options):
        """Connect (never blocks; idempotent). Every argument is optional: where the key comes from, and
        in which order, is in docs/touchdesigner.md section 3 (this call's api_key first)."""
        unknown = set(options) - set(_OPTION_NAMES) - set(_TIME_OPTIONS) - {'profile'}
        if unknown:
            raise TypeError('connect() got unknown options: %s' % ', '.join(sorted(unknown)))
        explicit = dict(options, api_key=api_key, api_url=api_url, ws_url=ws_url)
        client = self._ensure_client(explicit)
        if not self._entry.settings.get('api_key'):
            only = _par(_owner_comp(), 'Keysource')
            raise DataNetSetupError(
                'No DataNet API key%s. Set the DATANET_API_KEY environment variable, or put it in %s as\n'
                '  [default]\n  api_key = ak_...\n(or pass connect(api_key=...)). Keys typed into a '
                'parameter are saved inside the .toe.'
                % (' (Key Source: %s)' % only if only else '', credentials_paths()[0]))
        self._entry.wanted = True
        client.Connect()

    def disconnect(self):
        """Close the connection, keep subscriptions; connect() resumes."""
        self._entry.wanted = False
        if self._entry.client is not None:
            self._entry.client.Disconnect()

    def dispose(self):
        """Close and release the .NET client (sockets, threads). Subscriptions are kept for a later connect()."""
        self._entry.wanted = False
        self._dispose_client()

    def check_saved_key(self, saving=False):
        """Warn, in the log and on the loader DAT, while the owning component's Apikey parameter holds a
        key: TD saves it in the file. Called at load and before each project save (the frame hook's
        onProjectPreSave, saving=True, warns again then). Returns the warning or None; never the key."""
        e = self._entry
        warning = _saved_key_warning()
        if warning and (saving or warning != e.key_warning):
            # Every save writes the key again: warn at every save, not once per 10 s.
            _log(('saving the project: ' if saving else '') + warning, 'warning', key='apikey-saved',
                 every=0 if saving else LOG_REPEAT_SECONDS)
        if warning != e.key_warning:
            e.key_warning = warning
            _show_error(e.setup_error)
        return warning

    @property
    def key_warning(self):
        """The saved-key warning of the last check_saved_key(), or None."""
        return self._entry.key_warning

    # -- subscriptions ---------------------------------------------------------------------

    def _apply_sub(self, sub):
        client = self._entry.client
        if client is None:
            return
        ch = sub['channel']
        if sub['fn'] is None:
            (client.SubscribeBinary if sub['binary'] else client.Subscribe)(ch)
            return
        sub['delegate'] = self._message_delegate(sub['fn'])
        if sub['binary']:
            if sub['content_type']:
                client.SubscribeBinary(ch, sub['delegate'], sub['content_type'])
            else:
                client.SubscribeBinary(ch, sub['delegate'])
        else:
            client.Subscribe(ch, sub['delegate'])

    def _message_delegate(self, fn):
        T = _clr_types()
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

    def subscribe(self, channel, handler=None, binary=False, content_type=None):
        """Subscribe; handler(channel, data, from_, timestamp) runs inside poll() on the main thread.
        Without a handler the channel still feeds the table rows and the CHOP values."""
        if not isinstance(channel, str) or not channel:
            raise ValueError('channel must be a non-empty string')
        if handler is not None and not callable(handler):
            raise TypeError('handler must be callable')
        e = self._entry
        for sub in e.subs:
            if sub['channel'] == channel and sub['fn'] is handler and sub['binary'] == bool(binary):
                return
        sub = {'channel': channel, 'fn': handler, 'binary': bool(binary), 'content_type': content_type, 'delegate': None}
        e.subs.append(sub)
        self._apply_sub(sub)   # before connect() there is no client yet: connect() applies every sub

    def subscribe_binary(self, channel, handler=None, content_type=None):
        self.subscribe(channel, handler, binary=True, content_type=content_type)

    def unsubscribe(self, channel, handler=None):
        """Remove one handler, or everything on the channel."""
        e = self._entry
        removed = [s for s in e.subs if s['channel'] == channel and (handler is None or s['fn'] is handler)]
        e.subs = [s for s in e.subs if s not in removed]
        client = e.client
        if client is None:
            return
        if handler is None:
            client.Unsubscribe(channel)
        else:
            for s in removed:
                if s['delegate'] is not None:
                    client.Unsubscribe(channel, s['delegate'])

    @property
    def channels(self):
        return sorted({s['channel'] for s in self._entry.subs})

    # -- events ----------------------------------------------------------------------------

    def on(self, event, fn):
        """on('connect'|'disconnect'|'error'|'message'|'status'|'presence', fn). Called inside poll()."""
        if event not in EVENTS:
            raise ValueError('unknown event %r: use one of %s' % (event, ', '.join(EVENTS)))
        if not callable(fn):
            raise TypeError('fn must be callable')
        if fn not in self._entry.events[event]:
            self._entry.events[event].append(fn)
        if event == 'message' and self._entry.client is not None:
            self._hook_messages()
        return fn

    def off(self, event, fn=None):
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
        status = self.status
        self._entry.last_status = status
        self._fire('status', status, str(state), str(previous))

    def _on_error(self, err):
        info = ErrorInfo(str(err.Code), str(err.Message), err.Channel, bool(err.IsFatal))
        _log('%s%s' % ('fatal: ' if info.fatal else '', info), 'error' if info.fatal else 'warning',
             key='error:' + info.code)
        if info.fatal:
            _show_error('DataNet: ' + str(info))
        self._fire('error', info)

    def _on_presence(self, p):
        self._fire('presence', str(p.Channel), int(p.Occupancy), [str(x) for x in p.Members])

    # -- publish ---------------------------------------------------------------------------

    def publish(self, channel, data, content_type=None, metadata=None):
        """Publish a Python value as JSON; bytes, bytearray and memoryview publish binary.
        Returns False only when the offline queue dropped it."""
        client = self._ensure_client()
        if isinstance(data, (bytes, bytearray, memoryview)):
            raw = bytes(data)
            if content_type or metadata is not None:
                meta = None if metadata is None else (metadata if isinstance(metadata, str) else json.dumps(metadata))
                return bool(client.PublishBinary(channel, raw, content_type or 'application/octet-stream', meta))
            return bool(client.PublishBinary(channel, raw))
        return bool(client.Publish(channel, json.dumps(data, separators=(',', ':'), allow_nan=False)))

    def publish_dmx(self, channel, values):
        """Publish DMX levels (0..255 each, up to 512) as binary/dmx."""
        client = self._ensure_client()
        T = _clr_types()
        arr = T['System'].Array[T['System'].Double]([float(v) for v in values])
        return bool(client.PublishDmx(channel, arr))

    # -- per frame ---------------------------------------------------------------------------

    def poll(self, max_items=None):
        """Deliver queued messages and events on this thread, within the client's budget
        (PollMaxItems / PollMaxTime). Returns the PollResult, or None before the first connect.
        Also releases the clients of deleted loader DATs (release_orphans)."""
        release_orphans()
        client = self._entry.client
        if client is None:
            return None
        return client.Poll() if max_items is None else client.Poll(int(max_items))

    def get_value(self, channel, key=None, default=0.0):
        """Latest numeric value of a flattened field ('env/t'), or a dict of all of a channel's fields."""
        client = self._entry.client
        if client is None:
            return {} if key is None else default
        lv = client.LastValues
        if key is None:
            return dict(zip([str(n) for n in lv.GetNames(channel)], lv.GetValues(channel)))
        return float(lv.GetValue(channel, key, float(default)))

    @property
    def status(self):
        if self._entry.setup_error:
            return 'Error: ' + self._entry.setup_error.splitlines()[0]
        client = self._entry.client
        return str(client.Status) if client is not None else 'Disconnected'

    @property
    def stats(self):
        client = self._entry.client
        return client.Stats if client is not None else None

    @property
    def last_values(self):
        client = self._entry.client
        return client.LastValues if client is not None else None

    @property
    def handler_errors(self):
        """Python handler exceptions seen by this loader since it was created."""
        return self._entry.handler_errors

    @property
    def client_generation(self):
        """Bumps whenever a new .NET client replaced the previous one (reload, new settings)."""
        return self._entry.client_generation

    @property
    def sdk_folder(self):
        """The SDK folder DataNet.Td was loaded from in this process (None before it is loaded)."""
        return _state().assembly_folder

    @property
    def runtime(self):
        """How .NET was loaded: {'route': 'zero-pip'|'pythonnet'|'existing', 'detail': ...}, or None."""
        return _state().runtime

    @property
    def client(self):
        """The underlying .NET DataNetClient (None before the first connect/subscribe/publish)."""
        return self._entry.client

    # -- C# spellings ------------------------------------------------------------------------

    def Connect(self, *args, **kwargs):
        return self.connect(*args, **kwargs)

    def Disconnect(self):
        return self.disconnect()

    def Dispose(self):
        return self.dispose()

    def Subscribe(self, channel, handler=None):
        return self.subscribe(channel, handler)

    def SubscribeBinary(self, channel, handler=None, content_type=None):
        return self.subscribe(channel, handler, binary=True, content_type=content_type)

    def Unsubscribe(self, channel, handler=None):
        return self.unsubscribe(channel, handler)

    def Publish(self, channel, data):
        """C# semantics for text (already JSON); other values are serialised like publish()."""
        if isinstance(data, str):
            return bool(self._ensure_client().Publish(channel, data))
        return self.publish(channel, data)

    def Poll(self, max_items=None):
        return self.poll(max_items)

    LastValues = last_values
    Status = status
    Stats = stats

    def __getattr__(self, name):
        """Anything else (TakeRows, GetPresence, State, Channels, ...) goes to the .NET client."""
        if name.startswith('__'):
            raise AttributeError(name)
        client = self.__dict__['_entry'].client
        if client is None:
            raise AttributeError('%s: no client yet (call connect(), subscribe() or publish() first)' % name)
        return getattr(client, name)


def client_for(owner):
    """The facade of another loader by its operator path (or None)."""
    entry = _state().entries.get(str(owner))
    return Client(str(owner), entry) if entry is not None else None


def release_orphans():
    """Dispose the clients whose loader DAT was deleted (OP.valid is False, docs.derivative.ca/OP_Class):
    nothing polls them any more, yet their sockets would stay open. Called by every poll() and by the
    frame hook when its loader is gone. A renamed DAT stays valid and keeps its client."""
    st = _state()
    for owner, entry in list(st.entries.items()):
        if getattr(entry.owner_op, 'valid', True) is False:
            st.entries.pop(owner, None)
            Client(owner, entry).dispose()


def dispose_all():
    """Dispose every DataNet client in this process (TouchDesigner is exiting)."""
    for owner, entry in list(_state().entries.items()):
        Client(owner, entry).dispose()


def _init_module():
    st = _state()
    with st.lock:
        st.generation += 1
        owner = _owner_path()
        entry = st.entries.get(owner)
        if entry is None:
            entry = st.entries[owner] = _new_entry()
        entry.generation = st.generation
        entry.owner_op = _me()
        facade = Client(owner, entry)
        try:
            facade.boot()
        except DataNetSetupError as exc:
            _log(str(exc), 'error', key='setup')
        facade.check_saved_key()
        facade._adopt_previous()
        return facade


dn = _init_module()
datanet = dn   # the build guide's spelling: op('DataNet').module.datanet

# The build guide also calls these on the module itself: op('DataNet').module.connect(...)
connect = dn.connect
disconnect = dn.disconnect
subscribe = dn.subscribe
unsubscribe = dn.unsubscribe
publish = dn.publish
on = dn.on
off = dn.off
poll = dn.poll
subscribe_binary = dn.subscribe_binary
publish_dmx = dn.publish_dmx
get_value = dn.get_value
dispose = dn.dispose
