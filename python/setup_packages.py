"""DataNet SDK for TouchDesigner: optional pip route (installs pythonnet for TouchDesigner's Python).

You do NOT need this for the recommended zero-pip route: the loader starts .NET itself from the
Python.Runtime.dll in the SDK folder. Use it only if you prefer the pythonnet package from PyPI.

Run it once per project, inside TouchDesigner, with the SDK folder beside the .toe as DataNet/:
  * Textport (Alt+T / Dialogs > Textport):
      Windows: exec(open(r'C:/Shows/MyShow/DataNet/python/setup_packages.py').read())
      macOS:   exec(open('/Users/you/Shows/MyShow/DataNet/python/setup_packages.py').read())
  * or paste it into a Text DAT and choose "Run Script".

What it does:
  1. finds TouchDesigner's bundled Python interpreter. Inside TD, ``sys.executable`` is
     TouchDesigner itself: ``sys.executable -m pip`` would start a second TouchDesigner.
     Windows: ``<TD>/bin/python.exe``; macOS:
     ``TouchDesigner.app/Contents/Frameworks/Python.framework/Versions/3.11/bin/python3``;
  2. runs ``<that python> -m pip install --target <project>/python_packages pythonnet``
     (project-local: nothing is written into TouchDesigner's own folders, nothing global);
  3. puts that folder on ``sys.path`` for this session (the DataNet loader adds
     ``<project folder>/python_packages`` by itself on every start);
  4. checks the .NET runtime pythonnet will use (with the loader's own lookup, ``datanet_runtime.py``,
     for TouchDesigner's architecture: the install the loader will hand to pythonnet), and prints what
     to do next.

Re-running is harmless: an existing install is kept (``force=True`` reinstalls).
Standard library only. Outside TouchDesigner: ``python setup_packages.py --help``.
"""

import importlib.util
import os
import subprocess
import sys

PACKAGE = 'pythonnet'
TARGET_NAME = 'python_packages'   # datanet_runtime.PACKAGES_FOLDER: the loader looks there
RUNTIME = 'datanet_runtime.py'   # the loader's .NET lookup, importable on its own
SDK_SUBFOLDERS = ('DataNet', 'datanet')   # as the loader: the SDK folder beside the .toe


def _in_touchdesigner():
    return 'td' in sys.modules


def _project_folder():
    td = sys.modules.get('td')
    project = getattr(td, 'project', None) if td is not None else None
    folder = getattr(project, 'folder', None)   # Project_Class folder (docs.derivative.ca/Project_Class)
    return str(folder) if folder else None


def interpreter_candidates(executable, platform_name, base_prefix, version=None):
    """Where TouchDesigner's own python lives, for a given TouchDesigner executable and platform."""
    version = version or '%d.%d' % sys.version_info[:2]
    exe_dir = os.path.dirname(executable)
    out = []
    if platform_name == 'win32':
        # <TD>\bin\TouchDesigner.exe sits beside <TD>\bin\python.exe
        out.append(os.path.join(exe_dir, 'python.exe'))
        out.append(os.path.join(base_prefix, 'python.exe'))
    elif platform_name == 'darwin':
        # TouchDesigner.app/Contents/MacOS/TouchDesigner -> Contents/Frameworks/Python.framework/Versions/3.11/bin
        contents = os.path.dirname(exe_dir)
        fw_bin = os.path.join(contents, 'Frameworks', 'Python.framework', 'Versions', version, 'bin')
        out.append(os.path.join(fw_bin, 'python3'))
        out.append(os.path.join(fw_bin, 'python' + version))
        out.append(os.path.join(base_prefix, 'bin', 'python3'))
        out.append(os.path.join(base_prefix, 'bin', 'python' + version))
    else:
        out.append(os.path.join(base_prefix, 'bin', 'python' + version))
        out.append(os.path.join(base_prefix, 'bin', 'python3'))
    seen, unique = set(), []
    for p in out:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def _looks_like_python(path):
    name = os.path.basename(path).lower()
    return name.startswith('python') and 'touchdesigner' not in name


def find_interpreter(executable=None, platform_name=None, base_prefix=None, in_td=None):
    """TouchDesigner's bundled interpreter (never TouchDesigner itself). Raises with the fix."""
    executable = executable or sys.executable
    platform_name = platform_name or sys.platform
    base_prefix = base_prefix or getattr(sys, 'base_prefix', sys.prefix)
    in_td = _in_touchdesigner() if in_td is None else in_td
    if not in_td and _looks_like_python(executable):
        return executable   # a plain Python (tests, or a user running this outside TD)
    tried = interpreter_candidates(executable, platform_name, base_prefix)
    for candidate in tried:
        if os.path.isfile(candidate) and _looks_like_python(candidate):
            return candidate
    raise RuntimeError(
        "TouchDesigner's bundled Python was not found (sys.executable is %s, which is not a Python).\n"
        'Looked at:\n  %s\nPass interpreter=r"<path to python>" to main(), using a Python %d.%d of the same '
        'architecture as TouchDesigner.' % (executable, '\n  '.join(tried), sys.version_info[0], sys.version_info[1]))


def plan(project_folder=None, target=None, interpreter=None, package=PACKAGE, force=False, **lookup):
    """What main() would do, without doing it: interpreter, target folder, pip command, whether installed."""
    interpreter = interpreter or find_interpreter(**lookup)
    if target is None:
        folder = project_folder or _project_folder()
        if not folder:
            raise RuntimeError('No project folder: save the .toe first, or pass target=r"<folder>".')
        target = os.path.join(folder, TARGET_NAME)
    target = os.path.abspath(target)
    installed = os.path.isfile(os.path.join(target, package, '__init__.py'))
    command = [interpreter, '-m', 'pip', 'install', '--disable-pip-version-check', '--target', target]
    if installed and force:
        command.append('--upgrade')
    command.append(package)
    return {'interpreter': interpreter, 'target': target, 'installed': installed,
            'command': command, 'run_pip': force or not installed}


def add_to_sys_path(target):
    """Prepend target to sys.path once (TD's documented way to add a package folder)."""
    if target not in sys.path:
        sys.path.insert(0, target)
        return True
    return False


def _runtime_folders():
    """Where datanet_runtime.py may be: beside this file (run with runpy or from a shell), else the SDK folder's
    python/ as the loader finds it (DATANET_SDK_DIR, beside the .toe): exec(open(...).read()) has no __file__."""
    here = globals().get('__file__')
    folders = [os.path.dirname(os.path.abspath(here))] if here else []
    if os.environ.get('DATANET_SDK_DIR'):
        folders.append(os.path.join(os.environ['DATANET_SDK_DIR'], 'python'))
    project = _project_folder()
    if project:
        folders += [os.path.join(project, sub, 'python') for sub in SDK_SUBFOLDERS]
    return folders


def load_runtime_module(folders=None):
    """The loader's runtime module (datanet_runtime.py: the .NET lookup exactly as the loader does it; importing
    it loads nothing), from the first folder holding it. None if not found."""
    for folder in folders or _runtime_folders():
        path = os.path.join(folder, RUNTIME)
        if os.path.isfile(path):
            spec = importlib.util.spec_from_file_location('datanet_runtime_for_setup', path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    return None


def runtime_check(platform_name=None, environ=None, arch=None, runtime=None, **lookup):
    """(ok, message) about the .NET runtime the pythonnet package will use by default with DataNet.
    arch defaults to this process's (inside TD: TouchDesigner's); lookup goes to the loader's find_dotnet
    (which, read_file, registry: tests describe another machine with them)."""
    platform_name = platform_name or sys.platform
    env = os.environ if environ is None else environ
    choice = (env.get('DATANET_RUNTIME') or '').lower() or ('netfx' if platform_name == 'win32' else 'coreclr')
    if choice == 'netfx':
        release = _netfx_release()
        if release is None:
            return False, ('.NET Framework 4.7.2+ not detected (it ships with Windows 10/11). Install it, '
                           'or install .NET 8+ and set DATANET_RUNTIME=coreclr.')
        return release >= 461808, '.NET Framework release %d (%s).' % (
            release, 'ok' if release >= 461808 else 'too old: 4.7.2 or newer is needed')
    runtime = runtime or load_runtime_module()
    if runtime is None:
        return False, ('%s was not found beside this script or in the SDK folder, so .NET was not checked: '
                       'the loader checks it when it starts.' % RUNTIME)
    try:
        root, _ = runtime.find_dotnet(arch=arch, environ=env, platform_name=platform_name, **lookup)
    except runtime.DataNetSetupError as exc:
        return False, str(exc)
    versions = runtime.inspect_dotnet_root(root)[1]
    return True, '.NET runtime %s (%s) found in %s.' % (versions[-1], arch or runtime.process_arch(), root)


def _netfx_release():
    try:
        import winreg
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r'SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full') as key:
            return int(winreg.QueryValueEx(key, 'Release')[0])
    except Exception:
        return None


def main(project_folder=None, target=None, interpreter=None, force=False, dry_run=False, out=print, run=None):
    """Install pythonnet for TouchDesigner's Python into <project>/python_packages. Returns the plan."""
    p = plan(project_folder=project_folder, target=target, interpreter=interpreter, force=force)
    out('DataNet setup: TouchDesigner Python = %s' % p['interpreter'])
    out('DataNet setup: target folder        = %s' % p['target'])
    if not p['run_pip']:
        out('DataNet setup: %s is already installed there; nothing to do (force=True reinstalls).' % PACKAGE)
    elif dry_run:
        out('DataNet setup: would run: %s' % subprocess.list2cmdline(p['command']))
    else:
        os.makedirs(p['target'], exist_ok=True)
        out('DataNet setup: running: %s' % subprocess.list2cmdline(p['command']))
        result = (run or subprocess.run)(p['command'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         universal_newlines=True)
        out(result.stdout or '')
        if result.returncode != 0:
            raise RuntimeError('pip failed (exit %d). If PyPI is unreachable, use the zero-pip route instead: '
                               'no install needed.' % result.returncode)
    if not dry_run:
        add_to_sys_path(p['target'])
    ok, message = runtime_check()
    out('DataNet setup: .NET check: %s' % message)
    out('DataNet setup: next steps:\n'
        '  1. Restart TouchDesigner if pythonnet was already imported in this session.\n'
        '  2. Make sure the DataNet loader DAT finds the SDK folder (Sdkfolder parameter, DATANET_SDK_DIR, or '
        'a "DataNet" folder beside the .toe).\n'
        '  3. The loader adds %s to sys.path by itself; op(\'DataNet\').module.dn.Runtime (with '
        'DataNet.tox: op(\'DataNet/DataNet\').module.dn.Runtime) should then say route \'pythonnet\'.%s'
        % (p['target'], '' if ok else '\n  4. Fix the .NET runtime first (see the check above).'))
    return p


def _cli(argv):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--project-folder', help='folder of the .toe (target = <folder>/%s)' % TARGET_NAME)
    parser.add_argument('--target', help='install folder (overrides --project-folder)')
    parser.add_argument('--interpreter', help="TouchDesigner's python (default: found from this Python)")
    parser.add_argument('--force', action='store_true', help='reinstall even if present')
    parser.add_argument('--dry-run', action='store_true', help='print the plan, run nothing')
    args = parser.parse_args(argv)
    main(project_folder=args.project_folder, target=args.target, interpreter=args.interpreter,
         force=args.force, dry_run=args.dry_run)


if __name__ == '__main__' and not _in_touchdesigner():
    _cli(sys.argv[1:])
elif _in_touchdesigner() and globals().get('__spec__') is None:
    main()   # executed as text inside TouchDesigner (Textport exec, Run Script); an import runs nothing
