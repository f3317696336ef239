"""DataNet SDK: the .NET runtime inside a Python process. No TouchDesigner names at all.

Finds a .NET install the way the .NET host does, starts it, and loads pythonnet and the
``DataNet.Td`` assembly, once per process, by the first route that works (``route()``):

1. ``clr`` is already loaded (another component loaded pythonnet): reuse it;
2. the ``pythonnet`` package is importable (``setup_packages.py`` puts it in a packages folder):
   load it with an explicit runtime (CoreCLR outside Windows, where pythonnet defaults to Mono;
   .NET Framework on Windows, pythonnet's default); ``DATANET_RUNTIME`` overrides;
3. zero-pip (recommended): start CoreCLR with ctypes through ``hostfxr`` and initialise the
   ``Python.Runtime.dll`` shipped in the SDK folder. Needs only a .NET 8 or newer runtime of the
   process's architecture.

Importable and testable on its own (``import datanet_runtime``): the TouchDesigner loader
(``DataNet.py``) and ``setup_packages.py`` both use it, so the lookup is written once. What must
outlive a re-execution of the module (a Text DAT re-executes when its text changes) lives in the
real module ``sys.modules['datanet_td_runtime']`` (``state()``).

Standard library only.
"""

import ctypes
import importlib
import json
import os
import platform
import sys
import sysconfig
import tempfile
import threading
import types

__all__ = ['DataNetSetupError', 'state', 'route', 'find_sdk_folder', 'find_dotnet', 'dotnet_root_candidates',
           'inspect_dotnet_root', 'process_arch', 'runtime_config', 'load_runtime', 'load_assembly', 'clr_types',
           'boot', 'ready']

STATE_MODULE = 'datanet_td_runtime'
ASSEMBLY = 'DataNet.Td'
RUNTIME_DLL = 'Python.Runtime.dll'
MAIN_DLL = ASSEMBLY + '.dll'
MIN_DOTNET_MAJOR = 8
SDK_SUBFOLDERS = ('DataNet', 'datanet')   # looked for in the project folder, then the project folder itself
PACKAGES_FOLDER = 'python_packages'         # setup_packages.py installs pythonnet here, in the project folder
# Configuration of the runtime the zero-pip route starts (runtimeconfig.json configProperties). The thread pool's
# spinning kept about 0.3 of a core busy at 1,000 msg/s (design.md section 6): the host process is not ours to heat.
CONFIG_PROPERTIES = {'System.Threading.ThreadPool.UnfairSemaphoreSpinLimit': 0}


class DataNetSetupError(RuntimeError):
    """The SDK folder, the .NET runtime or DataNet.Td could not be loaded. The message names the fix."""



# ---------------------------------------------------------------------------------------------
# Process-wide state: a real module, so it survives this DAT's module being re-executed.
# ---------------------------------------------------------------------------------------------

def state():
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
        st.dispose_failures = []  # from background disposals, logged on the main thread
        sys.modules[STATE_MODULE] = st
    return st



# ---------------------------------------------------------------------------------------------
# SDK folder
# ---------------------------------------------------------------------------------------------

def _sdk_problem(folder, need_runtime_dll):
    if not os.path.isdir(folder):
        return 'no such folder'
    missing = [n for n in ((MAIN_DLL, RUNTIME_DLL) if need_runtime_dll else (MAIN_DLL,))
               if not os.path.isfile(os.path.join(folder, n))]
    return ('missing ' + ' and '.join(missing)) if missing else None


def find_sdk_folder(explicit=None, parameter=None, project_folder=None, need_runtime_dll=True, environ=None):
    """Return the SDK folder (holding DataNet.Td.dll, its dependencies and Python.Runtime.dll).

    Looks at, in order: ``explicit`` (an argument); ``parameter`` (the owning component's Sdkfolder
    parameter); the ``DATANET_SDK_DIR`` environment variable; in ``project_folder`` (``<folder>/DataNet``,
    then the folder itself). The first three are explicit choices: a wrong one is an error, not a reason
    to guess elsewhere. Raises DataNetSetupError listing every place and what it lacked.
    """
    env = os.environ if environ is None else environ
    tried = []
    candidates = []
    if explicit:
        candidates.append(('argument', str(explicit), True))
    if parameter:
        candidates.append(('Sdkfolder parameter', str(parameter), True))
    if env.get('DATANET_SDK_DIR'):
        candidates.append(('DATANET_SDK_DIR', env['DATANET_SDK_DIR'], True))
    if project_folder:
        for sub in SDK_SUBFOLDERS:
            candidates.append(('beside the project file', os.path.join(str(project_folder), sub), False))
        candidates.append(('the project folder', str(project_folder), False))
    for source, path, chosen in candidates:
        path = os.path.abspath(os.path.expanduser(path))
        problem = _sdk_problem(path, need_runtime_dll)
        if problem is None:
            return path
        tried.append('  %s: %s (%s)' % (source, path, problem))
        if chosen:
            break
    needed = MAIN_DLL + (' and ' + RUNTIME_DLL if need_runtime_dll else '')
    if not tried:
        tried.append('  (nowhere: no Sdkfolder parameter, DATANET_SDK_DIR is not set, and the project folder is unknown)')
    raise DataNetSetupError(
        'DataNet SDK folder not found. It is the unzipped release folder holding %s and its other DLLs.\n'
        'Looked at:\n%s\n'
        'Fix: set the Sdkfolder parameter or the DATANET_SDK_DIR environment variable to that folder, '
        'or put it beside your .toe as "DataNet".' % (needed, '\n'.join(tried)))


# ---------------------------------------------------------------------------------------------
# Runtime: reuse clr, else the pythonnet package, else zero-pip (hostfxr + Python.Runtime.dll).
# ---------------------------------------------------------------------------------------------

def process_arch():
    """The .NET architecture name of this process (x64, arm64, x86)."""
    if sys.platform == 'win32':
        # sysconfig names the interpreter's build, which is the process's architecture.
        return {'win-amd64': 'x64', 'win-arm64': 'arm64', 'win32': 'x86'}.get(sysconfig.get_platform(), 'x64')
    machine = (platform.machine() or '').lower()   # under Rosetta this already says x86_64
    return {'x86_64': 'x64', 'amd64': 'x64', 'arm64': 'arm64', 'aarch64': 'arm64',
            'i386': 'x86', 'i686': 'x86'}.get(machine, machine or 'unknown')


def hostfxr_name():
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


def dotnet_root_candidates(arch=None, environ=None, platform_name=None, read_file=None, registry=None, which=None):
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
    arch = arch or process_arch()
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
    arch = process_arch()
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


def inspect_dotnet_root(root):
    """(hostfxr path or None, sorted NETCore.App versions) of one install folder."""
    fxr_dir = os.path.join(root, 'host', 'fxr')
    hostfxr = None
    for ver in sorted(_subdirs(fxr_dir), key=_version_key, reverse=True):
        candidate = os.path.join(fxr_dir, ver, hostfxr_name())
        if os.path.isfile(candidate):
            hostfxr = candidate
            break
    runtimes = sorted(_subdirs(os.path.join(root, 'shared', 'Microsoft.NETCore.App')), key=_version_key)
    return hostfxr, runtimes


def find_dotnet(arch=None, **lookup):
    """Return (root, hostfxr path) of a .NET install with a runtime >= 8 for this architecture."""
    arch = arch or process_arch()
    notes = []
    for why, root in dotnet_root_candidates(arch=arch, **lookup):
        if not os.path.isdir(root):
            continue
        hostfxr, runtimes = inspect_dotnet_root(root)
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


def runtime_config():
    """The runtimeconfig.json the zero-pip route starts CoreCLR with: .NET 8 or any newer major, and
    CONFIG_PROPERTIES (they become AppContext switches of the runtime)."""
    return {'runtimeOptions': {'tfm': 'net%d.0' % MIN_DOTNET_MAJOR, 'rollForward': 'LatestMajor',
                               'framework': {'name': 'Microsoft.NETCore.App', 'version': '%d.0.0' % MIN_DOTNET_MAJOR},
                               'configProperties': dict(CONFIG_PROPERTIES)}}


def _bootstrap_coreclr(sdk_folder):
    """Zero-pip: CoreCLR through hostfxr, then Python.Runtime.Loader.Initialize (pythonnet's own entry)."""
    arch = process_arch()
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

    config = runtime_config()
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
        rc = fxr.hostfxr_get_runtime_delegate(handle, 5, ctypes.byref(load_ptr)) & 0xFFFFFFFF   # hdtload_assembly_and_get_function_pointer
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
        state().fatal = ('Python.Runtime failed to initialise (see the console output above). '
                          'Restart TouchDesigner after fixing it.')
        raise DataNetSetupError(state().fatal)
    importlib.import_module('clr')   # registered by Loader.Initialize: importing it makes .NET usable from Python
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
            state().fatal = 'pythonnet failed part-way (%s). Restart TouchDesigner after fixing it.' % exc
            raise DataNetSetupError(state().fatal)
        fix = {'coreclr': 'install the .NET %d+ runtime for %s (or set DOTNET_ROOT)' % (MIN_DOTNET_MAJOR, process_arch()),
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
    importlib.import_module('clr')
    return {'route': 'pythonnet', 'detail': 'pythonnet %s package, %s runtime'
            % (getattr(pythonnet, '__version__', ''), runtime)}


def route(packages_folder=None):
    """Which way .NET gets (or got) into this process: 'loaded' (already done by load_runtime), 'existing' (clr
    was imported by someone else), 'pythonnet' (the package is importable, after ``packages_folder`` is put on
    sys.path), or 'zero-pip'. ``DATANET_RUNTIME=zeropip`` skips the package. The one place the choice is made."""
    st = state()
    if st.runtime is not None:
        return 'loaded'
    if 'clr' in sys.modules:
        return 'existing'
    if (os.environ.get('DATANET_RUNTIME') or '').strip().lower() in ('zeropip', 'zero-pip'):
        return 'zero-pip'
    if packages_folder and os.path.isdir(packages_folder) and packages_folder not in sys.path:
        sys.path.insert(0, packages_folder)
    try:
        importlib.import_module('pythonnet')
    except ImportError:
        return 'zero-pip'
    return 'pythonnet'


def load_runtime(sdk_folder=None, packages_folder=None):
    """Load pythonnet into this process once, by ``route()``; later calls return what the first one did.
    ``sdk_folder`` must hold Python.Runtime.dll for the zero-pip route (default: ``find_sdk_folder()``)."""
    st = state()
    with st.lock:
        if st.runtime is not None:
            return st.runtime
        if getattr(st, 'fatal', None):
            raise DataNetSetupError(st.fatal)
        way = route(packages_folder)
        if way == 'existing':
            st.runtime = {'route': 'existing', 'detail': 'clr was already loaded in this process'}
        elif way == 'pythonnet':
            import pythonnet
            st.runtime = _load_with_pythonnet(pythonnet)
        else:
            folder = sdk_folder or find_sdk_folder(need_runtime_dll=True)
            if not os.path.isfile(os.path.join(folder, RUNTIME_DLL)):
                raise DataNetSetupError('Zero-pip mode needs %s in the SDK folder %s; it is missing. Use the '
                                        'complete release folder, or install pythonnet (setup_packages.py).'
                                        % (RUNTIME_DLL, folder))
            st.runtime = _bootstrap_coreclr(folder)
        return st.runtime


def load_assembly(folder):
    """sys.path.append(folder), then clr.AddReference('DataNet.Td'), once per process. Returns (assembly,
    warning): the warning says when ``folder`` differs from where it was loaded (a loaded assembly stays)."""
    st = state()
    with st.lock:
        if st.assembly is not None:
            if folder and os.path.normcase(os.path.abspath(folder)) != os.path.normcase(st.assembly_folder):
                return st.assembly, ('DataNet.Td is already loaded from %s; %s is ignored until the process '
                                     '(TouchDesigner) restarts (a loaded .NET assembly cannot be replaced).' % (st.assembly_folder, folder))
            return st.assembly, None
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
        return st.assembly, None


def clr_types():
    """CLR types by reflection. 'import DataNet.Td' would collide with this module's own name."""
    st = state()
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


def ready():
    """True when the runtime and DataNet.Td are loaded in this process."""
    st = state()
    return st.assembly is not None and st.types is not None


def boot(sdk_folder=None, parameter=None, project_folder=None, packages_folder=None):
    """Find the SDK folder (``find_sdk_folder``'s order), load the runtime and DataNet.Td. Idempotent.
    Returns (runtime dict, warning or None); raises DataNetSetupError with the fix."""
    st = state()
    with st.lock:
        if st.types is not None:
            folder = sdk_folder or parameter
            return st.runtime, (load_assembly(folder)[1] if folder else None)
        folder = find_sdk_folder(sdk_folder, parameter, project_folder,
                                 need_runtime_dll=route(packages_folder) == 'zero-pip')
        runtime = load_runtime(folder, packages_folder)
        load_assembly(folder)
        clr_types()
        return runtime, None
